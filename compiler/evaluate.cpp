#include "evaluate.hpp"

#include <cassert>
#include <stdexcept>

namespace gradgen {
namespace {

std::size_t at(NodeId id) { return static_cast<std::size_t>(id); }

}  // namespace

std::vector<double> forward_values(const Graph& g, const std::vector<double>& x, NodeId last) {
  std::vector<double> value(at(last) + 1, 0.0);
  for (NodeId id = 0; id <= last; ++id) {
    const Node& n = g[id];
    switch (n.op) {
      case Op::kConst: value[at(id)] = n.value; break;
      case Op::kInput: value[at(id)] = x.at(static_cast<std::size_t>(n.index)); break;
      case Op::kAdjoint:
      case Op::kSeed:
      case Op::kCotangent:
        break;
      default: {
        double args[3] = {0.0, 0.0, 0.0};
        for (int i = 0; i < n.arity(); ++i) args[i] = value[at(n.args[static_cast<std::size_t>(i)])];
        value[at(id)] = evaluate(n.op, args);
      }
    }
  }
  return value;
}

Evaluation evaluate(const Graph& g, const std::vector<NodeId>& inputs, NodeId output,
                    const Gradient& gradient, const std::vector<NodeId>& wrt,
                    const std::vector<double>& x) {
  if (x.size() != inputs.size()) throw std::invalid_argument("evaluate: one value per input");
  std::vector<double> value(g.size(), 0.0);
  std::vector<double> adjoint(g.size(), 0.0);
  // Nodes are evaluated in index order up to `cursor`. Backward gates come
  // after the forward pass in the order the sweep built them, and an adjoint
  // leaf is built only once all the contributions to its node have been, so
  // when the cursor reaches it, its node's adjoint is complete.
  NodeId cursor = 0;
  const auto advance_to = [&](NodeId last) {
    for (; cursor <= last; ++cursor) {
      const Node& n = g[cursor];
      switch (n.op) {
        case Op::kConst: value[at(cursor)] = n.value; break;
        case Op::kInput: value[at(cursor)] = x[static_cast<std::size_t>(n.index)]; break;
        case Op::kAdjoint: value[at(cursor)] = adjoint[at(n.args[0])]; break;
        case Op::kSeed: case Op::kCotangent: break;
        default: {
          double args[3] = {0.0, 0.0, 0.0};
          for (int i = 0; i < n.arity(); ++i) args[i] = value[at(n.args[static_cast<std::size_t>(i)])];
          value[at(cursor)] = evaluate(n.op, args);
        }
      }
    }
  };
  advance_to(static_cast<NodeId>(gradient.forward_size) - 1);
  for (const Contribution& c : gradient.contributions) {
    advance_to(c.value);
    adjoint[at(c.target)] += value[at(c.value)];
  }
  Evaluation result;
  result.value = value[at(output)];
  for (NodeId w : wrt) result.gradient.push_back(adjoint[at(w)]);
  advance_to(static_cast<NodeId>(g.size()) - 1);
  result.values = std::move(value);
  result.adjoints = std::move(adjoint);
  return result;
}

}  // namespace gradgen

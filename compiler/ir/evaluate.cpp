#include "compiler/ir/evaluate.hpp"

#include <array>
#include <cassert>
#include <stdexcept>

namespace gradgen {
namespace {

// The values of n's operands (unused ones 0).
std::array<double, 3> operand_values(const Node& n, const std::vector<double>& value) {
  std::array<double, 3> args{0.0, 0.0, 0.0};
  for (int i = 0; i < n.arity(); ++i) args[at(i)] = value[at(n.args[at(i)])];
  return args;
}

}  // namespace

std::vector<double> forward_values(const Graph& g, const std::vector<double>& x, NodeId last) {
  std::vector<double> value(at(last) + 1, 0.0);
  for (NodeId id = 0; id <= last; ++id) {
    const Node& n = g[id];
    if (n.op == Op::kConst) {
      value[at(id)] = n.value;
    } else if (n.op == Op::kInput) {
      value[at(id)] = x.at(static_cast<std::size_t>(n.index));
    } else if (!is_leaf(n.op)) {  // adjoints, seeds and cotangents stay 0
      value[at(id)] = evaluate(n.op, operand_values(n, value).data());
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
      if (n.op == Op::kConst) {
        value[at(cursor)] = n.value;
      } else if (n.op == Op::kInput) {
        value[at(cursor)] = x[static_cast<std::size_t>(n.index)];
      } else if (n.op == Op::kAdjoint) {
        value[at(cursor)] = adjoint[at(n.args[0])];
      } else if (!is_leaf(n.op)) {  // seeds and cotangents stay 0
        value[at(cursor)] = evaluate(n.op, operand_values(n, value).data());
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

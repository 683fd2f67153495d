#include "forward.hpp"

#include <array>

#include "derivatives.hpp"

namespace gradgen {
namespace {

std::size_t at(NodeId id) { return static_cast<std::size_t>(id); }

// sum + term, written as sum - x when the term is -x.
NodeId accumulate(Graph& g, NodeId sum, NodeId term) {
  if (sum == kNoNode) return term;
  if (g[term].op == Op::kNeg) return g.sub(sum, g[term].args[0]);
  return g.add(sum, term);
}

}  // namespace

Tangents push_forward(Graph& g, NodeId output, const std::vector<NodeId>& wrt) {
  Tangents t;
  std::vector<char> live(at(output) + 1, 0);
  live[at(output)] = 1;
  for (NodeId id = output; id >= 0; --id) {
    if (!live[at(id)]) continue;
    for (int i = 0; i < g[id].arity(); ++i) live[at(g[id].args[at(i)])] = 1;
  }
  t.of.assign(at(output) + 1, kNoNode);
  t.wrt = wrt;
  for (std::size_t j = 0; j < wrt.size(); ++j) {
    const NodeId seed = g.seed(static_cast<std::int32_t>(j));
    t.seeds.push_back(seed);
    if (wrt[j] <= output) t.of[at(wrt[j])] = seed;
  }
  for (NodeId id = 0; id <= output; ++id) {
    if (!live[at(id)] || g[id].op == Op::kInput) continue;
    const Node n = g[id];
    if (n.op == Op::kSelect || n.op == Op::kMax || n.op == Op::kMin) {
      // A switch has the tangent of the input it chose: c ? a : b gives
      // c ? a_dot : b_dot, max(a, b) gives a < b ? b_dot : a_dot (as the
      // backward pass routes the gradient).
      const bool select = n.op == Op::kSelect;
      const NodeId a = t.of[at(n.args[select ? 1 : 0])];
      const NodeId b = t.of[at(n.args[select ? 2 : 1])];
      if (a != kNoNode || b != kNoNode) {
        const NodeId zero = g.constant(0.0);
        const NodeId ta = a == kNoNode ? zero : a;
        const NodeId tb = b == kNoNode ? zero : b;
        if (select) {
          t.of[at(id)] = g.select(n.args[0], ta, tb);
        } else {
          const NodeId b_wins = n.op == Op::kMax ? g.make(Op::kLt, n.args[0], n.args[1])
                                                 : g.make(Op::kLt, n.args[1], n.args[0]);
          t.of[at(id)] = g.select(b_wins, tb, ta);
        }
      }
      continue;
    }
    NodeId sum = kNoNode;
    for (int i = 0; i < g[id].arity(); ++i) {
      const NodeId tangent = t.of[at(g[id].args[at(i)])];
      if (tangent == kNoNode || !carries_gradient(g, id, i)) continue;
      std::array<bool, 3> wanted{false, false, false};
      wanted[at(i)] = true;
      std::array<NodeId, 3> out{kNoNode, kNoNode, kNoNode};
      local_gradients(g, id, tangent, wanted, out);
      sum = accumulate(g, sum, out[at(i)]);
    }
    t.of[at(id)] = sum;
  }
  return t;
}

}  // namespace gradgen

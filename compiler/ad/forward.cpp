#include "compiler/ad/forward.hpp"

#include <algorithm>
#include <array>

#include "compiler/ad/derivatives.hpp"

namespace gradgen {
namespace {

// sum + term, written as sum - x when the term is -x.
NodeId accumulate(Graph& g, NodeId sum, NodeId term) {
  if (term == kNoNode) return sum;
  if (sum == kNoNode) return term;
  if (g[term].op == Op::kNeg) return g.sub(sum, g[term].args[0]);
  return g.add(sum, term);
}

// A switch has the tangent of the input it chose: c ? a : b gives
// c ? a_dot : b_dot, max(a, b) gives a < b ? b_dot : a_dot (as the backward
// pass routes the gradient).
NodeId switch_tangent(Graph& g, const Node& n, const std::vector<NodeId>& of) {
  const bool select = n.op == Op::kSelect;
  const NodeId a = of[at(n.args[select ? 1 : 0])];
  const NodeId b = of[at(n.args[select ? 2 : 1])];
  if (a == kNoNode && b == kNoNode) return kNoNode;
  const NodeId zero = g.constant(0.0);
  const NodeId ta = a == kNoNode ? zero : a;
  const NodeId tb = b == kNoNode ? zero : b;
  if (select) return g.select(n.args[0], ta, tb);
  const NodeId b_wins = n.op == Op::kMax ? g.make(Op::kLt, n.args[0], n.args[1])
                                         : g.make(Op::kLt, n.args[1], n.args[0]);
  return g.select(b_wins, tb, ta);
}

// A tangent that a switch zeroed on one side (c ? t : 0, or c ? 0 : t,
// nested any number of times): the switches, outermost first, and t.
struct Switched {
  std::vector<std::pair<NodeId, bool>> switches;  // condition, t on the `then` side
  NodeId inner;
};

Switched unwrap(const Graph& g, NodeId t) {
  Switched s{{}, t};
  for (;;) {
    const Node& n = g[s.inner];
    if (n.op != Op::kSelect) return s;
    const bool zero_else = g.is_constant(n.args[2], 0.0);
    const bool zero_then = g.is_constant(n.args[1], 0.0);
    if (zero_else == zero_then) return s;
    s.switches.emplace_back(n.args[0], zero_else);
    s.inner = n.args[zero_else ? 1 : 2];
  }
}

// The local derivative times an operand's tangent. When a switch zeroed the
// tangent on the side not taken and the derivative may be infinite, the rule
// is applied to the other side and the switch kept outside, so that the side
// not taken stays exactly 0 (sqrt(max(a, 0)) at a < 0): the forward
// counterpart of the backward pass's guards (reverse.hpp).
NodeId pushed(Graph& g, NodeId gate, int operand, NodeId tangent) {
  const Switched s = op_info(g[gate].op).infinite_slope ? unwrap(g, tangent) : Switched{{}, tangent};
  std::array<bool, 3> wanted{false, false, false};
  wanted[at(operand)] = true;
  std::array<NodeId, 3> out{kNoNode, kNoNode, kNoNode};
  local_gradients(g, gate, s.inner, wanted, out);
  NodeId result = out[at(operand)];
  for (auto it = s.switches.rbegin(); it != s.switches.rend(); ++it) {
    const NodeId zero = g.constant(0.0);
    result = it->second ? g.select(it->first, result, zero) : g.select(it->first, zero, result);
  }
  return result;
}

}  // namespace

std::vector<NodeId> direction_seeds(Graph& g, std::size_t count) {
  std::vector<NodeId> seeds;
  for (std::size_t j = 0; j < count; ++j) seeds.push_back(g.seed(static_cast<std::int32_t>(j)));
  return seeds;
}

std::vector<NodeId> unit_seeds(Graph& g, std::size_t count, std::size_t j) {
  std::vector<NodeId> seeds(count, kNoNode);
  seeds[j] = g.constant(1.0);
  return seeds;
}

Tangents push_forward(Graph& g, const std::vector<NodeId>& roots, const std::vector<NodeId>& wrt,
                      const std::vector<NodeId>& seeds, const Gradient* through) {
  Tangents t;
  t.wrt = wrt;
  t.seeds = seeds;
  t.roots = roots;
  NodeId top = kNoNode;
  for (NodeId r : roots) top = std::max(top, r);
  if (top == kNoNode) return t;

  // The contributions each adjoint leaf sums (forward over reverse).
  std::vector<std::vector<NodeId>> received;
  if (through != nullptr) {
    received.resize(at(top) + 1);
    for (const Contribution& c : through->contributions) {
      const NodeId leaf = g.adjoint(c.target);
      if (leaf <= top) received[at(leaf)].push_back(c.value);
    }
  }
  const auto adjoint_sum = [&](NodeId id) -> const std::vector<NodeId>* {
    if (through == nullptr || g[id].op != Op::kAdjoint) return nullptr;
    return &received[at(id)];
  };

  std::vector<char> live(at(top) + 1, 0);
  for (NodeId r : roots) live[at(r)] = 1;
  for (NodeId id = top; id >= 0; --id) {
    if (!live[at(id)]) continue;
    if (const std::vector<NodeId>* sum = adjoint_sum(id)) {
      for (NodeId v : *sum) live[at(v)] = 1;
    } else if (g[id].op != Op::kAdjoint) {
      for (NodeId a : g[id].operands()) live[at(a)] = 1;
    }
  }

  t.of.assign(at(top) + 1, kNoNode);
  for (std::size_t j = 0; j < wrt.size(); ++j) {
    if (wrt[j] <= top) t.of[at(wrt[j])] = seeds[j];
  }
  for (NodeId id = 0; id <= top; ++id) {
    if (!live[at(id)] || g[id].op == Op::kInput) continue;
    const Node n = g[id];  // a copy: adding gates may move the node table
    if (const std::vector<NodeId>* sum = adjoint_sum(id)) {
      NodeId total = kNoNode;
      for (NodeId v : *sum) total = accumulate(g, total, t.of[at(v)]);
      t.of[at(id)] = total;
      continue;
    }
    if (n.op == Op::kSelect || n.op == Op::kMax || n.op == Op::kMin) {
      t.of[at(id)] = switch_tangent(g, n, t.of);
      continue;
    }
    NodeId sum = kNoNode;
    for (int i = 0; i < n.arity(); ++i) {
      const NodeId tangent = t.of[at(n.args[at(i)])];
      if (tangent == kNoNode || !carries_gradient(g, id, i)) continue;
      sum = accumulate(g, sum, pushed(g, id, i, tangent));
    }
    t.of[at(id)] = sum;
  }
  return t;
}

}  // namespace gradgen

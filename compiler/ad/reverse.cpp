#include "compiler/ad/reverse.hpp"

#include <algorithm>

#include "compiler/ad/derivatives.hpp"

namespace gradgen {
namespace {

// The forward gates that the outputs depend on.
std::vector<char> output_cone(const Graph& g, const std::vector<OutputSeed>& seeds, NodeId top) {
  std::vector<char> live(g.size(), 0);
  for (const OutputSeed& s : seeds) live[at(s.output)] = 1;
  for (NodeId id = top; id >= 0; --id) {
    if (!live[at(id)]) continue;
    for (NodeId a : g[id].operands()) live[at(a)] = 1;
  }
  return live;
}

// Gates through which a requested input can move an output: reached from a
// requested input (forward), and reaching an output (backward), along edges
// that carry gradient.
std::vector<char> needs_adjoint(const Graph& g, const std::vector<OutputSeed>& seeds, NodeId output,
                                const std::vector<NodeId>& wrt, const std::vector<char>& live) {
  std::vector<char> active(g.size(), 0);
  for (NodeId input : wrt) active[at(input)] = 1;
  for (NodeId id = 0; id <= output; ++id) {
    if (!live[at(id)] || active[at(id)]) continue;
    for (int i = 0; i < g[id].arity(); ++i) {
      if (active[at(g[id].args[at(i)])] && carries_gradient(g, id, i)) active[at(id)] = 1;
    }
  }
  std::vector<char> needed(g.size(), 0);
  for (const OutputSeed& s : seeds) needed[at(s.output)] = active[at(s.output)];
  for (NodeId id = output; id >= 0; --id) {
    if (!needed[at(id)]) continue;
    for (int i = 0; i < g[id].arity(); ++i) {
      const NodeId arg = g[id].args[at(i)];
      if (active[at(arg)] && carries_gradient(g, id, i)) needed[at(arg)] = 1;
    }
  }
  return needed;
}

// a || b, simplified where the two are the two sides of one condition:
// c || !c is always (kNoNode), and so is (g && c) || (g && !c) = g.
NodeId either(Graph& g, NodeId a, NodeId b) {
  if (b == kNoNode || a == b) return b == kNoNode ? kNoNode : a;
  const auto negation = [&g](NodeId x, NodeId y) {
    return (g[x].op == Op::kNot && g[x].args[0] == y) || (g[y].op == Op::kNot && g[y].args[0] == x);
  };
  if (negation(a, b)) return kNoNode;
  const Node& na = g[a];
  const Node& nb = g[b];
  if (na.op == Op::kAnd && nb.op == Op::kAnd && na.args[0] == nb.args[0] &&
      negation(na.args[1], nb.args[1])) {
    return na.args[0];
  }
  return g.make(Op::kOr, a, b);
}

// guard[n]: the condition under which gradient reaches gate n, or kNoNode
// when it always may. Only the branches of a select are guarded, and only
// the edges that carry gradient count: a gate that a condition also reads
// (x > 0 && sqrt(x) > 1 ? sqrt(x) : x) is still guarded by its branch.
// Outputs are reached unguarded (they are seeded directly).
std::vector<NodeId> guards(Graph& g, const std::vector<OutputSeed>& seeds, NodeId output,
                           const std::vector<char>& needed) {
  std::vector<NodeId> guard(at(output) + 1, kNoNode);
  std::vector<char> seen(at(output) + 1, 0);
  for (const OutputSeed& s : seeds) seen[at(s.output)] = 1;
  for (NodeId id = output; id >= 0; --id) {
    if (!needed[at(id)]) continue;
    const Node n = g[id];
    for (int i = 0; i < n.arity(); ++i) {
      const NodeId arg = n.args[at(i)];
      if (!needed[at(arg)] || !carries_gradient(g, id, i)) continue;
      NodeId edge = guard[at(id)];
      if (n.op == Op::kSelect) {
        const NodeId taken = i == 1 ? n.args[0] : g.make(Op::kNot, n.args[0]);
        edge = edge == kNoNode ? taken : g.make(Op::kAnd, edge, taken);
      }
      if (!seen[at(arg)]) {
        seen[at(arg)] = 1;
        guard[at(arg)] = edge;
      } else if (guard[at(arg)] != kNoNode) {
        guard[at(arg)] = either(g, guard[at(arg)], edge);
      }
    }
  }
  return guard;
}

// True when `value` is exactly 0 whenever the adjoint `dy` is: it only routes
// dy (dy, -dy, c ? dy : 0), so it needs no guard.
bool vanishes_with(const Graph& g, NodeId value, NodeId dy) {
  if (value == dy) return true;
  const Node& n = g[value];
  if (n.op == Op::kNeg) return vanishes_with(g, n.args[0], dy);
  if (n.op != Op::kSelect) return false;
  const auto branch = [&](NodeId b) { return g.is_constant(b, 0.0) || vanishes_with(g, b, dy); };
  return branch(n.args[1]) && branch(n.args[2]);
}

bool has_select(const Graph& g, const std::vector<char>& live) {
  for (NodeId id = 0; id < static_cast<NodeId>(live.size()); ++id) {
    if (live[at(id)] && g[id].op == Op::kSelect) return true;
  }
  return false;
}

}  // namespace

Gradient differentiate(Graph& g, const std::vector<OutputSeed>& seeds,
                       const std::vector<NodeId>& wrt) {
  Gradient grad;
  NodeId output = kNoNode;
  for (const OutputSeed& s : seeds) output = std::max(output, s.output);
  grad.output = output;
  grad.forward_size = g.size();
  if (output == kNoNode) return grad;
  const std::vector<char> live = output_cone(g, seeds, output);
  grad.has_adjoint = needs_adjoint(g, seeds, output, wrt, live);
  for (const OutputSeed& s : seeds) {
    if (grad.has_adjoint[at(s.output)]) {
      grad.contributions.push_back(Contribution{s.output, s.weight, kNoNode});
    }
  }
  if (grad.contributions.empty()) return grad;

  const std::vector<NodeId> guard = has_select(g, live)
                                        ? guards(g, seeds, output, grad.has_adjoint)
                                        : std::vector<NodeId>(at(output) + 1, kNoNode);
  for (NodeId id = output; id >= 0; --id) {
    if (!grad.has_adjoint[at(id)] || g[id].op == Op::kInput) continue;
    std::array<bool, 3> wanted{false, false, false};
    for (int i = 0; i < g[id].arity(); ++i) {
      wanted[at(i)] = carries_gradient(g, id, i) && grad.has_adjoint[at(g[id].args[at(i)])];
    }
    std::array<NodeId, 3> out{kNoNode, kNoNode, kNoNode};
    local_gradients(g, id, g.adjoint(id), wanted, out);
    for (int i = 0; i < 3; ++i) {
      if (!wanted[at(i)]) continue;
      NodeId value = out[at(i)];
      if (guard[at(id)] != kNoNode && !vanishes_with(g, value, g.adjoint(id))) {
        value = g.select(guard[at(id)], value, g.constant(0.0));
      }
      grad.contributions.push_back(Contribution{g[id].args[at(i)], value, id});
    }
  }
  return grad;
}

}  // namespace gradgen

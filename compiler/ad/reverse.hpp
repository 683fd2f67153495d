// Reverse mode: the backward pass of the guide, built as gates in the same
// Graph as the forward pass.
//
// Every gate that lies on a path from a requested input to the output gets an
// adjoint, the gradient of the output with respect to it (the guide's `dx`).
// An Op::kAdjoint leaf stands for it inside other gates. The sweep visits the
// gates from the output back to the inputs and, from the rules in
// derivatives.hpp, adds one Contribution per operand: the local derivative
// times the gate's adjoint. A node's adjoint is the sum of the contributions
// it receives (the guide's `+=` where a wire branches), complete once the
// sweep has passed all the node's users, which come later in index order.
//
// Only what the requested gradient needs is built: gates that no requested
// input reaches, or whose gradient cannot reach one, get no adjoint. Inside
// the branches of `c ? a : b`, contributions are guarded by the condition
// under which the branch is taken, so the branch not taken adds exactly 0 —
// never a NaN from an infinite local derivative.
#pragma once

#include <vector>

#include "compiler/ir/ir.hpp"

namespace gradgen {

struct Contribution {
  NodeId target;  // the node whose adjoint receives the value
  NodeId value;   // gradient flowing into target through source
  NodeId source;  // the gate differentiated; kNoNode for the seed (d out = 1)
};

struct Gradient {
  NodeId output = kNoNode;         // the last of the seeded outputs in index order
  std::size_t forward_size = 0;    // the graph's size before the backward pass
  std::vector<char> has_adjoint;   // per forward node
  std::vector<Contribution> contributions;  // in sweep order
};

// The gradient flowing into one output before the sweep: the constant 1 for
// NAME_grad and each row of a reverse-mode Jacobian, out_bar[k] (an
// Op::kCotangent leaf) for NAME_vjp.
struct OutputSeed {
  NodeId output;
  NodeId weight;
};

// The sweep for sum_k weight_k * output_k. Its contributions start with one
// per seed (source kNoNode).
Gradient differentiate(Graph& graph, const std::vector<OutputSeed>& seeds,
                       const std::vector<NodeId>& wrt);

}  // namespace gradgen

// The local derivative of every gate: one rule per operation, each under a
// one-line comment with its maths. A rule receives the gate and the adjoint
// flowing into it from above (the guide's `dx`), and returns, for each operand
// that wants one, the gradient that operand receives: the local derivative
// times the adjoint (the chain rule). The edge cases the language fixes are
// here too: abs'(0) = relu'(0) = 0; max/min route the gradient to the
// argument chosen; pow with an exponent that depends on no input never uses
// log, so it is right for negative bases.
#pragma once

#include <array>

#include "compiler/ir/ir.hpp"

namespace gradgen {

// Whether gradient flows from gate `node` into its operand `operand` at all.
// False for conditions, the steps floor/ceil/round/trunc/sign, the condition of
// a select, and the exponent of pow when it depends on no input.
bool carries_gradient(const Graph& g, NodeId node, int operand);

// out[i] = d node / d operand_i * adjoint, for each i with wanted[i] (which
// the caller only sets where carries_gradient holds); other entries are left
// untouched. New gates are added to `g`.
void local_gradients(Graph& g, NodeId node, NodeId adjoint, const std::array<bool, 3>& wanted,
                     std::array<NodeId, 3>& out);

}  // namespace gradgen

// Forward mode: tangents pushed from the inputs to the output, the other way
// round from reverse.hpp.
//
// Given a direction (one seed per requested input, Op::kSeed leaves: the
// generated code's in_dot[]), every gate gets a tangent, the derivative of its
// value along the direction: the sum over its operands of the local
// derivative times the operand's tangent. The local derivatives are the very
// rules of derivatives.hpp, asked for one operand at a time with the
// operand's tangent in place of the adjoint (each rule is linear in it).
// Gates no requested input reaches have no tangent (it is 0).
#pragma once

#include <vector>

#include "ir.hpp"

namespace gradgen {

struct Tangents {
  std::vector<NodeId> of;     // per forward gate up to the output; kNoNode: 0
  std::vector<NodeId> seeds;  // per requested input: its seed leaf
  std::vector<NodeId> wrt;    // the requested inputs, in seed order
};

Tangents push_forward(Graph& graph, NodeId output, const std::vector<NodeId>& wrt);

}  // namespace gradgen

// Forward mode: tangents pushed from the inputs to the outputs, the other way
// round from reverse.hpp.
//
// Given a direction (one seed per requested input: an Op::kSeed leaf, the
// generated code's in_dot[], or a constant for the unit directions of a
// Jacobian's or a Hessian's columns), every gate gets a tangent, the
// derivative of its value along the direction: the sum over its operands of
// the local derivative times the operand's tangent. The local derivatives are
// the very rules of derivatives.hpp, asked for one operand at a time with the
// operand's tangent in place of the adjoint (each rule is linear in it).
// Gates no requested input reaches have no tangent (it is 0).
//
// Forward over reverse: given a Gradient, the sweep goes on through the
// backward pass's gates, and an adjoint leaf's tangent is the sum of the
// tangents of the contributions it receives. The tangents of the inputs'
// adjoints are then a Hessian-vector product.
#pragma once

#include <vector>

#include "compiler/ad/reverse.hpp"
#include "compiler/ir/ir.hpp"

namespace gradgen {

struct Tangents {
  std::vector<NodeId> of;     // per gate up to the last root; kNoNode: 0
  std::vector<NodeId> seeds;  // per requested input: its seed (kNoNode: 0)
  std::vector<NodeId> wrt;    // the requested inputs, in seed order
  std::vector<NodeId> roots;  // the gates whose tangents were asked for
};

// One Op::kSeed leaf per requested input: the direction in_dot[].
std::vector<NodeId> direction_seeds(Graph& graph, std::size_t count);
// The unit direction along requested input j: the constant 1 there, 0 elsewhere.
std::vector<NodeId> unit_seeds(Graph& graph, std::size_t count, std::size_t j);

// The tangents of `roots` (and of the gates they need) along `seeds`. With
// `through`, the roots may be gates of that backward pass (adjoint leaves
// included).
Tangents push_forward(Graph& graph, const std::vector<NodeId>& roots,
                      const std::vector<NodeId>& wrt, const std::vector<NodeId>& seeds,
                      const Gradient* through = nullptr);

}  // namespace gradgen

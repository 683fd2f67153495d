// The reference evaluator: the language's meaning, computed in-process from
// the IR with no C++ compiler involved. Values follow the generated code's
// rules exactly (the same operations in the same order, both branches of a
// select evaluated, the same helpers), so generated code can be checked
// against it to the last few bits.
#pragma once

#include <vector>

#include "compiler/ad/reverse.hpp"
#include "compiler/ir/ir.hpp"

namespace gradgen {

struct Evaluation {
  double value = 0.0;
  std::vector<double> gradient;  // d value / d wrt[i]
  std::vector<double> values;    // every gate's value, backward gates included (by NodeId)
  std::vector<double> adjoints;  // every forward gate's adjoint (0 where it has none)
};

// The values of the forward gates 0..last at the inputs `x` (in input order).
std::vector<double> forward_values(const Graph& graph, const std::vector<double>& x, NodeId last);

// `x` holds the inputs in input order; `inputs` the input nodes, `wrt` the
// nodes the gradient is taken with respect to.
Evaluation evaluate(const Graph& graph, const std::vector<NodeId>& inputs, NodeId output,
                    const Gradient& gradient, const std::vector<NodeId>& wrt,
                    const std::vector<double>& x);

}  // namespace gradgen

// Simplification as gates are built. Graph::make (ir.cpp) asks simplify()
// first and hash-conses a new gate only when it returns kNoNode; together
// they are gradgen's peephole optimiser, applied to every gate of every pass
// (forward, backward, tangents) as it is created, so no gate that a rule
// removes is ever built. The rules, each exact in IEEE arithmetic:
//
// - constant folding: a numeric gate whose operands are all constants is
//   that constant -- only when the result is finite, so the generated code
//   never spells an infinity or a NaN, and a `1/0` the user wrote stays;
// - `!c ? a : b` is `c ? b : a`, which reads better and needs no `!c`;
// - `a ^ 1` is `a` and `a ^ 0` is `1` (std::pow's own values for every a,
//   NaN included);
// - `x * 1` and `1 * x` are `x` while Graph::set_unit_products_fold is on
//   (the unit-direction sweeps of Jacobians and Hessians); `x * 0` is never
//   simplified, as it would hide a NaN or an infinity in x.
//
// The other optimisations live with the mechanism they belong to: common
// subexpressions in the hash-consing of ir.cpp; integer powers up to
// the 8th printed as products (ExprPrinter::power in cpp_expr.cpp); reuse of a
// gate's own output in its derivative rule (derivatives.cpp); dead code by
// the outputs' cones and the requested inputs in reverse.cpp and
// layout.cpp (docs/performance.md).
#pragma once

#include "compiler/ir/ir.hpp"

namespace gradgen {

// The node the gate op(a, b, c) simplifies to, or kNoNode when it is built
// as it is.
NodeId simplify(Graph& g, Op op, NodeId a, NodeId b, NodeId c);

}  // namespace gradgen

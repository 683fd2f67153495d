#include "compiler/ir/simplify.hpp"

#include <cmath>

namespace gradgen {

NodeId simplify(Graph& g, Op op, NodeId a, NodeId b, NodeId c) {
  if (op == Op::kSelect && g[a].op == Op::kNot) return g.make(op, g[a].args[0], c, b);
  // a^1 is a and a^0 is 1, for every a (NaN, infinities and -0 included:
  // C's pow says so).
  if (op == Op::kPow && g.is_constant(b, 1.0)) return a;
  if (op == Op::kPow && g.is_constant(b, 0.0)) return g.constant(1.0);
  if (op == Op::kMul && g.folds_unit_products()) {
    if (g.is_constant(a, 1.0)) return b;
    if (g.is_constant(b, 1.0)) return a;
  }
  // Constant folding: only numbers (conditions have no constant node).
  if (op_info(op).result != ValueType::kNumber || op == Op::kSelect) return kNoNode;
  const NodeId args[3] = {a, b, c};
  double values[3] = {0.0, 0.0, 0.0};
  for (int i = 0; i < op_info(op).arity; ++i) {
    const Node& arg = g[args[i]];
    if (arg.op != Op::kConst) return kNoNode;
    values[i] = arg.value;
  }
  const double folded = evaluate(op, values);
  return std::isfinite(folded) ? g.constant(folded) : kNoNode;
}

}  // namespace gradgen

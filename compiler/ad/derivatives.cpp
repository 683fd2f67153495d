#include "compiler/ad/derivatives.hpp"

#include <cassert>
#include <cmath>

namespace gradgen {
namespace {

constexpr double kLn2 = 0.6931471805599453;
constexpr double kLn10 = 2.302585092994046;
constexpr double kTwoOverSqrtPi = 1.1283791670955126;

// a^k for a constant k, spelled as the plain `a` when k is 1 (exactly equal).
NodeId pow_constant(Graph& g, NodeId a, NodeId k) {
  if (g.is_constant(k, 1.0)) return a;
  return g.make(Op::kPow, a, k);
}

// 1 - a^2 as (1 - a)(1 + a): both factors are exact near |a| = 1, where
// 1 - a * a loses the rounding of a * a (asin, acos and atanh's slopes;
// 1.5e6 ulps at a = 1 - 2^-30).
NodeId one_minus_square(Graph& g, NodeId a) {
  return g.mul(g.sub(g.constant(1.0), a), g.add(g.constant(1.0), a));
}

}  // namespace

bool carries_gradient(const Graph& g, NodeId node, int operand) {
  const Node& n = g[node];
  // A constant exponent is no variable; a^0 = 1 has no gradient at all.
  if (n.op == Op::kPow && operand == 1) return g[n.args[1]].depends_on_input;
  if (n.op == Op::kPow) return !g.is_constant(n.args[1], 0.0);
  // c ? a : b: the condition carries none, the branches do.
  if (n.op == Op::kSelect) return operand != 0;
  return op_info(n.op).carries_gradient;
}

void local_gradients(Graph& g, NodeId node, NodeId dy, const std::array<bool, 3>& wanted,
                     std::array<NodeId, 3>& out) {
  const Node n = g[node];  // a copy: adding gates may move the node table
  const NodeId a = n.args[0];
  const NodeId b = n.args[1];
  const NodeId y = node;
  const auto c = [&g](double v) { return g.constant(v); };
  // give(i, f): operand i receives f() when it wants a gradient.
  const auto give = [&](int i, auto f) {
    if (wanted[static_cast<std::size_t>(i)]) out[static_cast<std::size_t>(i)] = f();
  };

  switch (n.op) {
    case Op::kConst: case Op::kInput: case Op::kAdjoint: case Op::kSeed: case Op::kCotangent:
    case Op::kSign: case Op::kFloor: case Op::kCeil: case Op::kRound: case Op::kTrunc:
    case Op::kLt: case Op::kLe: case Op::kGt: case Op::kGe: case Op::kEq: case Op::kNe:
    case Op::kAnd: case Op::kOr: case Op::kNot:
      // Leaves, steps and conditions: no gradient flows (carries_gradient).
      assert(!wanted[0] && !wanted[1] && !wanted[2]);
      return;
    case Op::kAdd:  // d(a + b) = da + db: the + gate routes dy to both inputs
      give(0, [&] { return dy; });
      give(1, [&] { return dy; });
      return;
    case Op::kSub:  // d(a - b) = da - db
      give(0, [&] { return dy; });
      give(1, [&] { return g.neg(dy); });
      return;
    case Op::kMul:  // d(a * b) = b da + a db: each input gets the other's value
      give(0, [&] { return g.mul(b, dy); });
      give(1, [&] { return g.mul(a, dy); });
      return;
    case Op::kDiv: {  // d(a / b) = da / b - (a / b) / b db
      // Both contributions use dy / b, so a quotient costs one division
      // more, not two: b's is -(a / b) * (dy / b), rounded twice as
      // -(a / b) / b * dy would be.
      const auto over_b = [&] { return g.div(dy, b); };
      give(0, over_b);
      give(1, [&] { return g.mul(g.neg(y), over_b()); });
      return;
    }
    case Op::kNeg:  // d(-a) = -da
      give(0, [&] { return g.neg(dy); });
      return;
    case Op::kPow:
      if (!g[b].depends_on_input) {
        // d(a^k) = k a^(k-1) da for a constant k: no log(a), right for a < 0.
        // For an integer k < 0 that is k (a^k / a), from the gate's own
        // output: no second power, and right at a = +-0 (k inf / 0) and
        // +-inf. (Not for other k < 0: (-0)^-0.5 is +inf, and +inf / -0
        // would give the slope the wrong sign.)
        const Node& k = g[b];
        if (k.op == Op::kConst && k.value < 0 && k.value == std::floor(k.value)) {
          give(0, [&] { return g.mul(g.mul(b, g.div(y, a)), dy); });
        } else {
          give(0, [&] { return g.mul(g.mul(b, pow_constant(g, a, g.sub(b, c(1.0)))), dy); });
        }
        return;
      }
      // d(a^b) = b a^(b-1) da + a^b log(a) db; the db part is 0 at a == 0 < b.
      // The da part is 0 at b == 0, where a^0 = 1 for every a (b a^(b-1)
      // would be 0 * inf at a == 0).
      give(0, [&] {
        const NodeId slope = g.mul(b, g.make(Op::kPow, a, g.sub(b, c(1.0))));
        return g.mul(g.select(g.make(Op::kEq, b, c(0.0)), c(0.0), slope), dy);
      });
      give(1, [&] {
        const NodeId at_zero = g.make(Op::kAnd, g.make(Op::kEq, a, c(0.0)), g.make(Op::kGt, b, c(0.0)));
        return g.mul(g.select(at_zero, c(0.0), g.mul(y, g.make(Op::kLog, a))), dy);
      });
      return;
    case Op::kExp:  // d exp(a) = exp(a) da
      give(0, [&] { return g.mul(y, dy); });
      return;
    case Op::kLog:  // d log(a) = da / a
      give(0, [&] { return g.div(dy, a); });
      return;
    case Op::kLog2:  // d log2(a) = da / (a ln 2)
      give(0, [&] { return g.div(dy, g.mul(a, c(kLn2))); });
      return;
    case Op::kLog10:  // d log10(a) = da / (a ln 10)
      give(0, [&] { return g.div(dy, g.mul(a, c(kLn10))); });
      return;
    case Op::kLog1p:  // d log1p(a) = da / (1 + a)
      give(0, [&] { return g.div(dy, g.add(c(1.0), a)); });
      return;
    case Op::kExpm1:  // d expm1(a) = exp(a) da
      // Not expm1(a) + 1, which cancels for a < -1 (and is 0 below -37,
      // where exp(a) is 4e-17 and smaller): expm1 is chosen for its accuracy.
      give(0, [&] { return g.mul(g.make(Op::kExp, a), dy); });
      return;
    case Op::kSqrt:  // d sqrt(a) = da / (2 sqrt(a))
      give(0, [&] { return g.div(dy, g.mul(c(2.0), y)); });
      return;
    case Op::kCbrt:  // d cbrt(a) = da / (3 cbrt(a)^2)
      give(0, [&] { return g.div(dy, g.mul(c(3.0), g.mul(y, y))); });
      return;
    case Op::kSin:  // d sin(a) = cos(a) da
      give(0, [&] { return g.mul(g.make(Op::kCos, a), dy); });
      return;
    case Op::kCos:  // d cos(a) = -sin(a) da
      give(0, [&] { return g.mul(g.neg(g.make(Op::kSin, a)), dy); });
      return;
    case Op::kTan:  // d tan(a) = (1 + tan(a)^2) da
      give(0, [&] { return g.mul(g.add(c(1.0), g.mul(y, y)), dy); });
      return;
    case Op::kAsin:  // d asin(a) = da / sqrt(1 - a^2)
      give(0, [&] { return g.div(dy, g.make(Op::kSqrt, one_minus_square(g, a))); });
      return;
    case Op::kAcos:  // d acos(a) = -da / sqrt(1 - a^2)
      give(0, [&] { return g.div(g.neg(dy), g.make(Op::kSqrt, one_minus_square(g, a))); });
      return;
    case Op::kAtan:  // d atan(a) = da / (1 + a^2)
      give(0, [&] { return g.div(dy, g.add(c(1.0), g.mul(a, a))); });
      return;
    case Op::kSinh:  // d sinh(a) = cosh(a) da
      give(0, [&] { return g.mul(g.make(Op::kCosh, a), dy); });
      return;
    case Op::kCosh:  // d cosh(a) = sinh(a) da
      give(0, [&] { return g.mul(g.make(Op::kSinh, a), dy); });
      return;
    case Op::kTanh:  // d tanh(a) = (1 - tanh(a)^2) da
      give(0, [&] { return g.mul(g.sub(c(1.0), g.mul(y, y)), dy); });
      return;
    case Op::kAsinh:  // d asinh(a) = da / sqrt(a^2 + 1) = da / hypot(a, 1)
      // hypot, as a^2 + 1 would overflow past |a| = 1.3e154 (a gradient of
      // 0 where it is 1 / |a|).
      give(0, [&] { return g.div(dy, g.make(Op::kHypot, a, c(1.0))); });
      return;
    case Op::kAcosh:  // d acosh(a) = da / sqrt((a - 1)(a + 1))
      // Two square roots: (a - 1)(a + 1) would overflow past a = 1.3e154.
      give(0, [&] {
        return g.div(dy, g.mul(g.make(Op::kSqrt, g.sub(a, c(1.0))), g.make(Op::kSqrt, g.add(a, c(1.0)))));
      });
      return;
    case Op::kAtanh:  // d atanh(a) = da / (1 - a^2)
      give(0, [&] { return g.div(dy, one_minus_square(g, a)); });
      return;
    case Op::kErf:  // d erf(a) = 2/sqrt(pi) exp(-a^2) da
      give(0, [&] {
        return g.mul(g.mul(c(kTwoOverSqrtPi), g.make(Op::kExp, g.neg(g.mul(a, a)))), dy);
      });
      return;
    case Op::kAbs:  // d |a| = sign(a) da, which is 0 at the kink a = 0
      give(0, [&] { return g.mul(g.make(Op::kSign, a), dy); });
      return;
    case Op::kSigmoid:  // d sigmoid(a) = s (1 - s) da, with s = sigmoid(a)
      give(0, [&] { return g.mul(g.mul(y, g.sub(c(1.0), y)), dy); });
      return;
    case Op::kRelu:  // d relu(a) = da where a > 0, else 0 (also at the kink)
      give(0, [&] { return g.select(g.make(Op::kGt, a, c(0.0)), dy, c(0.0)); });
      return;
    case Op::kSoftplus:  // d softplus(a) = sigmoid(a) da
      give(0, [&] { return g.mul(g.make(Op::kSigmoid, a), dy); });
      return;
    case Op::kAtan2: {  // d atan2(a, b) = (b da - a db) / (a^2 + b^2)
      // With r = hypot(a, b): (b / r) (dy / r) and -(a / r) (dy / r). a^2 +
      // b^2 would overflow past 1.3e154 (a gradient of 0) and underflow
      // below 1.5e-154 (an infinite one); b / r is at most 1.
      const auto over_r = [&] { return g.div(dy, g.make(Op::kHypot, a, b)); };
      give(0, [&] { return g.mul(g.div(b, g.make(Op::kHypot, a, b)), over_r()); });
      give(1, [&] { return g.mul(g.neg(g.div(a, g.make(Op::kHypot, a, b))), over_r()); });
      return;
    }
    case Op::kHypot:    // d hypot(a, b) = (a da + b db) / hypot(a, b), 0 at the origin
    case Op::kHypot3: {  // d hypot(a, b, c) = (a da + b db + c dc) / hypot(a, b, c)
      // `y != 0`, not `y > 0`: only the origin gets 0; a NaN stays NaN.
      // (x / y) dy, not x (dy / y): x / y is at most 1, where dy / y
      // overflows for a tiny y (NaN at x = 0) and its derivative, in a
      // Hessian, goes as 1 / y^2.
      for (int i = 0; i < n.arity(); ++i) {
        const NodeId x = n.args[static_cast<std::size_t>(i)];
        give(i, [&] { return g.select(g.make(Op::kNe, y, c(0.0)), g.mul(g.div(x, y), dy), c(0.0)); });
      }
      return;
    }
    case Op::kFmod:  // d fmod(a, b) = da - trunc(a / b) db
      // fmod(a, b) = a - n b exactly, n = trunc(a / b) in exact arithmetic:
      // n is round((a - y) / b), whereas the rounded a / b can land on the
      // next integer (fmod(1, 0.1) is 1 - 9 * 0.1, but 1 / 0.1 is 10.0).
      give(0, [&] { return dy; });
      give(1, [&] { return g.mul(g.neg(g.make(Op::kRound, g.div(g.sub(a, y), b))), dy); });
      return;
    case Op::kMax: {  // max(a, b) is a unless a < b: dy goes to the one chosen
      const NodeId b_wins = g.make(Op::kLt, a, b);
      give(0, [&] { return g.select(b_wins, c(0.0), dy); });
      give(1, [&] { return g.select(b_wins, dy, c(0.0)); });
      return;
    }
    case Op::kMin: {  // min(a, b) is a unless b < a: dy goes to the one chosen
      const NodeId b_wins = g.make(Op::kLt, b, a);
      give(0, [&] { return g.select(b_wins, c(0.0), dy); });
      give(1, [&] { return g.select(b_wins, dy, c(0.0)); });
      return;
    }
    case Op::kLogaddexp:  // d log(e^a + e^b) = sigmoid(a - b) da + sigmoid(b - a) db
      // e^a / (e^a + e^b) = 1 / (1 + e^(b - a)): each input's share of the
      // sum, in (0, 1), never overflowing however large a and b are.
      give(0, [&] { return g.mul(g.make(Op::kSigmoid, g.sub(a, b)), dy); });
      give(1, [&] { return g.mul(g.make(Op::kSigmoid, g.sub(b, a)), dy); });
      return;
    case Op::kSelect:  // c ? a : b routes dy into the branch taken only
      give(1, [&] { return g.select(a, dy, c(0.0)); });
      give(2, [&] { return g.select(a, c(0.0), dy); });
      return;
  }
}

}  // namespace gradgen

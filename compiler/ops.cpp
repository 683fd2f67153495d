#include "ops.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>

// The helpers shared with generated code (gradgen::sigmoid, softplus, sign).
#include "emitted_helpers.hpp"

namespace gradgen {
namespace {

constexpr double kPi = 3.141592653589793;
constexpr double kE = 2.718281828459045;

constexpr ValueType N = ValueType::kNumber;
constexpr ValueType C = ValueType::kCondition;

}  // namespace

// Indexed by Op; checked against the enum by the static_assert below.
constexpr std::array<OpInfo, kOpCount> kOpInfo{{
    {"const", 0, N}, {"input", 0, N}, {"adjoint", 1, N}, {"seed", 0, N}, {"cotangent", 0, N},
    {"add", 2, N}, {"sub", 2, N}, {"mul", 2, N}, {"div", 2, N}, {"neg", 1, N}, {"pow", 2, N},
    {"exp", 1, N}, {"log", 1, N}, {"log2", 1, N}, {"log10", 1, N}, {"log1p", 1, N},
    {"expm1", 1, N}, {"sqrt", 1, N}, {"cbrt", 1, N},
    {"sin", 1, N}, {"cos", 1, N}, {"tan", 1, N}, {"asin", 1, N}, {"acos", 1, N},
    {"atan", 1, N}, {"sinh", 1, N}, {"cosh", 1, N}, {"tanh", 1, N}, {"asinh", 1, N},
    {"acosh", 1, N}, {"atanh", 1, N}, {"erf", 1, N},
    {"abs", 1, N}, {"sigmoid", 1, N}, {"relu", 1, N}, {"softplus", 1, N}, {"sign", 1, N},
    {"floor", 1, N}, {"ceil", 1, N}, {"round", 1, N}, {"trunc", 1, N},
    {"atan2", 2, N}, {"hypot", 2, N}, {"hypot3", 3, N}, {"fmod", 2, N}, {"max", 2, N},
    {"min", 2, N},
    {"lt", 2, C}, {"le", 2, C}, {"gt", 2, C}, {"ge", 2, C}, {"eq", 2, C}, {"ne", 2, C},
    {"and", 2, C}, {"or", 2, C}, {"not", 1, C},
    {"select", 3, N},
}};
static_assert(kOpInfo.size() == kOpCount);

double evaluate(Op op, const double* a) {
  switch (op) {
    case Op::kConst:
    case Op::kInput:
    case Op::kAdjoint:
    case Op::kSeed:
    case Op::kCotangent:
      assert(false && "leaves have no evaluation rule");
      return 0.0;
    case Op::kAdd: return a[0] + a[1];
    case Op::kSub: return a[0] - a[1];
    case Op::kMul: return a[0] * a[1];
    case Op::kDiv: return a[0] / a[1];
    case Op::kNeg: return -a[0];
    case Op::kPow: return std::pow(a[0], a[1]);
    case Op::kExp: return std::exp(a[0]);
    case Op::kLog: return std::log(a[0]);
    case Op::kLog2: return std::log2(a[0]);
    case Op::kLog10: return std::log10(a[0]);
    case Op::kLog1p: return std::log1p(a[0]);
    case Op::kExpm1: return std::expm1(a[0]);
    case Op::kSqrt: return std::sqrt(a[0]);
    case Op::kCbrt: return std::cbrt(a[0]);
    case Op::kSin: return std::sin(a[0]);
    case Op::kCos: return std::cos(a[0]);
    case Op::kTan: return std::tan(a[0]);
    case Op::kAsin: return std::asin(a[0]);
    case Op::kAcos: return std::acos(a[0]);
    case Op::kAtan: return std::atan(a[0]);
    case Op::kSinh: return std::sinh(a[0]);
    case Op::kCosh: return std::cosh(a[0]);
    case Op::kTanh: return std::tanh(a[0]);
    case Op::kAsinh: return std::asinh(a[0]);
    case Op::kAcosh: return std::acosh(a[0]);
    case Op::kAtanh: return std::atanh(a[0]);
    case Op::kErf: return std::erf(a[0]);
    case Op::kAbs: return std::fabs(a[0]);
    case Op::kSigmoid: return gradgen::sigmoid(a[0]);
    case Op::kRelu: return std::max(a[0], 0.0);
    case Op::kSoftplus: return gradgen::softplus(a[0]);
    case Op::kSign: return gradgen::sign(a[0]);
    case Op::kFloor: return std::floor(a[0]);
    case Op::kCeil: return std::ceil(a[0]);
    case Op::kRound: return std::round(a[0]);
    case Op::kTrunc: return std::trunc(a[0]);
    case Op::kAtan2: return std::atan2(a[0], a[1]);
    case Op::kHypot: return std::hypot(a[0], a[1]);
    case Op::kHypot3: return std::hypot(a[0], a[1], a[2]);
    case Op::kFmod: return std::fmod(a[0], a[1]);
    case Op::kMax: return std::max(a[0], a[1]);
    case Op::kMin: return std::min(a[0], a[1]);
    case Op::kLt: return a[0] < a[1] ? 1.0 : 0.0;
    case Op::kLe: return a[0] <= a[1] ? 1.0 : 0.0;
    case Op::kGt: return a[0] > a[1] ? 1.0 : 0.0;
    case Op::kGe: return a[0] >= a[1] ? 1.0 : 0.0;
    case Op::kEq: return a[0] == a[1] ? 1.0 : 0.0;
    case Op::kNe: return a[0] != a[1] ? 1.0 : 0.0;
    case Op::kAnd: return (a[0] != 0.0 && a[1] != 0.0) ? 1.0 : 0.0;
    case Op::kOr: return (a[0] != 0.0 || a[1] != 0.0) ? 1.0 : 0.0;
    case Op::kNot: return a[0] != 0.0 ? 0.0 : 1.0;
    case Op::kSelect: return a[0] != 0.0 ? a[1] : a[2];
  }
  return 0.0;
}

const std::vector<Builtin>& builtins() {
  static const std::vector<Builtin> table{
      {"exp", Op::kExp, 1, 1},         {"log", Op::kLog, 1, 1},
      {"log2", Op::kLog2, 1, 1},       {"log10", Op::kLog10, 1, 1},
      {"log1p", Op::kLog1p, 1, 1},     {"expm1", Op::kExpm1, 1, 1},
      {"sqrt", Op::kSqrt, 1, 1},       {"cbrt", Op::kCbrt, 1, 1},
      {"sin", Op::kSin, 1, 1},         {"cos", Op::kCos, 1, 1},
      {"tan", Op::kTan, 1, 1},         {"asin", Op::kAsin, 1, 1},
      {"acos", Op::kAcos, 1, 1},       {"atan", Op::kAtan, 1, 1},
      {"sinh", Op::kSinh, 1, 1},       {"cosh", Op::kCosh, 1, 1},
      {"tanh", Op::kTanh, 1, 1},       {"asinh", Op::kAsinh, 1, 1},
      {"acosh", Op::kAcosh, 1, 1},     {"atanh", Op::kAtanh, 1, 1},
      {"erf", Op::kErf, 1, 1},         {"abs", Op::kAbs, 1, 1},
      {"sigmoid", Op::kSigmoid, 1, 1}, {"sig", Op::kSigmoid, 1, 1},
      {"relu", Op::kRelu, 1, 1},       {"softplus", Op::kSoftplus, 1, 1},
      {"sign", Op::kSign, 1, 1},       {"floor", Op::kFloor, 1, 1},
      {"ceil", Op::kCeil, 1, 1},       {"round", Op::kRound, 1, 1},
      {"trunc", Op::kTrunc, 1, 1},     {"pow", Op::kPow, 2, 2},
      {"atan2", Op::kAtan2, 2, 2},     {"hypot", Op::kHypot, 2, 3},
      {"fmod", Op::kFmod, 2, 2},       {"max", Op::kMax, 2, -1},
      {"min", Op::kMin, 2, -1},
  };
  return table;
}

const Builtin* find_builtin(std::string_view name) {
  for (const Builtin& b : builtins()) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

std::optional<double> find_constant(std::string_view name) {
  if (name == "pi" || name == "Math.PI") return kPi;
  if (name == "Math.E") return kE;
  return std::nullopt;
}

}  // namespace gradgen

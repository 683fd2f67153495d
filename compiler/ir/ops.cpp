#include "compiler/ir/ops.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

// The helpers shared with generated code (gradgen::sigmoid, softplus, sign).
#include "compiler/emitted_helpers.hpp"

namespace gradgen {
namespace {

constexpr double kPi = 3.141592653589793;
constexpr double kE = 2.718281828459045;

constexpr ValueType N = ValueType::kNumber;
constexpr ValueType C = ValueType::kCondition;
using F = CppForm;
using T = Trouble;
namespace P = cpp_precedence;

}  // namespace

// One row per Op, in enum order: {op, name, arity, the most arguments as a
// function of the language (0: none), result, C++ form, C++
// spelling, precedence, right operand's precedence, helper, carries a
// gradient, infinite slope, trouble, dot label, explain's words, evaluate}.
constexpr std::array<OpInfo, kOpCount> kOpInfo{{
    {Op::kConst, "const", 0, 0, N, F::kLeaf, "", 0, 0, "", false, false,
     T::kNone, "const",
     "a leaf of the circuit: it has no inputs to pass the gradient to",
     nullptr},
    {Op::kInput, "input", 0, 0, N, F::kLeaf, "", 0, 0, "", false, false,
     T::kNone, "input",
     "a leaf of the circuit: it has no inputs to pass the gradient to",
     nullptr},
    {Op::kAdjoint, "adjoint", 1, 0, N, F::kLeaf, "", 0, 0, "", false, false,
     T::kNone, "adjoint",
     "a leaf of the circuit: it has no inputs to pass the gradient to",
     nullptr},
    {Op::kSeed, "seed", 0, 0, N, F::kLeaf, "", 0, 0, "", false, false,
     T::kNone, "seed",
     "a leaf of the circuit: it has no inputs to pass the gradient to",
     nullptr},
    {Op::kCotangent, "cotangent", 0, 0, N, F::kLeaf, "", 0, 0, "", false, false,
     T::kNone, "cotangent",
     "a leaf of the circuit: it has no inputs to pass the gradient to",
     nullptr},
    {Op::kAdd, "add", 2, 0, N, F::kAddSub, "", 0, 0, "", true, false,
     T::kNone, "+",
     "the + gate routes the gradient from above to both inputs, unchanged",
     [](const double* a) { return a[0] + a[1]; }},
    {Op::kSub, "sub", 2, 0, N, F::kAddSub, "", 0, 0, "", true, false,
     T::kNone, "-",
     "the - gate routes the gradient from above to its left input, and flips it for its right",
     [](const double* a) { return a[0] - a[1]; }},
    {Op::kMul, "mul", 2, 0, N, F::kMul, "", 0, 0, "", true, false,
     T::kNone, "*",
     "the * gate gives each input the other input's value times the gradient from above",
     [](const double* a) { return a[0] * a[1]; }},
    {Op::kDiv, "div", 2, 0, N, F::kInfix, "/", P::kMultiplicative, P::kMultiplicative + 1, "", true, true,
     T::kDivisor, "/",
     "the / gate pulls a/b's a with 1/b and its b with -a/b^2, times the gradient from above",
     [](const double* a) { return a[0] / a[1]; }},
    {Op::kNeg, "neg", 1, 0, N, F::kNeg, "", 0, 0, "", true, false,
     T::kNone, "negate",
     "negation flips the direction of the pull",
     [](const double* a) { return -a[0]; }},
    {Op::kPow, "pow", 2, 2, N, F::kPower, "std::pow", 0, 0, "", true, true,
     T::kPower, "^",
     "the power gate pulls a^b's a with b * a^(b-1) (and b with log(a) * a^b), times the gradient from above",
     [](const double* a) { return std::pow(a[0], a[1]); }},
    {Op::kExp, "exp", 1, 1, N, F::kCall, "std::exp", 0, 0, "", true, false,
     T::kNone, "exp",
     "exp's local gradient is its own output: the pull is scaled by it",
     [](const double* a) { return std::exp(a[0]); }},
    {Op::kLog, "log", 1, 1, N, F::kCall, "std::log", 0, 0, "", true, true,
     T::kBelowZero, "log",
     "log's local gradient is 1 / its input: the pull weakens where the input is large",
     [](const double* a) { return std::log(a[0]); }},
    {Op::kLog2, "log2", 1, 1, N, F::kCall, "std::log2", 0, 0, "", true, true,
     T::kBelowZero, "log2",
     "log2's local gradient is 1 / (input * ln 2)",
     [](const double* a) { return std::log2(a[0]); }},
    {Op::kLog10, "log10", 1, 1, N, F::kCall, "std::log10", 0, 0, "", true, true,
     T::kBelowZero, "log10",
     "log10's local gradient is 1 / (input * ln 10)",
     [](const double* a) { return std::log10(a[0]); }},
    {Op::kLog1p, "log1p", 1, 1, N, F::kCall, "std::log1p", 0, 0, "", true, true,
     T::kBelowMinusOne, "log1p",
     "log1p's local gradient is 1 / (1 + input)",
     [](const double* a) { return std::log1p(a[0]); }},
    {Op::kExpm1, "expm1", 1, 1, N, F::kCall, "std::expm1", 0, 0, "", true, false,
     T::kNone, "expm1",
     "expm1's local gradient is exp(input)",
     [](const double* a) { return std::expm1(a[0]); }},
    {Op::kSqrt, "sqrt", 1, 1, N, F::kCall, "std::sqrt", 0, 0, "", true, true,
     T::kBelowZero, "sqrt",
     "sqrt's local gradient is 1 / (2 * sqrt(input)), half over its output",
     [](const double* a) { return std::sqrt(a[0]); }},
    {Op::kCbrt, "cbrt", 1, 1, N, F::kCall, "std::cbrt", 0, 0, "", true, true,
     T::kNearZero, "cbrt",
     "cbrt's local gradient is 1 / (3 * cbrt(input)^2)",
     [](const double* a) { return std::cbrt(a[0]); }},
    {Op::kSin, "sin", 1, 1, N, F::kCall, "std::sin", 0, 0, "", true, false,
     T::kNone, "sin",
     "sin's local gradient is cos(input)",
     [](const double* a) { return std::sin(a[0]); }},
    {Op::kCos, "cos", 1, 1, N, F::kCall, "std::cos", 0, 0, "", true, false,
     T::kNone, "cos",
     "cos's local gradient is -sin(input)",
     [](const double* a) { return std::cos(a[0]); }},
    {Op::kTan, "tan", 1, 1, N, F::kCall, "std::tan", 0, 0, "", true, false,
     T::kNone, "tan",
     "tan's local gradient is 1 + tan(input)^2",
     [](const double* a) { return std::tan(a[0]); }},
    {Op::kAsin, "asin", 1, 1, N, F::kCall, "std::asin", 0, 0, "", true, true,
     T::kBeyondOne, "asin",
     "asin's local gradient is 1 / sqrt(1 - input^2)",
     [](const double* a) { return std::asin(a[0]); }},
    {Op::kAcos, "acos", 1, 1, N, F::kCall, "std::acos", 0, 0, "", true, true,
     T::kBeyondOne, "acos",
     "acos's local gradient is -1 / sqrt(1 - input^2)",
     [](const double* a) { return std::acos(a[0]); }},
    {Op::kAtan, "atan", 1, 1, N, F::kCall, "std::atan", 0, 0, "", true, false,
     T::kNone, "atan",
     "atan's local gradient is 1 / (1 + input^2)",
     [](const double* a) { return std::atan(a[0]); }},
    {Op::kSinh, "sinh", 1, 1, N, F::kCall, "std::sinh", 0, 0, "", true, false,
     T::kNone, "sinh",
     "sinh's local gradient is cosh(input)",
     [](const double* a) { return std::sinh(a[0]); }},
    {Op::kCosh, "cosh", 1, 1, N, F::kCall, "std::cosh", 0, 0, "", true, false,
     T::kNone, "cosh",
     "cosh's local gradient is sinh(input)",
     [](const double* a) { return std::cosh(a[0]); }},
    {Op::kTanh, "tanh", 1, 1, N, F::kCall, "std::tanh", 0, 0, "", true, false,
     T::kNone, "tanh",
     "tanh's local gradient is 1 - tanh(input)^2, one minus its output squared",
     [](const double* a) { return std::tanh(a[0]); }},
    {Op::kAsinh, "asinh", 1, 1, N, F::kCall, "std::asinh", 0, 0, "", true, false,
     T::kNone, "asinh",
     "asinh's local gradient is 1 / sqrt(input^2 + 1)",
     [](const double* a) { return std::asinh(a[0]); }},
    {Op::kAcosh, "acosh", 1, 1, N, F::kCall, "std::acosh", 0, 0, "", true, true,
     T::kBelowOne, "acosh",
     "acosh's local gradient is 1 / sqrt(input^2 - 1)",
     [](const double* a) { return std::acosh(a[0]); }},
    {Op::kAtanh, "atanh", 1, 1, N, F::kCall, "std::atanh", 0, 0, "", true, true,
     T::kBeyondOne, "atanh",
     "atanh's local gradient is 1 / (1 - input^2)",
     [](const double* a) { return std::atanh(a[0]); }},
    {Op::kErf, "erf", 1, 1, N, F::kCall, "std::erf", 0, 0, "", true, false,
     T::kNone, "erf",
     "erf's local gradient is 2/sqrt(pi) * exp(-input^2)",
     [](const double* a) { return std::erf(a[0]); }},
    {Op::kAbs, "abs", 1, 1, N, F::kCall, "std::fabs", 0, 0, "", true, false,
     T::kKink, "abs",
     "abs passes the pull where its input was positive and flips it where negative",
     [](const double* a) { return std::fabs(a[0]); }},
    {Op::kSigmoid, "sigmoid", 1, 1, N, F::kCall, "gradgen::sigmoid", 0, 0, "GRADGEN_HELPERS_V1", true, false,
     T::kNone, "sigmoid",
     "the sigmoid gate scales the gradient by its local slope s * (1 - s), s being its output",
     [](const double* a) { return gradgen::sigmoid(a[0]); }},
    {Op::kRelu, "relu", 1, 1, N, F::kRelu, "", 0, 0, "", true, false,
     T::kKink, "relu",
     "relu stops the gradient where its input was negative and lets it through where positive",
     [](const double* a) { return std::max(a[0], 0.0); }},
    {Op::kSoftplus, "softplus", 1, 1, N, F::kCall, "gradgen::softplus", 0, 0, "GRADGEN_HELPERS_V1", true, false,
     T::kNone, "softplus",
     "softplus's local gradient is sigmoid(input)",
     [](const double* a) { return gradgen::softplus(a[0]); }},
    {Op::kSign, "sign", 1, 1, N, F::kCall, "gradgen::sign", 0, 0, "GRADGEN_HELPERS_V1", false, false,
     T::kKink, "sign",
     "a step is flat almost everywhere: no gradient flows through it",
     [](const double* a) { return gradgen::sign(a[0]); }},
    {Op::kFloor, "floor", 1, 1, N, F::kCall, "std::floor", 0, 0, "", false, false,
     T::kStep, "floor",
     "a step is flat almost everywhere: no gradient flows through it",
     [](const double* a) { return std::floor(a[0]); }},
    {Op::kCeil, "ceil", 1, 1, N, F::kCall, "std::ceil", 0, 0, "", false, false,
     T::kStep, "ceil",
     "a step is flat almost everywhere: no gradient flows through it",
     [](const double* a) { return std::ceil(a[0]); }},
    {Op::kRound, "round", 1, 1, N, F::kCall, "std::round", 0, 0, "", false, false,
     T::kHalfStep, "round",
     "a step is flat almost everywhere: no gradient flows through it",
     [](const double* a) { return std::round(a[0]); }},
    {Op::kTrunc, "trunc", 1, 1, N, F::kCall, "std::trunc", 0, 0, "", false, false,
     T::kStep, "trunc",
     "a step is flat almost everywhere: no gradient flows through it",
     [](const double* a) { return std::trunc(a[0]); }},
    {Op::kAtan2, "atan2", 2, 2, N, F::kCall, "std::atan2", 0, 0, "", true, true,
     T::kOrigin, "atan2",
     "atan2(a, b) pulls a with b / (a^2 + b^2) and b with -a / (a^2 + b^2)",
     [](const double* a) { return std::atan2(a[0], a[1]); }},
    {Op::kHypot, "hypot", 2, 3, N, F::kCall, "std::hypot", 0, 0, "", true, false,
     T::kOrigin, "hypot",
     "hypot pulls each input with that input / the output (the length)",
     [](const double* a) { return std::hypot(a[0], a[1]); }},
    {Op::kHypot3, "hypot3", 3, 0, N, F::kCall, "std::hypot", 0, 0, "", true, false,
     T::kNone, "hypot",
     "hypot pulls each input with that input / the output (the length)",
     [](const double* a) { return std::hypot(a[0], a[1], a[2]); }},
    {Op::kFmod, "fmod", 2, 2, N, F::kCall, "std::fmod", 0, 0, "", true, false,
     T::kFmod, "fmod",
     "fmod(a, b) passes the pull to a, and to b times -trunc(a / b)",
     [](const double* a) { return std::fmod(a[0], a[1]); }},
    {Op::kMax, "max", 2, -1, N, F::kCall, "std::max", 0, 0, "", true, false,
     T::kTie, "max",
     "max is a switch: the gradient goes to the larger input, the other gets nothing",
     [](const double* a) { return std::max(a[0], a[1]); }},
    {Op::kMin, "min", 2, -1, N, F::kCall, "std::min", 0, 0, "", true, false,
     T::kTie, "min",
     "min is a switch: the gradient goes to the smaller input, the other gets nothing",
     [](const double* a) { return std::min(a[0], a[1]); }},
    {Op::kLogaddexp, "logaddexp", 2, 2, N, F::kCall, "gradgen::logaddexp", 0, 0, "GRADGEN_HELPER_LOGADDEXP", true,
     false, T::kNone, "logaddexp",
     "logaddexp(a, b) pulls a with sigmoid(a - b) and b with sigmoid(b - a): each input's share of e^a + e^b",
     [](const double* a) { return gradgen::logaddexp(a[0], a[1]); }},
    {Op::kLt, "lt", 2, 0, C, F::kInfix, "<", P::kRelational, P::kAdditive, "", false, false,
     T::kTie, "<",
     "conditions carry no gradient",
     [](const double* a) { return a[0] < a[1] ? 1.0 : 0.0; }},
    {Op::kLe, "le", 2, 0, C, F::kInfix, "<=", P::kRelational, P::kAdditive, "", false, false,
     T::kTie, "<=",
     "conditions carry no gradient",
     [](const double* a) { return a[0] <= a[1] ? 1.0 : 0.0; }},
    {Op::kGt, "gt", 2, 0, C, F::kInfix, ">", P::kRelational, P::kAdditive, "", false, false,
     T::kTie, ">",
     "conditions carry no gradient",
     [](const double* a) { return a[0] > a[1] ? 1.0 : 0.0; }},
    {Op::kGe, "ge", 2, 0, C, F::kInfix, ">=", P::kRelational, P::kAdditive, "", false, false,
     T::kTie, ">=",
     "conditions carry no gradient",
     [](const double* a) { return a[0] >= a[1] ? 1.0 : 0.0; }},
    {Op::kEq, "eq", 2, 0, C, F::kInfix, "==", P::kEquality, P::kAdditive, "", false, false,
     T::kTie, "==",
     "conditions carry no gradient",
     [](const double* a) { return a[0] == a[1] ? 1.0 : 0.0; }},
    {Op::kNe, "ne", 2, 0, C, F::kInfix, "!=", P::kEquality, P::kAdditive, "", false, false,
     T::kTie, "!=",
     "conditions carry no gradient",
     [](const double* a) { return a[0] != a[1] ? 1.0 : 0.0; }},
    {Op::kAnd, "and", 2, 0, C, F::kInfix, "&&", P::kAnd, P::kAnd + 1, "", false, false,
     T::kNone, "&&",
     "conditions carry no gradient",
     [](const double* a) { return (a[0] != 0.0 && a[1] != 0.0) ? 1.0 : 0.0; }},
    {Op::kOr, "or", 2, 0, C, F::kOr, "", 0, 0, "", false, false,
     T::kNone, "||",
     "conditions carry no gradient",
     [](const double* a) { return (a[0] != 0.0 || a[1] != 0.0) ? 1.0 : 0.0; }},
    {Op::kNot, "not", 1, 0, C, F::kNot, "", 0, 0, "", false, false,
     T::kNone, "!",
     "conditions carry no gradient",
     [](const double* a) { return a[0] != 0.0 ? 0.0 : 1.0; }},
    {Op::kSelect, "select", 3, 0, N, F::kSelect, "", 0, 0, "", true, false,
     T::kNone, "? :",
     "c ? a : b is a switch: the gradient goes to the branch that was taken",
     [](const double* a) { return a[0] != 0.0 ? a[1] : a[2]; }},
}};

namespace {

// Row i is Op i: a row left out or moved fails to compile (a missing last
// row is value-initialised, its op kConst). That a row has its evaluator is
// checked by tests/test_ops.cpp: a function pointer is not a constant under
// the sanitizers.
constexpr bool rows_in_enum_order() {
  for (std::size_t i = 0; i < kOpInfo.size(); ++i) {
    if (static_cast<std::size_t>(kOpInfo[i].op) != i) return false;
    if (kOpInfo[i].name.empty() || kOpInfo[i].words.empty() || kOpInfo[i].label.empty()) return false;
  }
  return true;
}
static_assert(rows_in_enum_order(), "kOpInfo: one row per Op, in enum order, each complete");

}  // namespace

const std::vector<Builtin>& builtins() {
  // The functions of the op table, and the guide's other spellings.
  constexpr std::pair<std::string_view, Op> kAliases[] = {{"sig", Op::kSigmoid}};
  static const std::vector<Builtin> table = [&] {
    std::vector<Builtin> out;
    for (const OpInfo& row : kOpInfo) {
      if (row.max_args == 0) continue;
      out.push_back({row.name, row.op, row.arity, row.max_args});
      for (const auto& [alias, op] : kAliases) {
        if (op == row.op) out.push_back({alias, op, row.arity, row.max_args});
      }
    }
    return out;
  }();
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

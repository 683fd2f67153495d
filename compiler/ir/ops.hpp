// The operations of gradgen's IR and the built-in functions of the language.
//
// One row per operation in ops.cpp holds every fact about it that is data:
// its name and arity, whether it yields a number or a condition, how C++
// spells it, whether a gradient flows through it, where it is not smooth,
// its rule in words and how to evaluate it. That table drives constant
// folding, the reference evaluator, the dumps, the printer, the sampling of
// check points, `explain` and `dot`. The language's function table
// (name -> operation, number of arguments) drives the semantic checks. The
// local derivatives, which are code, live in derivatives.cpp, a switch over
// Op with no default, so that -Wswitch names the one rule a new operation
// needs. Adding a function: an enum entry, a row, a rule (docs/architecture.md).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace gradgen {

enum class Op : std::uint8_t {
  // leaves
  kConst, kInput,
  kAdjoint,  // the adjoint (gradient) of an earlier node; see reverse.hpp
  kSeed,     // one input's component of a forward-mode direction; see forward.hpp
  kCotangent,  // one output's weight in a vector-Jacobian product; see reverse.hpp
  // arithmetic
  kAdd, kSub, kMul, kDiv, kNeg, kPow,
  // functions of one argument
  kExp, kLog, kLog2, kLog10, kLog1p, kExpm1, kSqrt, kCbrt,
  kSin, kCos, kTan, kAsin, kAcos, kAtan, kSinh, kCosh, kTanh, kAsinh, kAcosh, kAtanh, kErf,
  kAbs, kSigmoid, kRelu, kSoftplus, kSign, kFloor, kCeil, kRound, kTrunc,
  // functions of two or three arguments
  kAtan2, kHypot, kHypot3, kFmod, kMax, kMin, kLogaddexp,
  // conditions
  kLt, kLe, kGt, kGe, kEq, kNe, kAnd, kOr, kNot,
  // c ? a : b
  kSelect,
};
inline constexpr int kOpCount = static_cast<int>(Op::kSelect) + 1;

enum class ValueType : std::uint8_t { kNumber, kCondition };

// C++'s operator precedence, loosest first: the printer (cpp_expr.cpp)
// parenthesises an operand looser than its place allows.
namespace cpp_precedence {
enum : int { kTernary = 1, kOr, kAnd, kEquality, kRelational, kAdditive, kMultiplicative, kUnary, kPrimary };
}  // namespace cpp_precedence

// How the C++ printer (cpp_expr.cpp) writes a gate: most are a call of the
// row's `cpp` function; the others have a form of their own.
enum class CppForm : std::uint8_t {
  kLeaf,      // a name or a number (const, input, adjoint, seed, cotangent)
  kCall,      // cpp(a, b, ...)
  kInfix,     // a cpp b, at the row's precedence
  kAddSub,    // a + b, a - b (a + -t * u becomes a - t * u)
  kMul,       // a * b (b * -dy becomes -b * dy)
  kNeg,       // -a
  kPower,     // a^b: products for small integer powers, else std::pow
  kRelu,      // std::max(a, T(0))
  kOr,        // a || b, with && inside parenthesised
  kNot,       // !a
  kSelect,    // c ? a : b
};

// Where a gate is not smooth or leaves its domain, for choosing the points
// at which `gradgen check` compares with numerical differences (sampling.cpp).
enum class Trouble : std::uint8_t {
  kNone,          // smooth wherever it is finite
  kBelowZero,     // a near or below 0 (log, sqrt)
  kNearZero,      // a near 0 (cbrt's infinite slope)
  kBelowMinusOne, // a near or below -1 (log1p)
  kBeyondOne,     // |a| near or beyond 1 (asin, acos, atanh)
  kBelowOne,      // a near or below 1 (acosh)
  kPower,         // a^b: a base near or below 0 (or near 0 for negative powers)
  kDivisor,       // b near 0
  kFmod,          // b near 0, or a jump of fmod
  kOrigin,        // (a, b) near the origin (atan2, hypot)
  kKink,          // a near 0 (abs, sign, relu)
  kStep,          // a near an integer (floor, ceil, trunc)
  kHalfStep,      // a near an integer + 1/2 (round)
  kTie,           // a near b (max, min, comparisons)
};

// Everything about an operation that is data, one row per Op in enum order
// (ops.cpp checks the order at compile time). What is code -- its local
// derivative -- is in derivatives.cpp, one case per Op.
struct OpInfo {
  Op op;                   // the row's own operation: rows are in enum order
  std::string_view name;   // in dumps and messages; a function's name in the language
  int arity;
  // A function of the language (`name(...)`, `Math.name(...)`) takes from
  // arity to max_args arguments (-1: any number, folded pairwise); 0: the
  // operation is no function of the language (operators, leaves, hypot3).
  int max_args;
  ValueType result;
  CppForm form;
  std::string_view cpp;    // kCall: the function ("std::exp"); kInfix: the operator
  int precedence;          // kInfix: the operator's precedence (cpp_precedence), and
  int right_precedence;    // the least its right operand may have unparenthesised
  std::string_view helper; // cpp is one of gradgen's helpers: the guard of its block in
                           // emitted_helpers.hpp, which headers that call it include

  bool carries_gradient;   // a gradient flows through it (not leaves, steps, conditions)
  bool infinite_slope;     // its local derivative can be infinite where its value is finite
  Trouble trouble;
  std::string_view label;  // the gate's label in `gradgen dot`
  std::string_view words;  // its local rule in words, for `gradgen explain`
  double (*evaluate)(const double* args);  // nullptr for leaves
};

// The rows of ops.cpp, indexed by Op. Declared here so that op_info, asked
// for every node of every pass, inlines.
extern const std::array<OpInfo, kOpCount> kOpInfo;
inline const OpInfo& op_info(Op op) { return kOpInfo[static_cast<std::size_t>(op)]; }

// Leaves have no operands to evaluate: constants, inputs, and the adjoint,
// seed and cotangent placeholders of the sweeps.
inline bool is_leaf(Op op) { return op_info(op).form == CppForm::kLeaf; }

// Evaluates a numeric operation on numbers (conditions are 0 or 1). Total:
// every operation of the language has a value for every argument, possibly
// NaN or infinite, exactly as the emitted C++ computes it. Not for leaves.
inline double evaluate(Op op, const double* args) { return op_info(op).evaluate(args); }

// A function of the language: `name(args)` or `Math.name(args)`.
struct Builtin {
  std::string_view name;
  Op op;
  int min_args;
  int max_args;  // -1: no upper bound
};

const std::vector<Builtin>& builtins();
const Builtin* find_builtin(std::string_view name);

// pi, Math.PI and Math.E.
std::optional<double> find_constant(std::string_view name);

}  // namespace gradgen

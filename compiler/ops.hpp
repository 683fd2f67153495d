// The operations of gradgen's IR and the built-in functions of the language.
//
// One row per operation in ops.cpp says its name, its arity, whether it yields
// a number or a condition, and how to evaluate it; that table drives constant
// folding, the reference evaluator and the dumps. The language's function
// table (name -> operation, number of arguments) drives the semantic checks.
// Local derivatives live in derivatives.cpp and C++ spellings in
// emit_cpp.cpp, each a switch over Op with no default, so that -Wswitch
// names every place a new operation must be added.
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
  kAtan2, kHypot, kHypot3, kFmod, kMax, kMin,
  // conditions
  kLt, kLe, kGt, kGe, kEq, kNe, kAnd, kOr, kNot,
  // c ? a : b
  kSelect,
};
inline constexpr int kOpCount = static_cast<int>(Op::kSelect) + 1;

enum class ValueType : std::uint8_t { kNumber, kCondition };

struct OpInfo {
  std::string_view name;  // for dumps
  int arity;
  ValueType result;
};

// The rows of ops.cpp, indexed by Op. Declared here so that op_info, asked
// for every node of every pass, inlines.
extern const std::array<OpInfo, kOpCount> kOpInfo;
inline const OpInfo& op_info(Op op) { return kOpInfo[static_cast<std::size_t>(op)]; }

// Evaluates a numeric operation on numbers (conditions are 0 or 1). Total:
// every operation of the language has a value for every argument, possibly
// NaN or infinite, exactly as the emitted C++ computes it.
double evaluate(Op op, const double* args);

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

#include "cpp_expr.hpp"

#include <cassert>
#include <cfloat>
#include <cmath>

#include <fmt/format.h>

namespace gradgen {
namespace {

// C++ precedence, loosest first.
enum Precedence : int {
  kTernary = 1, kOr, kAnd, kEquality, kRelational, kAdditive, kMultiplicative, kUnary, kPrimary,
};

std::size_t at(NodeId id) { return static_cast<std::size_t>(id); }

// Shortest text that reads back as `value`, always with a '.' or exponent.
std::string number_text(std::string text) {
  if (text.find_first_of(".eE") == std::string::npos) text += ".0";
  return text;
}

}  // namespace

std::string ExprPrinter::scalar() const {
  switch (type_) {
    case ScalarType::kFloat: return "float";
    case ScalarType::kDouble: return "double";
    case ScalarType::kLongDouble: return "long double";
  }
  return "double";
}

std::string ExprPrinter::literal(double value) const {
  switch (type_) {
    case ScalarType::kFloat: {
      if (std::fabs(value) > static_cast<double>(FLT_MAX)) {
        return value > 0 ? "HUGE_VALF" : "-HUGE_VALF";
      }
      return number_text(fmt::format("{}", static_cast<float>(value))) + "f";
    }
    case ScalarType::kDouble: return number_text(fmt::format("{}", value));
    case ScalarType::kLongDouble: return number_text(fmt::format("{}", value)) + "L";
  }
  return "";
}

std::string ExprPrinter::operand(NodeId id, int min_precedence) {
  Printed p = print(id);
  if (p.precedence >= min_precedence) return std::move(p.text);
  return "(" + p.text + ")";
}

ExprPrinter::Printed ExprPrinter::print(NodeId id) {
  const Node& n = g_[id];
  if (n.op == Op::kInput) inputs_used[at(n.index)] = 1;
  if (n.op == Op::kSeed) seeds_used[at(n.index)] = 1;
  if (n.op == Op::kCotangent) cotangents_used[at(n.index)] = 1;
  if (layout_->is_line[at(id)] || n.op == Op::kInput || n.op == Op::kSeed || n.op == Op::kCotangent) {
    return {layout_->name[at(id)], kPrimary};
  }
  if (n.op == Op::kAdjoint) {
    const NodeId of = n.args[0];
    if (!layout_->adjoint[at(of)].empty()) return {layout_->adjoint[at(of)], kPrimary};
    return print(layout_->inflow[at(of)]);  // an inline gate: the gradient flowing in
  }
  return spell(id);
}

std::string ExprPrinter::definition(NodeId id) { return spell(id).text; }

std::string ExprPrinter::gradient(NodeId value) {
  bool negated = false;
  NodeId v = value;
  for (;;) {
    const Node& n = g_[v];
    if (n.op == Op::kNeg && !layout_->is_line[at(v)]) {
      negated = !negated;
      v = n.args[0];
    } else if (n.op == Op::kAdjoint && layout_->adjoint[at(n.args[0])].empty()) {
      v = layout_->inflow[at(n.args[0])];
    } else {
      break;
    }
  }
  if (g_[v].op != Op::kAdjoint) return (*this)(value);
  return fmt::format("{} * {}", literal(negated ? -1.0 : 1.0), (*this)(v));
}

ExprPrinter::Printed ExprPrinter::infix(NodeId a, const char* op, NodeId b, int precedence,
                                        int right_precedence) {
  return {fmt::format("{} {} {}", operand(a, precedence), op, operand(b, right_precedence)),
          precedence};
}

ExprPrinter::Printed ExprPrinter::call(const char* function, const Node& n) {
  std::string text = fmt::format("{}(", function);
  for (int i = 0; i < n.arity(); ++i) {
    if (i > 0) text += ", ";
    text += operand(n.args[at(i)], kTernary);
  }
  return {text + ")", kPrimary};
}

ExprPrinter::Printed ExprPrinter::power(const Node& n) {
  const NodeId a = n.args[0];
  const Node& k = g_[n.args[1]];
  if (k.op == Op::kConst) {
    const std::string x = operand(a, kMultiplicative + 1);
    if (k.value == 2.0) return {fmt::format("{} * {}", x, x), kMultiplicative};
    if (k.value == 3.0) return {fmt::format("{} * {} * {}", x, x, x), kMultiplicative};
    if (k.value == -1.0) return {fmt::format("{} / {}", literal(1.0), x), kMultiplicative};
    if (k.value == -2.0) return {fmt::format("{} / ({} * {})", literal(1.0), x, x), kMultiplicative};
  }
  return call("std::pow", n);
}

ExprPrinter::Printed ExprPrinter::spell(NodeId id) {
  const Node& n = g_[id];
  const NodeId a = n.args[0];
  const NodeId b = n.args[1];
  switch (n.op) {
    case Op::kConst: {
      std::string text = literal(n.value);
      const int precedence = text[0] == '-' ? kUnary : kPrimary;
      return {std::move(text), precedence};
    }
    case Op::kInput:
    case Op::kAdjoint:
    case Op::kSeed:
    case Op::kCotangent:
      return print(id);
    case Op::kAdd: return infix(a, "+", b, kAdditive, kAdditive + 1);
    case Op::kSub: return infix(a, "-", b, kAdditive, kAdditive + 1);
    case Op::kMul: {
      // b * -dy reads better as -b * dy (the same number: negation is exact).
      std::string left = operand(a, kMultiplicative);
      std::string right = operand(b, kMultiplicative + 1);
      if (right[0] == '-' && left[0] != '-') {
        return {fmt::format("-{} * {}", left, right.substr(1)), kMultiplicative};
      }
      return {fmt::format("{} * {}", left, right), kMultiplicative};
    }
    case Op::kDiv: return infix(a, "/", b, kMultiplicative, kMultiplicative + 1);
    case Op::kNeg: {
      std::string x = operand(a, kUnary);
      if (x[0] == '-') x = "(" + x + ")";  // never `--x`
      return {"-" + x, kUnary};
    }
    case Op::kPow: return power(n);
    case Op::kExp: return call("std::exp", n);
    case Op::kLog: return call("std::log", n);
    case Op::kLog2: return call("std::log2", n);
    case Op::kLog10: return call("std::log10", n);
    case Op::kLog1p: return call("std::log1p", n);
    case Op::kExpm1: return call("std::expm1", n);
    case Op::kSqrt: return call("std::sqrt", n);
    case Op::kCbrt: return call("std::cbrt", n);
    case Op::kSin: return call("std::sin", n);
    case Op::kCos: return call("std::cos", n);
    case Op::kTan: return call("std::tan", n);
    case Op::kAsin: return call("std::asin", n);
    case Op::kAcos: return call("std::acos", n);
    case Op::kAtan: return call("std::atan", n);
    case Op::kSinh: return call("std::sinh", n);
    case Op::kCosh: return call("std::cosh", n);
    case Op::kTanh: return call("std::tanh", n);
    case Op::kAsinh: return call("std::asinh", n);
    case Op::kAcosh: return call("std::acosh", n);
    case Op::kAtanh: return call("std::atanh", n);
    case Op::kErf: return call("std::erf", n);
    case Op::kAbs: return call("std::fabs", n);
    case Op::kSigmoid: uses_helpers = true; return call("gradgen::sigmoid", n);
    case Op::kSoftplus: uses_helpers = true; return call("gradgen::softplus", n);
    case Op::kSign: uses_helpers = true; return call("gradgen::sign", n);
    case Op::kRelu:
      return {fmt::format("std::max({}, {})", operand(a, kTernary), literal(0.0)), kPrimary};
    case Op::kFloor: return call("std::floor", n);
    case Op::kCeil: return call("std::ceil", n);
    case Op::kRound: return call("std::round", n);
    case Op::kTrunc: return call("std::trunc", n);
    case Op::kAtan2: return call("std::atan2", n);
    case Op::kHypot: return call("std::hypot", n);
    case Op::kHypot3: return call("std::hypot", n);
    case Op::kFmod: return call("std::fmod", n);
    case Op::kMax: return call("std::max", n);
    case Op::kMin: return call("std::min", n);
    case Op::kLt: return infix(a, "<", b, kRelational, kAdditive);
    case Op::kLe: return infix(a, "<=", b, kRelational, kAdditive);
    case Op::kGt: return infix(a, ">", b, kRelational, kAdditive);
    case Op::kGe: return infix(a, ">=", b, kRelational, kAdditive);
    case Op::kEq: return infix(a, "==", b, kEquality, kAdditive);
    case Op::kNe: return infix(a, "!=", b, kEquality, kAdditive);
    // && inside || always gets parentheses (-Wparentheses asks for them).
    case Op::kAnd: return infix(a, "&&", b, kAnd, kAnd + 1);
    case Op::kOr:
      return {fmt::format("{} || {}", operand(a, kAnd + 1), operand(b, kAnd + 1)), kOr};
    case Op::kNot: return {"!" + operand(a, kUnary), kUnary};
    case Op::kSelect:
      return {fmt::format("{} ? {} : {}", operand(a, kOr), operand(b, kTernary + 1),
                          operand(n.args[2], kTernary + 1)),
              kTernary};
  }
  assert(false && "unknown operation");
  return {"", kPrimary};
}

}  // namespace gradgen

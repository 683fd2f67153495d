#include "compiler/emit/cpp_expr.hpp"

#include <algorithm>
#include <cassert>
#include <cfloat>
#include <cmath>
#include <utility>

#include <fmt/format.h>

namespace gradgen {
namespace {

using namespace cpp_precedence;

// Appends the shortest text that reads back as `value`, always with a '.' or
// an exponent.
template <typename T>
void append_number(std::string& out, T value) {
  char text[64];
  const auto written = fmt::format_to_n(text, sizeof text, "{}", value);
  const std::string_view number(text, std::min(written.size, sizeof text));
  out += number;
  if (number.find_first_of(".eE") == std::string_view::npos) out += ".0";
}

// The long double spelling of the mathematical constants gradgen's graphs
// hold as doubles (pi and e, and the ln 2, ln 10 and 2 / sqrt(pi) of the
// derivative rules), or nullptr: a long double header gets them to its own
// precision, not to a double's.
const char* long_double_constant(double magnitude) {
  static const std::pair<double, const char*> kConstants[] = {
      {3.141592653589793, "3.14159265358979323846264338327950288"},
      {2.718281828459045, "2.71828182845904523536028747135266250"},
      {0.6931471805599453, "0.693147180559945309417232121458176568"},
      {2.302585092994046, "2.30258509299404568401799145468436421"},
      {1.1283791670955126, "1.12837916709551257389615890312154517"},
  };
  for (const auto& [value, spelling] : kConstants) {
    if (magnitude == value) return spelling;
  }
  return nullptr;
}

}  // namespace

const char* ExprPrinter::scalar() const {
  switch (type_) {
    case ScalarType::kFloat: return "float";
    case ScalarType::kDouble: return "double";
    case ScalarType::kLongDouble: return "long double";
  }
  return "double";
}

void ExprPrinter::literal(std::string& out, double value) const {
  switch (type_) {
    case ScalarType::kFloat:
      if (std::fabs(value) > static_cast<double>(FLT_MAX)) {
        out += value > 0 ? "HUGE_VALF" : "-HUGE_VALF";
        return;
      }
      append_number(out, static_cast<float>(value));
      out += 'f';
      return;
    case ScalarType::kDouble: append_number(out, value); return;
    case ScalarType::kLongDouble:
      if (const char* constant = long_double_constant(std::fabs(value))) {
        if (value < 0) out += '-';
        out += constant;
      } else {
        append_number(out, value);
      }
      out += 'L';
      return;
  }
}

std::string ExprPrinter::literal(double value) const {
  std::string out;
  literal(out, value);
  return out;
}

std::string ExprPrinter::definition(NodeId id) {
  std::string out;
  spell(out, id);
  return out;
}

std::string ExprPrinter::operator()(NodeId id) {
  std::string out;
  print(out, id);
  return out;
}

std::string ExprPrinter::gradient(NodeId value) {
  std::string out;
  gradient(out, value);
  return out;
}

void ExprPrinter::operand(std::string& out, NodeId id, int min_precedence) {
  const std::size_t start = out.size();
  if (print(out, id) >= min_precedence) return;
  out.insert(start, 1, '(');  // moves only this operand's text
  out += ')';
}

int ExprPrinter::print(std::string& out, NodeId id) {
  const Node& n = g_[id];
  if (n.op == Op::kInput) inputs_used[at(n.index)] = 1;
  if (n.op == Op::kSeed) seeds_used[at(n.index)] = 1;
  if (n.op == Op::kCotangent) cotangents_used[at(n.index)] = 1;
  if (layout_->is_line[at(id)] || n.op == Op::kInput || n.op == Op::kSeed || n.op == Op::kCotangent) {
    out += layout_->name[at(id)];
    if (facts_ != nullptr) {
      if (n.op == Op::kCotangent) {
        facts_->name_parameter();  // out_bar[k]
      } else {
        facts_->read(id);
      }
    }
    return kPrimary;
  }
  if (n.op == Op::kAdjoint) {
    const NodeId of = n.args[0];
    if (!layout_->adjoint[at(of)].empty()) {
      out += layout_->adjoint[at(of)];
      if (facts_ != nullptr) facts_->read(adjoint_key(of));
      return kPrimary;
    }
    return print(out, layout_->inflow[at(of)]);  // an inline gate: the gradient flowing in
  }
  return spell(out, id);
}

void ExprPrinter::gradient(std::string& out, NodeId value) {
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
  if (g_[v].op != Op::kAdjoint) {
    print(out, value);
    return;
  }
  literal(out, negated ? -1.0 : 1.0);
  out += " * ";
  print(out, v);
}

int ExprPrinter::infix(std::string& out, NodeId a, const char* op, NodeId b, int precedence,
                       int right_precedence) {
  operand(out, a, precedence);
  out += ' ';
  out += op;
  out += ' ';
  operand(out, b, right_precedence);
  return precedence;
}

int ExprPrinter::call(std::string& out, const char* function, const Node& n) {
  out += function;
  out += '(';
  for (int i = 0; i < n.arity(); ++i) {
    if (i > 0) out += ", ";
    operand(out, n.args[at(i)], kTernary);
  }
  out += ')';
  return kPrimary;
}

namespace {

// x^n as products, for 2 <= n <= kMaxProductPower: x * x, x * x * x, and
// squares of those for the even powers ((x * x) * (x * x) is x^4), times one
// more x for the odd ones. The C++ compiler computes a repeated square once.
void append_product_power(std::string& out, const std::string& x, int n) {
  if (n == 1) {
    out += x;
  } else if (n == 2 || n == 3) {
    out += x;
    for (int i = 1; i < n; ++i) out += " * " + x;
  } else if (n % 2 == 0) {
    for (int i = 0; i < 2; ++i) {
      out += i == 0 ? "(" : " * (";
      append_product_power(out, x, n / 2);
      out += ')';
    }
  } else {
    append_product_power(out, x, n - 1);
    out += " * " + x;
  }
}

}  // namespace

int ExprPrinter::power(std::string& out, const Node& n) {
  const NodeId a = n.args[0];
  const Node& k = g_[n.args[1]];
  if (k.op != Op::kConst) return call(out, "std::pow", n);
  const bool products = k.value >= 2.0 && k.value <= kMaxProductPower && k.value == std::floor(k.value);
  // 1 / x and 1 / (x * x) too. Past that, 1 / (x * ... * x) would be 0
  // where x^k overflows but the exact 1 / x^k is a subnormal number.
  const bool reciprocal = k.value == -1.0 || k.value == -2.0;
  if (!products && !reciprocal) return call(out, "std::pow", n);
  std::string x;
  operand(x, a, kMultiplicative + 1);
  if (products) {
    append_product_power(out, x, static_cast<int>(k.value));
  } else {
    literal(out, 1.0);
    out += " / ";
    if (k.value == -1.0) {
      out += x;
    } else {
      out += '(';
      append_product_power(out, x, 2);
      out += ')';
    }
  }
  return kMultiplicative;
}

int ExprPrinter::spell(std::string& out, NodeId id) {
  const Node& n = g_[id];
  const OpInfo& info = op_info(n.op);
  const NodeId a = n.args[0];
  const NodeId b = n.args[1];
  switch (info.form) {
    case CppForm::kLeaf:
      if (n.op != Op::kConst) return print(out, id);
      {
        const std::size_t start = out.size();
        literal(out, n.value);
        return out[start] == '-' ? kUnary : kPrimary;
      }
    case CppForm::kCall:
      if (!info.helper.empty() && std::find(helpers.begin(), helpers.end(), info.helper) == helpers.end()) {
        helpers.push_back(info.helper);
      }
      return call(out, info.cpp.data(), n);
    case CppForm::kInfix: return infix(out, a, info.cpp.data(), b, info.precedence, info.right_precedence);
    case CppForm::kAddSub: {
      // a + -t * u reads better as a - t * u, and a - -t * u as a + t * u:
      // the same numbers, since negation is exact and IEEE defines a - y as
      // a + (-y). A right operand that starts with '-' is a product,
      // quotient, negation or negative constant (anything looser is in
      // parentheses), and its '-' negates exactly that.
      operand(out, a, kAdditive);
      out += n.op == Op::kAdd ? " + " : " - ";
      const std::size_t sign = out.size() - 2;
      const std::size_t right = out.size();
      operand(out, b, kAdditive + 1);
      if (out[right] == '-') {
        out.erase(right, 1);
        out[sign] = n.op == Op::kAdd ? '-' : '+';
      }
      return kAdditive;
    }
    case CppForm::kMul: {
      // b * -dy reads better as -b * dy (the same number: negation is exact).
      const std::size_t left = out.size();
      operand(out, a, kMultiplicative);
      out += " * ";
      const std::size_t right = out.size();
      operand(out, b, kMultiplicative + 1);
      if (out[right] == '-' && out[left] != '-') {
        out.erase(right, 1);
        out.insert(left, 1, '-');
      }
      return kMultiplicative;
    }
    case CppForm::kNeg: {
      out += '-';
      const std::size_t x = out.size();
      operand(out, a, kUnary);
      if (out[x] == '-') {  // never `--x`
        out.insert(x, 1, '(');
        out += ')';
      }
      return kUnary;
    }
    case CppForm::kPower: return power(out, n);
    case CppForm::kRelu:
      out += "std::max(";
      operand(out, a, kTernary);
      out += ", ";
      literal(out, 0.0);
      out += ')';
      return kPrimary;
    // && inside || always gets parentheses (-Wparentheses asks for them).
    case CppForm::kOr:
      operand(out, a, kAnd + 1);
      out += " || ";
      operand(out, b, kAnd + 1);
      return kOr;
    case CppForm::kNot:
      out += '!';
      operand(out, a, kUnary);
      return kUnary;
    case CppForm::kSelect:
      operand(out, a, kOr);
      out += " ? ";
      operand(out, b, kTernary + 1);
      out += " : ";
      operand(out, n.args[2], kTernary + 1);
      return kTernary;
  }
  assert(false && "unknown operation");
  return kPrimary;
}

}  // namespace gradgen

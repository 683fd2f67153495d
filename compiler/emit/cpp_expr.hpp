// Spelling one gate as a C++ expression: operators with the fewest
// parentheses C++ precedence allows (but never reassociating: a + (b + c)
// keeps its parentheses, since floating-point addition is not associative),
// functions as std:: calls or gradgen:: helpers, constants as literals of the
// scalar type. Gates that have a line of their own appear by name; the others
// are spelled inline, which the layout keeps shallow.
#pragma once

#include <string>
#include <vector>

#include "compiler/emit/layout.hpp"
#include "compiler/emit/scalar_type.hpp"
#include "compiler/emit/statements.hpp"

namespace gradgen {

// a^k for a constant integer k with 2 <= k <= kMaxProductPower is printed
// as products (x^4 is (x * x) * (x * x)), never as a std::pow call: k - 1
// multiplications at most, so the result is within k - 1 ulps of the exact
// power (a relative error of (k - 1) 2^-53; 7 ulps at k = 8), where
// std::pow is within one, at a fraction of its time. a^-1 and a^-2 are
// 1 / x and 1 / (x * x); other exponents call std::pow.
inline constexpr double kMaxProductPower = 8;

class ExprPrinter {
 public:
  ExprPrinter(const Graph& g, const Layout& layout, ScalarType type)
      : g_(g), layout_(&layout), type_(type) {}

  // The layout whose names to use from now on (a block of its own in a
  // function: a Jacobian row, a Hessian column).
  void use(const Layout& layout) { layout_ = &layout; }
  // Records each variable and parameter printed from now on in `facts`
  // (statements.hpp), or stops recording (nullptr). A variable's key is its
  // gate's node id, or adjoint_key() for an adjoint.
  void record(BodyFacts* facts) { facts_ = facts; }
  std::int32_t adjoint_key(NodeId of) const { return static_cast<std::int32_t>(g_.size()) + of; }

  // The expression computing `id` (its definition, even when it has a name).
  std::string definition(NodeId id);
  // `id` as an operand: its name if it has one, else its expression.
  std::string operator()(NodeId id);
  // A gradient as the guide writes one: a gradient that only passes the one
  // from above through is spelled `1.0 * dx` (or `-1.0 * dx`).
  std::string gradient(NodeId value);
  std::string literal(double value) const;
  const char* scalar() const;

  // The same, appended to `out`: a header is millions of expressions, each
  // printed in place rather than built from a string per operand.
  void definition(std::string& out, NodeId id) { spell(out, id); }
  void operand(std::string& out, NodeId id) { print(out, id); }
  void gradient(std::string& out, NodeId value);
  void literal(std::string& out, double value) const;

  // Inputs mentioned since the last reset, and the gradgen:: helpers needed
  // (the guards of their blocks in emitted_helpers.hpp).
  std::vector<char> inputs_used;
  std::vector<char> seeds_used;  // direction components (by wrt position)
  std::vector<char> cotangents_used;  // out_bar components (by output position)
  std::vector<std::string_view> helpers;

 private:
  // Each appends its text to `out` and returns its precedence.
  int print(std::string& out, NodeId id);
  int spell(std::string& out, NodeId id);
  // `id` in parentheses when it binds more loosely than `min_precedence`.
  void operand(std::string& out, NodeId id, int min_precedence);
  int infix(std::string& out, NodeId a, const char* op, NodeId b, int precedence,
            int right_precedence);
  int call(std::string& out, const char* function, const Node& n);
  int power(std::string& out, const Node& n);

  const Graph& g_;
  const Layout* layout_;
  ScalarType type_;
  BodyFacts* facts_ = nullptr;
};

}  // namespace gradgen

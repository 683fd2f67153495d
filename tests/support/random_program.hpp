// Test support: seeded random programs over the whole language, and a
// shrinker that makes a failing one small.
//
// random_program() draws 1-4 inputs (ordinary names and tricky ones such as
// `new`, `NAN`, `std`, `f_grad`, `dx`), 1-5 statements (new names,
// reassignments, compound assignments, constants, bare expressions, with
// var/let/const, `;`, newlines and comments) and expressions of bounded depth
// over every operator, comparison, logical operator, `?:` (nested too) and
// every function of the language, in both spellings (`sin`, `Math.sin`), with
// constant and variable exponents. Arguments are usually wrapped so that
// functions stay in their domains and values stay finite (log(1.5 + e*e),
// asin(0.9*tanh(e)), ... / (1.5 + e*e)); the rest is left to
// gradgen::sample_points, which rejects points where a program is not smooth
// or not defined.
//
// The program is kept as a tree (RandomProgram) so that a failure can be
// shrunk: shrink_candidates() lists one-step simplifications and minimise()
// keeps the smallest one that still fails.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace gradgen::testing {

struct RandomProgramOptions {
  int min_inputs = 1;
  int max_inputs = 4;
  int min_statements = 1;
  int max_statements = 5;
  int max_depth = 4;           // operators and calls nested in one statement (domain wrappers not counted)
  double safe_domains = 0.75;  // probability that an argument is wrapped to stay in its function's domain
  double tricky_names = 0.3;   // probability that a name comes from the pool of tricky names
  double layout = 0.1;         // probability of a comment, a line break, extra parentheses, ... at each place

  std::string describe() const;
};

struct RandomExpr {
  enum class Kind : std::uint8_t {
    kNumber,       // text: the literal as written
    kName,         // text: a variable or a constant (pi, Math.PI, Math.E)
    kUnary,        // text: "-" or "+"; one operand
    kBinary,       // text: "+", "-", "*", "/"
    kPower,        // text: "^" or "**"
    kCall,         // text: the function as written ("sin", "Math.max")
    kCompare,      // text: "<", "<=", ">", ">=", "==", "!=", "===", "!=="
    kLogical,      // text: "&&" or "||"
    kNot,          // "!"; one operand
    kConditional,  // c ? a : b
  };
  Kind kind = Kind::kNumber;
  std::string text;
  std::vector<RandomExpr> args;
  bool parens = false;      // parentheses that precedence does not need
  std::string space = " ";  // around a binary operator: " ", "" (tight), "\n" (break after it), "/**/"

  bool is_condition() const;
  std::size_t size() const;  // nodes
};

struct RandomStatement {
  std::string declaration;  // "", "var ", "let " or "const "
  std::string target;       // "" for a bare expression
  std::string op = "=";     // "=", "+=", "-=", "*=", "/="
  RandomExpr value;
  std::string end;          // what follows: ";", "\n", " // comment\n", ... ("" or a trailing one at the end)
};

struct RandomProgram {
  std::string prologue;  // comments or blank lines before the first statement
  std::vector<RandomStatement> statements;

  std::string text() const;
  std::size_t size() const;  // nodes
};

// The program as a tree, and as text.
RandomProgram random_program_tree(std::mt19937_64& rng, const RandomProgramOptions& options = {});
std::string random_program(std::mt19937_64& rng, const RandomProgramOptions& options = {});

// One-step simplifications of `program`, fewest characters first: the layout
// made plain, a statement dropped, a compound assignment made plain, a
// subexpression replaced by one of its operands, by one of `names` or by 1.
// Some candidates may not be valid programs (a dropped statement defined a
// name used later): callers skip those.
std::vector<RandomProgram> shrink_candidates(const RandomProgram& program,
                                             const std::vector<std::string>& names);

// Returns the position of a candidate that still fails (preferably the
// first), or -1 when none does.
using FirstFailing = std::function<std::ptrdiff_t(const std::vector<RandomProgram>&)>;

// Greedy shrinking: the candidates are offered to `first_failing` in chunks
// of `chunk`, smallest first; the first failing one replaces the program,
// until no candidate fails or `seconds` have passed.
RandomProgram minimise(RandomProgram program, const std::vector<std::string>& names,
                       const FirstFailing& first_failing, double seconds, std::size_t chunk = 64);

}  // namespace gradgen::testing

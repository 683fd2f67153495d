// The typed syntax tree of a gradgen program, as the parser builds it from the
// PEGTL grammar. Every node carries its source span, so every later error can
// point at the text. Left-associative operator runs (`a + b - c`) are one
// n-ary Chain node, so the tree's depth follows the nesting of parentheses,
// calls and right-associative operators, which the parser bounds — never the
// length of a run. That keeps every recursive walk over the tree shallow.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/frontend/diagnostic.hpp"
#include "compiler/ir/ops.hpp"

namespace gradgen {

enum class Operator : std::uint8_t {
  kAdd, kSub, kMul, kDiv, kPow,  // arithmetic
  kNeg, kPlus, kNot,             // prefix
  kLt, kLe, kGt, kGe, kEq, kNe,  // comparison
  kAnd, kOr,                     // logical
  kMod,                          // % (v2: static values only)
};

// The operator as the user wrote it is kept for messages; `===` is kEq.
const char* operator_spelling(Operator op);

struct OperatorToken {
  Operator op;
  Span span;
};

enum class NameKind : std::uint8_t {
  kUnresolved,
  kInput,     // read and never assigned
  kVariable,  // assigned by a statement
  kConstant,  // pi, Math.PI, Math.E
};

enum class ExprKind : std::uint8_t {
  kNumber,       // 2.5
  kName,         // a variable, or a constant such as pi or Math.PI
  kCall,         // name(args...), Math.name(args...)
  kUnary,        // -a, +a, !c
  kBinary,       // a ^ b, a < b (non-associative or right-associative)
  kChain,        // a + b - c, a * b / c, a && b && c, a || b
  kConditional,  // c ? a : b
  // v2 (language-v2.md):
  kIndex,        // a[i]: operands {a, i}; a[i][j] is kIndex of kIndex
  kLength,       // a.length: operands {a}
  kArray,        // [e1, e2, ...]: operands the elements
};

struct Expr {
  ExprKind kind;
  bool parenthesized = false;
  Span span;               // the whole expression
  Span where;              // what errors point at: the operator, name or number
  std::string_view text;   // name (as written, e.g. "Math.sin") or number text
  double number = 0.0;
  std::vector<Expr*> operands;       // Call: arguments; Chain: 2 or more
  std::vector<OperatorToken> ops;    // Unary, Binary: 1; Chain: operands - 1

  // Filled in by the semantic pass (sema.hpp).
  ValueType type = ValueType::kNumber;
  NameKind name_kind = NameKind::kUnresolved;  // kName
  std::int32_t input = -1;                     // kName of an input: its position
  std::int32_t variable = -1;                  // kName of a variable: Analysis::variables
  double constant = 0.0;                       // kName of a constant
  const Builtin* builtin = nullptr;            // kCall
};

enum class StatementKind : std::uint8_t {
  kExpression, kAssign, kCompound,
  // v2 (language-v2.md): regions that one pass expands (frontend/expand.hpp).
  kBlock,     // { body }
  kFor,       // for (var NAME = value; condition; update) body[0]
  kIf,        // if (condition) body[0] else else_body[0]
  kFunction,  // function target(parameters) { body }
  kReturn,    // return value
};

// How a for loop's variable changes: ++ and -- by one, += and -= by `step`.
enum class LoopUpdate : std::uint8_t { kIncrement, kDecrement, kStepUp, kStepDown };

struct Statement {
  StatementKind kind;
  Span span;
  std::string_view target;  // kAssign, kCompound; kFor: the loop variable; kFunction: its name
  Span target_span;
  Operator compound_op = Operator::kAdd;  // kCompound: += -= *= /=
  std::int32_t variable = -1;  // kAssign, kCompound: the target in Analysis::variables (sema)
  Expr* value = nullptr;       // kFor: the first value of the loop variable
  std::vector<Expr*> indices;  // kAssign, kCompound of an element: h[i][j] = ...

  // kBlock: its statements; kFor: {its body}; kIf: {then}; kFunction: its body.
  std::vector<Statement> body;
  std::vector<Statement> else_body;  // kIf: {else}, or empty
  Expr* condition = nullptr;         // kFor, kIf
  bool scoped = false;               // kFor: `let` (the loop variable is the loop's own)
  LoopUpdate update = LoopUpdate::kIncrement;  // kFor
  Expr* step = nullptr;                        // kFor: S of i += S or i -= S
  std::string_view update_name;                // kFor: the name the update changes
  Span update_span;
  std::vector<std::string_view> parameters;  // kFunction
  std::vector<Span> parameter_spans;
};

// Owns every node; node addresses are stable. The nodes live in blocks that
// never grow past their reserved capacity, so they never move: a heap block
// per few hundred nodes (a std::deque of Expr takes one per three), which
// makes building and freeing a large tree cheaper.
struct Ast {
  std::vector<std::vector<Expr>> expr_blocks;
  std::vector<Statement> statements;
  // The program uses something of v2 (a block, loop, if, function, array,
  // index, .length or %): it is expanded (expand.hpp), not lowered as v1.
  bool v2 = false;

  Expr* make(ExprKind kind, Span span) {
    if (expr_blocks.empty() || expr_blocks.back().size() == expr_blocks.back().capacity()) {
      expr_blocks.emplace_back().reserve(kExprsPerBlock);
    }
    Expr& e = expr_blocks.back().emplace_back();
    e.kind = kind;
    e.span = span;
    e.where = span;
    return &e;
  }

 private:
  static constexpr std::size_t kExprsPerBlock = 256;
};

// An indented tree, one node per line, for --dump-ast and its golden tests.
std::string dump_ast(const Ast& ast);

}  // namespace gradgen

#include "compiler/frontend/ast.hpp"

#include <fmt/format.h>

namespace gradgen {

const char* operator_spelling(Operator op) {
  switch (op) {
    case Operator::kAdd: return "+";
    case Operator::kSub: return "-";
    case Operator::kMul: return "*";
    case Operator::kDiv: return "/";
    case Operator::kPow: return "^";
    case Operator::kNeg: return "-";
    case Operator::kPlus: return "+";
    case Operator::kNot: return "!";
    case Operator::kLt: return "<";
    case Operator::kLe: return "<=";
    case Operator::kGt: return ">";
    case Operator::kGe: return ">=";
    case Operator::kEq: return "==";
    case Operator::kNe: return "!=";
    case Operator::kAnd: return "&&";
    case Operator::kOr: return "||";
  }
  return "?";
}

namespace {

void dump_expr(const Expr& e, int indent, std::string& out) {
  out.append(static_cast<std::size_t>(indent) * 2, ' ');
  switch (e.kind) {
    case ExprKind::kNumber:
      out += fmt::format("number {}", e.text);
      break;
    case ExprKind::kName:
      out += fmt::format("name {}", e.text);
      break;
    case ExprKind::kCall:
      out += fmt::format("call {}", e.text);
      break;
    case ExprKind::kUnary:
    case ExprKind::kBinary:
      out += fmt::format("{} {}", e.kind == ExprKind::kUnary ? "unary" : "binary",
                         operator_spelling(e.ops.front().op));
      break;
    case ExprKind::kChain: {
      out += "chain";
      for (const OperatorToken& t : e.ops) out += fmt::format(" {}", operator_spelling(t.op));
      break;
    }
    case ExprKind::kConditional:
      out += "conditional ?:";
      break;
  }
  if (e.parenthesized) out += " (parenthesized)";
  out += '\n';
  for (const Expr* operand : e.operands) dump_expr(*operand, indent + 1, out);
}

}  // namespace

std::string dump_ast(const Ast& ast) {
  std::string out;
  for (const Statement& s : ast.statements) {
    switch (s.kind) {
      case StatementKind::kExpression:
        out += "statement\n";
        break;
      case StatementKind::kAssign:
        out += fmt::format("assign {}\n", s.target);
        break;
      case StatementKind::kCompound:
        out += fmt::format("assign {} {}=\n", s.target, operator_spelling(s.compound_op));
        break;
    }
    dump_expr(*s.value, 1, out);
  }
  return out;
}

}  // namespace gradgen

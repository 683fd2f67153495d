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
    case Operator::kMod: return "%";
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
    case ExprKind::kIndex:
      out += "index";
      break;
    case ExprKind::kLength:
      out += "length";
      break;
    case ExprKind::kArray:
      out += fmt::format("array of {}", e.operands.size());
      break;
  }
  if (e.parenthesized) out += " (parenthesized)";
  out += '\n';
  for (const Expr* operand : e.operands) dump_expr(*operand, indent + 1, out);
}

void dump_statements(const std::vector<Statement>& list, int indent, std::string& out);

void dump_statement(const Statement& s, int indent, std::string& out) {
  out.append(static_cast<std::size_t>(indent) * 2, ' ');
  const auto indices = [&] {
    std::string text;
    for (std::size_t i = 0; i < s.indices.size(); ++i) text += "[]";
    return text;
  };
  switch (s.kind) {
    case StatementKind::kExpression:
      out += "statement\n";
      break;
    case StatementKind::kAssign:
      out += fmt::format("assign {}{}\n", s.target, indices());
      break;
    case StatementKind::kCompound:
      out += fmt::format("assign {}{} {}=\n", s.target, indices(), operator_spelling(s.compound_op));
      break;
    case StatementKind::kBlock:
      out += "block\n";
      break;
    case StatementKind::kFor: {
      static constexpr const char* kUpdates[] = {"++", "--", "+=", "-="};
      out += fmt::format("for {}{} {}\n", s.scoped ? "let " : "", s.target,
                         kUpdates[static_cast<int>(s.update)]);
      break;
    }
    case StatementKind::kIf:
      out += s.else_body.empty() ? "if\n" : "if else\n";
      break;
    case StatementKind::kFunction: {
      std::string parameters;
      for (std::string_view p : s.parameters) parameters += fmt::format("{}{}", parameters.empty() ? "" : ", ", p);
      out += fmt::format("function {}({})\n", s.target, parameters);
      break;
    }
    case StatementKind::kReturn:
      out += "return\n";
      break;
  }
  for (const Expr* index : s.indices) dump_expr(*index, indent + 1, out);
  for (const Expr* e : {s.value, s.condition, s.step}) {
    if (e != nullptr) dump_expr(*e, indent + 1, out);
  }
  dump_statements(s.body, indent + 1, out);
  if (!s.else_body.empty()) {
    out.append(static_cast<std::size_t>(indent) * 2, ' ');
    out += "else\n";
    dump_statements(s.else_body, indent + 1, out);
  }
}

void dump_statements(const std::vector<Statement>& list, int indent, std::string& out) {
  for (const Statement& s : list) dump_statement(s, indent, out);
}

}  // namespace

std::string dump_ast(const Ast& ast) {
  std::string out;
  dump_statements(ast.statements, 0, out);
  return out;
}

}  // namespace gradgen

#include "compiler/frontend/lower.hpp"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>

#include "compiler/frontend/diagnostic.hpp"

namespace gradgen {
namespace {

Op comparison_op(Operator op) {
  switch (op) {
    case Operator::kLt: return Op::kLt;
    case Operator::kLe: return Op::kLe;
    case Operator::kGt: return Op::kGt;
    case Operator::kGe: return Op::kGe;
    case Operator::kEq: return Op::kEq;
    case Operator::kNe: return Op::kNe;
    default: break;
  }
  assert(false && "not a comparison");
  return Op::kEq;
}

Op chain_op(Operator op) {
  switch (op) {
    case Operator::kAdd: return Op::kAdd;
    case Operator::kSub: return Op::kSub;
    case Operator::kMul: return Op::kMul;
    case Operator::kDiv: return Op::kDiv;
    case Operator::kAnd: return Op::kAnd;
    case Operator::kOr: return Op::kOr;
    default: break;
  }
  assert(false && "not a chain operator");
  return Op::kAdd;
}

class Lowering {
 public:
  explicit Lowering(const Analysis& analysis)
      : variable_names_(analysis.variables),
        variables_(analysis.variables.size(), kNoNode),
        versions_(analysis.variables.size(), 0) {
    c_.input_names = analysis.inputs;
    for (std::size_t i = 0; i < analysis.inputs.size(); ++i) {
      c_.inputs.push_back(c_.graph.input(static_cast<std::int32_t>(i)));
    }
  }

  Circuit run(const Ast& ast, const std::vector<std::string>& outputs) {
    for (const Statement& s : ast.statements) statement(s);
    c_.output_named = ast.statements.back().kind != StatementKind::kExpression;
    if (outputs.empty()) {
      c_.outputs = {c_.output};
      return std::move(c_);
    }
    c_.output = kNoNode;
    for (const std::string& name : outputs) {
      c_.outputs.push_back(output(name));
      c_.output = std::max(c_.output, c_.outputs.back());
    }
    c_.output_names = outputs;
    if (outputs.size() == 1) c_.output_named = true;
    return std::move(c_);
  }

 private:
  // The final value of the variable `name`, for --output.
  NodeId output(const std::string& name) {
    const auto it = std::find(variable_names_.begin(), variable_names_.end(), name);
    if (it == variable_names_.end()) {
      std::vector<std::string_view> known = variable_names_;
      std::sort(known.begin(), known.end());
      std::string list;
      for (std::string_view v : known) list += fmt::format("{}{}", list.empty() ? "" : ", ", v);
      const std::string best = nearest_name(name, known);
      const bool is_input = std::find(c_.input_names.begin(), c_.input_names.end(), name) !=
                            c_.input_names.end();
      throw UsageError(fmt::format(
          "--output: '{}' is {} (outputs are names the program assigns: {}){}", name,
          is_input ? "an input, not a variable the program assigns" : "not assigned in the program",
          list.empty() ? "none" : list,
          is_input ? ""
          : best.empty() ? "; to write the header to a file, use -o FILE"
                         : fmt::format("; did you mean '{}'?", best)));
    }
    const NodeId value = variables_[static_cast<std::size_t>(it - variable_names_.begin())];
    if (c_.graph.type(value) != ValueType::kNumber) {
      throw UsageError(fmt::format("--output: '{}' holds a condition, not a number", name));
    }
    return value;
  }

  void statement(const Statement& s) {
    NodeId value = expr(*s.value);
    if (s.kind == StatementKind::kCompound) {
      value = c_.graph.make(chain_op(s.compound_op), variables_[static_cast<std::size_t>(s.variable)], value);
    }
    if (s.kind != StatementKind::kExpression) {
      const int version = ++versions_[static_cast<std::size_t>(s.variable)];
      variables_[static_cast<std::size_t>(s.variable)] = value;
      name(value, std::string(s.target), version);
    }
    c_.output = value;
  }

  // The first name given to a gate stays; inputs and constants keep theirs.
  void name(NodeId node, std::string user_name, int version) {
    const Op op = c_.graph[node].op;
    if (op == Op::kInput || op == Op::kConst) return;
    if (c_.names.size() <= static_cast<std::size_t>(node)) c_.names.resize(static_cast<std::size_t>(node) + 1);
    UserName& n = c_.names[static_cast<std::size_t>(node)];
    if (n.version == 0) n = UserName{std::move(user_name), version};
  }

  NodeId expr(const Expr& e) {
    Graph& g = c_.graph;
    switch (e.kind) {
      case ExprKind::kNumber:
        return g.constant(e.number);
      case ExprKind::kName:
        switch (e.name_kind) {
          case NameKind::kInput: return c_.inputs[static_cast<std::size_t>(e.input)];
          case NameKind::kConstant: return g.constant(e.constant);
          case NameKind::kVariable: return variables_[static_cast<std::size_t>(e.variable)];
          case NameKind::kUnresolved: break;
        }
        assert(false && "sema leaves no name unresolved");
        return kNoNode;
      case ExprKind::kCall:
        return call(e);
      case ExprKind::kUnary: {
        const NodeId operand = expr(*e.operands[0]);
        switch (e.ops.front().op) {
          case Operator::kNeg: return g.neg(operand);
          case Operator::kNot: return g.make(Op::kNot, operand);
          default: return operand;  // unary +
        }
      }
      case ExprKind::kBinary: {
        const NodeId lhs = expr(*e.operands[0]);
        const NodeId rhs = expr(*e.operands[1]);
        const Operator op = e.ops.front().op;
        return g.make(op == Operator::kPow ? Op::kPow : comparison_op(op), lhs, rhs);
      }
      case ExprKind::kChain: {
        NodeId acc = expr(*e.operands[0]);
        for (std::size_t i = 1; i < e.operands.size(); ++i) {
          acc = g.make(chain_op(e.ops[i - 1].op), acc, expr(*e.operands[i]));
        }
        return acc;
      }
      case ExprKind::kIndex:
      case ExprKind::kLength:
      case ExprKind::kArray:
        assert(false && "v2 programs are expanded (expand.hpp), not analysed as v1");
        return kNoNode;
      case ExprKind::kConditional: {
        const NodeId condition = expr(*e.operands[0]);
        const NodeId then = expr(*e.operands[1]);
        return g.select(condition, then, expr(*e.operands[2]));
      }
    }
    return kNoNode;
  }

  NodeId call(const Expr& e) {
    std::vector<NodeId> args;
    for (const Expr* arg : e.operands) args.push_back(expr(*arg));
    const Op op = e.builtin->op;
    Graph& g = c_.graph;
    if (op == Op::kMax || op == Op::kMin) {
      // max(a, b, c) = max(max(a, b), c): the first extreme wins ties.
      NodeId acc = args[0];
      for (std::size_t i = 1; i < args.size(); ++i) acc = g.make(op, acc, args[i]);
      return acc;
    }
    if (op == Op::kHypot && args.size() == 3) return g.make(Op::kHypot3, args[0], args[1], args[2]);
    if (args.size() == 1) return g.make(op, args[0]);
    return g.make(op, args[0], args[1]);
  }

  Circuit c_;
  // By variable (Analysis::variables): its name, current value and the
  // number of times it was assigned.
  const std::vector<std::string_view>& variable_names_;
  std::vector<NodeId> variables_;
  std::vector<int> versions_;
};

}  // namespace

Circuit lower(const Ast& ast, const Analysis& analysis, const std::vector<std::string>& outputs) {
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (outputs[i] == outputs[j]) {
        throw UsageError(fmt::format("--output: '{}' is listed twice", outputs[i]));
      }
    }
  }
  return Lowering(analysis).run(ast, outputs);
}

}  // namespace gradgen

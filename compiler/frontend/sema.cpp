#include "compiler/frontend/sema.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>

#include <fmt/format.h>

#include "compiler/support/name_index.hpp"

namespace gradgen {
namespace {

constexpr std::string_view kMathPrefix = "Math.";

bool has_math_prefix(std::string_view name) { return name.substr(0, kMathPrefix.size()) == kMathPrefix; }

std::vector<std::string_view> builtin_names() {
  std::vector<std::string_view> names;
  for (const Builtin& b : builtins()) names.push_back(b.name);
  return names;
}

std::string did_you_mean(std::string_view name, const std::vector<std::string_view>& known) {
  const std::string best = nearest_name(name, known);
  return best.empty() ? "" : fmt::format("; did you mean '{}'?", best);
}

class Analyzer {
 public:
  Analyzer(Ast& ast, const std::vector<std::string>& fixed_inputs) : ast_(ast) {
    // The assigned names are numbered first, so a name is a variable exactly
    // when its number is below variable_count_.
    for (Statement& s : ast.statements) {
      if (s.kind != StatementKind::kExpression) s.variable = names_.add(s.target);
    }
    variable_count_ = static_cast<std::int32_t>(names_.size());
    assigned_.assign(names_.size(), false);
    for (const std::string& name : fixed_inputs) {
      if (is_variable(names_.find(name))) {
        throw UsageError(fmt::format("--inputs: '{}' is assigned in the program, so it is not an input", name));
      }
      if (find_builtin(name) != nullptr || find_constant(name)) {
        throw UsageError(fmt::format("--inputs: '{}' is a function or constant of the language", name));
      }
      // The name's text lives in fixed_inputs only while the analysis runs;
      // Analysis::inputs keeps its own copy.
      if (!add_input(name)) throw UsageError(fmt::format("--inputs: '{}' is listed twice", name));
    }
    inputs_fixed_ = !fixed_inputs.empty();
  }

  Analysis run() {
    for (Statement& s : ast_.statements) statement(s);
    analysis_.variables.assign(names_.names().begin(), names_.names().begin() + variable_count_);
    return std::move(analysis_);
  }

 private:
  void statement(Statement& s) {
    if (s.kind != StatementKind::kExpression) check_target(s);
    if (s.kind == StatementKind::kCompound && !assigned_[static_cast<std::size_t>(s.variable)]) {
      throw Diagnostic(s.target_span, fmt::format("`{}` is used before it is assigned", s.target));
    }
    expect_number(*s.value);
    if (s.kind != StatementKind::kExpression) assigned_[static_cast<std::size_t>(s.variable)] = true;
  }

  bool is_variable(std::int32_t id) const { return id != NameIndex::kNone && id < variable_count_; }

  // Numbers `name` as the next input; false if it already is one.
  bool add_input(std::string_view name) {
    const std::int32_t id = names_.add(name);
    if (input_of_.size() < names_.size()) input_of_.resize(names_.size(), -1);
    std::int32_t& input = input_of_[static_cast<std::size_t>(id)];
    if (input != -1) return false;
    input = static_cast<std::int32_t>(analysis_.inputs.size());
    analysis_.inputs.emplace_back(name);
    return true;
  }

  void check_target(const Statement& s) {
    const std::string_view t = s.target;
    if (find_constant(t) || t == "Math.pi") {
      throw Diagnostic(s.target_span, fmt::format("cannot assign to the constant {}", t));
    }
    const std::string_view bare = has_math_prefix(t) ? t.substr(kMathPrefix.size()) : t;
    if (find_builtin(bare) != nullptr) {
      throw Diagnostic(s.target_span, fmt::format("cannot assign to {}: it is a function", t));
    }
    if (t.find('.') != std::string_view::npos) {
      throw Diagnostic(s.target_span, fmt::format("cannot assign to {}: only plain names can be assigned", t));
    }
  }

  void expect_number(Expr& e) {
    if (expr(e) != ValueType::kNumber) {
      throw Diagnostic(e.where, "a condition cannot be used as a number; write c ? 1 : 0 for its value");
    }
  }

  void expect_condition(Expr& e) {
    if (expr(e) != ValueType::kCondition) {
      throw Diagnostic(e.where, "a number cannot be used as a condition; compare it, as in x != 0");
    }
  }

  ValueType expr(Expr& e) {
    e.type = type_of(e);
    return e.type;
  }

  ValueType type_of(Expr& e) {
    switch (e.kind) {
      case ExprKind::kNumber:
        return ValueType::kNumber;
      case ExprKind::kName:
        name(e);
        return ValueType::kNumber;
      case ExprKind::kCall:
        call(e);
        return ValueType::kNumber;
      case ExprKind::kUnary:
        if (e.ops.front().op == Operator::kNot) {
          expect_condition(*e.operands[0]);
          return ValueType::kCondition;
        }
        expect_number(*e.operands[0]);
        return ValueType::kNumber;
      case ExprKind::kBinary:
        expect_number(*e.operands[0]);
        expect_number(*e.operands[1]);
        return e.ops.front().op == Operator::kPow ? ValueType::kNumber : ValueType::kCondition;
      case ExprKind::kChain: {
        const Operator op = e.ops.front().op;
        const bool logical = op == Operator::kAnd || op == Operator::kOr;
        for (Expr* operand : e.operands) {
          if (logical) {
            expect_condition(*operand);
          } else {
            expect_number(*operand);
          }
        }
        return logical ? ValueType::kCondition : ValueType::kNumber;
      }
      case ExprKind::kIndex:
      case ExprKind::kLength:
      case ExprKind::kArray:
        assert(false && "v2 programs are expanded (expand.hpp), not analysed as v1");
        return ValueType::kNumber;
      case ExprKind::kConditional:
        expect_condition(*e.operands[0]);
        expect_number(*e.operands[1]);
        expect_number(*e.operands[2]);
        return ValueType::kNumber;
    }
    return ValueType::kNumber;
  }

  void name(Expr& e) {
    const std::string_view n = e.text;
    // A name met before as an assigned variable or an input passed every
    // check below then, and is the same now.
    const std::int32_t id = names_.find(n);
    if (is_variable(id) && assigned_[static_cast<std::size_t>(id)]) {
      e.name_kind = NameKind::kVariable;
      e.variable = id;
      return;
    }
    if (id != NameIndex::kNone && static_cast<std::size_t>(id) < input_of_.size() &&
        input_of_[static_cast<std::size_t>(id)] != -1) {
      e.name_kind = NameKind::kInput;
      e.input = input_of_[static_cast<std::size_t>(id)];
      return;
    }
    if (const auto value = find_constant(n)) {
      e.name_kind = NameKind::kConstant;
      e.constant = *value;
      return;
    }
    check_plain_name(e);
    if (is_variable(id)) throw Diagnostic(e.span, fmt::format("`{}` is used before it is assigned", n));
    if (inputs_fixed_) throw UsageError(fmt::format("--inputs does not list the input '{}'", n));
    e.name_kind = NameKind::kInput;
    e.input = static_cast<std::int32_t>(analysis_.inputs.size());
    add_input(n);
  }

  void call(Expr& e) {
    e.builtin = &resolve_builtin(e);
    for (Expr* arg : e.operands) expect_number(*arg);
  }

  Ast& ast_;
  Analysis analysis_;
  bool inputs_fixed_ = false;
  // Every plain name met: the assigned ones first (see the constructor),
  // then the inputs as they are read.
  NameIndex names_;
  std::int32_t variable_count_ = 0;
  std::vector<bool> assigned_;          // by variable: assigned by an earlier statement
  std::vector<std::int32_t> input_of_;  // by name: its input position, or -1
};

}  // namespace

void check_plain_name(const Expr& e) {
  const std::string_view n = e.text;
  const bool math = has_math_prefix(n);
  const std::string_view bare = math ? n.substr(kMathPrefix.size()) : n;
  if (find_builtin(bare) != nullptr) {
    throw Diagnostic(e.span, fmt::format("`{}` is a function; call it as {}(...)", n, n));
  }
  if (math) {
    throw Diagnostic(e.span, fmt::format("unknown constant {}{}", n,
                                         did_you_mean(n, {"Math.PI", "Math.E"})));
  }
  if (n.find('.') != std::string_view::npos) {
    throw Diagnostic(e.span, fmt::format("`{}`: only Math.PI, Math.E and Math functions have a '.'", n));
  }
}

const Builtin& resolve_builtin(const Expr& e) {
  const std::string_view n = e.text;
  const std::string_view bare = has_math_prefix(n) ? n.substr(kMathPrefix.size()) : n;
  const Builtin* b = find_builtin(bare);
  if (b == nullptr) {
    if (find_constant(n)) {
      throw Diagnostic(e.where, fmt::format("{} is a constant, not a function", n));
    }
    // The nearest function to the name after its last '.', under Math.
    // when it has one (math.max: did you mean 'Math.max'?).
    const std::size_t dot = n.rfind('.');
    const std::string best = nearest_name(dot == std::string_view::npos ? n : n.substr(dot + 1), builtin_names());
    const std::string prefix = dot == std::string_view::npos ? "" : "Math.";
    throw Diagnostic(e.where, fmt::format("unknown function '{}'{}", n,
                                          best.empty() ? "" : fmt::format("; did you mean '{}{}'?", prefix, best)));
  }
  const int count = static_cast<int>(e.operands.size());
  if (count < b->min_args || (b->max_args >= 0 && count > b->max_args)) {
    std::string expected;
    if (b->max_args < 0) {
      expected = fmt::format("{} or more arguments", b->min_args);
    } else if (b->min_args == b->max_args) {
      expected = fmt::format("{} argument{}", b->min_args, b->min_args == 1 ? "" : "s");
    } else {
      expected = fmt::format("{} or {} arguments", b->min_args, b->max_args);
    }
    throw Diagnostic(e.where, fmt::format("{} takes {}, but {} {} given", n, expected, count,
                                          count == 1 ? "was" : "were"));
  }
  return *b;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string nearest_name(std::string_view name, const std::vector<std::string_view>& known) {
  std::string_view best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (std::string_view k : known) {
    const std::size_t d = edit_distance(name, k);
    if (d < best_distance) {
      best = k;
      best_distance = d;
    }
  }
  return std::string(best);
}

Analysis analyze(Ast& ast, const std::vector<std::string>& fixed_inputs) {
  return Analyzer(ast, fixed_inputs).run();
}

}  // namespace gradgen

// The parser: the PEGTL grammar's parse tree (grammar/gradgen_grammar.hpp)
// turned into gradgen's typed Ast with source spans, in one file over the
// ~500-line mark because each statement and expression form's conversion
// sits beside the checks that give its located errors; a reader follows one
// form from grammar rule to Ast node without changing files.
#include "compiler/frontend/parser.hpp"

#include <cerrno>
#include <charconv>
#include <clocale>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "grammar/gradgen_grammar.hpp"

namespace gradgen {
namespace {

namespace pegtl = tao::pegtl;
namespace g = grammar;

// Everything the actions build up while the grammar matches.
struct ParserState {
  const char* base = nullptr;  // start of the program text
  std::size_t size = 0;
  Ast* ast = nullptr;
  std::size_t max_depth = 0;
  std::size_t max_statements = 0;

  // Adds a statement to the innermost open list (a block's, a loop's body),
  // or to the program, unless that makes too many.
  void add(Statement st) {
    if (++statement_count > max_statements) {
      throw Diagnostic(st.span, fmt::format("more than {} statements (the limit; raise it with "
                                            "--max-statements N)", max_statements));
    }
    (open_lists.empty() ? ast->statements : open_lists.back()).push_back(std::move(st));
  }
  std::size_t statement_count = 0;
  // The statement lists being filled: a block's, a loop's or if's body.
  std::vector<std::vector<Statement>> open_lists;
  std::vector<Statement> pop_list() {
    std::vector<Statement> list = std::move(open_lists.back());
    open_lists.pop_back();
    return list;
  }
  // The v2 statements whose parts are being parsed.
  std::vector<Statement> pending;
  std::string_view loop_name;
  Span loop_name_span;
  bool loop_let = false;
  int function_depth = 0;  // read by the grammar's in_function
  int loop_depth = 0;      // read by the grammar's in_loop
  std::vector<std::size_t> array_marks;  // values.size() when an array literal opened

  // Read by g::op_space: line breaks are blanks inside brackets.
  int open_brackets = 0;
  std::size_t depth = 0;
  std::vector<std::size_t> open_parens;  // offsets of unclosed '(' for messages
  std::size_t comment_start = 0;         // of the last /* comment

  std::vector<Expr*> values;             // operands built so far
  std::vector<OperatorToken> operators;  // operators waiting for their right operand
  std::vector<std::size_t> call_marks;   // values.size() when an argument list opened
  std::vector<Span> questions;           // the '?' of conditionals being built
  std::string_view target;               // of the assignment being parsed
  Span target_span;
  std::vector<Expr*> target_indices;     // h[i][j] = ...: i, j
  std::string_view assign_op;

  std::size_t offset(const char* p) const { return static_cast<std::size_t>(p - base); }

  Expr* pop() {
    Expr* e = values.back();
    values.pop_back();
    return e;
  }
  OperatorToken pop_operator() {
    OperatorToken t = operators.back();
    operators.pop_back();
    return t;
  }
};

template <typename ActionInput>
Span span_of(const ActionInput& in, const ParserState& s) {
  return Span{s.offset(in.begin()), s.offset(in.end())};
}

Operator operator_from(std::string_view text, bool prefix) {
  if (prefix) {
    if (text == "-") return Operator::kNeg;
    if (text == "+") return Operator::kPlus;
    return Operator::kNot;
  }
  if (text == "+") return Operator::kAdd;
  if (text == "-") return Operator::kSub;
  if (text == "*") return Operator::kMul;
  if (text == "/") return Operator::kDiv;
  if (text == "^" || text == "**") return Operator::kPow;
  if (text == "<") return Operator::kLt;
  if (text == "<=") return Operator::kLe;
  if (text == ">") return Operator::kGt;
  if (text == ">=") return Operator::kGe;
  if (text == "==" || text == "===") return Operator::kEq;
  if (text == "!=" || text == "!==") return Operator::kNe;
  if (text == "&&") return Operator::kAnd;
  if (text == "%") return Operator::kMod;
  return Operator::kOr;
}

// ---------------------------------------------------------------------------
// Numbers.

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Why `text` is not a number of the language, or "" when it is one:
// digits [. digits?] | . digits, then an optional exponent e[+-]digits.
std::string number_problem(std::string_view text) {
  if (text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    return "hexadecimal numbers are not supported";
  }
  if (text.size() > 1 && text[0] == '0' && is_digit(text[1])) {
    return "a number cannot start with 0 followed by digits (there are no octal numbers)";
  }
  std::size_t i = 0;
  std::size_t digits = 0;
  while (i < text.size() && is_digit(text[i])) ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) ++i, ++digits;
  }
  if (digits == 0) return "a number needs digits";
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    std::size_t exponent_digits = 0;
    while (i < text.size() && is_digit(text[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return "the exponent has no digits";
  }
  if (i == text.size()) return "";
  if (text[i] == '.') return "a number has at most one decimal point";
  return fmt::format("unexpected '{}' in the number (numbers have no suffixes)", text[i]);
}

double number_value(std::string_view text, Span span) {
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && ptr == text.data() + text.size()) return value;
  // from_chars reports results beyond double's normal range as out of range:
  // tiny ones become subnormal or zero, as in JavaScript and C; huge ones are
  // an error rather than a silent infinity.
  const std::string copy(text);
  locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", static_cast<locale_t>(nullptr));
  errno = 0;
  value = strtod_l(copy.c_str(), nullptr, c_locale);
  freelocale(c_locale);
  if (value > 1.0 || value < -1.0) {
    throw Diagnostic(span, fmt::format("the number {} is too large for a double", text));
  }
  return value;
}

// ---------------------------------------------------------------------------
// Building the tree.

// Appends `rhs` to the chain `lhs` when both belong to the same run of
// left-associative operators (a + b - c), so runs never deepen the tree.
Expr* chain(ParserState& s, Expr* lhs, OperatorToken op, Expr* rhs) {
  const auto same_level = [](Operator a, Operator b) {
    const auto level = [](Operator o) {
      switch (o) {
        case Operator::kAdd: case Operator::kSub: return 1;
        case Operator::kMul: case Operator::kDiv: return 2;
        case Operator::kAnd: return 3;
        case Operator::kOr: return 4;
        default: return 0;
      }
    };
    return level(a) == level(b);
  };
  if (lhs->kind == ExprKind::kChain && !lhs->parenthesized &&
      same_level(lhs->ops.front().op, op.op)) {
    lhs->operands.push_back(rhs);
    lhs->ops.push_back(op);
    lhs->span.end = rhs->span.end;
    return lhs;
  }
  Expr* e = s.ast->make(ExprKind::kChain, Span{lhs->span.begin, rhs->span.end});
  e->where = op.span;
  e->operands = {lhs, rhs};
  e->ops = {op};
  return e;
}

// A comment may hold any text, but text: no NUL byte, nothing that is not
// UTF-8 (the program is UTF-8 throughout).
void check_text(const char* begin, const char* end, const ParserState& s) {
  for (const char* p = begin; p < end;) {
    const auto c = static_cast<unsigned char>(*p);
    const std::size_t at = s.offset(p);
    if (c == 0) throw Diagnostic(Span{at, at + 1}, "unexpected NUL byte (the program must be text)");
    const std::size_t length = utf8_length(std::string_view(p, static_cast<std::size_t>(end - p)), 0);
    if (length == 0) throw Diagnostic(Span{at, at + 1}, fmt::format("invalid UTF-8 byte 0x{:02X}", c));
    p += length;
  }
}

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

template <typename Rule>
struct comment_action {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParserState& s) {
    check_text(in.begin(), in.end(), s);
  }
};
template <> struct action<g::line_comment> : comment_action<g::line_comment> {};
template <> struct action<g::block_comment> : comment_action<g::block_comment> {};
template <> struct action<g::inline_block_comment> : comment_action<g::inline_block_comment> {};

template <>
struct action<g::number> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParserState& s) {
    const Span span = span_of(in, s);
    const std::string_view text(in.begin(), in.size());
    if (std::string problem = number_problem(text); !problem.empty()) {
      throw Diagnostic(span, fmt::format("malformed number '{}': {}", text, problem));
    }
    Expr* e = s.ast->make(ExprKind::kNumber, span);
    e->text = text;
    e->number = number_value(text, span);
    s.values.push_back(e);
  }
};

template <>
struct action<g::dotted_name> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParserState& s) {
    const Span span = span_of(in, s);
    const std::string_view text(in.begin(), in.size());
    Expr* e = s.ast->make(ExprKind::kName, span);
    e->text = text;
    // h.length (v2): the length of h, not a name with a dot.
    constexpr std::string_view kLength = ".length";
    const std::size_t dot = text.find('.');
    if (dot != std::string_view::npos && dot + kLength.size() == text.size() && text.substr(dot) == kLength) {
      e->text = text.substr(0, dot);
      e->span.end = e->where.end = span.begin + dot;
      Expr* length = s.ast->make(ExprKind::kLength, span);
      length->where = Span{span.begin + dot + 1, span.end};
      length->operands = {e};
      s.ast->v2 = true;
      e = length;
    }
    s.values.push_back(e);
  }
};

template <>
struct action<g::array_open> {
  static void apply0(ParserState& s) { s.array_marks.push_back(s.values.size()); }
};

template <>
struct action<g::array_literal> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParserState& s) {
    const std::size_t mark = s.array_marks.back();
    s.array_marks.pop_back();
    Expr* e = s.ast->make(ExprKind::kArray, span_of(in, s));
    e->where = Span{e->span.begin, e->span.begin + 1};
    e->operands.assign(s.values.begin() + static_cast<std::ptrdiff_t>(mark), s.values.end());
    s.values.resize(mark);
    s.ast->v2 = true;
    s.values.push_back(e);
  }
};

template <>
struct action<g::index_tail> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParserState& s) {
    Expr* index = s.pop();
    Expr* base = s.pop();
    Expr* e = s.ast->make(ExprKind::kIndex, Span{base->span.begin, s.offset(in.end())});
    e->where = span_of(in, s);
    e->operands = {base, index};
    s.ast->v2 = true;
    s.values.push_back(e);
  }
};

template <>
struct action<g::length_tail> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParserState& s) {
    Expr* base = s.pop();
    Expr* e = s.ast->make(ExprKind::kLength, Span{base->span.begin, s.offset(in.end())});
    e->where = Span{s.offset(in.begin()) + 1, s.offset(in.end())};
    e->operands = {base};
    s.ast->v2 = true;
    s.values.push_back(e);
  }
};

template <>
struct action<g::call_open> {
  static void apply0(ParserState& s) { s.call_marks.push_back(s.values.size()); }
};

template <>
struct action<g::call_args> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParserState& s) {
    const std::size_t mark = s.call_marks.back();
    s.call_marks.pop_back();
    std::vector<Expr*> args(s.values.begin() + static_cast<std::ptrdiff_t>(mark), s.values.end());
    s.values.resize(mark);
    Expr* callee = s.values.back();
    // sum(h) reduces an array: v2. (max(a) of one argument stays v1's
    // error, unless the program is v2 for another reason or --inputs gives
    // extents: then it is the maximum of an array.)
    if (callee->text == "sum") s.ast->v2 = true;
    callee->kind = ExprKind::kCall;
    callee->where = callee->span;
    callee->span.end = s.offset(in.end());
    callee->operands = std::move(args);
  }
};

template <>
struct action<g::paren_expr> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParserState& s) {
    Expr* e = s.values.back();
    e->parenthesized = true;
    e->span = span_of(in, s);
  }
};

// Operator tokens wait on the operator stack until their right operand is built.
template <typename ActionInput>
void push_operator(const ActionInput& in, ParserState& s, bool prefix) {
  const std::string_view text(in.begin(), in.size());
  s.operators.push_back(OperatorToken{operator_from(text, prefix), span_of(in, s)});
}

template <> struct action<g::unary_op> {
  template <typename I> static void apply(const I& in, ParserState& s) { push_operator(in, s, true); }
};
template <> struct action<g::pow_op> {
  template <typename I> static void apply(const I& in, ParserState& s) { push_operator(in, s, false); }
};
template <> struct action<g::mul_op> {
  template <typename I> static void apply(const I& in, ParserState& s) {
    if (*in.begin() == '%') s.ast->v2 = true;
    push_operator(in, s, false);
  }
};
template <> struct action<g::add_op> {
  template <typename I> static void apply(const I& in, ParserState& s) { push_operator(in, s, false); }
};
template <> struct action<g::cmp_op> {
  template <typename I> static void apply(const I& in, ParserState& s) { push_operator(in, s, false); }
};
template <> struct action<g::and_op> {
  template <typename I> static void apply(const I& in, ParserState& s) { push_operator(in, s, false); }
};
template <> struct action<g::or_op> {
  template <typename I> static void apply(const I& in, ParserState& s) { push_operator(in, s, false); }
};

template <>
struct action<g::prefixed> {
  static void apply0(ParserState& s) {
    Expr* operand = s.pop();
    const OperatorToken op = s.pop_operator();
    Expr* e = s.ast->make(ExprKind::kUnary, Span{op.span.begin, operand->span.end});
    e->where = op.span;
    e->operands = {operand};
    e->ops = {op};
    s.values.push_back(e);
  }
};

// a ^ b and a < b: binary, never chained.
void binary(ParserState& s) {
  Expr* rhs = s.pop();
  const OperatorToken op = s.pop_operator();
  Expr* lhs = s.pop();
  Expr* e = s.ast->make(ExprKind::kBinary, Span{lhs->span.begin, rhs->span.end});
  e->where = op.span;
  e->operands = {lhs, rhs};
  e->ops = {op};
  s.values.push_back(e);
}

template <> struct action<g::pow_tail> {
  static void apply0(ParserState& s) { binary(s); }
};
template <> struct action<g::cmp_tail> {
  static void apply0(ParserState& s) { binary(s); }
};

void chain_tail(ParserState& s) {
  Expr* rhs = s.pop();
  const OperatorToken op = s.pop_operator();
  Expr* lhs = s.pop();
  s.values.push_back(chain(s, lhs, op, rhs));
}

template <> struct action<g::mul_tail> {
  static void apply0(ParserState& s) { chain_tail(s); }
};
template <> struct action<g::add_tail> {
  static void apply0(ParserState& s) { chain_tail(s); }
};
template <> struct action<g::and_tail> {
  static void apply0(ParserState& s) { chain_tail(s); }
};
template <> struct action<g::or_tail> {
  static void apply0(ParserState& s) { chain_tail(s); }
};

template <>
struct action<g::question> {
  template <typename I>
  static void apply(const I& in, ParserState& s) { s.questions.push_back(span_of(in, s)); }
};

template <>
struct action<g::ternary_tail> {
  static void apply0(ParserState& s) {
    Expr* otherwise = s.pop();
    Expr* then = s.pop();
    Expr* condition = s.pop();
    Expr* e = s.ast->make(ExprKind::kConditional, Span{condition->span.begin, otherwise->span.end});
    e->where = s.questions.back();
    s.questions.pop_back();
    e->operands = {condition, then, otherwise};
    s.values.push_back(e);
  }
};

template <>
struct action<g::assign_target> {
  template <typename I>
  static void apply(const I& /*in*/, ParserState& s) {
    // The dotted_name and index_tail actions pushed it as an expression:
    // a name, or an element (h[i][j]) whose indices the statement keeps.
    Expr* target = s.pop();
    s.target_indices.clear();
    while (target->kind == ExprKind::kIndex) {
      s.target_indices.insert(s.target_indices.begin(), target->operands[1]);
      target = target->operands[0];
    }
    if (target->kind != ExprKind::kName) {
      throw Diagnostic(target->where, "only a name or an element (h[i] = ...) can be assigned");
    }
    s.target = target->text;
    s.target_span = target->span;
  }
};

template <>
struct action<g::assign_op> {
  template <typename I>
  static void apply(const I& in, ParserState& s) { s.assign_op = std::string_view(in.begin(), in.size()); }
};

template <>
struct action<g::assignment> {
  template <typename I>
  static void apply(const I& in, ParserState& s) {
    Statement st;
    st.kind = s.assign_op == "=" ? StatementKind::kAssign : StatementKind::kCompound;
    if (st.kind == StatementKind::kCompound) {
      st.compound_op = operator_from(s.assign_op.substr(0, 1), false);
    }
    st.span = span_of(in, s);
    st.target = s.target;
    st.target_span = s.target_span;
    st.indices = std::move(s.target_indices);
    st.value = s.pop();
    s.add(std::move(st));
  }
};

// ---------------------------------------------------------------------------
// v2 statements: each opens a list for its body when its header is complete,
// and is built from the list when it ends.

Statement v2_statement(StatementKind kind, Span span, ParserState& s) {
  Statement st;
  st.kind = kind;
  st.span = span;
  s.ast->v2 = true;
  return st;
}

template <>
struct action<g::block_open> {
  static void apply0(ParserState& s) { s.open_lists.emplace_back(); }
};

template <>
struct action<g::block> {
  template <typename I>
  static void apply(const I& in, ParserState& s) {
    Statement st = v2_statement(StatementKind::kBlock, span_of(in, s), s);
    st.body = s.pop_list();
    s.add(std::move(st));
  }
};

template <>
struct action<g::loop_declaration> {
  template <typename I>
  static void apply(const I& in, ParserState& s) { s.loop_let = *in.begin() == 'l'; }
};

template <>
struct action<g::loop_name> {
  template <typename I>
  static void apply(const I& in, ParserState& s) {
    s.loop_name = std::string_view(in.begin(), in.size());
    s.loop_name_span = span_of(in, s);
  }
};

template <>
struct action<g::loop_init> {
  template <typename I>
  static void apply(const I& in, ParserState& s) {
    Statement st = v2_statement(StatementKind::kFor, span_of(in, s), s);
    st.target = s.loop_name;
    st.target_span = s.loop_name_span;
    st.scoped = s.loop_let;
    s.loop_let = false;
    st.value = s.pop();
    s.pending.push_back(std::move(st));
  }
};

template <>
struct action<g::loop_condition> {
  static void apply0(ParserState& s) { s.pending.back().condition = s.pop(); }
};

template <>
struct action<g::update_name> {
  template <typename I>
  static void apply(const I& in, ParserState& s) {
    s.pending.back().update_name = std::string_view(in.begin(), in.size());
    s.pending.back().update_span = span_of(in, s);
  }
};

template <> struct action<g::increment> {
  static void apply0(ParserState& s) { s.pending.back().update = LoopUpdate::kIncrement; }
};
template <> struct action<g::decrement> {
  static void apply0(ParserState& s) { s.pending.back().update = LoopUpdate::kDecrement; }
};
template <> struct action<g::step_up> {
  static void apply0(ParserState& s) {
    s.pending.back().update = LoopUpdate::kStepUp;
    s.pending.back().step = s.pop();
  }
};
template <> struct action<g::step_down> {
  static void apply0(ParserState& s) {
    s.pending.back().update = LoopUpdate::kStepDown;
    s.pending.back().step = s.pop();
  }
};

template <>
struct action<g::loop_close> {
  static void apply0(ParserState& s) {
    s.open_lists.emplace_back();
    ++s.loop_depth;
  }
};

template <>
struct action<g::for_statement> {
  template <typename I>
  static void apply(const I& in, ParserState& s) {
    Statement st = std::move(s.pending.back());
    s.pending.pop_back();
    st.span = span_of(in, s);
    st.body = s.pop_list();
    --s.loop_depth;
    s.add(std::move(st));
  }
};

template <>
struct action<g::if_close> {
  static void apply0(ParserState& s) {
    Statement st = v2_statement(StatementKind::kIf, Span{}, s);
    st.condition = s.pop();
    s.pending.push_back(std::move(st));
    s.open_lists.emplace_back();
  }
};

template <>
struct action<g::else_keyword> {
  static void apply0(ParserState& s) {
    s.pending.back().body = s.pop_list();
    s.open_lists.emplace_back();
  }
};

template <>
struct action<g::if_statement> {
  template <typename I>
  static void apply(const I& in, ParserState& s) {
    Statement st = std::move(s.pending.back());
    s.pending.pop_back();
    st.span = span_of(in, s);
    if (st.body.empty()) {
      st.body = s.pop_list();
    } else {
      st.else_body = s.pop_list();
    }
    s.add(std::move(st));
  }
};

template <>
struct action<g::function_name> {
  template <typename I>
  static void apply(const I& in, ParserState& s) {
    Statement st = v2_statement(StatementKind::kFunction, span_of(in, s), s);
    st.target = std::string_view(in.begin(), in.size());
    st.target_span = span_of(in, s);
    s.pending.push_back(std::move(st));
  }
};

template <>
struct action<g::parameter> {
  template <typename I>
  static void apply(const I& in, ParserState& s) {
    s.pending.back().parameters.emplace_back(in.begin(), in.size());
    s.pending.back().parameter_spans.push_back(span_of(in, s));
  }
};

template <>
struct action<g::parameters_close> {
  static void apply0(ParserState& s) {
    s.open_lists.emplace_back();
    ++s.function_depth;
  }
};

template <>
struct action<g::function_declaration> {
  template <typename I>
  static void apply(const I& in, ParserState& s) {
    Statement st = std::move(s.pending.back());
    s.pending.pop_back();
    st.span = span_of(in, s);
    std::vector<Statement> list = s.pop_list();  // one block
    st.body = std::move(list.front().body);
    --s.function_depth;
    s.add(std::move(st));
  }
};

template <>
struct action<g::return_statement> {
  template <typename I>
  static void apply(const I& in, ParserState& s) {
    Statement st = v2_statement(StatementKind::kReturn, span_of(in, s), s);
    st.value = s.pop();
    s.add(std::move(st));
  }
};

template <>
struct action<g::expression_statement> {
  template <typename I>
  static void apply(const I& in, ParserState& s) {
    Statement st;
    st.kind = StatementKind::kExpression;
    st.span = span_of(in, s);
    st.value = s.pop();
    s.add(std::move(st));
  }
};

// ---------------------------------------------------------------------------
// Errors.

// A message for the character at `p`, when it cannot start anything in the
// language, whatever rule failed there; "" when it is an ordinary character.
std::string stray_character(const char* p, const char* end, const ParserState& s) {
  if (p == end) return "";
  const auto c = static_cast<unsigned char>(*p);
  if (c == 0) return "unexpected NUL byte (the program must be text)";
  if (c >= 0x80) {
    const std::size_t length = utf8_length(std::string_view(p, static_cast<std::size_t>(end - p)), 0);
    if (length == 0) return fmt::format("invalid UTF-8 byte 0x{:02X}", c);
    // Decode the sequence to name the character.
    std::uint32_t code = c & (0x7Fu >> length);
    for (std::size_t i = 1; i < length; ++i) code = (code << 6) | (static_cast<unsigned char>(p[i]) & 0x3Fu);
    return fmt::format("unexpected character '{}' (U+{:04X})", std::string_view(p, length), code);
  }
  // A line break where the rule needed more is the rule's own error.
  if (c == '\n' || c == '\r') return "";
  if (c < 0x20 || c == 0x7F) return fmt::format("unexpected control character 0x{:02X}", c);
  const bool doubled = end - p >= 2 && p[1] == p[0];  // `&&` and `||` are operators
  switch (c) {
    case '&': return doubled ? "" : "unexpected '&': the logical and is '&&'";
    case '|': return doubled ? "" : "unexpected '|': the logical or is '||'";
    case ')':
      return s.open_brackets == 0 && s.open_parens.empty() ? "unmatched ')'" : "";
    default: break;
  }
  static constexpr std::string_view kLanguageCharacters =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-*/^!<>=?:(),;%[]{} \t\r\n\v\f";
  if (kLanguageCharacters.find(static_cast<char>(c)) == std::string_view::npos) {
    return fmt::format("unexpected character '{}'", static_cast<char>(c));
  }
  return "";
}

// The operator or character at `p` as the user wrote it: `&&`, not `&`.
std::string_view token_at(const char* p, const char* end) {
  for (const std::string_view op : {"===", "!==", "&&", "||", "**", "==", "!=", "<=", ">="}) {
    if (static_cast<std::size_t>(end - p) >= op.size() && std::string_view(p, op.size()) == op) return op;
  }
  return std::string_view(p, 1);
}

// Whether the nested rule `Rule` can match at `p`: only then does entering it
// count against the depth limit (an alternative tried and failed does not).
template <typename Rule>
bool could_start(const char* p, const char* end) {
  if constexpr (std::is_same_v<Rule, g::paren_expr> || std::is_same_v<Rule, g::call_args>) {
    return p != end && *p == '(';
  } else if constexpr (std::is_same_v<Rule, g::prefixed>) {
    return p != end && (*p == '-' || *p == '+' || *p == '!');
  } else if constexpr (std::is_same_v<Rule, g::index_tail> || std::is_same_v<Rule, g::array_literal>) {
    return p != end && *p == '[';
  } else if constexpr (std::is_same_v<Rule, g::block>) {
    return p != end && *p == '{';
  } else {
    return true;
  }
}

template <typename Rule>
struct control : pegtl::normal<Rule> {
  template <typename ParseInput>
  static void start(const ParseInput& in, ParserState& s) {
    if constexpr (g::is_nested<Rule>) {
      if (++s.depth > s.max_depth && could_start<Rule>(in.current(), s.base + s.size)) {
        const std::size_t at = s.offset(in.current());
        throw Diagnostic(Span{at, at + 1},
                         fmt::format("expression nested too deeply (more than {} levels of "
                                     "parentheses, calls, ?:, ^ or prefix operators)",
                                     s.max_depth));
      }
    }
    if constexpr (g::is_bracket<Rule>) ++s.open_brackets;
    if constexpr (std::is_same_v<Rule, g::paren_expr>) s.open_parens.push_back(s.offset(in.current()));
    if constexpr (std::is_same_v<Rule, g::block_comment>) s.comment_start = s.offset(in.current());
  }

  template <typename ParseInput>
  static void leave(const ParseInput& /*in*/, ParserState& s) {
    if constexpr (g::is_nested<Rule>) --s.depth;
    if constexpr (g::is_bracket<Rule>) --s.open_brackets;
    if constexpr (std::is_same_v<Rule, g::paren_expr>) s.open_parens.pop_back();
  }
  template <typename ParseInput>
  static void success(const ParseInput& in, ParserState& s) { leave(in, s); }
  template <typename ParseInput>
  static void failure(const ParseInput& in, ParserState& s) { leave(in, s); }

  template <typename ParseInput>
  [[noreturn]] static void raise(const ParseInput& in, ParserState& s) {
    // Point at the next character that is not a blank.
    const char* p = in.current();
    const char* end = s.base + s.size;
    while (p != end && (*p == ' ' || *p == '\t')) ++p;
    std::size_t at = s.offset(p);
    if (p == end) {
      // Nothing more to read: point just after the last thing written, not
      // at an empty last line.
      while (at > 0 && std::string_view(" \t\r\n\v\f").find(s.base[at - 1]) != std::string_view::npos) --at;
    }
    if constexpr (std::is_same_v<Rule, g::block_comment_rest>) at = s.comment_start;
    const Span span{at, at + 1};
    if (std::string stray = stray_character(p, end, s); !stray.empty()) {
      throw Diagnostic(span, stray);
    }
    std::string message = g::error_message<Rule> ? g::error_message<Rule> : "syntax error";
    if constexpr (std::is_same_v<Rule, g::close_paren>) {
      const LineColumn open = line_column(std::string_view(s.base, s.size), s.open_parens.back());
      if (p != end && *p == ',') {
        // (a, b): the parenthesis may well be closed later; the comma is the problem.
        message = fmt::format("unexpected ',' inside the '(' at {}:{}: there is no comma operator "
                              "(a call is written name(a, b))", open.line, open.column);
      } else {
        message = fmt::format("unbalanced parentheses: the '(' at {}:{} is never closed", open.line,
                              open.column);
      }
    } else if (p == end) {
      message += " before the end of the input";
    }
    if constexpr (std::is_same_v<Rule, g::statement_end> || std::is_same_v<Rule, g::eof>) {
      if (p != end && *p != '\n' && *p != '\r') message = fmt::format("unexpected '{}': {}", token_at(p, end), message);
    }
    throw Diagnostic(span, message);
  }
};

}  // namespace

Ast parse(const Source& source, const ParseLimits& limits) {
  Ast ast;
  ParserState state;
  state.base = source.text.data();
  state.size = source.text.size();
  state.ast = &ast;
  state.max_depth = limits.max_depth;
  state.max_statements = limits.max_statements;
  if (source.text.size() > limits.max_bytes) {
    throw Diagnostic(Span{limits.max_bytes, limits.max_bytes + 1},
                     fmt::format("the program is longer than {} bytes (the limit; raise it with "
                                 "--max-size BYTES)", limits.max_bytes));
  }
  pegtl::memory_input<> in(source.text.data(), source.text.size(), source.name);
  try {
    pegtl::parse<g::program, action, control>(in, state);
  } catch (const pegtl::parse_error& e) {
    // Only a rule without an error message can get here; report it anyway.
    const auto& pos = e.positions();
    const std::size_t at = pos.empty() ? 0 : pos.front().byte;
    throw Diagnostic(Span{at, at + 1}, std::string(e.message()));
  }
  if (ast.statements.empty()) {
    throw Diagnostic(Span{0, 0}, "empty program: write an expression such as a * b + c");
  }
  return ast;
}

}  // namespace gradgen

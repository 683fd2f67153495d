// The grammar of the gradgen expression language (shared/spec/language.md), for
// PEGTL 3.2.7. One rule per precedence level, loosest first; each rule has a
// sentence saying what it matches. Rules that follow an operator are wrapped in
// must<> so that a parse error always has a position, and the messages for
// those failures live in one table at the end of this file.
//
// Newlines: a newline ends a statement only where the statement is complete.
// Whitespace *after* an operator may therefore always contain newlines
// (any_space), while whitespace *before* an operator (op_space) may contain
// newlines only inside parentheses, call arguments or the middle of `?:`. The
// parser state counts those open brackets; op_space reads that count.
//
// Recursion: every rule that recurses (parentheses, calls, the middle and the
// else branch of ?:, the exponent of ^, prefix operators) is "nested"; the
// parser's control counts their depth and refuses input nested deeper than a
// configurable limit with a clear error, so no input can overflow the stack.
// Left-associative runs (a + b + c ...) are matched with star<>, not recursion.
#pragma once

#include <tao/pegtl.hpp>

namespace gradgen::grammar {

using namespace tao::pegtl;  // NOLINT: the grammar reads best unqualified

// ---------------------------------------------------------------------------
// Layout: blanks, newlines and comments.

// A `//` comment runs to the end of the line; the newline is not part of it.
struct line_comment : seq<two<'/'>, until<at<sor<one<'\n', '\r'>, eof>>>> {};
// The end of a `/* ... */` comment; reaching the end of input first is an error.
struct block_comment_rest : until<string<'*', '/'>> {};
// A `/* ... */` comment, which may span lines.
struct block_comment : if_must<string<'/', '*'>, block_comment_rest> {};
// A `/* ... */` comment within one line, which counts as a blank; one that
// spans lines counts as a line break, as in JavaScript.
struct inline_block_comment
    : seq<string<'/', '*'>, until<string<'*', '/'>, not_one<'\n', '\r'>>> {};
// A blank inside a line.
struct blank : one<' ', '\t', '\v', '\f'> {};
// A line break: LF, CRLF or a lone CR.
struct newline : sor<string<'\r', '\n'>, one<'\n'>, one<'\r'>> {};
// Blanks and comments that do not cross a line break.
struct inline_space : star<sor<blank, line_comment, inline_block_comment>> {};
// Blanks, comments and line breaks.
struct any_space : star<sor<blank, newline, line_comment, block_comment>> {};

// Whitespace before an operator: it crosses line breaks only inside brackets
// (the state's open_brackets > 0); at the top level a newline ends the statement.
struct op_space {
  using rule_t = op_space;
  using subs_t = type_list<any_space, inline_space>;

  template <apply_mode A, rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  static bool match(ParseInput& in, State& state) {
    if (state.open_brackets > 0) {
      return tao::pegtl::match<any_space, A, M, Action, Control>(in, state);
    }
    return tao::pegtl::match<inline_space, A, M, Action, Control>(in, state);
  }
};

// ---------------------------------------------------------------------------
// Tokens.

// A name: [A-Za-z_][A-Za-z0-9_]*.
struct name : identifier {};
// A name with members, as in Math.PI or Math.sin; only Math.X is meaningful,
// which the semantic pass checks.
struct dotted_name : seq<name, star<one<'.'>, must<name>>> {};
// A number token, read greedily (3, 2.5, .5, 1e-3, 1.5E+2, and also malformed
// ones such as 1.2.3, 1e or 3x) so that a malformed number is reported as one
// token; the parser's action validates it.
struct number
    : seq<sor<digit, seq<one<'.'>, digit>>,
          star<sor<seq<one<'e', 'E'>, one<'+', '-'>>, identifier_other, one<'.'>>>> {};

// ---------------------------------------------------------------------------
// Expressions, from tightest to loosest binding (each refers to the previous).

struct expression;
struct conditional;
struct unary;

// An opening parenthesis of a grouping.
struct open_paren : one<'('> {};
// The closing parenthesis of a grouping.
struct close_paren : one<')'> {};
// A parenthesised expression: ( expression ).            [nested, bracket]
struct paren_expr : if_must<open_paren, any_space, expression, any_space, close_paren> {};

// The opening parenthesis of a call's argument list.
struct call_open : one<'('> {};
// The closing parenthesis of a call's argument list.
struct call_close : one<')'> {};
// One argument of a call.
struct argument : seq<expression> {};
// Arguments after the first, each after a comma.
struct more_arguments : star<any_space, one<','>, any_space, must<argument>> {};
// A call's argument list: ( ) or ( expression, ... ).     [nested, bracket]
struct call_args
    : seq<call_open, any_space,
          sor<call_close, seq<must<argument>, more_arguments, any_space, must<call_close>>>> {};
// A name, or a call when an argument list follows it on the same line.
struct name_or_call : seq<dotted_name, opt<op_space, call_args>> {};

// A primary: a number, a parenthesised expression, a name or a call.
// v2: an array literal, [1, 0, a * b] or [[1, 2], [3, 4]].   [nested, bracket]
struct array_open : one<'['> {};
struct array_close : one<']'> {};
struct element : seq<expression> {};
struct array_literal
    : if_must<array_open, any_space,
              sor<array_close, seq<must<element>, star<any_space, one<','>, any_space, must<element>>,
                                   any_space, must<array_close>>>> {};
struct primary : sor<number, paren_expr, array_literal, name_or_call> {};

// v2: an element or sub-array, x[i] (after a name, a call or another index),
// and .length (h.length is a dotted name; W[0].length is this).  [bracket]
struct index_close : one<']'> {};
struct index_tail : if_must<one<'['>, any_space, expression, any_space, index_close> {};
struct length_tail : seq<one<'.'>, TAO_PEGTL_KEYWORD("length")> {};
struct postfix : seq<primary, star<sor<seq<inline_space, index_tail>, length_tail>>> {};

// The power operator: ^ or **.
struct pow_op : sor<one<'^'>, two<'*'>> {};
// The exponent of ^: a prefix expression, so a^-b works and a^b^c groups to
// the right.                                                         [nested]
struct exponent : seq<unary> {};
// ^ with its exponent.
struct pow_tail : seq<op_space, pow_op, any_space, must<exponent>> {};
// A power: primary (^ exponent)?.
struct power : seq<postfix, opt<pow_tail>> {};

// There is no ++ or --: `a--b` is refused rather than read as a - (-b).
struct no_increment : not_at<sor<two<'+'>, two<'-'>>> {};
// A prefix operator: -, + or ! (but not the != operator).
struct unary_op : sor<one<'-'>, one<'+'>, seq<one<'!'>, not_at<one<'='>>>> {};
// A prefix operator applied to a prefix expression; -a^2 is -(a^2). [nested]
struct prefixed : seq<must<no_increment>, unary_op, any_space, must<unary>> {};
// A prefix expression.
struct unary : sor<prefixed, power> {};

// * or /, but not **, //, /* or the compound assignments *= and /=.
struct mul_op
    : sor<seq<one<'*'>, not_at<one<'*', '='>>>, seq<one<'/'>, not_at<one<'/', '*', '='>>>,
          seq<one<'%'>, not_at<one<'='>>>> {};
// * or / with its right operand.
struct mul_tail : seq<op_space, mul_op, any_space, must<unary>> {};
// A product: unary ((* | /) unary)*.
struct multiplicative : seq<unary, star<mul_tail>> {};

// + or -, but not the compound assignments += and -=.
struct add_op : seq<one<'+', '-'>, not_at<one<'='>>> {};
// + or - with its right operand.
struct add_tail : seq<op_space, must<no_increment>, add_op, any_space, must<multiplicative>> {};
// A sum: multiplicative ((+ | -) multiplicative)*.
struct additive : seq<multiplicative, star<add_tail>> {};

// A comparison operator; === and !== mean == and !=.
struct cmp_op : sor<string<'=', '=', '='>, string<'!', '=', '='>, two<'='>, string<'!', '='>,
                    string<'<', '='>, string<'>', '='>, one<'<'>, one<'>'>> {};
// A comparison operator with its right operand.
struct cmp_tail : seq<op_space, cmp_op, any_space, must<additive>> {};
// Comparisons do not chain: a < b < c is an error.
struct no_chained_comparison : not_at<op_space, cmp_op> {};
// A comparison: additive (op additive)?; its value is a condition.
struct comparison : seq<additive, opt<cmp_tail, must<no_chained_comparison>>> {};

// The logical and: &&.
struct and_op : two<'&'> {};
// && with its right operand.
struct and_tail : seq<op_space, and_op, any_space, must<comparison>> {};
// A conjunction: comparison (&& comparison)*.
struct logical_and : seq<comparison, star<and_tail>> {};

// The logical or: ||.
struct or_op : two<'|'> {};
// || with its right operand.
struct or_tail : seq<op_space, or_op, any_space, must<logical_and>> {};
// A disjunction: logical_and (|| logical_and)*.
struct logical_or : seq<logical_and, star<or_tail>> {};

// The ? of a conditional expression.
struct question : one<'?'> {};
// The : of a conditional expression.
struct colon : one<':'> {};
// The value when the condition holds.                       [nested, bracket]
struct ternary_then : seq<expression> {};
// The value otherwise; c ? a : d ? b : e groups to the right.       [nested]
struct ternary_else : seq<conditional> {};
// ? then : else.
struct ternary_tail : seq<op_space, question, any_space, must<ternary_then>, any_space,
                          must<colon>, any_space, must<ternary_else>> {};
// A conditional: logical_or (? expression : conditional)?.
struct conditional : seq<logical_or, opt<ternary_tail>> {};

// An expression.
struct expression : seq<conditional> {};

// ---------------------------------------------------------------------------
// Statements and programs.

// `var`, `let` or `const` before a statement, which is ignored; only a keyword
// when a name follows, so `var = 2` assigns a variable named var.
struct declaration : seq<sor<TAO_PEGTL_KEYWORD("var"), TAO_PEGTL_KEYWORD("let"),
                             TAO_PEGTL_KEYWORD("const")>,
                         inline_space, at<identifier_first>> {};
// An assignment operator: = (but not ==), +=, -=, *=, /=.
struct assign_op : sor<seq<one<'='>, not_at<one<'='>>>, string<'+', '='>, string<'-', '='>,
                       string<'*', '='>, string<'/', '='>> {};
// The name being assigned, or an element of it (v2: h[i] = ...).
struct assign_target : seq<dotted_name, star<inline_space, index_tail>> {};
// NAME op= expression; recognised by lookahead so that `a == b` and `a + b`
// are expressions.
// (The lookahead's index must not raise: `return [a, b]` is no assignment.)
struct index_lookahead : seq<one<'['>, any_space, expression, any_space, one<']'>> {};
struct assignment : seq<at<dotted_name, star<inline_space, index_lookahead>, op_space, assign_op>, assign_target,
                        op_space, assign_op, any_space, must<expression>> {};
// A statement that is a bare expression.
struct expression_statement : seq<expression> {};
// `, NAME = expression` after a declaration's assignment: `var a = 1, b = 2`
// assigns both, one statement after the other, as JavaScript does.
struct declarator_comma : seq<op_space, one<','>, any_space> {};
struct next_declarator : seq<assignment> {};
struct declaration_list : seq<declaration, assignment, star<declarator_comma, must<next_declarator>>> {};
// `var x, y`: a declared name without a value, before a comma (an error).
struct declared_value : failure {};
struct valueless_declaration : seq<declaration, dotted_name, op_space, at<one<','>>, must<declared_value>> {};

// v2 statements (language-v2.md). Their keywords are contextual: `for (`,
// `if (`, `function NAME(` begin them; elsewhere each word is a name.
struct statement;
struct statement_end;
struct skip;

// A block: { statements }.
struct block_open : one<'{'> {};
struct block_close : one<'}'> {};
// After a statement that ends with '}' (a block, or a for, if or function
// whose body is one) nothing more is needed to end it.
struct after_brace {
  using rule_t = after_brace;
  using subs_t = empty_list;
  template <apply_mode A, rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  static bool match(ParseInput& in, State& state) {
    return in.current() > state.base && in.current()[-1] == '}';
  }
};
struct statement_list : star<statement, sor<after_brace, seq<inline_space, must<statement_end>>>, skip> {};
struct block : if_must<block_open, skip, statement_list, block_close> {};

// for (INIT; COND; UPDATE) BODY                                        [bracket]
struct loop_declaration : seq<sor<TAO_PEGTL_KEYWORD("var"), TAO_PEGTL_KEYWORD("let")>, inline_space,
                              at<identifier_first>> {};
struct loop_name : seq<name> {};
struct loop_init : seq<opt<loop_declaration>, loop_name, any_space, one<'='>, not_at<one<'='>>, any_space,
                       must<expression>> {};
struct loop_condition : seq<expression> {};
struct update_name : seq<name> {};
struct increment : sor<seq<update_name, any_space, two<'+'>>, seq<two<'+'>, any_space, update_name>> {};
struct decrement : sor<seq<update_name, any_space, two<'-'>>, seq<two<'-'>, any_space, update_name>> {};
struct step_up : seq<update_name, any_space, string<'+', '='>, any_space, must<expression>> {};
struct step_down : seq<update_name, any_space, string<'-', '='>, any_space, must<expression>> {};
struct loop_update : sor<increment, decrement, step_up, step_down> {};
struct loop_semicolon : one<';'> {};
struct loop_close : one<')'> {};
struct loop_header : if_must<one<'('>, any_space, loop_init, any_space, loop_semicolon, any_space, loop_condition,
                             any_space, loop_semicolon, any_space, loop_update, any_space, loop_close> {};
struct loop_body : seq<statement> {};
struct for_statement : seq<TAO_PEGTL_KEYWORD("for"), inline_space, at<one<'('>>, must<loop_header>, any_space,
                           must<loop_body>> {};

// if (COND) S1 [else S2]                                               [bracket]
struct if_close : one<')'> {};
struct if_condition : if_must<one<'('>, any_space, expression, any_space, if_close> {};
struct then_body : seq<statement> {};
struct else_keyword : TAO_PEGTL_KEYWORD("else") {};
struct else_body : seq<statement> {};
struct else_part : seq<star<sor<one<';'>, blank, newline, line_comment, block_comment>>, else_keyword, any_space,
                       must<else_body>> {};
struct if_statement : seq<TAO_PEGTL_KEYWORD("if"), inline_space, at<one<'('>>, must<if_condition>, any_space,
                          must<then_body>, opt<else_part>> {};

// function NAME(P1, P2) { BODY }                                        [bracket]
struct function_name : seq<name> {};
struct parameter : seq<name> {};
struct parameters_close : one<')'> {};
struct parameters : if_must<one<'('>, any_space,
                            sor<parameters_close, seq<parameter, star<any_space, one<','>, any_space, must<parameter>>,
                                                      any_space, must<parameters_close>>>> {};
struct function_body : seq<block> {};
struct function_declaration
    : seq<TAO_PEGTL_KEYWORD("function"), inline_space, at<identifier, inline_space, one<'('>>, function_name,
          inline_space, must<parameters>, any_space, must<function_body>> {};

// `return EXPR` at the start of a statement in a function's body.
struct in_function {
  using rule_t = in_function;
  using subs_t = empty_list;
  template <apply_mode A, rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  static bool match(ParseInput& /*in*/, State& state) {
    return state.function_depth > 0;
  }
};
struct return_statement : seq<in_function, TAO_PEGTL_KEYWORD("return"), inline_space, not_at<assign_op>,
                              must<expression>> {};

// What the language does not have, each refused with its own message.
struct no_while : failure {};
struct no_do : failure {};
struct no_break : failure {};
// (Recognised by lookahead, so that the caret is under the word.)
struct while_statement : seq<at<TAO_PEGTL_KEYWORD("while"), inline_space, one<'('>>, must<no_while>> {};
struct do_statement : seq<at<TAO_PEGTL_KEYWORD("do"), any_space, one<'{'>>, must<no_do>> {};
// `break` or `continue` as a whole statement in a loop's body (elsewhere
// each is a name, as in v1).
struct in_loop {
  using rule_t = in_loop;
  using subs_t = empty_list;
  template <apply_mode A, rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  static bool match(ParseInput& /*in*/, State& state) {
    return state.loop_depth > 0;
  }
};
struct break_statement
    : seq<in_loop,
          at<sor<TAO_PEGTL_KEYWORD("break"), TAO_PEGTL_KEYWORD("continue")>, inline_space,
             sor<one<';', '}'>, newline, eof>>,
          must<no_break>> {};

// A statement.
struct statement : sor<block, for_statement, if_statement, function_declaration, while_statement, do_statement,
                       break_statement, declaration_list, valueless_declaration,
                       seq<opt<declaration>, sor<assignment, return_statement, expression_statement>>> {};
// What ends a statement: ;, a line break (or a comment spanning one), the
// end of the input, or the '}' that closes its block.
struct statement_end : sor<one<';'>, newline, block_comment, eof, at<one<'}'>>> {};
// Separators, blanks and comments between statements.
struct skip : star<sor<one<';'>, blank, newline, line_comment, block_comment>> {};
// A UTF-8 byte order mark, which is ignored.
struct bom : string<'\xEF', '\xBB', '\xBF'> {};
// A program: statements separated by ; or line breaks.
struct program : seq<opt<bom>, skip, statement_list, must<eof>> {};

// ---------------------------------------------------------------------------
// Error messages for the rules under must<>: all user-visible parse messages
// are here. (The parser adds detail where it can: the position of an unclosed
// '(', or the character it did not expect.)

template <typename Rule>
inline constexpr const char* error_message = nullptr;

template <> inline constexpr const char* error_message<block_comment_rest> = "unterminated /* comment";
template <> inline constexpr const char* error_message<name> = "expected a name after '.'";
template <> inline constexpr const char* error_message<expression> = "expected an expression";
template <> inline constexpr const char* error_message<next_declarator> =
    "expected a name and its value after ',' (var a = 1, b = 2)";
template <> inline constexpr const char* error_message<declared_value> =
    "each declared name needs a value (var a = 1, b = 2)";
template <> inline constexpr const char* error_message<close_paren> = "expected ')'";
template <> inline constexpr const char* error_message<argument> = "expected an argument";
template <> inline constexpr const char* error_message<call_close> = "expected ',' or ')' in the argument list";
template <> inline constexpr const char* error_message<exponent> = "expected an exponent after the power operator";
template <> inline constexpr const char* error_message<unary> = "expected an operand";
template <> inline constexpr const char* error_message<multiplicative> = "expected an operand";
template <> inline constexpr const char* error_message<additive> = "expected an operand";
template <> inline constexpr const char* error_message<comparison> = "expected an operand";
template <> inline constexpr const char* error_message<logical_and> = "expected an operand";
template <> inline constexpr const char* error_message<no_chained_comparison> = "comparisons cannot be chained; write (a < b) && (b < c)";
template <> inline constexpr const char* error_message<no_increment> = "there is no ++ or -- operator; write a - -b or a + +b with a space";
template <> inline constexpr const char* error_message<ternary_then> = "expected an expression after '?'";
template <> inline constexpr const char* error_message<colon> = "expected ':' in the conditional expression";
template <> inline constexpr const char* error_message<ternary_else> = "expected an expression after ':'";
template <> inline constexpr const char* error_message<statement_end> = "expected an operator, ';' or a new line";
template <> inline constexpr const char* error_message<eof> = "expected a statement";
template <> inline constexpr const char* error_message<element> = "expected an element of the array";
template <> inline constexpr const char* error_message<array_close> = "expected ',' or ']' in the array";
template <> inline constexpr const char* error_message<index_close> = "expected ']' after the index";
template <> inline constexpr const char* error_message<block_close> = "expected '}' to close the block";
template <> inline constexpr const char* error_message<loop_header> =
    "expected '(' after for: for (var i = 0; i < n; i++)";
template <> inline constexpr const char* error_message<loop_init> =
    "expected the loop's start: for (var i = 0; ...), a name and its first value";
template <> inline constexpr const char* error_message<loop_semicolon> =
    "expected ';' in the loop's header: for (var i = 0; i < n; i++)";
template <> inline constexpr const char* error_message<loop_condition> =
    "expected the loop's condition: i < S, i <= S, i > S or i >= S";
template <> inline constexpr const char* error_message<loop_update> =
    "expected the loop's update: i++, ++i, i--, --i, i += S or i -= S";
template <> inline constexpr const char* error_message<loop_close> =
    "expected ')' after the loop's update (i++, ++i, i--, --i, i += S or i -= S)";
template <> inline constexpr const char* error_message<loop_body> = "expected the loop's body: a statement or a block";
template <> inline constexpr const char* error_message<if_condition> = "expected '(' and a condition after if";
template <> inline constexpr const char* error_message<if_close> = "expected ')' after the if's condition";
template <> inline constexpr const char* error_message<then_body> = "expected a statement or a block after if (...)";
template <> inline constexpr const char* error_message<else_body> = "expected a statement or a block after else";
template <> inline constexpr const char* error_message<parameters> = "expected '(' and the function's parameters";
template <> inline constexpr const char* error_message<parameter> = "expected a parameter name";
template <> inline constexpr const char* error_message<parameters_close> = "expected ',' or ')' after a parameter";
template <> inline constexpr const char* error_message<function_body> = "expected the function's body: { ... return value }";
template <> inline constexpr const char* error_message<no_while> =
    "while loops are not supported: write a for loop with static bounds, for (var i = 0; i < n; i++)";
template <> inline constexpr const char* error_message<no_do> =
    "do loops are not supported: write a for loop with static bounds, for (var i = 0; i < n; i++)";
template <> inline constexpr const char* error_message<no_break> =
    "break and continue are not supported: loops run their whole static trip count (use if inside the body)";

// Rules whose recursion the parser counts against its depth limit.
template <typename Rule> inline constexpr bool is_nested = false;
template <> inline constexpr bool is_nested<paren_expr> = true;
template <> inline constexpr bool is_nested<call_args> = true;
template <> inline constexpr bool is_nested<exponent> = true;
template <> inline constexpr bool is_nested<prefixed> = true;
template <> inline constexpr bool is_nested<ternary_then> = true;
template <> inline constexpr bool is_nested<ternary_else> = true;
template <> inline constexpr bool is_nested<array_literal> = true;
template <> inline constexpr bool is_nested<index_tail> = true;
template <> inline constexpr bool is_nested<block> = true;
template <> inline constexpr bool is_nested<loop_body> = true;
template <> inline constexpr bool is_nested<then_body> = true;
template <> inline constexpr bool is_nested<else_body> = true;

// Rules inside which a line break is whitespace.
template <typename Rule> inline constexpr bool is_bracket = false;
template <> inline constexpr bool is_bracket<paren_expr> = true;
template <> inline constexpr bool is_bracket<call_args> = true;
template <> inline constexpr bool is_bracket<ternary_then> = true;
template <> inline constexpr bool is_bracket<array_literal> = true;
template <> inline constexpr bool is_bracket<index_tail> = true;
template <> inline constexpr bool is_bracket<index_lookahead> = true;
template <> inline constexpr bool is_bracket<loop_header> = true;
template <> inline constexpr bool is_bracket<if_condition> = true;
template <> inline constexpr bool is_bracket<parameters> = true;

}  // namespace gradgen::grammar

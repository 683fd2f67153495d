// The error table of shared/spec/language.md ("Errors"): every class of bad
// program, with the line and column a user expects the caret at (the unknown
// name, the operator, the unexpected character, or the place where the
// missing operand or ')' should be) and a part of the message. Then the shape
// of format_diagnostic's output.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "compiler/compile.hpp"

namespace {

struct ErrorRow {
  std::string program;
  std::size_t line;
  std::size_t column;
  std::string message;  // a part of the message
};

struct Reported {
  bool thrown = false;
  std::size_t line = 0;
  std::size_t column = 0;
  std::string message;
};

Reported report(const std::string& program, const gradgen::ParseLimits& limits = {}) {
  const gradgen::Source source{"<input>", program};
  gradgen::CompileOptions options;
  options.limits = limits;
  Reported r;
  try {
    gradgen::compile(source, options);
  } catch (const gradgen::Diagnostic& d) {
    const gradgen::LineColumn lc = gradgen::line_column(source.text, d.span().begin);
    r = {true, lc.line, lc.column, d.what()};
  }
  return r;
}

// Shows control bytes and long programs legibly in failure messages.
std::string printable(const std::string& s) {
  if (s.size() > 60) return printable(s.substr(0, 30)) + "...(" + std::to_string(s.size()) + " bytes)";
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u >= 0x7F) {
      static const char* hex = "0123456789ABCDEF";
      out += std::string("\\x") + hex[u >> 4] + hex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

void check_rows(const std::vector<ErrorRow>& rows) {
  for (const ErrorRow& row : rows) {
    INFO("program: \"" << printable(row.program) << "\"");
    const Reported r = report(row.program);
    REQUIRE(r.thrown);
    INFO("message: " << r.message);
    CHECK(r.line == row.line);
    CHECK(r.column == row.column);
    CHECK_THAT(r.message, Catch::Contains(row.message));
  }
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

const char* const kNested = "nested too deeply";

}  // namespace

TEST_CASE("syntax errors: parentheses, operators, statements", "[errors]") {
  check_rows({
      // unbalanced parentheses: the caret is where the ')' is missing
      {"(a + b", 1, 7, "never closed"},
      {"(a + b", 1, 7, "'(' at 1:1"},
      {"x = (a + b", 1, 11, "'(' at 1:5"},
      {"((a + b)", 1, 9, "'(' at 1:1"},
      {"(a + (b * c)", 1, 13, "'(' at 1:1"},
      {"x = (a + b\n", 1, 11, "'(' at 1:5"},
      {"(a + b\ny = 2", 2, 1, "'(' at 1:1"},
      {"f(a", 1, 4, "')'"},
      {"sin(a + b", 1, 10, "')'"},
      // a comma in parentheses that are not a call: the comma is the error
      {"x = (a, b) * 2", 1, 7, "unexpected ',' inside the '(' at 1:5: there is no comma operator"},
      {"(a + b,\nc)", 1, 7, "a call is written name(a, b)"},
      // ... and a stray ')'
      {"a + b)", 1, 6, "unmatched ')'"},
      {")", 1, 1, "unmatched ')'"},
      {"(a))", 1, 4, "unmatched ')'"},
      {"x = 1\ny = x)", 2, 6, "unmatched ')'"},
      {"f(a))", 1, 5, "unmatched ')'"},
      // a trailing operator: the caret is where the operand should be
      {"a +", 1, 4, "expected an operand"},
      {"a *", 1, 4, "expected an operand"},
      {"x = a -", 1, 8, "expected an operand"},
      {"a /", 1, 4, "expected an operand"},
      {"a ^", 1, 4, "exponent"},
      {"a **", 1, 5, "exponent"},
      {"a <", 1, 4, "expected an operand"},
      {"a &&", 1, 5, "expected an operand"},
      {"a ||", 1, 5, "expected an operand"},
      {"x = -", 1, 6, "expected an operand"},
      {"x = !", 1, 6, "expected an operand"},
      {"x =", 1, 4, "expected an expression"},
      {"x +=", 1, 5, "expected an expression"},
      {"a +\n", 1, 4, "expected an operand"},
      {"a = 1\nb = a *\n", 2, 8, "expected an operand"},
      {"a + * b", 1, 5, "expected an operand"},
      {"a ?", 1, 4, "after '?'"},
      {"a ? b", 1, 6, "':'"},
      {"a ? b :", 1, 8, "after ':'"},
      {"f(a,)", 1, 5, "expected an argument"},
      {"f(a b)", 1, 5, "')'"},
      {"Math.", 1, 6, "expected a name after '.'"},
      // two expressions with nothing between them
      {"a b", 1, 3, "unexpected 'b'"},
      {"2 = a", 1, 3, "unexpected '='"},
      {"a = b = c", 1, 7, "unexpected '='"},
      {"a\n* b", 2, 1, "unexpected '*'"},
      // comparisons do not chain
      {"a < b < c", 1, 7, "cannot be chained"},
      {"x = a == b != c", 1, 12, "cannot be chained"},
      // an unterminated comment: the caret is at its opening /*
      {"a /* b", 1, 3, "unterminated /* comment"},
      {"a = 1\n/* never\nclosed\n", 2, 1, "unterminated /* comment"},
  });
}

TEST_CASE("an empty program is an error", "[errors]") {
  check_rows({
      {"", 1, 1, "empty program"},
      {";", 1, 1, "empty program"},
      {";;", 1, 1, "empty program"},
      {"// only a comment", 1, 1, "empty program"},
      {"/* only a comment */", 1, 1, "empty program"},
      {"  \n ", 1, 1, "empty program"},
      {"\n\n;\n// x\n", 1, 1, "empty program"},
      {"\xEF\xBB\xBF", 1, 1, "empty program"},
  });
}

TEST_CASE("numbers that do not parse", "[errors]") {
  check_rows({
      {"1.2.3", 1, 1, "'1.2.3'"},
      {"x = 1.2.3 + a", 1, 5, "at most one decimal point"},
      {"1e", 1, 1, "exponent has no digits"},
      {"1e+", 1, 1, "exponent has no digits"},
      {"a * 2E-", 1, 5, "exponent has no digits"},
      {"3x", 1, 1, "'3x'"},
      {"a + 3x", 1, 5, "no suffixes"},
      {"2.5f", 1, 1, "no suffixes"},
      {"0x10", 1, 1, "hexadecimal"},
      {"007", 1, 1, "no octal numbers"},
      {"x = 1 + 0012", 1, 9, "no octal numbers"},
      // There is no ++ or --: refused rather than read as a - (-b).
      {"a -- b", 1, 3, "no ++ or --"},
      {"a--b", 1, 2, "no ++ or --"},
      {"a++b", 1, 2, "no ++ or --"},
      {"y = --a", 1, 5, "no ++ or --"},
      {"1e999", 1, 1, "too large"},
      {"x = -1e400000", 1, 6, "too large"},
  });
}

TEST_CASE("stray characters", "[errors]") {
  check_rows({
      {"a $ b", 1, 3, "'$'"},
      {"$", 1, 1, "'$'"},
      {"a # b", 1, 3, "'#'"},
      {"a @ b", 1, 3, "'@'"},
      {"a ` b", 1, 3, "'`'"},
      {"x = a ~ b", 1, 7, "'~'"},
      {"a \\ b", 1, 3, "'\\'"},
      {"a & b", 1, 3, "'&&'"},
      {"a | b", 1, 3, "'||'"},
      {"a % b", 1, 3, "fmod"},
      {"x = \"a\"", 1, 5, "'\"'"},
      {"a \xC3\xA9 b", 1, 3, "U+00E9"},
      {"\xC3\xA9 + $", 1, 1, "U+00E9"},
      {"x = \xCE\xB1 * 2", 1, 5, "U+03B1"},
      {std::string("a \0 b", 5), 1, 3, "NUL"},
      {"a \xFF b", 1, 3, "0xFF"},
      {"a + \x80", 1, 5, "0x80"},
      {"a \x01 b", 1, 3, "0x01"},
      {"x = 1\ny = x\n  $ + 1", 3, 3, "'$'"},
      {"a = 1\r\nb = a @ 2", 2, 7, "'@'"},
  });
}

TEST_CASE("unknown functions, with the nearest name", "[errors]") {
  check_rows({
      {"sinn(x)", 1, 1, "did you mean 'sin'"},
      {"sinn(x)", 1, 1, "unknown function 'sinn'"},
      {"Sqrt(x)", 1, 1, "did you mean 'sqrt'"},
      {"y = a + expp(b)", 1, 9, "did you mean 'exp'"},
      {"sigmod(x)", 1, 1, "did you mean 'sigmoid'"},
      {"tanhh(x)", 1, 1, "did you mean 'tanh'"},
      {"Math.sinn(x)", 1, 1, "unknown function 'Math.sinn'"},
      {"Math.sqr(x)", 1, 1, "did you mean"},
      {"frobnicate(x)", 1, 1, "unknown function 'frobnicate'"},
      {"pi(2)", 1, 1, "constant"},
  });
}

TEST_CASE("wrong numbers of arguments", "[errors]") {
  check_rows({
      {"pow(x)", 1, 1, "pow takes 2 arguments, but 1 was given"},
      {"pow(x, y, z)", 1, 1, "3 were given"},
      {"max(a)", 1, 1, "2 or more arguments"},
      {"min()", 1, 1, "2 or more arguments"},
      {"hypot(a, b, c, d)", 1, 1, "2 or 3 arguments, but 4 were given"},
      {"hypot(a)", 1, 1, "2 or 3 arguments"},
      {"sin()", 1, 1, "sin takes 1 argument, but 0 were given"},
      {"sin(a, b)", 1, 1, "1 argument"},
      {"y = 2 * atan2(a)", 1, 9, "atan2 takes 2 arguments"},
      {"Math.exp(a, b)", 1, 1, "1 argument"},
  });
}

TEST_CASE("functions, constants and conditions in the wrong place", "[errors]") {
  check_rows({
      // a function name used as a variable
      {"sin + 1", 1, 1, "`sin` is a function"},
      {"x = exp", 1, 5, "`exp` is a function"},
      {"a * Math.log", 1, 5, "function"},
      {"sin\n(x)", 1, 1, "`sin` is a function"},
      // assigning to a constant or a function
      {"pi = 3", 1, 1, "constant"},
      {"x = 1\nMath.PI = 3", 2, 1, "constant"},
      {"sin = 2", 1, 1, "sin: it is a function"},
      {"exp += 1", 1, 1, "function"},
      {"Math.foo = 1", 1, 1, "cannot assign"},
      // only Math.PI and Math.E are constants under Math.
      {"Math.pi", 1, 1, "Math.pi"},
      {"Math.pi", 1, 1, "did you mean 'Math.PI'"},
      {"2 * Math.e", 1, 5, "Math.E"},
      {"Math.Pi * r", 1, 1, "Math.PI"},
      {"x.y + 1", 1, 1, "'.'"},
      {"math.max(a, b)", 1, 1, "unknown function 'math.max'; did you mean 'Math.max'?"},
      {"Math.sinn(a)", 1, 1, "did you mean 'Math.sin'?"},
      // a condition used as a number
      {"(a < b) + 1", 1, 4, "condition cannot be used as a number"},
      {"x = a > b", 1, 7, "condition cannot be used as a number"},
      {"a == b", 1, 3, "condition cannot be used as a number"},
      {"y = (a < b && c < d) * 2", 1, 12, "condition"},
      {"sin(a < b)", 1, 7, "condition"},
      {"a < b ? c < d : 1", 1, 11, "condition cannot be used as a number"},
      {"!(a < b)", 1, 1, "condition cannot be used as a number"},
      // a number used as a condition
      {"a ? b : c", 1, 1, "number cannot be used as a condition"},
      {"x = 1\ny = x ? 2 : 3", 2, 5, "number cannot be used as a condition"},
      {"!a", 1, 2, "number cannot be used as a condition"},
      {"a && b", 1, 1, "number cannot be used as a condition"},
      {"a < b && c ? 1 : 0", 1, 10, "number cannot be used as a condition"},
      {"(a < b) || c + d ? 1 : 0", 1, 14, "number cannot be used as a condition"},
  });
}

TEST_CASE("use before assignment", "[errors]") {
  check_rows({
      {"y = x * 2\nx = 3", 1, 5, "`x` is used before it is assigned"},
      {"a += 1", 1, 1, "`a` is used before it is assigned"},
      {"a -= 1", 1, 1, "`a` is used before it is assigned"},
      {"y = 2\ny *= 3\nz /= y", 3, 1, "`z` is used before it is assigned"},
      {"a = a + 1", 1, 5, "`a` is used before it is assigned"},
      {"t = u\nu = 2\nt * u", 1, 5, "`u` is used before it is assigned"},
      // the spec: `a += ...` after `a` was read as an input
      {"b = a * 2\na += b", 1, 5, "`a` is used before it is assigned"},
      {"y = w * x\nw = w - 0.1 * y", 1, 5, "`w` is used before it is assigned"},
  });
}

TEST_CASE("nesting deeper than the limit is a clean error, never a crash", "[errors]") {
  const std::size_t n = 100000;
  const std::size_t past_limit = gradgen::ParseLimits{}.max_depth + 1;
  check_rows({
      {repeat("(", n) + "a" + repeat(")", n), 1, past_limit, kNested},
      {repeat("(", n), 1, past_limit, kNested},
      {repeat("- ", n) + "a", 1, 2 * (past_limit - 1) + 1, kNested},
      {repeat("!", n) + "(a < b) ? 1 : 0", 1, past_limit, kNested},
      {"x = " + repeat("- ", n) + "a", 1, 5 + 2 * (past_limit - 1), kNested},
      {repeat("sin(", n) + "a" + repeat(")", n), 1, 1 + 4 * (past_limit - 1) + 3, kNested},
      {repeat("a ^ ", n) + "a", 1, 1 + 4 * (past_limit - 1) + 4, kNested},
      {repeat("a < b ? ", n) + "1" + repeat(" : 0", n), 1, 1 + 8 * (past_limit - 1) + 8, kNested},
      {"y = 1\n" + repeat("(", n) + "a" + repeat(")", n), 2, past_limit, kNested},
  });
  // Long flat runs are not nesting: they compile.
  CHECK_FALSE(report(repeat("a + ", n) + "a").thrown);
  CHECK_FALSE(report("x = a\n" + repeat("x = x * 1.5 + b\n", 10000)).thrown);
  // The limit is exact, and configurable.
  const std::size_t limit = gradgen::ParseLimits{}.max_depth;
  CHECK_FALSE(report(repeat("(", limit) + "a" + repeat(")", limit)).thrown);
  CHECK(report(repeat("(", limit + 1) + "a" + repeat(")", limit + 1)).thrown);
  gradgen::ParseLimits small;
  small.max_depth = 3;
  CHECK_FALSE(report("(((a)))", small).thrown);
  const Reported r = report("-(((a)))", small);
  CHECK(r.thrown);
  CHECK(r.column == 4);
  CHECK_THAT(r.message, Catch::Contains("more than 3 levels"));
}

TEST_CASE("format_diagnostic: NAME:LINE:COL, the source line and a caret", "[errors]") {
  struct FormatRow {
    std::string name;
    std::string program;
    std::string expected;
  };
  const std::vector<FormatRow> rows = {
      {"<input>", "a $ b", "<input>:1:3: error: unexpected character '$'\na $ b\n  ^\n"},
      {"<input>", "sinn(x)",
       "<input>:1:1: error: unknown function 'sinn'; did you mean 'sin'?\nsinn(x)\n^\n"},
      // an error on line 3 shows line 3 only
      {"prog.gg", "a = 1\nb = a * 2\nc = b @ a\nd = c",
       "prog.gg:3:7: error: unexpected character '@'\nc = b @ a\n      ^\n"},
      // a tab before the error is copied into the caret line, so it lines up
      {"<input>", "x =\t$", "<input>:1:5: error: unexpected character '$'\nx =\t$\n   \t^\n"},
      {"<input>", "\ta\t+\t#", "<input>:1:6: error: unexpected character '#'\n\ta\t+\t#\n\t \t \t^\n"},
      // CRLF: no '\r' in the shown line
      {"<input>", "a = 1\r\nb = a $ 2\r\nc = b\r\n",
       "<input>:2:7: error: unexpected character '$'\nb = a $ 2\n      ^\n"},
      // UTF-8: columns count characters, and so does the caret line
      {"<input>", "\xCE\xB1\xCE\xB2 $",
       "<input>:1:1: error: unexpected character '\xCE\xB1' (U+03B1)\n\xCE\xB1\xCE\xB2 $\n^\n"},
      {"<input>", "x = 1 // \xC3\xA9t\xC3\xA9\ny = x $",
       "<input>:2:7: error: unexpected character '$'\ny = x $\n      ^\n"},
      // bytes that are not UTF-8 are shown as '?', a NUL as a space: never raw
      {"<input>", "a \xFF\xFE b", "<input>:1:3: error: invalid UTF-8 byte 0xFF\na ?? b\n  ^\n"},
      {"<input>", std::string("x = a\0 + b", 10), "<input>:1:6: error: unexpected NUL byte (the program must be text)\nx = a  + b\n     ^\n"},
      // a line that starts with an operator names it whole; a line break is
      // not a "control character"
      {"<input>", "x = a > 0\n&& b > 0",
       "<input>:2:1: error: unexpected '&&': expected a statement\n&& b > 0\n^\n"},
      {"<input>", "x = a & b", "<input>:1:7: error: unexpected '&': the logical and is '&&'\nx = a & b\n      ^\n"},
      {"<input>", "y = Math.\nPI", "<input>:1:10: error: expected a name after '.'\ny = Math.\n         ^\n"},
      // comments hold any text, but text: UTF-8 without NUL bytes
      {"<input>", "a /* \xC3\xA9t\xC3\xA9 \xFF */ + b",
       "<input>:1:10: error: invalid UTF-8 byte 0xFF\na /* \xC3\xA9t\xC3\xA9 ? */ + b\n         ^\n"},
      {"<input>", std::string("a // x\0y\n", 9), "<input>:1:7: error: unexpected NUL byte (the program must be text)\na // x y\n      ^\n"},
      // an encoded surrogate is not UTF-8
      {"<input>", "a \xED\xA0\x80", "<input>:1:3: error: invalid UTF-8 byte 0xED\na ???\n  ^\n"},
      // semantic errors point at the name
      {"f.gg", "x = 1\n  y = x + z\nw = y * sinn(x)",
       "f.gg:3:9: error: unknown function 'sinn'; did you mean 'sin'?\nw = y * sinn(x)\n        ^\n"},
  };
  for (const FormatRow& row : rows) {
    INFO("program: \"" << printable(row.program) << "\"");
    const gradgen::Source source{row.name, row.program};
    try {
      gradgen::compile(source, gradgen::CompileOptions{});
      FAIL("no error reported");
    } catch (const gradgen::Diagnostic& d) {
      CHECK(gradgen::format_diagnostic(source, d) == row.expected);
    }
  }
  // The shape holds for every row of the tables above: three lines, the
  // middle one the source line, the caret the last character.
  for (const std::string& program : {std::string("(a + b"), std::string("a = 1\nb = (a\n"),
                                     std::string(""), std::string("a\r\n+\r\n")}) {
    const gradgen::Source source{"<input>", program};
    try {
      gradgen::compile(source, gradgen::CompileOptions{});
      FAIL("no error reported");
    } catch (const gradgen::Diagnostic& d) {
      const std::string text = gradgen::format_diagnostic(source, d);
      INFO("program: \"" << printable(program) << "\"\n" << text);
      const gradgen::LineColumn lc = gradgen::line_column(source.text, d.span().begin);
      CHECK(text.rfind("<input>:" + std::to_string(lc.line) + ":" + std::to_string(lc.column) +
                           ": error: ", 0) == 0);
      REQUIRE(text.size() >= 2);
      CHECK(text.substr(text.size() - 2) == "^\n");
      std::size_t newlines = 0;
      for (char c : text) newlines += c == '\n' ? 1 : 0;
      CHECK(newlines == 3);
      CHECK(text.find('\r') == std::string::npos);
    }
  }
}

// f0(u) calls f1(u), ... up to f{n-1}(u), which returns u; then f0(a).
std::string chain_of_calls(int n) {
  std::string program;
  for (int i = 0; i < n - 1; ++i) program += "function f" + std::to_string(i) + "(u) { return f" + std::to_string(i + 1) + "(u) }\n";
  program += "function f" + std::to_string(n - 1) + "(u) { return u }\nf0(a)\n";
  return program;
}

// Every error class of language-v2.md, at its line and column.
TEST_CASE("v2 errors: loops, arrays, if and functions", "[errors][v2]") {
  check_rows({
      // loops
      {"for (var i = 0; i != 3; i++) s = i", 1, 19, "i < S, i <= S, i > S or i >= S"},
      {"for (var i = 0; j < 3; i++) s = i", 1, 17, "compare its variable"},
      {"for (var i = 0; i < 3; j++) s = i", 1, 24, "must change its variable 'i'"},
      {"for (var i = 0; i < 3; i *= 2) s = i", 1, 26, "i++, ++i, i--, --i, i += S or i -= S"},
      {"for (var i = 0; i < 3) s = i", 1, 22, "expected ';'"},
      {"for (var i = 0; i < a; i++) s = i", 1, 21, "the loop's bound must be static"},
      {"for (var i = 0.5; i < 3; i++) s = i", 1, 14, "must be an integer"},
      {"for (var i = 0; i < 3; i += 0) s = i", 1, 29, "step must be positive"},
      {"for (var i = 0; i < 3; i--) s = i", 1, 17, "never ends"},
      {"for (var i = 0; i < 1000000000000; i++) s = i", 1, 1, "--max-iterations"},
      {"for (var i = 0; i < 100000; i++) for (var j = 0; j < 100000; j++) s = i", 1, 34, "--max-iterations"},
      {"for (var i = 0; i < 3; i++) i = 2", 1, 29, "cannot be assigned"},
      {"for (var i = 0; i < 900000000; i++) {}\na", 1, 1, "--max-statements"},
      {"x[1000000000]", 1, 1, "more than 2000000 elements"},
      {"h[3000000] = 1\nh[0]", 1, 3, "more than 2000000 elements"},
      {"s = 0\nfor (var i = 0; i < 3; i++) {\n  s += x[i]\n  break\n}", 4, 3, "break and continue are not supported"},
      {"for (var i = 0; i < 3; i++) { continue }", 1, 31, "break and continue are not supported"},
      {"while (a < 3) a = a + 1", 1, 1, "while loops are not supported"},
      {"do { a = 1 } while (a < 3)", 1, 1, "do loops are not supported"},
      {"for (var i = 0; i < 3; i++) s += x[i]", 1, 29, "`s` is used before it is assigned"},
      {"i++", 1, 2, "there is no ++ or -- operator"},
      // arrays
      {"x[floor(a)]", 1, 3, "an index must not depend on an input"},
      {"x[1.5]", 1, 3, "an index must be an integer"},
      {"x[0 - 1]", 1, 3, "must not be negative"},
      {"y = [1, 2]\ny[2]", 2, 3, "index 2 is out of range: y has length 2"},
      {"y = [1, 2]\ny[2] = 5", 2, 3, "out of range"},
      {"h[0] = a\nh[1] * 2", 2, 1, "`h[1]` is used before it is assigned"},
      {"x + x[0]", 1, 1, "is an array"},
      {"tanh(h)\nh[0] = 1", 1, 6, "`h` is used before"},
      {"h[0] = a\nh[1] = b\ntanh(h)", 3, 6, "a function of an array is written as a loop"},
      {"h[0] = a\nh[1] = b\nh + 1", 3, 1, "is an array"},
      {"h[0] = a\nh[1] = b\nmax(h, 0)", 3, 5, "or one array alone"},
      {"y = [1, [2, 3]]\ny[0]", 1, 9, "all numbers or all arrays of one shape"},
      {"y = [[1, 2], [3]]\ny[0][0]", 1, 14, "the same shape"},
      {"a = 2\na[0] = 1", 2, 1, "is a number, not an array"},
      {"h[0] = 1\nh = 2\nh", 2, 1, "'h' is an array: it cannot become a number"},
      {"h = 2\nh = [1, 2]\nh[0]", 2, 1, "'h' is a number: it cannot become an array"},
      {"h = [1, 2]\nh = [[1], [2]]\nh[0][0]", 2, 1, "'h' has 1 dimensions: it cannot become an array of 2"},
      {"function f(v, n) { return v[n] }\ny = [1, 2]\nf(y, 1)", 1, 29, "a function's scalar parameter is not one"},
      {"h[0] = 1\nh[0][1] = 2", 2, 1, "has 1 dimension"},
      {"x[0] = 1\nx[0] + sum(x, 2)", 2, 8, "sum takes 1 argument"},
      {"h[0] = 1\nb = 2\nmax(b) + h[0]", 3, 1, "max takes 2 or more arguments, but 1 was given"},
      {"h[0] = 1\nb = 2\nsum(b) + h[0]", 3, 5, "sum takes an array"},
      {"max(a)", 1, 1, "max takes 2 or more arguments"},  // a v1 program keeps its v1 meaning
      {"sum(a)", 1, 1, "--inputs a[N]"},
      {"h[0] = 1\nmax(a) + h[0]", 2, 1, "--inputs a[N]"},  // in v2, an input read whole by max is an array
      {"a.length", 1, 1, "--inputs a[N]"},
      {"a = 2\na.length", 2, 3, "only an array has a .length"},
      {"s = 0\nfor (var i = 0; i < x.length; i++) s += x[i]\ns", 2, 21, "--inputs x[N]"},
      {"x[0][1] + x[1]", 1, 11, "'x[1]' is an array (1 more index for a number)"},
      {"x[0] + x[1][1]", 1, 1, "'x[0]' is an array"},
      {"y = [1, 2]\ny[0][1]", 2, 5, "'y' has 1 dimension: too many indices"},
      {"y = [1, 2]\ny[0] = [3]", 2, 8, "is an array"},
      {"a % b", 1, 3, "fmod"},
      // if
      {"if (a) b = 1", 1, 5, "a number cannot be used as a condition"},
      {"if (a > 0) b = 1\nb", 2, 1, "`b` is used before it is assigned"},
      {"if (a > 0) z = a", 1, 1, "`z` is used before it is assigned: this statement assigns it"},
      {"if (a > 0) { h[0] = 1 } else { h = 2 }\nh", 1, 1, "an array in one branch"},
      {"if (a > 0 b = 1", 1, 11, "expected ')'"},
      {"if (a > 0) b = 1 else", 1, 22, "expected a statement or a block after else"},
      // functions
      {"function f(u) { u * 2 }\nf(a)", 1, 10, "must end with return"},
      {"function f(u) { return u }\nfunction f(v) { return v }\nf(a)", 2, 10, "declared twice"},
      {"function f(u, u) { return u }\nf(a, b)", 1, 15, "named twice"},
      {"function sin(u) { return u }\nsin(a)", 1, 10, "built-in function"},
      {"function f(u) { return u * W }\nW = 2\nf(a)", 1, 28, "'W' is not a parameter of 'f': pass it as an argument"},
      {"function f(u) { return g(u) }\nfunction g(u) { return f(u) }\nf(a)", 2, 24, "recursion"},
      {"function f(u) { return f(u) }\nf(a)", 1, 24, "'f' calls itself"},
      {"function f(u, v) { return u * v }\nf(a)", 2, 1, "f takes 2 arguments, but 1 was given"},
      {"function f(u) { return u[5] }\ny = [1, 2]\nf(y)", 1, 26, "(in the call of 'f' at line 3, column 1)"},
      {"function f(u) { return u }\nf = 2", 1, 10, "both a function and a variable"},
      {"function f(u) { return u }\nf + 1", 2, 1, "is a function; call it as f(...)"},
      {"function f(u) { return u }\nfoo(a)", 2, 1, "did you mean 'f'?"},
      {"return a", 1, 8, "unexpected 'a'"},  // outside a function, return is a name
      {"function f(u) {\n  return u\n  u = 2\n  return u\n}\nf(a)", 2, 3, "only allowed as the last statement"},
      {"if (a > 0) { function g(u) { return u } }\ng(a)", 1, 23, "functions are declared at the top level"},
      {"function f(u) { return u }", 1, 1, "the program has only functions"},
      {chain_of_calls(300), 256, 27, "calls nested more than 256 deep"},
  });
}

TEST_CASE("v2 usage errors: --inputs, --wrt and --output with arrays", "[errors][v2]") {
  const gradgen::Source source{"<input>", "s = 0\nfor (var i = 0; i < 3; i++) s += W[i][0] * b\ns"};
  const auto usage = [&](gradgen::CompileOptions o) -> std::string {
    try {
      gradgen::compile(source, o);
    } catch (const gradgen::UsageError& e) {
      return e.what();
    } catch (const gradgen::Diagnostic& e) {
      return e.what();
    }
    return "";
  };
  gradgen::CompileOptions o;
  o.wrt = {"W[0][1]"};
  CHECK_THAT(usage(o), Catch::Contains("names whole inputs"));
  o = {};
  o.inputs = {"W[2][1]", "b"};
  CHECK_THAT(usage(o), Catch::Contains("extent 2 in dimension 1, but the program reads index 2"));
  o.inputs = {"W[3]", "b"};
  CHECK_THAT(usage(o), Catch::Contains("'W' has 1 dimension (--inputs): too many indices"));
  o.inputs = {"W[3][1]"};
  CHECK_THAT(usage(o), Catch::Contains("--inputs does not list the input 'b'"));
  o.inputs = {"W[x]", "b"};
  CHECK_THAT(usage(o), Catch::Contains("an extent is a positive whole number"));
  o.inputs = {"W[4][2]", "b"};
  CHECK(usage(o).empty());  // larger extents are fine: the elements not read have gradient 0
  const gradgen::Compilation c = gradgen::compile(source, o);
  CHECK(c.circuit.input_names.size() == 9);
  CHECK(c.circuit.input_names[7] == "W[3][1]");
  o = {};
  o.outputs = {"t"};
  CHECK_THAT(usage(o), Catch::Contains("--output: 't' is not assigned"));
}

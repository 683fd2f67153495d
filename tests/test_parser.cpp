// The grammar of shared/spec/language.md, table by table: precedence and
// associativity, numbers, statements and the newline rule, through
// gradgen::parse and gradgen::dump_ast; then the semantic decisions the spec
// fixes (input order, --inputs, --wrt, SSA), through gradgen::compile; then a
// few properties of the IR (hash-consing, constant folding).
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/compile.hpp"

namespace {

// dump_ast's indented tree, one line per node, rewritten as one line per
// program so that the tables below stay readable:
//   name a -> a          number 2 -> 2          call f -> f(x, y)
//   unary - -> (-a)      binary ^ / chain + - -> (a + b - c)
//   conditional -> (c ? a : b)
//   a parenthesized node is written with [ ] instead of ( ): [a + b], [a]
//   statements: "x = E", "x += E", "E", joined with "; ".
struct DumpLine {
  int depth;
  std::string label;
};

std::string render(const std::vector<DumpLine>& lines, std::size_t& i) {
  const DumpLine& self = lines[i++];
  std::vector<std::string> kids;
  while (i < lines.size() && lines[i].depth > self.depth) kids.push_back(render(lines, i));
  std::string label = self.label;
  const std::string marker = " (parenthesized)";
  const bool paren = label.size() > marker.size() &&
                     label.compare(label.size() - marker.size(), marker.size(), marker) == 0;
  if (paren) label.resize(label.size() - marker.size());
  const std::string kind = label.substr(0, label.find(' '));
  std::string rest = label.find(' ') == std::string::npos ? "" : label.substr(label.find(' ') + 1);
  std::string out;
  bool wrapped = true;
  if (kind == "name" || kind == "number") {
    out = rest;
    wrapped = false;
  } else if (kind == "call") {
    out = rest + "(";
    for (std::size_t k = 0; k < kids.size(); ++k) out += (k ? ", " : "") + kids[k];
    out += ")";
    wrapped = false;
  } else if (kind == "unary") {
    out = rest + kids.at(0);
  } else if (kind == "binary") {
    out = kids.at(0) + " " + rest + " " + kids.at(1);
  } else if (kind == "chain") {
    std::istringstream ops(rest);
    out = kids.at(0);
    std::string op;
    for (std::size_t k = 1; k < kids.size() && ops >> op; ++k) out += " " + op + " " + kids[k];
  } else if (kind == "conditional") {
    out = kids.at(0) + " ? " + kids.at(1) + " : " + kids.at(2);
  } else {
    FAIL("unknown dump_ast line: " << self.label);
  }
  if (paren) return "[" + out + "]";
  return wrapped ? "(" + out + ")" : out;
}

std::string shape(const std::string& program) {
  const gradgen::Source source{"<input>", program};  // the Ast points into it
  const gradgen::Ast ast = gradgen::parse(source);
  std::istringstream in(gradgen::dump_ast(ast));
  std::string result;
  std::string line;
  std::string head;
  std::vector<DumpLine> expr;
  const auto flush = [&]() {
    if (head.empty()) return;
    std::size_t i = 0;
    std::string value = render(expr, i);
    if (head == "statement") {
      result += (result.empty() ? "" : "; ") + value;
    } else {  // "assign x" or "assign x +="
      std::string rest = head.substr(7);
      const std::size_t space = rest.find(' ');
      const std::string op = space == std::string::npos ? "=" : rest.substr(space + 1);
      result += (result.empty() ? "" : "; ") + rest.substr(0, space) + " " + op + " " + value;
    }
    expr.clear();
  };
  while (std::getline(in, line)) {
    const std::size_t indent = line.find_first_not_of(' ');
    if (indent == 0) {
      flush();
      head = line;
    } else {
      expr.push_back({static_cast<int>(indent / 2), line.substr(indent)});
    }
  }
  flush();
  return result;
}

struct Row {
  const char* program;
  const char* expected;
};

void check_table(const std::vector<Row>& rows) {
  for (const Row& row : rows) {
    INFO("program: " << row.program);
    std::string got;
    try {
      got = shape(row.program);
    } catch (const gradgen::Diagnostic& d) {
      got = std::string("error: ") + d.what();
    }
    CHECK(got == row.expected);
  }
}

gradgen::Compilation compile(const std::string& program, std::vector<std::string> inputs = {},
                             std::vector<std::string> wrt = {}) {
  gradgen::CompileOptions options;
  options.inputs = std::move(inputs);
  options.wrt = std::move(wrt);
  return gradgen::compile(gradgen::Source{"<input>", program}, options);
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("dump_ast prints one node per line, indented", "[parser]") {
  const gradgen::Source source{"<input>", "x = -(a + b) * f(c)\ny += 2"};
  const gradgen::Ast ast = gradgen::parse(source);
  CHECK(gradgen::dump_ast(ast) ==
        "assign x\n"
        "  chain *\n"
        "    unary -\n"
        "      chain + (parenthesized)\n"
        "        name a\n"
        "        name b\n"
        "    call f\n"
        "      name c\n"
        "assign y +=\n"
        "  number 2\n");
}

TEST_CASE("precedence and associativity, level by level", "[parser]") {
  check_table({
      // conditional: loosest, right-associative
      {"a ? b : c", "(a ? b : c)"}, {"a ? b : c ? d : e", "(a ? b : (c ? d : e))"},
      {"a ? b ? c : d : e", "(a ? (b ? c : d) : e)"}, {"a || b ? c : d", "((a || b) ? c : d)"},
      {"a ? b + c : d * e", "(a ? (b + c) : (d * e))"},
      // logical or / and: left, && binds tighter than ||
      {"a || b || c", "(a || b || c)"}, {"a && b && c", "(a && b && c)"},
      {"a || b && c", "(a || (b && c))"}, {"a && b || c", "((a && b) || c)"},
      {"a < b && c >= d", "((a < b) && (c >= d))"},
      // comparisons: every operator, === and !== mean == and !=
      {"a < b", "(a < b)"}, {"a <= b", "(a <= b)"}, {"a > b", "(a > b)"}, {"a >= b", "(a >= b)"},
      {"a == b", "(a == b)"}, {"a != b", "(a != b)"}, {"a === b", "(a == b)"},
      {"a !== b", "(a != b)"}, {"a + b < c * d", "((a + b) < (c * d))"},
      {"(a < b) == (c < d)", "([a < b] == [c < d])"},
      // comparisons are non-associative
      {"a < b < c", "error: comparisons cannot be chained; write (a < b) && (b < c)"},
      {"a == b != c", "error: comparisons cannot be chained; write (a < b) && (b < c)"},
      // additive and multiplicative: left-associative runs
      {"a + b - c", "(a + b - c)"}, {"a - b - c", "(a - b - c)"}, {"a * b / c", "(a * b / c)"},
      {"a / b / c", "(a / b / c)"}, {"a + b * c", "(a + (b * c))"}, {"a * b + c", "((a * b) + c)"},
      {"a - b * c - d", "(a - (b * c) - d)"}, {"(a - b) - c", "([a - b] - c)"},
      {"a - (b - c)", "(a - [b - c])"},
      // unary: tighter than * and looser than ^
      {"-a", "(-a)"}, {"+a", "(+a)"}, {"!c", "(!c)"}, {"- - a", "(-(-a))"}, {"!!c", "(!(!c))"},
      {"-a * b", "((-a) * b)"}, {"a * -b", "(a * (-b))"}, {"a - -b", "(a - (-b))"},
      {"a + +b", "(a + (+b))"}, {"!(a < b)", "(![a < b])"}, {"-a^2", "(-(a ^ 2))"},
      {"-a**2", "(-(a ^ 2))"}, {"-2^2", "(-(2 ^ 2))"},
      // power: right-associative, ** is ^, the exponent may carry a sign
      {"a ^ b", "(a ^ b)"}, {"a ** b", "(a ^ b)"}, {"a ^ b ^ c", "(a ^ (b ^ c))"},
      {"a ** b ** c", "(a ^ (b ^ c))"}, {"a ^ b ** c", "(a ^ (b ^ c))"}, {"a ^ -b", "(a ^ (-b))"},
      {"a ^ -b ^ c", "(a ^ (-(b ^ c)))"}, {"a ^ +b", "(a ^ (+b))"}, {"a ^ b * c", "((a ^ b) * c)"},
      {"a * b ^ c", "(a * (b ^ c))"}, {"(a ^ b) ^ c", "([a ^ b] ^ c)"}, {"f(a) ^ 2", "(f(a) ^ 2)"},
      // primaries: calls, Math.x, parentheses
      {"f(a)", "f(a)"}, {"f()", "f()"}, {"f(a, b + c, d * e)", "f(a, (b + c), (d * e))"},
      {"f ( a , b )", "f(a, b)"}, {"f(g(a), h(b, c))", "f(g(a), h(b, c))"},
      {"sin(a) * cos(b)", "(sin(a) * cos(b))"}, {"Math.sin(x)", "Math.sin(x)"},
      {"Math.pow(a, 2)", "Math.pow(a, 2)"}, {"Math.PI * r", "(Math.PI * r)"}, {"Math.E", "Math.E"},
      {"(a)", "[a]"}, {"((a))", "[a]"}, {"(a + b) * c", "([a + b] * c)"},
      {"a * (b + c)", "(a * [b + c])"}, {"-(a)", "(-[a])"},
      {"(a ? b : c) + d", "([a ? b : c] + d)"}, {"a ? (b) : (c)", "(a ? [b] : [c])"},
      {"names_1 + _x + dx1", "(names_1 + _x + dx1)"},
  });
}

TEST_CASE("numbers", "[parser]") {
  struct NumberRow {
    const char* text;
    double value;
  };
  const std::vector<NumberRow> rows = {
      {"3", 3.0},       {"2.5", 2.5},      {".5", 0.5},     {"5.", 5.0},
      {"0", 0.0},       {"1e-3", 1e-3},  {"1E3", 1000.0},
      {"1.5E+2", 150.0}, {"2.5e2", 250.0}, {".5e1", 5.0},   {"1e308", 1e308},
      {"1e-310", 1e-310}, {"1e-400", 0.0},
      {"0.1", 0.1},     {"3.141592653589793", 3.141592653589793},
  };
  for (const NumberRow& row : rows) {
    INFO("number: " << row.text);
    const gradgen::Source source{"<input>", row.text};
    const gradgen::Ast ast = gradgen::parse(source);
    REQUIRE(ast.statements.size() == 1);
    const gradgen::Expr* e = ast.statements[0].value;
    REQUIRE(e->kind == gradgen::ExprKind::kNumber);
    CHECK(e->text == row.text);
    CHECK(e->number == row.value);
  }
  // 1e-310 is kept as a denormal, not flushed to zero; 1e-400 underflows to 0.
  const gradgen::Ast tiny = gradgen::parse(gradgen::Source{"<input>", "1e-310"});
  CHECK(std::fpclassify(tiny.statements[0].value->number) == FP_SUBNORMAL);
  const gradgen::Ast zero = gradgen::parse(gradgen::Source{"<input>", "1e-400"});
  CHECK(zero.statements[0].value->number == 0.0);
  CHECK_FALSE(std::signbit(zero.statements[0].value->number));
  // Numbers in expressions.
  check_table({
      {"2.5 * .5 + 5.", "((2.5 * .5) + 5.)"}, {"1e-3 * x", "(1e-3 * x)"}, {"x - 1", "(x - 1)"},
      {"x-1", "(x - 1)"}, {"2e3-1", "(2e3 - 1)"}, {"-1.5E+2", "(-1.5E+2)"},
  });
}

TEST_CASE("statements, separators, comments and encodings", "[parser]") {
  check_table({
      {"x = a * b", "x = (a * b)"}, {"x += a", "x += a"}, {"x -= a", "x -= a"},
      {"x *= a", "x *= a"}, {"x /= a + b", "x /= (a + b)"}, {"a * b", "(a * b)"}, {"x=a", "x = a"},
      {"x = a == b ? 1 : 0", "x = ((a == b) ? 1 : 0)"},
      // var, let and const are ignored before a statement
      {"var x = 2", "x = 2"}, {"let x = 2", "x = 2"}, {"const x = 2", "x = 2"},
      {"var x = 1; let y = x; const z = y", "x = 1; y = x; z = y"}, {"var x += 1", "x += 1"},
      // a declaration may assign several names, as in the guide's `var x = -2, y = 5, z = -4;`
      {"var x = -2, y = 5, z = -4", "x = (-2); y = 5; z = (-4)"}, {"let a = 1, b = a * 2; b", "a = 1; b = (a * 2); b"},
      {"const p = f(a, b), q = (p)", "p = f(a, b); q = [p]"}, {"var x = 1,\n  y = x", "x = 1; y = x"},
      {"var x = 1 , y = 2", "x = 1; y = 2"}, {"var x = 1, y += x", "x = 1; y += x"},
      {"var x = a, y", "error: expected a name and its value after ',' (var a = 1, b = 2)"},
      {"var x = 1, 2", "error: expected a name and its value after ',' (var a = 1, b = 2)"},
      {"x = 1, y = 2", "error: unexpected ',': expected an operator, ';' or a new line"},
      {"var x, y", "error: each declared name needs a value (var a = 1, b = 2)"},
      {"let x, y = 2", "error: each declared name needs a value (var a = 1, b = 2)"},
      {"var x = 1\n, y = 2", "error: unexpected ',': expected a statement"},
      {"var var = 1, let = var", "var = 1; let = var"},
      {"var x = (a, b), y = 2",
       "error: unexpected ',' inside the '(' at 1:9: there is no comma operator (a call is written name(a, b))"},
      // ... but only as a keyword before a name
      {"var = 2", "var = 2"}, {"let = 2; const = let", "let = 2; const = let"},
      {"var * 2", "(var * 2)"}, {"variable = 2", "variable = 2"}, {"x = var", "x = var"},
      // separators
      {"a; b", "a; b"}, {"a\nb", "a; b"}, {"a;", "a"}, {"a;;", "a"}, {";a", "a"},
      {"a = 1;\nb = 2;\n", "a = 1; b = 2"}, {"\n\na\n\n\nb\n\n", "a; b"}, {"a;\n;b;", "a; b"},
      {"x1 = a * b + c\nx2 = x1 * d\nx = x2 * x2", "x1 = ((a * b) + c); x2 = (x1 * d); x = (x2 * x2)"},
      // comments
      {"a // the end", "a"}, {"a = 1 // one\nb = a // two", "a = 1; b = a"}, {"// first\na", "a"},
      {"a /* inline */ + b", "(a + b)"}, {"/* a\n b */ x", "x"}, {"a * /* c */ b", "(a * b)"},
      {"a = 1 /* c */; b = 2", "a = 1; b = 2"}, {"a /* * / */", "a"}, {"a / b // c", "(a / b)"},
      {"a //* b", "a"},
      // line endings and a byte order mark
      {"a = 1\r\nb = a\r\n", "a = 1; b = a"}, {"a = 1\rb = 2", "a = 1; b = 2"},
      {"a +\r\nb", "(a + b)"}, {"x = a // c\r\ny = x", "x = a; y = x"},
      {"\xEF\xBB\xBF" "a * b", "(a * b)"}, {"\xEF\xBB\xBF" "x = 1\r\nx", "x = 1; x"},
      // blanks
      {"\ta\t*\tb\t", "(a * b)"}, {"  x  =  a  ", "x = a"},
  });
}

TEST_CASE("a newline ends a statement only where the statement is complete", "[parser]") {
  check_table({
      {"a +\nb", "(a + b)"}, {"a\n+b", "a; (+b)"}, {"a\n-b", "a; (-b)"}, {"(a\n+b)", "[a + b]"},
      {"(\na\n+\nb\n)", "[a + b]"}, {"f(a,\nb)", "f(a, b)"}, {"f(\na\n,\nb\n)", "f(a, b)"},
      {"a ?\nb : c", "(a ? b : c)"}, {"a ? b\n: c", "(a ? b : c)"}, {"a ? b :\nc", "(a ? b : c)"},
      {"a *\nb", "(a * b)"}, {"a *\n\n\nb", "(a * b)"},
      {"a\n*b", "error: unexpected '*': expected a statement"}, {"a ^\nb", "(a ^ b)"},
      {"a <\nb", "(a < b)"}, {"a &&\nb", "(a && b)"}, {"a ||\nb", "(a || b)"}, {"-\na", "(-a)"},
      {"x =\na", "x = a"}, {"x +=\na", "x += a"},
      {"x\n= a", "error: unexpected '=': expected a statement"}, {"a + // comment\nb", "(a + b)"},
      {"a + /* c */\nb", "(a + b)"}, {"(a // comment\n+ b)", "[a + b]"},
      {"f(a) * (b\n- c)\nd", "(f(a) * [b - c]); d"}, {"f\n(a)", "f; [a]"}, {"(f\n(a))", "[f(a)]"},
      {"a +\r\nb", "(a + b)"}, {"(a\r\n+b)", "[a + b]"},
      // JavaScript: a block comment that spans lines acts as a line break
      {"a = 1 /* c\n */ b = 2", "a = 1; b = 2"},
  });
}

TEST_CASE("inputs are the names read and never assigned, in order of first appearance", "[parser]") {
  struct InputRow {
    const char* program;
    Names inputs;
  };
  const std::vector<InputRow> rows = {
      {"a * b + c", {"a", "b", "c"}},
      {"c * b + a", {"c", "b", "a"}},
      {"b * a + b * c + a", {"b", "a", "c"}},
      {"x = a * b\ny = x * c\ny", {"a", "b", "c"}},
      {"q = a*x + b*y + c\nf = sig(q)", {"a", "x", "b", "y", "c"}},
      // SSA: later uses see the latest value; a reassigned name is never an input
      {"a = 1; a = a + b; a = a * c; a", {"b", "c"}},
      {"x = u; x = x * x; x += v; x", {"u", "v"}},
      // read only by statements whose value is never used: still an input
      {"t = u * 2; y = v", {"u", "v"}},
      {"unused * 3; w", {"unused", "w"}},
      // no inputs
      {"1 + 2", {}},
      {"x = 2; y = x * pi", {}},
      {"Math.PI * Math.E", {}},
      // const may be reassigned
      {"const k = 2; k = k * z; k", {"z"}},
      // names that are not functions or constants are variables
      {"new * int + e + PI + E + f_grad", {"new", "int", "e", "PI", "E", "f_grad"}},
      {"var = 2; var * y", {"y"}},
  };
  for (const InputRow& row : rows) {
    INFO("program: " << row.program);
    const gradgen::Compilation c = compile(row.program);
    CHECK(c.analysis.inputs == row.inputs);
    CHECK(c.circuit.input_names == row.inputs);
  }
  // The unused input's gradient is 0, and it is still one of the gradient's inputs.
  const gradgen::Compilation c = compile("t = u * 2; y = v");
  CHECK(c.wrt == std::vector<std::int32_t>{0, 1});
  // SSA: the output is the last value of the name.
  const gradgen::Compilation s = compile("x = 2; x = x * 3; x");
  CHECK(c.circuit.graph[c.circuit.output].op == gradgen::Op::kInput);
  CHECK(s.circuit.graph.is_constant(s.circuit.output, 6.0));
}

TEST_CASE("option --inputs fixes the input order", "[parser]") {
  CHECK(compile("a * b + c", {"c", "a", "b"}).analysis.inputs == Names{"c", "a", "b"});
  // An extra input the program does not read is kept, in its place.
  const gradgen::Compilation c = compile("a * b", {"b", "z", "a"});
  CHECK(c.analysis.inputs == Names{"b", "z", "a"});
  CHECK(c.circuit.input_names == Names{"b", "z", "a"});
  CHECK(c.wrt == std::vector<std::int32_t>{0, 1, 2});
  // Every identifier is a valid input name, also under --inputs.
  CHECK(compile("new * b", {"b", "new"}).analysis.inputs == Names{"b", "new"});
  CHECK(compile("NAN + EOF", {"EOF", "NAN"}).analysis.inputs == Names{"EOF", "NAN"});
  CHECK(compile("and * or", {"or", "and"}).analysis.inputs == Names{"or", "and"});

  struct BadInputs {
    const char* program;
    Names inputs;
    const char* why;
  };
  const std::vector<BadInputs> bad = {
      {"a * b", {"a"}, "b"},                     // an input is missing
      {"a * b + c", {"c", "b"}, "a"},
      {"x = a; x * b", {"a", "b", "x"}, "x"},    // x is assigned
      {"a * b", {"a", "b", "a"}, "twice"},       // duplicate
      {"a * b", {"a", "sin", "b"}, "sin"},       // a function
      {"a * b", {"a", "b", "pi"}, "pi"},         // a constant
  };
  for (const BadInputs& row : bad) {
    INFO("program: " << row.program);
    CHECK_THROWS_AS(compile(row.program, row.inputs), gradgen::UsageError);
    CHECK_THROWS_WITH(compile(row.program, row.inputs), Catch::Contains(row.why));
  }
}

TEST_CASE("option --wrt picks the gradient's inputs", "[parser]") {
  CHECK(compile("a * b + c", {}, {"c", "a"}).wrt == std::vector<std::int32_t>{0, 2});
  CHECK(compile("a * b + c", {}, {"b"}).wrt == std::vector<std::int32_t>{1});
  CHECK(compile("a * b", {"b", "z", "a"}, {"z"}).wrt == std::vector<std::int32_t>{1});
  struct BadWrt {
    const char* program;
    Names wrt;
    const char* why;
  };
  const std::vector<BadWrt> bad = {
      {"a * b", {"c"}, "'c' is not an input"}, {"x = a * b; x", {"x"}, "'x' is not an input"},
      {"a * b", {"sin"}, "'sin' is not an input"}, {"a * b", {"a", "a"}, "twice"},
      {"a * b", {"b", "a", "b"}, "twice"}, {"1 + 2", {"a"}, "'a' is not an input"},
  };
  for (const BadWrt& row : bad) {
    INFO("program: " << row.program);
    CHECK_THROWS_AS(compile(row.program, {}, row.wrt), gradgen::UsageError);
    CHECK_THROWS_WITH(compile(row.program, {}, row.wrt), Catch::Contains(row.why));
  }
}

namespace {

bool contains_op(const gradgen::Graph& g, gradgen::Op op) {
  for (gradgen::NodeId id = 0; id < static_cast<gradgen::NodeId>(g.size()); ++id) {
    if (g[id].op == op) return true;
  }
  return false;
}

std::string ir(const std::string& program) {
  const gradgen::Compilation c = compile(program);
  return gradgen::dump_ir(c.circuit.graph, {});
}

}  // namespace

TEST_CASE("the IR shares equal subexpressions and folds constants", "[parser]") {
  using gradgen::Op;
  {  // a*b used twice is one node
    const gradgen::Compilation c = compile("a*b + a*b");
    const gradgen::Graph& g = c.circuit.graph;
    const gradgen::Node& out = g[c.circuit.output];
    REQUIRE(out.op == Op::kAdd);
    CHECK(out.args[0] == out.args[1]);
    CHECK(g[out.args[0]].op == Op::kMul);
    CHECK(ir("x = a*b; y = a*b; x + y") == ir("a*b + a*b"));
  }
  {  // input-free subexpressions are folded
    const gradgen::Compilation c = compile("x * (2 * 3 + 1)");
    const gradgen::Graph& g = c.circuit.graph;
    const gradgen::Node& out = g[c.circuit.output];
    REQUIRE(out.op == Op::kMul);
    CHECK((g.is_constant(out.args[0], 7.0) || g.is_constant(out.args[1], 7.0)));
    const gradgen::Compilation m = compile("n = 2; m = n * 4 - 1; m / 2");
    CHECK(m.circuit.graph.is_constant(m.circuit.output, 3.5));
    const gradgen::Compilation f = compile("sqrt(16) + 2 * 3");
    CHECK(f.circuit.graph.is_constant(f.circuit.output, 10.0));
  }
  // A constant exponent is folded to a constant, and the derivative does not
  // involve log(x); a varying exponent does.
  struct PowRow {
    const char* program;
    double exponent;
  };
  for (const PowRow& row : std::vector<PowRow>{{"x^(1+1)", 2.0},
                                              {"x**(1+1)", 2.0},
                                              {"n = 3; x^n", 3.0},
                                              {"pow(x, 4 / 2)", 2.0},
                                              {"x^(2*pi/pi)", 2.0},
                                              {"x^-2", -2.0},
                                              {"x^0.5", 0.5}}) {
    INFO("program: " << row.program);
    const gradgen::Compilation c = compile(row.program);
    const gradgen::Graph& g = c.circuit.graph;
    const gradgen::Node& out = g[c.circuit.output];
    REQUIRE(out.op == Op::kPow);
    CHECK(g[out.args[0]].op == Op::kInput);
    CHECK(g.is_constant(out.args[1], row.exponent));
    CHECK_FALSE(contains_op(g, Op::kLog));
  }
  CHECK(contains_op(compile("x^y").circuit.graph, Op::kLog));
  CHECK(contains_op(compile("n = y + 1; x^n").circuit.graph, Op::kLog));
}

#include "random_program.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include <fmt/format.h>

namespace gradgen::testing {
namespace {

using Kind = RandomExpr::Kind;

constexpr double kPi = 3.141592653589793;
constexpr double kE = 2.718281828459045;

// Names that are neither functions nor constants of the language.
const std::vector<std::string>& ordinary_names() {
  static const std::vector<std::string> names{
      "x",  "y",     "z",    "a",     "b",   "c",    "d",    "w",    "t",   "u",   "v",
      "p",  "r",     "s",    "e",     "E",   "PI",   "alpha", "beta", "theta", "x0", "x1",
      "x2", "y1",    "dx",   "dy",    "dx1", "h",    "k",    "m",    "n",   "val", "loss",
      "q",  "hidden", "act", "acc",   "out1", "z1",  "score", "cost", "tmp1", "w0",  "b1"};
  return names;
}

// Names that C++, the C library or the generated header may claim.
const std::vector<std::string>& tricky_names() {
  static const std::vector<std::string> names{
      "new",     "int",      "double",   "float",  "and",      "or",     "not",     "xor",
      "bitand",  "compl",    "class",    "return", "auto",     "delete", "this",    "template",
      "operator", "sizeof",  "true",     "false",  "nullptr",  "NAN",    "INFINITY", "HUGE_VAL",
      "EOF",     "NULL",     "M_PI",     "M_E",    "errno",    "signgam", "assert", "std",
      "gradgen", "in",       "grad",     "out",    "f",        "f_grad", "f_inputs", "f_",
      "new_",    "int_",     "result",   "value",  "main",     "_",      "_x",      "__y",
      "__LINE__", "x__",     "t0",       "t1",     "tmp",      "d_x",    "dx_",     "g",
      "i",       "j",        "CHAR_BIT", "RAND_MAX", "stdin",  "y0",     "j0",      "fabs",
      "isnan",   "lgamma",   "exp2",     "fma",    "size_t",   "string", "inline",  "static"};
  return names;
}

// Every one-argument function of the language (sigmoid also as sig).
const std::vector<std::string>& unary_functions() {
  static const std::vector<std::string> names{
      "exp",   "log",   "log2",  "log10",   "log1p", "expm1", "sqrt",  "cbrt",  "sin",
      "cos",   "tan",   "asin",  "acos",    "atan",  "sinh",  "cosh",  "tanh",  "asinh",
      "acosh", "atanh", "erf",   "abs",     "sigmoid", "relu", "softplus", "sign", "floor",
      "ceil",  "round", "trunc"};
  return names;
}

RandomExpr leaf(Kind kind, std::string text) {
  RandomExpr e;
  e.kind = kind;
  e.text = std::move(text);
  return e;
}

RandomExpr lit(std::string text) { return leaf(Kind::kNumber, std::move(text)); }
RandomExpr var(std::string text) { return leaf(Kind::kName, std::move(text)); }

RandomExpr node(Kind kind, std::string text, std::vector<RandomExpr> args) {
  RandomExpr e;
  e.kind = kind;
  e.text = std::move(text);
  e.args = std::move(args);
  return e;
}

RandomExpr bin(const char* op, RandomExpr a, RandomExpr b) {
  return node(Kind::kBinary, op, {std::move(a), std::move(b)});
}

int level(const RandomExpr& e) {
  switch (e.kind) {
    case Kind::kNumber: case Kind::kName: case Kind::kCall: return 8;
    case Kind::kPower: return 7;
    case Kind::kUnary: case Kind::kNot: return 6;
    case Kind::kBinary: return e.text == "+" || e.text == "-" ? 4 : 5;
    case Kind::kCompare: return 3;
    case Kind::kLogical: return e.text == "&&" ? 2 : 1;
    case Kind::kConditional: return 0;
  }
  return 8;
}

std::string print(const RandomExpr& e, int min_level);

// `a op b` with the layout the node asks for.
std::string infix(const RandomExpr& e, int left, int right) {
  const std::string a = print(e.args[0], left);
  const std::string b = print(e.args[1], right);
  if (e.space.empty()) {
    // `a--b` would read as a decrement (an error, as in JavaScript).
    const bool doubled = (e.text == "-" || e.text == "+") && b.front() == e.text.front();
    return a + e.text + (doubled ? " " : "") + b;
  }
  if (e.space == "\n") return a + " " + e.text + "\n    " + b;
  if (e.space == "/**/") return a + " " + e.text + " /* c */ " + b;
  return a + " " + e.text + " " + b;
}

std::string print(const RandomExpr& e, int min_level) {
  const int l = level(e);
  std::string body;
  switch (e.kind) {
    case Kind::kNumber:
    case Kind::kName:
      body = e.text;
      break;
    case Kind::kCall: {
      body = e.text + "(";
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        if (i > 0) body += e.space.empty() ? "," : e.space == "\n" ? ",\n    " : ", ";
        body += print(e.args[i], 0);
      }
      body += ")";
      break;
    }
    case Kind::kUnary:
    case Kind::kNot: {
      const std::string a = print(e.args[0], 6);
      const std::string op = e.kind == Kind::kNot ? "!" : e.text;
      body = op + (a.front() == op.front() ? " " : "") + a;
      break;
    }
    case Kind::kBinary: body = infix(e, l, l + 1); break;
    case Kind::kPower: body = infix(e, 8, 6); break;
    case Kind::kCompare: body = infix(e, 4, 4); break;
    case Kind::kLogical: body = infix(e, l, l + 1); break;
    case Kind::kConditional:
      body = print(e.args[0], 1) + " ? " + print(e.args[1], 0) + " : " + print(e.args[2], 0);
      break;
  }
  return l < min_level || e.parens ? "(" + body + ")" : body;
}

class Generator {
 public:
  Generator(std::mt19937_64& rng, const RandomProgramOptions& options) : rng_(rng), o_(options) {}

  RandomProgram run() {
    RandomProgram p;
    const int n_inputs = uniform(o_.min_inputs, o_.max_inputs);
    for (int i = 0; i < n_inputs; ++i) inputs_.push_back(fresh_name());
    const int n = uniform(o_.min_statements, o_.max_statements);
    for (int i = 0; i < n; ++i) p.statements.push_back(statement(i + 1 == n));
    use_every_input(p);
    if (chance(o_.layout)) {
      p.prologue = pick<std::string>({"// a random program\n", "/* a\n   block comment */\n", "\n\n", "  ",
                                      ";\n", "\r\n"});
    }
    return p;
  }

 private:
  double u01() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }
  bool chance(double p) { return u01() < p; }
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, std::max(lo, hi))(rng_); }
  template <class T>
  T pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(uniform(0, static_cast<int>(v.size()) - 1))];
  }
  std::size_t weighted(const std::vector<double>& w) {
    std::discrete_distribution<std::size_t> d(w.begin(), w.end());
    return d(rng_);
  }

  std::string fresh_name() {
    for (;;) {
      std::string name = pick(chance(o_.tricky_names) ? tricky_names() : ordinary_names());
      if (taken_.insert(name).second) return name;
    }
  }

  // A function's name as written: plain or Math.name, sigmoid also as sig.
  std::string fn(const std::string& name) {
    std::string n = name;
    if (n == "sigmoid" && chance(0.4)) n = "sig";
    return chance(0.3) ? "Math." + n : n;
  }
  RandomExpr call(const std::string& name, std::vector<RandomExpr> args) {
    RandomExpr e = node(Kind::kCall, fn(name), std::move(args));
    if (chance(o_.layout * 0.3)) e.space = pick<std::string>({"", "\n"});
    return e;
  }

  // Layout around an operator.
  void lay_out(RandomExpr& e) {
    if (chance(o_.layout)) e.space = pick<std::string>({"", "", "\n", "/**/"});
  }
  RandomExpr op(Kind kind, const std::string& text, std::vector<RandomExpr> args) {
    RandomExpr e = node(kind, text, std::move(args));
    lay_out(e);
    return e;
  }

  RandomExpr literal() {
    static const std::vector<std::string> common{"1", "2", "3", "0.5", "1.5", "2.5", ".5",
                                                 ".25", "0.1", "0.75", "4", "0.3", "1.25"};
    static const std::vector<std::string> rare{"1e-3", "2.5e-1", "1.5E+1", "3E-1", "1e0",
                                               "7",    "0",      "10",     "0.001", "2.0"};
    return lit(chance(0.8) ? pick(common) : pick(rare));
  }

  RandomExpr leaf_expr() {
    const double r = u01();
    if (r < 0.62) {
      if (!locals_.empty() && chance(0.5)) return var(chance(0.5) ? locals_.back() : pick(locals_));
      const std::string name = pick(inputs_);
      used_.insert(name);
      return var(name);
    }
    if (r < 0.9) return literal();
    return var(pick<std::string>({"pi", "Math.PI", "Math.E"}));
  }

  // Not the literal 0 (a divisor, fmod's modulus).
  static RandomExpr nonzero(RandomExpr e) {
    if (e.kind == Kind::kNumber && std::stod(e.text) == 0.0) e.text = "2";
    return e;
  }

  // Wrappers that keep an argument in a function's domain.
  RandomExpr positive(RandomExpr a) {
    switch (uniform(0, 8)) {
      case 0: return bin("+", lit("1.5"), bin("*", a, a));
      case 1: return bin("+", op(Kind::kPower, pick<std::string>({"^", "**"}), {a, lit("2")}), lit(".25"));
      case 2: return call("exp", {a});
      case 3: return call("hypot", {a, lit("1")});
      case 4: return bin("+", lit("1"), call("abs", {a}));
      case 5: return bin("+", lit("2"), call("sin", {a}));
      case 6: return call("sigmoid", {a});
      case 7: return bin("+", call("softplus", {a}), lit("0.1"));
      default: return call("cosh", {a});
    }
  }
  // Inside (-1, 1).
  RandomExpr unit(RandomExpr a) {
    switch (uniform(0, 6)) {
      case 0: return bin("*", lit("0.9"), call("tanh", {a}));
      case 1: return bin("*", lit("0.8"), call("sin", {a}));
      case 2: return bin("/", a, bin("+", lit("1.5"), bin("*", a, a)));
      case 3: return bin("-", call("sigmoid", {a}), lit("0.5"));
      case 4: return bin("*", lit("0.5"), call("cos", {a}));
      case 5: return bin("*", call("erf", {a}), lit("0.9"));
      default: return bin("/", call("atan", {a}), lit("2"));
    }
  }
  // Inside [-2, 2].
  RandomExpr bounded(RandomExpr a) {
    switch (uniform(0, 5)) {
      case 0: return bin("*", lit("2"), call("tanh", {a}));
      case 1: return call("sin", {a});
      case 2: return call("cos", {a});
      case 3: return bin("/", a, bin("+", lit("1"), bin("*", a, a)));
      case 4: return call("atan", {a});
      default: return call("erf", {a});
    }
  }

  RandomExpr domain(const std::string& f, RandomExpr a) {
    const bool safe = chance(o_.safe_domains);
    if (f == "log" || f == "log2" || f == "log10" || f == "sqrt") return safe ? positive(a) : a;
    if (f == "log1p") return !safe ? a : chance(0.5) ? positive(a) : bin("*", a, a);
    if (f == "acosh") {
      if (!safe) return a;
      return chance(0.5) ? bin("+", lit("1"), positive(a)) : bin("+", call("cosh", {a}), lit("0.5"));
    }
    if (f == "asin" || f == "acos" || f == "atanh" || f == "tan") return safe ? unit(a) : a;
    if (f == "exp" || f == "expm1" || f == "sinh" || f == "cosh") {
      if (f == "exp" && chance(0.1)) return bin("-", a, lit(pick<std::string>({"800", "1e3"})));
      return safe ? bounded(a) : a;
    }
    if (f == "sigmoid" || f == "softplus" || f == "tanh" || f == "erf" || f == "atan" || f == "relu") {
      // Far out where a naive formula overflows, or steep.
      if (chance(0.12)) return bin(pick<std::string>({"+", "-"}).c_str(), a, lit(pick<std::string>({"800", "1e3", "750"})));
      if (chance(0.08)) return bin("*", chance(0.5) ? lit("20") : node(Kind::kUnary, "-", {lit("30")}), a);
      return a;
    }
    if (f == "cbrt") return safe && chance(0.3) ? bin("+", lit("1"), bin("*", a, a)) : a;
    if (f == "floor" || f == "ceil" || f == "round" || f == "trunc") return chance(0.3) ? bin("*", lit("3"), a) : a;
    return a;
  }

  // `b` differs from every one of `others` as text.
  RandomExpr distinct(int depth, const std::vector<RandomExpr>& others) {
    RandomExpr b = num(depth);
    for (int t = 0; t < 4; ++t) {
      const std::string bt = print(b, 0);
      if (std::none_of(others.begin(), others.end(), [&](const RandomExpr& o) { return print(o, 0) == bt; })) {
        return b;
      }
      b = num(depth);
    }
    return bin("+", b, lit(fmt::format("{}", 0.5 + static_cast<double>(others.size()))));
  }

  // A constant exponent and its value.
  std::pair<RandomExpr, double> constant_exponent() {
    if (!constants_.empty() && chance(0.3)) {
      auto it = constants_.begin();
      std::advance(it, uniform(0, static_cast<int>(constants_.size()) - 1));
      return {var(it->first), it->second};
    }
    auto neg = [](const char* t) { return node(Kind::kUnary, "-", {lit(t)}); };
    switch (weighted({4, 3, 1, 1, 0.5, 1, 2, 1, 0.5, 2, 1.5, 1, 0.5, 1, 1, 0.5, 0.5})) {
      case 0: return {lit("2"), 2};
      case 1: return {lit("3"), 3};
      case 2: return {lit("4"), 4};
      case 3: return {lit("1"), 1};
      case 4: return {lit("0"), 0};
      case 5: return {lit("2.0"), 2};
      case 6: return {lit("0.5"), 0.5};
      case 7: return {lit("1.5"), 1.5};
      case 8: return {lit("2.5"), 2.5};
      case 9: return {neg("1"), -1};
      case 10: return {neg("2"), -2};
      case 11: return {neg("0.5"), -0.5};
      case 12: return {neg("3"), -3};
      case 13: return {bin("+", lit("1"), lit("1")), 2};
      case 14: return {bin("/", lit("1"), lit("3")), 1.0 / 3.0};
      case 15: return {var("pi"), kPi};
      default: return {var("Math.E"), kE};
    }
  }

  // `n = 3` and the like: a name for a constant, with its value.
  std::pair<RandomExpr, double> constant_value() {
    switch (uniform(0, 12)) {
      case 0: return {lit("3"), 3};
      case 1: return {lit("2"), 2};
      case 2: return {lit("0.5"), 0.5};
      case 3: return {lit("1.5"), 1.5};
      case 4: return {bin("+", lit("1"), lit("1")), 2};
      case 5: return {bin("/", lit("4"), lit("2")), 2};
      case 6: return {op(Kind::kPower, "^", {lit("2"), lit("2")}), 4};
      case 7: return {call("sqrt", {lit("4")}), 2};
      case 8: return {call("floor", {lit("2.5")}), 2};
      case 9: return {node(Kind::kUnary, "-", {lit("1")}), -1};
      case 10: return {call("max", {lit("2"), lit("3")}), 3};
      case 11: return {var("Math.E"), kE};
      default: return {bin("/", var("pi"), lit("2")), kPi / 2};
    }
  }

  RandomExpr power(int depth) {
    const std::string spelling = std::vector<std::string>{"^", "**", "pow", "Math.pow"}[weighted({35, 25, 25, 15})];
    RandomExpr base;
    RandomExpr exponent;
    if (chance(0.55)) {
      auto [ex, v] = constant_exponent();
      exponent = std::move(ex);
      base = num(depth - 1);
      if (std::floor(v) != v && chance(o_.safe_domains)) base = positive(base);
    } else {
      base = num(depth - 1);
      if (chance(o_.safe_domains)) base = positive(base);
      exponent = num(depth - 1);
      if (chance(o_.safe_domains)) exponent = bounded(exponent);
    }
    if (spelling == "pow" || spelling == "Math.pow") {
      RandomExpr e = node(Kind::kCall, spelling, {std::move(base), std::move(exponent)});
      return e;
    }
    return op(Kind::kPower, spelling, {std::move(base), std::move(exponent)});
  }

  RandomExpr several(int depth) {
    switch (weighted({2, 2, 2, 2.5, 2.5, 1})) {
      case 0: {
        RandomExpr y = num(depth - 1);
        RandomExpr x = distinct(depth - 1, {y});
        return call("atan2", {y, x});
      }
      case 5: return call("logaddexp", {num(depth - 1), num(depth - 1)});
      case 1: {
        std::vector<RandomExpr> args{num(depth - 1)};
        args.push_back(num(depth - 1));
        if (chance(0.4)) args.push_back(num(depth - 1));
        return call("hypot", args);
      }
      case 2: {
        RandomExpr a = num(depth - 1);
        RandomExpr b;
        const double r = u01();
        if (r < 0.4 * o_.safe_domains / 0.75) {
          b = positive(num(depth - 1));
        } else if (r < 0.7) {
          b = chance(0.8) ? lit(pick<std::string>({"0.7", "1.3", "2", "3"})) : node(Kind::kUnary, "-", {lit("1.5")});
        } else {
          b = nonzero(distinct(depth - 1, {a}));
        }
        return call("fmod", {a, b});
      }
      default: {
        std::vector<RandomExpr> args{num(depth - 1)};
        const int n = uniform(2, 4);
        while (static_cast<int>(args.size()) < n) args.push_back(distinct(depth - 1, args));
        return call(chance(0.5) ? "max" : "min", args);
      }
    }
  }

  RandomExpr num(int depth) {
    if (depth <= 0 || chance(0.15)) return leaf_expr();
    // Sometimes an earlier subexpression again, as programs repeat
    // themselves (x*x, the same sum in two places): shared nodes in the IR.
    if (!seen_.empty() && chance(0.08)) return pick(seen_);
    RandomExpr e;
    switch (weighted({10, 12, 4, 5, 2, 2.5})) {
      case 0: {
        const std::string o = std::vector<std::string>{"+", "-", "*", "/"}[weighted({3, 3, 3, 2})];
        RandomExpr a = num(depth - 1);
        RandomExpr b = num(depth - 1);
        if (o == "/") b = chance(o_.safe_domains) ? positive(b) : nonzero(b);
        e = op(Kind::kBinary, o, {a, b});
        break;
      }
      case 1: {
        const std::string f = pick(unary_functions());
        e = call(f, {domain(f, num(depth - 1))});
        break;
      }
      case 2: e = power(depth); break;
      case 3: e = several(depth); break;
      case 4: e = node(Kind::kUnary, chance(0.8) ? "-" : "+", {num(depth - 1)}); break;
      default: {
        RandomExpr c = condition(depth - 1);
        RandomExpr a = num(depth - 1);
        RandomExpr b = num(depth - 1);
        e = node(Kind::kConditional, "?:", {c, a, b});
        break;
      }
    }
    if (chance(o_.layout * 0.5)) e.parens = true;
    if (e.size() <= 12) seen_.push_back(e);
    return e;
  }

  RandomExpr condition(int depth) {
    RandomExpr e;
    const std::size_t kind = depth <= 1 ? 0 : weighted({6, 1.5, 1.5, 1});
    if (kind == 0) {
      static const std::vector<std::string> ops{"<", "<=", ">", ">=", "==", "!=", "===", "!=="};
      RandomExpr a = num(std::max(depth - 1, 0));
      RandomExpr b = distinct(std::max(depth - 1, 0), {a});
      e = op(Kind::kCompare, pick(ops), {a, b});
    } else if (kind == 1 || kind == 2) {
      e = op(Kind::kLogical, kind == 1 ? "&&" : "||", {condition(depth - 1), condition(depth - 1)});
    } else {
      e = node(Kind::kNot, "!", {condition(depth - 1)});
    }
    if (chance(o_.layout * 0.5)) e.parens = true;
    return e;
  }

  std::string statement_end(bool last) {
    if (last) {
      if (chance(o_.layout * 2)) {
        return pick<std::string>({" // the output", "\n// a trailing comment\n", "\r\n", ";;", "\n\n", " /* end */"});
      }
      return std::vector<std::string>{"", "\n", ";", ";\n"}[weighted({40, 25, 15, 10})];
    }
    if (chance(o_.layout * 2)) {
      return pick<std::string>({"\r\n", " // a comment\n", "; // a comment\n", " /* two\nlines */ ", "\n\n",
                                ";;\n", "\n// a comment line\n", "\t;\n", "\n  ", "; /* c */ "});
    }
    return std::vector<std::string>{"\n", ";\n", "; ", ";"}[weighted({35, 25, 10, 5})];
  }

  std::string declaration(double p) {
    return chance(p) ? pick<std::string>({"var ", "let ", "const "}) : "";
  }

  RandomStatement statement(bool last) {
    RandomStatement s;
    const int depth = uniform(1, o_.max_depth);
    const bool have_locals = !locals_.empty();
    // new, constant, reassignment, compound, bare
    std::size_t kind = last ? weighted({30, 0, have_locals ? 10.0 : 0.0, have_locals ? 15.0 : 0.0, 45})
                            : weighted({60, 10, have_locals ? 10.0 : 0.0, have_locals ? 14.0 : 0.0, 6});
    switch (kind) {
      case 0:
        s.declaration = declaration(0.3);
        s.value = num(depth);
        s.target = fresh_name();
        locals_.push_back(s.target);
        break;
      case 1: {
        s.declaration = declaration(0.3);
        auto [value, v] = constant_value();
        s.value = std::move(value);
        s.target = fresh_name();
        locals_.push_back(s.target);
        constants_[s.target] = v;
        break;
      }
      case 2:
        s.declaration = declaration(0.1);
        s.target = pick(locals_);
        s.value = num(depth);
        constants_.erase(s.target);
        break;
      case 3:
        s.target = pick(locals_);
        s.op = pick<std::string>({"+=", "-=", "*=", "/="});
        s.value = num(depth);
        if (s.op == "/=") s.value = chance(o_.safe_domains) ? positive(s.value) : nonzero(s.value);
        constants_.erase(s.target);
        break;
      default:
        s.value = num(depth);
        break;
    }
    s.end = statement_end(last);
    return s;
  }

  // Every input drawn is read somewhere.
  void use_every_input(RandomProgram& p) {
    for (const std::string& name : inputs_) {
      if (used_.count(name)) continue;
      std::size_t i = chance(0.5) ? p.statements.size() - 1
                                  : static_cast<std::size_t>(uniform(0, static_cast<int>(p.statements.size()) - 1));
      RandomStatement& s = p.statements[i];
      const std::string o = s.op == "/=" ? "+" : pick<std::string>({"+", "-", "*"});
      s.value = bin(o.c_str(), s.value, var(name));
      used_.insert(name);
    }
  }

  std::mt19937_64& rng_;
  RandomProgramOptions o_;
  std::set<std::string> taken_;
  std::vector<std::string> inputs_;
  std::set<std::string> used_;
  std::vector<std::string> locals_;
  std::map<std::string, double> constants_;  // locals that hold a constant, and its value
  std::vector<RandomExpr> seen_;              // small subexpressions generated so far
};

void collect(RandomExpr& e, std::vector<RandomExpr*>& out) {
  out.push_back(&e);
  for (RandomExpr& a : e.args) collect(a, out);
}

std::vector<RandomExpr*> nodes(RandomProgram& p) {
  std::vector<RandomExpr*> out;
  for (RandomStatement& s : p.statements) collect(s.value, out);
  return out;
}

void plain(RandomExpr& e) {
  e.parens = false;
  e.space = " ";
  for (RandomExpr& a : e.args) plain(a);
}

// The replacements of one node that make it simpler.
std::vector<RandomExpr> simpler(const RandomExpr& e, const std::vector<std::string>& names) {
  std::vector<RandomExpr> out;
  if (e.is_condition()) {
    for (const RandomExpr& a : e.args) {
      if (a.is_condition()) out.push_back(a);
    }
    return out;
  }
  const bool is_leaf = e.args.empty();
  for (std::size_t i = e.kind == Kind::kConditional ? 1 : 0; i < e.args.size(); ++i) out.push_back(e.args[i]);
  const bool local = e.kind == Kind::kName && e.text != "pi" && e.text.rfind("Math.", 0) != 0 &&
                     std::find(names.begin(), names.end(), e.text) == names.end();
  for (const std::string& n : names) {
    if (!is_leaf || local) out.push_back(var(n));
  }
  if (!is_leaf) out.push_back(lit("1"));
  return out;
}

// How many leaves read a name that is not one of `names` (nor a constant).
std::size_t local_reads(const RandomExpr& e, const std::vector<std::string>& names) {
  std::size_t n = 0;
  if (e.kind == Kind::kName && e.text != "pi" && e.text.rfind("Math.", 0) != 0 &&
      std::find(names.begin(), names.end(), e.text) == names.end()) {
    n = 1;
  }
  for (const RandomExpr& a : e.args) n += local_reads(a, names);
  return n;
}

std::size_t local_reads(const RandomProgram& p, const std::vector<std::string>& names) {
  std::size_t n = 0;
  for (const RandomStatement& s : p.statements) n += local_reads(s.value, names);
  return n;
}

}  // namespace

std::string RandomProgramOptions::describe() const {
  return fmt::format("inputs {}-{}, statements {}-{}, depth {}, safe_domains {}, tricky_names {}, layout {}",
                     min_inputs, max_inputs, min_statements, max_statements, max_depth, safe_domains,
                     tricky_names, layout);
}

bool RandomExpr::is_condition() const {
  return kind == Kind::kCompare || kind == Kind::kLogical || kind == Kind::kNot;
}

std::size_t RandomExpr::size() const {
  std::size_t n = 1;
  for (const RandomExpr& a : args) n += a.size();
  return n;
}

std::string RandomProgram::text() const {
  std::string out = prologue;
  for (const RandomStatement& s : statements) {
    out += s.declaration;
    if (!s.target.empty()) out += s.target + " " + s.op + " ";
    out += print(s.value, 0);
    out += s.end;
  }
  return out;
}

std::size_t RandomProgram::size() const {
  std::size_t n = 0;
  for (const RandomStatement& s : statements) n += 1 + s.value.size();
  return n;
}

RandomProgram random_program_tree(std::mt19937_64& rng, const RandomProgramOptions& options) {
  return Generator(rng, options).run();
}

std::string random_program(std::mt19937_64& rng, const RandomProgramOptions& options) {
  return random_program_tree(rng, options).text();
}

std::vector<RandomProgram> shrink_candidates(const RandomProgram& program, const std::vector<std::string>& names) {
  std::vector<RandomProgram> out;
  {
    RandomProgram p = program;
    p.prologue.clear();
    for (std::size_t i = 0; i < p.statements.size(); ++i) {
      RandomStatement& s = p.statements[i];
      s.declaration.clear();
      s.end = i + 1 < p.statements.size() ? "\n" : "";
      plain(s.value);
    }
    out.push_back(p);
  }
  if (program.statements.size() > 1) {
    for (std::size_t i = 0; i < program.statements.size(); ++i) {
      RandomProgram p = program;
      p.statements.erase(p.statements.begin() + static_cast<std::ptrdiff_t>(i));
      out.push_back(p);
    }
  }
  for (std::size_t i = 0; i < program.statements.size(); ++i) {
    if (program.statements[i].op != "=") {
      RandomProgram p = program;
      p.statements[i].op = "=";
      out.push_back(p);
    }
  }
  RandomProgram copy = program;
  const std::vector<RandomExpr*> all = nodes(copy);
  for (std::size_t k = 0; k < all.size(); ++k) {
    for (RandomExpr& r : simpler(*all[k], names)) {
      RandomProgram p = program;
      *nodes(p)[k] = std::move(r);
      out.push_back(std::move(p));
    }
  }
  // Only strictly simpler ones (fewer nodes; or as many, fewer reads of
  // assigned names; or as many of both, shorter), each once, shortest first.
  auto key = [&](const RandomProgram& p, const std::string& text) {
    return std::make_tuple(p.size(), local_reads(p, names), text.size());
  };
  const auto limit = key(program, program.text());
  std::vector<std::pair<std::string, RandomProgram>> keyed;
  std::set<std::string> seen;
  for (RandomProgram& p : out) {
    std::string text = p.text();
    if (key(p, text) < limit && seen.insert(text).second) keyed.emplace_back(std::move(text), std::move(p));
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first.size() < b.first.size(); });
  std::vector<RandomProgram> sorted;
  for (auto& k : keyed) sorted.push_back(std::move(k.second));
  return sorted;
}

RandomProgram minimise(RandomProgram program, const std::vector<std::string>& names,
                       const FirstFailing& first_failing, double seconds, std::size_t chunk) {
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  while (elapsed() < seconds) {
    const std::vector<RandomProgram> candidates = shrink_candidates(program, names);
    bool progressed = false;
    for (std::size_t from = 0; from < candidates.size() && elapsed() < seconds; from += chunk) {
      const auto to = std::min(candidates.size(), from + chunk);
      const std::vector<RandomProgram> some(candidates.begin() + static_cast<std::ptrdiff_t>(from),
                                            candidates.begin() + static_cast<std::ptrdiff_t>(to));
      const std::ptrdiff_t i = first_failing(some);
      if (i >= 0) {
        program = some[static_cast<std::size_t>(i)];
        progressed = true;
        break;
      }
    }
    if (!progressed) break;
  }
  return program;
}

}  // namespace gradgen::testing

// Issue 8's names and numbers: any identifier the language allows gives code
// that compiles under the contract's flags and computes the right gradient
// (very long names, names of the header's temporaries, adjoints, tangents
// and parameters, C++ keywords and standard macros), and literal corner
// cases (denormals, -0.0, the largest double) are carried exactly.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/check/sampling.hpp"
#include "runtime/process.hpp"
#include "support/generated.hpp"
#include "support/random_program.hpp"

using gradgen::testing::close;

namespace {

// Every keyword and alternative token of C++ up to C++20, the identifiers
// with special meaning, and the language's own declaration words.
const std::vector<std::string> kKeywords = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case",
    "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const",
    "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await", "co_return",
    "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum",
    "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int",
    "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or",
    "or_eq", "private", "protected", "public", "register", "reinterpret_cast", "requires", "return",
    "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch",
    "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
    "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
    "final", "override", "import", "module", "main", "std", "var", "let", "Math", "NaN", "Infinity"};

// What the language does not allow as a variable: its functions and `pi`
// (language.md, "Names" and "Functions").
const std::set<std::string> kNotVariables = {
    "exp", "log", "log2", "log10", "log1p", "expm1", "sqrt", "cbrt", "sin", "cos", "tan", "asin",
    "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "erf", "abs", "sigmoid", "sig",
    "relu", "softplus", "sign", "floor", "ceil", "round", "trunc", "pow", "atan2", "hypot", "fmod",
    "max", "min", "pi"};

// Every macro the standard headers of a generated header define, as the
// compiler itself lists them (c++ -dM -E), so the list does not come from
// gradgen's own table of names to avoid.
std::vector<std::string> compiler_macros(const std::string& header) {
  gradgen::runtime::TempDir dir;
  std::ofstream source(dir.path() + "/includes.cpp");
  std::istringstream lines(header);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("#include <", 0) == 0) source << line << "\n";
  }
  source.close();
  const auto r = gradgen::runtime::run_process(
      {gradgen::runtime::system_compiler(), "-std=c++17", "-dM", "-E", dir.path() + "/includes.cpp"});
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> macros;
  const std::regex define(R"(#define ([A-Za-z_][A-Za-z0-9_]*))");
  std::istringstream out(r.out);
  for (std::string line; std::getline(out, line);) {
    std::smatch m;
    if (std::regex_search(line, m, define) && !kNotVariables.count(m[1])) macros.push_back(m[1]);
  }
  return macros;
}

// Identifiers drawn from all of [A-Za-z_][A-Za-z0-9_]*, weighted towards
// what could break generated C++: keywords, macros of the standard headers,
// names reserved to the implementation (`__x`, `_X`), the header's own names
// and those it derives from a variable's (`dx`, `x_dot`, `f_grad`), and
// very long ones.
class NameSource {
 public:
  explicit NameSource(std::vector<std::string> macros) : macros_(std::move(macros)) {}

  // A name not in `taken` (the program's other names) that the language
  // allows as a variable.
  std::string draw(std::mt19937_64& rng, const std::vector<std::string>& taken) {
    for (;;) {
      std::string name = candidate(rng, taken);
      if (!kNotVariables.count(name) && std::find(taken.begin(), taken.end(), name) == taken.end()) return name;
    }
  }

 private:
  std::string candidate(std::mt19937_64& rng, const std::vector<std::string>& taken) {
    const auto pick = [&](const std::vector<std::string>& from) { return from[rng() % from.size()]; };
    const int kind = static_cast<int>(rng() % 10);
    if (kind <= 1) return pick(kKeywords);
    if (kind <= 3) return pick(macros_);
    if (kind <= 5 && !taken.empty()) {
      // Derived from another name, the way the header names its own things.
      static const std::vector<std::pair<std::string, std::string>> forms = {
          {"d", ""}, {"", "_dot"}, {"d", "_dot"}, {"", "_bar"}, {"", "1"}, {"", "_"}, {"_", ""},
          {"f_", ""}, {"", "_grad"}, {"t", ""}, {"", "_t"}};
      const auto& form = forms[rng() % forms.size()];
      return form.first + pick(taken) + form.second;
    }
    if (kind == 6) {
      static const std::vector<std::string> own = {
          "f", "f_grad", "f_inputs", "f_wrt", "f_jvp", "f_hessian", "f_hvp", "f_batch", "f_grad_batch",
          "in", "grad", "out", "in_dot", "out_dot", "out_bar", "in_bar", "jac", "hess", "v", "hv", "n",
          "k", "t", "t0", "t1", "t2", "t10", "dt1", "one", "zero", "gradgen", "value", "result",
          // the parts of a split function (split.hpp), whose parameter is `values`
          "f_value_part1", "f_grad_part2", "f_jvp_part1", "f_value_state", "f_grad_state", "values"};
      return pick(own);
    }
    // A random identifier: usually short, sometimes hundreds of characters,
    // often with leading underscores.
    static const std::string first = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
    static const std::string rest = first + "0123456789";
    const std::size_t length = kind == 7 ? 100 + rng() % 400 : 1 + rng() % 12;
    std::string name(1, first[rng() % first.size()]);
    if (rng() % 4 == 0) name = rng() % 2 ? "_" : "__";
    while (name.size() < length) name += rest[rng() % rest.size()];
    return name;
  }

  std::vector<std::string> macros_;
};

// The names a random program gives its variables, in order of first
// appearance (constants such as pi and Math.E are not variables).
void collect_names(const gradgen::testing::RandomExpr& e, std::vector<std::string>& names) {
  if (e.kind == gradgen::testing::RandomExpr::Kind::kName && e.text != "pi" && e.text.find('.') == std::string::npos &&
      std::find(names.begin(), names.end(), e.text) == names.end()) {
    names.push_back(e.text);
  }
  for (const auto& a : e.args) collect_names(a, names);
}

void rename(gradgen::testing::RandomExpr& e, const std::map<std::string, std::string>& to) {
  if (e.kind == gradgen::testing::RandomExpr::Kind::kName && to.count(e.text)) e.text = to.at(e.text);
  for (auto& a : e.args) rename(a, to);
}

}  // namespace

TEST_CASE("names: long names and names the generated code itself uses", "[names][compile]") {
  const std::string long_name(5000, 'q');
  const std::string longer = long_name + "_r";
  struct Row {
    std::string program;
    std::vector<double> at;
  };
  const std::vector<Row> rows = {
      {long_name + " * " + longer + " + sin(" + long_name + ")", {0.5, 1.5}},
      {"x1 = a * b; t1 = x1 + c; x = t1 * t1; dx1 = x + x1", {0.5, -1.5, 2.0}},
      {"dx = a * b; da = dx + a; x_dot = da * dx; dx1_dot = x_dot - a", {0.3, 0.7}},
      {"in = a * b; grad = in + a; out = grad * grad; in_dot = out - in; hess = in_dot * 2", {1.5, -0.5}},
      {"f_grad = a * b; f_jvp = f_grad + a; f = f_jvp * f_grad", {0.7, 1.1}},
      {"f_value_part1 = a * b; f_grad_state = f_value_part1 + a; values = f_grad_state * 2; f_jvp_part2 = values - a",
       {0.7, 1.1}},
      {"new = a * b; class = new + a; int = class * class; NULL = int - a; EOF = NULL * 2", {0.4, 0.9}},
      {"std = a * b; gradgen = std + a; M_PI = gradgen * 2; errno = M_PI - std", {0.6, -0.8}},
      {"_x = a * b; x_ = _x + a; x__ = x_ * 2; value = x__ - a", {1.2, 0.3}},
  };
  std::vector<gradgen::testing::CodeCase> cases;
  for (const Row& r : rows) {
    gradgen::testing::CodeCase c;
    c.program = r.program;
    c.points = {r.at};
    c.emit.split_lines = 1;  // functions in parts too, whose names must not clash with these
    cases.push_back(c);
  }
  const auto results = gradgen::testing::run_generated(cases, gradgen::runtime::system_compiler());
  REQUIRE(results.size() == rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    INFO("program: " << rows[k].program.substr(0, 200));
    const auto reference = gradgen::testing::reference(gradgen::compile({"<input>", rows[k].program}, {}), rows[k].at);
    const auto& r = results[k].at(0);
    CHECK(r.value == reference.value);
    REQUIRE(r.grad.size() == reference.gradient.size());
    for (std::size_t j = 0; j < r.grad.size(); ++j) {
      CHECK(r.grad[j] == reference.gradient[j]);
      CHECK(close(r.grad[j], r.numeric[j], 1e-6, 1e-8));
    }
  }
}

TEST_CASE("numbers: denormal, negative zero and huge literals are carried exactly", "[numbers][compile]") {
  struct Row {
    std::string program;
    double value;           // at a = 2
    double gradient;        // d/da
  };
  const std::vector<Row> rows = {
      {"a * 4.9e-324", 2 * 4.9e-324, 4.9e-324},
      {"a * 2.2250738585072014e-308", 2 * 2.2250738585072014e-308, 2.2250738585072014e-308},
      {"a + -0.0", 2.0, 1.0},
      {"a * 1e-308 * 1.7976931348623157e308", 2 * 1e-308 * 1.7976931348623157e308, 1e-308 * 1.7976931348623157e308},
      {"a * 0.1 + a * 0.2", 2 * 0.1 + 2 * 0.2, 0.1 + 0.2},
  };
  std::vector<gradgen::testing::CodeCase> cases;
  for (const Row& r : rows) {
    gradgen::testing::CodeCase c;
    c.program = r.program;
    c.points = {{2.0}};
    cases.push_back(c);
  }
  const auto results = gradgen::testing::run_generated(cases, gradgen::runtime::system_compiler());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    INFO("program: " << rows[k].program);
    const auto& r = results[k].at(0);
    CHECK(r.value == rows[k].value);
    REQUIRE(r.grad.size() == 1);
    CHECK(r.grad[0] == rows[k].gradient);
  }
  // -0.0 times a: the sign of zero survives into the generated code.
  const auto negative_zero = gradgen::testing::run_generated(
      {gradgen::testing::CodeCase{"-0.0 * a", {}, {}, {{2.0}}}}, gradgen::runtime::system_compiler());
  CHECK(negative_zero[0].at(0).value == 0.0);
  CHECK(std::signbit(negative_zero[0].at(0).value));
  CHECK(std::signbit(negative_zero[0].at(0).grad[0]));
}

// The property: renaming a program's variables to any names the language
// allows changes nothing the generated code computes, bit for bit, and the
// code compiles under the contract's flags. Each random program (the random
// generator's, over the whole language) is compiled twice, once with plain
// names (v0, v1, ...) and once with names from NameSource, and run at the
// same points; both must also agree with the reference evaluator. A failure
// prints the seed (GRADGEN_NAMES_SEED runs another stream).
TEST_CASE("names: any names the language allows give code that compiles and computes the same", "[names][compile]") {
  std::uint64_t seed = 0x6e616d6573;  // "names"
  if (const char* text = std::getenv("GRADGEN_NAMES_SEED")) seed = std::stoull(text, nullptr, 0);
  std::mt19937_64 rng(seed);
  const std::vector<std::string> macros = compiler_macros(gradgen::generate_header({"<input>", "a"}, {}, {}));
  NameSource names(macros);
  // The programs depend on the seed and on the compiler's list of macros.
  INFO("seed " << seed << ", " << macros.size() << " macros from " << gradgen::runtime::system_compiler());
  gradgen::testing::RandomProgramOptions options;
  options.tricky_names = 0;  // the names come from NameSource

  struct Pair {
    std::string plain, renamed;
    std::vector<std::vector<double>> points;  // values of the inputs, in input order
  };
  std::vector<Pair> pairs;
  std::size_t names_tried = 0;
  while (pairs.size() < 200) {
    gradgen::testing::RandomProgram program = gradgen::testing::random_program_tree(rng, options);
    // Plain names first, so the program's own names cannot collide with them.
    std::vector<std::string> original;
    for (auto& st : program.statements) {
      collect_names(st.value, original);
      if (!st.target.empty() && std::find(original.begin(), original.end(), st.target) == original.end()) {
        original.push_back(st.target);
      }
    }
    std::map<std::string, std::string> to_plain, to_tricky;
    std::vector<std::string> tricky;
    for (std::size_t i = 0; i < original.size(); ++i) {
      to_plain[original[i]] = "v" + std::to_string(i);
      tricky.push_back(names.draw(rng, tricky));
      to_tricky["v" + std::to_string(i)] = tricky.back();
    }
    names_tried += tricky.size();
    const auto renamed_copy = [](gradgen::testing::RandomProgram p, const std::map<std::string, std::string>& to) {
      for (auto& st : p.statements) {
        rename(st.value, to);
        if (to.count(st.target)) st.target = to.at(st.target);
      }
      return p;
    };
    const gradgen::testing::RandomProgram plain = renamed_copy(program, to_plain);
    const gradgen::testing::RandomProgram renamed = renamed_copy(plain, to_tricky);
    Pair pair{plain.text(), renamed.text(), {}};
    INFO("seed " << seed << ", program " << pairs.size() << ":\n" << pair.renamed);
    gradgen::Compilation plain_c, renamed_c;
    try {
      plain_c = gradgen::compile({"<input>", pair.plain}, {});
    } catch (const gradgen::Diagnostic&) {
      continue;  // not a program (the random generator's rare invalid ones)
    }
    REQUIRE_NOTHROW(renamed_c = gradgen::compile({"<input>", pair.renamed}, {}));
    // Inputs keep their order (first appearance), so the same in[] serves both.
    REQUIRE(plain_c.circuit.input_names.size() == renamed_c.circuit.input_names.size());
    for (std::size_t i = 0; i < plain_c.circuit.input_names.size(); ++i) {
      CHECK(to_tricky.at(plain_c.circuit.input_names[i]) == renamed_c.circuit.input_names[i]);
    }
    const gradgen::Samples samples = gradgen::sample_points(plain_c.circuit, rng, 2);
    if (samples.points.size() < 2) continue;  // no point where it is smooth
    pair.points = samples.points;
    pairs.push_back(pair);
  }

  // Both variants of every program in one compiler run.
  std::vector<gradgen::testing::CodeCase> cases;
  for (const Pair& p : pairs) {
    gradgen::testing::CodeCase plain, renamed;
    plain.program = p.plain;
    plain.points = p.points;
    renamed.program = p.renamed;
    renamed.points = p.points;
    // Every other renamed program split into parts of two lines: the parts'
    // names and the values they pass must not clash with the user's names.
    if (cases.size() % 4 == 2) renamed.emit.split_lines = 2;
    cases.push_back(plain);
    cases.push_back(renamed);
  }
  const auto results = gradgen::testing::run_generated(cases, gradgen::runtime::system_compiler());
  REQUIRE(results.size() == cases.size());
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    INFO("seed " << seed << ", program " << k << " with plain names:\n"
                 << pairs[k].plain << "\nrenamed:\n" << pairs[k].renamed);
    const gradgen::Compilation c = gradgen::compile({"<input>", pairs[k].plain}, {});
    for (std::size_t p = 0; p < pairs[k].points.size(); ++p) {
      const auto& a = results[2 * k].at(p);
      const auto& b = results[2 * k + 1].at(p);
      const auto same = [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); };
      CHECK(same(a.value, b.value));
      CHECK(same(a.jvp, b.jvp));
      REQUIRE(a.grad.size() == b.grad.size());
      for (std::size_t j = 0; j < a.grad.size(); ++j) CHECK(same(a.grad[j], b.grad[j]));
      const auto reference = gradgen::testing::reference(c, pairs[k].points[p]);
      CHECK(close(a.value, reference.value, 1e-12, 1e-12));
      for (std::size_t j = 0; j < a.grad.size(); ++j) CHECK(close(a.grad[j], reference.gradient[j], 1e-9, 1e-12));
    }
  }
  INFO(names_tried << " names tried");
  CHECK(names_tried > 150);
}

// Issue 8's numbers at run time: NaN and infinities in an input, and inputs
// outside a function's domain, give what C++ computes -- the value of
// F(a) * b is std::F(a) * b -- and the generated code agrees with the
// reference evaluator on every value and gradient, NaN for NaN. A NaN input
// is never turned into a number: the value is NaN, and so is every
// gradient through a function that is smooth at the point (the switches --
// relu, sign, floor, ceil, round, trunc -- have derivative 0, as
// docs/robustness.md says).
TEST_CASE("numbers: NaN, infinities and values outside a domain give what C++ computes", "[numbers][compile]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  struct Row {
    std::string function;
    double (*cxx)(double);                // the C++ function, or nullptr (the language's own)
    std::vector<double> outside;          // inputs outside the domain (or at a pole)
    bool smooth_at_nan = true;            // false: derivative 0 (a switch or a step)
  };
  const auto f = [](double (*fn)(double)) { return fn; };
  const std::vector<Row> rows = {
      {"exp", f(std::exp), {}},
      {"log", f(std::log), {-1.0, 0.0}},
      {"log2", f(std::log2), {-1.0, 0.0}},
      {"log10", f(std::log10), {-1.0, 0.0}},
      {"log1p", f(std::log1p), {-2.0, -1.0}},
      {"expm1", f(std::expm1), {}},
      {"sqrt", f(std::sqrt), {-1.0}},
      {"cbrt", f(std::cbrt), {}},
      {"sin", f(std::sin), {}},
      {"cos", f(std::cos), {}},
      {"tan", f(std::tan), {}},
      {"asin", f(std::asin), {2.0, -2.0}},
      {"acos", f(std::acos), {2.0, -2.0}},
      {"atan", f(std::atan), {}},
      {"sinh", f(std::sinh), {}},
      {"cosh", f(std::cosh), {}},
      {"tanh", f(std::tanh), {}},
      {"asinh", f(std::asinh), {}},
      {"acosh", f(std::acosh), {0.5, -1.0}},
      {"atanh", f(std::atanh), {2.0, 1.0}},
      {"erf", f(std::erf), {}},
      {"abs", f(std::fabs), {}},
      {"sigmoid", nullptr, {}},
      {"softplus", nullptr, {}},
      {"relu", nullptr, {}, false},
      {"sign", nullptr, {}, false},
      {"floor", f(std::floor), {}, false},
      {"ceil", f(std::ceil), {}, false},
      {"round", f(std::round), {}, false},
      {"trunc", f(std::trunc), {}, false},
  };
  std::vector<gradgen::testing::CodeCase> cases;
  for (const Row& r : rows) {
    gradgen::testing::CodeCase c;
    c.program = r.function + "(a) * b";
    for (double a : {nan, inf, -inf}) c.points.push_back({a, 1.5});
    for (double a : r.outside) c.points.push_back({a, 1.5});
    cases.push_back(c);
  }
  // Two-argument functions, at NaN and outside their domains.
  const std::vector<std::pair<std::string, std::vector<std::vector<double>>>> binary = {
      {"pow(a, b)", {{-2.0, 0.5}, {nan, 2.0}, {2.0, nan}, {0.0, -1.0}, {inf, 0.5}}},
      {"a ^ 0.5 * b", {{-2.0, 1.0}, {nan, 1.0}}},
      {"atan2(a, b)", {{nan, 1.0}, {1.0, nan}, {inf, inf}}},
      {"hypot(a, b)", {{nan, 1.0}, {inf, 1.0}}},
      {"fmod(a, b)", {{1.0, 0.0}, {inf, 2.0}, {nan, 2.0}}},
      {"a / b", {{1.0, 0.0}, {0.0, 0.0}, {nan, 2.0}}},
      {"max(a, b)", {{nan, 1.0}, {1.0, nan}}},
      {"min(a, b)", {{nan, 1.0}, {1.0, nan}}},
  };
  for (const auto& [program, points] : binary) cases.push_back({program, {}, {}, points});

  const auto results = gradgen::testing::run_generated(cases, gradgen::runtime::system_compiler());
  const auto same = [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const gradgen::Compilation c = gradgen::compile({"<input>", cases[k].program}, {});
    for (std::size_t p = 0; p < cases[k].points.size(); ++p) {
      const std::vector<double>& x = cases[k].points[p];
      INFO(cases[k].program << " at a = " << x[0] << ", b = " << x[1]);
      const auto& r = results[k].at(p);
      const auto reference = gradgen::testing::reference(c, x);
      CHECK(same(r.value, reference.value));
      CHECK(same(r.forward, reference.value));
      REQUIRE(r.grad.size() == reference.gradient.size());
      for (std::size_t j = 0; j < r.grad.size(); ++j) CHECK(same(r.grad[j], reference.gradient[j]));
      if (k >= rows.size()) {
        // A NaN input makes the value NaN, except where std::max or
        // std::min passes over it (below).
        const bool switch_case = cases[k].program.rfind("max", 0) == 0 || cases[k].program.rfind("min", 0) == 0;
        if ((std::isnan(x[0]) || std::isnan(x[1])) && !switch_case) CHECK(std::isnan(r.value));
        continue;
      }
      const Row& row = rows[k];
      if (row.cxx != nullptr) CHECK(same(r.value, row.cxx(x[0]) * x[1]));
      if (std::isnan(x[0])) {
        CHECK(std::isnan(r.value));
        CHECK(std::isnan(r.grad[1]));  // d/db = F(a)
        if (row.smooth_at_nan) CHECK(std::isnan(r.grad[0]));
      }
    }
  }
  // hypot's derivative is 0 at the origin only: a NaN stays NaN.
  const std::size_t hypot_case = rows.size() + 3;
  REQUIRE(cases[hypot_case].program == "hypot(a, b)");
  CHECK(std::isnan(results[hypot_case][0].grad[0]));
  CHECK(std::isnan(results[hypot_case][0].grad[1]));
  // C++'s std::max and std::min: a NaN first argument wins, a NaN second
  // argument loses (a < b is false); the gradient follows the value.
  const std::size_t max_case = rows.size() + 6;
  REQUIRE(cases[max_case].program == "max(a, b)");
  CHECK(std::isnan(results[max_case][0].value));
  CHECK(results[max_case][0].grad == std::vector<double>{1.0, 0.0});
  CHECK(results[max_case][1].value == 1.0);
  CHECK(results[max_case][1].grad == std::vector<double>{1.0, 0.0});
}

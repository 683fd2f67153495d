// Long functions split into parts (compiler/emit/split.hpp, --split-lines).
//
// Splitting must change how long the C++ compiler takes, never what the code
// computes: random programs, and programs with several outputs and Hessians,
// are compiled whole and split into parts of 1 to 4 lines (the most parts a
// program can have), and every function must give the same value, gradient
// and tangent bit for bit, also when out[] overlaps in[]. The parts must compile under the contract's
// -Werror flags like the rest. The seed is fixed and printed on failure;
// GRADGEN_SPLIT_SEED runs other programs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "compiler/compile.hpp"
#include "compiler/emit/split.hpp"
#include "runtime/process.hpp"
#include "support/generated.hpp"
#include "support/random_program.hpp"

namespace {

using gradgen::testing::CodeCase;

// Equal bit for bit as far as printing shows: the same number with the same
// sign, or NaN and NaN.
bool same(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b && std::signbit(a) == std::signbit(b);
}

bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!same(a[i], b[i])) return false;
  }
  return true;
}

std::uint64_t base_seed() {
  const char* s = std::getenv("GRADGEN_SPLIT_SEED");
  return s != nullptr ? std::strtoull(s, nullptr, 10) : 20261129;
}

// The number of lines in the body of the first function `name` that `header`
// defines (its array form, before the named-argument one), or 0 if none.
std::size_t body_lines(const std::string& header, const std::string& name) {
  for (std::size_t line = 0; line < header.size();) {
    const std::size_t end = header.find('\n', line);
    if (end == std::string::npos) break;
    const std::string_view text(header.data() + line, end - line);
    if (text.substr(0, 7) == "inline " && text.find(" " + name + "(") != std::string_view::npos) {
      const std::size_t close = header.find("\n}\n", end);
      return static_cast<std::size_t>(std::count(header.begin() + static_cast<std::ptrdiff_t>(end) + 1,
                                                 header.begin() + static_cast<std::ptrdiff_t>(close) + 1, '\n'));
    }
    line = end + 1;
  }
  return 0;
}

std::string header(const CodeCase& c) {
  gradgen::EmitOptions emit = c.emit;
  emit.program = c.program;
  emit.version = "test";
  return gradgen::generate_header(gradgen::Source{"<input>", c.program}, c.compile, emit);
}

}  // namespace

TEST_CASE("split functions compute what whole ones do, bit for bit", "[split]") {
  const std::uint64_t seed = base_seed();
  std::mt19937_64 rng(seed);
  gradgen::testing::RandomProgramOptions options;
  options.min_statements = 3;
  options.max_statements = 8;
  std::vector<CodeCase> cases;  // whole, split, whole, split, ...
  std::vector<std::string> programs;
  constexpr std::size_t kPrograms = 48;
  std::size_t split_functions = 0;
  for (std::size_t k = 0; k < kPrograms; ++k) {
    const std::string text = gradgen::testing::random_program(rng, options);
    gradgen::Compilation compiled;
    try {
      compiled = gradgen::compile(gradgen::Source{"<input>", text}, {});
    } catch (const gradgen::Diagnostic&) {
      continue;  // the generator's few programs gradgen refuses (a constant exponent out of range)
    }
    CodeCase whole;
    whole.program = text;
    whole.emit.split_lines = 0;
    whole.points = gradgen::testing::random_points(rng, compiled.analysis.inputs.size(), 3, -2.0, 2.0);
    CodeCase split = whole;
    split.emit.split_lines = 1 + k % 4;
    const std::string h = header(split);
    // With parts of one line every function of more than two lines is split
    // (a program whose value is a constant has a gradient of two lines).
    const bool varies = compiled.circuit.graph[compiled.circuit.output].depends_on_input;
    if (split.emit.split_lines == 1 && compiled.analysis.inputs.size() > 0 && varies) {
      INFO("seed " << seed << ", program:\n" << text << "\nheader:\n" << h);
      CHECK(h.find("f_grad_part1(") != std::string::npos);
      CHECK(h.find("f_jvp_part1(") != std::string::npos);
    }
    split_functions += h.find("_part1(") != std::string::npos ? 1 : 0;
    programs.push_back(text);
    cases.push_back(whole);
    cases.push_back(split);
  }
  REQUIRE(cases.size() >= kPrograms);  // most programs compile
  CHECK(split_functions * 2 >= cases.size() / 2);
  const auto results = gradgen::testing::run_generated(cases, gradgen::runtime::system_compiler());
  for (std::size_t c = 0; c < cases.size(); c += 2) {
    INFO("seed " << seed << " (GRADGEN_SPLIT_SEED), --split-lines " << cases[c + 1].emit.split_lines
                 << ", program:\n" << cases[c].program);
    for (std::size_t p = 0; p < cases[c].points.size(); ++p) {
      const auto& a = results[c][p];
      const auto& b = results[c + 1][p];
      CHECK(same(a.value, b.value));
      CHECK(same(a.forward, b.forward));
      CHECK(same(a.named, b.named));
      CHECK(same(a.grad, b.grad));
      CHECK(same(a.named_grad, b.named_grad));
      CHECK(same(a.jvp, b.jvp));
      CHECK(same(a.jvp_value, b.jvp_value));
    }
  }
}

TEST_CASE("the emitter's facts agree with every function it writes", "[split]") {
  // The splitter leaves a function whole when the facts the emitter recorded
  // disagree with its text, which would be correct but slow: with parts of
  // one line, every value, gradient, VJP, JVP and HVP function of more than
  // two lines must be split, whatever the program and the options.
  const std::uint64_t seed = base_seed();
  std::mt19937_64 rng(seed);
  gradgen::testing::RandomProgramOptions options;
  options.max_statements = 8;
  std::size_t checked = 0;
  for (std::size_t k = 0; k < 150; ++k) {
    const std::string text = gradgen::testing::random_program(rng, options);
    CodeCase c;
    c.program = text;
    switch (k % 5) {
      case 0: c.compile.hessian = true; break;
      case 1: c.emit.one_gate_per_line = true; break;
      case 2: c.emit.type = k % 2 == 0 ? gradgen::ScalarType::kFloat : gradgen::ScalarType::kLongDouble; break;
      case 3: c.emit.batch = true; c.compile.hessian = true; break;
      default: break;
    }
    if (k % 7 == 0) {
      // Several outputs: the first two names the program assigns.
      try {
        const gradgen::Compilation compiled = gradgen::compile(gradgen::Source{"<input>", text}, {});
        for (const auto& n : compiled.circuit.names) {
          if (n.version == 1 && c.compile.outputs.size() < 2) c.compile.outputs.push_back(n.name);
        }
        if (c.compile.outputs.size() < 2) c.compile.outputs.clear();
        if (!c.compile.outputs.empty()) c.compile.hessian = c.emit.batch = false;  // one output only
      } catch (const gradgen::Diagnostic&) {
        continue;
      }
    }
    std::string whole, split;
    try {
      c.emit.split_lines = 0;
      whole = header(c);
      c.emit.split_lines = 1;
      split = header(c);
    } catch (const gradgen::Diagnostic&) {
      continue;  // the generator's few programs gradgen refuses
    }
    for (const char* role : {"value", "grad", "vjp", "jvp", "hvp"}) {
      const std::string name = std::string(role) == "value" ? "f" : fmt::format("f_{}", role);
      if (body_lines(whole, name) <= 2) continue;
      INFO("seed " << seed << " (GRADGEN_SPLIT_SEED), program " << k << ":\n" << text << "\nheader:\n" << split);
      CHECK(split.find(fmt::format("f_{}_part1(", role)) != std::string::npos);
      ++checked;
    }
  }
  CHECK(checked >= 300);
}

TEST_CASE("split functions with several outputs and Hessians compute what whole ones do", "[split]") {
  const std::string program =
      "a = x*y + sin(x)\n"
      "b = exp(a/4) * y - max(x, 0.5)\n"
      "c = a / (b*b + 2) + tanh(y)\n"
      "d = hypot(a, c) * sigmoid(b) + (x > y ? x*x : log(1 + y*y))\n"
      "e = d * d - c";
  std::vector<CodeCase> cases;
  for (const bool several : {true, false}) {
    for (const std::size_t lines : {std::size_t{0}, std::size_t{1}, std::size_t{3}}) {
      CodeCase c;
      c.program = program;
      if (several) {
        c.compile.outputs = {"a", "c", "e"};
      } else {
        c.compile.hessian = true;
      }
      c.emit.split_lines = lines;
      c.points = {{0.3, -1.2}, {1.7, 0.4}, {-0.8, 2.5}};
      if (lines == 1) {
        const std::string h = header(c);
        INFO(h);
        CHECK(h.find(several ? "f_vjp_part1(" : "f_hvp_part1(") != std::string::npos);
        CHECK(h.find("f_jvp_part1(") != std::string::npos);
      }
      cases.push_back(c);
    }
  }
  const auto results = gradgen::testing::run_modes(cases, gradgen::runtime::system_compiler());
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const std::size_t whole = c - c % 3;
    INFO("case " << c << ", --split-lines " << cases[c].emit.split_lines);
    for (std::size_t p = 0; p < cases[c].points.size(); ++p) {
      REQUIRE(results[c][p].size() == results[whole][p].size());
      for (const auto& [name, values] : results[whole][p]) {
        INFO(name);
        CHECK(same(results[c][p].at(name), values));
      }
    }
  }
}

TEST_CASE("split headers named NAME and NAME_grad can be included together", "[split]") {
  // Their parts are NAME_grad_part1 (NAME's gradient) and NAME_grad_value_part1
  // (NAME_grad's value): no name in common, in the same namespace too.
  std::vector<CodeCase> cases;
  for (const char* name : {"loss", "loss_grad", "loss_jvp"}) {
    CodeCase c;
    c.program = "y = sin(x) * x + exp(x*x); y * y";
    c.emit.function = name;
    c.emit.ns = "together";
    c.emit.split_lines = 1;
    c.points = {{0.7}};
    REQUIRE(header(c).find(std::string(name) + "_grad_part1(") != std::string::npos);
    cases.push_back(c);
  }
  const auto results = gradgen::testing::run_generated(cases, gradgen::runtime::system_compiler());
  for (std::size_t c = 1; c < cases.size(); ++c) {
    CHECK(same(results[c][0].value, results[0][0].value));
    CHECK(same(results[c][0].grad, results[0][0].grad));
  }
}

TEST_CASE("split functions read their inputs before they write, as whole ones do", "[split]") {
  // f(v, v): out[] is in[]. The whole function reads all inputs before it
  // stores an output; its parts must too, or out[0] = a would change x
  // before out[1] = x reads it.
  gradgen::runtime::TempDir dir;
  const std::string program = "a = x + y; b = x * 2; c = y - a";
  std::string includes;
  for (const std::size_t lines : {std::size_t{0}, std::size_t{1}}) {
    CodeCase c;
    c.program = program;
    c.compile.outputs = {"a", "b", "c"};
    c.emit.ns = fmt::format("split{}", lines);
    c.emit.split_lines = lines;
    const std::string h = header(c);
    if (lines == 1) REQUIRE(h.find("f_value_part1(") != std::string::npos);
    std::ofstream(fmt::format("{}/split{}.hpp", dir.path(), lines)) << h;
    includes += fmt::format("#include \"split{}.hpp\"\n", lines);
  }
  std::ofstream(dir.path() + "/main.cpp")
      << includes
      << "#include <cstdio>\n"
         "int main() {\n"
         "  double whole[3] = {1.0, 2.0, 0.0}, parts[3] = {1.0, 2.0, 0.0};\n"
         "  split0::f(whole, whole);\n"
         "  split1::f(parts, parts);\n"
         "  std::printf(\"%g %g %g\\n%g %g %g\\n\", whole[0], whole[1], whole[2], parts[0], parts[1], parts[2]);\n"
         "}\n";
  std::vector<std::string> argv{gradgen::runtime::system_compiler()};
  const auto& flags = gradgen::testing::warning_flags();
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.insert(argv.end(), {"-O2", dir.path() + "/main.cpp", "-o", dir.path() + "/main"});
  const auto built = gradgen::runtime::run_process(argv);
  INFO(built.err);
  REQUIRE(built.exit_code == 0);
  const auto ran = gradgen::runtime::run_process({dir.path() + "/main"});
  REQUIRE(ran.exit_code == 0);
  CHECK(ran.out == "3 2 -1\n3 2 -1\n");
}

TEST_CASE("a function is split only when it is long and of the form the splitter knows", "[split]") {
  const std::string function =
      "// The value.\n"
      "inline double f(const double* in, double* /*grad*/) {\n"
      "  const double x = in[0];\n"
      "  const double y = in[1];\n"
      "  // forward pass\n"
      "  const double t1 = x * y;  // a comment that names z\n"
      "  double dx = t1 + 1.0e+3;\n"
      "  dx += std::sin(t1) * y;\n"
      "  return dx * x;\n"
      "}\n";
  // Its facts, recorded as the emitter does: the body first, then the input
  // loads, moved in front of it. Keys: x 0, y 1, t1 2, dx 3.
  gradgen::BodyFacts facts;
  const auto record = [&facts](std::initializer_list<std::int32_t> reads, std::int32_t var, bool declares) {
    for (const std::int32_t key : reads) facts.read(key);
    facts.end_line(var, declares);
  };
  record({0, 1}, 2, true);    // t1
  record({2}, 3, true);       // dx
  record({2, 1}, 3, false);   // dx +=
  record({3, 0}, -1, false);  // return
  for (const std::int32_t input : {0, 1}) {
    facts.name_parameter();
    record({}, input, true);
  }
  facts.move_last_to_front(2);
  SECTION("short enough: appended as it is") {
    for (const std::size_t part_lines : {std::size_t{4}, std::size_t{0}, static_cast<std::size_t>(-1)}) {
      // 7 lines: not more than twice 4; 0: never; no overflow for the largest size.
      std::string out = "before\n";
      CHECK_FALSE(gradgen::split_long_function(out, function, part_lines, "f_value", "values", facts));
      CHECK(out == "before\n" + function);
    }
  }
  SECTION("long: parts that load what they read and store what later parts read") {
    std::string out = "before\n";
    CHECK(gradgen::split_long_function(out, function, 3, "f_value", "values", facts));
    CHECK(out ==
          "before\n"
          "// f is long, so its first 6 lines are in functions of their own, f_value_part1\n"
          "// to f_value_part2, and f_value_state carries the values one part computes for\n"
          "// later ones (a C++ compiler takes time quadratic in a function's length to\n"
          "// allocate its registers).\n"
          "struct f_value_state {\n"
          "  double x;\n"
          "  double y;\n"
          "  double dx;\n"
          "};\n"
          "\n"
          "// Lines 1 to 3 of f.\n"
          "inline void f_value_part1(const double* in, f_value_state& values) {\n"
          "  const double x = in[0];\n"
          "  const double y = in[1];\n"
          "  // forward pass\n"
          "  values.x = x;\n"
          "  values.y = y;\n"
          "}\n"
          "\n"
          "// Lines 4 to 6 of f.\n"
          "inline void f_value_part2(f_value_state& values) {\n"
          "  const double x = values.x;\n"
          "  const double y = values.y;\n"
          "  const double t1 = x * y;  // a comment that names z\n"
          "  double dx = t1 + 1.0e+3;\n"
          "  dx += std::sin(t1) * y;\n"
          "  values.dx = dx;\n"
          "}\n"
          "\n"
          "// The value.\n"
          "inline double f(const double* in, double* /*grad*/) {\n"
          "  f_value_state values;\n"
          "  f_value_part1(in, values);\n"
          "  f_value_part2(values);\n"
          "  const double dx = values.dx;\n"
          "  const double x = values.x;\n"
          "  return dx * x;\n"
          "}\n");
  }
  SECTION("facts that do not agree with the text: appended as it is") {
    // dx's first line recorded as a change (dx was never declared), then as
    // the declaration of t1's key, which is declared already.
    for (const bool declares : {false, true}) {
      gradgen::BodyFacts wrong;
      for (const std::int32_t input : {0, 1}) {
        wrong.name_parameter();
        wrong.end_line(input, true);
      }
      wrong.read(0);
      wrong.read(1);
      wrong.end_line(2, true);
      wrong.read(2);
      wrong.end_line(declares ? 2 : 3, declares);
      wrong.read(2);
      wrong.end_line(3, false);
      wrong.end_line(-1, false);
      std::string out;
      CHECK_FALSE(gradgen::split_long_function(out, function, 2, "f_value", "values", wrong));
      CHECK(out == function);
    }
  }
  SECTION("blocks, loops and lines of other forms: appended as they are") {
    for (const std::string line : {"  {\n", "  for (std::size_t k = 0; k < n; ++k) {\n", "  if (x) return 1.0;\n",
                                   "  static int calls = 0;\n"}) {
      std::string other = function;
      other.insert(other.find("  return"), line);
      std::string out;
      CHECK_FALSE(gradgen::split_long_function(out, other, 2, "f_value", "values", facts));
      CHECK(out == other);
    }
  }
}

// NAME_batch and NAME_grad_batch (--batch) give, point for point, exactly
// what NAME and NAME_grad give (the same code in a loop, or for a long
// program a call per point), on the guide's examples and on random programs;
// compiled under the contract's flags.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "runtime/process.hpp"
#include "support/generated.hpp"
#include "support/random_program.hpp"

namespace {

constexpr std::uint64_t kBatchSeed = 0x6261746368ULL;  // "batch"

// A driver that runs NAME_grad at each of n points and NAME_grad_batch on all
// of them, and exits with the number of entries that differ.
std::string driver(std::size_t k, std::size_t inputs, std::size_t wrt, const std::vector<std::vector<double>>& points) {
  const std::size_t n = points.size();
  std::string soa;
  for (std::size_t i = 0; i < inputs; ++i) {
    for (std::size_t p = 0; p < n; ++p) soa += fmt::format("{:.17g}, ", points[p][i]);
  }
  return fmt::format(R"(static int check_{0}() {{
  const double soa[{1}] = {{{2}0}};
  double out[{3}] = {{}}, grad[{4}] = {{}}, values[{3}] = {{}};
  case{0}::f_batch({3}, soa, values);
  case{0}::f_grad_batch({3}, soa, out, grad);
  int bad = 0;
  for (std::size_t p = 0; p < {3}; ++p) {{
    double in[{5}] = {{}}, g[{6}] = {{}};
    for (std::size_t i = 0; i < {7}; ++i) in[i] = soa[i * {3} + p];
    const double v = case{0}::f_grad(in, g);
    if (!(v == out[p] || (v != v && out[p] != out[p]))) ++bad;
    if (!(v == values[p] || (v != v && values[p] != values[p]))) ++bad;
    for (std::size_t j = 0; j < {8}; ++j) {{
      const double b = grad[j * {3} + p];
      if (!(g[j] == b || (g[j] != g[j] && b != b))) ++bad;
    }}
  }}
  return bad;
}}
)", k, inputs * n + 1, soa, n, wrt * n + 1, inputs + 1, wrt + 1, inputs, wrt);
}

}  // namespace

TEST_CASE("batched functions (--batch): NAME_grad_batch equals NAME_grad point for point", "[batch][compile]") {
  std::vector<std::string> programs{"pow((a*b+c)*d, 2)", "(a+b)/(c+d)", "sig(a*x + b*y + c)",
                                    "x = max(a, b); y = relu(x) * c + (a > 0 ? sqrt(a) : b)",
                                    "q = x + y; f = q * z; f += sin(f)"};
  std::mt19937_64 rng(kBatchSeed);
  gradgen::testing::RandomProgramOptions o;
  while (programs.size() < 40) programs.push_back(gradgen::testing::random_program(rng, o));
  gradgen::runtime::TempDir dir;
  std::string main = "#include <cstddef>\n";
  std::string checks;
  std::string calls;
  std::size_t k = 0;
  for (const std::string& program : programs) {
    gradgen::Compilation c;
    try {
      c = gradgen::compile({"<input>", program}, {});
    } catch (const std::exception&) {
      continue;  // a random program may be refused; others test that
    }
    gradgen::EmitOptions emit;
    emit.ns = fmt::format("case{}", k);
    emit.batch = true;
    emit.program = program;
    // A third in parts of one line: the batched functions then call NAME and
    // NAME_grad for each point instead of repeating their lines.
    if (k % 3 == 1) emit.split_lines = 1;
    std::ofstream(fmt::format("{}/case{}.hpp", dir.path(), k)) << gradgen::generate_header({"<input>", program}, {}, emit);
    const std::size_t inputs = c.analysis.inputs.size();
    std::vector<std::vector<double>> points;
    std::uniform_real_distribution<double> u(-2, 2);
    for (int p = 0; p < 13; ++p) {
      std::vector<double> x(inputs);
      for (double& v : x) v = u(rng);
      points.push_back(x);
    }
    main += fmt::format("#include \"case{}.hpp\"\n", k);
    checks += driver(k, inputs, c.wrt.size(), points);
    calls += fmt::format("  bad += check_{}();\n", k);
    ++k;
  }
  REQUIRE(k >= 30);
  std::ofstream(dir.path() + "/main.cpp") << main << checks << "int main() {\n  int bad = 0;\n" << calls
                                          << "  return bad == 0 ? 0 : 1;\n}\n";
  std::vector<std::string> argv{gradgen::runtime::system_compiler()};
  const auto& flags = gradgen::testing::warning_flags();
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.insert(argv.end(), {"-O2", "-I", dir.path(), dir.path() + "/main.cpp", "-o", dir.path() + "/main"});
  const auto built = gradgen::runtime::run_process(argv);
  INFO("seed " << kBatchSeed << "\n" << built.err.substr(0, 4000));
  REQUIRE(built.exit_code == 0);
  const auto ran = gradgen::runtime::run_process({dir.path() + "/main"});
  CHECK(ran.exit_code == 0);
}

TEST_CASE("batched functions of a long program call it for each point", "[batch][compile]") {
  // Named `point`, like the loop's local array: the call must still reach
  // the function.
  gradgen::runtime::TempDir dir;
  const std::string program = "q = x*y + sin(x); r = q * exp(y) - x; r * r + q";
  gradgen::EmitOptions emit;
  emit.function = "point";
  emit.ns = "long_program";
  emit.batch = true;
  emit.split_lines = 2;
  const std::string header = gradgen::generate_header({"<input>", program}, {}, emit);
  REQUIRE(header.find("point_grad_part1(") != std::string::npos);
  CHECK(header.find("::long_program::point_grad(point, point_grad);") != std::string::npos);
  CHECK(header.find("::long_program::point(point);") != std::string::npos);
  std::ofstream(dir.path() + "/point.hpp") << header;
  std::ofstream(dir.path() + "/main.cpp") << R"(#include "point.hpp"
int main() {
  const double soa[6] = {0.5, -1.0, 2.0, 1.5, 0.25, -0.75};  // x at 3 points, then y
  double out[3], grad[6], values[3];
  long_program::point_grad_batch(3, soa, out, grad);
  long_program::point_batch(3, soa, values);
  int bad = 0;
  for (int k = 0; k < 3; ++k) {
    const double in[2] = {soa[k], soa[3 + k]};
    double g[2];
    const double v = long_program::point_grad(in, g);
    bad += v != out[k] || v != values[k] || g[0] != grad[k] || g[1] != grad[3 + k];
  }
  return bad;
}
)";
  std::vector<std::string> argv{gradgen::runtime::system_compiler()};
  const auto& flags = gradgen::testing::warning_flags();
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.insert(argv.end(), {"-O2", "-I", dir.path(), dir.path() + "/main.cpp", "-o", dir.path() + "/main"});
  const auto built = gradgen::runtime::run_process(argv);
  INFO(built.err.substr(0, 4000));
  REQUIRE(built.exit_code == 0);
  CHECK(gradgen::runtime::run_process({dir.path() + "/main"}).exit_code == 0);
}

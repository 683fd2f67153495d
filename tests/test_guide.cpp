// Every worked example of the guide's Chapter 1, through generated, compiled
// and run code: the values and gradients the guide prints, checked against
// the guide's numbers, the reference evaluator and central differences.
#include <catch2/catch.hpp>

#include <cmath>

#include "runtime/process.hpp"
#include "support/generated.hpp"

using gradgen::testing::close;

namespace {

struct GuideExample {
  const char* program;
  std::vector<std::string> inputs;  // --inputs, as the guide orders them
  std::vector<double> at;
  double value;
  std::vector<double> gradient;
  double tolerance;  // the guide prints 3 or 4 digits
};

double sig(double x) { return 1.0 / (1.0 + std::exp(-x)); }

std::vector<GuideExample> examples() {
  const double a = 1.5, b = -2.0, c = 0.5, d = 3.0;
  const double x1 = a * b + c, x2 = x1 * d;
  const double s = sig(1.0 * -1.0 + 2.0 * 3.0 - 3.0);
  return {
      // The single gate: f(x, y) = x * y at x = -2, y = 3.
      {"x * y", {}, {-2, 3}, -6, {3, -2}, 0},
      // The circuit f(x, y, z) = (x + y) * z.
      {"(x + y) * z", {}, {-2, 5, -4}, -12, {-4, -4, 3}, 0},
      // The single neuron, with the guide's values.
      {"sig(a*x + b*y + c)", {"a", "b", "c", "x", "y"}, {1, 2, -3, -1, 3}, 0.8808,
       {-0.105, 0.315, 0.105, 0.105, 0.210}, 5e-4},
      // The neuron in two steps, as in "Becoming a Backprop Ninja".
      {"q = a*x + b*y + c\nf = sig(q)", {"a", "b", "c", "x", "y"}, {1, 2, -3, -1, 3}, s,
       {-1 * s * (1 - s), 3 * s * (1 - s), s * (1 - s), s * (1 - s), 2 * s * (1 - s)}, 1e-15},
      // The ninja's gates.
      {"x = a * b", {}, {a, b}, a * b, {b, a}, 0},
      {"x = a + b", {}, {a, b}, a + b, {1, 1}, 0},
      {"q = a + b; x = q + c", {}, {a, b, c}, a + b + c, {1, 1, 1}, 0},
      {"x = a * b + c", {}, {a, b, c}, a * b + c, {b, a, 1}, 0},
      {"x = a * a", {}, {a}, a * a, {2 * a}, 0},
      {"x = a*a + b*b + c*c", {}, {a, b, c}, a * a + b * b + c * c, {2 * a, 2 * b, 2 * c}, 0},
      {"x = Math.pow(((a * b + c) * d), 2)", {}, {a, b, c, d}, x2 * x2,
       {2 * x2 * d * b, 2 * x2 * d * a, 2 * x2 * d, 2 * x2 * x1}, 1e-15},
      {"x1 = a * b + c\nx2 = x1 * d\nx = x2 * x2", {}, {a, b, c, d}, x2 * x2,
       {2 * x2 * d * b, 2 * x2 * d * a, 2 * x2 * d, 2 * x2 * x1}, 1e-15},
      {"x = 1.0/a", {}, {a}, 1 / a, {-1 / (a * a)}, 1e-15},
      {"x = (a + b)/(c + d)", {}, {a, b, c, d}, (a + b) / (c + d),
       {1 / (c + d), 1 / (c + d), -(a + b) / ((c + d) * (c + d)), -(a + b) / ((c + d) * (c + d))},
       1e-15},
      {"x = Math.max(a, b)", {}, {a, b}, a, {1, 0}, 0},
      {"x = Math.max(a, b)", {}, {b, a}, a, {0, 1}, 0},
      {"x = Math.max(a, 0)", {}, {a}, a, {1}, 0},
      {"x = Math.max(a, 0)", {}, {b}, 0, {0}, 0},
  };
}

}  // namespace

TEST_CASE("the guide's Chapter 1 examples, compiled and run", "[guide][compile]") {
  const std::vector<GuideExample> table = examples();
  std::vector<gradgen::testing::CodeCase> cases;
  for (const GuideExample& e : table) {
    gradgen::testing::CodeCase c;
    c.program = e.program;
    c.compile.inputs = e.inputs;
    c.points = {e.at};
    cases.push_back(c);
  }
  const auto results = gradgen::testing::run_generated(cases, gradgen::runtime::system_compiler());
  REQUIRE(results.size() == table.size());
  for (std::size_t k = 0; k < table.size(); ++k) {
    const GuideExample& e = table[k];
    INFO("program: " << e.program);
    REQUIRE(results[k].size() == 1);
    const auto& r = results[k][0];
    CHECK(close(r.value, e.value, e.tolerance, e.tolerance));
    CHECK(r.forward == r.value);
    CHECK(r.named == r.value);
    REQUIRE(r.grad.size() == e.gradient.size());
    const gradgen::Source source{"<input>", e.program};
    gradgen::CompileOptions options;
    options.inputs = e.inputs;
    const auto reference = gradgen::testing::reference(gradgen::compile(source, options), e.at);
    for (std::size_t i = 0; i < e.gradient.size(); ++i) {
      INFO("gradient " << i << ": generated " << r.grad[i] << ", numerical " << r.numeric[i]);
      CHECK(close(r.grad[i], e.gradient[i], e.tolerance, e.tolerance));
      CHECK(r.named_grad[i] == r.grad[i]);
      CHECK(r.grad[i] == reference.gradient[i]);
      CHECK(close(r.grad[i], r.numeric[i], 1e-6, 1e-9));
    }
    CHECK(r.value == reference.value);
    // Forward mode along a direction gives the same as <gradient, direction>.
    CHECK(r.jvp_value == r.value);
    CHECK(close(r.jvp, gradgen::testing::directional(r.grad), 1e-14, 1e-300));
  }
}

TEST_CASE("the guide's step: the neuron's output grows along its gradient", "[guide]") {
  // a.value += step_size * a.grad, then forward again: 0.8808 -> 0.8825.
  const gradgen::Source source{"<input>", "sig(a*x + b*y + c)"};
  gradgen::CompileOptions options;
  options.inputs = {"a", "b", "c", "x", "y"};
  const gradgen::Compilation c = gradgen::compile(source, options);
  std::vector<double> at{1, 2, -3, -1, 3};
  const auto before = gradgen::testing::reference(c, at);
  for (std::size_t i = 0; i < at.size(); ++i) at[i] += 0.01 * before.gradient[i];
  const auto after = gradgen::testing::reference(c, at);
  CHECK(std::round(before.value * 1e4) == 8808);
  CHECK(after.value > before.value);
  CHECK(std::fabs(after.value - 0.8825) < 1.5e-4);  // the guide prints 0.8825
}

// Issue 8's names and numbers: any identifier the language allows gives code
// that compiles under the contract's flags and computes the right gradient
// (very long names, names of the header's temporaries, adjoints, tangents
// and parameters, C++ keywords and standard macros), and literal corner
// cases (denormals, -0.0, the largest double) are carried exactly.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "runtime/process.hpp"
#include "support/generated.hpp"

using gradgen::testing::close;

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
      {"new = a * b; class = new + a; int = class * class; NULL = int - a; EOF = NULL * 2", {0.4, 0.9}},
      {"std = a * b; gradgen = std + a; M_PI = gradgen * 2; errno = M_PI - std", {0.6, -0.8}},
      {"_x = a * b; x_ = _x + a; x__ = x_ * 2; value = x__ - a", {1.2, 0.3}},
  };
  std::vector<gradgen::testing::CodeCase> cases;
  for (const Row& r : rows) {
    gradgen::testing::CodeCase c;
    c.program = r.program;
    c.points = {r.at};
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

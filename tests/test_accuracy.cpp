// Accuracy of the derivative rules where the textbook formula loses it:
// each gradient is compared, in ulps, with the exact derivative at the same
// double inputs, computed once with mpmath at 60 digits and rounded to
// double: tests/accuracy_reference.py prints every table's values. These are the
// points where the formulas gradgen used before went wrong: a^2 + b^2
// overflowing in atan2's slope, 1 - a * a cancelling in asin's, expm1(a) + 1
// cancelling for a < -1, trunc(a / b) rounding up in fmod's, and std::pow's
// slower calls for integer powers (docs/numerics.md).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "compiler/compile.hpp"
#include "compiler/emit/emit_cpp.hpp"
#include "runtime/process.hpp"
#include "support/generated.hpp"

namespace {

// |got - want| in units of want's last place (the smallest subnormal's
// for 0); infinite when only one of them is finite.
double ulps(double got, double want) {
  if (got == want) return 0.0;
  if (!std::isfinite(got) || !std::isfinite(want)) return std::numeric_limits<double>::infinity();
  const double magnitude = std::fabs(want);
  const double ulp = std::nextafter(magnitude, std::numeric_limits<double>::infinity()) - magnitude;
  return std::fabs(got - want) / ulp;
}

struct Row {
  std::string program;
  std::vector<double> point;
  std::vector<double> gradient;  // the exact gradient, rounded to double
  double value = std::numeric_limits<double>::quiet_NaN();  // for the powers: a^k rounded
};

// Runs every row's program at its point, and checks each gradient component
// of NAME_grad within `gradient_ulps` of the exact one, NAME_jvp along the
// test direction within a few ulps of the exact directional derivative, and
// the value where the row has one within `value_ulps`.
void check_rows(const std::vector<Row>& rows, double gradient_ulps, double value_ulps) {
  std::vector<gradgen::testing::CodeCase> cases;
  for (const Row& r : rows) cases.push_back({r.program, {}, {}, {r.point}});
  const auto results = gradgen::testing::run_generated(cases, gradgen::runtime::system_compiler());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const Row& r = rows[k];
    const gradgen::testing::PointResult& got = results[k].at(0);
    REQUIRE(got.grad.size() == r.gradient.size());
    double directional = 0.0;
    double scale = 0.0;
    for (std::size_t j = 0; j < r.gradient.size(); ++j) {
      INFO(r.program << " at input " << j << ": gradient " << got.grad[j] << ", exact " << r.gradient[j]);
      CHECK(ulps(got.grad[j], r.gradient[j]) <= gradient_ulps);
      directional += r.gradient[j] * gradgen::testing::direction(j);
      scale += std::fabs(r.gradient[j] * gradgen::testing::direction(j));
    }
    INFO(r.program << ": NAME_jvp " << got.jvp << ", exact " << directional);
    CHECK((got.jvp == directional ||
           std::fabs(got.jvp - directional) <= 4 * scale * std::numeric_limits<double>::epsilon()));
    if (!std::isnan(r.value)) {
      INFO(r.program << " at " << r.point[0] << ": value " << got.value << ", exact " << r.value);
      CHECK(ulps(got.value, r.value) <= value_ulps);
      CHECK(ulps(got.forward, r.value) <= value_ulps);
    }
  }
}

}  // namespace

TEST_CASE("accuracy: derivative rules stay accurate where the textbook formula overflows or cancels",
          "[accuracy][compile]") {
  // program, point, exact gradient (mpmath, rounded); fmod's slope is exact.
  const std::vector<Row> rows = {
{"atan2(a, b)", {1e+200, 1e+200}, {5e-201, -5e-201}},
      {"atan2(a, b)", {1e-200, 3e-200}, {3e+199, -1e+199}},
      {"atan2(a, b)", {1e+160, 1e-160}, {0.0, -1e-160}},
      {"atan2(a, b)", {0.3, -0.7}, {-1.206896551724138, -0.5172413793103449}},
      {"atan2(a, b)", {-2.5, -0.001}, {-0.0001599999744000041, 0.3999999360000102}},
      {"asinh(a)", {1e+200}, {1e-200}},
      {"asinh(a)", {-3e+160}, {3.3333333333333334e-161}},
      {"asinh(a)", {0.5}, {0.8944271909999159}},
      {"asinh(a)", {-2.0}, {0.4472135954999579}},
      {"acosh(a)", {1e+200}, {1e-200}},
      {"acosh(a)", {1.5}, {0.8944271909999159}},
      {"acosh(a)", {1.0000000009313226}, {23170.475000525992}},
      {"acosh(a)", {3e+154}, {3.3333333333333332e-155}},
      {"asin(a)", {0.999999}, {707.1069579531425}},
      {"acos(a)", {0.999999}, {-707.1069579531425}},
      {"atanh(a)", {0.999999}, {500000.24998574716}},
      {"asin(a)", {0.9999999990686774}, {23170.475011315586}},
      {"acos(a)", {0.9999999990686774}, {-23170.475011315586}},
      {"atanh(a)", {0.9999999990686774}, {536870912.25}},
      {"asin(a)", {-0.9999}, {70.71244595190564}},
      {"acos(a)", {-0.9999}, {-70.71244595190564}},
      {"atanh(a)", {-0.9999}, {5000.250012501176}},
      {"asin(a)", {0.3}, {1.0482848367219182}},
      {"acos(a)", {0.3}, {-1.0482848367219182}},
      {"atanh(a)", {0.3}, {1.098901098901099}},
      {"expm1(a)", {-40.0}, {4.248354255291589e-18}},
      {"expm1(a)", {-10.0}, {4.5399929762484854e-05}},
      {"expm1(a)", {-5.0}, {0.006737946999085467}},
      {"expm1(a)", {1e-10}, {1.0000000001}},
      {"expm1(a)", {3.0}, {20.085536923187668}},
      {"expm1(a)", {-700.0}, {9.85967654375977e-305}},
      {"logaddexp(a, b)", {1000.0, -1000.0}, {1.0, 0.0}},
      {"logaddexp(a, b)", {0.5, 2.0}, {0.18242552380635635, 0.8175744761936437}},
      {"logaddexp(a, b)", {-800.0, -801.0}, {0.7310585786300049, 0.2689414213699951}},
      {"logaddexp(a, b)", {1e300, 1e300}, {0.5, 0.5}},
      {"logaddexp(a, b)", {30.0, -7.0}, {0.9999999999999999, 8.533047625744065e-17}},
      {"fmod(a, b)", {1.0, 0.1}, {1.0, -9.0}},
      {"fmod(a, b)", {2.0, 0.2}, {1.0, -9.0}},
      {"fmod(a, b)", {7.5, 2.0}, {1.0, -3.0}},
      {"fmod(a, b)", {-7.5, 2.0}, {1.0, 3.0}},
      {"fmod(a, b)", {5.3, -1.1}, {1.0, 4.0}},
      // a variable power: d/da is 0 at b == 0 (a^0 = 1 for every a), d/db 0 at a == 0 < b
      {"pow(a, b)", {0.0, 0.0}, {0.0, -std::numeric_limits<double>::infinity()}},
      {"pow(a, b)", {2.0, 0.0}, {0.0, 0.6931471805599453}},
      {"pow(a, b)", {0.0, 2.0}, {0.0, 0.0}},
      {"pow(a, b)", {3.0, 2.0}, {6.0, 9.887510598012987}},
      // x / y, never overflowing: dy / y would be infinite here, and 0 * inf NaN
      {"hypot(a, b)", {0.0, 1e-310}, {0.0, 1.0}},
      {"1e300 * hypot(a, b)", {1e-10, 1e-10}, {7.071067811865476e+299, 7.071067811865476e+299}},
      {"hypot(a, b, c)", {3.0, 4.0, 12.0}, {0.23076923076923078, 0.3076923076923077, 0.9230769230769231}},
      {"hypot(a, b, c)", {1e+300, 2e+300, 2e+300}, {0.3333333333333333, 0.6666666666666666, 0.6666666666666666}},
      {"hypot(a, b, c)", {1e-300, 1e-300, 3e-300}, {0.30151134457776363, 0.30151134457776363, 0.9045340337332909}},
  };
  check_rows(rows, 4.0, 0.0);
}

TEST_CASE("accuracy: integer powers up to the 8th are products, within k - 1 ulps", "[accuracy][compile]") {
  // program, point, exact gradient k a^(k-1), exact value a^k (mpmath,
  // rounded). a^9, a^12 and a^-3 ... a^-8 call std::pow. The bound, k - 1
  // ulps (7 at k = 8), is a relative error of (k - 1) 2^-53.
  const std::vector<Row> rows = {
      {"a ^ 4", {1.1}, {5.324000000000002}, 1.4641000000000004},
      {"a ^ 4", {-3.3}, {-143.748}, 118.59209999999997},
      {"a ^ 4", {0.7}, {1.3719999999999997}, 0.24009999999999995},
      {"a ^ 5", {1.1}, {7.320500000000003}, 1.6105100000000006},
      {"a ^ 5", {-3.3}, {592.9604999999999}, -391.3539299999999},
      {"a ^ 5", {0.7}, {1.2004999999999997}, 0.16806999999999994},
      {"a ^ 6", {1.1}, {9.663060000000003}, 1.7715610000000008},
      {"a ^ 6", {-3.3}, {-2348.1235799999995}, 1291.4679689999996},
      {"a ^ 6", {0.7}, {1.0084199999999996}, 0.11764899999999996},
      {"a ^ 7", {1.1}, {12.400927000000006}, 1.9487171000000012},
      {"a ^ 7", {-3.3}, {9040.275782999997}, -4261.844297699999},
      {"a ^ 7", {0.7}, {0.8235429999999997}, 0.08235429999999996},
      {"a ^ 8", {1.1}, {15.58973680000001}, 2.1435888100000016},
      {"a ^ 8", {-3.3}, {-34094.75438159999}, 14064.086182409994},
      {"a ^ 8", {0.7}, {0.6588343999999997}, 0.05764800999999997},
      {"a ^ (-3)", {1.1}, {-2.0490403660952112}, 0.7513148009015775},
      {"a ^ (-3)", {-3.3}, {-0.025296794643150773}, -0.02782647410746585},
      {"a ^ (-3)", {0.7}, {-12.49479383590171}, 2.9154518950437325},
      {"a ^ (-4)", {1.1}, {-2.4836852922366197}, 0.6830134553650705},
      {"a ^ (-4)", {-3.3}, {0.010220927128545767}, 0.008432264881050257},
      {"a ^ (-4)", {0.7}, {-23.79960730647945}, 4.164931278633904},
      {"a ^ (-5)", {1.1}, {-2.822369650268886}, 0.6209213230591549},
      {"a ^ (-5)", {-3.3}, {-0.0038715633062673363}, -0.002555231782136442},
      {"a ^ (-5)", {0.7}, {-42.49929876157045}, 5.949901826619863},
      {"a ^ (-6)", {1.1}, {-3.078948709384239}, 0.5644739300537771},
      {"a ^ (-6)", {-3.3}, {0.0014078412022790314}, 0.0007743126612534672},
      {"a ^ (-6)", {0.7}, {-72.85594073412078}, 8.49985975231409},
      {"a ^ (-7)", {1.1}, {-3.2655516614681317}, 0.5131581182307065},
      {"a ^ (-7)", {-3.3}, {-0.0004977216371693546}, -0.00023464020037983858},
      {"a ^ (-7)", {0.7}, {-121.4265678902013}, 12.14265678902013},
      {"a ^ (-8)", {1.1}, {-3.392780946979877}, 0.4665073802097331},
      {"a ^ (-8)", {-3.3}, {0.00017237112975562063}, 7.110309102419351e-05},
      {"a ^ (-8)", {0.7}, {-198.2474577799205}, 17.34665255574304},
      {"a ^ 9", {1.1}, {19.292299290000013}, 2.357947691000002},
      {"a ^ 9", {-3.3}, {126576.77564168995}, -46411.48440195298},
      {"a ^ 9", {0.7}, {0.5188320899999997}, 0.04035360699999998},
      {"a ^ 12", {1.1}, {34.23740047332003}, 3.138428376721003},
      {"a ^ 12", {-3.3}, {-6065052.781647215}, 1667889.514952984},
      {"a ^ 12", {0.7}, {0.23727920915999984}, 0.01384128720099999},
  };
  check_rows(rows, 7.0, 7.0);

  // The slope of a negative power: k * (a^k / a) for an integer k, right at
  // +-0; std::pow(a, k - 1) for another k, where (-0)^-0.5 / -0 would flip
  // the sign of the infinite slope.
  const double inf = std::numeric_limits<double>::infinity();
  check_rows({{"a ^ (-3)", {0.0}, {-inf}}, {"a ^ (-3)", {-0.0}, {-inf}}, {"a ^ (-4)", {-0.0}, {inf}},
              {"a ^ (-0.5)", {-0.0}, {-inf}}, {"a ^ (-0.5)", {0.0}, {-inf}}, {"a ^ (-1.5)", {-0.0}, {-inf}}},
             0.0, 0.0);
  // a^-8 by std::pow: 1 / (a * ... * a) would be 0 where a^8 overflows but
  // a^-8 is a subnormal number (1.5e-309 here).
  {
    const auto results = gradgen::testing::run_generated({{"a ^ (-8) * 1e300", {}, {}, {{4e38}}}},
                                                         gradgen::runtime::system_compiler());
    const double value = results.at(0).at(0).value;
    INFO("a ^ -8 * 1e300 at 4e38: " << value);
    CHECK(std::fabs(value - 1.5258789062500003e-09) <= 1e-13 * 1.5258789062500003e-09);
  }

  // The text: products for k = 2 ... 8, 1 / x and 1 / (x * x) for k = -1, -2,
  // no std::pow call; std::pow for the others, but never in a negative
  // integer power's slope.
  const auto header = [](const std::string& program) {
    return gradgen::generate_header({"<input>", program}, {}, {});
  };
  for (const std::string k : {"2", "3", "4", "5", "6", "7", "8", "(-1)", "(-2)", "(1+3)"}) {
    INFO("a ^ " << k);
    CHECK(header("a ^ " + k).find("std::pow") == std::string::npos);
  }
  CHECK(header("a ^ 4").find("const double x = (a * a) * (a * a);") != std::string::npos);
  CHECK(header("a ^ -2").find("const double x = 1.0 / (a * a);") != std::string::npos);
  for (const std::string k : {"9", "(-3)", "(-8)", "(-9)", "2.5", "b"}) {
    INFO("a ^ " << k);
    CHECK(header("a ^ " + k).find("std::pow") != std::string::npos);
  }
  const std::string minus_five = header("a ^ -5");
  CHECK(minus_five.find("std::pow(a, -6.0)") == std::string::npos);
  CHECK(minus_five.find("const double da = -5.0 * (x / a) * dx;") != std::string::npos);
  // a^1 is a, and a^0 is 1 (no std::pow either).
  CHECK(header("a ^ 1 + b").find("const double x = a + b;") != std::string::npos);
  CHECK(header("a ^ 0 + b").find("const double x = 1.0 + b;") != std::string::npos);
}

TEST_CASE("accuracy: a long double header spells pi, e and the rules' constants to long double precision",
          "[accuracy]") {
  gradgen::EmitOptions emit;
  emit.type = gradgen::ScalarType::kLongDouble;
  const std::string header =
      gradgen::generate_header({"<input>", "pi * x + log2(x) + erf(x) - Math.E * log10(x)"}, {}, emit);
  for (const char* constant : {"3.14159265358979323846264338327950288L", "2.71828182845904523536028747135266250L",
                               "0.693147180559945309417232121458176568L", "2.30258509299404568401799145468436421L",
                               "1.12837916709551257389615890312154517L"}) {
    INFO(constant);
    CHECK(header.find(constant) != std::string::npos);
  }
  CHECK(header.find("3.141592653589793L") == std::string::npos);
}

TEST_CASE("accuracy: second derivatives (--hessian) of the rewritten rules, at large and small magnitudes",
          "[accuracy][modes][compile]") {
  // program, point, exact Hessian, row-major (mpmath, rounded): the slopes
  // are differentiated again, so a slope that overflows inside (dy / y in
  // hypot's) shows here first.
  struct HessianRow {
    std::string program;
    std::vector<double> point;
    std::vector<double> hessian;
  };
  const std::vector<HessianRow> rows = {
      {"hypot(a, b)", {1e200, 1e200}, {3.5355339059327375e-201, -3.5355339059327375e-201, -3.5355339059327375e-201, 3.5355339059327375e-201}},
      {"hypot(a, b)", {1e-200, 1e-200}, {3.5355339059327376e+199, -3.5355339059327376e+199, -3.5355339059327376e+199, 3.5355339059327376e+199}},
      {"hypot(a, b)", {3.0, -4.0}, {0.128, 0.096, 0.096, 0.072}},
      {"atan2(a, b)", {1e100, 2e100}, {-1.5999999999999999e-201, -1.2e-201, -1.2e-201, 1.5999999999999999e-201}},
      {"atan2(a, b)", {0.3, -0.7}, {1.2485136741973841, -1.1890606420927468, -1.1890606420927468, -1.2485136741973841}},
      {"atan2(a, b)", {1e-100, 3e-100}, {-5.999999999999999e+198, -8e+198, -8e+198, 5.999999999999999e+198}},
      {"asinh(a)", {1e100}, {-1e-200}},
      {"asinh(a)", {0.5}, {-0.35777087639996635}},
      {"acosh(a)", {1e100}, {-1e-200}},
      {"acosh(a)", {1.5}, {-1.0733126291998991}},
  };
  std::vector<gradgen::testing::CodeCase> cases;
  for (const HessianRow& r : rows) {
    gradgen::testing::CodeCase c{r.program, {}, {}, {r.point}};
    c.compile.hessian = true;
    cases.push_back(c);
  }
  const auto results = gradgen::testing::run_modes(cases, gradgen::runtime::system_compiler());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const HessianRow& r = rows[k];
    const gradgen::testing::ModesPoint& got = results.at(k).at(0);
    const std::vector<double>& hessian = got.at("hessian");
    const std::vector<double>& hvp = got.at("hvp");
    const std::size_t n = r.point.size();
    REQUIRE(hessian.size() == n * n);
    REQUIRE(hvp.size() == n);
    for (std::size_t i = 0; i < n; ++i) {
      double exact_hvp = 0.0;
      double scale = 0.0;
      for (std::size_t j = 0; j < n; ++j) {
        INFO(r.program << ": Hessian entry (" << i << ", " << j << ") " << hessian[i * n + j] << ", exact "
                       << r.hessian[i * n + j]);
        CHECK(ulps(hessian[i * n + j], r.hessian[i * n + j]) <= 8.0);
        exact_hvp += r.hessian[i * n + j] * gradgen::testing::direction(j);
        scale += std::fabs(r.hessian[i * n + j] * gradgen::testing::direction(j));
      }
      INFO(r.program << ": NAME_hvp entry " << i << " " << hvp[i] << ", exact " << exact_hvp);
      CHECK(std::fabs(hvp[i] - exact_hvp) <= 16 * scale * std::numeric_limits<double>::epsilon());
    }
  }
}

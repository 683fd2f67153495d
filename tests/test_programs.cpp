// A table of programs that covers the whole language -- every function (also
// as Math.xxx), every operator, every statement form, constant and variable
// exponents, --inputs, --wrt, --type, --name, --namespace, input names that
// are C++ keywords or macros -- compiled for real (all rows in one compiler
// run) and run at random points. Per row and point:
//   - the three ways of asking for the value agree exactly,
//   - the value matches a hand-written C++ formula for the program (when the
//     row has one) and the reference evaluator,
//   - the gradient matches the reference evaluator and central differences
//     of the generated forward function,
//   - the named-argument gradient equals the array one.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <fstream>
#include <limits>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/process.hpp"
#include "support/generated.hpp"

using gradgen::testing::close;

namespace {

using Point = std::vector<double>;
using Truth = std::function<double(const Point&)>;
using gradgen::ScalarType;

constexpr std::uint64_t kSeed = 0x6772616467656eULL;  // "gradgen"
constexpr std::size_t kRandomPoints = 3;

// A point with a known value and gradient (kinks, ties, huge arguments, the
// spec's worked examples). No central differences there.
struct Fixed {
  Point at;
  double value;
  std::vector<double> grad;
};

struct Row {
  std::string program;
  double lo = -2;
  double hi = 2;
  Truth truth;  // the value in plain C++, inputs in input order (may be empty)
  std::vector<std::string> inputs;
  std::vector<std::string> wrt;
  std::string function = "f";
  std::string ns;
  ScalarType type = ScalarType::kDouble;
  std::vector<Fixed> fixed;
  bool clang = false;  // also in the clang++ run

  Row with_inputs(std::vector<std::string> v) const { Row r = *this; r.inputs = std::move(v); return r; }
  Row with_wrt(std::vector<std::string> v) const { Row r = *this; r.wrt = std::move(v); return r; }
  Row named(std::string f, std::string n) const { Row r = *this; r.function = std::move(f); r.ns = std::move(n); return r; }
  Row typed(ScalarType t) const { Row r = *this; r.type = t; return r; }
  Row at(Point p, double v, std::vector<double> g) const { Row r = *this; r.fixed.push_back({std::move(p), v, std::move(g)}); return r; }
  Row also_clang() const { Row r = *this; r.clang = true; return r; }
};

Row R(std::string program, double lo, double hi, Truth truth = {}) {
  Row r;
  r.program = std::move(program);
  r.lo = lo;
  r.hi = hi;
  r.truth = std::move(truth);
  return r;
}

// A constant program (no inputs).
Row K(std::string program, double value) {
  return R(std::move(program), 0, 1, [value](const Point&) { return value; });
}

double sigmoid(double x) { return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x)); }
double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
double sgn(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0; }

const double kPi = 3.14159265358979323846;
const double kE = 2.71828182845904523536;

#define T1(expr) [](const Point& v) { const double x = v[0]; return (expr); }
#define T2(expr) [](const Point& v) { const double x = v[0], y = v[1]; return (expr); }
#define TV(expr) [](const Point& v) { return (expr); }

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

// "x0 + x1 + ... + x{n-1}" style helpers for the long programs.
std::string long_sum(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += (i ? " + a" : "a") + std::to_string(i);
  return s;
}

std::string dot_product(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "w" + std::to_string(i) + "*x" + std::to_string(i) + " + ";
  return s + "b";
}

std::string repeated_sum(int n) {
  std::string s = "x";
  for (int i = 1; i < n; ++i) s += " + x";
  return s;
}

std::string sine_series(int n) {
  std::string s = "s = 0";
  for (int k = 1; k <= n; ++k) s += "\ns += sin(" + std::to_string(k) + " * x) / " + std::to_string(k);
  return s;
}

std::string deep_chain(int n) {
  std::string s = "y = x";
  for (int i = 0; i < n; ++i) {
    s += i % 2 == 0 ? "\ny = tanh(y*y + sin(y) + a)" : "\ny = cos(y)*x + 0.5*y";
  }
  return s;
}

double deep_chain_value(double x, double a, int n) {
  double y = x;
  for (int i = 0; i < n; ++i) y = i % 2 == 0 ? std::tanh(y * y + std::sin(y) + a) : std::cos(y) * x + 0.5 * y;
  return y;
}

std::string nested_sines(int n) {
  std::string s = "x";
  for (int i = 0; i < n; ++i) s = "sin(" + s + ")";
  return s;
}

const char* kSvmLoss = R"(// the guide's SVM cost on its three data points, w = (w0, w1, w2)
var alpha = 0.1 // regularization strength
var score0 = w0 * 1.2 + w1 * 0.7 + w2
var cost0 = Math.max(0, - 1 * score0 + 1)
var score1 = w0 * -0.3 + w1 * 0.5 + w2
var cost1 = Math.max(0, - -1 * score1 + 1)
var score2 = w0 * 3 + w1 * 2.5 + w2
var cost2 = Math.max(0, - 1 * score2 + 1)
total_cost = cost0 + cost1 + cost2
reg_cost = alpha * (w0*w0 + w1*w1)
total_cost += reg_cost
)";

double svm_loss(const Point& w) {
  const double s0 = w[0] * 1.2 + w[1] * 0.7 + w[2];
  const double s1 = w[0] * -0.3 + w[1] * 0.5 + w[2];
  const double s2 = w[0] * 3 + w[1] * 2.5 + w[2];
  return std::max(0.0, -s0 + 1) + std::max(0.0, s1 + 1) + std::max(0.0, -s2 + 1) +
         0.1 * (w[0] * w[0] + w[1] * w[1]);
}

const char* kTwoLayerNet = R"(var n1 = Math.max(0, a1*x + b1*y + c1); // activation of 1st hidden neuron
var n2 = Math.max(0, a2*x + b2*y + c2); // 2nd neuron
var n3 = Math.max(0, a3*x + b3*y + c3); // 3rd neuron
var score = a4*n1 + b4*n2 + c4*n3 + d4; // the score
)";

// inputs: a1 x b1 y c1 a2 b2 c2 a3 b3 c3 a4 b4 c4 d4
double two_layer_net(const Point& v) {
  const double a1 = v[0], x = v[1], b1 = v[2], y = v[3], c1 = v[4], a2 = v[5], b2 = v[6], c2 = v[7];
  const double a3 = v[8], b3 = v[9], c3 = v[10], a4 = v[11], b4 = v[12], c4 = v[13], d4 = v[14];
  const double n1 = std::max(0.0, a1 * x + b1 * y + c1);
  const double n2 = std::max(0.0, a2 * x + b2 * y + c2);
  const double n3 = std::max(0.0, a3 * x + b3 * y + c3);
  return a4 * n1 + b4 * n2 + c4 * n3 + d4;
}

const char* kNetLoss = R"(n1 = relu(a1*x + b1*y + c1)
n2 = relu(a2*x + b2*y + c2)
score = a4*n1 + b4*n2 + d4
loss = max(0, -label * score + 1)
loss += 0.05 * (a1*a1 + b1*b1 + a2*a2 + b2*b2 + a4*a4 + b4*b4)
)";

std::vector<Row> rows() {
  const ScalarType F = ScalarType::kFloat;
  const ScalarType L = ScalarType::kLongDouble;
  std::vector<Row> t;

  // --- every one-argument function, plain and as Math.xxx ---
  t.push_back(R("exp(x)", -3, 3, T1(std::exp(x))).also_clang());
  t.push_back(R("Math.exp(x * y - 1)", -1.5, 1.5, T2(std::exp(x * y - 1))));
  t.push_back(R("log(x)", 0.1, 5, T1(std::log(x))));
  t.push_back(R("Math.log(x * x + y)", 0.2, 3, T2(std::log(x * x + y))));
  t.push_back(R("log2(x)", 0.1, 5, T1(std::log2(x))));
  t.push_back(R("Math.log2(1 + x * y)", 0.1, 3, T2(std::log2(1 + x * y))));
  t.push_back(R("log10(x)", 0.1, 50, T1(std::log10(x))));
  t.push_back(R("Math.log10(x / y)", 0.5, 4, T2(std::log10(x / y))));
  t.push_back(R("log1p(x)", -0.9, 3, T1(std::log1p(x))));
  t.push_back(R("Math.log1p(x * y)", 0, 2, T2(std::log1p(x * y))));
  t.push_back(R("expm1(x)", -2, 2, T1(std::expm1(x))));
  t.push_back(R("Math.expm1(x - y)", -1, 1, T2(std::expm1(x - y))));
  t.push_back(R("sqrt(x)", 0.05, 9, T1(std::sqrt(x))));
  t.push_back(R("Math.sqrt(x * x + y * y)", -2, 2, T2(std::sqrt(x * x + y * y))));
  t.push_back(R("cbrt(x)", -8, -0.1, T1(std::cbrt(x))).at({-8}, -2, {1.0 / 12}));
  t.push_back(R("Math.cbrt(x * y)", 0.5, 2, T2(std::cbrt(x * y))));
  t.push_back(R("sin(x)", -4, 4, T1(std::sin(x))));
  t.push_back(R("Math.sin(x * y)", -2, 2, T2(std::sin(x * y))));
  t.push_back(R("cos(x)", -4, 4, T1(std::cos(x))));
  t.push_back(R("Math.cos(x + y * x)", -2, 2, T2(std::cos(x + y * x))));
  t.push_back(R("tan(x)", -1.2, 1.2, T1(std::tan(x))));
  t.push_back(R("Math.tan(x * y)", -1, 1, T2(std::tan(x * y))));
  t.push_back(R("asin(x)", -0.9, 0.9, T1(std::asin(x))));
  t.push_back(R("Math.asin(x * y)", -0.9, 0.9, T2(std::asin(x * y))));
  t.push_back(R("acos(x)", -0.9, 0.9, T1(std::acos(x))));
  t.push_back(R("Math.acos(x * y)", -0.9, 0.9, T2(std::acos(x * y))));
  t.push_back(R("atan(x)", -5, 5, T1(std::atan(x))));
  t.push_back(R("Math.atan(x / y)", 0.5, 3, T2(std::atan(x / y))));
  t.push_back(R("sinh(x)", -3, 3, T1(std::sinh(x))));
  t.push_back(R("Math.sinh(x * y)", -1.5, 1.5, T2(std::sinh(x * y))));
  t.push_back(R("cosh(x)", -3, 3, T1(std::cosh(x))));
  t.push_back(R("Math.cosh(x - y)", -2, 2, T2(std::cosh(x - y))));
  t.push_back(R("tanh(x)", -3, 3, T1(std::tanh(x))));
  t.push_back(R("Math.tanh(x * y)", -1.5, 1.5, T2(std::tanh(x * y))));
  t.push_back(R("asinh(x)", -5, 5, T1(std::asinh(x))));
  t.push_back(R("Math.asinh(x * y)", -2, 2, T2(std::asinh(x * y))));
  t.push_back(R("acosh(x)", 1.1, 6, T1(std::acosh(x))));
  t.push_back(R("Math.acosh(x * y)", 1.1, 3, T2(std::acosh(x * y))));
  t.push_back(R("atanh(x)", -0.9, 0.9, T1(std::atanh(x))));
  t.push_back(R("Math.atanh(x * y)", -0.9, 0.9, T2(std::atanh(x * y))));
  t.push_back(R("erf(x)", -2.5, 2.5, T1(std::erf(x))));
  t.push_back(R("Math.erf(x * y)", -1.5, 1.5, T2(std::erf(x * y))));
  t.push_back(R("abs(x)", -3, 3, T1(std::fabs(x))).at({0}, 0, {0}).at({-2}, 2, {-1}));
  t.push_back(R("Math.abs(x - y)", -2, 2, T2(std::fabs(x - y))));
  t.push_back(R("sigmoid(x)", -6, 6, T1(sigmoid(x)))
                  .at({-800}, 0, {0})
                  .at({800}, 1, {0})
                  .at({0}, 0.5, {0.25}));
  t.push_back(R("Math.sigmoid(x * y)", -3, 3, T2(sigmoid(x * y))));
  t.push_back(R("sig(x)", -40, 40, T1(sigmoid(x))));
  t.push_back(R("Math.sig(a * x + b * y + c)", -1.5, 1.5,
                TV(sigmoid(v[0] * v[1] + v[2] * v[3] + v[4]))));
  t.push_back(R("relu(x)", -3, 3, T1(std::max(x, 0.0))).at({0}, 0, {0}).at({2}, 2, {1}));
  t.push_back(R("Math.relu(x * y - 0.5)", -2, 2, T2(std::max(x * y - 0.5, 0.0))));
  t.push_back(R("softplus(x)", -10, 10, T1(softplus(x)))
                  .at({800}, 800, {1})
                  .at({-800}, 0, {0}));
  t.push_back(R("Math.softplus(x - y)", -3, 3, T2(softplus(x - y))));
  t.push_back(R("softplus(x) + sigmoid(y)", -1000, 1000, T2(softplus(x) + sigmoid(y))));
  t.push_back(R("sign(x)", -3, 3, T1(sgn(x))).at({0}, 0, {0}).at({-2}, -1, {0}));
  t.push_back(R("sign(x) * x", -3, 3, T1(sgn(x) * x)));
  t.push_back(R("Math.sign(x - y) + x", -2, 2, T2(sgn(x - y) + x)).at({1, 1}, 1, {1, 0}));
  t.push_back(R("floor(x) * y", -3, 3, T2(std::floor(x) * y)));
  t.push_back(R("Math.floor(x * 2) + x", -3, 3, T1(std::floor(x * 2) + x)));
  t.push_back(R("ceil(x) * y", -3, 3, T2(std::ceil(x) * y)));
  t.push_back(R("Math.ceil(x * 2) - x", -3, 3, T1(std::ceil(x * 2) - x)));
  t.push_back(R("round(x) * y", -3, 3, T2(std::round(x) * y)));
  t.push_back(R("Math.round(x * 2) * x", -3, 3, T1(std::round(x * 2) * x)));
  t.push_back(R("trunc(x) * y", -3, 3, T2(std::trunc(x) * y)));
  t.push_back(R("Math.trunc(x * 2) / y", 0.5, 3, T2(std::trunc(x * 2) / y)));

  // --- the functions of two or more arguments ---
  t.push_back(R("pow(x, y)", 0.2, 3, T2(std::pow(x, y)))
                  .at({0, 2}, 0, {0, 0})
                  .at({2, 3}, 8, {12, 8 * std::log(2.0)}));
  t.push_back(R("Math.pow(x, y * 2)", 0.3, 2, T2(std::pow(x, y * 2))));
  t.push_back(R("pow(x, 2)", -3, 3, T1(x * x)).at({-3}, 9, {-6}).at({0}, 0, {0}));
  t.push_back(R("pow(x, 3)", -3, -0.2, T1(x * x * x)).at({-2}, -8, {12}));
  t.push_back(R("pow(x, -1)", -3, -0.3, T1(1 / x)));
  t.push_back(R("pow(x, 0.5)", 0.1, 4, T1(std::sqrt(x))));
  t.push_back(R("pow(x, -2.5)", 0.3, 3, T1(std::pow(x, -2.5))));
  t.push_back(R("pow(x - y, 4)", -2, 2, T2(std::pow(x - y, 4))));
  t.push_back(R("Math.pow(x, 2) + Math.pow(y, -3)", -3, -0.3, T2(x * x + 1 / (y * y * y))));
  t.push_back(R("atan2(y, x)", -2, 2, TV(std::atan2(v[0], v[1]))));
  t.push_back(R("atan2(y, x)", -3, -0.5, TV(std::atan2(v[0], v[1]))));
  t.push_back(R("Math.atan2(x * y, x - y)", -2, 2, T2(std::atan2(x * y, x - y))));
  t.push_back(R("hypot(a, b)", -3, 3, T2(std::hypot(x, y))));
  t.push_back(R("Math.hypot(a, b, c)", -3, 3, TV(std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]))));
  t.push_back(R("hypot(a * b, c - a, 1)", -2, 2,
                TV(std::sqrt(v[0] * v[1] * v[0] * v[1] + (v[2] - v[0]) * (v[2] - v[0]) + 1))));
  t.push_back(R("fmod(a, b)", 0.5, 7, T2(std::fmod(x, y)))
                  .at({5.5, 2}, 1.5, {1, -2})
                  .at({-5.5, 2}, -1.5, {1, 2})
                  .at({5.5, -2}, 1.5, {1, 2}));
  t.push_back(R("Math.fmod(a * b, c)", 0.5, 3, TV(std::fmod(v[0] * v[1], v[2]))));
  t.push_back(R("fmod(-a, b) * a", 0.5, 3, T2(std::fmod(-x, y) * x)));
  t.push_back(R("logaddexp(a, b)", -3, 3, T2(std::log(std::exp(x) + std::exp(y)))));
  t.push_back(R("Math.logaddexp(a * b, b) * a", -2, 2, T2(std::log(std::exp(x * y) + std::exp(y)) * x)));
  t.push_back(R("logaddexp(a, a)", -3, 3, T1(x + std::log(2.0))));
  t.push_back(R("max(a, b)", -2, 2, T2(std::max(x, y))).at({1, 1}, 1, {1, 0}).at({0, 1}, 1, {0, 1}));
  t.push_back(R("min(a, b)", -2, 2, T2(std::min(x, y))).at({1, 1}, 1, {1, 0}).at({0, 1}, 0, {1, 0}));
  t.push_back(R("max(a, b, c, d)", -2, 2, TV(std::max({v[0], v[1], v[2], v[3]})))
                  .at({2, 1, 2, 0}, 2, {1, 0, 0, 0})
                  .at({0, 1, 3, 3}, 3, {0, 0, 1, 0}));
  t.push_back(R("Math.min(a, b, c)", -2, 2, TV(std::min({v[0], v[1], v[2]})))
                  .at({1, 1, 1}, 1, {1, 0, 0})
                  .at({2, 1, 1}, 1, {0, 1, 0}));
  t.push_back(R("max(a, b, c, d, e)", -2, 2, TV(std::max({v[0], v[1], v[2], v[3], v[4]}))));
  t.push_back(R("Math.max(0, a * x + b * y + c)", -1, 1,
                TV(std::max(0.0, v[0] * v[1] + v[2] * v[3] + v[4]))));
  t.push_back(R("min(a * a, b, 1.5) + max(a, -b)", -2, 2, T2(std::min({x * x, y, 1.5}) + std::max(x, -y))));
  t.push_back(R("Math.max(a, b) * Math.min(a, b)", -2, 2, T2(x * y)));

  // --- constants ---
  t.push_back(R("pi * x", -2, 2, T1(kPi * x)));
  t.push_back(R("Math.PI * x * x + Math.E", -2, 2, T1(kPi * x * x + kE)));
  t.push_back(R("e * x + E - PI", -2, 2, TV(v[0] * v[1] + v[2] - v[3])));
  t.push_back(R("Math.E ^ x", -2, 2, T1(std::exp(x))));
  t.push_back(R("pow(pi, x)", -2, 2, T1(std::pow(kPi, x))));
  t.push_back(R("sin(pi * x) / pi + Math.E * Math.PI", -2, 2, T1(std::sin(kPi * x) / kPi + kE * kPi)));
  t.push_back(R("2 * pi * r * r", 0.1, 3, T1(2 * kPi * x * x)));

  // --- operators, precedence and associativity ---
  t.push_back(R("a + b", -2, 2, T2(x + y)));
  t.push_back(R("a - b", -2, 2, T2(x - y)));
  t.push_back(R("a * b", -2, 2, T2(x * y)));
  t.push_back(R("a / b", 0.5, 3, T2(x / y)));
  t.push_back(R("a ^ b", 0.3, 2, T2(std::pow(x, y))));
  t.push_back(R("a ** b", 0.3, 2, T2(std::pow(x, y))));
  t.push_back(R("-a", -2, 2, T1(-x)));
  t.push_back(R("+a", -2, 2, T1(x)));
  t.push_back(R("-(-a) * +b", -2, 2, T2(x * y)));
  t.push_back(R("-a^2", -3, 3, T1(-(x * x))).at({3}, -9, {-6}));
  t.push_back(R("a^-b", 0.3, 2, T2(std::pow(x, -y))));
  t.push_back(R("a**-b", 0.3, 2, T2(std::pow(x, -y))));
  t.push_back(R("2^x", -2, 2, T1(std::pow(2.0, x))));
  t.push_back(R("2 ** -x", -2, 2, T1(std::pow(2.0, -x))));
  t.push_back(R("a^b^c", 0.5, 1.5, TV(std::pow(v[0], std::pow(v[1], v[2])))));
  t.push_back(R("a ** b ** c", 0.5, 1.5, TV(std::pow(v[0], std::pow(v[1], v[2])))));
  t.push_back(R("a ** -2", 0.5, 2, T1(1 / (x * x))));
  t.push_back(R("a - b - c", -2, 2, TV(v[0] - v[1] - v[2])));
  t.push_back(R("a / b / c", 0.5, 2, TV(v[0] / v[1] / v[2])));
  t.push_back(R("a - b * c + d / e", 0.5, 2, TV(v[0] - v[1] * v[2] + v[3] / v[4])));
  t.push_back(R("(a + b) * (c - d)", -2, 2, TV((v[0] + v[1]) * (v[2] - v[3]))));
  t.push_back(R("a * b ^ 2", -2, 2, T2(x * y * y)));
  t.push_back(R("-a ^ b", 0.3, 2, T2(-std::pow(x, y))));
  t.push_back(R("(-a) ^ 2", -2, 2, T1(x * x)));
  t.push_back(R("(-a) ** 3", -2, 2, T1(-x * x * x)));
  t.push_back(R("1 / (1 + a * a)", -2, 2, T1(1 / (1 + x * x))));
  t.push_back(R("a * (b + c * (d - a * (b - c)))", -2, 2,
                TV(v[0] * (v[1] + v[2] * (v[3] - v[0] * (v[1] - v[2]))))));

  // --- comparisons, logic and ?: ---
  t.push_back(R("a < b ? a * b : a + b", -2, 2, T2(x < y ? x * y : x + y)));
  t.push_back(R("a <= b ? sin(a) : cos(b)", -2, 2, T2(x <= y ? std::sin(x) : std::cos(y))));
  t.push_back(R("a > b ? a - b : b * b", -2, 2, T2(x > y ? x - y : y * y)));
  t.push_back(R("a >= b ? exp(a) : exp(b)", -2, 2, T2(x >= y ? std::exp(x) : std::exp(y))));
  t.push_back(R("floor(a) == floor(b) ? a * b : a - b", 0, 3,
                T2(std::floor(x) == std::floor(y) ? x * y : x - y)));
  t.push_back(R("floor(a) != floor(b) ? a * b : a - b", 0, 3,
                T2(std::floor(x) != std::floor(y) ? x * y : x - y)));
  t.push_back(R("floor(a) === floor(b) ? a : b * b", 0, 3, T2(std::floor(x) == std::floor(y) ? x : y * y)));
  t.push_back(R("floor(a) !== floor(b) ? a * a : b", 0, 3, T2(std::floor(x) != std::floor(y) ? x * x : y)));
  t.push_back(R("a < b && b < c ? a : c", -2, 2, TV(v[0] < v[1] && v[1] < v[2] ? v[0] : v[2])));
  t.push_back(R("a < b || b < c ? a * b : b * c", -2, 2,
                TV(v[0] < v[1] || v[1] < v[2] ? v[0] * v[1] : v[1] * v[2])));
  t.push_back(R("!(a < b) ? a : b", -2, 2, T2(!(x < y) ? x : y)));
  t.push_back(R("!!(a < b) ? a : b", -2, 2, T2(x < y ? x : y)));
  // && binds tighter than || (docs/language-decisions.md)
  t.push_back(R("a > 0 || b > 0 && c > 0 ? a * b : a + c", -2, 2,
                TV((v[0] > 0 || (v[1] > 0 && v[2] > 0)) ? v[0] * v[1] : v[0] + v[2])));
  t.push_back(R("!(a < b && c < d) || a > c ? a * c : b * d", -2, 2,
                TV(!(v[0] < v[1] && v[2] < v[3]) || v[0] > v[2] ? v[0] * v[2] : v[1] * v[3])));
  t.push_back(R("a < b ? (b < c ? a : b) : (a < c ? c : a * b)", -2, 2,
                TV(v[0] < v[1] ? (v[1] < v[2] ? v[0] : v[1]) : (v[0] < v[2] ? v[2] : v[0] * v[1]))));
  t.push_back(R("(a < b ? a < c ? a : c : b) * 2", -2, 2,
                TV((v[0] < v[1] ? (v[0] < v[2] ? v[0] : v[2]) : v[1]) * 2)));
  t.push_back(R("a < -1 ? a * a : a < 0 ? -a : a < 1 ? a * 2 : sqrt(a)", -2, 2,
                T1(x < -1 ? x * x : x < 0 ? -x : x < 1 ? x * 2 : std::sqrt(x))));
  t.push_back(R("a > 0 ? log(a) : a", -2, 2, T1(x > 0 ? std::log(x) : x)));
  t.push_back(R("x > 0 ? sqrt(x) : -sqrt(-x)", -2, 2, T1(x > 0 ? std::sqrt(x) : -std::sqrt(-x))));
  t.push_back(R("a != 0 ? b / a : b", -2, 2, T2(x != 0 ? y / x : y)).at({0, 2}, 2, {0, 1}));
  t.push_back(R("(a < b ? a : b) * (a < b ? b : a)", -2, 2, T2(x * y)));
  t.push_back(R("a > 0 && b > 0 ? log(a * b) : 0", -2, 2, T2(x > 0 && y > 0 ? std::log(x * y) : 0)));
  t.push_back(R("a < b ? 1 : 2", -2, 2, T2(x < y ? 1.0 : 2.0)));

  // --- statements and assignments ---
  t.push_back(R("y = x * x\ny += x", -2, 2, T1(x * x + x)));
  t.push_back(R("y = x * 3\ny -= x * x", -2, 2, T1(x * 3 - x * x)));
  t.push_back(R("y = x + 1; y *= y; y *= x", -2, 2, T1((x + 1) * (x + 1) * x)));
  t.push_back(R("y = x * x + 1; y /= x", 0.5, 2, T1((x * x + 1) / x)));
  t.push_back(R("y = x\ny = y * y\ny = y + x\ny = sin(y)", -2, 2, T1(std::sin(x * x + x))));
  t.push_back(R("var a1 = x * y; let a2 = a1 + x; const a3 = a2 * a2; a3", -2, 2,
                T2((x * y + x) * (x * y + x))));
  t.push_back(R("const k = 2; k = k * x; k", -2, 2, T1(2 * x)));
  t.push_back(R("// leading comment\ny = x * 2 // trailing comment\n/* block\n comment */ z = y + x /* inline */ * y;\n",
                -2, 2, T1(2 * x + x * 2 * x)));
  // Comments the header echoes: a line splice (a backslash, or the trigraph
  // of two question marks and a slash, which g++ -Wall warns of) must not
  // reach the header's comment.
  t.push_back(R("y = x * 2 // a\\\nz = y * x /* b?\?/ */ // c ?\?/\n", -2, 2, T1(2 * x * x)).also_clang());
  t.push_back(R("y = x * 2;\nz = y * x;", -2, 2, T1(2 * x * x)));
  t.push_back(R("y = a * b\r\nz = y + a\r\n", -2, 2, T2(x * y + x)));
  t.push_back(R("y = (a +\n b) *\n c", -2, 2, TV((v[0] + v[1]) * v[2])));
  t.push_back(R("x1 = a * b + c\nx2 = x1 * d\nx = x2 * x2", -2, 2,
                TV((v[0] * v[1] + v[2]) * v[3] * (v[0] * v[1] + v[2]) * v[3])));
  t.push_back(R("a * b; a + b", -2, 2, T2(x + y)));
  t.push_back(R("s = a; s += b; s -= c; s *= a; s /= 2", -2, 2, TV((v[0] + v[1] - v[2]) * v[0] / 2)));
  t.push_back(R("q = a*x + b*y + c\nf = sig(q)", -1.5, 1.5,
                TV(sigmoid(v[0] * v[1] + v[2] * v[3] + v[4]))));

  // --- constant exponents (no log, right for negative bases) ---
  t.push_back(R("x^2", -3, 3, T1(x * x)).at({-3}, 9, {-6}));
  t.push_back(R("x^-2", -3, -0.3, T1(1 / (x * x))).at({-2}, 0.25, {0.25}));
  t.push_back(R("x^(1+1)", -3, -0.3, T1(x * x)).at({-1.5}, 2.25, {-3}));
  t.push_back(R("n = 3; x^n", -3, -0.3, T1(x * x * x)).at({-2}, -8, {12}));
  t.push_back(R("n = 3; n -= 1; x^(n * 2) - x^-n", -2, -0.3, T1(std::pow(x, 4) - 1 / (x * x))));
  t.push_back(R("pow(x, 3) + pow(x, -3)", -2, -0.3, T1(x * x * x + 1 / (x * x * x))));
  t.push_back(R("x^0 + x", -2, 2, T1(1 + x)));
  t.push_back(R("x^1 * y", -2, 2, T2(x * y)).at({0, 2}, 0, {2, 0}));
  t.push_back(R("pow(x, 2 * pi / pi)", -2, -0.5, T1(x * x)));
  t.push_back(R("x ** 3", -2, -0.2, T1(x * x * x)));
  t.push_back(R("k = 2; k *= 3; x^k", -1.5, -0.5, T1(std::pow(x, 6))));
  // integer powers to the 8th are products, their slopes too (docs/numerics.md)
  t.push_back(R("x^5 + x^-7 - x^8 + (x + 1)^4", -1.5, -0.5,
                T1(std::pow(x, 5) + std::pow(x, -7) - std::pow(x, 8) + std::pow(x + 1, 4))).also_clang());
  t.push_back(R("(x * y)^6 / 10 + y^-4 + x^9", -1.5, -0.5,
                T2(std::pow(x * y, 6) / 10 + std::pow(y, -4) + std::pow(x, 9))).typed(F));
  // the guide's declarations of several names: var x = -2, y = 5
  t.push_back(R("var q = x + y, f = q * q, g = f * x", -2, 2, T2((x + y) * (x + y) * x)));
  t.push_back(R("pow(x, 1/3)", 0.2, 3, T1(std::pow(x, 1.0 / 3))));
  t.push_back(R("(x - y)^3 * 0.5", -2, 2, T2(0.5 * (x - y) * (x - y) * (x - y))));
  t.push_back(R("m = 0.5; x^(m * 4) + x^m", 0.2, 3, T1(x * x + std::sqrt(x))));

  // --- variable exponents ---
  t.push_back(R("x^x", 0.3, 2, T1(std::pow(x, x))));
  t.push_back(R("pow(a, b * c)", 0.5, 1.5, TV(std::pow(v[0], v[1] * v[2]))));
  t.push_back(R("2^(x * y)", -1.5, 1.5, T2(std::pow(2.0, x * y))));
  t.push_back(R("pow(x, y) + pow(y, x)", 0.3, 2.5, T2(std::pow(x, y) + std::pow(y, x))));

  // --- --wrt and --inputs ---
  t.push_back(R("a * b + sin(c)", -2, 2, TV(v[0] * v[1] + std::sin(v[2]))).with_wrt({"c", "a"}).also_clang());
  t.push_back(R("a * b + sin(c)", -2, 2, TV(v[0] * v[1] + std::sin(v[2]))).with_wrt({"b"}));
  t.push_back(R("q = a*x + b*y + c; q * q", -2, 2, TV(std::pow(v[0] * v[1] + v[2] * v[3] + v[4], 2)))
                  .with_wrt({"a", "b", "c"}));
  t.push_back(R("a * b - c", -2, 2, TV(v[2] * v[1] - v[0])).with_inputs({"c", "b", "a"}));
  t.push_back(R("x * y + z", -2, 2, TV(v[2] * v[1] + v[0])).with_inputs({"z", "y", "x", "unused"}));
  t.push_back(R("a * b", -2, 2, TV(v[1] * v[0])).with_inputs({"b", "a", "w"}).with_wrt({"w", "a"}));
  t.push_back(R("sig(a*x + b*y + c)", -1.5, 1.5, TV(sigmoid(v[0] * v[3] + v[1] * v[4] + v[2])))
                  .with_inputs({"a", "b", "c", "x", "y"})
                  .with_wrt({"a", "b", "c"}));

  // --- --type float and long double ---
  t.push_back(R("sin(x) * y + exp(x)", -2, 2, T2(std::sin(x) * y + std::exp(x))).typed(F).also_clang());
  t.push_back(R("sigmoid(a*x + b*y + c)", -1.5, 1.5, TV(sigmoid(v[0] * v[1] + v[2] * v[3] + v[4]))).typed(F));
  t.push_back(R("x^2 + pow(x, -1) + x^-3", -2, -0.5, T1(x * x + 1 / x + 1 / (x * x * x))).typed(F));
  t.push_back(R("a < b ? a : b * b", -2, 2, T2(x < y ? x : y * y)).typed(F));
  t.push_back(R("sqrt(x * x + 1) + atan2(y, x) + hypot(x, y, 1)", -2, 2,
                T2(std::sqrt(x * x + 1) + std::atan2(y, x) + std::sqrt(x * x + y * y + 1))).typed(F));
  t.push_back(R("log(x) + log1p(x) + log2(x) + log10(x) + cbrt(x)", 0.2, 3,
                T1(std::log(x) + std::log1p(x) + std::log2(x) + std::log10(x) + std::cbrt(x))).typed(F));
  t.push_back(R("pow(x, y) + fmod(x, y) + max(x, y, 1)", 0.3, 2.5,
                T2(std::pow(x, y) + std::fmod(x, y) + std::max({x, y, 1.0}))).typed(F));
  t.push_back(R("softplus(x) + relu(x) + abs(x) * sign(x) + floor(x) + ceil(x) + round(x) + trunc(x)", -3, 3,
                T1(softplus(x) + std::max(x, 0.0) + x + std::floor(x) + std::ceil(x) + std::round(x) +
                   std::trunc(x)))
                  .typed(F));
  t.push_back(R("pi * x + Math.E * 0.1 + x * 1e-3 + 1.5E+2 + .5", -2, 2,
                T1(kPi * x + kE * 0.1 + x * 1e-3 + 150 + 0.5)).typed(F));
  t.push_back(R("tanh(x) + asinh(x) + erf(x) + sinh(x) + cosh(x) + tan(x) + expm1(x)", -1, 1,
                T1(std::tanh(x) + std::asinh(x) + std::erf(x) + std::sinh(x) + std::cosh(x) + std::tan(x) +
                   std::expm1(x)))
                  .typed(F));
  t.push_back(R("asin(x) + acos(x) + atanh(x) + atan(x) + acosh(x + 2)", -0.8, 0.8,
                T1(std::asin(x) + std::acos(x) + std::atanh(x) + std::atan(x) + std::acosh(x + 2))).typed(F));
  t.push_back(R("y = x * x; y += 1; y /= x; y -= x; y *= 3", 0.5, 2, T1(((x * x + 1) / x - x) * 3))
                  .typed(F)
                  .named("loss", "fl::t"));
  t.push_back(R("float * double + int", -2, 2, TV(v[0] * v[1] + v[2])).typed(F));
  t.push_back(R("x^y + x^0.5", 0.3, 2, T2(std::pow(x, y) + std::sqrt(x))).typed(F));
  t.push_back(R("sin(x) * y + exp(x)", -2, 2, T2(std::sin(x) * y + std::exp(x))).typed(L).also_clang());
  t.push_back(R("sigmoid(a*x + b*y + c)", -1.5, 1.5, TV(sigmoid(v[0] * v[1] + v[2] * v[3] + v[4]))).typed(L));
  t.push_back(R("x^2 + pow(x, -1) + x^-3", -2, -0.5, T1(x * x + 1 / x + 1 / (x * x * x))).typed(L));
  t.push_back(R("a < b ? a : b * b", -2, 2, T2(x < y ? x : y * y)).typed(L));
  t.push_back(R("sqrt(x * x + 1) + atan2(y, x) + hypot(x, y, 1)", -2, 2,
                T2(std::sqrt(x * x + 1) + std::atan2(y, x) + std::sqrt(x * x + y * y + 1))).typed(L));
  t.push_back(R("log(x) + log1p(x) + log2(x) + log10(x) + cbrt(x)", 0.2, 3,
                T1(std::log(x) + std::log1p(x) + std::log2(x) + std::log10(x) + std::cbrt(x))).typed(L));
  t.push_back(R("pow(x, y) + fmod(x, y) + max(x, y, 1)", 0.3, 2.5,
                T2(std::pow(x, y) + std::fmod(x, y) + std::max({x, y, 1.0}))).typed(L));
  t.push_back(R("softplus(x) + relu(x) + abs(x) * sign(x) + floor(x) + ceil(x) + round(x) + trunc(x)", -3, 3,
                T1(softplus(x) + std::max(x, 0.0) + x + std::floor(x) + std::ceil(x) + std::round(x) +
                   std::trunc(x)))
                  .typed(L));
  t.push_back(R("pi * x + Math.E * 0.1 + x * 1e-3 + 1.5E+2 + .5", -2, 2,
                T1(kPi * x + kE * 0.1 + x * 1e-3 + 150 + 0.5)).typed(L));
  t.push_back(R("tanh(x) + asinh(x) + erf(x) + sinh(x) + cosh(x) + tan(x) + expm1(x)", -1, 1,
                T1(std::tanh(x) + std::asinh(x) + std::erf(x) + std::sinh(x) + std::cosh(x) + std::tan(x) +
                   std::expm1(x)))
                  .typed(L));
  t.push_back(R("asin(x) + acos(x) + atanh(x) + atan(x) + acosh(x + 2)", -0.8, 0.8,
                T1(std::asin(x) + std::acos(x) + std::atanh(x) + std::atan(x) + std::acosh(x + 2))).typed(L));
  t.push_back(R("long * double + int", -2, 2, TV(v[0] * v[1] + v[2])).typed(L).named("g", "ld::t"));

  // --- --name and --namespace ---
  t.push_back(R("a * b + a", -2, 2, T2(x * y + x)).named("loss", "a::b").also_clang());
  t.push_back(R("x * y", -2, 2, T2(x * y)).named("g", "outer::inner::deep"));
  // A C library function's name is refused at global scope (std::exp would
  // call the header's exp) but is fine in a namespace, as are inner
  // namespaces named like one.
  t.push_back(R("exp(x) * 2", -2, 2, T1(std::exp(x) * 2)).named("exp", "lib::abs").also_clang());
  t.push_back(R("x * y + 1", -2, 2, T2(x * y + 1)).named("f1", "shared"));
  t.push_back(R("x - y", -2, 2, T2(x - y)).named("f2", "shared"));
  t.push_back(R("x / y", 0.5, 2, T2(x / y)).named("f", "shared"));
  t.push_back(R("loss * loss_grad + loss_inputs - f_grad", -2, 2, TV(v[0] * v[1] + v[2] - v[3]))
                  .named("loss", "names"));
  t.push_back(R("f + g", -2, 2, T2(x + y)).named("g", "self"));

  // --- input names that C++ reserves, macros, globals, look-alikes ---
  t.push_back(R("new * int + and - or", -2, 2, TV(v[0] * v[1] + v[2] - v[3])).also_clang());
  t.push_back(R("NAN + EOF * M_PI - NULL", -2, 2, TV(v[0] + v[1] * v[2] - v[3])).also_clang());
  t.push_back(R("signgam * std + sin(std)", -2, 2, T2(x * y + std::sin(y))).also_clang());
  t.push_back(R("f_grad * f_inputs + f_wrt - f", -2, 2, TV(v[0] * v[1] + v[2] - v[3])).also_clang());
  t.push_back(R("in * grad + value", -2, 2, TV(v[0] * v[1] + v[2])).also_clang());
  t.push_back(R("dx1 * x1 + dx", -2, 2, TV(v[0] * v[1] + v[2])));
  t.push_back(R("x = a * b; dx = x + a; ddx = dx * dx", -2, 2, T2((x * y + x) * (x * y + x))));
  t.push_back(R("t1 * t2 + dt1 + t + sin(t1 * t)", -2, 2,
                TV(v[0] * v[1] + v[2] + v[3] + std::sin(v[0] * v[3]))));
  t.push_back(R("new + new_ + dnew * dnew_ + new_2", -2, 2, TV(v[0] + v[1] + v[2] * v[3] + v[4])));
  t.push_back(R("double * float - class + return", -2, 2, TV(v[0] * v[1] - v[2] + v[3])));
  t.push_back(R("this + nullptr * true - false", -2, 2, TV(v[0] + v[1] * v[2] - v[3])));
  t.push_back(R("concept * requires + co_await - char8_t + consteval * constinit", -2, 2,
                TV(v[0] * v[1] + v[2] - v[3] + v[4] * v[5])).also_clang());
  t.push_back(R("__x * _X + __LINE__ - _", -2, 2, TV(v[0] * v[1] + v[2] - v[3])).also_clang());
  t.push_back(R("__GNUC__ * u_GNUC_ + _Xy - u_Xy", -2, 2, TV(v[0] * v[1] + v[2] - v[3])));
  t.push_back(R("INFINITY + HUGE_VAL * FP_NAN - MATH_ERRNO", -2, 2, TV(v[0] + v[1] * v[2] - v[3])));
  t.push_back(R("errno * assert + EXIT_SUCCESS - CHAR_BIT * stdin", -2, 2,
                TV(v[0] * v[1] + v[2] - v[3] * v[4])));
  t.push_back(R("main * printf + size_t - string", -2, 2, TV(v[0] * v[1] + v[2] - v[3])));
  t.push_back(R("i * j + k * n + T", -2, 2, TV(v[0] * v[1] + v[2] * v[3] + v[4])));
  t.push_back(R("a = x * 2; in = a + 1; grad = in * in", -2, 2, T1((x * 2 + 1) * (x * 2 + 1))));
  t.push_back(R("M_PI_2 * M_E + M_SQRT2", -2, 2, TV(v[0] * v[1] + v[2])));
  t.push_back(R("std = x * 2; std + sin(std)", -2, 2, T1(2 * x + std::sin(2 * x))));
  t.push_back(R("operator * template + typename - sizeof", -2, 2, TV(v[0] * v[1] + v[2] - v[3])));
  t.push_back(R("alignas + alignof * decltype + noexcept - static_assert * thread_local + constexpr", -2, 2,
                TV(v[0] + v[1] * v[2] + v[3] - v[4] * v[5] + v[6])));
  t.push_back(R("xor * bitand + compl - not_eq + not + and_eq * or_eq", -2, 2,
                TV(v[0] * v[1] + v[2] - v[3] + v[4] + v[5] * v[6])));
  t.push_back(R("gradgen * sigmoid_ + e * exp_", -2, 2, TV(v[0] * v[1] + v[2] * v[3])));
  t.push_back(R("y0 * y1 + j0 - jn + gamma + lgamma", -2, 2, TV(v[0] * v[1] + v[2] - v[3] + v[4] + v[5])));
  t.push_back(R("environ * timezone + daylight - optarg", -2, 2, TV(v[0] * v[1] + v[2] - v[3])));
  // (linux and unix are macros under -std=gnu++17, not under the contract's -std=c++17)
  t.push_back(R("linux * unix + i386", -2, 2, TV(v[0] * v[1] + v[2])));
  t.push_back(R("int = new * 2; double = int + new; double * int", -2, 2, T1((3 * x) * (2 * x))));

  // --- programs without inputs ---
  t.push_back(K("2^3^2", 512).also_clang());
  t.push_back(K("-2^2", -4));
  t.push_back(K("(-2)^2", 4));
  t.push_back(K("2 ** -1", 0.5));
  t.push_back(K("1 - 2 - 3", -4));
  t.push_back(K("8 / 4 / 2", 1));
  t.push_back(K("pi", kPi));
  t.push_back(K("Math.PI * 2 + Math.E", kPi * 2 + kE));
  t.push_back(K("1 < 2 ? 3 : 4", 3));
  t.push_back(K("1 > 2 ? 3 : 2 > 1 ? 5 : 6", 5));
  t.push_back(K("!(1 < 2) ? 1 : 0", 0));
  t.push_back(K("1 < 2 && 2 < 1 ? 1 : 0", 0));
  t.push_back(K("1 < 2 || 2 < 1 ? 1 : 0", 1));
  t.push_back(K(".5 + 1e-3 + 1.5E+2", 150.501));
  t.push_back(K("x = 2; x *= 3; x -= 1; x /= 2; x += 0.5", 3));
  t.push_back(K("3 === 3 ? 1 : 0", 1));
  t.push_back(K("3 !== 3 ? 1 : 0", 0));
  t.push_back(K("sin(0) + cos(0) + exp(0)", 2));
  t.push_back(K("max(1, 2, 3) - min(4, 5, 6)", -1));
  t.push_back(K("fmod(-5.5, 2) + sign(-3) + sign(0)", -2.5));
  t.push_back(K("2 + 3 * 4 ^ 2 / 8", 8));

  // --- inputs read only by dead statements: gradient 0 ---
  t.push_back(R("y = sin(b); x = a * a", -2, 2, TV(v[1] * v[1])));
  t.push_back(R("d = b * c; e = d * d; a + 1", -2, 2, TV(v[2] + 1)));
  t.push_back(R("u = log(b); a * a", 0.5, 2, TV(v[1] * v[1])));

  // --- long sums, deep chains ---
  t.push_back(R(long_sum(40), -2, 2, [](const Point& v) {
    double s = 0;
    for (double x : v) s += x;
    return s;
  }));
  t.push_back(R(dot_product(20), -2, 2, [](const Point& v) {
    double s = 0;
    for (std::size_t i = 0; i + 1 < v.size(); i += 2) s += v[i] * v[i + 1];
    return s + v.back();
  }));
  t.push_back(R(repeated_sum(100), -2, 2, T1(100 * x)));
  t.push_back(R(sine_series(30), -2, 2, [](const Point& v) {
    double s = 0;
    for (int k = 1; k <= 30; ++k) s += std::sin(k * v[0]) / k;
    return s;
  }));
  t.push_back(R(deep_chain(25), -1, 1, T2(deep_chain_value(x, y, 25))).also_clang());
  t.push_back(R(deep_chain(25), -1, 1, T2(deep_chain_value(x, y, 25))).typed(L));
  t.push_back(R(nested_sines(30), -2, 2, [](const Point& v) {
    double x = v[0];
    for (int i = 0; i < 30; ++i) x = std::sin(x);
    return x;
  }));

  // --- the guide's SVM loss and 2-layer net, as scalar statements ---
  t.push_back(R(kSvmLoss, -1, 1, svm_loss)
                  .at({0.1, 0.2, 0.3}, 0.44 + 1.37 + 0.005, {-1.2 - 0.3 + 0.02, -0.7 + 0.5 + 0.04, 0})
                  .also_clang());
  t.push_back(R("score = a*x + b*y + c\ncost = max(0, -label * score + 1)\nreg = 0.5 * (a*a + b*b)\ncost + reg",
                -2, 2,
                TV(std::max(0.0, -v[5] * (v[0] * v[1] + v[2] * v[3] + v[4]) + 1) +
                   0.5 * (v[0] * v[0] + v[2] * v[2])))
                  .with_wrt({"a", "b", "c"}));
  t.push_back(R(kTwoLayerNet, -1, 1, two_layer_net)
                  .with_wrt({"a1", "b1", "c1", "a2", "b2", "c2", "a3", "b3", "c3", "a4", "b4", "c4", "d4"}));
  t.push_back(R(kNetLoss, -1, 1, [](const Point& v) {
    // inputs: a1 x b1 y c1 a2 b2 c2 a4 b4 d4 label
    const double a1 = v[0], x = v[1], b1 = v[2], y = v[3], c1 = v[4], a2 = v[5], b2 = v[6], c2 = v[7];
    const double a4 = v[8], b4 = v[9], d4 = v[10], label = v[11];
    const double n1 = std::max(0.0, a1 * x + b1 * y + c1);
    const double n2 = std::max(0.0, a2 * x + b2 * y + c2);
    const double score = a4 * n1 + b4 * n2 + d4;
    return std::max(0.0, -label * score + 1) +
           0.05 * (a1 * a1 + b1 * b1 + a2 * a2 + b2 * b2 + a4 * a4 + b4 * b4);
  }));

  // --- v2 (language-v2.md): loops, arrays, if and functions ---
  // Inputs are in[] order: each array's elements row-major at its first appearance.
  t.push_back(R("s = 0\nfor (var i = 0; i < 4; i++) s += x[i] * x[i]\ns", -2, 2,
                TV(v[0] * v[0] + v[1] * v[1] + v[2] * v[2] + v[3] * v[3]))
                  .also_clang());
  t.push_back(R("s = 0\nfor (let i = 3; i >= 0; i--) s = s * 2 + x[i]\ns", -2, 2,
                TV(((v[3] * 2 + v[2]) * 2 + v[1]) * 2 + v[0])));
  t.push_back(R("s = 0\nfor (var i = 0; i < 7; i += 3) s += x[i]\ns + i", -2, 2, TV(v[0] + v[3] + v[6] + 9)));  // x[7]: x[6] is read
  t.push_back(R("s = a\nfor (var i = 5; i < 3; i--) s += x[i]\nfor (var j = 6; j > 9; j++) s -= a\ns * 2", -2, 2,
                TV(2 * v[0])));
  t.push_back(R("s = 0\nfor (var i = 0; i < 3; i++) for (var j = 0; j <= i; j++) s += L[i][j] * (i + 1)\ns", -2, 2,
                TV(v[0] * 1 + (v[3] + v[4]) * 2 + (v[6] + v[7] + v[8]) * 3)));  // L[3][3]
  t.push_back(R("p = 1\nfor (var i = 0; i < 3; i++) p *= x[i]\np", -2, 2, TV(v[0] * v[1] * v[2])).also_clang());
  t.push_back(R("for (var i = 0; i < 3; i++) h[i] = tanh(W[i][0] * x[0] + W[i][1] * x[1] + b[i])\n"
                "out = 0\nfor (var i = 0; i < h.length; i++) out += v[i] * h[i]\nout",
                -1, 1, [](const Point& v) {
                  // W[3][2] x[2] b[3] v[3]
                  double out = 0;
                  for (int i = 0; i < 3; ++i) out += v[11 + i] * std::tanh(v[2 * i] * v[6] + v[2 * i + 1] * v[7] + v[8 + i]);
                  return out;
                }).also_clang());
  t.push_back(R("y = [1, 0, a * b]\nsum(y) * y[2]", -2, 2, TV((1 + v[0] * v[1]) * v[0] * v[1])));
  t.push_back(R("M = [[1.2, 0.7], [-0.3, -0.5]]\nM[0][1] * a + M[1][0] * b + M.length + M[0].length", -2, 2,
                TV(0.7 * v[0] - 0.3 * v[1] + 4)));
  t.push_back(R("h[0] = a\nh[1] = b\ng = h\nh[0] = 100\ng[0] * g[1] + h[0]", -2, 2, TV(v[0] * v[1] + 100)));
  t.push_back(R("m = max(z)\ns = 0\nfor (let k = 0; k < 4; k++) s += exp(z[k] - m)\nlog(s) + m - z[2]", -3, 3,
                TV(std::log(std::exp(v[0]) + std::exp(v[1]) + std::exp(v[2]) + std::exp(v[3])) - v[2]))
                  .also_clang());
  t.push_back(R("min(x) + max(W) + sum(W[1])", -2, 2, [](const Point& v) {
    // x[3] W[2][2]
    return std::min({v[0], v[1], v[2]}) + std::max({v[3], v[4], v[5], v[6]}) + v[5] + v[6];
  }).with_inputs({"x[3]", "W[2][2]"}));
  t.push_back(R("s = 0\nfor (var i = 0; i < 4; i++) {\n  if (i % 2 == 0) s += x[i]\n  else s -= x[i]\n}\ns", -2, 2,
                TV(v[0] - v[1] + v[2] - v[3])));
  t.push_back(R("s = 0\nfor (var i = 0; i < 3; i++) if (i > 0) s += x[i - 1] * x[i]\ns", -2, 2,
                TV(v[0] * v[1] + v[1] * v[2])));
  t.push_back(R("if (a > b) { m = a\n  k = 2 } else { m = b\n  k = 3 }\nm * k", -2, 2,
                TV(v[0] > v[1] ? 2 * v[0] : 3 * v[1])));
  t.push_back(R("s = 0\nfor (var i = 0; i < 3; i++) {\n  if (x[i] > 0) s += x[i]\n}\ns", -2, 2,
                TV(std::max(0.0, v[0]) + std::max(0.0, v[1]) + std::max(0.0, v[2]))));
  t.push_back(R("r = a\nif (a < 0) r = -a\nr * b", -2, 2, TV(std::fabs(v[0]) * v[1])));
  t.push_back(R("function sq(u) { return u * u }\nsq(a) + sq(b - 1)", -2, 2,
                TV(v[0] * v[0] + (v[1] - 1) * (v[1] - 1)))
                  .also_clang());
  t.push_back(R("p = project(cam, point)\nloss = sq(p[0] - m[0]) + sq(p[1] - m[1])\n"
                "function sq(u) { return u * u }\n"
                "function project(r, X) {\n  var n = hypot(r[0], r[1], r[2])\n"
                "  return [X[0] / X[2] * n, X[1] / X[2] * n]\n}",
                0.5, 2, [](const Point& v) {
                  const double n = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
                  const double p0 = v[3] / v[5] * n, p1 = v[4] / v[5] * n;
                  return (p0 - v[6]) * (p0 - v[6]) + (p1 - v[7]) * (p1 - v[7]);
                }));
  t.push_back(R("function dot(u, w) {\n  var s = 0\n  for (var i = 0; i < u.length; i++) s += u[i] * w[i]\n  return s\n}\n"
                "dot(W[0], x) + dot(W[1], x)",
                -2, 2, TV((v[0] + v[3]) * v[6] + (v[1] + v[4]) * v[7] + (v[2] + v[5]) * v[8]))
                  .with_inputs({"W[2][3]", "x[3]"}));
  t.push_back(R("function neuron(w, x, b) { return sigmoid(w[0] * x[0] + w[1] * x[1] + b) }\n"
                "s = 0\nfor (var i = 0; i < 2; i++) s += neuron(W[i], x, c[i])\ns",
                -2, 2, [](const Point& v) {
                  return sigmoid(v[0] * v[4] + v[1] * v[5] + v[6]) + sigmoid(v[2] * v[4] + v[3] * v[5] + v[7]);
                }));
  t.push_back(R("function scale(v, k) {\n  v[0] = v[0] * k\n  return v\n}\nq = scale(x, 3)\nq[0] + x[0] + q[1]",
                -2, 2, TV(4 * v[0] + v[1])));
  t.push_back(R("function f2(u) { return g2(u) * 2 }\nfunction g2(u) { return exp(u) }\nf2(a) + g2(b)", -2, 2,
                TV(2 * std::exp(v[0]) + std::exp(v[1]))));
  t.push_back(R("data = [[1.2, 0.7], [-0.3, -0.5], [3.0, 0.1], [-0.1, -1.0], [-1.0, 1.1], [2.1, -3]]\n"
                "labels = [1, -1, 1, -1, -1, 1]\nvar loss = 0\n"
                "for (var i = 0; i < data.length; i++) {\n"
                "  var score = a * data[i][0] + b * data[i][1] + c\n"
                "  loss += max(0, 1 - labels[i] * score)\n}\nloss = loss + 0.1 * (a * a + b * b)",
                -1, 1, [](const Point& v) {
                  const double d[6][2] = {{1.2, 0.7}, {-0.3, -0.5}, {3.0, 0.1}, {-0.1, -1.0}, {-1.0, 1.1}, {2.1, -3}};
                  const double l[6] = {1, -1, 1, -1, -1, 1};
                  double loss = 0;
                  for (int i = 0; i < 6; ++i) loss += std::max(0.0, 1 - l[i] * (v[0] * d[i][0] + v[1] * d[i][1] + v[2]));
                  return loss + 0.1 * (v[0] * v[0] + v[1] * v[1]);
                }).also_clang());
  t.push_back(R("const N = 3\ns = 0\nfor (var i = 0; i < N; i++) s += x[N - 1 - i] * (i + 1)\ns", -2, 2,
                TV(v[2] * 1 + v[1] * 2 + v[0] * 3)));
  t.push_back(R("s = 0\nfor (var i = 0; i < 4; i++) s += (i < 2 ? x[i] : 0) + (i == 3 || x[0] > 0 ? 1 : 0) * 0\ns",
                -2, 2, TV(v[0] + v[1])));
  t.push_back(R("s = 0\nfor (var i = 0; i < 2; i++) {\n  var t = x[i]\n  {\n    t = t * t\n  }\n  s += t\n}\ns + t", -2, 2,
                TV(v[0] * v[0] + 2 * v[1] * v[1])));
  t.push_back(R("s = 0\nfor (var i = 0; i < 3; i++) s += x[i] / (i + 1)\ns", -2, 2, TV(v[0] + v[1] / 2 + v[2] / 3)));
  t.push_back(R("for (var i = 0; i < 3; i++) { c[i] = x[i]\n  c[i] += 1\n  c[i] *= x[i] }\nsum(c)", -2, 2,
                TV((v[0] + 1) * v[0] + (v[1] + 1) * v[1] + (v[2] + 1) * v[2])));
  t.push_back(R("s = 0\nfor (var i = 0; i < 3; i++) s += floor(i / 2) * x[i] + abs(i - 1) * x[i]\ns", -2, 2,
                TV(1 * v[0] + 0 * v[1] + (1 + 1) * v[2])));
  t.push_back(R("s = x[0]\nfor (var i = 1; i < 3; i++) s = max(s, x[i])\ns", -2, 2, TV(std::max({v[0], v[1], v[2]}))));
  t.push_back(R("z = x[1] * 2\nfor (var i = 0; i < 2; i++) h[i] = z + x[i]\nh[0] * h[1]", -2, 2,
                TV((2 * v[1] + v[0]) * (3 * v[1]))).with_wrt({"x"}));
  // Elements are spelled h_2 in C++: a variable of that name, and a_1[1]
  // beside a[1][1]'s spelling, must not clash with them.
  t.push_back(R("h_2 = a * 3\nfor (var i = 0; i < 3; i++) h[i] = a * i + h_2\na_1[2] = 1\na_1[0] = sum(h)\n"
                "a_1[1] = a_1[0] * 2\nloss = a_1[1] + h_2",
                -2, 2, TV(27 * v[0])));
  // The last statement a loop that runs zero times: the output is the name
  // its text assigns last, with its value.
  t.push_back(R("s = a * b\nfor (var i = 5; i < 3; i++) s += x[i]", -2, 2, TV(v[0] * v[1])));
  // A `let` loop's variable is the loop's own: outside it, i is an input.
  t.push_back(R("y = i\ns = 0\nfor (let i = 0; i < 2; i++) s += i\nz = y + s + i", -2, 2, TV(2 * v[0] + 1)));
  // A function's parameter passed an input whose rank no read shows, then
  // changed; a function returning an element of its array parameter.
  t.push_back(R("function f(v) {\n  v += 1\n  var w = v\n  w = 10\n  return v + w\n}\nz = f(a) * b", -2, 2,
                TV((v[0] + 11) * v[1])));
  t.push_back(R("function g(r) { return r[1] }\nz = g(x) * x[0]", -2, 2, TV(v[1] * v[0])));
  t.push_back(R("h[0] = 1\nif (a > 0) { h[1] = a }\nz = h[0] * a", -2, 2, TV(v[0])));
  // A Gaussian mixture's log-likelihood (ADBench's GMM in one dimension) and
  // an LSTM over a short sequence, as a person writes them with loops.
  t.push_back(R("// log-likelihood of points x under a 1-D mixture of K = 2 Gaussians:\n// weights from logits alpha, means mu, log standard deviations q\nvar amax = max(alpha)\nvar z = 0\nfor (var k = 0; k < 2; k++) z += exp(alpha[k] - amax)\nvar logz = amax + log(z)\nvar ll = 0\nfor (var i = 0; i < 3; i++) {\n  for (var k = 0; k < 2; k++) {\n    var d = (x[i] - mu[k]) * exp(-q[k])\n    t[k] = alpha[k] - q[k] - 0.5 * d * d\n  }\n  var m = max(t)\n  ll += m + log(exp(t[0] - m) + exp(t[1] - m)) - logz\n}\nll\n", -1, 1, [](const Point& v) {
    // alpha[2] x[3] mu[2] q[2]
    const double amax = std::max(v[0], v[1]);
    const double logz = amax + std::log(std::exp(v[0] - amax) + std::exp(v[1] - amax));
    double ll = 0;
    for (int i = 0; i < 3; ++i) {
      double tk[2];
      for (int k = 0; k < 2; ++k) {
        const double d = (v[2 + i] - v[5 + k]) * std::exp(-v[7 + k]);
        tk[k] = v[k] - v[7 + k] - 0.5 * d * d;
      }
      const double m = std::max(tk[0], tk[1]);
      ll += m + std::log(std::exp(tk[0] - m) + std::exp(tk[1] - m)) - logz;
    }
    return ll;
  }).also_clang());
  t.push_back(R("// one LSTM cell step over a sequence of 3 scalar inputs, hidden size 2\nfunction sigm(v) { return 1 / (1 + exp(-v)) }\nfor (var j = 0; j < 2; j++) {\n  h[j] = 0\n  c[j] = 0\n}\nfor (var t = 0; t < 3; t++) {\n  for (var j = 0; j < 2; j++) {\n    var f = sigm(Wf[j] * x[t] + Uf[j] * h[j] + bf[j])\n    var g = tanh(Wg[j] * x[t] + Ug[j] * h[j] + bg[j])\n    var o = sigm(Wo[j] * x[t] + Uo[j] * h[j] + bo[j])\n    c[j] = f * c[j] + (1 - f) * g\n    h[j] = o * tanh(c[j])\n  }\n}\nloss = sum(h)\n", -1, 1, [](const Point& v) {
    // Wf[2] x[3] Uf[2] bf[2] Wg[2] Ug[2] bg[2] Wo[2] Uo[2] bo[2]
    const auto sig = [](double z) { return 1 / (1 + std::exp(-z)); };
    double h[2] = {0, 0}, c[2] = {0, 0};
    for (int step = 0; step < 3; ++step) {
      for (int j = 0; j < 2; ++j) {
        const double x = v[2 + step];
        const double f = sig(v[0 + j] * x + v[5 + j] * h[j] + v[7 + j]);
        const double g = std::tanh(v[9 + j] * x + v[11 + j] * h[j] + v[13 + j]);
        const double o = sig(v[15 + j] * x + v[17 + j] * h[j] + v[19 + j]);
        c[j] = f * c[j] + (1 - f) * g;
        h[j] = o * std::tanh(c[j]);
      }
    }
    return h[0] + h[1];
  }));
  t.push_back(R("y = W[1][2] * b\ny", -2, 2, TV(v[5] * v[6])).with_inputs({"W[2][3]", "b"}).with_wrt({"W"}));
  return t;
}

#undef T1
#undef T2
#undef TV

std::string type_name(ScalarType t) {
  switch (t) {
    case ScalarType::kFloat: return "float";
    case ScalarType::kDouble: return "double";
    case ScalarType::kLongDouble: return "long double";
  }
  return "?";
}

std::string describe(const Row& row) {
  std::ostringstream s;
  s << "program: " << row.program << "\noptions: --name " << row.function;
  if (!row.ns.empty()) s << " --namespace " << row.ns;
  if (!row.inputs.empty()) s << " --inputs " << join(row.inputs);
  if (!row.wrt.empty()) s << " --wrt " << join(row.wrt);
  s << " --type '" << type_name(row.type) << "'";
  return s.str();
}

std::string show(const Point& p) {
  std::ostringstream s;
  s.precision(17);
  s << "(";
  for (std::size_t i = 0; i < p.size(); ++i) s << (i ? ", " : "") << p[i];
  return s.str() + ")";
}

gradgen::CompileOptions compile_options(const Row& row) {
  gradgen::CompileOptions o;
  o.inputs = row.inputs;
  o.wrt = row.wrt;
  return o;
}

// A row ready to run: its case, its compilation, which points are fixed.
struct Prepared {
  std::size_t row;
  gradgen::Compilation compilation;
  gradgen::testing::CodeCase code;
};

// Compiles every row with gradgen and draws its points; rows that gradgen
// rejects are reported (that is a bug: every program here is valid).
std::vector<Prepared> prepare(const std::vector<Row>& table, const std::vector<std::size_t>& which) {
  std::mt19937_64 rng(kSeed);
  std::vector<Prepared> out;
  for (std::size_t k : which) {
    const Row& row = table[k];
    const gradgen::Source source{"<input>", row.program};
    gradgen::testing::CodeCase code;
    code.program = row.program;
    code.compile = compile_options(row);
    code.emit.function = row.function;
    code.emit.ns = row.ns;
    code.emit.type = row.type;
    try {
      gradgen::Compilation c = gradgen::compile(source, code.compile);
      gradgen::EmitOptions emit = code.emit;
      if (emit.ns.empty()) emit.ns = "probe";
      (void)gradgen::generate_header(source, code.compile, emit);
      code.points = gradgen::testing::random_points(rng, c.analysis.inputs.size(), kRandomPoints, row.lo, row.hi);
      for (const Fixed& f : row.fixed) code.points.push_back(f.at);
      out.push_back({k, std::move(c), std::move(code)});
    } catch (const std::exception& e) {
      INFO("seed " << kSeed << ", row " << k << "\n" << describe(row));
      FAIL_CHECK("gradgen rejected a valid program: " << e.what());
    }
  }
  return out;
}

// Runs the cases through `compiler`. If the generated code does not compile,
// the rows the compiler's messages point at are reported and left out, and
// the rest run again.
std::vector<gradgen::testing::CaseResult> run_all(const std::vector<Row>& table, std::vector<Prepared>& prepared,
                                                  const std::string& compiler) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    std::vector<gradgen::testing::CodeCase> cases;
    for (const Prepared& p : prepared) cases.push_back(p.code);
    try {
      return gradgen::testing::run_generated(cases, compiler);
    } catch (const std::exception& e) {
      const std::string message = e.what();
      std::set<std::size_t> bad;
      const std::regex where(R"((?:case|run_case_)(\d+)(?:\.hpp|\b))");
      for (auto it = std::sregex_iterator(message.begin(), message.end(), where); it != std::sregex_iterator();
           ++it) {
        const std::size_t k = std::stoul((*it)[1].str());
        if (k < prepared.size()) bad.insert(k);
      }
      if (bad.empty()) {
        FAIL(compiler << ": " << message.substr(0, 6000));
      }
      for (auto k = bad.rbegin(); k != bad.rend(); ++k) {
        INFO("seed " << kSeed << ", row " << prepared[*k].row << "\n" << describe(table[prepared[*k].row]));
        FAIL_CHECK(compiler << " rejected the generated code:\n" << message.substr(0, 6000));
        prepared.erase(prepared.begin() + static_cast<std::ptrdiff_t>(*k));
      }
    }
  }
  FAIL("too many rows whose generated code does not compile");
  return {};
}

// The value from NAME, from NAME_grad and from the named form, and the two
// gradients, compute the same operations on the same inputs, so they should
// be bit-identical. They are not always: the harness writes the points into
// the driver as constants, and GCC at -O1 may evaluate a call such as
// std::erf(0.106...) at compile time (with MPFR, correctly rounded) in one of
// the three calls and at run time (glibc, within an ulp or two) in another.
// So "the same" here means within 4 ulps; any real difference (another
// formula, another rounding order in the generated code) is far larger.
bool same(double a, double b) {
  if (a == b) return true;
  if (!std::isfinite(a) || !std::isfinite(b)) return false;
  const double m = std::max(std::fabs(a), std::fabs(b));
  const double ulp = std::nextafter(m, std::numeric_limits<double>::infinity()) - m;
  return std::fabs(a - b) <= 4 * ulp;
}

// A program without inputs has an empty gradient; the harness's driver then
// declares an array it never uses, which -Wall -Werror rejects (a harness
// limitation, not gradgen's). Such rows run through this small driver, which
// also calls the named forms NAME() and NAME_grad().
std::vector<gradgen::testing::CaseResult> run_without_inputs(const std::vector<Row>& table,
                                                             const std::vector<Prepared>& prepared,
                                                             const std::string& compiler) {
  gradgen::runtime::TempDir dir;
  std::string includes;
  std::string body;
  for (std::size_t k = 0; k < prepared.size(); ++k) {
    const Row& row = table[prepared[k].row];
    gradgen::EmitOptions emit = prepared[k].code.emit;
    if (emit.ns.empty()) emit.ns = "noinput" + std::to_string(k);
    emit.program = row.program;
    emit.version = "test";
    const gradgen::Source source{"<input>", row.program};
    std::ofstream(dir.path() + "/case" + std::to_string(k) + ".hpp")
        << gradgen::generate_header(source, prepared[k].code.compile, emit);
    includes += "#include \"case" + std::to_string(k) + ".hpp\"\n";
    const std::string T = type_name(row.type);
    const std::string q = "::" + emit.ns + "::" + emit.function;
    body += "  {\n    " + T + " in[1] = {0};\n    " + T + " g[1] = {0};\n";
    body += "    const " + T + " v = " + q + "_grad(in, g);\n";
    body += "    const " + T + " fv = " + q + "(in);\n";
    body += "    const " + T + " nv = " + q + "();\n";
    body += "    const " + T + " gv = " + q + "_grad();\n";
    body += "    std::printf(\"" + std::to_string(k) +
            " %.17Lg %.17Lg %.17Lg %.17Lg %.17Lg\\n\", (long double)v, (long double)fv, (long double)nv, "
            "(long double)gv, (long double)g[0]);\n  }\n";
  }
  const std::string main_cpp = dir.path() + "/main.cpp";
  std::ofstream(main_cpp) << includes << "#include <cstdio>\nint main() {\n" << body << "  return 0;\n}\n";
  std::vector<std::string> argv{compiler};
  argv.insert(argv.end(), gradgen::testing::warning_flags().begin(), gradgen::testing::warning_flags().end());
  argv.insert(argv.end(), {"-O1", "-I", dir.path(), main_cpp, "-o", dir.path() + "/main"});
  const auto built = gradgen::runtime::run_process(argv);
  INFO(built.error << built.err.substr(0, 8000));
  REQUIRE(built.started);
  REQUIRE(built.exit_code == 0);
  const auto ran = gradgen::runtime::run_process({dir.path() + "/main"});
  REQUIRE(ran.started);
  REQUIRE(ran.exit_code == 0);
  std::vector<gradgen::testing::CaseResult> results(prepared.size());
  std::istringstream lines(ran.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::size_t k = 0;
    gradgen::testing::PointResult r;
    double named_grad_value = 0;
    double untouched = 0;
    fields >> k >> r.value >> r.forward >> r.named >> named_grad_value >> untouched;
    INFO("row " << prepared.at(k).row << ": " << table[prepared[k].row].program);
    CHECK(same(named_grad_value, r.value));
    CHECK(untouched == 0);  // grad[] has no entries: nothing may be written
    results.at(k).assign(prepared[k].code.points.size(), r);
  }
  return results;
}

void check_results(const std::vector<Row>& table, const std::vector<Prepared>& prepared,
                   const std::vector<gradgen::testing::CaseResult>& results) {
  REQUIRE(results.size() == prepared.size());
  for (std::size_t k = 0; k < prepared.size(); ++k) {
    const Row& row = table[prepared[k].row];
    const gradgen::testing::CodeCase& code = prepared[k].code;
    const bool is_float = row.type == ScalarType::kFloat;
    // float: compare with the double reference loosely; otherwise to the last bits.
    const double rel = is_float ? 2e-3 : 1e-12;
    const double abs = is_float ? 1e-4 : 1e-300;
    INFO("seed " << kSeed << ", row " << prepared[k].row << "\n" << describe(row));
    REQUIRE(results[k].size() == code.points.size());
    for (std::size_t p = 0; p < code.points.size(); ++p) {
      const Point& at = code.points[p];
      const gradgen::testing::PointResult& r = results[k][p];
      const bool fixed = p >= kRandomPoints;
      INFO("point " << show(at) << (fixed ? " (fixed)" : ""));
      const auto ref = gradgen::testing::reference(prepared[k].compilation, at);
      CHECK(std::isfinite(r.value));
      CHECK(same(r.value, r.forward));
      CHECK(same(r.value, r.named));
      CHECK(close(r.value, ref.value, rel, abs));
      if (row.truth) {
        const double truth = row.truth(at);
        INFO("value " << r.value << ", by hand " << truth);
        CHECK(close(r.value, truth, is_float ? 2e-3 : 1e-11, is_float ? 1e-4 : 1e-13));
      }
      const std::size_t m = prepared[k].compilation.wrt.size();
      REQUIRE(r.grad.size() == m);
      REQUIRE(r.named_grad.size() == m);
      REQUIRE(ref.gradient.size() == m);
      if (fixed) {
        const Fixed& f = row.fixed[p - kRandomPoints];
        CHECK(close(r.value, f.value, 1e-12, 1e-300));
        REQUIRE(f.grad.size() == m);
        for (std::size_t i = 0; i < m; ++i) {
          INFO("gradient " << i << ": generated " << r.grad[i] << ", expected " << f.grad[i]);
          CHECK(close(r.grad[i], f.grad[i], 1e-12, 1e-300));
        }
      }
      for (std::size_t i = 0; i < m; ++i) {
        INFO("gradient " << i << ": generated " << r.grad[i] << ", reference " << ref.gradient[i]
                         << ", numerical " << r.numeric[i]);
        CHECK(std::isfinite(r.grad[i]));
        CHECK(same(r.named_grad[i], r.grad[i]));
        CHECK(close(r.grad[i], ref.gradient[i], rel, abs));
        if (!is_float && !fixed) {
          CHECK(close(r.grad[i], r.numeric[i], 1e-5, 1e-7 * std::max(1.0, std::fabs(r.value))));
        }
      }
      // Forward mode agrees with reverse mode: jvp(v) == <grad, v>, up to the
      // rounding of the different order of sums.
      double scale = 0.0;
      for (std::size_t i = 0; i < m; ++i) scale += std::fabs(r.grad[i] * gradgen::testing::direction(i));
      INFO("jvp " << r.jvp << ", <grad, v> " << gradgen::testing::directional(r.grad));
      if (prepared[k].compilation.analysis.inputs.empty()) continue;  // own driver, no jvp
      CHECK(same(r.jvp_value, r.value));
      CHECK(close(r.jvp, gradgen::testing::directional(r.grad), is_float ? 1e-4 : 1e-12,
                  (is_float ? 1e-4 : 1e-12) * scale + 1e-300));
    }
  }
}

std::vector<std::size_t> all_rows(const std::vector<Row>& table) {
  std::vector<std::size_t> v(table.size());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = i;
  return v;
}

// Every row of `which` through gradgen, `compiler` and the checks.
void run_and_check(const std::vector<Row>& table, const std::vector<std::size_t>& which,
                   const std::string& compiler) {
  std::vector<Prepared> prepared = prepare(table, which);
  std::vector<Prepared> without_inputs;
  for (auto p = prepared.begin(); p != prepared.end();) {
    if (p->compilation.analysis.inputs.empty()) {
      without_inputs.push_back(std::move(*p));
      p = prepared.erase(p);
    } else {
      ++p;
    }
  }
  const auto results = run_all(table, prepared, compiler);
  check_results(table, prepared, results);
  if (!without_inputs.empty()) {
    const auto constant_results = run_without_inputs(table, without_inputs, compiler);
    check_results(table, without_inputs, constant_results);
  }
}

bool have(const std::string& compiler) {
  const auto r = gradgen::runtime::run_process({compiler, "--version"});
  return r.started && r.exit_code == 0;
}

}  // namespace

TEST_CASE("a table of programs covering the language, compiled and run", "[programs][compile]") {
  const std::vector<Row> table = rows();
  REQUIRE(table.size() >= 160);
  run_and_check(table, all_rows(table), gradgen::runtime::system_compiler());
}

TEST_CASE("a dozen of the programs, compiled with clang++", "[programs][compile]") {
  if (!have("clang++")) {
    WARN("clang++ is not on PATH: the clang++ half of the contract is not tested");
    return;
  }
  const std::vector<Row> table = rows();
  std::vector<std::size_t> which;
  for (std::size_t k = 0; k < table.size(); ++k) {
    if (table[k].clang) which.push_back(k);
  }
  REQUIRE(which.size() >= 12);
  run_and_check(table, which, "clang++");
}

TEST_CASE("every header compiles after the whole standard library", "[programs][compile]") {
  // run_generated includes the headers before anything else, so a macro of
  // <cstdio> or <cerrno> (EOF, errno, assert, ...) never meets a header there.
  // Here every header comes after the standard headers, with no code run.
  const std::vector<Row> table = rows();
  gradgen::runtime::TempDir dir;
  std::string tu;
  for (const char* h : {"algorithm", "array", "cassert", "cctype", "cerrno", "cfenv", "cfloat", "cinttypes",
                        "climits", "clocale", "cmath", "complex", "csetjmp", "csignal", "cstdarg", "cstddef",
                        "cstdint", "cstdio", "cstdlib", "cstring", "ctime", "cwchar", "cwctype", "functional",
                        "iostream", "limits", "memory", "numeric", "random", "string", "string_view", "vector",
                        "math.h", "stdio.h", "stdlib.h", "unistd.h"}) {
    tu += std::string("#include <") + h + ">\n";
  }
  for (std::size_t k = 0; k < table.size(); ++k) {
    const Row& row = table[k];
    const gradgen::Source source{"<input>", row.program};
    gradgen::EmitOptions emit;
    emit.function = row.function;
    emit.ns = row.ns.empty() ? "case" + std::to_string(k) : row.ns;
    emit.type = row.type;
    emit.program = row.program;
    emit.version = "test";
    try {
      std::ofstream(dir.path() + "/case" + std::to_string(k) + ".hpp")
          << gradgen::generate_header(source, compile_options(row), emit);
      tu += "#include \"case" + std::to_string(k) + ".hpp\"\n";
    } catch (const std::exception&) {
      // reported by the first test case
    }
  }
  tu += "int main() { return 0; }\n";
  std::ofstream(dir.path() + "/all.cpp") << tu;
  std::vector<std::string> argv{gradgen::runtime::system_compiler()};
  argv.insert(argv.end(), gradgen::testing::warning_flags().begin(), gradgen::testing::warning_flags().end());
  argv.insert(argv.end(), {"-fsyntax-only", "-I", dir.path(), dir.path() + "/all.cpp"});
  const auto built = gradgen::runtime::run_process(argv);
  INFO(built.error << built.err.substr(0, 8000));
  CHECK(built.started);
  CHECK(built.exit_code == 0);
}

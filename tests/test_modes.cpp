// Several outputs (NAME_jacobian, NAME_vjp, NAME_jvp) and second derivatives
// (NAME_hessian, NAME_hvp), compiled and run on the guide's examples, on a
// table with every function of the language, and on random programs.
//
// Every mode is checked numerically and against the others at every point:
//   - several outputs: the Jacobian against central differences of NAME(in,
//     out); each row against the reference evaluator's gradient of that
//     output alone (1e-12); the VJP against w^T J and the JVP against J v;
//     <J v, w> against <v, J^T w>; every function's out[] against NAME's;
//   - Hessians: against central differences of the generated NAME_grad;
//     exactly symmetric; the HVP against H v; NAME_hessian's value and
//     gradient against NAME_grad's.
// Random programs use fixed seeds; a failure prints the seed and program.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "compiler/check/sampling.hpp"
#include "runtime/process.hpp"
#include "support/generated.hpp"
#include "support/random_program.hpp"

namespace {

using gradgen::testing::ModesPoint;

struct ModeCase {
  std::string program;
  std::vector<std::string> outputs;  // several: --output; empty with hessian
  bool hessian = false;
  std::vector<std::vector<double>> points;
  std::string wrt;  // --wrt, comma-separated ("" for all)
};

gradgen::CompileOptions options(const ModeCase& m) {
  gradgen::CompileOptions o;
  o.outputs = m.outputs;
  o.hessian = m.hessian;
  if (!m.wrt.empty()) {
    std::string name;
    for (char c : m.wrt + ",") {
      if (c == ',') {
        o.wrt.push_back(name);
        name.clear();
      } else {
        name += c;
      }
    }
  }
  return o;
}

std::string describe(const ModeCase& m) {
  std::string out = "program: " + m.program + "\n";
  if (!m.outputs.empty()) {
    out += "--output";
    for (const std::string& y : m.outputs) out += " " + y;
    out += "\n";
  }
  if (m.hessian) out += "--hessian\n";
  if (!m.wrt.empty()) out += "--wrt " + m.wrt + "\n";
  return out;
}

// |a - b| within rel of the larger plus abs.
bool near(double a, double b, double rel, double abs) {
  return gradgen::testing::close(a, b, rel, abs);
}

double max_abs(const std::vector<double>& v) {
  double m = 0.0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

// Problems with the numbers of one point ("" when all is well). `numeric`
// counts entries that disagree with central differences (judged by the
// caller: none for hand-picked programs, very few for random ones).
struct Verdict {
  std::string problems;
  int numeric_mismatches = 0;
  std::string numeric_detail;
};

const std::vector<double>& at(const ModesPoint& r, const char* name) {
  static const std::vector<double> none;
  const auto it = r.find(name);
  return it == r.end() ? none : it->second;
}

// Central differences against an analytic matrix (rows x cols, row-major):
// agreement to 1e-5 of the row's scale.
void compare_numeric(const std::vector<double>& analytic, const std::vector<double>& numeric,
                     std::size_t rows, std::size_t cols, const char* what, Verdict& v) {
  for (std::size_t r = 0; r < rows; ++r) {
    const std::vector<double> row(numeric.begin() + static_cast<std::ptrdiff_t>(r * cols),
                                  numeric.begin() + static_cast<std::ptrdiff_t>((r + 1) * cols));
    const double scale = 1.0 + max_abs(row);
    for (std::size_t c = 0; c < cols; ++c) {
      const double a = analytic[r * cols + c];
      const double n = numeric[r * cols + c];
      if (!near(a, n, 1e-5, 1e-6 * scale)) {
        ++v.numeric_mismatches;
        v.numeric_detail += fmt::format("  {}[{}][{}] = {:.17g}, central differences {:.17g}\n", what, r, c, a, n);
      }
    }
  }
}

// sum_i a_i b_i and sum_i |a_i b_i| (the scale of its rounding error).
std::pair<double, double> dot(const std::vector<double>& a, const std::vector<double>& b) {
  double sum = 0.0;
  double scale = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sum += a[i] * b[i];
    scale += std::fabs(a[i] * b[i]);
  }
  return {sum, scale};
}

void same(double a, double b, double scale, const std::string& what, std::string& problems) {
  if (!near(a, b, 1e-12, 1e-12 * scale)) {
    problems += fmt::format("  {}: {:.17g} and {:.17g} differ\n", what, a, b);
  }
}

Verdict judge_outputs(const ModeCase& m, const gradgen::Compilation& c, const ModesPoint& r,
                      const std::vector<double>& x) {
  Verdict v;
  const std::size_t rows = c.circuit.outputs.size();
  const std::size_t cols = c.wrt.size();
  const std::vector<double>& out = at(r, "out");
  const std::vector<double>& jac = at(r, "jacobian");
  if (out.size() != rows || jac.size() != rows * cols || at(r, "numeric_jacobian").size() != rows * cols) {
    v.problems += "  missing results\n";
    return v;
  }
  for (const char* other : {"jacobian_out", "vjp_out", "jvp_out"}) {
    for (std::size_t k = 0; k < rows; ++k) {
      same(at(r, other)[k], out[k], 0.0, fmt::format("{}[{}] and out[{}]", other, k, k), v.problems);
    }
  }
  // Each row against the reference evaluator on that output alone.
  for (std::size_t k = 0; k < rows; ++k) {
    gradgen::CompileOptions one = options(m);
    one.outputs = {m.outputs[k]};
    const gradgen::Compilation single = gradgen::compile({"<input>", m.program}, one);
    const gradgen::Evaluation ref = gradgen::testing::reference(single, x);
    same(out[k], ref.value, std::fabs(ref.value), fmt::format("out[{}] and the reference", k), v.problems);
    for (std::size_t j = 0; j < cols; ++j) {
      same(jac[k * cols + j], ref.gradient[j], max_abs(ref.gradient),
           fmt::format("jacobian[{}][{}] and the reference gradient of {}", k, j, m.outputs[k]), v.problems);
    }
  }
  std::vector<double> dir;
  for (std::size_t j = 0; j < cols; ++j) dir.push_back(gradgen::testing::direction(j));
  std::vector<double> w;
  for (std::size_t k = 0; k < rows; ++k) w.push_back(gradgen::testing::weight(k));
  const std::vector<double>& vjp = at(r, "vjp");
  const std::vector<double>& jvp = at(r, "jvp");
  for (std::size_t j = 0; j < cols; ++j) {
    std::vector<double> column;
    for (std::size_t k = 0; k < rows; ++k) column.push_back(jac[k * cols + j]);
    const auto [sum, scale] = dot(column, w);
    same(vjp[j], sum, scale, fmt::format("vjp[{}] and (w^T J)[{}]", j, j), v.problems);
  }
  for (std::size_t k = 0; k < rows; ++k) {
    const std::vector<double> row(jac.begin() + static_cast<std::ptrdiff_t>(k * cols),
                                  jac.begin() + static_cast<std::ptrdiff_t>((k + 1) * cols));
    const auto [sum, scale] = dot(row, dir);
    same(jvp[k], sum, scale, fmt::format("jvp[{}] and (J v)[{}]", k, k), v.problems);
  }
  const auto [forward, forward_scale] = dot(jvp, w);
  const auto [reverse, reverse_scale] = dot(dir, vjp);
  if (!near(forward, reverse, 1e-10, 1e-10 * std::max(forward_scale, reverse_scale))) {
    v.problems += fmt::format("  <J v, w> = {:.17g} but <v, J^T w> = {:.17g}\n", forward, reverse);
  }
  compare_numeric(jac, at(r, "numeric_jacobian"), rows, cols, "jacobian", v);
  return v;
}

Verdict judge_hessian(const gradgen::Compilation& c, const ModesPoint& r, const std::vector<double>& x) {
  Verdict v;
  const std::size_t n = c.wrt.size();
  const std::vector<double>& h = at(r, "hessian");
  const std::vector<double>& grad = at(r, "grad");
  if (h.size() != n * n || grad.size() != n || at(r, "numeric_hessian").size() != n * n) {
    v.problems += "  missing results\n";
    return v;
  }
  const double value = at(r, "value")[0];
  same(at(r, "hessian_value")[0], value, 0.0, "NAME_hessian's value and NAME_grad's", v.problems);
  same(at(r, "hvp_value")[0], value, 0.0, "NAME_hvp's value and NAME_grad's", v.problems);
  for (std::size_t i = 0; i < n; ++i) {
    same(at(r, "hessian_grad")[i], grad[i], 0.0, fmt::format("NAME_hessian's grad[{}] and NAME_grad's", i), v.problems);
  }
  const gradgen::Evaluation ref = gradgen::testing::reference(c, x);
  for (std::size_t i = 0; i < n; ++i) {
    same(grad[i], ref.gradient[i], max_abs(ref.gradient), fmt::format("grad[{}] and the reference", i), v.problems);
  }
  std::vector<double> dir;
  for (std::size_t j = 0; j < n; ++j) dir.push_back(gradgen::testing::direction(j));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (!(h[i * n + j] == h[j * n + i]) && !(std::isnan(h[i * n + j]) && std::isnan(h[j * n + i]))) {
        v.problems += fmt::format("  hessian[{}][{}] = {:.17g} but hessian[{}][{}] = {:.17g}\n", i, j,
                                  h[i * n + j], j, i, h[j * n + i]);
      }
    }
    const std::vector<double> row(h.begin() + static_cast<std::ptrdiff_t>(i * n),
                                  h.begin() + static_cast<std::ptrdiff_t>((i + 1) * n));
    const auto [sum, scale] = dot(row, dir);
    same(at(r, "hvp")[i], sum, scale, fmt::format("hvp[{}] and (H v)[{}]", i, i), v.problems);
  }
  compare_numeric(h, at(r, "numeric_hessian"), n, n, "hessian", v);
  return v;
}

// Compiles and runs `cases`; returns the number of entries that disagree
// with central differences, after checking everything else.
int run_and_judge(const std::vector<ModeCase>& cases, const std::string& label) {
  std::vector<gradgen::testing::CodeCase> code;
  for (const ModeCase& m : cases) {
    gradgen::testing::CodeCase c;
    c.program = m.program;
    c.compile = options(m);
    c.points = m.points;
    code.push_back(c);
  }
  const auto results = gradgen::testing::run_modes(code, gradgen::runtime::system_compiler());
  int mismatches = 0;
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const ModeCase& m = cases[k];
    const gradgen::Compilation c = gradgen::compile({"<input>", m.program}, options(m));
    for (std::size_t p = 0; p < m.points.size(); ++p) {
      const std::vector<double>& x = m.points[p];
      const Verdict v = c.several_outputs() ? judge_outputs(m, c, results[k][p], x)
                                            : judge_hessian(c, results[k][p], x);
      std::string point;
      for (std::size_t i = 0; i < x.size(); ++i) {
        point += fmt::format("{}{}={:.17g}", i ? "," : "", c.circuit.input_names[i], x[i]);
      }
      INFO(label << " case " << k << "\n" << describe(m) << "at " << point << "\n" << v.problems << v.numeric_detail);
      CHECK(v.problems.empty());
      mismatches += v.numeric_mismatches;
      if (v.numeric_mismatches > 0) WARN(label << ": central differences disagree\n" << describe(m) << v.numeric_detail);
    }
  }
  return mismatches;
}

const std::vector<std::vector<double>> kGuidePoints{{-2, 5, -4, 3}, {1.5, -0.5, 2, -1.25}, {0.3, 0.7, -1.1, 2.2}};

// The guide's points for a program of `inputs` inputs (more than four are 0.5).
std::vector<std::vector<double>> points_for(std::size_t inputs) {
  std::vector<std::vector<double>> out;
  for (const auto& p : kGuidePoints) {
    std::vector<double> x(inputs, 0.5);
    std::copy(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(std::min(inputs, p.size())), x.begin());
    out.push_back(x);
  }
  return out;
}

}  // namespace

TEST_CASE("the guide's examples: Jacobians and Hessians, checked numerically and mode against mode",
          "[modes][compile]") {
  std::vector<ModeCase> cases;
  // Hessians of the guide's single-output programs.
  for (const auto& [program, inputs] : std::vector<std::pair<std::string, std::size_t>>{
           {"pow((a*b+c)*d,2)", 4},
           {"(a+b)/(c+d)", 4},
           {"x*y", 2},
           {"q = x + y; f = q * z", 3},
           {"s = a*x + b*y + c; sigmoid(s)", 5},
           {"x = a*b + c; y = x*x + 3*x*d; y", 4},
           {"max(x, y) * z + relu(x - y)", 3},
           {"a*b + c*d - a*sin(b)*exp(c/3)", 4},
       }) {
    ModeCase m;
    m.program = program;
    m.hessian = true;
    m.points = points_for(inputs);
    if (program == "s = a*x + b*y + c; sigmoid(s)") m.points = {{1, 2, -3, -1, 3}, {0.5, -1, 2, 0.25, -0.5}};
    if (program == "(a+b)/(c+d)") m.points = {{1, 2, 3, 4}, {-1, 0.5, 2, 0.75}};
    cases.push_back(m);
  }
  // Several outputs: the neuron's wires, the 2-layer net's hidden units, the
  // SVM's score and loss.
  cases.push_back({"q = x + y; f = q * z", {"q", "f"}, false, points_for(3), ""});
  cases.push_back({"n1 = a1*x + b1*y + c1; n2 = a2*x + b2*y + c2\n"
                   "h1 = max(0, n1); h2 = max(0, n2); score = a3*h1 + b3*h2 + c3",
                   {"h1", "h2", "score"}, false,
                   {{1, 2, 1, -2, 0.5, 0.3, 0.7, -0.1, 0.2, 0.4, 0.25},
                    {-0.5, 1.5, 0.8, 0.1, -0.3, 1.2, 0.4, 0.6, -0.9, 1.1, 0.05}}, ""});
  cases.push_back({"s = a*x + b*y + c; margin = 1 - s; loss = max(0, margin) + 0.1*(a*a + b*b)",
                   {"s", "loss"}, false, {{1.2, 0.7, 1, -2, -3}, {-0.3, 0.4, 0.2, 1.5, 0.1}}, "a,b,c"});
  // Regressions: a switch's zero tangent must stay 0 through an infinite
  // local derivative (sqrt at 0), in the forward sweeps of NAME_jacobian
  // (more outputs than inputs) as in the Hessian; a tangent two outputs
  // share is declared once.
  cases.push_back({"y = sqrt(max(a, 0)) * b; z = y + b; w = a*b", {"y", "z", "w"}, false,
                   {{-1, 2}, {0.7, 2}}, ""});
  cases.push_back({"sqrt(relu(a))*b", {}, true, {{-1, 2}, {0.7, 2}}, ""});
  cases.push_back({"y0 = c / c; y3 = log(c)", {"y0", "y3"}, false, {{1.5}, {0.3}}, ""});
  cases.push_back({"c / c + log(c)", {}, true, {{1.5}, {0.3}}, ""});
  // More outputs than inputs: NAME_jacobian's forward sweeps.
  cases.push_back({"u = a*b; v = sin(a) + b; w = u*v; z = exp(-u)", {"u", "v", "w", "z"}, false,
                   {{0.4, -1.3}, {1.1, 0.6}}, ""});
  const int mismatches = run_and_judge(cases, "guide");
  CHECK(mismatches == 0);
}

TEST_CASE("every function of the language: Jacobians and Hessians, checked numerically",
          "[modes][compile]") {
  // F(u) with u = 0.8 a + 0.1 b (in (0.2, 0.9) at the points below), inside
  // every domain: acosh gets 1 + u, the steps are away from their jumps.
  const std::vector<std::string> unary{
      "exp", "log", "log2", "log10", "log1p", "expm1", "sqrt", "cbrt", "sin", "cos",
      "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh(1 + ", "atanh",
      "erf", "abs", "sigmoid", "relu", "softplus", "sign", "floor", "ceil", "round", "trunc"};
  std::vector<std::string> calls;
  for (const std::string& f : unary) {
    calls.push_back(f.back() == ' ' ? f + "u)" : f + "(u)");
  }
  for (const char* call : {"atan2(u, b)", "hypot(u, b)", "hypot(u, b, a)", "fmod(3*u, b + 1)",
                                  "max(u, b)", "min(u, b)", "max(u, b, 0.5)", "pow(u, b)", "u^3",
                                  "u ** 2.5", "pow(2, u*b)", "u > b ? u*u : b/u", "u - b", "u / b",
                                  "-u", "Math.abs(u - 0.5)", "relu(u - 0.5)", "Math.max(u, 0.45)"}) {
    calls.push_back(call);
  }
  const std::vector<std::vector<double>> points{{0.3, 0.7}, {0.95, 0.2}, {0.55, 0.45}};
  std::vector<ModeCase> cases;
  for (const std::string& call : calls) {
    const std::string prefix = "u = 0.8*a + 0.1*b\nF = " + call + "\n";
    cases.push_back({prefix + "y1 = F * b + a\ny2 = F * F / (1 + b*b)", {"y1", "y2"}, false, points, ""});
    cases.push_back({prefix + "y = F * (b + 1) + F * F * a", {}, true, points, ""});
  }
  const int mismatches = run_and_judge(cases, "functions");
  CHECK(mismatches == 0);
}

namespace {

// Random programs from the generator: several outputs chosen among the
// variables each assigns, or --hessian; points from gradgen::sample_points.
std::vector<ModeCase> random_mode_cases(std::uint64_t seed, std::size_t count, bool hessian) {
  std::mt19937_64 rng(seed);
  gradgen::testing::RandomProgramOptions o;
  o.min_statements = 2;
  o.max_statements = 6;
  o.max_inputs = 4;
  std::vector<ModeCase> cases;
  while (cases.size() < count) {
    const gradgen::testing::RandomProgram tree = gradgen::testing::random_program_tree(rng, o);
    ModeCase m;
    m.program = tree.text();
    m.hessian = hessian;
    if (!hessian) {
      std::vector<std::string> assigned;
      for (const auto& s : tree.statements) {
        if (!s.target.empty() && !s.value.is_condition() &&
            std::find(assigned.begin(), assigned.end(), s.target) == assigned.end()) {
          assigned.push_back(s.target);
        }
      }
      if (assigned.size() < 2) continue;
      std::shuffle(assigned.begin(), assigned.end(), rng);
      assigned.resize(std::min<std::size_t>(assigned.size(), 2 + rng() % 3));
      m.outputs = assigned;
    }
    gradgen::Compilation c;
    try {
      c = gradgen::compile({"<input>", m.program}, options(m));
    } catch (const std::exception&) {
      continue;  // e.g. an output that holds a condition
    }
    if (c.wrt.empty() || c.wrt.size() > 8) continue;
    const gradgen::Samples samples = gradgen::sample_points(c.circuit, rng, 2);
    if (samples.points.size() < 2) continue;
    // The Hessian's differences step through the gradient's kinks too:
    // keep a wider margin for those.
    bool wide = true;
    for (const auto& x : samples.points) wide = wide && gradgen::point_problem(c.circuit, x, 1e-2).empty();
    if (!wide) continue;
    m.points = samples.points;
    cases.push_back(m);
  }
  return cases;
}

constexpr std::uint64_t kModesSeed = 0x6d6f646573ULL;  // "modes"

}  // namespace

TEST_CASE("random programs with several outputs, compiled and run", "[modes][random][compile]") {
  INFO("seed " << kModesSeed);
  const std::vector<ModeCase> cases = random_mode_cases(kModesSeed, 150, false);
  const int mismatches = run_and_judge(cases, fmt::format("seed {}", kModesSeed));
  // Central differences of random programs are sometimes ill-conditioned
  // (cancellation, steep functions); every such entry is printed above.
  CHECK(mismatches * 100 <= static_cast<int>(cases.size()));
}

TEST_CASE("random programs with --hessian, compiled and run", "[modes][random][compile]") {
  INFO("seed " << kModesSeed + 1);
  const std::vector<ModeCase> cases = random_mode_cases(kModesSeed + 1, 150, true);
  const int mismatches = run_and_judge(cases, fmt::format("seed {}", kModesSeed + 1));
  CHECK(mismatches * 100 <= static_cast<int>(cases.size()));
}

#include "cli/check_engine.hpp"

#include <cmath>
#include <utility>

#include "compiler/ir/evaluate.hpp"

namespace gradgen::cli {
namespace {

// A direction over the wrt inputs and weights over the outputs for the
// forward and reverse products (fixed, varied, no component 0).
double direction(std::size_t j) { return 0.5 + 0.37 * static_cast<double>(j % 5) - 0.29 * static_cast<double>(j % 3); }
double weight(std::size_t k) { return 0.75 - 0.4 * static_cast<double>(k % 4) + 0.15 * static_cast<double>(k % 3); }

// a == b up to rounding in a sum whose terms' magnitudes add up to `scale`.
bool same_sum(double a, double b, double scale, std::size_t scalar_bytes) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  const double rel = scalar_bytes == sizeof(float) ? 1e-4 : 1e-10;
  return std::fabs(a - b) <= rel * (scale + std::fabs(a) + std::fabs(b));
}

// sum a_i b_i, and the sum of |a_i b_i| (its rounding scale).
std::pair<double, double> dot(const std::vector<double>& a, const std::vector<double>& b, std::size_t n) {
  double sum = 0.0;
  double scale = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sum += a[i] * b[i];
    scale += std::fabs(a[i] * b[i]);
  }
  return {sum, scale};
}

}  // namespace

std::string number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{}", v);
}


std::string at_text(const std::vector<double>& x, const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < x.size() && i < names.size(); ++i) {
    out += fmt::format("{}{}={}", i ? "," : "", names[i], check::detail::exact(x[i]));
  }
  return out;
}

// Does a value and gradient the loaded code computed at x agree with the
// reference evaluator's? Returns the disagreements, one per line.
std::string against_reference(const Compilation& c, const std::vector<std::string>& wrt_names,
                              const std::vector<double>& x, double value,
                              const std::vector<double>& grad, std::size_t scalar_bytes) {
  const Evaluation ref = evaluate(c.circuit.graph, c.circuit.inputs, c.circuit.output, c.gradient,
                                  [&] {
                                    std::vector<NodeId> w;
                                    for (std::int32_t i : c.wrt) w.push_back(c.circuit.inputs[static_cast<std::size_t>(i)]);
                                    return w;
                                  }(),
                                  x);
  // float loses digits to cancellation: compare it to the size of the value.
  const bool single = scalar_bytes == sizeof(float);
  const double rel = single ? 1e-3 : 1e-12;
  const double abs = single ? 1e-4 * std::max(1.0, std::fabs(ref.value)) : 1e-300;
  const auto close = [&](double a, double b) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return a == b || std::fabs(a - b) <= rel * std::max(std::fabs(a), std::fabs(b)) + abs;
  };
  std::string out;
  if (!close(value, ref.value)) {
    out += fmt::format("  value: generated {} but the program's value is {}\n", number(value), number(ref.value));
  }
  for (std::size_t j = 0; j < ref.gradient.size() && j < wrt_names.size(); ++j) {
    if (!close(grad[j], ref.gradient[j])) {
      out += fmt::format("  d{}: generated {} but the reference evaluator gives {}\n", wrt_names[j],
                         number(grad[j]), number(ref.gradient[j]));
    }
  }
  return out;
}

// NAME_hessian: row i against differences of gradient entry i (the
// checker's central differences and Richardson extrapolation), exact
// symmetry, and its gradient against NAME_grad's.
HessianCheck check_hessian(const runtime::LoadedGradient& code, Findings& findings,
                           const std::vector<std::vector<double>>& points,
                           const std::vector<std::size_t>& wrt, const check::Tolerance& tolerance) {
  HessianCheck result;
  const std::size_t n = wrt.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto entry = [&](const double* x) {
      std::vector<double> g(n + 1);
      code.gradient(x, g.data());
      return g[i];
    };
    const auto row = [&](const double* x, double* out) {
      std::vector<double> g(n + 1);
      std::vector<double> h(n * n + 1);
      code.hessian(x, g.data(), h.data());
      for (std::size_t j = 0; j < n; ++j) out[j] = h[i * n + j];
      return g[i];
    };
    const check::Report report = check::check_gradient(entry, row, points, wrt, tolerance);
    findings.table(fmt::format("Hessian row {} (the derivatives of d/d{}):\n", i + 1, code.inputs()[wrt[i]]),
                   report);
    result.ok = result.ok && report.ok();
    result.checked += points.size() * n - report.skipped();
    result.skipped += report.skipped();
  }
  std::vector<double> v(n + 1);
  for (std::size_t j = 0; j < n; ++j) v[j] = direction(j);
  for (std::size_t p = 0; p < points.size(); ++p) {
    std::vector<double> g(n + 1);
    std::vector<double> plain(n + 1);
    std::vector<double> h(n * n + 1);
    std::vector<double> hv(n + 1);
    const double value = code.hessian(points[p].data(), g.data(), h.data());
    const double plain_value = code.gradient(points[p].data(), plain.data());
    const double hvp_value = code.hvp(points[p].data(), v.data(), hv.data());
    for (const auto& [what, other] : {std::pair<const char*, double>{"NAME_hessian", value}, {"NAME_hvp", hvp_value}}) {
      if (!(other == plain_value) && !(std::isnan(other) && std::isnan(plain_value))) {
        result.ok = false;
        findings.problem(fmt::format("point {}: {} gives the value {} but NAME_grad {}\n", p + 1, what,
                                 number(other), number(plain_value)));
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      const std::vector<double> row(h.begin() + static_cast<std::ptrdiff_t>(i * n),
                                    h.begin() + static_cast<std::ptrdiff_t>((i + 1) * n));
      const auto [sum, scale] = dot(row, v, n);
      if (!same_sum(hv[i], sum, scale, code.scalar_bytes())) {
        result.ok = false;
        findings.problem(fmt::format("point {}: NAME_hvp gives {} for entry {}, the Hessian {}\n", p + 1,
                                 number(hv[i]), i + 1, number(sum)));
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!(g[i] == plain[i]) && !(std::isnan(g[i]) && std::isnan(plain[i]))) {
        result.ok = false;
        findings.problem(fmt::format("point {}: the Hessian's gradient entry {} is {} but the gradient's is {}\n",
                                 p + 1, i + 1, number(g[i]), number(plain[i])));
      }
      for (std::size_t j = 0; j < i; ++j) {
        const double a = h[i * n + j];
        const double b = h[j * n + i];
        if (!(a == b) && !(std::isnan(a) && std::isnan(b))) {
          result.ok = false;
          findings.problem(fmt::format("point {}: the Hessian is not symmetric: [{}][{}] = {} but [{}][{}] = {}\n",
                                   p + 1, i + 1, j + 1, number(a), j + 1, i + 1, number(b)));
        }
      }
    }
  }
  return result;
}

// NAME_jvp of a one-output header along direction() against <grad, v>.
bool check_forward_mode(const runtime::LoadedGradient& code, Findings& findings,
                        const std::vector<std::vector<double>>& points) {
  const std::size_t n = code.wrt().size();
  std::vector<double> v(n + 1);
  for (std::size_t j = 0; j < n; ++j) v[j] = direction(j);
  bool ok = true;
  for (std::size_t p = 0; p < points.size(); ++p) {
    std::vector<double> grad(n + 1);
    code.gradient(points[p].data(), grad.data());
    double slope = 0.0;
    code.jvp(points[p].data(), v.data(), &slope);
    const auto [sum, scale] = dot(grad, v, n);
    if (!same_sum(slope, sum, scale, code.scalar_bytes())) {
      ok = false;
      findings.problem(fmt::format("point {}: forward mode gives {} along a direction, the gradient {}\n",
                               p + 1, number(slope), number(sum)));
    }
  }
  findings.note(fmt::format("forward mode (NAME_jvp) against the gradient: {}\n", ok ? "ok" : "MISMATCH"));
  return ok;
}


// A header with several outputs: each row of NAME_jacobian against
// differences of NAME(in, out) (and, given the program, against the
// reference evaluator on that output alone); NAME_jvp against J v,
// NAME_vjp against w^T J, and <J v, w> against <v, J^T w>.
JacobianCheck check_jacobian(const runtime::LoadedGradient& code, Findings& findings,
                             const std::optional<Compilation>& program,
                             const Source& source, const CompileOptions& options,
                             const std::vector<std::vector<double>>& points,
                             const std::vector<std::size_t>& wrt, const check::Tolerance& tolerance) {
  JacobianCheck result;
  const std::size_t rows = code.output_names().size();
  const std::size_t m = wrt.size();
  for (std::size_t k = 0; k < rows; ++k) {
    const auto f = [&](const double* x) {
      std::vector<double> out(rows);
      code.outputs(x, out.data());
      return out[k];
    };
    const auto g = [&](const double* x, double* row) {
      std::vector<double> out(rows);
      std::vector<double> jac(rows * m + 1);
      code.jacobian(x, out.data(), jac.data());
      for (std::size_t j = 0; j < m; ++j) row[j] = jac[k * m + j];
      return out[k];
    };
    const check::Report report = check::check_gradient(f, g, points, wrt, tolerance);
    findings.table(fmt::format("== output {} (row {} of the Jacobian)\n", code.output_names()[k], k + 1),
                   report);
    result.ok = result.ok && report.ok();
    result.checked += points.size() * m - report.skipped();
    result.skipped += report.skipped();
    if (!program) continue;
    CompileOptions one = options;
    one.outputs = {code.output_names()[k]};
    const Compilation single = compile(source, one);
    for (const std::vector<double>& x : points) {
      std::vector<double> row(m + 1);
      const double value = g(x.data(), row.data());
      const std::string problems = against_reference(single, code.wrt(), x, value, row, code.scalar_bytes());
      if (!problems.empty()) {
        result.ok = false;
        findings.problem("disagrees with the program at one point:\n" + problems);
      }
    }
  }
  std::vector<double> v(m + 1);
  for (std::size_t j = 0; j < m; ++j) v[j] = direction(j);
  std::vector<double> w(rows);
  for (std::size_t k = 0; k < rows; ++k) w[k] = weight(k);
  bool products = true;
  for (std::size_t p = 0; p < points.size(); ++p) {
    const double* x = points[p].data();
    std::vector<double> out(rows);
    std::vector<double> jac(rows * m + 1);
    std::vector<double> out_dot(rows);
    std::vector<double> in_bar(m + 1);
    std::vector<double> plain(rows);
    std::vector<double> jvp_out(rows);
    std::vector<double> vjp_out(rows);
    code.outputs(x, plain.data());
    code.jacobian(x, out.data(), jac.data());
    code.jvp(x, v.data(), jvp_out.data(), out_dot.data());
    code.vjp(x, w.data(), vjp_out.data(), in_bar.data());
    std::string problems;
    for (std::size_t k = 0; k < rows; ++k) {
      for (const auto& [what, other] : {std::pair<const char*, double>{"NAME_jacobian", out[k]},
                                        {"NAME_jvp", jvp_out[k]}, {"NAME_vjp", vjp_out[k]}}) {
        if (!(other == plain[k]) && !(std::isnan(other) && std::isnan(plain[k]))) {
          problems += fmt::format("  {} gives {} for {}, NAME(in, out) {}\n", what, number(other),
                                  code.output_names()[k], number(plain[k]));
        }
      }
    }
    for (std::size_t k = 0; k < rows; ++k) {
      const std::vector<double> row(jac.begin() + static_cast<std::ptrdiff_t>(k * m),
                                    jac.begin() + static_cast<std::ptrdiff_t>((k + 1) * m));
      const auto [sum, scale] = dot(row, v, m);
      if (!same_sum(out_dot[k], sum, scale, code.scalar_bytes())) {
        problems += fmt::format("  NAME_jvp gives {} for {}, the Jacobian {}\n", number(out_dot[k]),
                                code.output_names()[k], number(sum));
      }
    }
    for (std::size_t j = 0; j < m; ++j) {
      std::vector<double> column(rows);
      for (std::size_t k = 0; k < rows; ++k) column[k] = jac[k * m + j];
      const auto [sum, scale] = dot(column, w, rows);
      if (!same_sum(in_bar[j], sum, scale, code.scalar_bytes())) {
        problems += fmt::format("  NAME_vjp gives {} for d{}, the Jacobian {}\n", number(in_bar[j]),
                                code.wrt()[j], number(sum));
      }
    }
    const auto [forward, forward_scale] = dot(out_dot, w, rows);
    const auto [reverse, reverse_scale] = dot(v, in_bar, m);
    if (!same_sum(forward, reverse, forward_scale + reverse_scale, code.scalar_bytes())) {
      problems += fmt::format("  <J v, w> = {} but <v, J^T w> = {}\n", number(forward), number(reverse));
    }
    if (!problems.empty()) {
      products = false;
      findings.problem(fmt::format("point {}: forward and reverse mode disagree:\n{}", p + 1, problems));
    }
  }
  findings.note(fmt::format("forward against reverse (NAME_jvp, NAME_vjp, <J v, w> = <v, J^T w>): {}\n",
                            products ? "ok" : "MISMATCH"));
  result.ok = result.ok && products;
  return result;
}

}  // namespace gradgen::cli

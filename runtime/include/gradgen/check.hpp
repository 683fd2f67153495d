// gradgen/check.hpp: check any gradient against numerical gradients, as the
// Hacker's guide does for every analytic gradient. Header-only, standard
// library only: include it in your own tests, with or without gradgen.
//
//   auto f = [](const double* x) { return x[0] * x[1]; };
//   auto g = [](const double* x, double* grad) {
//     grad[0] = x[1];
//     grad[1] = x[0];
//     return x[0] * x[1];
//   };
//   gradgen::check::Report r = gradgen::check::check_gradient(f, g, {{-2, 3}, {1, 5}});
//   if (!r.ok()) std::cerr << r.table({"x", "y"});
//
// The numerical gradient is a central difference with a step scaled to each
// input, h = 6e-6 * max(1, |x|) (Tolerance::step); when it disagrees with the analytic gradient,
// a Richardson extrapolation of central differences with larger steps (error
// O(h^6)) at several step sizes gets a second opinion, and the input passes
// if the best estimate agrees. An
// input passes when
//     |analytic - numerical| <= relative * max(|analytic|, |numerical|)
//                                + absolute * max(1, |f(x)|)
// (defaults: relative 1e-6, absolute 1e-8: the second term absorbs the
// rounding noise of differencing f; Tolerance::for_float() loosens all of it
// for functions computed in float). The reported relative error is
// |a - n| / max(|a|, |n|, 1e-300). An input where the function is not smooth
// (its one-sided differences disagree: a kink of abs or max, a step of floor,
// a comparison's boundary) or not finite is skipped and reported as such, not
// failed.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace gradgen::check {

struct Tolerance {
  double relative = 1e-6;
  double absolute = 1e-8;
  double step = 6e-6;             // central differences: h = step * max(1, |x|)
  double richardson_step = 1e-3;  // the second opinion's base step

  // For functions computed in float: its epsilon (1.2e-7) makes differences
  // noisy, so larger steps and looser agreement.
  static Tolerance for_float() { return {2e-3, 2e-4, 5e-3, 3e-2}; }
};

struct InputResult {
  std::size_t input = 0;    // position in the point (and in the function's in[])
  double analytic = 0.0;
  double numerical = 0.0;   // the best numerical estimate
  double relative_error = 0.0;
  bool ok = false;
  bool skipped = false;     // not smooth or not finite here: not counted
  std::string note;         // why it was skipped
};

struct PointResult {
  std::vector<double> x;
  double value = 0.0;
  std::vector<InputResult> inputs;
  bool ok() const {
    return std::all_of(inputs.begin(), inputs.end(),
                       [](const InputResult& r) { return r.ok || r.skipped; });
  }
};

struct Report {
  std::vector<PointResult> points;

  bool ok() const {
    return std::all_of(points.begin(), points.end(), [](const PointResult& p) { return p.ok(); });
  }
  std::size_t skipped() const {
    std::size_t n = 0;
    for (const PointResult& p : points) {
      for (const InputResult& r : p.inputs) n += r.skipped ? 1 : 0;
    }
    return n;
  }
  // One table per point: input, analytic, numerical, relative error, verdict.
  std::string table(const std::vector<std::string>& names = {}) const;
};

namespace detail {

inline std::string name_of(const std::vector<std::string>& names, std::size_t i) {
  return i < names.size() ? names[i] : "x[" + std::to_string(i) + "]";
}

inline std::string format(const char* pattern, double a) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, a);
  return buffer;
}

// The shortest of %.15g, %.16g and %.17g that reads back as the same
// double: a point printed this way can be given back (gradgen check --at).
inline std::string exact(double a) {
  for (const char* pattern : {"%.15g", "%.16g"}) {
    const std::string s = format(pattern, a);
    if (std::strtod(s.c_str(), nullptr) == a) return s;
  }
  return format("%.17g", a);
}

// The central difference of f along input i with step h (the step actually
// taken, (x+h) - (x-h), which is exact in floating point only by luck).
template <class F>
double central(F& f, std::vector<double>& x, std::size_t i, double h) {
  const double xi = x[i];
  x[i] = xi + h;
  const double up_at = x[i];
  const double up = f(static_cast<const double*>(x.data()));
  x[i] = xi - h;
  const double down_at = x[i];
  const double down = f(static_cast<const double*>(x.data()));
  x[i] = xi;
  return (up - down) / (up_at - down_at);
}

// Richardson extrapolation of central differences with steps 4h, 2h, h.
template <class F>
double richardson(F& f, std::vector<double>& x, std::size_t i, double h) {
  const double d1 = central(f, x, i, 4 * h);
  const double d2 = central(f, x, i, 2 * h);
  const double d3 = central(f, x, i, h);
  const double r1 = (4 * d2 - d1) / 3;
  const double r2 = (4 * d3 - d2) / 3;
  return (16 * r2 - r1) / 15;
}

// True when f is not smooth at x at the scale of h: its one-sided
// differences disagree (a kink), or central differences with steps h and h/4
// do (a step or jump within reach).
template <class F>
bool kink(F& f, std::vector<double>& x, std::size_t i, double h, double fx) {
  const double wide = central(f, x, i, h);
  const double narrow = central(f, x, i, h / 4);
  if (std::fabs(wide - narrow) > 0.1 * std::max({std::fabs(wide), std::fabs(narrow), 1e-3})) {
    return true;
  }
  const double xi = x[i];
  x[i] = xi + h;
  const double up = f(static_cast<const double*>(x.data())) - fx;
  const double up_step = x[i] - xi;
  x[i] = xi - h;
  const double down = fx - f(static_cast<const double*>(x.data()));
  const double down_step = xi - x[i];
  x[i] = xi;
  const double forward = up / up_step;
  const double backward = down / down_step;
  const double scale = std::max({std::fabs(forward), std::fabs(backward), 1e-3});
  return std::fabs(forward - backward) > 1e-2 * scale;
}

inline bool agrees(double a, double n, double fx, const Tolerance& t) {
  if (!std::isfinite(a) || !std::isfinite(n)) return false;
  return std::fabs(a - n) <=
         t.relative * std::max(std::fabs(a), std::fabs(n)) + t.absolute * std::max(1.0, std::fabs(fx));
}

inline double relative_error(double a, double n) {
  return std::fabs(a - n) / std::max({std::fabs(a), std::fabs(n), 1e-300});
}

}  // namespace detail

// Checks the gradient `grad` (double(const double* x, double* g)) of `f`
// (double(const double* x)) at x, for the inputs listed in `wrt` (all when
// empty); g[j] is the derivative for wrt[j].
template <class F, class G>
PointResult check_point(F f, G grad, const std::vector<double>& x,
                        const std::vector<std::size_t>& wrt = {}, const Tolerance& tolerance = {}) {
  std::vector<std::size_t> inputs = wrt;
  if (inputs.empty()) {
    for (std::size_t i = 0; i < x.size(); ++i) inputs.push_back(i);
  }
  PointResult result;
  result.x = x;
  std::vector<double> xs = x;
  std::vector<double> g(inputs.size() + 1, 0.0);
  result.value = grad(static_cast<const double*>(xs.data()), g.data());
  const double fx = f(static_cast<const double*>(xs.data()));
  for (std::size_t j = 0; j < inputs.size(); ++j) {
    const std::size_t i = inputs[j];
    InputResult r;
    r.input = i;
    r.analytic = g[j];
    const double h = tolerance.step * std::max(1.0, std::fabs(x[i]));
    r.numerical = detail::central(f, xs, i, h);
    r.ok = detail::agrees(r.analytic, r.numerical, fx, tolerance);
    if (!r.ok) {
      // A second opinion: Richardson extrapolation at several scales (the
      // input's own scale matters near a singularity, as for 1/x at 0.0015).
      for (const double scale : {std::max(1.0, std::fabs(x[i])), std::fabs(x[i])}) {
        for (const double factor : {1.0, 0.1, 0.01}) {
          const double base = tolerance.richardson_step * scale * factor;
          if (!(base > 0)) continue;
          const double better = detail::richardson(f, xs, i, base);
          if (std::isfinite(better) && (!std::isfinite(r.numerical) ||
                                        std::fabs(better - r.analytic) < std::fabs(r.numerical - r.analytic))) {
            r.numerical = better;
          }
        }
      }
      r.ok = detail::agrees(r.analytic, r.numerical, fx, tolerance);
    }
    r.relative_error = detail::relative_error(r.analytic, r.numerical);
    if (!r.ok) {
      if (!std::isfinite(fx) || !std::isfinite(r.numerical)) {
        r.skipped = true;
        r.note = "not finite here";
      } else if (detail::kink(f, xs, i, h, fx)) {
        r.skipped = true;
        r.note = "not smooth here (a kink or a step)";
      }
    }
    result.inputs.push_back(r);
  }
  return result;
}

// check_point at every point.
template <class F, class G>
Report check_gradient(F f, G grad, const std::vector<std::vector<double>>& points,
                      const std::vector<std::size_t>& wrt = {}, const Tolerance& tolerance = {}) {
  Report report;
  for (const std::vector<double>& x : points) {
    report.points.push_back(check_point(f, grad, x, wrt, tolerance));
  }
  return report;
}

inline std::string Report::table(const std::vector<std::string>& names) const {
  std::string out;
  for (std::size_t p = 0; p < points.size(); ++p) {
    const PointResult& point = points[p];
    out += "point " + std::to_string(p + 1) + ":";
    for (std::size_t i = 0; i < point.x.size(); ++i) {
      out += " " + detail::name_of(names, i) + " = " + detail::exact(point.x[i]);
    }
    out += "\n  value = " + detail::format("%.10g", point.value) + "\n";
    char line[256];
    std::snprintf(line, sizeof line, "  %-12s %18s %18s %12s\n", "input", "analytic", "numerical",
                  "rel. error");
    out += line;
    for (const InputResult& r : point.inputs) {
      std::snprintf(line, sizeof line, "  %-12s %18.10g %18.10g %12.2e  %s\n",
                    detail::name_of(names, r.input).c_str(), r.analytic, r.numerical, r.relative_error,
                    r.ok ? "ok" : r.skipped ? "skipped" : "MISMATCH");
      out += line;
      if (r.skipped) out += "      (" + r.note + ")\n";
    }
  }
  return out;
}

}  // namespace gradgen::check

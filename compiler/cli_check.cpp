#include "cli_check.hpp"

#include <cmath>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <utility>
#include <sstream>

#include <fmt/format.h>

#include "compiler/cli.hpp"
#include "compiler/evaluate.hpp"
#include "compiler/sampling.hpp"
#include "gradgen/check.hpp"
#include "runtime/loaded_gradient.hpp"

namespace gradgen::cli {
namespace {

constexpr const char* kCheckHelp = R"help(gradgen check - compile a gradient, run it, and compare it with numerical gradients

Usage:
  gradgen check PROGRAM [options]
  gradgen check --header FILE --name NAME [--namespace NS] [--program PROGRAM | -f FILE]

The first form generates the header for PROGRAM, compiles and loads it, and
compares its gradient with central differences (and Richardson extrapolation
when those are inconclusive) and with gradgen's reference evaluator. The
second form checks an existing header (hand-edited ones too) against
numerical differences of its own forward function, and, given the program,
its value and gradient against the reference evaluator.

Options:
  --points N        how many random points (default 5)
  --seed S          the random seed (default 1)
  --at a=1,b=2      check at this point instead of random ones
  --range LO,HI     draw random inputs from [LO, HI] (default -2,2)
  --output y1,y2    several outputs: NAME_jacobian row by row against
                    differences of NAME(in, out), and NAME_jvp and NAME_vjp
                    against it (<J v, w> = <v, J^T w>); a header that
                    declares NAME_outputs is checked the same way
  --hessian         also check NAME_hessian: each row against differences of
                    the gradient, its symmetry, and its gradient against
                    NAME_grad's (the header must have been made with --hessian)
  --inputs, --wrt, --type, --name, --namespace, --max-depth: as for gradgen

Points are drawn where every function is inside its domain and away from
kinks (abs, relu, max/min ties, comparison boundaries, floor/round steps);
points that could not be found, and inputs at which the function turned out
not smooth, are reported as skipped. Exit status 0 when every gradient
agrees, 1 when any does not.
)help";

constexpr const char* kEvalHelp = R"help(gradgen eval - the value and gradient of a program at a point

Usage:
  gradgen eval PROGRAM --at a=-2,b=5,c=-4 [--json] [--inputs ...] [--wrt ...]

Computed by gradgen's reference evaluator (no C++ compiler involved).
)help";

std::string qualified(const EmitOptions& emit) {
  return emit.ns.empty() ? emit.function : emit.ns + "::" + emit.function;
}

std::string number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{}", v);
}

std::string json_number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : "null"; }

std::string read_header(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(fmt::format("cannot read {}", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct CheckArgs {
  ProgramArgs program;
  std::string header;
  std::string at;
  std::size_t points = 5;
  std::uint64_t seed = 1;
  SampleOptions sampling;
};

// Positions of `wrt` names in `inputs`.
std::vector<std::size_t> positions(const std::vector<std::string>& inputs,
                                   const std::vector<std::string>& wrt) {
  std::vector<std::size_t> out;
  for (const std::string& w : wrt) {
    std::size_t i = 0;
    while (i < inputs.size() && inputs[i] != w) ++i;
    if (i == inputs.size()) throw UsageError(fmt::format("the header's _wrt names '{}', which is not an input", w));
    out.push_back(i);
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

struct HessianCheck {
  bool ok = true;
  std::size_t checked = 0;
  std::size_t skipped = 0;
};

// NAME_hessian: row i against differences of gradient entry i (the
// checker's central differences and Richardson extrapolation), exact
// symmetry, and its gradient against NAME_grad's.
HessianCheck check_hessian(const runtime::LoadedGradient& code,
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
    std::cout << fmt::format("Hessian row {} (the derivatives of d/d{}):\n", i + 1,
                             code.inputs()[wrt[i]])
              << report.table(code.inputs());
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
        std::cout << fmt::format("point {}: {} gives the value {} but NAME_grad {}\n", p + 1, what,
                                 number(other), number(plain_value));
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      const std::vector<double> row(h.begin() + static_cast<std::ptrdiff_t>(i * n),
                                    h.begin() + static_cast<std::ptrdiff_t>((i + 1) * n));
      const auto [sum, scale] = dot(row, v, n);
      if (!same_sum(hv[i], sum, scale, code.scalar_bytes())) {
        result.ok = false;
        std::cout << fmt::format("point {}: NAME_hvp gives {} for entry {}, the Hessian {}\n", p + 1,
                                 number(hv[i]), i + 1, number(sum));
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!(g[i] == plain[i]) && !(std::isnan(g[i]) && std::isnan(plain[i]))) {
        result.ok = false;
        std::cout << fmt::format("point {}: the Hessian's gradient entry {} is {} but the gradient's is {}\n",
                                 p + 1, i + 1, number(g[i]), number(plain[i]));
      }
      for (std::size_t j = 0; j < i; ++j) {
        const double a = h[i * n + j];
        const double b = h[j * n + i];
        if (!(a == b) && !(std::isnan(a) && std::isnan(b))) {
          result.ok = false;
          std::cout << fmt::format("point {}: the Hessian is not symmetric: [{}][{}] = {} but [{}][{}] = {}\n",
                                   p + 1, i + 1, j + 1, number(a), j + 1, i + 1, number(b));
        }
      }
    }
  }
  return result;
}

// NAME_jvp of a one-output header along direction() against <grad, v>.
bool check_forward_mode(const runtime::LoadedGradient& code, const std::vector<std::vector<double>>& points) {
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
      std::cout << fmt::format("point {}: forward mode gives {} along a direction, the gradient {}\n",
                               p + 1, number(slope), number(sum));
    }
  }
  std::cout << fmt::format("forward mode (NAME_jvp) against the gradient: {}\n", ok ? "ok" : "MISMATCH");
  return ok;
}

struct JacobianCheck {
  bool ok = true;
  std::size_t checked = 0;
  std::size_t skipped = 0;
};

// A header with several outputs: each row of NAME_jacobian against
// differences of NAME(in, out) (and, given the program, against the
// reference evaluator on that output alone); NAME_jvp against J v,
// NAME_vjp against w^T J, and <J v, w> against <v, J^T w>.
JacobianCheck check_jacobian(const runtime::LoadedGradient& code, const std::optional<Compilation>& program,
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
    std::cout << fmt::format("== output {} (row {} of the Jacobian)\n", code.output_names()[k], k + 1)
              << report.table(code.inputs());
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
        std::cout << "disagrees with the program at one point:\n" << problems;
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
      std::cout << fmt::format("point {}: forward and reverse mode disagree:\n{}", p + 1, problems);
    }
  }
  std::cout << fmt::format("forward against reverse (NAME_jvp, NAME_vjp, <J v, w> = <v, J^T w>): {}\n",
                           products ? "ok" : "MISMATCH");
  result.ok = result.ok && products;
  return result;
}

// True when the header declares NAME_outputs (several outputs): a line of
// its own that starts the declaration (not, say, a comment mentioning it).
bool declares_outputs(const std::string& header, const std::string& function) {
  const std::string name = function.substr(function.rfind(':') == std::string::npos ? 0 : function.rfind(':') + 1);
  std::istringstream lines(header);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("inline constexpr std::array<std::string_view, ", 0) == 0 &&
        line.find("> " + name + "_outputs{") != std::string::npos) {
      return true;
    }
  }
  return false;
}

int run_check(const CheckArgs& a) {
  std::optional<Compilation> program;
  std::string header;
  std::string function = qualified(a.program.emit);
  Source source;
  const bool has_program = a.program.program_given || !a.program.file.empty();
  if (has_program) source = read_source(a.program);
  try {
    CompileOptions options = a.program.compile;
    if (!a.header.empty()) {
      header = read_header(a.header);
    } else {
      EmitOptions emit = a.program.emit;
      emit.program = source.text;
      emit.version = "check";
      header = generate_header(source, options, emit);
    }
    std::cout << "compiling " << (a.header.empty() ? "the generated header" : a.header) << " ...\n";
    runtime::CompileSettings settings;
    settings.several_outputs = declares_outputs(header, function);
    settings.hessian = options.hessian && !settings.several_outputs;
    settings.jvp = a.header.empty() && !settings.several_outputs;  // v1 headers need not have it
    const runtime::LoadedGradient code = runtime::LoadedGradient::compile(header, function, settings);
    if (has_program) {
      options.inputs = code.inputs();
      options.wrt = code.wrt();
      if (settings.several_outputs) options.outputs = code.output_names();
      program = compile(source, options);
    }
    const std::vector<std::size_t> wrt = positions(code.inputs(), code.wrt());

    std::vector<std::vector<double>> points;
    std::vector<std::string> skipped;
    if (!a.at.empty()) {
      points.push_back(parse_point(a.at, code.inputs()));
    } else if (program) {
      std::mt19937_64 rng(a.seed);
      Samples s = sample_points(program->circuit, rng, a.points, a.sampling);
      points = std::move(s.points);
      skipped = std::move(s.skipped);
    } else {
      std::mt19937_64 rng(a.seed);
      std::uniform_real_distribution<double> u(a.sampling.lo, a.sampling.hi);
      for (std::size_t p = 0; p < a.points; ++p) {
        std::vector<double> x(code.inputs().size());
        for (double& v : x) v = u(rng);
        points.push_back(x);
      }
    }
    const check::Tolerance tolerance =
        code.scalar_bytes() == sizeof(float) ? check::Tolerance::for_float() : check::Tolerance{};
    bool ok = true;
    std::size_t checked = 0;
    std::size_t skipped_entries = 0;
    if (settings.several_outputs) {
      const JacobianCheck j = check_jacobian(code, program, source, options, points, wrt, tolerance);
      ok = j.ok;
      checked = j.checked;
      skipped_entries = j.skipped;
    } else {
      const auto f = [&code](const double* x) { return code.value(x); };
      const auto g = [&code](const double* x, double* grad) { return code.gradient(x, grad); };
      const check::Report report = check::check_gradient(f, g, points, wrt, tolerance);
      std::cout << report.table(code.inputs());
      ok = report.ok();
      checked = points.size() * wrt.size() - report.skipped();
      skipped_entries = report.skipped();
      if (program) {
        for (const std::vector<double>& x : points) {
          std::vector<double> grad(code.wrt().size() + 1, 0.0);
          const double value = code.gradient(x.data(), grad.data());
          const std::string problems =
              against_reference(*program, code.wrt(), x, value, grad, code.scalar_bytes());
          if (!problems.empty()) {
            ok = false;
            std::cout << "disagrees with the program at one point:\n" << problems;
          }
        }
      }
      if (settings.jvp) ok = check_forward_mode(code, points) && ok;
      if (settings.hessian) {
        const HessianCheck h = check_hessian(code, points, wrt, tolerance);
        ok = ok && h.ok;
        checked += h.checked;
        skipped_entries += h.skipped;
      }
    }
    for (const std::string& s : skipped) std::cout << "skipped a point: " << s << "\n";
    if (checked == 0 && !wrt.empty()) {
      ok = false;
      std::cout << "nothing could be checked: no point where the function is finite and smooth\n";
    }
    const char* what = settings.several_outputs ? "Jacobian "
                       : settings.hessian       ? "gradient and Hessian "
                                                : "gradient ";
    std::cout << fmt::format("{}: {} {}entries checked at {} points, {} skipped\n", ok ? "ok" : "MISMATCH",
                             checked, what, points.size(), skipped_entries + skipped.size());
    return ok ? 0 : 1;
  } catch (const Diagnostic& d) {
    std::cerr << format_diagnostic(source, d);
    return 1;
  } catch (const runtime::CompileError& e) {
    std::cerr << "gradgen check: " << e.what() << "\n" << e.diagnostics();
    return 1;
  }
}

}  // namespace

int check(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "-h" || arg == "--help") {
      std::cout << kCheckHelp;
      return 0;
    }
  }
  CheckArgs a;
  std::string range;
  parse(args, a.program, [&](const std::string& option, const auto& value) {
    if (option == "--header") {
      a.header = value();
    } else if (option == "--program") {
      a.program.program = value();
      a.program.program_given = true;
    } else if (option == "--at") {
      a.at = value();
    } else if (option == "--points") {
      a.points = parse_count(value(), "--points");
    } else if (option == "--seed") {
      a.seed = parse_count(value(), "--seed");
    } else if (option == "--range") {
      const std::vector<std::string> lohi = split_names(value(), "--range");
      if (lohi.size() != 2) throw UsageError("--range takes LO,HI");
      a.sampling.lo = parse_number(lohi[0], "--range");
      a.sampling.hi = parse_number(lohi[1], "--range");
      if (!(a.sampling.lo < a.sampling.hi) || !std::isfinite(a.sampling.hi - a.sampling.lo)) {
        throw UsageError("--range: LO must be below HI, both finite");
      }
    } else {
      return false;
    }
    return true;
  }, /*program_required=*/false);
  if (a.header.empty() && !a.program.program_given && a.program.file.empty()) {
    throw UsageError("gradgen check needs a program or --header FILE (see gradgen check --help)");
  }
  return run_check(a);
}

int eval(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "-h" || arg == "--help") {
      std::cout << kEvalHelp;
      return 0;
    }
  }
  ProgramArgs p;
  p.command = "gradgen eval";
  std::string at;
  bool json = false;
  parse(args, p, [&](const std::string& option, const auto& value) {
    if (option == "--at") {
      at = value();
    } else if (option == "--json") {
      json = true;
    } else {
      return false;
    }
    return true;
  });
  const Source source = read_source(p);
  try {
    if (p.compile.outputs.size() > 1) {
      throw UsageError("gradgen eval evaluates one output at a time: give --output one name");
    }
    if (p.compile.hessian) {
      throw UsageError("gradgen eval gives the value and gradient; for the Hessian use "
                       "gradgen PROGRAM --hessian, or gradgen check PROGRAM --hessian");
    }
    const Compilation c = compile(source, p.compile);
    const std::vector<std::string>& inputs = c.analysis.inputs;
    if (at.empty() && !inputs.empty()) throw UsageError("gradgen eval needs --at NAME=VALUE,...");
    const std::vector<double> x = at.empty() ? std::vector<double>{} : parse_point(at, inputs);
    std::vector<NodeId> wrt;
    for (std::int32_t i : c.wrt) wrt.push_back(c.circuit.inputs[static_cast<std::size_t>(i)]);
    const Evaluation e = evaluate(c.circuit.graph, c.circuit.inputs, c.circuit.output, c.gradient, wrt, x);
    std::string out;
    if (json) {
      out = "{\"inputs\": {";
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        out += fmt::format("{}\"{}\": {}", i ? ", " : "", inputs[i], json_number(x[i]));
      }
      out += fmt::format("}}, \"value\": {}, \"gradient\": {{", json_number(e.value));
      for (std::size_t j = 0; j < c.wrt.size(); ++j) {
        out += fmt::format("{}\"{}\": {}", j ? ", " : "", inputs[static_cast<std::size_t>(c.wrt[j])],
                           json_number(e.gradient[j]));
      }
      out += "}}\n";
    } else {
      std::string point;
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        point += fmt::format("{}{} = {}", i ? ", " : "", inputs[i], number(x[i]));
      }
      out = fmt::format("at {}\nvalue = {}\n", point.empty() ? "(no inputs)" : point, number(e.value));
      for (std::size_t j = 0; j < c.wrt.size(); ++j) {
        out += fmt::format("d{} = {}\n", inputs[static_cast<std::size_t>(c.wrt[j])], number(e.gradient[j]));
      }
    }
    std::cout << out;
    return 0;
  } catch (const Diagnostic& d) {
    std::cerr << format_diagnostic(source, d);
    return 1;
  }
}

}  // namespace gradgen::cli

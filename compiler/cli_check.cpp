#include "cli_check.hpp"

#include <cmath>
#include <fstream>
#include <iostream>
#include <random>
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
  --output y1,y2    several outputs: each one's gradient (a row of the
                    Jacobian) is checked in turn (program form only)
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

// Does the loaded code agree with the reference evaluator at x? Returns the
// disagreements, one per line.
std::string against_reference(const runtime::LoadedGradient& code, const Compilation& c,
                              const std::vector<double>& x, std::size_t scalar_bytes) {
  const Evaluation ref = evaluate(c.circuit.graph, c.circuit.inputs, c.circuit.output, c.gradient,
                                  [&] {
                                    std::vector<NodeId> w;
                                    for (std::int32_t i : c.wrt) w.push_back(c.circuit.inputs[static_cast<std::size_t>(i)]);
                                    return w;
                                  }(),
                                  x);
  std::vector<double> grad(code.wrt().size() + 1, 0.0);
  const double value = code.gradient(x.data(), grad.data());
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
  for (std::size_t j = 0; j < ref.gradient.size() && j < code.wrt().size(); ++j) {
    if (!close(grad[j], ref.gradient[j])) {
      out += fmt::format("  d{}: generated {} but the reference evaluator gives {}\n", code.wrt()[j],
                         number(grad[j]), number(ref.gradient[j]));
    }
  }
  return out;
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
  for (std::size_t p = 0; p < points.size(); ++p) {
    std::vector<double> g(n + 1);
    std::vector<double> plain(n + 1);
    std::vector<double> h(n * n + 1);
    code.hessian(points[p].data(), g.data(), h.data());
    code.gradient(points[p].data(), plain.data());
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
    settings.hessian = options.hessian;
    const runtime::LoadedGradient code = runtime::LoadedGradient::compile(header, function, settings);
    if (has_program) {
      options.inputs = code.inputs();
      options.wrt = code.wrt();
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
    const auto f = [&code](const double* x) { return code.value(x); };
    const auto g = [&code](const double* x, double* grad) { return code.gradient(x, grad); };
    const check::Tolerance tolerance =
        code.scalar_bytes() == sizeof(float) ? check::Tolerance::for_float() : check::Tolerance{};
    const check::Report report = check::check_gradient(f, g, points, wrt, tolerance);
    std::cout << report.table(code.inputs());
    bool ok = report.ok();
    if (program) {
      for (const std::vector<double>& x : points) {
        const std::string problems = against_reference(code, *program, x, code.scalar_bytes());
        if (!problems.empty()) {
          ok = false;
          std::cout << "disagrees with the program at one point:\n" << problems;
        }
      }
    }
    std::size_t checked = points.size() * wrt.size() - report.skipped();
    std::size_t skipped_entries = report.skipped();
    if (options.hessian) {
      const HessianCheck h = check_hessian(code, points, wrt, tolerance);
      ok = ok && h.ok;
      checked += h.checked;
      skipped_entries += h.skipped;
    }
    for (const std::string& s : skipped) std::cout << "skipped a point: " << s << "\n";
    if (checked == 0 && !wrt.empty()) {
      ok = false;
      std::cout << "nothing could be checked: no point where the function is finite and smooth\n";
    }
    std::cout << fmt::format("{}: {} {}entries checked at {} points, {} skipped\n",
                             ok ? "ok" : "MISMATCH", checked,
                             options.hessian ? "gradient and Hessian " : "gradient ", points.size(),
                             skipped_entries + skipped.size());
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
  const std::vector<std::string> outputs = a.program.compile.outputs;
  if (outputs.size() <= 1) return run_check(a);
  if (!a.header.empty()) {
    throw UsageError("gradgen check --header checks headers with one output; to check several, "
                     "give the program: gradgen check PROGRAM --output y1,y2");
  }
  // Several outputs: each output's gradient is a row of the Jacobian.
  int status = 0;
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    CheckArgs one = a;
    one.program.compile.outputs = {outputs[k]};
    std::cout << fmt::format("== output {} (row {} of the Jacobian)\n", outputs[k], k + 1);
    status = std::max(status, run_check(one));
  }
  return status;
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

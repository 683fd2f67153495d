#include "cli/commands.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <utility>
#include <sstream>

#include <fmt/format.h>

#include "cli/check_engine.hpp"
#include "cli/options.hpp"
#include "compiler/check/sampling.hpp"
#include "compiler/ir/evaluate.hpp"
#include "compiler/support/json.hpp"
#include "gradgen/check.hpp"
#include "runtime/loaded_gradient.hpp"

namespace gradgen::cli {
namespace {

constexpr const char* kCheckHelp = R"help(gradgen check - compile a gradient, run it, and compare it with numerical gradients

Usage:
  gradgen check PROGRAM [options]
  gradgen check --header FILE --name NAME [--namespace NS] [--program PROGRAM | -f FILE]
  gradgen check ... --json         the findings as one JSON object

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
  --json            print the findings as one JSON object (tables of points
                    with every input's analytic and numerical derivative,
                    problems, notes, and the verdict) instead of text
  --inputs, --wrt, --type, --name, --namespace, --max-depth: as for gradgen

Progress goes to standard error. Points are printed with every digit, and a
failing point with the --at that checks it again. The C++ compiler is $CXX
(split into words as a shell would: CXX="ccache g++"), else c++.

Points are drawn where every function is inside its domain and away from
kinks (abs, relu, max/min ties, comparison boundaries, floor/round steps);
points that could not be found, and inputs at which the function turned out
not smooth, are reported as skipped. Exit status 0 when every gradient
agrees, 1 when any does not.
)help";


std::string qualified(const EmitOptions& emit) {
  return emit.ns.empty() ? emit.function : emit.ns + "::" + emit.function;
}

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
  bool json = false;
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

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The names X of the declarations `X_SUFFIX {` or `X_SUFFIX =` in a header's
// text (gradgen's own, or a hand-written one that follows the contract).
std::vector<std::string> declared(const std::string& header, const std::string& suffix) {
  std::vector<std::string> names;
  for (std::size_t at = header.find(suffix); at != std::string::npos; at = header.find(suffix, at + 1)) {
    std::size_t begin = at;
    while (begin > 0 && identifier_char(header[begin - 1])) --begin;
    std::size_t next = at + suffix.size();
    if (begin == at || (next < header.size() && identifier_char(header[next]))) continue;
    while (next < header.size() && (header[next] == ' ' || header[next] == '\t')) ++next;
    if (next < header.size() && (header[next] == '{' || header[next] == '=')) {
      names.push_back(header.substr(begin, at - begin));
    }
  }
  return names;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// What a header says before it is compiled, for the messages that spare the
// user a compile: whether it has the function asked for (else which names it
// has, and in which namespace) and its inputs. What it offers is found out
// as it is compiled (runtime::LoadedGradient::offers()).
struct HeaderFacts {
  std::vector<std::string> inputs;  // as NAME_inputs lists them (for --at before compiling)
};

// The namespaces a header opens (`namespace a::b {` at the start of a line),
// gradgen's own helpers' aside.
std::vector<std::string> namespaces_of(const std::string& header) {
  std::vector<std::string> namespaces;
  for (std::size_t at = header.find("namespace "); at != std::string::npos; at = header.find("namespace ", at + 1)) {
    if (at > 0 && header[at - 1] != '\n') continue;
    std::size_t end = at + 10;
    while (end < header.size() && (identifier_char(header[end]) || header[end] == ':')) ++end;
    const std::string ns = header.substr(at + 10, end - at - 10);
    if (!ns.empty() && ns != "gradgen" && !contains(namespaces, ns)) namespaces.push_back(ns);
  }
  return namespaces;
}

// The namespace whose block holds `position`: the last `namespace X {` line
// before it whose braces are still open there ("" for none).
std::string namespace_around(const std::string& header, std::size_t position) {
  std::string around;
  for (std::size_t at = header.find("namespace "); at != std::string::npos && at < position;
       at = header.find("namespace ", at + 1)) {
    if (at > 0 && header[at - 1] != '\n') continue;
    const std::size_t open = header.find('{', at);
    if (open == std::string::npos || open > position) break;
    long depth = 0;
    for (std::size_t i = open; i < position; ++i) depth += header[i] == '{' ? 1 : header[i] == '}' ? -1 : 0;
    if (depth <= 0) continue;
    std::size_t end = at + 10;
    while (end < header.size() && (identifier_char(header[end]) || header[end] == ':')) ++end;
    around = header.substr(at + 10, end - at - 10);
  }
  return around;
}

// The quoted names of `NAME_inputs{"a", "b"}`, as the header lists them.
std::vector<std::string> input_names_of(const std::string& header, const std::string& function) {
  std::vector<std::string> names;
  const std::size_t at = header.find(function + "_inputs{");
  if (at == std::string::npos) return names;
  const std::size_t end = header.find('}', at);
  for (std::size_t q = header.find('"', at); q != std::string::npos && q < end; q = header.find('"', q + 1)) {
    const std::size_t close = header.find('"', q + 1);
    if (close == std::string::npos || close > end) break;
    names.push_back(header.substr(q + 1, close - q - 1));
    q = close;
  }
  return names;
}

HeaderFacts inspect_header(const std::string& path, const std::string& header, const EmitOptions& emit) {
  const std::vector<std::string> names = declared(header, "_inputs");
  const std::vector<std::string> namespaces = namespaces_of(header);
  if (names.empty()) {
    throw FileError(fmt::format("{} declares no NAME_inputs: it is not a header gradgen wrote, nor one that "
                                "follows its contract (docs/generated-code.md)", path));
  }
  if (!contains(names, emit.function)) {
    std::string hint = fmt::format("use --name {}", names.front());
    if (emit.ns.empty() && namespaces.size() == 1) hint += " --namespace " + namespaces.front();
    throw UsageError(fmt::format("{} has no {}_inputs: this header defines {}_inputs: {}", path, emit.function,
                                 names.front(), hint));
  }
  // The namespace around NAME_inputs must be the one --namespace names.
  const std::string around = namespace_around(header, header.find(emit.function + "_inputs"));
  if (around != emit.ns) {
    throw UsageError(around.empty()
                         ? fmt::format("{} declares {}_inputs outside any namespace: leave out --namespace", path,
                                       emit.function)
                         : fmt::format("{} declares {}_inputs in namespace {}: use --namespace {}", path,
                                       emit.function, around, around));
  }
  HeaderFacts facts;
  facts.inputs = input_names_of(header, emit.function);
  return facts;
}

// The points to check at: --at's, or drawn where the program is smooth (or,
// for a header without its program, uniformly in the range).
std::vector<std::vector<double>> choose_points(const CheckArgs& a, const std::optional<Compilation>& program,
                                               const std::vector<std::string>& inputs,
                                               std::vector<std::string>& skipped) {
  if (!a.at.empty()) return {parse_point(a.at, inputs)};
  std::mt19937_64 rng(a.seed);
  if (program) {
    Samples s = sample_points(program->circuit, rng, a.points, a.sampling);
    skipped = std::move(s.skipped);
    return std::move(s.points);
  }
  std::vector<std::vector<double>> points;
  std::uniform_real_distribution<double> u(a.sampling.lo, a.sampling.hi);
  for (std::size_t p = 0; p < a.points; ++p) {
    std::vector<double> x(inputs.size());
    for (double& v : x) v = u(rng);
    points.push_back(x);
  }
  return points;
}

int run_check(const CheckArgs& a) {
  std::optional<Compilation> program;
  std::string header;
  std::string function = qualified(a.program.emit);
  Source source;
  const bool has_program = a.program.program_given || !a.program.file.empty();
  if (has_program) source = read_source(a.program);
  // --at is read before anything is compiled: a typo costs no compile.
  if (!a.at.empty()) parse_assignments(a.at);
  try {
    CompileOptions options = a.program.compile;
    std::optional<HeaderShape> shape;  // what the compilation says the header holds
    if (!a.header.empty()) {
      header = read_header(a.header);
      const HeaderFacts facts = inspect_header(a.header, header, a.program.emit);
      // Before the compile: --at's names, and the program's errors.
      if (!a.at.empty() && !facts.inputs.empty()) parse_point(a.at, facts.inputs);
      if (has_program) compile(source, options);
    } else {
      // The program's own compilation: it knows the inputs and the outputs.
      program = compile(source, options);
      if (!a.at.empty()) parse_point(a.at, program->circuit.input_names);
      EmitOptions emit = a.program.emit;
      emit.program = source.text;
      emit.version = "check";
      header = emit_header(*program, emit);
      shape = shape_of(*program, emit);
    }
    std::cerr << "gradgen check: compiling " << (a.header.empty() ? "the generated header" : a.header)
              << " ...\n";
    const runtime::LoadedGradient code = runtime::LoadedGradient::compile(header, function);
    // The kinds checked: those the compilation made, else those the header
    // offers (a hand-written one need not have NAME_jvp).
    const auto checks = [&](FunctionKind kind) { return shape ? present(kind, *shape) : code.offers(kind); };
    for (const FunctionKindInfo& kind : kFunctionKinds) {
      if (shape && kind.kind != FunctionKind::kNamedForms && checks(kind.kind) && !code.offers(kind.kind)) {
        throw FileError(fmt::format("internal error: the generated header lacks {}{}", function, kind.suffix));
      }
    }
    if (options.hessian && !code.offers(FunctionKind::kHessian)) {
      throw UsageError(fmt::format("{} has no {}_hessian to check: generate it with --hessian{}", a.header,
                                   function, code.several_outputs() ? " (one output only)" : ""));
    }
    const bool several = code.several_outputs();
    const bool hessian = checks(FunctionKind::kHessian);
    if (has_program && !program) {
      options.inputs = code.inputs();
      options.wrt = code.wrt();
      if (several) options.outputs = code.output_names();
      program = compile(source, options);
    }
    const std::vector<std::size_t> wrt = positions(code.inputs(), code.wrt());
    std::vector<std::string> skipped;
    const std::vector<std::vector<double>> points = choose_points(a, program, code.inputs(), skipped);
    const check::Tolerance tolerance =
        code.scalar_bytes() == sizeof(float) ? check::Tolerance::for_float() : check::Tolerance{};
    Findings findings(a.json, code.inputs());
    bool ok = true;
    std::size_t checked = 0;
    std::size_t skipped_entries = 0;
    if (several) {
      const JacobianCheck j = check_jacobian(code, findings, program, source, options, points, wrt, tolerance);
      ok = j.ok;
      checked = j.checked;
      skipped_entries = j.skipped;
    } else {
      const auto f = [&code](const double* x) { return code.value(x); };
      const auto g = [&code](const double* x, double* grad) { return code.gradient(x, grad); };
      const check::Report report = check::check_gradient(f, g, points, wrt, tolerance);
      findings.table("", report);
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
            findings.problem(fmt::format("disagrees with the program at --at {}:\n{}", at_text(x, code.inputs()),
                                         problems));
          }
        }
      }
      if (checks(FunctionKind::kJvp)) ok = check_forward_mode(code, findings, points) && ok;
      if (hessian) {
        const HessianCheck h = check_hessian(code, findings, points, wrt, tolerance);
        ok = ok && h.ok;
        checked += h.checked;
        skipped_entries += h.skipped;
      }
    }
    for (const std::string& s : skipped) findings.note("skipped a point: " + s + "\n");
    if (checked == 0 && !wrt.empty()) {
      ok = false;
      findings.problem("nothing could be checked: no point where the function is finite and smooth\n");
    }
    const char* what = several   ? "Jacobian "
                       : hessian ? "gradient and Hessian "
                                                : "gradient ";
    findings.summary(ok,
                     fmt::format("{}: {} {}entries checked at {}, {} skipped\n", ok ? "ok" : "MISMATCH",
                                 checked, what, points.size() == 1 ? "1 point" : fmt::format("{} points", points.size()), skipped_entries + skipped.size()),
                     checked, points.size(), skipped_entries + skipped.size());
    return ok ? 0 : 1;
  } catch (const Diagnostic& d) {
    report(source, d);
    return 1;
  } catch (const runtime::CompileError& e) {
    std::cerr << "gradgen check: " << e.what() << "\n" << e.diagnostics();
    if (!e.diagnostics().empty() && e.diagnostics().back() != '\n') std::cerr << "\n";
    return 1;
  }
}

}  // namespace

int check(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (arg == "-h" || arg == "--help") {
      std::cout << kCheckHelp;
      return 0;
    }
  }
  CheckArgs a;
  a.program.command = "gradgen check";
  std::string range;
  parse(args, a.program, [&](const std::string& option, const auto& value) {
    if (option == "--header") {
      a.header = value();
    } else if (option == "--program") {
      if (a.program.program_given) throw UsageError("give one program: --program, or the program itself");
      a.program.program = value();
      a.program.program_given = true;
    } else if (option == "--at") {
      a.at = value();
    } else if (option == "--points") {
      a.points = parse_count(value(), "--points");
    } else if (option == "--seed") {
      a.seed = parse_count(value(), "--seed");
    } else if (option == "--json") {
      a.json = true;
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
  }, /*program_required=*/false, {"--header", "--program", "--at", "--points", "--seed", "--range", "--json"});
  if (a.header.empty() && !a.program.program_given && a.program.file.empty() && !read_piped_stdin(a.program)) {
    throw UsageError("gradgen check needs a program or --header FILE (see gradgen check --help)");
  }
  return run_check(a);
}

}  // namespace gradgen::cli

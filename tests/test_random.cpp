// Random programs over the whole language (tests/support/random_program.hpp),
// with fixed seeds.
//
// Compiled: 2,500 programs, 250 per test case (one C++ compiler run each, so
// that ctest -j can run the batches side by side), 2 points per program,
// chosen by gradgen::sample_points away from domain edges and kinks. At each
// point:
//   - NAME_grad's value and gradient equal the reference evaluator's to 1e-12
//     relative (they do the same operations in the same order), and NAME,
//     the named-argument forms and NAME_jvp's value equal NAME_grad's;
//   - the gradient matches central differences of the generated NAME (1e-5
//     relative); where it does not, the header-only checker
//     (gradgen/check.hpp: Richardson extrapolation, kinks skipped) decides on
//     the reference evaluator, and after it central differences at seven
//     step sizes; a mismatch counts unless a step of a piecewise function
//     lies within the stencil or no step size gives a stable difference
//     quotient (such unverifiable points are counted: at most 1%);
//   - NAME_jvp along direction() equals <gradient, direction> to 1e-12, or
//     else the checker's derivative along the direction.
// A program with no good point is skipped and counted (at most 10%).
//
// In-process: 5,000 more programs through compile, generate_header, the
// reference evaluator and gradgen::check::check_point, to find crashes,
// hangs and wrong gradients without a C++ compiler. compile and
// generate_header run in a child process first, so that a crash or an
// endless loop fails one program instead of the whole binary.
//
// A failure prints the seed, the options, the program, the point and a
// shrunken program that still fails. Set GRADGEN_RANDOM_VERBOSE=1 to print
// per-batch statistics (skipped programs and why, rechecked gradients), and
// GRADGEN_RANDOM_SEED=N to run other programs than the fixed ones.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "compiler/check/sampling.hpp"
#include "gradgen/check.hpp"
#include "runtime/process.hpp"
#include "support/generated.hpp"
#include "support/random_program.hpp"

using gradgen::testing::close;
using gradgen::testing::RandomExpr;
using gradgen::testing::RandomProgram;
using gradgen::testing::RandomProgramOptions;

namespace {

constexpr std::uint64_t kSeed = 0x6772616467656e52ULL;  // "gradgenR"
constexpr std::size_t kCompiledBatches = 10;
constexpr std::size_t kCompiledPerBatch = 250;
constexpr std::size_t kCompiledPoints = 2;
constexpr std::size_t kInProcessParts = 2;
constexpr std::size_t kInProcessPerPart = 2500;

// Generated code and the reference evaluator do the same operations in the
// same order, so they agree to the last bit or nearly; the absolute part
// only forgives subnormal noise.
constexpr double kSameRel = 1e-12;
constexpr double kSameAbs = 1e-300;
// Central differences (h = 1e-6 |x|) of the generated forward function: a
// truncation error ~h^2 f''' and a rounding error ~1e-10 |f|; a wrong sign
// or a missing term is far larger.
constexpr double kNumericRel = 1e-5;
constexpr double kNumericAbs = 1e-7;

bool verbose() { return std::getenv("GRADGEN_RANDOM_VERBOSE") != nullptr; }

std::uint64_t mix(std::uint64_t z) {  // splitmix64
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The base seed: kSeed, or GRADGEN_RANDOM_SEED when set (to try other programs).
std::uint64_t base_seed() {
  static const std::uint64_t seed = [] {
    const char* s = std::getenv("GRADGEN_RANDOM_SEED");
    return s != nullptr ? std::strtoull(s, nullptr, 0) : kSeed;
  }();
  return seed;
}

// The seed of program k of stream s (the compiled batches are streams 0..9,
// the in-process parts 100, 101).
std::uint64_t program_seed(std::uint64_t stream, std::size_t k) { return mix(base_seed() ^ mix(stream * 1000003 + k)); }

// A few kinds of program, drawn from the program's seed.
RandomProgramOptions preset(std::mt19937_64& rng) {
  RandomProgramOptions o;
  const double r = std::uniform_real_distribution<double>(0, 1)(rng);
  if (r < 0.5) return o;  // the defaults
  if (r < 0.7) {          // deep
    o.max_inputs = 2;
    o.max_statements = 2;
    o.max_depth = 6;
  } else if (r < 0.85) {  // wide and long
    o.min_inputs = 3;
    o.min_statements = 3;
    o.max_depth = 3;
  } else {  // mostly unguarded domains, many tricky names, busy layout
    o.safe_domains = 0.2;
    o.tricky_names = 0.7;
    o.layout = 0.3;
  }
  return o;
}

using NamedPoint = std::map<std::string, double>;

struct Trial {
  std::uint64_t seed = 0;
  RandomProgramOptions options;
  RandomProgram program;
  std::string text;
  gradgen::CompileOptions compile;
  gradgen::Compilation compilation;
  std::vector<std::vector<double>> points;  // in input order
  std::vector<NamedPoint> named_points;     // the same, by name
  std::string problem;  // the pipeline threw: a failure
  std::string skipped;  // no good point: not checked
};

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

std::string describe_compile(const gradgen::CompileOptions& c) {
  std::string s;
  if (!c.inputs.empty()) s += "--inputs " + join(c.inputs) + " ";
  if (!c.wrt.empty()) s += "--wrt " + join(c.wrt);
  return s.empty() ? "(none)" : s;
}

std::string describe_point(const std::vector<std::string>& names, const std::vector<double>& x) {
  std::string s;
  for (std::size_t i = 0; i < x.size(); ++i) s += fmt::format("{}{} = {:.17g}", i ? ", " : "", names[i], x[i]);
  return s.empty() ? "(no inputs)" : s;
}

// compile + generate_header in a child process: "" when it finishes, else
// that it crashed or did not finish within `seconds` (a crash or a hang
// must fail one program, not stop the whole test binary).
std::string guarded_pipeline(const std::string& text, const gradgen::CompileOptions& options, double seconds) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return "";  // cannot isolate it: run it in-process only
  if (pid == 0) {
    for (int sig : {SIGSEGV, SIGABRT, SIGFPE, SIGILL, SIGBUS}) signal(sig, SIG_DFL);
    try {
      const gradgen::Source source{"<input>", text};
      gradgen::compile(source, options);
      gradgen::EmitOptions emit;
      gradgen::generate_header(source, options, emit);
    } catch (...) {
    }
    _exit(0);
  }
  const auto start = std::chrono::steady_clock::now();
  useconds_t nap = 20;
  int status = 0;
  for (;;) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) return "";
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > seconds) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return fmt::format("the pipeline hangs: compile + generate_header did not finish within {} s", seconds);
    }
    usleep(nap);
    nap = std::min<useconds_t>(nap * 2, 1000);
  }
  if (WIFSIGNALED(status)) {
    return fmt::format("the pipeline crashed: compile + generate_header died of signal {} ({})", WTERMSIG(status),
                       strsignal(WTERMSIG(status)));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
    return fmt::format("the pipeline crashed: compile + generate_header exited with status {}", WEXITSTATUS(status));
  }
  return "";
}

// How long compile + generate_header may take before it counts as a hang:
// a few milliseconds is normal; after a few hangs, less patience, so that a
// bug that hangs on many programs does not take the suite's whole time.
struct Patience {
  int hangs = 0;
  double seconds() const { return hangs < 3 ? 5.0 : 0.5; }
};
Patience patience;

// compile + generate_header (isolated first); "" or what went wrong.
std::string run_pipeline(const std::string& text, const gradgen::CompileOptions& options,
                         gradgen::Compilation& out, double seconds = patience.seconds()) {
  const std::string guarded = guarded_pipeline(text, options, seconds);
  if (!guarded.empty()) {
    if (guarded.find("hangs") != std::string::npos) ++patience.hangs;
    return guarded;
  }
  const gradgen::Source source{"<input>", text};
  try {
    out = gradgen::compile(source, options);
    gradgen::EmitOptions emit;
    emit.program = text;
    emit.version = "test";
    const std::string header = gradgen::generate_header(source, options, emit);
    if (header.find("_grad(") == std::string::npos) return "generate_header gave no NAME_grad function";
  } catch (const gradgen::Diagnostic& e) {
    return "the compiler rejected a generated program: " +
           gradgen::format_diagnostic(source, e);
  } catch (const std::exception& e) {
    return std::string("the pipeline threw: ") + e.what();
  }
  return "";
}

Trial make_trial(std::uint64_t seed, std::size_t points) {
  Trial t;
  t.seed = seed;
  std::mt19937_64 rng(seed);
  t.options = preset(rng);
  t.program = gradgen::testing::random_program_tree(rng, t.options);
  t.text = t.program.text();
  t.problem = run_pipeline(t.text, {}, t.compilation);
  if (!t.problem.empty()) return t;
  // Sometimes --inputs (shuffled, maybe with a spare input) or --wrt (a subset).
  std::vector<std::string> names = t.compilation.analysis.inputs;
  const double r = std::uniform_real_distribution<double>(0, 1)(rng);
  if (r < 0.15 && !names.empty()) {
    std::shuffle(names.begin(), names.end(), rng);
    if (std::uniform_real_distribution<double>(0, 1)(rng) < 0.3) {
      names.insert(names.begin() + static_cast<std::ptrdiff_t>(rng() % (names.size() + 1)), "spare");
    }
    t.compile.inputs = names;
  } else if (r < 0.3 && names.size() > 1) {
    std::shuffle(names.begin(), names.end(), rng);
    names.resize(1 + rng() % names.size());
    t.compile.wrt = names;
  }
  if (!t.compile.inputs.empty() || !t.compile.wrt.empty()) {
    t.problem = run_pipeline(t.text, t.compile, t.compilation);
    if (!t.problem.empty()) return t;
  }
  const gradgen::Samples samples = gradgen::sample_points(t.compilation.circuit, rng, points);
  if (samples.points.size() < points) {
    t.skipped = samples.skipped.empty() ? "no points" : samples.skipped.front();
    return t;
  }
  t.points = samples.points;
  for (const auto& x : t.points) {
    NamedPoint p;
    for (std::size_t i = 0; i < x.size(); ++i) p[t.compilation.circuit.input_names[i]] = x[i];
    t.named_points.push_back(p);
  }
  return t;
}

// `program` as a trial at the original's points, or nothing when it is not a
// valid program, has an input the original did not have, or (when
// `need_good_points`) one of the points is not a good point for it.
std::optional<Trial> candidate_trial(const Trial& original, const RandomProgram& program, bool need_good_points) {
  Trial t;
  t.seed = original.seed;
  t.options = original.options;
  t.program = program;
  t.text = program.text();
  if (!run_pipeline(t.text, {}, t.compilation, 1.0).empty()) return std::nullopt;
  const NamedPoint& first = original.named_points.front();
  for (const std::string& n : t.compilation.analysis.inputs) {
    if (!first.count(n)) return std::nullopt;
  }
  auto present = [&](const std::string& n) {
    const auto& in = t.compilation.analysis.inputs;
    return std::find(in.begin(), in.end(), n) != in.end();
  };
  for (const std::string& n : original.compile.inputs) {
    if (present(n) || n == "spare") t.compile.inputs.push_back(n);
  }
  for (const std::string& n : original.compile.wrt) {
    if (present(n)) t.compile.wrt.push_back(n);
  }
  if (!t.compile.inputs.empty() || !t.compile.wrt.empty()) {
    if (!run_pipeline(t.text, t.compile, t.compilation, 1.0).empty()) return std::nullopt;
  }
  for (const NamedPoint& p : original.named_points) {
    std::vector<double> x;
    for (const std::string& n : t.compilation.circuit.input_names) x.push_back(p.at(n));
    if (need_good_points && !gradgen::point_problem(t.compilation.circuit, x).empty()) return std::nullopt;
    t.points.push_back(x);
    t.named_points.push_back(p);
  }
  return t;
}

std::vector<std::size_t> wrt_positions(const gradgen::Compilation& c) {
  std::vector<std::size_t> wrt;
  for (std::int32_t i : c.wrt) wrt.push_back(static_cast<std::size_t>(i));
  return wrt;
}

// Which piece of each piecewise gate the circuit is on at x: the values of
// floor, ceil, round, trunc, sign and the conditions, the side of abs and
// relu, the operand max and min pick, fmod's quotient.
std::vector<double> pieces(const gradgen::Circuit& c, const std::vector<double>& x) {
  using gradgen::Op;
  const std::vector<double> v = gradgen::forward_values(c.graph, x, c.output);
  std::vector<double> out;
  for (gradgen::NodeId id = 0; id <= c.output; ++id) {
    const gradgen::Node& n = c.graph[id];
    const double a = n.arity() > 0 ? v[static_cast<std::size_t>(n.args[0])] : 0.0;
    const double b = n.arity() > 1 ? v[static_cast<std::size_t>(n.args[1])] : 0.0;
    switch (n.op) {
      case Op::kFloor: case Op::kCeil: case Op::kRound: case Op::kTrunc: case Op::kSign:
      case Op::kLt: case Op::kLe: case Op::kGt: case Op::kGe: case Op::kEq: case Op::kNe:
        out.push_back(v[static_cast<std::size_t>(id)]);
        break;
      case Op::kAbs: case Op::kRelu: out.push_back(a > 0 ? 1 : a < 0 ? -1 : 0); break;
      case Op::kMax: case Op::kMin: out.push_back(a > b ? 1 : a < b ? -1 : 0); break;
      case Op::kFmod: out.push_back(std::trunc(a / b)); break;
      default: break;
    }
  }
  return out;
}

bool same_pieces(const std::vector<double>& a, const std::vector<double>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](double p, double q) { return p == q || (std::isnan(p) && std::isnan(q)); });
}

// True when moving input i by +-h puts a piecewise gate on another piece: a
// step or a kink lies inside the difference stencil, so no difference
// quotient says anything about the derivative at x. (The sampler keeps
// points 1e-3 away from steps in each gate's own argument; an argument that
// moves 1e11 times faster than the input still crosses many.)
bool steps_within(const gradgen::Circuit& c, const std::vector<double>& x, std::size_t i, double h) {
  const std::vector<double> here = pieces(c, x);
  for (double s : {h, -h}) {
    std::vector<double> y = x;
    y[i] += s;
    if (!same_pieces(pieces(c, y), here)) return true;
  }
  return false;
}

// The last opinion, where the checker disagrees with an analytic derivative
// `a`: central differences of f along input i at seven steps from 1e-3 to
// 1e-6 (times the input's scale). Where three neighbouring steps agree (to
// the checker's tolerance), that is the numerical derivative, and `a` must
// agree with it. Where no three do, truncation (huge curvature: sin(x^2)
// at x = 116) or rounding (cos(x - 1e8), hypot(x, 1e6)) dominates at every
// step: central differences cannot judge this input here.
enum class Sweep { kAgrees, kDisagrees, kUnstable };

template <class F>
Sweep sweep(F& f, const std::vector<double>& x, std::size_t i, double a, double fx) {
  const gradgen::check::Tolerance tolerance;
  auto agree = [&](double p, double q) {
    return std::fabs(p - q) <= tolerance.relative * std::max(std::fabs(p), std::fabs(q)) +
                                   tolerance.absolute * std::max(1.0, std::fabs(fx));
  };
  const double scale = std::max(1.0, std::fabs(x[i]));
  std::vector<double> d;
  for (double h : {1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6}) {
    std::vector<double> up = x;
    std::vector<double> down = x;
    up[i] += h * scale;
    down[i] -= h * scale;
    d.push_back((f(up.data()) - f(down.data())) / (up[i] - down[i]));
  }
  for (std::size_t k = 0; k + 2 < d.size(); ++k) {
    if (std::isfinite(d[k + 1]) && agree(d[k], d[k + 1]) && agree(d[k + 1], d[k + 2])) {
      return agree(a, d[k + 1]) ? Sweep::kAgrees : Sweep::kDisagrees;
    }
  }
  return Sweep::kUnstable;
}

struct Verdict {
  std::string failure;        // "" when the checker agrees or cannot judge
  bool rechecked = false;     // the checker agreed
  bool unverifiable = false;  // steps inside the stencil: no numerical verdict possible
};

// The checker's verdict on the gradient `grad` (value `value`) at x, with the
// reference evaluator as the function. Inputs the checker skips (kinks, not
// finite) pass, and so do mismatches where steps_within() says the
// difference quotients cannot be trusted.
Verdict recheck(const Trial& t, const std::vector<double>& x, double value, const std::vector<double>& grad) {
  const gradgen::Compilation& c = t.compilation;
  auto f = [&](const double* in) {
    return gradgen::testing::reference(c, std::vector<double>(in, in + x.size())).value;
  };
  auto g = [&](const double*, double* out) {
    std::copy(grad.begin(), grad.end(), out);
    return value;
  };
  gradgen::check::PointResult r = gradgen::check::check_point(f, g, x, wrt_positions(c));
  Verdict verdict;
  if (r.ok()) {
    verdict.rechecked = true;
    return verdict;
  }
  for (gradgen::check::InputResult& in : r.inputs) {
    if (in.ok || in.skipped) continue;
    if (steps_within(c.circuit, x, in.input, 6e-6 * std::max(1.0, std::fabs(x[in.input])))) {
      in.skipped = true;
      in.note = "a step of a piecewise function lies within the difference stencil";
      verdict.unverifiable = true;
      continue;
    }
    switch (sweep(f, x, in.input, in.analytic, r.value)) {
      case Sweep::kAgrees: in.ok = true; break;
      case Sweep::kDisagrees: in.note = "central differences at several steps agree with each other, not with it"; break;
      case Sweep::kUnstable:
        in.skipped = true;
        in.note = "central differences at steps 1e-3 to 1e-6 do not settle (curvature or rounding)";
        verdict.unverifiable = true;
        break;
    }
  }
  if (r.ok()) {
    verdict.rechecked = !verdict.unverifiable;
    return verdict;
  }
  gradgen::check::Report report;
  report.points.push_back(r);
  verdict.failure = "gradgen::check::check_point, on the reference evaluator, also disagrees:\n" +
                    report.table(c.circuit.input_names);
  return verdict;
}

// The checker's verdict on NAME_jvp's `jvp` as the derivative of
// t -> f(x + t v) at 0 (v: direction() over the gradient's inputs), with the
// reference evaluator as f; "" when it passes or skips.
std::string recheck_jvp(const Trial& t, const std::vector<double>& x, double value, double jvp) {
  const gradgen::Compilation& c = t.compilation;
  std::vector<double> v(x.size(), 0.0);
  for (std::size_t j = 0; j < c.wrt.size(); ++j) v[static_cast<std::size_t>(c.wrt[j])] = gradgen::testing::direction(j);
  auto f = [&](const double* s) {
    std::vector<double> y = x;
    for (std::size_t i = 0; i < y.size(); ++i) y[i] += s[0] * v[i];
    return gradgen::testing::reference(c, y).value;
  };
  auto g = [&](const double*, double* out) {
    out[0] = jvp;
    return value;
  };
  gradgen::check::PointResult r = gradgen::check::check_point(f, g, {0.0});
  if (r.ok()) return "";
  std::vector<double> origin{0.0};
  gradgen::check::InputResult& in = r.inputs.front();
  if (in.skipped || sweep(f, origin, 0, jvp, r.value) != Sweep::kDisagrees) return "";
  gradgen::check::Report report;
  report.points.push_back(r);
  return "gradgen::check::check_point, on the reference evaluator along the direction, also disagrees:\n" +
         report.table({"t"});
}

struct Stats {
  std::size_t programs = 0;
  std::size_t skipped = 0;
  std::size_t rechecked = 0;     // points where central differences disagreed and the checker agreed
  std::size_t unverifiable = 0;  // ... where no numerical derivative could judge (steps, curvature, rounding)
  std::map<std::string, std::size_t> skip_reasons;

  void skip(const std::string& why) {
    ++skipped;
    std::string reason = why;
    const std::size_t at = reason.find("(last: ");
    if (at != std::string::npos) reason = reason.substr(at + 7, reason.size() - at - 8);
    ++skip_reasons[reason];
  }
  void print(const std::string& what) const {
    if (!verbose()) return;
    std::fprintf(stderr, "%s: %zu programs, %zu skipped (%.1f%%), %zu points rechecked, %zu unverifiable\n",
                 what.c_str(), programs, skipped, 100.0 * static_cast<double>(skipped) / static_cast<double>(programs),
                 rechecked, unverifiable);
    for (const auto& [reason, n] : skip_reasons) std::fprintf(stderr, "  %5zu  %s\n", n, reason.c_str());
  }
};

// "" when the generated code's results at every point are right.
std::string judge(const Trial& t, const gradgen::testing::CaseResult& results, Stats* stats = nullptr) {
  const gradgen::Compilation& c = t.compilation;
  const std::vector<std::string>& names = c.circuit.input_names;
  if (results.size() != t.points.size()) {
    return fmt::format("the generated program printed {} results for {} points", results.size(), t.points.size());
  }
  std::string out;
  for (std::size_t p = 0; p < t.points.size(); ++p) {
    const std::vector<double>& x = t.points[p];
    const gradgen::testing::PointResult& r = results[p];
    const gradgen::Evaluation ref = gradgen::testing::reference(c, x);
    std::string here;
    if (!close(r.value, ref.value, kSameRel, kSameAbs)) {
      here += fmt::format("  value: generated {:.17g}, reference {:.17g}\n", r.value, ref.value);
    }
    if (!close(r.forward, r.value, kSameRel, kSameAbs) || !close(r.named, r.value, kSameRel, kSameAbs)) {
      here += fmt::format("  value: NAME_grad {:.17g}, NAME {:.17g}, named-argument NAME {:.17g}\n", r.value,
                          r.forward, r.named);
    }
    if (r.grad.size() != ref.gradient.size()) {
      here += fmt::format("  the gradient has {} entries, the reference {}\n", r.grad.size(), ref.gradient.size());
      out += "at " + describe_point(names, x) + ":\n" + here;
      continue;
    }
    bool numeric_disagrees = false;
    for (std::size_t j = 0; j < r.grad.size(); ++j) {
      const std::string& name = names[static_cast<std::size_t>(c.wrt[j])];
      if (!close(r.grad[j], ref.gradient[j], kSameRel, kSameAbs)) {
        here += fmt::format("  d/d{}: generated {:.17g}, reference {:.17g}\n", name, r.grad[j], ref.gradient[j]);
      }
      if (!close(r.named_grad[j], r.grad[j], kSameRel, kSameAbs)) {
        here += fmt::format("  d/d{}: array NAME_grad {:.17g}, named-argument NAME_grad {:.17g}\n", name, r.grad[j],
                            r.named_grad[j]);
      }
      if (!close(r.grad[j], r.numeric[j], kNumericRel, kNumericAbs * std::max(1.0, std::fabs(r.value)))) {
        numeric_disagrees = true;
      }
    }
    // Forward mode: NAME_jvp along direction() is <gradient, direction>, up
    // to the rounding of sums taken in another order. Where the gradient is
    // itself the result of cancellation (atan2(2*x, x)) or subnormal, the
    // two modes round differently: then the checker decides.
    double scale = 0.0;
    for (std::size_t j = 0; j < r.grad.size(); ++j) scale += std::fabs(r.grad[j] * gradgen::testing::direction(j));
    const double directional = gradgen::testing::directional(r.grad);
    if (!close(r.jvp_value, r.value, kSameRel, kSameAbs)) {
      here += fmt::format("  NAME_jvp's value {:.17g}, NAME_grad's {:.17g}\n", r.jvp_value, r.value);
    }
    if (!close(r.jvp, directional, kSameRel, kSameRel * scale + kSameAbs)) {
      const std::string verdict = recheck_jvp(t, x, r.value, r.jvp);
      if (!verdict.empty()) {
        here += fmt::format("  NAME_jvp: {:.17g}, <gradient, direction>: {:.17g}\n{}", r.jvp, directional, verdict);
      }
    }
    if (numeric_disagrees) {
      const Verdict verdict = recheck(t, x, r.value, r.grad);
      if (stats) {
        stats->rechecked += verdict.rechecked ? 1 : 0;
        stats->unverifiable += verdict.unverifiable ? 1 : 0;
      }
      if (!verdict.failure.empty()) {
        for (std::size_t j = 0; j < r.grad.size(); ++j) {
          here += fmt::format("  d/d{}: generated {:.17g}, central differences {:.17g}\n",
                              names[static_cast<std::size_t>(c.wrt[j])], r.grad[j], r.numeric[j]);
        }
        here += verdict.failure;
      }
    }
    if (!here.empty()) out += "at " + describe_point(names, x) + ":\n" + here;
  }
  return out;
}

std::vector<gradgen::testing::CodeCase> code_cases(const std::vector<const Trial*>& trials) {
  std::vector<gradgen::testing::CodeCase> cases;
  for (const Trial* t : trials) {
    gradgen::testing::CodeCase c;
    c.program = t->text;
    c.compile = t->compile;
    c.points = t->points;
    cases.push_back(c);
  }
  return cases;
}

// run_generated, split in halves (at most `budget` more compiler runs) when
// some program's code does not compile or run: the results, and the error of
// each program that failed alone.
struct Outcome {
  std::vector<std::optional<gradgen::testing::CaseResult>> results;
  std::map<std::size_t, std::string> errors;
};

void run_range(const std::vector<gradgen::testing::CodeCase>& cases, std::size_t from, std::size_t to,
               Outcome& out, int& budget) {
  const std::vector<gradgen::testing::CodeCase> some(cases.begin() + static_cast<std::ptrdiff_t>(from),
                                                     cases.begin() + static_cast<std::ptrdiff_t>(to));
  try {
    const auto results = gradgen::testing::run_generated(some, gradgen::runtime::system_compiler());
    for (std::size_t i = 0; i < results.size(); ++i) out.results[from + i] = results[i];
  } catch (const std::exception& e) {
    if (to - from == 1 || budget <= 0) {
      for (std::size_t i = from; i < to; ++i) {
        out.errors[i] = to - from == 1 ? e.what() : std::string("(with others) ") + e.what();
      }
      return;
    }
    budget -= 2;
    const std::size_t mid = from + (to - from) / 2;
    run_range(cases, from, mid, out, budget);
    run_range(cases, mid, to, out, budget);
  }
}

Outcome run_all(const std::vector<gradgen::testing::CodeCase>& cases, int budget) {
  Outcome out;
  out.results.resize(cases.size());
  if (!cases.empty()) run_range(cases, 0, cases.size(), out, budget);
  return out;
}

std::string truncated(const std::string& s, std::size_t n = 4000) {
  return s.size() <= n ? s : s.substr(0, n) + "\n[...]";
}

// A program as printed in a failure: carriage returns shown as \r.
std::string shown(const std::string& text) {
  std::string out;
  for (char ch : text) out += ch == '\r' ? std::string("\\r") : std::string(1, ch);
  return out;
}

std::string describe_trial(const Trial& t) {
  std::string s = fmt::format("seed {:#x}\ngenerator options: {}\ncompile options: {}\nprogram:\n{}\n", t.seed,
                              t.options.describe(), describe_compile(t.compile), shown(t.text));
  for (const auto& x : t.points) s += "point: " + describe_point(t.compilation.circuit.input_names, x) + "\n";
  return s;
}

std::string describe_minimised(const Trial& t, const std::string& failure) {
  return fmt::format("minimised program:\n{}\ncompile options: {}\n{}", shown(t.text), describe_compile(t.compile),
                     truncated(failure));
}

// The names a program reads (its inputs and the names it assigns), for shrinking.
void read_names(const RandomExpr& e, std::set<std::string>& out) {
  if (e.kind == RandomExpr::Kind::kName && e.text != "pi" && e.text.rfind("Math.", 0) != 0) out.insert(e.text);
  for (const RandomExpr& a : e.args) read_names(a, out);
}

std::vector<std::string> input_names(const Trial& t) {
  std::set<std::string> names;
  std::set<std::string> assigned;
  for (const auto& s : t.program.statements) {
    read_names(s.value, names);
    assigned.insert(s.target);
  }
  std::vector<std::string> out;
  for (const std::string& n : names) {
    if (!assigned.count(n)) out.push_back(n);
  }
  return out;
}

// What a smaller program must show too to count as the same pipeline failure.
std::string problem_kind(const std::string& problem) {
  for (const char* kind : {"the pipeline hangs", "the pipeline crashed", "the pipeline threw", "generate_header gave"}) {
    if (problem.rfind(kind, 0) == 0) return kind;
  }
  return "";
}

// The smallest program, found within `seconds`, on which compile +
// generate_header still crash, hang or throw (without --inputs and --wrt).
std::string minimise_pipeline_failure(const Trial& t, double seconds) {
  const std::string kind = problem_kind(t.problem);
  gradgen::Compilation c;
  if (kind.empty() || run_pipeline(t.text, {}, c, 1.0).rfind(kind, 0) != 0) return "";
  auto first_failing = [&](const std::vector<RandomProgram>& candidates) -> std::ptrdiff_t {
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      gradgen::Compilation cc;
      if (run_pipeline(candidates[i].text(), {}, cc, 1.0).rfind(kind, 0) == 0) return static_cast<std::ptrdiff_t>(i);
    }
    return -1;
  };
  const RandomProgram small = gradgen::testing::minimise(t.program, input_names(t), first_failing, seconds);
  const std::string text = small.text();
  return fmt::format("minimised program (no options):\n{}\n{}", shown(text), run_pipeline(text, {}, c, 1.0));
}

// Reports failing programs: the first few in full (some minimised), the
// rest only counted.
class Failures {
 public:
  // Stop a test case after this many programs that hang: each costs a timeout.
  bool too_many_hangs() const { return hangs_ >= 20; }

  void report(const Trial& t, const std::string& failure, const std::function<std::string()>& minimise = {}) {
    if (failure.rfind("the pipeline hangs", 0) == 0) ++hangs_;
    if (shown_ >= 10) {
      ++hidden_;
      return;
    }
    ++shown_;
    std::string small;
    if (minimise && minimised_ < 2) {
      ++minimised_;
      small = minimise();
    }
    INFO(describe_trial(t));
    INFO(small);
    FAIL_CHECK(failure);
  }
  void finish() {
    if (hidden_ > 0) FAIL_CHECK(hidden_ << " more failing programs not shown");
    if (too_many_hangs()) FAIL_CHECK("stopped early: " << hangs_ << " programs hang in compile + generate_header");
  }

 private:
  int shown_ = 0;
  int hidden_ = 0;
  int hangs_ = 0;
  int minimised_ = 0;
};

// The smallest program, found within `seconds`, whose generated code still
// does not compile or run.
std::string minimise_build_failure(const Trial& t, double seconds) {
  std::string last_error;
  auto first_failing = [&](const std::vector<RandomProgram>& candidates) -> std::ptrdiff_t {
    std::vector<Trial> trials;
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (auto c = candidate_trial(t, candidates[i], false)) {
        trials.push_back(*c);
        index.push_back(i);
      }
    }
    std::vector<const Trial*> ptrs;
    for (const Trial& c : trials) ptrs.push_back(&c);
    const auto cases = code_cases(ptrs);
    // Bisect for one that fails on its own, first half first.
    std::size_t from = 0;
    std::size_t to = cases.size();
    bool failed = false;
    while (to > from) {
      const std::vector<gradgen::testing::CodeCase> some(cases.begin() + static_cast<std::ptrdiff_t>(from),
                                                         cases.begin() + static_cast<std::ptrdiff_t>(to));
      try {
        gradgen::testing::run_generated(some, gradgen::runtime::system_compiler());
        if (!failed) return -1;
        // The first half passed: the failure is in the second one.
        const std::size_t width = to - from;
        from = to;
        to = std::min(cases.size(), to + width);
        if (from >= to) return -1;
        continue;
      } catch (const std::exception& e) {
        failed = true;
        last_error = e.what();
        if (to - from == 1) return static_cast<std::ptrdiff_t>(index[from]);
        to = from + (to - from) / 2;
      }
    }
    return -1;
  };
  const RandomProgram small = gradgen::testing::minimise(t.program, input_names(t), first_failing, seconds);
  auto m = candidate_trial(t, small, false);
  if (!m) return "";
  try {
    gradgen::testing::run_generated(code_cases({&*m}), gradgen::runtime::system_compiler());
    return "";
  } catch (const std::exception& e) {
    return describe_minimised(*m, e.what());
  }
}

// The smallest program, found within `seconds`, whose generated code still
// computes a wrong value or gradient at the trial's points.
std::string minimise_wrong_result(const Trial& t, double seconds) {
  auto first_failing = [&](const std::vector<RandomProgram>& candidates) -> std::ptrdiff_t {
    std::vector<Trial> trials;
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (auto c = candidate_trial(t, candidates[i], true)) {
        trials.push_back(*c);
        index.push_back(i);
      }
    }
    std::vector<const Trial*> ptrs;
    for (const Trial& c : trials) ptrs.push_back(&c);
    const Outcome outcome = run_all(code_cases(ptrs), 4);
    for (std::size_t i = 0; i < trials.size(); ++i) {
      if (outcome.results[i] && !judge(trials[i], *outcome.results[i]).empty()) {
        return static_cast<std::ptrdiff_t>(index[i]);
      }
    }
    return -1;
  };
  const RandomProgram small = gradgen::testing::minimise(t.program, input_names(t), first_failing, seconds);
  auto m = candidate_trial(t, small, true);
  if (!m) return "";
  const Outcome outcome = run_all(code_cases({&*m}), 0);
  if (!outcome.results[0]) return "";
  return describe_minimised(*m, judge(*m, *outcome.results[0]));
}

void run_compiled_batch(std::size_t batch) {
  Stats stats;
  Failures failures;
  std::vector<Trial> trials;
  for (std::size_t k = 0; k < kCompiledPerBatch; ++k) {
    trials.push_back(make_trial(program_seed(batch, k), kCompiledPoints));
    const Trial& t = trials.back();
    ++stats.programs;
    if (!t.problem.empty()) {
      failures.report(t, t.problem, [&] { return minimise_pipeline_failure(t, 10); });
    } else if (!t.skipped.empty()) {
      stats.skip(t.skipped);
    }
    if (failures.too_many_hangs()) {
      failures.finish();
      return;
    }
  }
  std::vector<const Trial*> runnable;
  for (const Trial& t : trials) {
    if (t.problem.empty() && t.skipped.empty()) runnable.push_back(&t);
  }
  const Outcome outcome = run_all(code_cases(runnable), 40);
  for (std::size_t i = 0; i < runnable.size(); ++i) {
    const Trial& t = *runnable[i];
    if (outcome.errors.count(i)) {
      const std::string& error = outcome.errors.at(i);
      const bool alone = error.rfind("(with others)", 0) != 0;
      failures.report(t, "the generated code did not compile or run:\n" + truncated(error),
                      alone ? std::function<std::string()>([&] { return minimise_build_failure(t, 90); })
                            : std::function<std::string()>());
    } else if (!outcome.results[i]) {
      failures.report(t, "no result");
    } else {
      const std::string failure = judge(t, *outcome.results[i], &stats);
      if (!failure.empty()) failures.report(t, failure, [&] { return minimise_wrong_result(t, 60); });
    }
  }
  failures.finish();
  stats.print(fmt::format("compiled batch {}", batch + 1));
  INFO(stats.skipped << " of " << stats.programs << " programs had no good point");
  CHECK(stats.skipped * 10 < stats.programs);
  // Unverifiable points pass; there must be few, or they could hide a bug.
  INFO(stats.unverifiable << " points could not be judged numerically");
  CHECK(stats.unverifiable * 100 <= stats.programs);
}

// In-process: the reference gradient against the checker at every point.
std::string check_in_process(const Trial& t, Stats* stats = nullptr) {
  const gradgen::Compilation& c = t.compilation;
  std::string out;
  for (const auto& x : t.points) {
    const gradgen::Evaluation ref = gradgen::testing::reference(c, x);
    std::string here;
    if (!std::isfinite(ref.value)) here += fmt::format("  the value {} is not finite at a good point\n", ref.value);
    for (std::size_t j = 0; j < ref.gradient.size(); ++j) {
      if (!std::isfinite(ref.gradient[j])) {
        here += fmt::format("  d/d{} = {} is not finite at a good point\n",
                            c.circuit.input_names[static_cast<std::size_t>(c.wrt[j])], ref.gradient[j]);
      }
    }
    if (here.empty()) {
      const Verdict verdict = recheck(t, x, ref.value, ref.gradient);
      if (stats) stats->unverifiable += verdict.unverifiable ? 1 : 0;
      here = verdict.failure;
    }
    if (!here.empty()) out += "at " + describe_point(c.circuit.input_names, x) + ":\n" + here;
  }
  return out;
}

std::string minimise_in_process(const Trial& t, double seconds) {
  auto first_failing = [&](const std::vector<RandomProgram>& candidates) -> std::ptrdiff_t {
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      auto c = candidate_trial(t, candidates[i], true);
      if (c && !check_in_process(*c).empty()) return static_cast<std::ptrdiff_t>(i);
    }
    return -1;
  };
  const RandomProgram small = gradgen::testing::minimise(t.program, input_names(t), first_failing, seconds);
  auto m = candidate_trial(t, small, true);
  return m ? describe_minimised(*m, check_in_process(*m)) : "";
}

void run_in_process_part(std::size_t part) {
  Stats stats;
  Failures failures;
  for (std::size_t k = 0; k < kInProcessPerPart; ++k) {
    const Trial t = make_trial(program_seed(100 + part, k), 1);
    ++stats.programs;
    if (!t.problem.empty()) {
      failures.report(t, t.problem, [&] { return minimise_pipeline_failure(t, 10); });
    } else if (!t.skipped.empty()) {
      stats.skip(t.skipped);
    } else {
      const std::string failure = check_in_process(t, &stats);
      if (!failure.empty()) failures.report(t, failure, [&] { return minimise_in_process(t, 10); });
    }
    if (failures.too_many_hangs()) break;
  }
  failures.finish();
  stats.print(fmt::format("in-process part {}", part + 1));
  INFO(stats.skipped << " of " << stats.programs << " programs had no good point");
  CHECK(stats.skipped * 10 < stats.programs);
  // Unverifiable points pass; there must be few, or they could hide a bug.
  INFO(stats.unverifiable << " points could not be judged numerically");
  CHECK(stats.unverifiable * 100 <= stats.programs);
}

// True when `e` reads a variable (not pi, Math.PI or Math.E).
bool reads_a_name(const RandomExpr& e) {
  if (e.kind == RandomExpr::Kind::kName) return e.text != "pi" && e.text.rfind("Math.", 0) != 0;
  return std::any_of(e.args.begin(), e.args.end(), reads_a_name);
}

// What a program uses, for the coverage test.
void features(const RandomExpr& e, std::set<std::string>& out) {
  using K = RandomExpr::Kind;
  switch (e.kind) {
    case K::kName: out.insert(e.text); break;
    case K::kNumber: break;
    case K::kCall: {
      out.insert(e.text);
      const std::string plain = e.text.rfind("Math.", 0) == 0 ? e.text.substr(5) : e.text;
      out.insert(fmt::format("{}/{}", plain, e.args.size()));
      break;
    }
    case K::kUnary: out.insert("unary " + e.text); break;
    case K::kConditional:
      out.insert("?:");
      if (e.args[1].kind == K::kConditional || e.args[2].kind == K::kConditional) out.insert("nested ?:");
      break;
    default: out.insert(e.text); break;
  }
  if (e.kind == K::kPower || (e.kind == K::kCall && (e.text == "pow" || e.text == "Math.pow"))) {
    out.insert(reads_a_name(e.args[1]) ? "variable exponent" : "constant exponent");
  }
  for (const RandomExpr& a : e.args) features(a, out);
}

}  // namespace

TEST_CASE("random programs compiled and run: batch 1 of 10", "[random][compile]") { run_compiled_batch(0); }
TEST_CASE("random programs compiled and run: batch 2 of 10", "[random][compile]") { run_compiled_batch(1); }
TEST_CASE("random programs compiled and run: batch 3 of 10", "[random][compile]") { run_compiled_batch(2); }
TEST_CASE("random programs compiled and run: batch 4 of 10", "[random][compile]") { run_compiled_batch(3); }
TEST_CASE("random programs compiled and run: batch 5 of 10", "[random][compile]") { run_compiled_batch(4); }
TEST_CASE("random programs compiled and run: batch 6 of 10", "[random][compile]") { run_compiled_batch(5); }
TEST_CASE("random programs compiled and run: batch 7 of 10", "[random][compile]") { run_compiled_batch(6); }
TEST_CASE("random programs compiled and run: batch 8 of 10", "[random][compile]") { run_compiled_batch(7); }
TEST_CASE("random programs compiled and run: batch 9 of 10", "[random][compile]") { run_compiled_batch(8); }
TEST_CASE("random programs compiled and run: batch 10 of 10", "[random][compile]") { run_compiled_batch(9); }

TEST_CASE("random programs through the pipeline in-process: part 1 of 2", "[random]") { run_in_process_part(0); }
TEST_CASE("random programs through the pipeline in-process: part 2 of 2", "[random]") { run_in_process_part(1); }

TEST_CASE("the random programs use every operator and function and statement form", "[random]") {
  std::set<std::string> seen;
  std::set<std::string> names;
  for (std::size_t batch = 0; batch < kCompiledBatches; ++batch) {
    for (std::size_t k = 0; k < kCompiledPerBatch; ++k) {
      std::mt19937_64 rng(program_seed(batch, k));
      const RandomProgramOptions options = preset(rng);
      const RandomProgram p = gradgen::testing::random_program_tree(rng, options);
      const std::string text = p.text();
      if (text.find("\r\n") != std::string::npos) seen.insert("CRLF");
      if (text.find("//") != std::string::npos) seen.insert("// comment");
      if (text.find("/*") != std::string::npos) seen.insert("/* comment */");
      std::set<std::string> assigned;
      for (const auto& s : p.statements) {
        features(s.value, seen);
        if (!s.declaration.empty()) seen.insert(s.declaration);
        if (s.end.find(';') != std::string::npos) seen.insert(";");
        if (s.end.find('\n') != std::string::npos) seen.insert("newline");
        if (!s.target.empty()) {
          seen.insert("assign " + s.op);
          if (s.op == "=" && !assigned.insert(s.target).second) seen.insert("reassignment");
        }
        if (s.target.empty()) seen.insert("bare expression");
      }
      gradgen::Compilation c;
      REQUIRE(run_pipeline(text, {}, c) == "");
      names.insert(c.analysis.inputs.begin(), c.analysis.inputs.end());
      seen.insert(fmt::format("{} inputs", c.analysis.inputs.size()));
      seen.insert(fmt::format("{} statements", p.statements.size()));
    }
  }
  std::vector<std::string> wanted{
      "+", "-", "*", "/", "^", "**", "unary -", "unary +", "!", "<", "<=", ">", ">=", "==", "!=", "===", "!==",
      "&&", "||", "?:", "nested ?:", "pi", "Math.PI", "Math.E", "constant exponent", "variable exponent",
      "assign =", "assign +=", "assign -=", "assign *=", "assign /=", "reassignment", "bare expression",
      "var ", "let ", "const ", ";", "newline", "CRLF", "// comment", "/* comment */", "hypot/2", "hypot/3",
      "max/2", "max/3", "max/4", "min/2", "min/3", "min/4", "sig", "Math.sig", "1 inputs", "4 inputs",
      "1 statements", "5 statements"};
  // Every function of the language (the op table's), in both spellings.
  for (const gradgen::Builtin& f : gradgen::builtins()) {
    wanted.push_back(std::string(f.name));
    wanted.push_back("Math." + std::string(f.name));
  }
  for (const std::string& w : wanted) {
    INFO("never generated: " << w);
    CHECK(seen.count(w) == 1);
  }
  for (const char* n : {"new", "int", "and", "NAN", "EOF", "std", "in", "grad", "f_grad", "dx", "x1", "e"}) {
    INFO("never an input: " << n);
    CHECK(names.count(n) == 1);
  }
}

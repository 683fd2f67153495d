// gradgen's benchmarks: one command (bench/run.sh) prints one table.
//
// 1. The suite (suite.hpp): per program, ns per forward call, per value and
//    gradient call, their ratio, the ratio to the hand-written ninja gradient
//    (the guide's examples), to central differences, the batched gradient's
//    time per point, and Eigen's forward-mode dual numbers (when built with
//    Eigen): their ns per call and gradgen's time over theirs. Medians of
//    interleaved repetitions (Google Benchmark's random interleaving); every
//    figure that matters is a ratio measured in the same run.
// 2. gradgen itself on generated programs of 10^3 ... 10^6 gates: time and
//    peak memory of the whole process, and the time per gate relative to
//    the smallest, which is flat when growth is linear.
// 3. `g++ -O2` time of emitted headers: a translation unit calling NAME_grad
//    against one calling only NAME (the forward pass).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/process.hpp"
#include "suite.hpp"

namespace {

constexpr std::size_t kBatch = 1024;

void forward(benchmark::State& state, const bench::Program* p) {
  std::vector<double> x = p->point;
  for (auto _ : state) {
    benchmark::DoNotOptimize(x.data());
    benchmark::DoNotOptimize(p->value(x.data()));
  }
}

void gradient(benchmark::State& state, const bench::Program* p, double (*fn)(const double*, double*)) {
  std::vector<double> x = p->point;
  std::vector<double> g(p->wrt + 1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(x.data());
    benchmark::DoNotOptimize(fn(x.data(), g.data()));
    benchmark::ClobberMemory();
  }
}

// Central differences in every input (what one pays without gradients).
void central(benchmark::State& state, const bench::Program* p) {
  std::vector<double> x = p->point;
  std::vector<double> g(p->inputs);
  for (auto _ : state) {
    for (std::size_t i = 0; i < p->inputs; ++i) {
      const double xi = x[i];
      const double h = 1e-6 * (std::fabs(xi) > 1 ? std::fabs(xi) : 1.0);
      x[i] = xi + h;
      const double up = p->value(x.data());
      x[i] = xi - h;
      const double down = p->value(x.data());
      x[i] = xi;
      g[i] = (up - down) / (2 * h);
    }
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}

void batch(benchmark::State& state, const bench::Program* p) {
  std::vector<double> in(p->inputs * kBatch);
  for (std::size_t i = 0; i < p->inputs; ++i) {
    for (std::size_t k = 0; k < kBatch; ++k) in[i * kBatch + k] = p->point[i] * (1.0 + 1e-3 * static_cast<double>(k % 7));
  }
  std::vector<double> out(kBatch), grad(p->wrt * kBatch + 1);
  for (auto _ : state) {
    p->grad_batch(kBatch, in.data(), out.data(), grad.data());
    benchmark::DoNotOptimize(grad.data());
    benchmark::ClobberMemory();
  }
}

// Collects the median real time of each benchmark, in ns per iteration.
class Collector : public benchmark::ConsoleReporter {
 public:
  std::map<std::string, double> median;
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median") {
        median[r.run_name.function_name] = r.GetAdjustedRealTime();
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
};

// The dual-number peer must compute what gradgen's gradient computes: the
// same value and gradient at the bench's point, each number to a relative
// 1e-12, or the bench stops before timing anything.
void check_duals() {
  for (const bench::Program& p : bench::programs()) {
    if (p.dual == nullptr) continue;
    std::vector<double> expected(p.wrt + 1), got(p.wrt + 1);
    expected[p.wrt] = p.grad(p.point.data(), expected.data());
    got[p.wrt] = p.dual(p.point.data(), got.data());
    for (std::size_t j = 0; j <= p.wrt; ++j) {
      const double scale = std::max(std::fabs(expected[j]), std::fabs(got[j]));
      if (!(std::fabs(expected[j] - got[j]) <= 1e-12 * scale)) {
        std::fprintf(stderr, "gradgen_bench: Eigen's dual numbers disagree with gradgen on %s: %s is %.17g, not %.17g\n",
                     p.name.c_str(), j == p.wrt ? "the value" : ("grad[" + std::to_string(j) + "]").c_str(),
                     got[j], expected[j]);
        std::exit(1);
      }
    }
  }
}

std::string ratio(double a, double b) {
  if (!(a > 0) || !(b > 0)) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", a / b);
  return text;
}

void suite_table(const std::map<std::string, double>& t) {
  std::printf("\n## The suite (ns per call; ratios from the same run)\n\n");
  std::printf("| program | inputs | forward ns | value+grad ns | grad/forward | vs ninja | central diff / grad | batched ns/point | batched vs single | dual numbers ns | vs dual numbers |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const bench::Program& p : bench::programs()) {
    const auto get = [&](const std::string& kind) {
      const auto it = t.find(kind + "/" + p.name);
      return it == t.end() ? 0.0 : it->second;
    };
    const double f = get("forward"), g = get("grad"), n = get("ninja"), c = get("central"), b = get("batch") / kBatch;
    const double d = get("dual");
    char dual_ns[32] = "-";
    if (d > 0) std::snprintf(dual_ns, sizeof dual_ns, "%.1f", d);
    std::printf("| %s | %zu | %.1f | %.1f | %s | %s | %s | %.1f | %s | %s | %s |\n", p.name.c_str(), p.inputs, f, g,
                ratio(g, f).c_str(), p.ninja ? ratio(g, n).c_str() : "-", ratio(c, g).c_str(), b,
                ratio(b, g).c_str(), dual_ns, ratio(g, d).c_str());
  }
}

// A generated program of about `gates` gates: statements over 100 inputs.
// With `branches`, every fourth statement has a max() (a branch in the
// backward pass); without, the program is straight-line code, like a
// network of tanh units.
std::string big_program(std::size_t gates, bool branches = true) {
  std::string text = "y0 = x0\n";
  const std::size_t statements = gates / 4;
  for (std::size_t s = 1; s <= statements; ++s) {
    const std::size_t i = s % 100, j = (s * 7) % 100;
    const std::string y = "y" + std::to_string(s), before = "y" + std::to_string(s - 1);
    const std::string xi = "x" + std::to_string(i), xj = "x" + std::to_string(j);
    switch (s % 4) {
      case 0: text += y + " = sin(" + before + ") * " + xi + " + " + xj + "\n"; break;
      case 1: text += y + " = " + before + " * 0.5 + exp(" + xi + " * 0.1)\n"; break;
      case 2: text += y + " = log(" + before + " * " + before + " + 1)\n"; break;
      default:
        text += y + " = " + (branches ? "max(" + before + ", " + xj + ")" : "(" + before + " + " + xj + ")") + " - " +
                xi + " * " + before + "\n";
        break;
    }
  }
  return text;
}

struct Measured {
  double seconds = 0;
  long peak_kb = 0;
  int status = -1;
};

// Runs argv, returning its wall time and peak resident memory.
Measured measure(const std::vector<std::string>& argv) {
  Measured m;
  std::fflush(stdout);  // or the child would print what is buffered again
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::freopen("/dev/null", "w", stdout);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.peak_kb = usage.ru_maxrss;
  m.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return m;
}

void scaling_table() {
  gradgen::runtime::TempDir dir;
  std::printf("\n## gradgen itself (the whole process: parse, differentiate, emit, write)\n\n");
  std::printf("| gates | seconds | gates per second | peak memory MB | time per gate vs 10^3 |\n|---|---|---|---|---|\n");
  double first = 0;
  for (std::size_t gates : {1000u, 10000u, 100000u, 1000000u}) {
    const std::string program = dir.path() + "/p.gg";
    std::ofstream(program) << big_program(gates);
    Measured best;
    for (int r = 0; r < (gates < 1000000 ? 3 : 1); ++r) {
      const Measured m = measure({GRADGEN_BINARY, "-f", program, "-o", dir.path() + "/p.hpp"});
      if (r == 0 || m.seconds < best.seconds) best = m;
    }
    const double per_gate = best.seconds / static_cast<double>(gates);
    if (first == 0) first = per_gate;
    std::printf("| %zu | %.3f | %.0f | %.1f | %.2f |\n", gates, best.seconds, static_cast<double>(gates) / best.seconds,
                static_cast<double>(best.peak_kb) / 1024.0, per_gate / first);
  }
}

void compile_table() {
  gradgen::runtime::TempDir dir;
  std::printf("\n## g++ -O2 on emitted headers (seconds)\n\n");
  std::printf("| gates | program | NAME only (forward) | NAME_grad | ratio | NAME_grad in one piece (--split-lines 0) | ratio |\n"
              "|---|---|---|---|---|---|---|\n");
  const std::string compiler = gradgen::runtime::system_compiler();
  std::ofstream(dir.path() + "/forward.cpp") << "#include \"p.hpp\"\ndouble run(const double* in) { return f(in); }\n";
  std::ofstream(dir.path() + "/grad.cpp") << "#include \"p.hpp\"\ndouble run(const double* in, double* g) { return f_grad(in, g); }\n";
  const auto compile = [&](const char* source) {
    return measure({compiler, "-std=c++17", "-O2", "-c", dir.path() + "/" + source, "-o", dir.path() + "/p.o"});
  };
  for (std::size_t gates : {400u, 4000u, 20000u}) {
    for (const bool branches : {true, false}) {
      const std::string program = dir.path() + "/p.gg";
      std::ofstream(program) << big_program(gates, branches);
      measure({GRADGEN_BINARY, "-f", program, "--split-lines", "0", "-o", dir.path() + "/p.hpp"});
      const Measured whole = compile("grad.cpp");
      measure({GRADGEN_BINARY, "-f", program, "-o", dir.path() + "/p.hpp"});
      const Measured f = compile("forward.cpp");
      const Measured g = compile("grad.cpp");
      std::printf("| %zu | %s | %.2f | %.2f | %s | %.2f | %s |\n", gates, branches ? "with max()" : "straight-line",
                  f.seconds, g.seconds, ratio(g.seconds, f.seconds).c_str(), whole.seconds,
                  ratio(whole.seconds, f.seconds).c_str());
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  check_duals();
  for (const bench::Program& p : bench::programs()) {
    benchmark::RegisterBenchmark(("forward/" + p.name).c_str(), forward, &p);
    benchmark::RegisterBenchmark(("grad/" + p.name).c_str(), gradient, &p, p.grad);
    if (p.ninja != nullptr) benchmark::RegisterBenchmark(("ninja/" + p.name).c_str(), gradient, &p, p.ninja);
    if (p.dual != nullptr) benchmark::RegisterBenchmark(("dual/" + p.name).c_str(), gradient, &p, p.dual);
    benchmark::RegisterBenchmark(("central/" + p.name).c_str(), central, &p);
    benchmark::RegisterBenchmark(("batch/" + p.name).c_str(), batch, &p);
  }
  // Defaults: medians of interleaved repetitions; flags given win.
  std::vector<char*> args(argv, argv + argc);
  std::string repetitions = "--benchmark_repetitions=7";
  std::string interleave = "--benchmark_enable_random_interleaving=true";
  std::string aggregates = "--benchmark_report_aggregates_only=true";
  std::string min_time = "--benchmark_min_time=0.05";
  args.insert(args.begin() + 1, {repetitions.data(), interleave.data(), aggregates.data(), min_time.data()});
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  Collector collector;
  benchmark::RunSpecifiedBenchmarks(&collector);
  suite_table(collector.median);
  const bool quick = std::getenv("GRADGEN_BENCH_QUICK") != nullptr;
  scaling_table();
  if (!quick) compile_table();
  return 0;
}

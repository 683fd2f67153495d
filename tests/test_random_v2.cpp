// Random v2 programs against their own unrolling. A seeded generator writes
// each program twice: with loops (nested, descending, stepped, zero-trip),
// arrays, ifs on data and on indices, sums and maxima over arrays, and calls
// of functions -- and, beside it, the same computation as the straight-line
// v1 program a person would write by unrolling it (x_3 for x[3], each call
// inlined). The generator knows the semantics itself (it keeps the iterations
// it writes), so the two texts are independent witnesses: gradgen must give
// the same value and gradient for both, at points drawn where the program is
// smooth, and the v2 gradient must match central differences.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "compiler/check/sampling.hpp"
#include "compiler/compile.hpp"
#include "runtime/process.hpp"
#include "support/generated.hpp"

using gradgen::testing::close;

namespace {

struct Pair {
  std::string v2, v1;
  std::vector<std::string> v2_inputs, v1_inputs;  // --inputs for each
  std::string describe() const {
    return fmt::format("v2 program:\n{}\n--inputs {}\nits unrolling:\n{}", v2, fmt::join(v2_inputs, ","), v1);
  }
};

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  Pair program() {
    Pair p;
    n_ = pick(3, 6);
    m_ = pick(2, 3);
    v1_.clear();
    v2_.clear();
    functions_.clear();
    uses_w_ = false;
    arrays_ = 0;
    line("var s = 0.5 * x[0]", "s = 0.5 * x_0");
    const int blocks = pick(2, 4);
    for (int b = 0; b < blocks; ++b) {
      switch (pick(0, 6)) {
        case 0: accumulate(); break;
        case 1: element_array(); break;
        case 2: data_if(); break;
        case 3: index_if(); break;
        case 4: call_in_loop(); break;
        case 5: triangle(); break;
        default: reduce(); break;
      }
    }
    line("loss = s * 1.25", "loss = s * 1.25");
    p.v2 = functions_ + v2_;
    p.v1 = v1_;
    p.v2_inputs = {fmt::format("x[{}]", n_)};
    for (int i = 0; i < n_; ++i) p.v1_inputs.push_back(fmt::format("x_{}", i));
    if (uses_w_) {
      p.v2_inputs.push_back(fmt::format("W[{}][{}]", m_, n_));
      for (int i = 0; i < m_; ++i) {
        for (int j = 0; j < n_; ++j) p.v1_inputs.push_back(fmt::format("W_{}_{}", i, j));
      }
    }
    return p;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  void line(const std::string& v2, const std::string& v1) {
    v2_ += v2 + "\n";
    v1_ += v1 + "\n";
  }
  void v1_line(const std::string& v1) { v1_ += v1 + "\n"; }

  // A loop over some indices of x: its header, and the indices it visits in order.
  struct Loop {
    std::string header;
    std::vector<int> visits;
  };
  Loop loop(const char* var) {
    Loop l;
    const bool down = pick(0, 1) == 1;
    const int step = pick(1, 2);
    const bool zero_trip = pick(0, 9) == 0;
    const char* decl = pick(0, 1) ? "var" : "let";
    if (!down) {
      const int start = zero_trip ? n_ : pick(0, 1);
      const bool inclusive = pick(0, 1) == 1;
      const int bound = inclusive ? n_ - 1 : n_;
      for (int i = start; inclusive ? i <= bound : i < bound; i += step) l.visits.push_back(i);
      const std::string update = step == 1 ? (pick(0, 1) ? fmt::format("{}++", var) : fmt::format("++{}", var))
                                           : fmt::format("{} += {}", var, step);
      l.header = fmt::format("for ({} {} = {}; {} {} {}; {})", decl, var, start, var, inclusive ? "<=" : "<", bound,
                             update);
    } else {
      const int start = zero_trip ? -1 : n_ - 1;
      const bool inclusive = pick(0, 1) == 1;
      const int bound = inclusive ? 0 : -1;
      for (int i = start; inclusive ? i >= bound : i > bound; i -= step) l.visits.push_back(i);
      const std::string update = step == 1 ? (pick(0, 1) ? fmt::format("{}--", var) : fmt::format("--{}", var))
                                           : fmt::format("{} -= {}", var, step);
      l.header = fmt::format("for ({} {} = {}; {} {} {}; {})", decl, var, start, var, inclusive ? ">=" : ">", bound,
                             update);
    }
    return l;
  }

  void accumulate() {
    const Loop l = loop("i");
    const int op = pick(0, 2);  // +=, -=, *=
    const int form = pick(0, 5);
    const std::string t = term_fixed(form, "x[i]", "", 0).first;
    v2_ += l.header + (op == 0 ? " s += " + t : op == 1 ? " s -= " + t : " s *= 1 + 0.1 * " + t) + "\n";
    for (int i : l.visits) {
      const std::string u = term_fixed(form, "", fmt::format("x_{}", i), i).second;
      v1_line(op == 0 ? "s = s + " + u : op == 1 ? "s = s - (" + u + ")" : "s = s * (1 + 0.1 * " + u + ")");
    }
  }

  // A smooth function of one element, in the form `form`, as each text writes it.
  std::pair<std::string, std::string> term_fixed(int form, const std::string& v2_x, const std::string& v1_x, int i) {
    switch (form) {
      case 0: return {v2_x, v1_x};
      case 1: return {fmt::format("sin({})", v2_x), fmt::format("sin({})", v1_x)};
      case 2: return {fmt::format("{0} * {0}", v2_x), fmt::format("{0} * {0}", v1_x)};
      case 3: return {fmt::format("tanh(0.7 * {})", v2_x), fmt::format("tanh(0.7 * {})", v1_x)};
      case 4: return {fmt::format("exp(0.3 * {})", v2_x), fmt::format("exp(0.3 * {})", v1_x)};
      default: return {fmt::format("{} * (i + 2)", v2_x), fmt::format("{} * {}", v1_x, i + 2)};
    }
  }

  // h[i] = term(x[i]) for every i, then s takes some of them back.
  void element_array() {
    const std::string h = fmt::format("h{}", arrays_++);
    const int form = pick(0, 5);
    v2_ += fmt::format("for (let i = 0; i < {}; i++) {}[i] = {}\n", n_, h,
                       term_fixed(form, "x[i]", "", 0).first);
    for (int i = 0; i < n_; ++i) {
      v1_line(fmt::format("{}_{} = {}", h, i, term_fixed(form, "", fmt::format("x_{}", i), i).second));
    }
    const Loop l = loop("k");
    v2_ += fmt::format("{} s += {}[k] * 0.5\n", l.header, h);
    for (int k : l.visits) v1_line(fmt::format("s = s + {}_{} * 0.5", h, k));
  }

  // if on data inside a loop: a select per iteration.
  void data_if() {
    const Loop l = loop("i");
    v2_ += fmt::format("{} {{\n  if (x[i] > 0.2) s += x[i]\n  else s = s * 0.5 - x[i]\n}}\n", l.header);
    for (int i : l.visits) v1_line(fmt::format("s = x_{0} > 0.2 ? s + x_{0} : s * 0.5 - x_{0}", i));
  }

  // if on the index: the branch is picked at compile time.
  void index_if() {
    const Loop l = loop("i");
    v2_ += fmt::format("{} {{\n  if (i % 2 == 0) s += x[i]\n  else if (i > 2) s -= 0.5 * x[i]\n}}\n", l.header);
    for (int i : l.visits) {
      if (i % 2 == 0) {
        v1_line(fmt::format("s = s + x_{}", i));
      } else if (i > 2) {
        v1_line(fmt::format("s = s - 0.5 * x_{}", i));
      }
    }
  }

  // A function of the program, called in a loop.
  void call_in_loop() {
    if (functions_.find("function g(") == std::string::npos) {
      functions_ += "function g(u, v) {\n  var t = u * v\n  return t + sin(u)\n}\n";
    }
    const Loop l = loop("i");
    v2_ += fmt::format("{} s = 0.5 * s + g(x[i], 0.3)\n", l.header);
    for (int i : l.visits) v1_line(fmt::format("s = 0.5 * s + (x_{0} * 0.3 + sin(x_{0}))", i));
  }

  // A triangular nest over a matrix input.
  void triangle() {
    uses_w_ = true;
    v2_ += fmt::format("for (var r = 0; r < {}; r++) {{\n  for (var c = 0; c <= r; c++) s += W[r][c] * x[c]\n}}\n", m_);
    for (int r = 0; r < m_; ++r) {
      for (int c = 0; c <= r; ++c) v1_line(fmt::format("s = s + W_{}_{} * x_{}", r, c, c));
    }
  }

  // sum and max over a local array built from x.
  void reduce() {
    const std::string h = fmt::format("h{}", arrays_++);
    v2_ += fmt::format("for (var i = 0; i < {}; i++) {}[i] = x[i] + 0.1 * i\n", n_, h);
    std::string sum, items;
    for (int i = 0; i < n_; ++i) {
      v1_line(fmt::format("{0}_{1} = x_{1} + {2:.17g}", h, i, 0.1 * i));
      sum = i == 0 ? fmt::format("{}_0", h) : fmt::format("({} + {}_{})", sum, h, i);
      items += fmt::format("{}{}_{}", i ? ", " : "", h, i);
    }
    const bool use_max = pick(0, 1) == 1;
    v2_ += use_max ? fmt::format("s += max({})\n", h) : fmt::format("s += sum({})\n", h);
    v1_line(use_max ? fmt::format("s = s + max({})", items) : fmt::format("s = s + {}", sum));
  }

  std::mt19937_64 rng_;
  int n_ = 4, m_ = 2, arrays_ = 0;
  bool uses_w_ = false;
  std::string v1_, v2_, functions_;
};

gradgen::Compilation compiled(const std::string& program, const std::vector<std::string>& inputs) {
  gradgen::CompileOptions o;
  o.inputs = inputs;
  return gradgen::compile({"<input>", program}, o);
}

void run_seed(std::uint64_t seed, int programs) {
  Generator gen(seed);
  std::mt19937_64 points_rng(seed ^ 0x5eedULL);
  for (int k = 0; k < programs; ++k) {
    const Pair p = gen.program();
    INFO("seed " << seed << ", program " << k << "\n" << p.describe());
    gradgen::Compilation v2, v1;
    REQUIRE_NOTHROW(v2 = compiled(p.v2, p.v2_inputs));
    REQUIRE_NOTHROW(v1 = compiled(p.v1, p.v1_inputs));
    REQUIRE(v2.circuit.inputs.size() == v1.circuit.inputs.size());
    const gradgen::Samples samples = gradgen::sample_points(v1.circuit, points_rng, 3);
    for (const std::vector<double>& x : samples.points) {
      const gradgen::Evaluation a = gradgen::testing::reference(v2, x);
      const gradgen::Evaluation b = gradgen::testing::reference(v1, x);
      INFO("value " << a.value << " (unrolled: " << b.value << ")");
      CHECK(close(a.value, b.value, 1e-13, 1e-300));
      REQUIRE(a.gradient.size() == b.gradient.size());
      for (std::size_t i = 0; i < a.gradient.size(); ++i) {
        INFO("gradient " << i << ": " << a.gradient[i] << " (unrolled: " << b.gradient[i] << ")");
        CHECK(close(a.gradient[i], b.gradient[i], 1e-12, 1e-300));
        // Central differences of the v2 program's own value.
        std::vector<double> up = x, down = x;
        const double h = 1e-6 * std::max(1.0, std::fabs(x[i]));
        up[i] += h;
        down[i] -= h;
        const double numeric =
            (gradgen::testing::reference(v2, up).value - gradgen::testing::reference(v2, down).value) / (2 * h);
        CHECK(close(a.gradient[i], numeric, 1e-5, 1e-6 * std::max(1.0, std::fabs(a.value))));
      }
    }
  }
}

}  // namespace

TEST_CASE("random v2 programs equal their unrolling: seed 1", "[random][v2]") { run_seed(1, 60); }
TEST_CASE("random v2 programs equal their unrolling: seed 2", "[random][v2]") { run_seed(2, 60); }
TEST_CASE("random v2 programs equal their unrolling: seed 3", "[random][v2]") { run_seed(3, 60); }

namespace {

// 150 random v2 programs (of seed 4), compiled for real in one program under
// the contract's -Werror flags with `compiler`, run at points where they are
// smooth: the generated value and gradient against the reference evaluator,
// the gradient against central differences of the generated function, and
// the named forms (arrays as arrays) against the array forms.
void run_compiled(const std::string& compiler) {
  constexpr std::uint64_t kSeed = 4;
  Generator gen(kSeed);
  std::mt19937_64 points_rng(kSeed ^ 0x5eedULL);
  std::vector<gradgen::testing::CodeCase> cases;
  std::vector<gradgen::Compilation> compilations;
  std::vector<Pair> pairs;
  for (int k = 0; k < 150; ++k) {
    pairs.push_back(gen.program());
    gradgen::testing::CodeCase c;
    c.program = pairs.back().v2;
    c.compile.inputs = pairs.back().v2_inputs;
    c.emit.function = "loss";
    compilations.push_back(gradgen::compile({"<input>", c.program}, c.compile));
    c.points = gradgen::sample_points(compilations.back().circuit, points_rng, 2).points;
    REQUIRE_FALSE(c.points.empty());
    cases.push_back(std::move(c));
  }
  std::vector<gradgen::testing::CaseResult> results;
  try {
    results = gradgen::testing::run_generated(cases, compiler);
  } catch (const std::exception& e) {
    FAIL(compiler << " rejected the generated code of seed " << kSeed << ":\n" << std::string(e.what()).substr(0, 6000));
  }
  REQUIRE(results.size() == cases.size());
  for (std::size_t k = 0; k < cases.size(); ++k) {
    INFO("seed " << kSeed << ", program " << k << " (" << compiler << ")\n" << pairs[k].describe());
    for (std::size_t p = 0; p < cases[k].points.size(); ++p) {
      const gradgen::testing::PointResult& r = results[k][p];
      const gradgen::Evaluation ref = gradgen::testing::reference(compilations[k], cases[k].points[p]);
      CHECK(close(r.value, ref.value, 1e-12, 1e-300));
      CHECK(r.value == r.forward);
      CHECK(close(r.named, r.value, 1e-15, 1e-300));
      REQUIRE(r.grad.size() == ref.gradient.size());
      for (std::size_t i = 0; i < r.grad.size(); ++i) {
        INFO("gradient " << i << ": " << r.grad[i] << ", reference " << ref.gradient[i] << ", numerical "
                         << r.numeric[i]);
        CHECK(close(r.grad[i], ref.gradient[i], 1e-12, 1e-300));
        CHECK(close(r.named_grad[i], r.grad[i], 1e-15, 1e-300));
        CHECK(close(r.grad[i], r.numeric[i], 1e-5, 1e-7 * std::max(1.0, std::fabs(r.value))));
      }
    }
  }
}

}  // namespace

TEST_CASE("150 random v2 programs compiled with g++ and run", "[random][v2][compile]") {
  run_compiled(gradgen::runtime::system_compiler());
}

TEST_CASE("150 random v2 programs compiled with clang++ and run", "[random][v2][compile]") {
  const auto version = gradgen::runtime::run_process({"clang++", "--version"});
  if (!version.started || version.exit_code != 0) {
    WARN("clang++ is not on PATH: the clang++ half of the contract is not tested");
    return;
  }
  run_compiled("clang++");
}

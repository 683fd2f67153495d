#include "generated.hpp"

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "runtime/process.hpp"

namespace gradgen::testing {
namespace {

// The scalar type's name in C++.
const char* scalar_name(ScalarType t) {
  switch (t) {
    case ScalarType::kFloat: return "float";
    case ScalarType::kDouble: return "double";
    case ScalarType::kLongDouble: return "long double";
  }
  return "double";
}

// The driver's code for one case: every point through NAME, NAME_grad, the
// named forms and central differences of NAME.
std::string case_driver(std::size_t k, const CodeCase& c, const Compilation& comp,
                        const std::string& ns) {
  const std::string T = scalar_name(c.emit.type);
  const std::string q = fmt::format("::{}::{}", ns, c.emit.function);
  const std::size_t n = comp.analysis.inputs.size();
  const std::size_t m = comp.wrt.size();
  std::string out = fmt::format("static void run_case_{}() {{\n", k);
  for (std::size_t p = 0; p < c.points.size(); ++p) {
    std::string values;
    std::string args;
    for (std::size_t i = 0; i < n; ++i) {
      values += fmt::format("{}static_cast<{}>({:.17g}L)", i ? ", " : "", T, c.points[p][i]);
      args += fmt::format("{}in[{}]", i ? ", " : "", i);
    }
    std::string named_grad_args = args;
    for (std::size_t j = 0; j < m; ++j) named_grad_args += fmt::format("{}ng[{}]", named_grad_args.empty() ? "" : ", ", j);
    out += "  {\n";
    out += fmt::format("    {} in[{}] = {{{}}};\n", T, n + 1, values.empty() ? "0" : values);
    out += fmt::format("    {} g[{}] = {{}};\n    {} ng[{}] = {{}};\n    (void)ng;\n", T, m + 1, T, m + 1);
    out += fmt::format("    const {} v = {}_grad(in, g);\n", T, q);
    out += fmt::format("    const {} fv = {}(in);\n", T, q);
    out += fmt::format("    const {} nv = {}({});\n", T, q, args);
    out += fmt::format("    {}_grad({});\n", q, named_grad_args);
    std::string dir;
    for (std::size_t j = 0; j < m; ++j) dir += fmt::format("{}static_cast<{}>({:.17g}L)", j ? ", " : "", T, direction(j));
    out += fmt::format("    const {} dir[{}] = {{{}}};\n    {} jd[1] = {{}};\n", T, m + 1, dir.empty() ? "0" : dir, T);
    out += fmt::format("    const {} jv = {}_jvp(in, dir, jd);\n", T, q);
    out += fmt::format("    std::printf(\"{} {} %.17Lg %.17Lg %.17Lg %.17Lg %.17Lg\", (long double)v, (long double)fv, (long double)nv, (long double)jv, (long double)jd[0]);\n", k, p);
    for (std::size_t j = 0; j < m; ++j) {
      out += fmt::format("    std::printf(\" %.17Lg %.17Lg\", (long double)g[{0}], (long double)ng[{0}]);\n", j);
      out += fmt::format("    std::printf(\" %.17Lg\", (long double)numeric(in, {}, [](const {}* x) {{ return {}(x); }}));\n",
                         comp.wrt[j], T, q);
    }
    out += "    std::printf(\"\\n\");\n  }\n";
  }
  return out + "}\n";
}

constexpr const char* kDriverPrelude = R"(#include <cmath>
#include <cstdio>

// Central difference of f in input i, with a step scaled to the input.
template <class T, class F>
static long double numeric(T* in, int i, F f) {
  const T x = in[i];
  const T h = static_cast<T>(1e-6) * (std::fabs(x) > 1 ? std::fabs(x) : static_cast<T>(1));
  in[i] = x + h;
  const T up = f(in);
  const T stepped_up = in[i];
  in[i] = x - h;
  const T down = f(in);
  const T stepped_down = in[i];
  in[i] = x;
  return (static_cast<long double>(up) - down) / (static_cast<long double>(stepped_up) - stepped_down);
}
)";

}  // namespace

const std::vector<std::string>& warning_flags() {
  static const std::vector<std::string> flags{"-std=c++17", "-Wall",   "-Wextra",     "-Wpedantic",
                                              "-Wshadow",   "-Wconversion", "-Werror"};
  return flags;
}

std::vector<CaseResult> run_generated(const std::vector<CodeCase>& cases, const std::string& compiler) {
  runtime::TempDir dir;
  std::string driver = kDriverPrelude;
  std::string calls;
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const CodeCase& c = cases[k];
    EmitOptions emit = c.emit;
    if (emit.ns.empty()) emit.ns = fmt::format("case{}", k);
    emit.program = c.program;
    emit.version = "test";
    const Source source{"<input>", c.program};
    const Compilation comp = compile(source, c.compile);
    const std::string header = generate_header(source, c.compile, emit);
    std::ofstream(fmt::format("{}/case{}.hpp", dir.path(), k)) << header;
    driver = fmt::format("#include \"case{}.hpp\"\n", k) + driver;
    driver += case_driver(k, c, comp, emit.ns);
    calls += fmt::format("  run_case_{}();\n", k);
  }
  driver += "int main() {\n" + calls + "  return 0;\n}\n";
  const std::string main_cpp = dir.path() + "/main.cpp";
  std::ofstream(main_cpp) << driver;

  std::vector<std::string> argv{compiler};
  argv.insert(argv.end(), warning_flags().begin(), warning_flags().end());
  argv.insert(argv.end(), {"-O1", "-I", dir.path(), main_cpp, "-o", dir.path() + "/main"});
  const runtime::ProcessResult built = runtime::run_process(argv);
  if (!built.started || built.exit_code != 0) {
    throw std::runtime_error("the generated code did not compile:\n" + built.error + built.err.substr(0, 20000));
  }
  const runtime::ProcessResult ran = runtime::run_process({dir.path() + "/main"});
  if (!ran.started || ran.exit_code != 0) {
    throw std::runtime_error("the generated code did not run: " + ran.error + ran.err);
  }

  std::vector<CaseResult> results(cases.size());
  std::istringstream lines(ran.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::size_t k = 0;
    std::size_t p = 0;
    PointResult r;
    fields >> k >> p >> r.value >> r.forward >> r.named >> r.jvp_value >> r.jvp;
    double g = 0;
    double ng = 0;
    double num = 0;
    while (fields >> g >> ng >> num) {
      r.grad.push_back(g);
      r.named_grad.push_back(ng);
      r.numeric.push_back(num);
    }
    results.at(k).push_back(r);
  }
  return results;
}

double direction(std::size_t j) { return 0.5 + 0.37 * static_cast<double>(j % 5) - 0.29 * static_cast<double>(j % 3); }

double directional(const std::vector<double>& grad) {
  double sum = 0.0;
  for (std::size_t j = 0; j < grad.size(); ++j) sum += grad[j] * direction(j);
  return sum;
}

Evaluation reference(const Compilation& c, const std::vector<double>& x) {
  std::vector<NodeId> wrt;
  for (std::int32_t i : c.wrt) wrt.push_back(c.circuit.inputs[static_cast<std::size_t>(i)]);
  return evaluate(c.circuit.graph, c.circuit.inputs, c.circuit.output, c.gradient, wrt, x);
}

bool close(double a, double b, double rel, double abs) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (a == b) return true;
  return std::fabs(a - b) <= rel * std::max(std::fabs(a), std::fabs(b)) + abs;
}

std::vector<std::vector<double>> random_points(std::mt19937_64& rng, std::size_t inputs,
                                               std::size_t count, double lo, double hi) {
  std::uniform_real_distribution<double> u(lo, hi);
  std::vector<std::vector<double>> points(count, std::vector<double>(inputs));
  for (auto& p : points) {
    for (double& x : p) x = u(rng);
  }
  return points;
}

}  // namespace gradgen::testing

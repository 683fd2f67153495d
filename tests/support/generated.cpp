#include "generated.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
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

// `v` as a C++ expression of type T, NaN and infinities included.
std::string literal(const std::string& T, double v) {
  if (std::isnan(v)) return fmt::format("std::numeric_limits<{}>::quiet_NaN()", T);
  if (std::isinf(v)) return fmt::format("{}std::numeric_limits<{}>::infinity()", v < 0 ? "-" : "", T);
  // With a '.' or an exponent always: -0 would be the integer 0, and lose
  // its sign.
  std::string digits = fmt::format("{:.17g}", v);
  if (digits.find_first_of(".e") == std::string::npos) digits += ".0";
  return fmt::format("static_cast<{}>({}L)", T, digits);
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
    for (std::size_t i = 0; i < n; ++i) values += (i ? ", " : "") + literal(T, c.points[p][i]);
    // The named forms' arguments: a scalar as in[i], an array (v2) as
    // in[] seen as an array of its shape.
    const auto argument = [&](const char* array, const ArrayShape& a, std::size_t at, bool constant) {
      if (a.extents.empty()) return fmt::format("{}[{}]", array, at);
      std::string dims;
      for (std::size_t e : a.extents) dims += fmt::format("[{}]", e);
      return fmt::format("*reinterpret_cast<{}{}(*){}>(&{}[{}])", constant ? "const " : "", T, dims, array, at);
    };
    std::string args;
    std::string named_grad_args;
    std::size_t position = 0;
    for (const ArrayShape& a : comp.input_shapes) {
      args += (args.empty() ? "" : ", ") + argument("in", a, a.offset, true);
      if (std::find(comp.wrt.begin(), comp.wrt.end(), static_cast<std::int32_t>(a.offset)) == comp.wrt.end()) continue;
      named_grad_args += ", " + argument("ng", a, position, false);
      position += a.size();
    }
    named_grad_args = args + (args.empty() && !named_grad_args.empty() ? named_grad_args.substr(2) : named_grad_args);
    out += "  {\n";
    out += fmt::format("    {} in[{}] = {{{}}};\n    opaque(in);\n", T, n + 1, values.empty() ? "0" : values);
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
#include <limits>

// The inputs through volatile stores: values the compiler cannot see, so
// that it runs the generated code instead of folding it into constants
// (with correctly rounded transcendental functions, which the C library's
// need not match in the last bit: the same code would give different bits
// depending on how much of it the compiler folds).
template <class T, std::size_t N>
static void opaque(T (&values)[N]) {
  for (T& x : values) {
    volatile T hidden = x;
    x = hidden;
  }
}

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

// An array literal of `values` (never empty: C++ has no zero-length arrays).
std::string array_of(const std::string& T, const std::vector<double>& values) {
  std::string out;
  for (double v : values) out += (out.empty() ? "" : ", ") + literal(T, v);
  return out.empty() ? "0" : out;
}

// Reads the next number of a line the driver printed: strtod also reads the
// "nan", "-nan" and "inf" that printf writes, which operator>> does not.
bool next_number(std::istringstream& fields, double& v) {
  std::string token;
  if (!(fields >> token)) return false;
  v = std::strtod(token.c_str(), nullptr);
  return true;
}

// The driver's code for one case of run_modes(): one line per point and
// array, "k p name count values...".
std::string modes_driver(std::size_t k, const CodeCase& c, const Compilation& comp,
                         const std::string& ns) {
  const std::string T = scalar_name(c.emit.type);
  const std::string q = fmt::format("::{}::{}", ns, c.emit.function);
  const std::size_t n = comp.analysis.inputs.size();
  const std::size_t m = comp.wrt.size();
  const std::size_t r = comp.circuit.outputs.size();
  std::vector<double> dir;
  for (std::size_t j = 0; j < m; ++j) dir.push_back(direction(j));
  std::vector<double> weights;
  for (std::size_t i = 0; i < r; ++i) weights.push_back(weight(i));
  std::string out = fmt::format("static void run_modes_{}() {{\n", k);
  for (std::size_t p = 0; p < c.points.size(); ++p) {
    const auto print = [&](const char* name, const std::string& array, std::size_t count) {
      return fmt::format("    print_array({}, {}, \"{}\", {}, {});\n", k, p, name, array, count);
    };
    out += "  {\n";
    out += fmt::format("    {} in[{}] = {{{}}};\n    opaque(in);\n", T, n + 1, array_of(T, c.points[p]));
    out += fmt::format("    const {} dir[{}] = {{{}}};\n", T, m + 1, array_of(T, dir));
    if (comp.several_outputs()) {
      out += fmt::format("    {} out[{}] = {{}};\n    {}(in, out);\n", T, r, q);
      out += print("out", "out", r);
      out += fmt::format("    {} jo[{}] = {{}};\n    {} jac[{}] = {{}};\n    {}_jacobian(in, jo, jac);\n",
                         T, r, T, r * m + 1, q);
      out += print("jacobian_out", "jo", r) + print("jacobian", "jac", r * m);
      out += fmt::format("    const {} w[{}] = {{{}}};\n    {} vo[{}] = {{}};\n    {} ib[{}] = {{}};\n",
                         T, r, array_of(T, weights), T, r, T, m + 1);
      out += fmt::format("    {}_vjp(in, w, vo, ib);\n", q);
      out += print("vjp_out", "vo", r) + print("vjp", "ib", m);
      out += fmt::format("    {} fo[{}] = {{}};\n    {} od[{}] = {{}};\n    {}_jvp(in, dir, fo, od);\n",
                         T, r, T, r, q);
      out += print("jvp_out", "fo", r) + print("jvp", "od", r);
      out += fmt::format("    {} nj[{}] = {{}};\n", T, r * m + 1);
      for (std::size_t j = 0; j < m; ++j) {
        out += fmt::format(
            "    numeric_columns(in, {}, {}, {}, {}, nj, [](const {}* x, {}* y) {{ {}(x, y); }});\n",
            comp.wrt[j], j, m, r, T, T, q);
      }
      out += print("numeric_jacobian", "nj", r * m);
    } else {
      out += fmt::format("    {} g[{}] = {{}};\n    const {} v[1] = {{{}_grad(in, g)}};\n", T, m + 1, T, q);
      out += print("value", "v", 1) + print("grad", "g", m);
      out += fmt::format("    {} hg[{}] = {{}};\n    {} h[{}] = {{}};\n", T, m + 1, T, m * m + 1);
      out += fmt::format("    const {} hv[1] = {{{}_hessian(in, hg, h)}};\n", T, q);
      out += print("hessian_value", "hv", 1) + print("hessian_grad", "hg", m) + print("hessian", "h", m * m);
      out += fmt::format("    {} pv[{}] = {{}};\n    const {} pvv[1] = {{{}_hvp(in, dir, pv)}};\n", T, m + 1, T, q);
      out += print("hvp_value", "pvv", 1) + print("hvp", "pv", m);
      out += fmt::format("    {} nh[{}] = {{}};\n", T, m * m + 1);
      for (std::size_t j = 0; j < m; ++j) {
        out += fmt::format(
            "    numeric_columns(in, {}, {}, {}, {}, nh, [](const {}* x, {}* y) {{ {}_grad(x, y); }});\n",
            comp.wrt[j], j, m, m, T, T, q);
      }
      out += print("numeric_hessian", "nh", m * m);
    }
    out += "  }\n";
  }
  return out + "}\n";
}

constexpr const char* kModesPrelude = R"(#include <cmath>
#include <cstdio>
#include <limits>

template <class T>
static void print_array(int k, int p, const char* name, const T* values, int count) {
  std::printf("%d %d %s %d", k, p, name, count);
  for (int i = 0; i < count; ++i) std::printf(" %.17Lg", static_cast<long double>(values[i]));
  std::printf("\n");
}

// Column j of the Jacobian of f (rows outputs of f, columns the gradient's
// inputs), by central differences in input i, stored row-major in jac.
template <class T, class F>
static void numeric_columns(T* in, int i, int j, int columns, int rows, T* jac, F f) {
  const T x = in[i];
  const T h = static_cast<T>(1e-6) * (std::fabs(x) > 1 ? std::fabs(x) : static_cast<T>(1));
  T up[64] = {};
  T down[64] = {};
  in[i] = x + h;
  const T stepped_up = in[i];
  f(in, up);
  in[i] = x - h;
  const T stepped_down = in[i];
  f(in, down);
  in[i] = x;
  for (int r = 0; r < rows; ++r) jac[r * columns + j] = (up[r] - down[r]) / (stepped_up - stepped_down);
}

// The inputs through volatile stores: values the compiler cannot see, so
// that it runs the generated code instead of folding it into constants
// (with correctly rounded transcendental functions, which the C library's
// need not match in the last bit: the same code would give different bits
// depending on how much of it the compiler folds).
template <class T, std::size_t N>
static void opaque(T (&values)[N]) {
  for (T& x : values) {
    volatile T hidden = x;
    x = hidden;
  }
}
)";

}  // namespace

double weight(std::size_t k) { return 0.75 - 0.4 * static_cast<double>(k % 4) + 0.15 * static_cast<double>(k % 3); }

std::vector<std::vector<ModesPoint>> run_modes(const std::vector<CodeCase>& cases,
                                               const std::string& compiler) {
  runtime::TempDir dir;
  std::string includes;
  std::string driver;
  std::string calls;
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const CodeCase& c = cases[k];
    EmitOptions emit = c.emit;
    if (emit.ns.empty()) emit.ns = fmt::format("case{}", k);
    emit.program = c.program;
    emit.version = "test";
    const Source source{"<input>", c.program};
    const Compilation comp = compile(source, c.compile);
    if (comp.circuit.outputs.size() > 64 || comp.wrt.size() > 64) {
      throw std::runtime_error("run_modes: at most 64 outputs and 64 inputs");
    }
    std::ofstream(fmt::format("{}/case{}.hpp", dir.path(), k)) << generate_header(source, c.compile, emit);
    includes += fmt::format("#include \"case{}.hpp\"\n", k);
    driver += modes_driver(k, c, comp, emit.ns);
    calls += fmt::format("  run_modes_{}();\n", k);
  }
  const std::string main_cpp = dir.path() + "/main.cpp";
  std::ofstream(main_cpp) << includes << kModesPrelude << driver << "int main() {\n" << calls
                          << "  return 0;\n}\n";
  std::vector<std::string> argv = gradgen::runtime::command_words(compiler);
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
  std::vector<std::vector<ModesPoint>> results(cases.size());
  for (std::size_t k = 0; k < cases.size(); ++k) results[k].resize(cases[k].points.size());
  std::istringstream lines(ran.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::size_t k = 0;
    std::size_t p = 0;
    std::string name;
    std::size_t count = 0;
    fields >> k >> p >> name >> count;
    std::vector<double>& values = results.at(k).at(p)[name];
    double v = 0;
    while (values.size() < count && next_number(fields, v)) values.push_back(v);
  }
  return results;
}

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

  std::vector<std::string> argv = gradgen::runtime::command_words(compiler);
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
    fields >> k >> p;
    next_number(fields, r.value);
    next_number(fields, r.forward);
    next_number(fields, r.named);
    next_number(fields, r.jvp_value);
    next_number(fields, r.jvp);
    double g = 0;
    double ng = 0;
    double num = 0;
    while (next_number(fields, g) && next_number(fields, ng) && next_number(fields, num)) {
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

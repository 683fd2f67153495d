// The runtime: the numerical checker (gradgen/check.hpp), compiling and
// loading headers (runtime/loaded_gradient.hpp), and the commands built on
// them, `gradgen check` and `gradgen eval`. The checker must pass correct
// gradients, catch corrupted ones (a flipped sign, a dropped term, swapped
// inputs), and skip kinks rather than fail them.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>

#include "compiler/check/sampling.hpp"
#include "compiler/compile.hpp"
#include "gradgen/check.hpp"
#include "runtime/loaded_gradient.hpp"
#include "runtime/process.hpp"

namespace fs = std::filesystem;
using gradgen::runtime::run_process;

namespace {

std::string header_for(const std::string& program, const std::string& name = "f") {
  gradgen::EmitOptions emit;
  emit.function = name;
  emit.program = program;
  emit.version = "test";
  return gradgen::generate_header({"<input>", program}, {}, emit);
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Replaces the first occurrence of `from` in `text`; the test fails if absent.
std::string corrupt(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("check.hpp passes a hand-written gradient and catches a wrong one", "[runtime]") {
  // The guide's neuron, written by hand.
  const auto f = [](const double* v) { return 1 / (1 + std::exp(-(v[0] * v[3] + v[1] * v[4] + v[2]))); };
  const auto g = [&](const double* v, double* d) {
    const double s = f(v);
    const double ds = s * (1 - s);
    d[0] = v[3] * ds;
    d[1] = v[4] * ds;
    d[2] = ds;
    d[3] = v[0] * ds;
    d[4] = v[1] * ds;
    return s;
  };
  const std::vector<std::vector<double>> points{{1, 2, -3, -1, 3}, {0.5, -1, 2, 0.25, 4}};
  const auto good = gradgen::check::check_gradient(f, g, points);
  CHECK(good.ok());
  CHECK(good.skipped() == 0);
  CHECK(good.table({"a", "b", "c", "x", "y"}).find("MISMATCH") == std::string::npos);

  const auto wrong = [&](const double* v, double* d) {
    const double s = g(v, d);
    d[3] = -d[3];  // a flipped sign
    return s;
  };
  const auto bad = gradgen::check::check_gradient(f, wrong, points);
  CHECK_FALSE(bad.ok());
  CHECK(bad.table({"a", "b", "c", "x", "y"}).find("MISMATCH") != std::string::npos);
}

TEST_CASE("check.hpp skips kinks instead of failing them", "[runtime]") {
  // relu at its kink: the analytic gradient is 0 (relu'(0) = 0), while the
  // central difference sees (h - 0) / 2h = 0.5.
  const auto f = [](const double* v) { return std::max(v[0], 0.0) + v[1]; };
  const auto g = [](const double* v, double* d) {
    d[0] = v[0] > 0 ? 1.0 : 0.0;
    d[1] = 1;
    return std::max(v[0], 0.0) + v[1];
  };
  const auto report = gradgen::check::check_gradient(f, g, {{0.0, 1.0}});
  CHECK(report.ok());
  CHECK(report.skipped() == 1);
  CHECK(report.points[0].inputs[0].note.find("not smooth") != std::string::npos);
}

TEST_CASE("sampling keeps points inside domains and away from kinks", "[runtime]") {
  const char* programs[] = {"log(a) + sqrt(b)", "asin(a) + acosh(b)", "abs(a) + relu(b)",
                            "max(a, b) + floor(a)", "a < b ? a : b", "pow(a, b)"};
  for (const char* program : programs) {
    INFO(program);
    const gradgen::Compilation c = gradgen::compile({"<input>", program}, {});
    std::mt19937_64 rng(7);
    const gradgen::Samples s = gradgen::sample_points(c.circuit, rng, 20);
    CHECK(s.points.size() == 20);
    for (const auto& x : s.points) CHECK(gradgen::point_problem(c.circuit, x).empty());
  }
  const gradgen::Compilation c = gradgen::compile({"<input>", "log(a)"}, {});
  CHECK(gradgen::point_problem(c.circuit, {-1.0}).find("log") != std::string::npos);
  const gradgen::Compilation k = gradgen::compile({"<input>", "abs(a)"}, {});
  CHECK(gradgen::point_problem(k.circuit, {0.0}).find("kink") != std::string::npos);
  // Impossible domains are reported, not looped on.
  const gradgen::Compilation never = gradgen::compile({"<input>", "log(-1 - a*a)"}, {});
  std::mt19937_64 rng(1);
  const gradgen::Samples none = gradgen::sample_points(never.circuit, rng, 2);
  CHECK(none.points.empty());
  CHECK(none.skipped.size() == 2);
}

TEST_CASE("a loaded header gives the generated value and gradient", "[runtime][compile]") {
  const auto code = gradgen::runtime::LoadedGradient::compile(header_for("(x + y) * z"), "f");
  CHECK(code.inputs() == std::vector<std::string>{"x", "y", "z"});
  CHECK(code.wrt() == code.inputs());
  const double in[3] = {-2, 5, -4};
  double grad[3] = {};
  CHECK(code.value(in) == -12);
  CHECK(code.gradient(in, grad) == -12);
  CHECK(grad[0] == -4);
  CHECK(grad[1] == -4);
  CHECK(grad[2] == 3);
}

TEST_CASE("a float header is loaded through doubles", "[runtime][compile]") {
  gradgen::EmitOptions emit;
  emit.function = "g";
  emit.ns = "fp";
  emit.type = gradgen::ScalarType::kFloat;
  gradgen::CompileOptions options;
  options.wrt = {"a"};
  const std::string header = gradgen::generate_header({"<input>", "a * b"}, options, emit);
  const auto code = gradgen::runtime::LoadedGradient::compile(header, "fp::g");
  CHECK(code.wrt() == std::vector<std::string>{"a"});
  const double in[2] = {1.5, 2.0};
  double grad[1] = {};
  CHECK(code.gradient(in, grad) == 3.0);
  CHECK(grad[0] == 2.0);
}

TEST_CASE("compile failures and a missing compiler are clear errors", "[runtime][compile]") {
  try {
    gradgen::runtime::LoadedGradient::compile("this is not C++", "f");
    FAIL("no error");
  } catch (const gradgen::runtime::CompileError& e) {
    CHECK(std::string(e.what()).find("did not compile") != std::string::npos);
    CHECK(e.diagnostics().find("error") != std::string::npos);  // the compiler's own words
  }
  gradgen::runtime::CompileSettings settings;
  settings.compiler = "/nonexistent/c++";
  try {
    gradgen::runtime::LoadedGradient::compile(header_for("a"), "f", settings);
    FAIL("no error");
  } catch (const gradgen::runtime::CompileError& e) {
    CHECK(std::string(e.what()).find("cannot run the C++ compiler") != std::string::npos);
  }
}

TEST_CASE("the runtime leaves no temporary files behind", "[runtime][compile]") {
  gradgen::runtime::TempDir sandbox;
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  setenv("TMPDIR", sandbox.path().c_str(), 1);
  {
    const auto code = gradgen::runtime::LoadedGradient::compile(header_for("a * b"), "f");
    const double in[2] = {2, 3};
    CHECK(code.value(in) == 6);
  }
  CHECK_THROWS_AS(gradgen::runtime::LoadedGradient::compile("not C++", "f"),
                  gradgen::runtime::CompileError);
  if (old) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  CHECK(fs::is_empty(sandbox.path()));
}

TEST_CASE("gradgen check and eval on the guide's examples", "[runtime][cli][compile]") {
  struct Example {
    const char* program;
    const char* at;
    const char* value;
    std::vector<const char*> gradient;
  };
  const Example examples[] = {
      {"x * y", "x=-2,y=3", "value = -6", {"dx = 3", "dy = -2"}},
      {"(x + y) * z", "x=-2,y=5,z=-4", "value = -12", {"dx = -4", "dy = -4", "dz = 3"}},
      {"x = a * a", "a=3", "value = 9", {"da = 6"}},
      {"pow((a*b+c)*d, 2)", "a=1,b=2,c=3,d=4", "value = 400", {"da = 320", "db = 160", "dc = 160", "dd = 200"}},
      {"x = Math.max(a, b)", "a=1,b=2", "value = 2", {"da = 0", "db = 1"}},
  };
  for (const Example& e : examples) {
    INFO(e.program);
    const auto eval = run_process({GRADGEN_BINARY, "eval", e.program, "--at", e.at});
    CHECK(eval.exit_code == 0);
    CHECK(eval.out.find(e.value) != std::string::npos);
    for (const char* d : e.gradient) CHECK(eval.out.find(d) != std::string::npos);
    const auto check = run_process({GRADGEN_BINARY, "check", e.program, "--points", "3"});
    INFO(check.out << check.err);
    CHECK(check.exit_code == 0);
    CHECK(check.out.find("ok: ") != std::string::npos);
    const auto at = run_process({GRADGEN_BINARY, "check", e.program, "--at", e.at});
    CHECK(at.exit_code == 0);
  }
  for (const char* type : {"float", "long double"}) {
    INFO(type);
    const auto typed = run_process({GRADGEN_BINARY, "check", "sin(a)*b + exp(a) / (1 + b*b)",
                                    "--type", type, "--points", "5"});
    INFO(typed.out);
    CHECK(typed.exit_code == 0);
  }
  const auto neuron = run_process({GRADGEN_BINARY, "eval", "sig(a*x + b*y + c)", "--inputs",
                                   "a,b,c,x,y", "--at", "a=1,b=2,c=-3,x=-1,y=3", "--json"});
  CHECK(neuron.exit_code == 0);
  CHECK(std::regex_search(neuron.out, std::regex(R"("value": 0\.8807970779778)")));
  CHECK(std::regex_search(neuron.out, std::regex(R"("a": -0\.10499358540)")));
  CHECK(run_process({GRADGEN_BINARY, "eval", "a*b"}).exit_code == 2);            // no --at
  CHECK(run_process({GRADGEN_BINARY, "eval", "a*b", "--at", "a=1"}).exit_code == 2);
  CHECK(run_process({GRADGEN_BINARY, "eval", "a*", "--at", "a=1"}).exit_code == 1);
  CHECK(run_process({GRADGEN_BINARY, "check"}).exit_code == 2);
}

TEST_CASE("gradgen check --header catches corrupted gradients", "[runtime][cli][compile]") {
  gradgen::runtime::TempDir dir;
  const std::string program = "pow((a*b+c)*d, 2)";
  const std::string good = header_for(program);
  struct Corruption {
    const char* what;
    const char* from;
    const char* to;
  };
  const Corruption corruptions[] = {
      {"a flipped sign", "const double da = b * dx1;", "const double da = -b * dx1;"},
      {"a dropped term", "const double dx2 = 2.0 * x2 * dx;", "const double dx2 = x2 * dx;"},
      {"swapped inputs", "  grad[0] = da;\n  grad[1] = db;", "  grad[0] = db;\n  grad[1] = da;"},
      {"a wrong local gradient", "const double dc = 1.0 * dx1;", "const double dc = 1.0 * dx2;"},
  };
  const std::string good_path = dir.path() + "/good.hpp";
  write(good_path, good);
  const auto fine = run_process({GRADGEN_BINARY, "check", "--header", good_path, "--name", "f"});
  INFO(fine.out << fine.err);
  CHECK(fine.exit_code == 0);
  for (const Corruption& c : corruptions) {
    INFO(c.what);
    const std::string path = dir.path() + "/bad.hpp";
    write(path, corrupt(good, c.from, c.to));
    const auto alone = run_process({GRADGEN_BINARY, "check", "--header", path, "--name", "f"});
    CHECK(alone.exit_code == 1);
    CHECK(alone.out.find("MISMATCH") != std::string::npos);
    const auto with_program =
        run_process({GRADGEN_BINARY, "check", "--header", path, "--name", "f", "--program", program});
    CHECK(with_program.exit_code == 1);
  }
  // A corrupted forward pass: the gradient matches its own forward function,
  // but not the program, which only the program can tell.
  const std::string path = dir.path() + "/forward.hpp";
  write(path, corrupt(corrupt(good, "const double x1 = a * b + c;", "const double x1 = a * b - c;"),
                      "const double x1 = a * b + c;", "const double x1 = a * b - c;"));
  const auto forward =
      run_process({GRADGEN_BINARY, "check", "--header", path, "--name", "f", "--program", program});
  CHECK(forward.exit_code == 1);
  CHECK(forward.out.find("disagrees with the program") != std::string::npos);
  // A file that is no such header at all: said before compiling.
  write(path, "not C++");
  const auto not_header = run_process({GRADGEN_BINARY, "check", "--header", path, "--name", "f"});
  CHECK(not_header.exit_code == 1);
  CHECK(not_header.err.find("declares no NAME_inputs") != std::string::npos);
  // A header that does not compile: the compiler's messages are shown.
  write(path, "inline constexpr int f_inputs{1};\nnot C++");
  const auto broken = run_process({GRADGEN_BINARY, "check", "--header", path, "--name", "f"});
  CHECK(broken.exit_code == 1);
  CHECK(broken.err.find("did not compile") != std::string::npos);
}

TEST_CASE("gradgen check --hessian checks NAME_hessian and catches a corrupted entry",
          "[runtime][cli][compile]") {
  gradgen::runtime::TempDir dir;
  const std::string program = "pow((a*b+c)*d, 2)";
  gradgen::CompileOptions options;
  options.hessian = true;
  gradgen::EmitOptions emit;
  emit.program = program;
  emit.version = "test";
  const std::string good = gradgen::generate_header({"<input>", program}, options, emit);
  const auto fine = run_process({GRADGEN_BINARY, "check", program, "--hessian", "--points", "3"});
  INFO(fine.out << fine.err);
  CHECK(fine.exit_code == 0);
  CHECK(fine.out.find("Hessian row 4") != std::string::npos);
  CHECK(fine.out.find("ok: 60 gradient and Hessian entries checked at 3 points") != std::string::npos);
  struct Corruption {
    const char* what;
    const char* from;
    const char* to;
  };
  const Corruption corruptions[] = {
      {"a wrong diagonal entry", "hess[0] = da_dot;", "hess[0] = 2.0 * da_dot;"},
      {"a broken symmetry", "hess[4] = hess[1] = db_dot;", "hess[4] = db_dot; hess[1] = 0.0;"},
      {"a wrong tangent", "const double dx1_dot = d * dx2_dot;", "const double dx1_dot = -d * dx2_dot;"},
      {"a wrong Hessian-vector product", "hv[3] = dd_dot;", "hv[3] = 2.0 * dd_dot;"},
  };
  for (const Corruption& c : corruptions) {
    INFO(c.what);
    const std::string path = dir.path() + "/bad.hpp";
    write(path, corrupt(good, c.from, c.to));
    const auto r = run_process({GRADGEN_BINARY, "check", "--header", path, "--name", "f", "--hessian"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("MISMATCH") != std::string::npos);
  }
}

TEST_CASE("gradgen check with several outputs: the Jacobian, forward against reverse, and corruptions",
          "[runtime][cli][compile]") {
  gradgen::runtime::TempDir dir;
  const std::string program = "q = x + y; f = q * z; g = sin(q) / z";
  const auto r = run_process({GRADGEN_BINARY, "check", program, "--output", "q,f,g", "--points", "2"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("== output q (row 1 of the Jacobian)") != std::string::npos);
  CHECK(r.out.find("== output g (row 3 of the Jacobian)") != std::string::npos);
  CHECK(r.out.find("<J v, w> = <v, J^T w>): ok") != std::string::npos);
  CHECK(r.out.find("ok: 18 Jacobian entries checked at 2 points") != std::string::npos);

  gradgen::CompileOptions options;
  options.outputs = {"q", "f", "g"};
  gradgen::EmitOptions emit;
  emit.program = program;
  emit.version = "test";
  const std::string good = gradgen::generate_header({"<input>", program}, options, emit);
  const std::string good_path = dir.path() + "/good.hpp";
  write(good_path, good);
  const auto fine = run_process({GRADGEN_BINARY, "check", "--header", good_path, "--name", "f"});
  INFO(fine.out << fine.err);
  CHECK(fine.exit_code == 0);
  struct Corruption {
    const char* what;
    const char* from;
    const char* to;
    const char* message;
  };
  const Corruption corruptions[] = {
      {"a wrong Jacobian entry", "jac[5] = dz;", "jac[5] = -dz;", "MISMATCH"},
      {"a wrong VJP", "in_bar[2] = dz;", "in_bar[2] = 2.0 * dz;", "NAME_vjp gives"},
      {"a wrong JVP", "out_dot[1] = f_dot;", "out_dot[1] = 0.5 * f_dot;", "NAME_jvp gives"},
      {"a wrong output", "out[1] = f_;", "out[1] = 2.0 * f_;", "for f, NAME(in, out)"},
  };
  for (const Corruption& c : corruptions) {
    INFO(c.what);
    const std::string path = dir.path() + "/bad.hpp";
    write(path, corrupt(good, c.from, c.to));
    const auto bad = run_process({GRADGEN_BINARY, "check", "--header", path, "--name", "f"});
    INFO(bad.out << bad.err);
    CHECK(bad.exit_code == 1);
    CHECK(bad.out.find(c.message) != std::string::npos);
    CHECK(bad.out.find("MISMATCH") != std::string::npos);
  }
}

TEST_CASE("gradgen check: a comment that mentions NAME_outputs is not a declaration", "[runtime][cli][compile]") {
  const auto r = run_process({GRADGEN_BINARY, "check", "a*b // see f_outputs{} in the docs", "--points", "1"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("gradgen check compares NAME_jvp with the gradient", "[runtime][cli][compile]") {
  const auto r = run_process({GRADGEN_BINARY, "check", "sig(a*x + b*y + c)", "--points", "2"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("forward mode (NAME_jvp) against the gradient: ok") != std::string::npos);
}

// runtime/function_kinds.hpp is the one description of what a header holds:
// the emitter writes exactly the kinds present() names for its shape (each
// with a suffix is declared in the header, the others are absent), and the
// runtime, compiling the header, finds the same set without being told.
TEST_CASE("the function kinds table drives the header and the runtime's loading", "[runtime][compile]") {
  struct Case {
    const char* program;
    bool hessian, batch;
    std::vector<std::string> outputs;
  };
  const std::vector<Case> cases{
      {"a * b + sin(a)", false, false, {}},
      {"a * b + sin(a)", true, false, {}},
      {"a * b + sin(a)", false, true, {}},
      {"y1 = a * b\ny2 = a + b", false, false, {"y1", "y2"}},
  };
  for (const Case& c : cases) {
    gradgen::CompileOptions options;
    options.hessian = c.hessian;
    options.outputs = c.outputs;
    gradgen::EmitOptions emit;
    emit.function = "f";
    emit.ns = "kinds";
    emit.batch = c.batch;
    const gradgen::Compilation compilation = gradgen::compile({"<input>", c.program}, options);
    const gradgen::HeaderShape shape = gradgen::shape_of(compilation, emit);
    const std::string header = gradgen::emit_header(compilation, emit);
    const auto code = gradgen::runtime::LoadedGradient::compile(header, "kinds::f");
    INFO(c.program << (c.hessian ? " --hessian" : "") << (c.batch ? " --batch" : ""));
    CHECK(code.several_outputs() == shape.several_outputs);
    for (const gradgen::FunctionKindInfo& kind : gradgen::kFunctionKinds) {
      INFO("kind " << kind.role);
      const bool present = gradgen::present(kind.kind, shape);
      if (!kind.suffix.empty()) {
        const std::string declaration = "f" + std::string(kind.suffix) + "(";
        CHECK((header.find(" " + declaration) != std::string::npos) == present);
      }
      if (kind.kind != gradgen::FunctionKind::kNamedForms) CHECK(code.offers(kind.kind) == present);
    }
  }
  // Shapes that cannot be: --hessian and --batch need one output.
  gradgen::HeaderShape several{true, true, true};
  CHECK_FALSE(gradgen::present(gradgen::FunctionKind::kHessian, several));
  CHECK_FALSE(gradgen::present(gradgen::FunctionKind::kGradBatch, several));
  CHECK(gradgen::present(gradgen::FunctionKind::kJacobian, several));
}

TEST_CASE("a hand-written header offers what it declares, found by compiling it", "[runtime][compile]") {
  // The v1 contract's minimum, in the global namespace: NAME, NAME_grad,
  // NAME_inputs; no NAME_wrt, NAME_jvp or NAME_hessian.
  const std::string minimal =
      "#include <array>\n#include <string_view>\n"
      "inline constexpr std::array<std::string_view, 2> g_inputs{\"u\", \"v\"};\n"
      "inline double g(const double* in) { return in[0] * in[1]; }\n"
      "inline double g_grad(const double* in, double* grad) {\n"
      "  grad[0] = in[1]; grad[1] = in[0]; return in[0] * in[1];\n}\n";
  const auto code = gradgen::runtime::LoadedGradient::compile(minimal, "g");
  CHECK(code.offers(gradgen::FunctionKind::kValue));
  CHECK(code.offers(gradgen::FunctionKind::kGrad));
  CHECK_FALSE(code.offers(gradgen::FunctionKind::kJvp));
  CHECK_FALSE(code.offers(gradgen::FunctionKind::kHessian));
  CHECK_FALSE(code.several_outputs());
  CHECK(code.wrt() == std::vector<std::string>{"u", "v"});  // no g_wrt: every input
  const double in[2] = {2, 5};
  double grad[2] = {};
  CHECK(code.gradient(in, grad) == 10);
  CHECK(grad[0] == 5);
  double dot = 0;
  CHECK_THROWS_AS(code.jvp(in, in, &dot), std::logic_error);
  // A name of the header's own that happens to be one of gradgen's kinds
  // but with another signature is not taken for it.
  const auto odd = gradgen::runtime::LoadedGradient::compile(
      minimal + "inline int g_jvp(int a) { return a; }\n", "g");
  CHECK_FALSE(odd.offers(gradgen::FunctionKind::kJvp));
}

TEST_CASE("gradgen check --header checks the Hessian a header offers, and says when it has none",
          "[runtime][cli][compile]") {
  gradgen::runtime::TempDir dir;
  const std::string with = dir.path() + "/with.hpp";
  const std::string without = dir.path() + "/without.hpp";
  gradgen::CompileOptions options;
  options.hessian = true;
  gradgen::EmitOptions emit;
  write(with, gradgen::generate_header({"<input>", "a * a * b"}, options, emit));
  write(without, header_for("a * a * b"));
  const auto offered = run_process({GRADGEN_BINARY, "check", "--header", with, "--points", "2"});
  CHECK(offered.exit_code == 0);
  CHECK(offered.out.find("gradient and Hessian entries checked") != std::string::npos);
  const auto missing = run_process({GRADGEN_BINARY, "check", "--header", without, "--hessian"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("has no f_hessian to check: generate it with --hessian") != std::string::npos);
}

// Every mode for a v2 program, checked numerically by gradgen check: the
// Hessian, several outputs (an array among them), --wrt of whole arrays,
// float, and a header with the batched functions (compiled with the rest).
TEST_CASE("gradgen check: v2 programs in every mode", "[runtime][cli][compile][v2]") {
  const std::string program =
      "for (var i = 0; i < 3; i++) {\n  var s = b[i]\n  for (var j = 0; j < 2; j++) s += W[i][j] * x[j]\n"
      "  h[i] = tanh(s)\n}\nloss = sum(h) * sum(h)";
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{"--hessian"}, {"--output", "loss,h"}, {"--wrt", "W,b"}, {"--type", "float"},
        {"--batch"}}) {
    std::vector<std::string> argv{GRADGEN_BINARY, "check", program, "--points", "2"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    const auto r = run_process(argv);
    INFO(extra.front() << "\n" << r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("ok: ") != std::string::npos);
  }
}

// The command line as a Unix user types it (issue: "fits every habit"):
// option values attached (-oFILE, -o=FILE, -fFILE), standard input read
// when it is not a terminal, "did you mean" for commands and options, notes
// when a program looks like a command or a file, colour on a terminal only,
// include guards that make a clash of two headers loud, and gradgen check's
// habits (progress on standard error, points that --at reproduces, --at read
// before compiling, CXX split into words, --json).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "runtime/process.hpp"
#include "support/cli_run.hpp"
#include "support/generated.hpp"

namespace {

using gradgen::runtime::ProcessResult;
using gradgen::runtime::TempDir;
using gradgen::testing::gradgen_run;
using gradgen::testing::piped;
using gradgen::testing::read_file;
using gradgen::testing::write_file;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Compiles main.cpp in `dir` under the contract's flags; the result.
ProcessResult compile_main(const TempDir& dir) {
  std::vector<std::string> argv = gradgen::runtime::command_words(gradgen::runtime::system_compiler());
  const auto& flags = gradgen::testing::warning_flags();
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.insert(argv.end(), {"-fsyntax-only", dir.path() + "/main.cpp"});
  return gradgen::runtime::run_process(argv);
}

}  // namespace

TEST_CASE("option values attach as getopt reads them: -oFILE, -o=FILE, -fFILE, -f=FILE, --name=N",
          "[cli][habits]") {
  TempDir dir;
  const std::string program = dir.path() + "/loss.gg";
  write_file(program, "(x + y) * z\n");
  const std::string expected = gradgen_run({"-f", program, "--name", "loss"}).out;
  REQUIRE(has(expected, "loss_grad("));
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"-f" + program, "-o" + dir.path() + "/a.hpp", "--name=loss"},
           {"-f=" + program, "-o=" + dir.path() + "/a.hpp", "--name", "loss"},
           {"--file=" + program, "--output-file=" + dir.path() + "/a.hpp", "--name=loss"}}) {
    INFO(args[0] << " " << args[1]);
    const ProcessResult r = gradgen_run(args);
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(read_file(dir.path() + "/a.hpp") == expected);
  }
  // -O0 is still the one-gate-per-line flag, -x*y still a program after --.
  CHECK(gradgen_run({"x*y", "-O0"}).exit_code == 0);
  CHECK(gradgen_run({"--", "-x*y"}).exit_code == 0);
  // A flag given a value, and an attached value that is empty.
  const ProcessResult flag = gradgen_run({"x", "--hessian=1"});
  CHECK(flag.exit_code == 2);
  CHECK(has(flag.err, "--hessian takes no value"));
  CHECK(gradgen_run({"-f=", "-o", "/dev/null"}).exit_code == 2);
  // A word with an operator in it is a program, never -o or -f with a value.
  const ProcessResult program_like = gradgen_run({"-omega*x"});
  CHECK(program_like.exit_code == 0);
  CHECK(has(program_like.out, "f_inputs{\"omega\", \"x\"}"));
  // An empty value is a mistake, not "no value given".
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"x", "-o", ""}, {"x", "--output-file="}, {"-f", ""}, {"check", "x", "--at", ""}}) {
    INFO(args[1]);
    const ProcessResult empty = gradgen_run(args);
    CHECK(empty.exit_code == 2);
    CHECK(has(empty.err, "needs a value"));
  }
  // A command after options says where it goes.
  const ProcessResult late = gradgen_run({"--name", "g", "check", "x*y"});
  CHECK(late.exit_code == 2);
  CHECK(has(late.err, "'check' is a command: it comes before the options"));
}

TEST_CASE("the program comes from standard input when none is given and it is not a terminal",
          "[cli][habits]") {
  const ProcessResult r = piped("echo 'x * y' | \"$0\" --name piped");
  CHECK(r.exit_code == 0);
  CHECK(has(r.out, "piped_grad("));
  CHECK(has(r.out, "//   x * y"));
  // run_process gives standard input /dev/null: empty, so no program.
  const ProcessResult empty = gradgen_run({"--name", "g"});
  CHECK(empty.exit_code == 2);
  CHECK(has(empty.err, "no program given, and standard input is empty"));
  CHECK(piped("echo 'x * y' | \"$0\" check --points 1").exit_code == 0);
}

TEST_CASE("commands and options get a did-you-mean, and look-alike programs a note", "[cli][habits]") {
  const ProcessResult command = gradgen_run({"chek", "x*y"});
  CHECK(command.exit_code == 2);
  CHECK(has(command.err, "unknown command 'chek'; did you mean 'check'?"));
  const ProcessResult option = gradgen_run({"x*y", "--nme", "f"});
  CHECK(option.exit_code == 2);
  CHECK(has(option.err, "unknown option '--nme'; did you mean '--name'?"));
  const ProcessResult check_option = gradgen_run({"check", "x*y", "--pionts", "3"});
  CHECK(check_option.exit_code == 2);
  CHECK(has(check_option.err, "did you mean '--points'?"));
  const ProcessResult input = gradgen_run({"eval", "x*y", "--at", "x=1,yy=2"});
  CHECK(input.exit_code == 2);
  CHECK(has(input.err, "'yy' is not an input; did you mean 'y'?"));
  // `help` and `chek` are valid programs: a header, and a note on stderr.
  const ProcessResult help = gradgen_run({"help"});
  CHECK(help.exit_code == 0);
  CHECK(has(help.out, "f_grad("));
  CHECK(has(help.err, "for help: gradgen --help"));
  const ProcessResult alone = gradgen_run({"chek"});
  CHECK(alone.exit_code == 0);
  CHECK(has(alone.err, "did you mean the command 'gradgen check'?"));
  // Short names are ordinary programs: no note.
  for (const char* program : {"x*y", "dt", "do", "val", "cot", "d^2"}) {
    INFO(program);
    CHECK(gradgen_run({program}).err.empty());
  }
}

TEST_CASE("a program argument that names an existing file gets a note saying -f reads it", "[cli][habits]") {
  TempDir dir;
  write_file(dir.path() + "/loss.gg", "x * y\n");
  const ProcessResult in_dir = gradgen::runtime::run_process(
      {"/bin/sh", "-c", "cd \"$1\" && exec \"$0\" loss.gg -o out.hpp", GRADGEN_BINARY, dir.path()});
  CHECK(in_dir.exit_code == 1);
  CHECK(has(in_dir.err, "not as the file of that name; to read the file: gradgen -f loss.gg"));
  CHECK(has(in_dir.err, "<input>:1:"));
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/out.hpp"));
}

TEST_CASE("diagnostics are coloured on a terminal only, and never with NO_COLOR", "[cli][habits]") {
  // script(1) (util-linux, on every Debian) gives gradgen a terminal.
  const ProcessResult has_script = gradgen::runtime::run_process({"script", "--version"});
  if (!has_script.started || has_script.exit_code != 0) {
    WARN("script(1) is missing: colour on a terminal not tested");
    return;
  }
  const auto on_terminal = [](const std::string& env) {
    return gradgen::runtime::run_process(
        {"/bin/sh", "-c", env + " TERM=xterm script -qec \"$0 'sinn(x)'\" /dev/null", GRADGEN_BINARY});
  };
  const ProcessResult coloured = on_terminal("unset NO_COLOR;");
  CHECK(has(coloured.out, "\x1b[31merror:"));
  CHECK(has(coloured.out, "did you mean 'sin'?"));
  const ProcessResult no_colour = on_terminal("NO_COLOR=1");
  CHECK(has(no_colour.out, "error: unknown function 'sinn'"));
  CHECK_FALSE(has(no_colour.out, "\x1b["));
  const ProcessResult piped_err = gradgen_run({"sinn(x)"});
  CHECK_FALSE(has(piped_err.err, "\x1b["));
}

TEST_CASE("include guards: the same header twice counts once, two different headers for one name clash loudly",
          "[cli][habits][compile]") {
  TempDir dir;
  const auto generate = [&](const std::string& program, const std::string& file) {
    const ProcessResult r = gradgen_run({program, "--name", "loss", "-o", dir.path() + "/" + file});
    REQUIRE(r.exit_code == 0);
  };
  generate("x * y", "first.hpp");
  generate("x * y", "again.hpp");
  generate("x + y", "other.hpp");
  CHECK(read_file(dir.path() + "/first.hpp") == read_file(dir.path() + "/again.hpp"));
  write_file(dir.path() + "/main.cpp",
             "#include \"first.hpp\"\n#include \"again.hpp\"\nint main() { return loss_inputs.size() == 2 ? 0 : 1; }\n");
  const ProcessResult same = compile_main(dir);
  INFO(same.err);
  CHECK(same.exit_code == 0);
  write_file(dir.path() + "/main.cpp",
             "#include \"first.hpp\"\n#include \"other.hpp\"\nint main() { return 0; }\n");
  const ProcessResult clash = compile_main(dir);
  CHECK(clash.exit_code != 0);
  CHECK(has(clash.err, "redefinition"));
  // Options count too: --type float is another header.
  const ProcessResult f = gradgen_run({"x * y", "--name", "loss", "--type", "float", "-o", dir.path() + "/float.hpp"});
  REQUIRE(f.exit_code == 0);
  const auto guard = [&](const std::string& file) {
    const std::string text = read_file(dir.path() + "/" + file);
    const std::size_t at = text.find("#ifndef ");
    return text.substr(at, text.find('\n', at) - at);
  };
  CHECK(guard("first.hpp") == guard("again.hpp"));
  CHECK(guard("first.hpp") != guard("other.hpp"));
  CHECK(guard("first.hpp") != guard("float.hpp"));
}

TEST_CASE("gradgen check: progress on stderr, exact points that --at reproduces, --at read before compiling",
          "[cli][habits][compile]") {
  const ProcessResult ok = gradgen_run({"check", "x*y + sin(x)", "--points", "1"});
  CHECK(ok.exit_code == 0);
  CHECK_FALSE(has(ok.out, "compiling"));
  CHECK(has(ok.err, "compiling the generated header"));
  // The point's text, given back with --at, is the same point.
  const std::size_t at = ok.out.find("point 1: ");
  REQUIRE(at != std::string::npos);
  std::string line = ok.out.substr(at + 9, ok.out.find('\n', at) - at - 9);  // "x = .. y = .."
  std::string given;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line.compare(i, 3, " = ") == 0) {
      given += '=';
      i += 2;
    } else if (line[i] == ' ') {
      given += ',';
    } else {
      given += line[i];
    }
  }
  const ProcessResult again = gradgen_run({"check", "x*y + sin(x)", "--at", given});
  CHECK(again.exit_code == 0);
  CHECK(has(again.out, "point 1: " + line + "\n"));
  CHECK(has(again.out, ok.out.substr(at, ok.out.find("forward mode") - at)));
  // A bad --at fails at once, before any compiler runs.
  const ProcessResult bad = gradgen::runtime::run_process(
      {"/usr/bin/env", "CXX=/nonexistent/c++", GRADGEN_BINARY, "check", "x*y", "--at", "x=1,z=2"});
  CHECK(bad.exit_code == 2);
  CHECK(has(bad.err, "'z' is not an input"));
  CHECK_FALSE(has(bad.err, "compiling"));
}

TEST_CASE("gradgen check splits CXX into words as a shell would", "[cli][habits][compile]") {
  const ProcessResult r = gradgen::runtime::run_process(
      {"/usr/bin/env", "CXX=env 'LC_ALL=C' " + gradgen::runtime::system_compiler(), GRADGEN_BINARY, "check",
       "x*y", "--points", "1"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(gradgen::runtime::command_words("ccache  'g++' \"-D A=\\\"1\\\"\" a\\ b") ==
        std::vector<std::string>{"ccache", "g++", "-D A=\"1\"", "a b"});
  CHECK_THROWS_AS(gradgen::runtime::command_words("g++ 'open"), std::invalid_argument);
  const ProcessResult unclosed = gradgen::runtime::run_process(
      {"/usr/bin/env", "CXX=g++ 'open", GRADGEN_BINARY, "check", "x*y", "--points", "1"});
  CHECK(unclosed.exit_code == 1);
  CHECK(has(unclosed.err, "not closed"));
}

TEST_CASE("gradgen check and explain --json", "[cli][habits][compile]") {
  const ProcessResult check = gradgen_run({"check", "(x+y)*z", "--at", "x=-2,y=5,z=-4", "--json"});
  CHECK(check.exit_code == 0);
  CHECK(check.out.rfind("{\"ok\": true, \"checked\": 3, \"points\": 1, \"skipped\": 0, ", 0) == 0);
  CHECK(has(check.out, "\"at\": {\"x\": -2, \"y\": 5, \"z\": -4}, \"value\": -12"));
  CHECK(has(check.out, "{\"input\": \"z\", \"analytic\": 3, "));
  CHECK(std::count(check.out.begin(), check.out.end(), '\n') == 1);
  const ProcessResult explain = gradgen_run({"explain", "(x+y)*z", "--at", "x=-2,y=5,z=-4", "--json"});
  CHECK(explain.exit_code == 0);
  CHECK(has(explain.out, "\"forward\": [{\"gate\": 3, \"line\": \"t1 = x + y\", \"value\": 3, \"output\": false}"));
  CHECK(has(explain.out, "{\"input\": \"x\", \"analytic\": -4, \"numerical\": "));
  CHECK(has(explain.out, "{\"input\": \"z\", \"analytic\": 3, \"numerical\": "));
  CHECK(has(explain.out, "\"text\": \"dz = t1 * dt = 3 * 1 = 3\", \"value\": 3"));
}

TEST_CASE("gradgen check --header takes a header of the v1 contract, and names the NAME it defines",
          "[cli][habits][compile]") {
  TempDir dir;
  // NAME_inputs, NAME and NAME_grad only: NAME_wrt belongs to --wrt.
  write_file(dir.path() + "/v1.hpp",
             "#include <array>\n#include <cmath>\n#include <string_view>\nnamespace ml {\n"
             "inline constexpr std::array<std::string_view, 2> loss_inputs{\"x\", \"y\"};\n"
             "inline double loss(const double* in) { return in[0] * in[1] + std::sin(in[0]); }\n"
             "inline double loss_grad(const double* in, double* grad) {\n"
             "  grad[0] = in[1] + std::cos(in[0]);\n  grad[1] = in[0];\n  return loss(in);\n}\n}\n");
  const std::string header = dir.path() + "/v1.hpp";
  const ProcessResult ok = gradgen_run({"check", "--header", header, "--name", "loss", "--namespace", "ml",
                                        "--program", "x*y + sin(x)"});
  INFO(ok.out << ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(has(ok.out, "ok: 10 gradient entries checked at 5 points"));
  const ProcessResult wrong = gradgen_run({"check", "--header", header});
  CHECK(wrong.exit_code == 2);
  CHECK(has(wrong.err, "this header defines loss_inputs: use --name loss --namespace ml"));
  CHECK_FALSE(has(wrong.err, "wrapper.cpp"));
  const ProcessResult no_namespace = gradgen_run({"check", "--header", header, "--name", "loss"});
  CHECK(no_namespace.exit_code == 2);
  CHECK(has(no_namespace.err, "declares loss_inputs in namespace ml: use --namespace ml"));
  // --at's names and the program's errors come before the compile.
  const ProcessResult at = gradgen::runtime::run_process({"/usr/bin/env", "CXX=/nonexistent/c++", GRADGEN_BINARY,
                                                          "check", "--header", header, "--name", "loss",
                                                          "--namespace", "ml", "--at", "x=1,z=2"});
  CHECK(at.exit_code == 2);
  CHECK(has(at.err, "'z' is not an input"));
  CHECK_FALSE(has(at.err, "compiling"));
}

// The gradgen command line, run as a separate process: exit statuses (0 done,
// 1 a bad program or an unwritable file, 2 bad usage), where the header and
// the messages go, -o's promise never to leave a half-written or clobbered
// file, reading the program from a file or standard input, and determinism.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "runtime/process.hpp"
#include "support/cli_run.hpp"

namespace {

using gradgen::runtime::ProcessResult;
using gradgen::runtime::TempDir;
using gradgen::testing::Args;

using gradgen::testing::gradgen_run;
using gradgen::testing::piped;
using gradgen::testing::read_file;
using gradgen::testing::write_file;

bool exists(const std::string& path) { return std::filesystem::exists(path); }

// The names in a directory, sorted (hidden ones, such as -o's temporaries, too).
std::vector<std::string> listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

void check_header(const ProcessResult& r) {
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("#ifndef") != std::string::npos);
  CHECK(r.out.find("inline double f(") != std::string::npos);
  CHECK(r.out.find("f_grad(") != std::string::npos);
  CHECK(r.out.find("f_inputs") != std::string::npos);
}

const char* const kGood = "x1 = a * b + c\nx2 = x1 * d\nx = x2 * x2";
// A bad program and the first line of its message.
const char* const kBad = "a = 1\nb = a $ 2";
const char* const kBadMessage = "2:7: error: unexpected character '$'\nb = a $ 2\n      ^\n";

}  // namespace

TEST_CASE("cli: a good program gives exit 0 and a header on stdout", "[cli]") {
  for (const char* program : {"a*b", "pow(((a * b + c) * d), 2)", "out = sig(a*x + b*y + c)",
                              "-a^2 + b", "new * int + NAN"}) {
    INFO("program: " << program);
    check_header(gradgen_run({program}));
  }
  // A program that starts like an option goes after --.
  check_header(gradgen_run({"--", "-a"}));
  const ProcessResult named = gradgen_run({"a*b", "--name", "loss", "--namespace", "nn::gen"});
  CHECK(named.exit_code == 0);
  CHECK(named.out.find("loss_grad(") != std::string::npos);
  CHECK(named.out.find("namespace nn::gen") != std::string::npos);
  const ProcessResult wrt = gradgen_run({"a*b*c", "--wrt", "c,a"});
  CHECK(wrt.exit_code == 0);
  CHECK(wrt.out.find("f_wrt{\"a\", \"c\"}") != std::string::npos);
}

TEST_CASE("cli: -o writes the header to a file", "[cli]") {
  TempDir dir;
  const std::string out = dir.path() + "/grad.hpp";
  const ProcessResult stdout_run = gradgen_run({kGood});
  REQUIRE(stdout_run.exit_code == 0);

  ProcessResult r = gradgen_run({kGood, "-o", out});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  CHECK(read_file(out) == stdout_run.out);
  CHECK(listing(dir.path()) == std::vector<std::string>{"grad.hpp"});

  // -o - is standard output, as -f - is standard input.
  const ProcessResult dash = gradgen_run({kGood, "-o", "-"});
  CHECK(dash.exit_code == 0);
  CHECK(dash.out == stdout_run.out);

  // It replaces an existing file whole; --output-file=FILE is the same.
  write_file(out, "old contents, much longer than nothing at all ......................\n");
  r = gradgen_run({"a*b", "--output-file=" + out});
  CHECK(r.exit_code == 0);
  CHECK(read_file(out) == gradgen_run({"a*b"}).out);
  CHECK(listing(dir.path()) == std::vector<std::string>{"grad.hpp"});
}

TEST_CASE("cli: a bad program exits with 1 and a located message with a caret", "[cli]") {
  struct BadRow {
    const char* program;
    const char* message;  // the whole of stderr after "<input>:"
  };
  const std::vector<BadRow> rows = {
      {kBad, kBadMessage},
      {"sinn(x)", "1:1: error: unknown function 'sinn'; did you mean 'sin'?\nsinn(x)\n^\n"},
      {"(a + b) * (c", "1:13: error: unbalanced parentheses: the '(' at 1:11 is never closed\n"
                       "(a + b) * (c\n            ^\n"},
      {"y = x * 2\nx = 3", "1:5: error: `x` is used before it is assigned\ny = x * 2\n    ^\n"},
      {"pow(x)", "1:1: error: pow takes 2 arguments, but 1 was given\npow(x)\n^\n"},
      {";", "1:1: error: empty program: write an expression such as a * b + c\n;\n^\n"},
  };
  for (const BadRow& row : rows) {
    INFO("program: " << row.program);
    const ProcessResult r = gradgen_run({row.program});
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err == std::string("<input>:") + row.message);
  }
  // Also with --dump-ast, --dump-ir and the options that shape the header.
  for (const Args& extra : {Args{"--dump-ast"}, Args{"--dump-ir"}, Args{"--name", "g"}}) {
    Args args{kBad};
    args.insert(args.end(), extra.begin(), extra.end());
    const ProcessResult r = gradgen_run(args);
    CHECK(r.exit_code == 1);
    CHECK(r.err == std::string("<input>:") + kBadMessage);
  }
}

TEST_CASE("cli: -o with a bad program leaves the output as it was", "[cli]") {
  TempDir dir;
  const std::string out = dir.path() + "/grad.hpp";
  // No file existed: none is created, and no temporary is left behind.
  ProcessResult r = gradgen_run({kBad, "-o", out});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("<input>:2:7:") != std::string::npos);
  CHECK_FALSE(exists(out));
  CHECK(listing(dir.path()).empty());

  // An existing file is left byte for byte.
  const std::string old = std::string("// an earlier header\n#pragma once\r\n\0\xFF tail", 38);
  write_file(out, old);
  for (const Args& args : {Args{kBad, "-o", out}, Args{"-o", out, "a +"}, Args{"-o", out, ""},
                           Args{"-o", out, "--wrt", "z", "a*b"},  // usage error: exit 2
                           Args{"-o", out, "--name", "int", "a*b"}}) {
    INFO("arguments: " << args[args.size() - 1]);
    r = gradgen_run(args);
    CHECK(r.exit_code != 0);
    CHECK(read_file(out) == old);
    CHECK(listing(dir.path()) == std::vector<std::string>{"grad.hpp"});
  }
}

TEST_CASE("cli: usage errors exit with 2", "[cli]") {
  struct UsageRow {
    Args args;
    const char* message;
  };
  const std::vector<UsageRow> rows = {
      {{"--bogus", "a*b"}, "unknown option '--bogus'"},
      {{"a*b", "-x"}, "unknown option '-x'"},
      {{"a*b", "--wrt", "c"}, "'c' is not an input"},
      {{"x = a*b; x", "--wrt", "x"}, "'x' is not an input"},
      {{"a*b", "--wrt", "a,a"}, "twice"},
      {{"a*b", "--inputs", "a"}, "'b'"},
      {{"a*b", "--inputs", "a,b,a"}, "twice"},
      {{"a*b", "--type", "bogus"}, "bogus"},
      {{"a*b", "--name", "int"}, "int"},
      {{"a*b", "--name", "class"}, "class"},
      {{"a*b", "--name", "2f"}, "not a C++ identifier"},
      {{"a*b", "--namespace", "a::new"}, "new"},
      {{"exp(a)", "--name", "exp"}, "--name 'exp' is a function or variable of the C library at global scope"},
      {{"a*b", "--name", "time"}, "--name 'time' is a function or variable of the C library"},
      {{"a*b", "--namespace", "abs::inner"}, "--namespace 'abs' is a function or variable of the C library"},
      {{}, "no program"},
      {{"--name", "g"}, "no program"},
      {{"a*b", "-o"}, "-o needs a value"},
      {{"a*b", "--wrt"}, "--wrt needs a value"},
      {{"a*b", "--name"}, "--name needs a value"},
      {{"-f"}, "-f needs a value"},
      {{"a*b", "c*d"}, "unexpected argument"},
      {{"a*b", "-f", "prog.gg"}, "either"},
      {{"a*b", "--max-depth", "0"}, "--max-depth"},
      {{"a*b", "--max-depth", "many"}, "--max-depth"},
      {{"a*b", "--split-lines", "many"}, "--split-lines: 'many' is not a positive whole number"},
      {{"a*b", "--split-lines", "-1"}, "--split-lines"},
      {{"a*b", "--dump-ast", "--dump-ir"}, "cannot be combined"},
      {{"y = a*b; z = a+b", "--output", "w"}, "'w' is not assigned in the program (outputs are names the program assigns: y, z)"},
      {{"y = a*b; z = a+b", "--output", "yy,z"}, "did you mean 'y'?"},
      {{"y = a*b; z = a+b", "--output", "a"}, "'a' is an input"},
      {{"y = a*b; z = a+b", "--output", "y,y"}, "'y' is listed twice"},
      {{"y = a*b; z = a+b", "--output", "grad.hpp"}, "-o FILE"},
      {{"y = a*b; z = a+b", "--output", "y,,z"}, "empty name"},
      {{"y = a*b; z = a+b", "--output", "y,z", "--hessian"}, "--hessian: the Hessian is taken of one output"},
      {{"y = a*b; z = a+b", "--output", "y,z", "--batch"}, "--batch: the batched functions are of one output"},
      {{"eval", "y = a*b; z = a+b", "--output", "y,z", "--at", "a=1,b=2"}, "one output at a time"},
  };
  for (const UsageRow& row : rows) {
    std::string shown;
    for (const std::string& a : row.args) shown += "[" + a + "] ";
    INFO("arguments: " << shown);
    const ProcessResult r = gradgen_run(row.args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("gradgen: ", 0) == 0);
    CHECK(r.err.find(row.message) != std::string::npos);
  }
}

TEST_CASE("cli: --split-lines splits long functions, and 0 never does", "[cli]") {
  std::string program = "y = x";
  for (int i = 0; i < 600; ++i) program += "; y = sin(y) * x + " + std::to_string(i);  // a NAME_grad of ~2000 lines
  const ProcessResult whole = gradgen_run({program, "--split-lines", "0"});
  const ProcessResult by_default = gradgen_run({program});
  const ProcessResult small = gradgen_run({"a*b + c", "--split-lines", "1"});
  REQUIRE(whole.exit_code == 0);
  REQUIRE(by_default.exit_code == 0);
  REQUIRE(small.exit_code == 0);
  CHECK(whole.out.find("_part1(") == std::string::npos);
  CHECK(by_default.out.find("inline void f_grad_part1(") != std::string::npos);
  CHECK(by_default.out.find("struct f_grad_state {") != std::string::npos);
  CHECK(small.out.find("inline void f_grad_part1(") != std::string::npos);
  CHECK(gradgen_run({"a*b + c"}).out.find("_part1(") == std::string::npos);  // short: never split by default
}

TEST_CASE("cli: --help and --version", "[cli]") {
  for (const char* option : {"--help", "-h"}) {
    const ProcessResult r = gradgen_run({option});
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.find("Usage") != std::string::npos);
    CHECK(r.out.find("--wrt") != std::string::npos);
  }
  for (const char* command : {"check", "eval", "explain", "dot"}) {
    INFO(command);
    const ProcessResult r = gradgen_run({command, "--help"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find(std::string("gradgen ") + command) != std::string::npos);
    CHECK(r.out.find("Usage") != std::string::npos);
  }
  const ProcessResult help = gradgen_run({"--help"});
  for (const char* option :
       {"--output y1,y2", "--hessian", "--batch", "--no-opt", "--split-lines", "--max-size", "explain", "dot"}) {
    INFO(option);
    CHECK(help.out.find(option) != std::string::npos);
  }
  const ProcessResult v = gradgen_run({"--version"});
  CHECK(v.exit_code == 0);
  CHECK(v.out.rfind("gradgen ", 0) == 0);
  CHECK(v.out.back() == '\n');
}

TEST_CASE("cli: the program from a file or from standard input", "[cli]") {
  TempDir dir;
  const std::string good = dir.path() + "/good.gg";
  const std::string bad = dir.path() + "/bad.gg";
  write_file(good, std::string(kGood) + "\n");
  write_file(bad, std::string(kBad) + "\n");
  // The header quotes the program, so compare with the same text.
  const std::string expected = gradgen_run({std::string(kGood) + "\n"}).out;

  for (const char* option : {"-f", "--file"}) {
    const ProcessResult r = gradgen_run({option, good});
    check_header(r);
    CHECK(r.out == expected);
  }
  CHECK(gradgen_run({"--file=" + good}).exit_code == 0);

  // Errors in a file are reported under the file's name.
  ProcessResult r = gradgen_run({"-f", bad});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err == bad + ":" + kBadMessage);

  // A file that cannot be read: exit 1 and a message naming it.
  r = gradgen_run({"-f", dir.path() + "/missing.gg"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("missing.gg") != std::string::npos);

  // Standard input, as "-" and as "-f -".
  r = piped("printf 'a*b' | \"$0\" -");
  check_header(r);
  CHECK(r.out == gradgen_run({"a*b"}).out);
  r = piped("printf 'x1 = a * b + c\\nx2 = x1 * d\\nx = x2 * x2' | \"$0\" -f -");
  check_header(r);
  CHECK(r.out == gradgen_run({kGood}).out);
  r = piped("printf 'a = 1\\nb = a $ 2' | \"$0\" -");
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err == std::string("<stdin>:") + kBadMessage);
  r = piped("printf '' | \"$0\" -");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("empty program") != std::string::npos);
}

TEST_CASE("cli: the output is the same on every run", "[cli]") {
  const std::vector<Args> runs = {
      {kGood},
      {"q = a*x + b*y + c; f = sig(q); g = max(f, x, y) * hypot(a, b, c); g ? 1 : 0 ; g", "--wrt", "a,y"},
      {"y = a < b ? exp(a) : log(b); y += a^3; y *= y; y", "--type", "float"},
      {kGood, "--dump-ir"},
      {kGood, "--dump-ast"},
  };
  for (const Args& args : runs) {
    INFO("program: " << args[0]);
    const ProcessResult first = gradgen_run(args);
    const ProcessResult second = gradgen_run(args);
    CHECK(first.out == second.out);
    CHECK(first.err == second.err);
    CHECK(first.exit_code == second.exit_code);
  }
  TempDir dir;
  REQUIRE(gradgen_run({kGood, "-o", dir.path() + "/1.hpp"}).exit_code == 0);
  REQUIRE(gradgen_run({kGood, "-o", dir.path() + "/2.hpp"}).exit_code == 0);
  CHECK(read_file(dir.path() + "/1.hpp") == read_file(dir.path() + "/2.hpp"));
}

TEST_CASE("cli: an output path that cannot be written gives exit 1", "[cli]") {
  TempDir dir;
  // A directory that does not exist.
  const std::string missing = dir.path() + "/no/such/dir/grad.hpp";
  ProcessResult r = gradgen_run({"a*b", "-o", missing});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("cannot write") != std::string::npos);
  CHECK(r.err.find(missing) != std::string::npos);
  CHECK(listing(dir.path()).empty());
  // A path that is a directory: nothing is replaced, no temporary is left.
  const std::string sub = dir.path() + "/sub";
  std::filesystem::create_directory(sub);
  r = gradgen_run({"a*b", "-o", sub});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("cannot write") != std::string::npos);
  CHECK(listing(dir.path()) == std::vector<std::string>{"sub"});
  CHECK(listing(sub).empty());
}

// A program whose header (about 100 KB) does not fit in what the tests below
// leave free.
std::string long_program() {
  std::string text = "y0 = a";
  for (int i = 1; i < 300; ++i) text += "\ny" + std::to_string(i) + " = sin(y" + std::to_string(i - 1) + ") * a";
  return text;
}

TEST_CASE("cli: a full disk gives exit 1, keeps the old file and leaves no temporary", "[cli]") {
  // Each shell script runs gradgen -o DIR/grad.hpp over an existing
  // grad.hpp ("old") where the header cannot be written whole, then prints
  // the exit status, the directory's entries (hidden ones too) and the file.
  const std::string report = "echo rc=$?; ls -A \"$1\"; cat \"$1/grad.hpp\"";
  const auto expect_untouched = [](const ProcessResult& r, const std::string& reason) {
    INFO(r.out << r.err);
    CHECK(r.out == "rc=1\ngrad.hpp\nold\n");
    CHECK(r.err.find("cannot write ") != std::string::npos);
    CHECK(r.err.find("/grad.hpp: " + reason) != std::string::npos);
  };
  {
    // A file size limit (ulimit -f, in blocks of 512 or 1024 bytes): gradgen
    // ignores SIGXFSZ, so write(2) fails part-way with EFBIG, as on a full
    // disk, and gradgen says so.
    TempDir dir;
    const ProcessResult r = gradgen::runtime::run_process(
        {"/bin/sh", "-c",
         "ulimit -f 16; printf 'old\\n' > \"$1/grad.hpp\"; \"$0\" \"$2\" -o \"$1/grad.hpp\"; " + report,
         GRADGEN_BINARY, dir.path(), long_program()});
    expect_untouched(r, "File too large");
  }
  // A real full disk: a 16 KB tmpfs mounted in a private user and mount
  // namespace (no root needed where user namespaces are enabled and mounting
  // in them is allowed).
  TempDir probe;
  if (gradgen::runtime::run_process({"unshare", "-r", "-m", "mount", "-t", "tmpfs", "-o", "size=16k",
                                     "gradgen-test", probe.path()})
          .exit_code != 0) {
    WARN("cannot mount a tmpfs in a user namespace here (unshare -r -m): the tmpfs variant of this test did not run");
    return;
  }
  TempDir dir;
  const ProcessResult r = gradgen::runtime::run_process(
      {"unshare", "-r", "-m", "/bin/sh", "-c",
       "mount -t tmpfs -o size=16k gradgen-test \"$1\" || exit 9; printf 'old\\n' > \"$1/grad.hpp\"; "
       "\"$0\" \"$2\" -o \"$1/grad.hpp\"; " + report,
       GRADGEN_BINARY, dir.path(), long_program()});
  REQUIRE(r.exit_code != 9);  // the mount itself failed
  expect_untouched(r, "No space left on device");
}

TEST_CASE("cli: --dump-ast and --dump-ir", "[cli]") {
  ProcessResult r = gradgen_run({"x = a * b + c", "--dump-ast"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out == "assign x\n  chain +\n    chain *\n      name a\n      name b\n    name c\n");
  r = gradgen_run({"x = a * b + c", "--dump-ir"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("= input #0  ; a\n") != std::string::npos);
  CHECK(r.out.find("= mul ") != std::string::npos);
  CHECK(r.out.find("output %") != std::string::npos);
  CHECK(r.out.find("; seed") != std::string::npos);
  TempDir dir;
  r = gradgen_run({"a*b", "--dump-ast", "-o", dir.path() + "/ast.txt"});
  CHECK(r.exit_code == 0);
  CHECK(read_file(dir.path() + "/ast.txt") == "statement\n  chain *\n    name a\n    name b\n");
}

TEST_CASE("cli: a 10 MB program of 1,000,000 statements, and a 10 MB line, compile within the default limits",
          "[cli][limits]") {
  // What the limits are for is refusing the absurd, not the large: both
  // give headers of a few hundred MB (written to /dev/null here), with no
  // recursion that follows the program's length.
  TempDir dir;
  std::string many = "x = a\n";
  for (int i = 0; i < 1000000; ++i) many += "x = x + a\n";
  std::string wide = "y = a";
  while (wide.size() < 10'000'000) wide += " + a * b";
  for (const auto& [name, text] : {std::pair<const char*, std::string*>{"many.gg", &many}, {"wide.gg", &wide}}) {
    INFO(name);
    const std::string path = dir.path() + "/" + name;
    std::ofstream(path, std::ios::binary) << *text;
    const ProcessResult r = gradgen_run({"-f", path, "-o", "/dev/null"});
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
  }
}

TEST_CASE("cli: limits on size, statements and nesting give clear errors, and odd bytes are handled",
          "[cli][limits]") {
  TempDir dir;
  const auto file = [&](const std::string& name, const std::string& text) {
    const std::string path = dir.path() + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  };
  struct Row {
    const char* what;
    std::string path;
    std::vector<std::string> options;
    int status;
    std::string message;
  };
  std::string many;
  for (int i = 0; i < 1000000; ++i) many += "x = x + a\n";
  std::string wide = "y = a";
  while (wide.size() < 10'000'000) wide += " + a * b";
  const std::vector<Row> rows = {
      {"1,000,000-deep nesting", file("deep.gg", std::string(1000000, '(') + "x" + std::string(1000000, ')')), {}, 1,
       "nested too deeply (more than 256 levels"},
      {"1,000,000 statements over the limit", file("many.gg", "x = a\n" + many), {"--max-statements", "100000"}, 1,
       "more than 100000 statements (the limit; raise it with --max-statements N)"},
      {"10 MB on one line over the limit", file("wide.gg", wide), {"--max-size", "1000000"}, 1,
       "longer than 1000000 bytes (the limit; raise it with --max-size BYTES)"},
      {"a NUL byte", file("nul.gg", std::string("x = a\0 + b", 10)), {}, 1, ":1:6: error: unexpected NUL byte"},
      {"invalid UTF-8", file("utf.gg", "x = a \xFF + b"), {}, 1, ":1:7: error: invalid UTF-8 byte 0xFF"},
      {"Windows line endings", file("crlf.gg", "x = a * b\r\ny = x + 1\r\n"), {}, 0, ""},
      {"a byte-order mark", file("bom.gg", "\xEF\xBB\xBFx = a * b"), {}, 0, ""},
  };
  for (const Row& row : rows) {
    INFO(row.what);
    Args args{"-f", row.path, "-o", dir.path() + "/out.hpp"};
    args.insert(args.end(), row.options.begin(), row.options.end());
    const ProcessResult r = gradgen_run(args);
    CHECK(r.exit_code == row.status);
    if (row.status != 0) {
      CHECK(r.err.find(row.message) != std::string::npos);
      CHECK(r.err.find('^') != std::string::npos);        // the caret
      CHECK(r.err.find('\0') == std::string::npos);       // never a raw NUL
      CHECK(r.err.find('\xFF') == std::string::npos);     // nor a byte that is not UTF-8
      CHECK(r.err.size() < 2000);                         // a window, not the whole line
    }
  }
  CHECK(gradgen_run({"a*b", "--max-size", "0"}).exit_code == 2);
  CHECK(gradgen_run({"a*b", "--max-statements", "many"}).exit_code == 2);
}

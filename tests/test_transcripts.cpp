// Transcripts: files in which `$ gradgen ...` lines are followed by what the
// command prints, checked by running each command. tests/transcripts/*.txt
// hold the golden outputs of `gradgen explain` and `gradgen dot` for the
// guide's examples; docs/tutorial.md holds its commands inside ```console
// blocks, so the tutorial cannot drift from the tool.
//
// After a deliberate change of the output, regenerate them with
//   GRADGEN_UPDATE_GOLDEN=1 ./build/tests/gradgen_tests "[transcripts]"
// and review the diff.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/process.hpp"

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// "gradgen explain \"(x + y) * z\" --at x=-2" -> its words, as a shell
// splits them (single and double quotes; no escapes needed here).
std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == ' ') {
      if (in_word) out.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) out.push_back(word);
  return out;
}

struct Command {
  std::string line;      // after "$ "
  std::string expected;  // what follows, up to the next command or the block's end
  std::size_t begin = 0;  // the expected output's place in the file
  std::size_t end = 0;
};

// The commands of a transcript file: in a .md file only inside ```console
// blocks, in a .txt file everywhere.
std::vector<Command> commands(const std::string& text, bool markdown) {
  std::vector<Command> out;
  bool inside = !markdown;
  std::size_t pos = 0;
  Command* open = nullptr;
  while (pos < text.size()) {
    const std::size_t eol = text.find('\n', pos);
    const std::size_t next = eol == std::string::npos ? text.size() : eol + 1;
    const std::string line = text.substr(pos, next - pos);
    const bool fence = markdown && line.rfind("```", 0) == 0;
    if (fence) {
      if (open != nullptr) open->end = pos;
      open = nullptr;
      inside = !inside && line.rfind("```console", 0) == 0;
    } else if (inside && line.rfind("$ gradgen", 0) == 0) {
      if (open != nullptr) open->end = pos;
      out.push_back(Command{line.substr(2, line.size() - 2 - (line.back() == '\n' ? 1 : 0)), "", next, next});
      open = &out.back();
    }
    pos = next;
  }
  if (open != nullptr) open->end = text.size();
  for (Command& c : out) c.expected = text.substr(c.begin, c.end - c.begin);
  return out;
}

std::string run(const std::string& line) {
  std::vector<std::string> argv = words(line);
  argv[0] = GRADGEN_BINARY;
  const auto r = gradgen::runtime::run_process(argv);
  REQUIRE(r.started);
  return r.out + r.err;
}

void check_transcript(const fs::path& path) {
  const bool update = std::getenv("GRADGEN_UPDATE_GOLDEN") != nullptr;
  std::string text = read_file(path);
  const std::vector<Command> found = commands(text, path.extension() == ".md");
  REQUIRE(!found.empty());
  std::string updated;
  std::size_t copied = 0;
  for (const Command& c : found) {
    const std::string actual = run(c.line);
    INFO(path.string() << ": $ " << c.line);
    CHECK(actual == c.expected);
    updated += text.substr(copied, c.begin - copied) + actual;
    copied = c.end;
  }
  updated += text.substr(copied);
  if (update && updated != text) std::ofstream(path, std::ios::binary) << updated;
}

}  // namespace

TEST_CASE("transcripts: gradgen explain and dot on the guide's examples", "[transcripts]") {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(GRADGEN_SOURCE_DIR) / "tests" / "transcripts")) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 8);
  for (const fs::path& f : files) check_transcript(f);
}

TEST_CASE("transcripts: every command in docs/tutorial.md prints what the tutorial shows", "[transcripts]") {
  check_transcript(fs::path(GRADGEN_SOURCE_DIR) / "docs" / "tutorial.md");
}

TEST_CASE("the transcript reader splits commands as a shell would", "[transcripts]") {
  CHECK(words("gradgen explain \"(x + y) * z\" --at x=-2") ==
        std::vector<std::string>{"gradgen", "explain", "(x + y) * z", "--at", "x=-2"});
  CHECK(words("gradgen dot 'a*b' -o f.dot") == std::vector<std::string>{"gradgen", "dot", "a*b", "-o", "f.dot"});
  const auto found = commands("text\n```console\n$ gradgen x\nout 1\nout 2\n```\n$ gradgen y\n", true);
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == "gradgen x");
  CHECK(found[0].expected == "out 1\nout 2\n");
}

TEST_CASE("gradgen dot --svg renders the values and the gradients as labels", "[transcripts][cli]") {
  gradgen::runtime::TempDir dir;
  const std::string svg = dir.path() + "/circuit.svg";
  const auto r = gradgen::runtime::run_process(
      {GRADGEN_BINARY, "dot", "q = x + y; f = q * z", "--at", "x=-2,y=5,z=-4", "--svg", svg});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const std::string text = read_file(svg);
  CHECK(text.rfind("<?xml", 0) == 0);
  // The guide's numbers: values x=-2, y=5, q=3, z=-4, f=-12; gradients -4, -4, 3, 1.
  for (const char* label : {">&#45;2<", ">5<", ">3<", ">&#45;4<", ">&#45;12<", ">1<"}) {
    INFO(label);
    CHECK(text.find(label) != std::string::npos);
  }
  CHECK(text.find("#c0392b") != std::string::npos);  // the gradients' colour
  const std::string png = dir.path() + "/circuit.png";
  const auto p = gradgen::runtime::run_process({GRADGEN_BINARY, "dot", "x * y", "--at", "x=-2,y=3", "--png", png});
  REQUIRE(p.exit_code == 0);
  CHECK(read_file(png).substr(1, 3) == "PNG");
}

TEST_CASE("gradgen dot without Graphviz says how to get it, and writes nothing", "[transcripts][cli]") {
  gradgen::runtime::TempDir dir;
  const std::string svg = dir.path() + "/circuit.svg";
  const auto r = gradgen::runtime::run_process(
      {"/usr/bin/env", "PATH=" + dir.path(), GRADGEN_BINARY, "dot", "x * y", "--svg", svg});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("apt-get install graphviz") != std::string::npos);
  CHECK(!fs::exists(svg));
}

TEST_CASE("gradgen explain and dot: bad input", "[transcripts][cli]") {
  struct Row {
    std::vector<std::string> args;
    int status;
    const char* message;
  };
  const std::vector<Row> rows = {
      {{"explain", "x * y", "--at", "x=1"}, 2, "no value for the input 'y'"},
      {{"explain", "y = a*b; z = a", "--output", "y,z"}, 2, "one output at a time"},
      {{"dot", "y = a*b; z = a", "--output", "y,z"}, 2, "one output at a time"},
      {{"explain", "x * "}, 1, "^"},
      {{"dot", "sin(x"}, 1, "^"},
      {{"explain", "x * y", "--bogus"}, 2, "unknown option '--bogus'"},
  };
  for (const Row& row : rows) {
    std::vector<std::string> argv{GRADGEN_BINARY};
    argv.insert(argv.end(), row.args.begin(), row.args.end());
    const auto r = gradgen::runtime::run_process(argv);
    INFO(row.args[1] << "\n" << r.err);
    CHECK(r.exit_code == row.status);
    CHECK(r.err.find(row.message) != std::string::npos);
    CHECK(r.out.empty());
  }
}

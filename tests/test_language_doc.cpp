// docs/language.md keeps up with the compiler: every built-in function of
// the op table (gradgen::builtins()) has its row in the functions tables,
// every constant gradgen::find_constant knows has its row in the constants
// table, and every operator token the grammar accepts is in the precedence
// table (and the tables name nothing the compiler does not know).
#include <catch2/catch.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <tao/pegtl.hpp>

#include "compiler/ir/ops.hpp"
#include "grammar/gradgen_grammar.hpp"

namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  const auto end = s.find_last_not_of(" \t");
  return s.substr(begin, end - begin + 1);
}

// The lines of the section under the level-2 heading `heading` ("## ..."),
// up to the next level-2 heading; its ### subsections are included.
std::vector<std::string> section(const std::vector<std::string>& lines, const std::string& heading) {
  std::vector<std::string> out;
  bool inside = false;
  for (const std::string& line : lines) {
    if (line.rfind("## ", 0) == 0) {
      inside = trim(line) == heading;
      continue;
    }
    if (inside) out.push_back(line);
  }
  return out;
}

// The cells of a Markdown table row, trimmed, with `\|` read as `|`; empty
// for a line that is no table row or is the |---| separator.
std::vector<std::string> cells(const std::string& line) {
  const std::string row = trim(line);
  if (row.empty() || row.front() != '|') return {};
  std::vector<std::string> out;
  std::string cell;
  for (std::size_t i = 1; i < row.size(); ++i) {
    if (row[i] == '\\' && i + 1 < row.size() && row[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (row[i] == '|') {
      out.push_back(trim(cell));
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  if (!out.empty() && out.front().find_first_not_of("-: ") == std::string::npos) return {};
  return out;
}

// The table rows of a section.
std::vector<std::vector<std::string>> rows(const std::vector<std::string>& lines) {
  std::vector<std::vector<std::string>> out;
  for (const std::string& line : lines) {
    if (auto c = cells(line); !c.empty()) out.push_back(std::move(c));
  }
  return out;
}

// The `code spans` of a cell, in order.
std::vector<std::string> code_spans(const std::string& cell) {
  std::vector<std::string> out;
  for (std::size_t open = cell.find('`'); open != std::string::npos;) {
    const std::size_t close = cell.find('`', open + 1);
    if (close == std::string::npos) break;
    out.push_back(cell.substr(open + 1, close - open - 1));
    open = cell.find('`', close + 1);
  }
  return out;
}

std::vector<std::string> doc_lines() {
  const fs::path path = fs::path(GRADGEN_SOURCE_DIR) / "docs" / "language.md";
  INFO("reading " << path.string());
  REQUIRE(fs::exists(path));
  return lines_of(read_text(path));
}

// The function a row of the functions tables documents: its first cell is
// "`name(...", possibly with Math. in front; "" if the row is no such row.
std::string documented_function(const std::vector<std::string>& row) {
  static const std::regex pattern(R"(^`(?:Math\.)?([A-Za-z_][A-Za-z0-9_]*)\()");
  std::smatch m;
  if (row.empty() || !std::regex_search(row.front(), m, pattern)) return "";
  return m[1].str();
}

// Every string literal in the compiler's sources that names a constant of
// the language: find_constant is a function, not a table, so its names are
// found where they are written (and a new constant is found wherever it is
// added).
std::set<std::string> constants_of_the_compiler() {
  static const std::regex literal(R"re("([A-Za-z_][A-Za-z0-9_.]*)")re");
  std::set<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(GRADGEN_SOURCE_DIR) / "compiler")) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".cpp" && ext != ".hpp" && ext != ".inc") continue;
    const std::string text = read_text(entry.path());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), literal); it != std::sregex_iterator(); ++it) {
      const std::string name = (*it)[1].str();
      if (gradgen::find_constant(name)) found.insert(name);
    }
  }
  return found;
}

// The strings of one to three ASCII punctuation characters that `Rule`
// matches whole: the tokens of an operator rule of the grammar. (Every
// operator of the language is one to three such characters; a longer or
// alphabetic one would need a longer search.)
template <typename Rule>
std::set<std::string> tokens_of() {
  namespace pegtl = tao::pegtl;
  std::string alphabet;
  for (int c = 0x21; c < 0x7F; ++c) {
    if (std::ispunct(c)) alphabet += static_cast<char>(c);
  }
  std::vector<std::string> candidates;
  for (const char a : alphabet) {
    candidates.emplace_back(1, a);
    for (const char b : alphabet) {
      candidates.push_back(std::string{a, b});
      for (const char c : alphabet) candidates.push_back(std::string{a, b, c});
    }
  }
  std::set<std::string> tokens;
  for (const std::string& s : candidates) {
    pegtl::memory_input<> in(s, "token");
    if (pegtl::parse<pegtl::seq<Rule, pegtl::eof>>(in)) tokens.insert(s);
  }
  return tokens;
}

template <typename... Rules>
std::set<std::string> tokens_of_all() {
  std::set<std::string> all;
  (all.merge(tokens_of<Rules>()), ...);
  return all;
}

}  // namespace

TEST_CASE("docs/language.md has a row for every built-in function", "[language-doc]") {
  const std::vector<std::string> functions = section(doc_lines(), "## Built-in functions");
  REQUIRE_FALSE(functions.empty());
  std::set<std::string> documented;
  for (const auto& row : rows(functions)) {
    if (const std::string name = documented_function(row); !name.empty()) documented.insert(name);
  }

  REQUIRE_FALSE(gradgen::builtins().empty());
  for (const gradgen::Builtin& b : gradgen::builtins()) {
    const std::string name(b.name);
    INFO("built-in `" << name << "(` has no row | `" << name
                      << "(args)` | ... | in the Built-in functions tables of docs/language.md");
    CAPTURE(name);
    REQUIRE(documented.count(name) == 1);
  }

  // And the tables document no function the compiler does not have.
  for (const std::string& name : documented) {
    INFO("docs/language.md documents `" << name << "(`, which is not a built-in of the compiler");
    REQUIRE(gradgen::find_builtin(name) != nullptr);
  }
}

TEST_CASE("docs/language.md lists every constant", "[language-doc]") {
  const std::vector<std::string> constants = section(doc_lines(), "## Constants");
  REQUIRE_FALSE(constants.empty());
  std::set<std::string> documented;
  for (const auto& row : rows(constants)) {
    const std::vector<std::string> spans = code_spans(row.front());
    if (spans.size() == 1 && row.front() == "`" + spans.front() + "`") documented.insert(spans.front());
  }

  const std::set<std::string> known = constants_of_the_compiler();
  REQUIRE_FALSE(known.empty());
  for (const std::string& name : known) {
    INFO("constant " << name << " has no row | `" << name << "` | in the Constants table of docs/language.md");
    CAPTURE(name);
    REQUIRE(documented.count(name) == 1);
  }
  for (const std::string& name : documented) {
    INFO("docs/language.md lists `" << name << "` as a constant, but find_constant does not know it");
    REQUIRE(gradgen::find_constant(name).has_value());
  }
}

TEST_CASE("docs/language.md's precedence table has every operator of the grammar", "[language-doc]") {
  namespace g = gradgen::grammar;
  const std::set<std::string> grammar_tokens =
      tokens_of_all<g::assign_op, g::question, g::colon, g::or_op, g::and_op, g::cmp_op, g::add_op,
                    g::mul_op, g::unary_op, g::pow_op>();
  REQUIRE(grammar_tokens.size() >= 10);

  // The "operators" column (the second) of the table under ## Operators.
  const std::vector<std::string> operators = section(doc_lines(), "## Operators");
  REQUIRE_FALSE(operators.empty());
  std::set<std::string> documented;
  for (const auto& row : rows(operators)) {
    if (row.size() < 2 || row[1] == "operators") continue;
    for (const std::string& token : code_spans(row[1])) documented.insert(token);
  }

  for (const std::string& token : grammar_tokens) {
    INFO("the grammar accepts the operator `" << token
                                               << "`, which the precedence table of docs/language.md lacks");
    CAPTURE(token);
    REQUIRE(documented.count(token) == 1);
  }
  for (const std::string& token : documented) {
    INFO("the precedence table of docs/language.md lists `" << token << "`, which the grammar does not accept");
    REQUIRE(grammar_tokens.count(token) == 1);
  }
}

#include "compiler/emit/split.hpp"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <vector>

#include <fmt/format.h>

namespace gradgen {

namespace {

bool identifier_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool identifier_char(char c) { return identifier_start(c) || (c >= '0' && c <= '9'); }
bool digit(char c) { return c >= '0' && c <= '9'; }

// More than 2 * part_lines lines (without overflow for any part_lines).
bool long_enough(std::size_t lines, std::size_t part_lines) { return lines > 0 && (lines - 1) / 2 >= part_lines; }

// The identifiers of `code` that name variables or parameters, in order:
// not the parts of qualified names (`std::sin`), not members (`a.b`), not
// the letters of numbers (`1e+300`, `0.5f`).
template <class Each>
void identifiers(std::string_view code, Each each) {
  for (std::size_t i = 0; i < code.size();) {
    const char c = code[i];
    if (digit(c) || (c == '.' && i + 1 < code.size() && digit(code[i + 1]))) {
      // A pp-number: digits, letters, '.', and a sign after an exponent.
      for (++i; i < code.size(); ++i) {
        const char d = code[i];
        if ((d == '+' || d == '-') && (code[i - 1] == 'e' || code[i - 1] == 'E' || code[i - 1] == 'p' ||
                                       code[i - 1] == 'P')) {
          continue;
        }
        if (!identifier_char(d) && d != '.') break;
      }
      continue;
    }
    if (!identifier_start(c)) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < code.size() && identifier_char(code[i])) ++i;
    const bool qualified = start >= 2 && code[start - 1] == ':' && code[start - 2] == ':';
    const bool member = start >= 1 && code[start - 1] == '.';
    const bool qualifier = i + 1 < code.size() && code[i] == ':' && code[i + 1] == ':';
    if (!qualified && !member && !qualifier) each(code.substr(start, i - start));
  }
}

// The bit for the state in a part's mask of parameters (the function's own
// parameters take the bits from 0, at most 32 of them).
constexpr std::uint64_t kState = std::uint64_t{1} << 63;

// `text` as `// ` comment lines of at most 80 columns (a longer word gets a
// line of its own).
void append_comment(std::string& out, std::string_view text) {
  constexpr std::size_t kColumns = 80;
  std::size_t line = out.size();
  out += "//";
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    const std::string_view word = text.substr(0, space);
    if (out.size() - line > 2 && out.size() - line + 1 + word.size() > kColumns) {
      out += '\n';
      line = out.size();
      out += "//";
    }
    out += ' ';
    out += word;
    text.remove_prefix(space == std::string_view::npos ? text.size() : space + 1);
  }
  out += '\n';
}

struct Parameter {
  std::string_view text;  // `const double* in`
  std::string_view name;  // empty when the function does not use it (`/*in*/`)
};

struct Line {
  std::string_view text;    // without the new line
  std::int32_t var = -1;    // the variable it declares or changes (a number in vars_)
  bool declares = false;
  std::uint64_t params = 0;  // a bit per parameter it reads
  std::size_t uses_begin = 0, uses_end = 0;  // its variables read, in uses_
};

struct Variable {
  std::string_view type;  // `double`, without const
  std::string_view name;
  std::size_t part = 0;  // where it is declared
  std::size_t last = 0;  // the last part that reads or changes it
};

class Splitter {
 public:
  Splitter(std::string_view text, std::size_t part_lines, std::string_view base, std::string_view state,
           const BodyFacts& facts)
      : text_(text), part_lines_(part_lines), base_(base), state_(state), facts_(facts) {}

  // Appends the function split to `out`; false, appending nothing, to leave
  // it as it is.
  bool run(std::string& out) {
    if (!read_function() || !long_enough(body_.size(), part_lines_)) return false;
    if (!read_head() || !read_lines()) return false;
    parts_ = (body_.size() + part_lines_ - 1) / part_lines_;
    for (std::size_t i = 0; i < body_.size(); ++i) {
      const Line& line = body_[i];
      const std::size_t part = i / part_lines_;
      if (line.var >= 0) vars_[static_cast<std::size_t>(line.var)].last = part;
      for (std::size_t u = line.uses_begin; u < line.uses_end; ++u) vars_[static_cast<std::size_t>(uses_[u])].last = part;
    }
    write(out);
    return true;
  }

 private:
  // Splits the text into the comments before the function, its head and its
  // body; false unless it has the shape emit_cpp writes.
  bool read_function() {
    std::size_t at = 0;
    bool in_body = false;
    while (at < text_.size()) {
      const std::size_t end = text_.find('\n', at);
      if (end == std::string_view::npos) return false;
      const std::string_view line = text_.substr(at, end - at);
      if (!in_body) {
        if (line.substr(0, 7) == "inline ") {
          head_ = line;
          comments_ = text_.substr(0, at);
          in_body = true;
        } else if (line.substr(0, 2) != "//") {
          return false;
        }
      } else if (line == "}") {
        return end + 1 == text_.size();
      } else {
        body_.push_back(Line{line});
      }
      at = end + 1;
    }
    return false;
  }

  // `inline T NAME(params) {`
  bool read_head() {
    const std::size_t open = head_.find('(');
    if (open == std::string_view::npos || head_.substr(head_.size() - 3) != ") {") return false;
    const std::size_t space = head_.rfind(' ', open);
    name_ = head_.substr(space + 1, open - space - 1);
    std::string_view list = head_.substr(open + 1, head_.size() - 3 - open - 1);
    while (!list.empty()) {
      const std::size_t comma = list.find(", ");
      const std::string_view p = list.substr(0, comma);
      Parameter param{p, {}};
      if (p.find("/*") == std::string_view::npos) {
        std::size_t start = p.size();
        while (start > 0 && identifier_char(p[start - 1])) --start;
        param.name = p.substr(start);
      }
      params_.push_back(param);
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 2);
    }
    return params_.size() <= 32;
  }

  std::uint64_t parameter_bit(std::string_view name) const {
    for (std::size_t i = 0; i < params_.size(); ++i) {
      if (params_[i].name == name) return std::uint64_t{1} << i;
    }
    return 0;
  }

  // Gives each line of the body its facts, checked against its text: a
  // comment line (`  // ...`) has none; a line that declares a variable must
  // read `[const] T NAME = EXPR;`, one that changes it `NAME op= EXPR;`.
  // Lines that name a parameter are read for which ones they name.
  bool read_lines() {
    const std::vector<BodyFacts::Line>& facts = facts_.lines();
    const std::vector<std::int32_t>& reads = facts_.reads();
    var_of_key_.assign(facts_.keys(), -1);
    std::size_t k = 0;
    for (Line& line : body_) {
      if (line.text.substr(0, 2) != "  ") return false;
      const std::string_view code = line.text.substr(2);
      line.uses_begin = line.uses_end = uses_.size();
      if (code.substr(0, 2) == "//") continue;
      if (k == facts.size()) return false;
      const BodyFacts::Line& f = facts[k++];
      for (std::uint32_t r = f.reads_begin; r < f.reads_end; ++r) {
        const std::int32_t v = var_of_key_[static_cast<std::size_t>(reads[r])];
        if (v < 0) return false;  // read before it is declared
        uses_.push_back(v);
      }
      line.uses_end = uses_.size();
      if (f.names_parameter) {  // which ones, in the code before any comment
        identifiers(code.substr(0, code.find("//")), [&](std::string_view id) { line.params |= parameter_bit(id); });
      }
      if (f.var < 0) continue;
      std::int32_t& var = var_of_key_[static_cast<std::size_t>(f.var)];
      if (!f.declares) {
        if (var < 0) return false;
        const std::string_view name = vars_[static_cast<std::size_t>(var)].name;
        if (code.substr(0, name.size()) != name || code.substr(name.size(), 1) != " ") return false;
        line.var = var;
        continue;
      }
      if (var >= 0) return false;  // declared twice: a block
      const std::size_t equals = code.find(" = ");
      if (equals == std::string_view::npos) return false;
      std::string_view left = code.substr(0, equals);
      if (left.substr(0, 6) == "const ") left.remove_prefix(6);
      const std::size_t space = left.rfind(' ');
      if (space == std::string_view::npos) return false;
      const std::string_view type = left.substr(0, space), name = left.substr(space + 1);
      if (type != "double" && type != "float" && type != "long double" && type != "bool") return false;
      if (name.empty() || !identifier_start(name[0])) return false;
      var = static_cast<std::int32_t>(vars_.size());
      line.var = var;
      line.declares = true;
      vars_.push_back(Variable{type, name, static_cast<std::size_t>(&line - body_.data()) / part_lines_, 0});
    }
    return k == facts.size();
  }

  std::uint64_t scan(std::size_t j);
  void body(std::size_t j, std::string& out) const;
  void write(std::string& out);

  std::string_view text_;
  std::size_t part_lines_;
  std::string_view base_, state_;
  const BodyFacts& facts_;
  std::string_view comments_, head_, name_;
  std::vector<Parameter> params_;
  std::vector<Line> body_;
  std::vector<std::int32_t> uses_;
  std::vector<std::int32_t> var_of_key_;  // the number in vars_ of each key of the facts
  std::vector<Variable> vars_;
  std::size_t parts_ = 0;
  std::vector<std::size_t> seen_, changed_;  // the last part that read / changed each variable so far
  std::vector<std::int32_t> read_, declared_;  // in the part being written
};

// Reads part j: what it reads that earlier parts declared (read_), what it
// declares (declared_), and its parameters, a bit for each of the
// function's it reads and kState if it uses the state.
std::uint64_t Splitter::scan(std::size_t j) {
  const std::size_t first = j * part_lines_, end = std::min(body_.size(), first + part_lines_);
  read_.clear();
  declared_.clear();
  std::uint64_t params = 0;
  for (std::size_t i = first; i < end; ++i) {
    const Line& line = body_[i];
    params |= line.params;
    for (std::size_t u = line.uses_begin; u < line.uses_end; ++u) {
      const auto v = static_cast<std::size_t>(uses_[u]);
      if (seen_[v] != j) {
        seen_[v] = j;
        if (vars_[v].part < j) read_.push_back(uses_[u]);
      }
    }
    if (line.var < 0) continue;
    const auto v = static_cast<std::size_t>(line.var);
    changed_[v] = j;
    if (line.declares) {
      if (vars_[v].last > j) declared_.push_back(line.var);
    } else if (seen_[v] != j) {
      seen_[v] = j;
      if (vars_[v].part < j) read_.push_back(line.var);
    }
  }
  if (!read_.empty() || !declared_.empty()) params |= kState;
  return params;
}

// Part j's body, after scan(j): the loads of what it reads from earlier
// parts, its lines, and the stores of what it declares and later parts read.
// A variable it changes that an earlier part declared is a reference to the
// state's member instead (`double& dx = values.dx;`), so it needs no store.
void Splitter::body(std::size_t j, std::string& out) const {
  const auto append = [&out](std::initializer_list<std::string_view> pieces) {
    for (const std::string_view piece : pieces) out += piece;
  };
  for (const std::int32_t r : read_) {
    const auto v = static_cast<std::size_t>(r);
    const std::string_view name = vars_[v].name;
    if (changed_[v] == j) {
      append({"  ", vars_[v].type, "& ", name, " = ", state_, ".", name, ";\n"});
    } else {
      append({"  const ", vars_[v].type, " ", name, " = ", state_, ".", name, ";\n"});
    }
  }
  const std::size_t first = j * part_lines_, end = std::min(body_.size(), first + part_lines_);
  // The part's lines are one span of the text, new lines included.
  const char* const from = body_[first].text.data();
  const char* const to = body_[end - 1].text.data() + body_[end - 1].text.size() + 1;
  out.append(from, static_cast<std::size_t>(to - from));
  for (const std::int32_t d : declared_) {
    const std::string_view name = vars_[static_cast<std::size_t>(d)].name;
    append({"  ", state_, ".", name, " = ", name, ";\n"});
  }
}

void Splitter::write(std::string& out) {
  seen_.assign(vars_.size(), parts_);
  changed_.assign(vars_.size(), parts_);
  append_comment(out, fmt::format("{0} is long, so its first {1} lines are in functions of their own, {3}_part1 "
                                  "to {3}_part{2}, and {3}_state carries the values one part computes for later "
                                  "ones (a C++ compiler takes time quadratic in a function's length to allocate "
                                  "its registers).",
                                  name_, (parts_ - 1) * part_lines_, parts_ - 1, base_));
  fmt::format_to(std::back_inserter(out), "struct {}_state {{\n", base_);
  // A variable read or changed after the part that declares it.
  for (std::size_t v = 0; v < vars_.size(); ++v) {
    if (vars_[v].last > vars_[v].part) fmt::format_to(std::back_inserter(out), "  {} {};\n", vars_[v].type, vars_[v].name);
  }
  out += "};\n";
  std::string calls;
  for (std::size_t j = 0; j + 1 < parts_; ++j) {
    const std::uint64_t params = scan(j);
    std::string list, args;
    for (std::size_t i = 0; i < params_.size(); ++i) {
      if ((params & (std::uint64_t{1} << i)) == 0) continue;
      list += fmt::format("{}, ", params_[i].text);
      args += fmt::format("{}, ", params_[i].name);
    }
    fmt::format_to(std::back_inserter(out), "\n// Lines {} to {} of {}.\ninline void {}_part{}({}{}_state& {}) {{\n",
                   j * part_lines_ + 1, (j + 1) * part_lines_, name_, base_, j + 1, list, base_,
                   (params & kState) != 0 ? std::string(state_) : fmt::format("/*{}*/", state_));
    body(j, out);
    out += "}\n";
    fmt::format_to(std::back_inserter(calls), "  {}_part{}({}{});\n", base_, j + 1, args, state_);
  }
  out += '\n';
  out += comments_;
  out += head_;
  out += '\n';
  fmt::format_to(std::back_inserter(out), "  {}_state {};\n", base_, state_);
  out += calls;
  scan(parts_ - 1);
  body(parts_ - 1, out);
  out += "}\n";
}

}  // namespace

bool split_long_function(std::string& out, std::string_view function, std::size_t part_lines, std::string_view base,
                         std::string_view state, const BodyFacts& facts) {
  if (part_lines != 0 && Splitter(function, part_lines, base, state, facts).run(out)) return true;
  out += function;
  return false;
}

}  // namespace gradgen

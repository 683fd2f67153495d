#include "cli/options.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <unistd.h>

#include <fmt/format.h>

#include "compiler/frontend/sema.hpp"

namespace gradgen::cli {
namespace {

// The subcommands, for "did you mean" (main.cpp dispatches them).
const std::vector<std::string_view> kCommands{"check", "eval", "explain", "dot"};

// The options parse() knows itself; a command's own come as `extra_names`.
const std::vector<std::string_view> kSharedOptions{
    "--file", "--name", "--namespace", "--inputs", "--wrt", "--output", "--hessian", "--batch",
    "--no-opt", "--split-lines", "--type", "--max-depth", "--max-size", "--max-statements", "--max-iterations", "--help"};

ScalarType parse_type(const std::string& t) {
  if (t == "double") return ScalarType::kDouble;
  if (t == "float") return ScalarType::kFloat;
  if (t == "long double" || t == "long-double" || t == "longdouble") return ScalarType::kLongDouble;
  throw UsageError(fmt::format("--type: '{}' is not one of double, float, long double", t));
}

// "-x" or "--foo" is an option; "-a^2 + b" or "-(x)" is a program.
bool looks_like_option(const std::string& arg) {
  return arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=") ==
         std::string::npos;
}

void take_program(ProgramArgs& out, const std::string& arg) {
  if (out.program_given) {
    // gradgen --name g check "x*y": a command comes first.
    if (out.command == "gradgen" && std::find(kCommands.begin(), kCommands.end(), out.program) != kCommands.end()) {
      throw UsageError(fmt::format("'{0}' is a command: it comes before the options (gradgen {0} ...)", out.program));
    }
    // gradgen chek "x*y": the first word was meant as a command.
    const std::string command = nearest_name(out.program, kCommands);
    if (out.command == "gradgen" && !command.empty()) {
      throw UsageError(fmt::format("unknown command '{}'; did you mean '{}'? (see gradgen --help)",
                                   out.program, command));
    }
    throw UsageError(fmt::format("unexpected argument '{}': give one program (quote it)", arg));
  }
  out.program = arg;
  out.program_given = true;
}

// A program given as an argument that looks like something else: say so
// on standard error, and go on (it is a valid program).
void note_program_lookalikes(const ProgramArgs& out) {
  const std::string& program = out.program;
  if (out.command == "gradgen" && (program == "help" || program == "-help")) {
    std::cerr << "gradgen: note: reading 'help' as a program; for help: gradgen --help\n";
  } else if (out.command == "gradgen") {
    // A word of four letters or more, one letter off a command (chek, expain).
    const bool word = program.size() >= 4 && std::all_of(program.begin(), program.end(), [](char c) {
      return std::isalpha(static_cast<unsigned char>(c)) != 0;
    });
    for (std::string_view command : kCommands) {
      if (word && program != command && edit_distance(program, command) == 1) {
        std::cerr << fmt::format("gradgen: note: reading '{}' as a program; did you mean the command "
                                 "'gradgen {}'?\n", program, command);
        break;
      }
    }
  }
  std::error_code ec;
  if (!program.empty() && program.size() < 4096 && std::filesystem::is_regular_file(program, ec)) {
    std::cerr << fmt::format("{}: note: reading '{}' as a program, not as the file of that name; "
                             "to read the file: {} -f {}\n", out.command, program, out.command, program);
  }
}

// The option nearest to an unknown one, for "did you mean".
std::string nearest_option(const std::string& option, const std::vector<std::string>& extra_names) {
  std::vector<std::string_view> known(kSharedOptions.begin(), kSharedOptions.end());
  known.insert(known.end(), extra_names.begin(), extra_names.end());
  return nearest_name(option, known);
}

}  // namespace

std::vector<std::string> split_names(const std::string& list, const char* option) {
  std::vector<std::string> names;
  std::string current;
  for (char c : list + ",") {
    if (c == ',') {
      if (current.empty()) throw UsageError(fmt::format("{}: empty name in '{}'", option, list));
      names.push_back(current);
      current.clear();
    } else if (c != ' ') {
      current += c;
    }
  }
  return names;
}

std::size_t parse_count(const std::string& s, const char* option) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 9) {
    throw UsageError(fmt::format("{}: '{}' is not a positive whole number", option, s));
  }
  const std::size_t n = std::stoul(s);
  if (n == 0) throw UsageError(fmt::format("{}: must be at least 1", option));
  return n;
}

double parse_number(const std::string& text, const char* option) {
  double value = 0.0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || begin == end) {
    throw UsageError(fmt::format("{}: '{}' is not a number", option, text));
  }
  return value;
}

namespace {

// `[1, [2, 3]]`'s numbers as `NAME[0] = 1`, `NAME[1][0] = 2`, ... onto `out`.
void parse_array(const std::string& name, const std::string& text, std::size_t& at,
                 std::vector<std::pair<std::string, double>>& out) {
  ++at;  // '['
  for (std::size_t index = 0;; ++index) {
    while (at < text.size() && text[at] == ' ') ++at;
    if (at < text.size() && text[at] == ']' && index == 0) {
      ++at;
      return;
    }
    const std::string element = fmt::format("{}[{}]", name, index);
    if (at < text.size() && text[at] == '[') {
      parse_array(element, text, at, out);
    } else {
      const std::size_t end = text.find_first_of(",]", at);
      if (end == std::string::npos) throw UsageError(fmt::format("--at: '{}' has no closing ']'", name));
      out.emplace_back(element, parse_number(text.substr(at, end - at), "--at"));
      at = end;
    }
    while (at < text.size() && text[at] == ' ') ++at;
    if (at < text.size() && text[at] == ']') {
      ++at;
      return;
    }
    if (at >= text.size() || text[at] != ',') {
      throw UsageError(fmt::format("--at: expected ',' or ']' in the value of '{}'", name));
    }
    ++at;
  }
}

}  // namespace

std::vector<std::pair<std::string, double>> parse_assignments(const std::string& text) {
  std::vector<std::pair<std::string, double>> out;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t eq = text.find('=', at);
    if (eq == std::string::npos) throw UsageError(fmt::format("--at: '{}' is not NAME=VALUE", text.substr(at)));
    std::string name = text.substr(at, eq - at);
    if (name.find(',') != std::string::npos) {
      throw UsageError(fmt::format("--at: '{}' is not NAME=VALUE", name.substr(0, name.find(','))));
    }
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    // An element's name has no spaces: `W [1]` is `W[1]`.
    name.erase(std::remove(name.begin(), name.end(), ' '), name.end());
    std::size_t value = eq + 1;
    while (value < text.size() && text[value] == ' ') ++value;
    const std::size_t before = out.size();
    if (value < text.size() && text[value] == '[') {
      // A whole array (v2): x=[1,2,3], W=[[1,2],[3,4]].
      parse_array(name, text, value, out);
      while (value < text.size() && text[value] == ' ') ++value;
      if (value < text.size() && text[value] != ',') {
        throw UsageError(fmt::format("--at: unexpected '{}' after the array '{}'", text[value], name));
      }
      at = value + 1;
    } else {
      const std::size_t comma = text.find(',', value);
      const std::size_t end = comma == std::string::npos ? text.size() : comma;
      out.emplace_back(name, parse_number(text.substr(eq + 1, end - eq - 1), "--at"));
      at = end + 1;
    }
    for (std::size_t k = before; k < out.size(); ++k) {
      for (std::size_t j = 0; j < before; ++j) {
        if (out[j].first == out[k].first) throw UsageError(fmt::format("--at: '{}' is given twice", out[k].first));
      }
    }
  }
  return out;
}

std::vector<double> parse_point(const std::string& text, const std::vector<std::string>& inputs) {
  std::vector<double> x(inputs.size(), 0.0);
  std::vector<char> given(inputs.size(), 0);
  for (const auto& [name, value] : parse_assignments(text)) {
    std::size_t i = 0;
    while (i < inputs.size() && inputs[i] != name) ++i;
    if (i == inputs.size()) {
      const std::string best = nearest_name(name, std::vector<std::string_view>(inputs.begin(), inputs.end()));
      throw UsageError(fmt::format("--at: '{}' is not an input{}", name,
                                   best.empty() ? "" : fmt::format("; did you mean '{}'?", best)));
    }
    x[i] = value;
    given[i] = 1;
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!given[i]) throw UsageError(fmt::format("--at: no value for the input '{}'", inputs[i]));
  }
  return x;
}

void parse(const std::vector<std::string>& args, ProgramArgs& out, const ExtraOption& extra,
           bool program_required, const std::vector<std::string>& extra_names) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::string inline_value;
    bool has_inline_value = false;
    bool value_taken = false;
    if (arg.rfind("--", 0) == 0 && arg.find('=') != std::string::npos) {
      inline_value = arg.substr(arg.find('=') + 1);
      arg = arg.substr(0, arg.find('='));
      has_inline_value = true;
    }
    const std::function<std::string()> value = [&]() -> std::string {
      value_taken = true;
      // An empty value is a mistake (-f "$UNSET"), except --namespace "",
      // the global namespace.
      if (has_inline_value) {
        if (inline_value.empty()) throw UsageError(fmt::format("{} needs a value", arg));
        return inline_value;
      }
      if (i + 1 >= args.size()) throw UsageError(fmt::format("{} needs a value", arg));
      if (args[i + 1].empty() && arg != "--namespace") throw UsageError(fmt::format("{} needs a value", arg));
      return args[++i];
    };
    // -oFILE, -o=FILE, -fFILE: a short option with its value attached, as
    // getopt reads them. Tried only for a letter that takes a value;
    // otherwise the argument is read whole (-O0, or a program like -x*y).
    if (arg.size() > 2 && arg[0] == '-' && std::isalpha(static_cast<unsigned char>(arg[1])) &&
        !has_inline_value && arg.find_first_of(" *+^()<>!?:;&|%") == std::string::npos) {
      const std::string letter = arg.substr(0, 2);
      const std::string attached = arg.substr(arg[2] == '=' ? 3 : 2);
      if (attached.empty()) throw UsageError(fmt::format("{} needs a value", arg));
      has_inline_value = true;
      inline_value = attached;
      bool known = false;
      if (letter == "-f") {
        out.file = value();
        known = true;
      } else {
        const std::string whole = arg;
        arg = letter;
        known = extra(letter, value) && value_taken;
        if (!known && value_taken) {
          throw UsageError(fmt::format("{} takes no value (in '{}')", letter, whole));
        }
        arg = whole;
      }
      if (known) continue;
      has_inline_value = false;
      inline_value.clear();
      value_taken = false;
    }
    if (arg == "-f" || arg == "--file") {
      out.file = value();
    } else if (arg == "--name") {
      out.emit.function = value();
    } else if (arg == "--namespace") {
      out.emit.ns = value();
    } else if (arg == "--inputs") {
      out.compile.inputs = split_names(value(), "--inputs");
    } else if (arg == "--wrt") {
      out.compile.wrt = split_names(value(), "--wrt");
    } else if (arg == "--output") {
      const std::string list = value();
      out.compile.outputs = split_names(list, "--output");
      for (const std::string& output : out.compile.outputs) {
        // A name, or an array's element (h[2], v2) as NAME_outputs names it.
        const std::string name = output.substr(0, output.find('['));
        const bool is_name = !name.empty() &&
                             (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
                             std::all_of(name.begin(), name.end(), [](char c) {
                               return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                             });
        if (!is_name) {
          throw UsageError(fmt::format(
              "--output: '{}' is not a name of the program (--output names the outputs, as in "
              "--output y1,y2; the header goes to a file with -o FILE)", output));
        }
      }
    } else if (arg == "--hessian") {
      out.compile.hessian = true;
    } else if (arg == "--batch") {
      out.emit.batch = true;
    } else if (arg == "--no-opt" || arg == "-O0") {
      out.emit.one_gate_per_line = true;
    } else if (arg == "--split-lines") {
      const std::string lines = value();
      const bool zero = !lines.empty() && lines.find_first_not_of('0') == std::string::npos;
      out.emit.split_lines = zero ? 0 : parse_count(lines, "--split-lines");
    } else if (arg == "--type") {
      out.emit.type = parse_type(value());
    } else if (arg == "--max-depth") {
      out.compile.limits.max_depth = parse_count(value(), "--max-depth");
    } else if (arg == "--max-size") {
      out.compile.limits.max_bytes = parse_count(value(), "--max-size");
    } else if (arg == "--max-statements") {
      out.compile.limits.max_statements = parse_count(value(), "--max-statements");
    } else if (arg == "--max-iterations") {
      const std::string n = value();
      if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos || n.size() > 18 || std::stoull(n) == 0) {
        throw UsageError(fmt::format("--max-iterations: '{}' is not a positive whole number", n));
      }
      out.compile.max_iterations = std::stoull(n);
    } else if (arg == "--") {
      for (++i; i < args.size(); ++i) take_program(out, args[i]);
    } else if (arg.size() > 1 && arg[0] == '-' && looks_like_option(arg)) {
      if (!extra(arg, value)) {
        const std::string best = nearest_option(arg, extra_names);
        if (!best.empty()) {
          throw UsageError(fmt::format("unknown option '{}'; did you mean '{}'? (see {} --help)", arg,
                                       best, out.command));
        }
        throw UsageError(fmt::format(
            "unknown option '{}' (see {} --help; a program that starts with '-' goes after "
            "--: {} -- '{}')", arg, out.command, out.command, arg));
      }
    } else {
      take_program(out, args[i]);
    }
    if (has_inline_value && !value_taken) {
      throw UsageError(fmt::format("{} takes no value (in '{}')", arg, args[i]));
    }
  }
  if (out.program_given && !out.file.empty()) {
    throw UsageError("give the program either as an argument or with --file, not both");
  }
  if (out.program_given && out.program == "-") {
    out.program_given = false;
    out.file = "-";
  }
  if (out.program_given) note_program_lookalikes(out);
  if (program_required && !out.program_given && out.file.empty() && !read_piped_stdin(out)) {
    throw UsageError(fmt::format("no program given (see {} --help)", out.command));
  }
}

ExtraOption at_and_json(std::string& at, bool& json) {
  return [&at, &json](const std::string& option, const std::function<std::string()>& value) {
    if (option == "--at") {
      at = value();
    } else if (option == "--json") {
      json = true;
    } else {
      return false;
    }
    return true;
  };
}

bool read_piped_stdin(ProgramArgs& out) {
  // echo "x*y" | gradgen: standard input, when it is not a terminal.
  if (isatty(STDIN_FILENO) != 0) return false;
  out.file = "-";
  out.stdin_implied = true;
  return true;
}

bool colour_on_stderr() {
  // https://no-color.org: NO_COLOR set and not empty turns colour off.
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && *no_colour != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term == nullptr || std::strcmp(term, "dumb") == 0) return false;
  return isatty(STDERR_FILENO) != 0;
}

void report(const Source& source, const Diagnostic& error) {
  std::cerr << format_diagnostic(source, error, colour_on_stderr());
}

Source read_source(const ProgramArgs& args) {
  if (args.program_given) return {"<input>", args.program};
  std::ostringstream text;
  if (args.file == "-") {
    text << std::cin.rdbuf();
    if (args.stdin_implied && text.str().empty()) {
      throw UsageError(fmt::format("no program given, and standard input is empty (see {} --help)",
                                   args.command));
    }
    return {"<stdin>", text.str()};
  }
  std::error_code ec;
  if (std::filesystem::is_directory(args.file, ec)) {
    throw FileError(fmt::format("cannot read {}: it is a directory", args.file));
  }
  std::ifstream in(args.file, std::ios::binary);
  if (!in) throw FileError(fmt::format("cannot read {}: {}", args.file, std::strerror(errno)));
  text << in.rdbuf();
  if (in.bad()) throw FileError(fmt::format("cannot read {}: {}", args.file, std::strerror(errno)));
  return {args.file, text.str()};
}

}  // namespace gradgen::cli

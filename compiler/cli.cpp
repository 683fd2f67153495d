#include "cli.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

namespace gradgen::cli {
namespace {

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
    throw UsageError(fmt::format("unexpected argument '{}': give one program (quote it)", arg));
  }
  out.program = arg;
  out.program_given = true;
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

std::vector<double> parse_point(const std::string& text, const std::vector<std::string>& inputs) {
  std::vector<double> x(inputs.size(), 0.0);
  std::vector<char> given(inputs.size(), 0);
  std::istringstream items(text);
  std::string item;
  while (std::getline(items, item, ',')) {
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos) throw UsageError(fmt::format("--at: '{}' is not NAME=VALUE", item));
    std::string name = item.substr(0, eq);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    std::size_t i = 0;
    while (i < inputs.size() && inputs[i] != name) ++i;
    if (i == inputs.size()) throw UsageError(fmt::format("--at: '{}' is not an input", name));
    if (given[i]) throw UsageError(fmt::format("--at: '{}' is given twice", name));
    x[i] = parse_number(item.substr(eq + 1), "--at");
    given[i] = 1;
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!given[i]) throw UsageError(fmt::format("--at: no value for the input '{}'", inputs[i]));
  }
  return x;
}

void parse(const std::vector<std::string>& args, ProgramArgs& out, const ExtraOption& extra,
           bool program_required) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::string inline_value;
    bool has_inline_value = false;
    if (arg.rfind("--", 0) == 0 && arg.find('=') != std::string::npos) {
      inline_value = arg.substr(arg.find('=') + 1);
      arg = arg.substr(0, arg.find('='));
      has_inline_value = true;
    }
    const std::function<std::string()> value = [&]() -> std::string {
      if (has_inline_value) return inline_value;
      if (i + 1 >= args.size()) throw UsageError(fmt::format("{} needs a value", arg));
      return args[++i];
    };
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
      for (const std::string& name : out.compile.outputs) {
        const bool is_name = (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
                             std::all_of(name.begin(), name.end(), [](char c) {
                               return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                             });
        if (!is_name) {
          throw UsageError(fmt::format(
              "--output: '{}' is not a name of the program (--output names the outputs, as in "
              "--output y1,y2; the header goes to a file with -o FILE)", name));
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
    } else if (arg == "--") {
      for (++i; i < args.size(); ++i) take_program(out, args[i]);
    } else if (arg.size() > 1 && arg[0] == '-' && looks_like_option(arg)) {
      if (!extra(arg, value)) {
        throw UsageError(fmt::format(
            "unknown option '{}' (see gradgen --help; a program that starts with '-' goes after "
            "--: gradgen -- '{}')", arg, arg));
      }
    } else {
      take_program(out, args[i]);
    }
  }
  if (out.program_given && !out.file.empty()) {
    throw UsageError("give the program either as an argument or with --file, not both");
  }
  if (out.program_given && out.program == "-") {
    out.program_given = false;
    out.file = "-";
  }
  if (program_required && !out.program_given && out.file.empty()) {
    throw UsageError(fmt::format("no program given (see {} --help)", out.command));
  }
}

Source read_source(const ProgramArgs& args) {
  if (args.program_given) return {"<input>", args.program};
  std::ostringstream text;
  if (args.file == "-") {
    text << std::cin.rdbuf();
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

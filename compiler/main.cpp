// The gradgen command line: reads a program, writes a C++ header with its
// value and gradient. Exit status: 0 done, 1 a bad program (or a file that
// cannot be read or written), 2 bad usage, 3 an internal error.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "compiler/compile.hpp"
#include "compiler/output_file.hpp"

#ifndef GRADGEN_VERSION
#define GRADGEN_VERSION "unknown"
#endif

namespace {

using gradgen::UsageError;

constexpr const char* kHelp = R"help(gradgen - compile an expression into C++ that computes its value and gradient

Usage:
  gradgen PROGRAM [options]        the program on the command line
  gradgen -f FILE [options]        the program in FILE (- for standard input)
  gradgen - [options]              the program on standard input

Example:
  gradgen "pow((a*b+c)*d, 2)" -o grad.hpp

A program is one or more statements separated by ';' or new lines: NAME = expr,
NAME += expr (-=, *=, /=) or a bare expr. Its value is the last statement's.
Names that are read but never assigned are the inputs.

Options:
  -o, --output FILE     write the header to FILE (atomically) instead of stdout
  -f, --file FILE       read the program from FILE; - reads standard input
      --name NAME       name of the generated function (default: f)
      --namespace NS    put the generated code in namespace NS (may be a::b)
      --inputs a,b,c    the input order (default: order of first appearance);
                        may add inputs the program does not read
      --wrt a,c         take the gradient with respect to these inputs only
      --type TYPE       scalar type: double (default), float or "long double"
      --max-depth N     refuse expressions nested deeper than N (default 256)
      --dump-ast        print the syntax tree instead of the header
      --dump-ir         print the IR (the forward and backward gates) instead
  -h, --help            show this help
      --version         show gradgen's version

Errors in the program are reported as FILE:LINE:COLUMN with the line and a
caret, and exit with status 1; bad options exit with status 2. An output file
is only ever replaced whole: on any error it is left as it was.
)help";

struct Options {
  std::string program;
  bool program_given = false;
  std::string file;  // "-" for stdin
  std::string output;
  bool dump_ast = false;
  bool dump_ir = false;
  gradgen::CompileOptions compile;
  gradgen::EmitOptions emit;
};

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

gradgen::ScalarType parse_type(const std::string& t) {
  if (t == "double") return gradgen::ScalarType::kDouble;
  if (t == "float") return gradgen::ScalarType::kFloat;
  if (t == "long double" || t == "long-double" || t == "longdouble") return gradgen::ScalarType::kLongDouble;
  throw UsageError(fmt::format("--type: '{}' is not one of double, float, long double", t));
}

std::size_t parse_count(const std::string& s, const char* option) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 9) {
    throw UsageError(fmt::format("{}: '{}' is not a positive whole number", option, s));
  }
  const std::size_t n = std::stoul(s);
  if (n == 0) throw UsageError(fmt::format("{}: must be at least 1", option));
  return n;
}

// "-x" or "--foo" is an option; "-a^2 + b" or "-(x)" is a program.
bool looks_like_option(const std::string& arg) {
  return arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=") ==
         std::string::npos;
}

// Returns false when the run is over (--help, --version).
bool parse_args(int argc, char** argv, Options& o) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::string value;
    bool has_inline_value = false;
    if (arg.rfind("--", 0) == 0 && arg.find('=') != std::string::npos) {
      value = arg.substr(arg.find('=') + 1);
      arg = arg.substr(0, arg.find('='));
      has_inline_value = true;
    }
    const auto next = [&]() -> std::string {
      if (has_inline_value) return value;
      if (i + 1 >= args.size()) throw UsageError(fmt::format("{} needs a value", arg));
      return args[++i];
    };
    if (arg == "-h" || arg == "--help") {
      std::cout << kHelp;
      return false;
    }
    if (arg == "--version") {
      std::cout << "gradgen " << GRADGEN_VERSION << "\n";
      return false;
    }
    if (arg == "-o" || arg == "--output") {
      o.output = next();
    } else if (arg == "-f" || arg == "--file") {
      o.file = next();
    } else if (arg == "--name") {
      o.emit.function = next();
    } else if (arg == "--namespace") {
      o.emit.ns = next();
    } else if (arg == "--inputs") {
      o.compile.inputs = split_names(next(), "--inputs");
    } else if (arg == "--wrt") {
      o.compile.wrt = split_names(next(), "--wrt");
    } else if (arg == "--type") {
      o.emit.type = parse_type(next());
    } else if (arg == "--max-depth") {
      o.compile.limits.max_depth = parse_count(next(), "--max-depth");
    } else if (arg == "--dump-ast") {
      o.dump_ast = true;
    } else if (arg == "--dump-ir") {
      o.dump_ir = true;
    } else if (arg == "--") {
      for (++i; i < args.size(); ++i) {
        if (o.program_given) throw UsageError(fmt::format("unexpected argument '{}'", args[i]));
        o.program = args[i];
        o.program_given = true;
      }
    } else if (arg.size() > 1 && arg[0] == '-' && looks_like_option(arg)) {
      throw UsageError(fmt::format(
          "unknown option '{}' (see gradgen --help; a program that starts with '-' goes after --: "
          "gradgen -- '{}')", arg, arg));
    } else if (o.program_given) {
      throw UsageError(fmt::format("unexpected argument '{}': give one program (quote it)", arg));
    } else {
      o.program = arg;
      o.program_given = true;
    }
  }
  if (o.program_given && !o.file.empty()) {
    throw UsageError("give the program either as an argument or with --file, not both");
  }
  if (o.program_given && o.program == "-") {
    o.program_given = false;
    o.file = "-";
  }
  if (!o.program_given && o.file.empty()) throw UsageError("no program given (see gradgen --help)");
  if (o.dump_ast && o.dump_ir) throw UsageError("--dump-ast and --dump-ir cannot be combined");
  return true;
}

// Raised for files that cannot be read or written: exit status 1.
struct FileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

gradgen::Source read_source(const Options& o) {
  if (o.program_given) return {"<input>", o.program};
  std::ostringstream text;
  if (o.file == "-") {
    text << std::cin.rdbuf();
    return {"<stdin>", text.str()};
  }
  std::ifstream in(o.file, std::ios::binary);
  if (!in) throw FileError(fmt::format("cannot read {}: {}", o.file, std::strerror(errno)));
  text << in.rdbuf();
  if (in.bad()) throw FileError(fmt::format("cannot read {}: {}", o.file, std::strerror(errno)));
  return {o.file, text.str()};
}

std::string ir_dump(const gradgen::Compilation& c) {
  std::vector<std::string> names(c.circuit.graph.size());
  for (std::size_t i = 0; i < c.circuit.inputs.size(); ++i) {
    names[static_cast<std::size_t>(c.circuit.inputs[i])] = c.circuit.input_names[i];
  }
  for (std::size_t id = 0; id < c.circuit.names.size(); ++id) {
    const gradgen::UserName& u = c.circuit.names[id];
    if (u.version > 1) names[id] = fmt::format("{} (assignment {})", u.name, u.version);
    if (u.version == 1) names[id] = u.name;
  }
  std::string out = gradgen::dump_ir(c.circuit.graph, names);
  out += fmt::format("output %{}\n", c.circuit.output);
  for (const gradgen::Contribution& k : c.gradient.contributions) {
    if (k.source == gradgen::kNoNode) {
      out += fmt::format("d%{} += %{}  ; seed\n", k.target, k.value);
    } else {
      out += fmt::format("d%{} += %{}  ; from %{}\n", k.target, k.value, k.source);
    }
  }
  return out;
}

int run(const Options& o) {
  const gradgen::Source source = read_source(o);
  try {
    std::string out;
    if (o.dump_ast || o.dump_ir) {
      const gradgen::Compilation c = gradgen::compile(source, o.compile);
      out = o.dump_ast ? gradgen::dump_ast(c.ast) : ir_dump(c);
    } else {
      gradgen::EmitOptions emit = o.emit;
      emit.program = source.text;
      emit.version = GRADGEN_VERSION;
      out = gradgen::generate_header(source, o.compile, emit);
    }
    if (o.output.empty()) {
      std::cout << out << std::flush;
      return std::cout ? 0 : 1;
    }
    if (std::string error = gradgen::write_file_atomically(o.output, out); !error.empty()) {
      throw FileError(error);
    }
    return 0;
  } catch (const gradgen::Diagnostic& d) {
    std::cerr << gradgen::format_diagnostic(source, d);
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Options o;
    if (!parse_args(argc, argv, o)) return 0;
    return run(o);
  } catch (const UsageError& e) {
    std::cerr << "gradgen: " << e.what() << "\n";
    return 2;
  } catch (const FileError& e) {
    std::cerr << "gradgen: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "gradgen: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "gradgen: internal error: " << e.what() << "\n";
    return 3;
  }
}

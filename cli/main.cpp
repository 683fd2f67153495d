// The gradgen command line: reads a program, writes a C++ header with its
// value and gradient. Exit status: 0 done, 1 a bad program (or a file that
// cannot be read or written), 2 bad usage, 3 an internal error.
#include <csignal>
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

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/output_file.hpp"
#include "compiler/compile.hpp"

#ifndef GRADGEN_VERSION
#define GRADGEN_VERSION "unknown"
#endif

namespace {

using gradgen::UsageError;

constexpr const char* kHelp = R"help(gradgen - compile an expression into C++ that computes its value and gradient

Usage:
  gradgen PROGRAM [options]        the program on the command line
  gradgen -f FILE [options]        the program in FILE (- for standard input)
  gradgen - [options]              the program on standard input (also read when
                                   no program is given and it is not a terminal)
  gradgen check ...                check a gradient numerically (gradgen check --help)
  gradgen eval ...                 evaluate value and gradient (gradgen eval --help)
  gradgen explain ...              the passes explained gate by gate (gradgen explain --help)
  gradgen dot ...                  the circuit as a Graphviz diagram (gradgen dot --help)

Example:
  gradgen "pow((a*b+c)*d, 2)" -o grad.hpp

A program is one or more statements separated by ';' or new lines: NAME = expr,
NAME += expr (-=, *=, /=) or a bare expr. Its value is the last statement's.
Names that are read but never assigned are the inputs.

Options:
  -o, --output-file FILE
                        write the header to FILE (atomically) instead of stdout
                        (- is stdout)
  -f, --file FILE       read the program from FILE; - reads standard input
      --name NAME       name of the generated function (default: f)
      --namespace NS    put the generated code in namespace NS (may be a::b)
      --inputs a,b,c    the input order (default: order of first appearance), and
                        an array's extents: --inputs x[8],W[16][4],b;
                        may add inputs the program does not read
      --wrt a,c         take the gradient with respect to these inputs only
      --output y1,y2    the outputs: variables the program assigns (default: the
                        last statement's value); with several, the header has
                        NAME(in, out), NAME_vjp, NAME_jvp and NAME_jacobian
      --hessian         also NAME_hessian (value, gradient, Hessian) and NAME_hvp
                        (Hessian-vector product); one output only
      --batch           also NAME_batch(n, in, out) and NAME_grad_batch(n, in, out,
                        grad) over n points in structure-of-arrays layout; one
                        output only
      --no-opt, -O0     one gate per line, as the guide writes passes by hand
                        (default: sums of products on one line)
      --split-lines N   split functions longer than 2N lines into parts of N lines,
                        so that C++ compilers take time in proportion to their
                        length (default 500; 0 never splits)
      --type TYPE       scalar type: double (default), float or "long double"
      --max-depth N     refuse expressions nested deeper than N (default 256)
      --max-size BYTES  refuse programs longer than BYTES (default 67108864, 64 MiB)
      --max-statements N  refuse programs of more than N statements, counted with
                        loops and calls expanded (default 2000000)
      --max-iterations N  refuse programs whose loops run more than N iterations
                        in all (default 1000000000)
      --dump-ast        print the syntax tree instead of the header
      --dump-ir         print the IR (the forward and backward gates) instead
  -h, --help            show this help
      --version         show gradgen's version

A value may follow its option as the next argument, after '=' (--name=loss,
-o=grad.hpp) or, for a short option, attached (-ograd.hpp, -floss.gg).

Errors in the program are reported as FILE:LINE:COLUMN with the line and a
caret (in colour on a terminal, unless NO_COLOR is set), and exit with status
1; bad options exit with status 2. An output file is only ever replaced whole:
on any error it is left as it was. man gradgen has the whole manual.
)help";

struct Options {
  gradgen::cli::ProgramArgs program;
  std::string output;
  bool dump_ast = false;
  bool dump_ir = false;
};

// Returns false when the run is over (--help, --version).
bool parse_args(const std::vector<std::string>& args, Options& o) {
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (arg == "-h" || arg == "--help") {
      std::cout << kHelp;
      return false;
    }
    if (arg == "--version") {
      std::cout << "gradgen " << GRADGEN_VERSION << "\n";
      return false;
    }
  }
  gradgen::cli::parse(args, o.program, [&](const std::string& option, const auto& value) {
    if (option == "-o" || option == "--output-file") {
      o.output = value();
    } else if (option == "--dump-ast") {
      o.dump_ast = true;
    } else if (option == "--dump-ir") {
      o.dump_ir = true;
    } else {
      return false;
    }
    return true;
  }, /*program_required=*/true, {"--output-file", "--dump-ast", "--dump-ir", "--version"});
  if (o.dump_ast && o.dump_ir) throw UsageError("--dump-ast and --dump-ir cannot be combined");
  return true;
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
  for (std::size_t k = 0; k < c.circuit.outputs.size(); ++k) {
    const std::string name = k < c.circuit.output_names.size() ? "  ; " + c.circuit.output_names[k] : "";
    out += fmt::format("output %{}{}\n", c.circuit.outputs[k], c.circuit.outputs.size() > 1 ? name : "");
  }
  for (const gradgen::Contribution& k : c.gradient.contributions) {
    if (k.source == gradgen::kNoNode) {
      out += fmt::format("d%{} += %{}  ; seed\n", k.target, k.value);
    } else {
      out += fmt::format("d%{} += %{}  ; from %{}\n", k.target, k.value, k.source);
    }
  }
  return out;
}

int generate(const Options& o) {
  const gradgen::Source source = gradgen::cli::read_source(o.program);
  try {
    std::string out;
    if (o.dump_ast || o.dump_ir) {
      const gradgen::Compilation c = gradgen::compile(source, o.program.compile);
      out = o.dump_ast ? gradgen::dump_ast(c.ast) : ir_dump(c);
    } else {
      gradgen::EmitOptions emit = o.program.emit;
      emit.program = source.text;
      emit.version = GRADGEN_VERSION;
      out = gradgen::generate_header(source, o.program.compile, emit);
    }
    if (o.output.empty() || o.output == "-") {
      std::cout << out << std::flush;
      return std::cout ? 0 : 1;
    }
    if (std::string error = gradgen::write_file_atomically(o.output, out); !error.empty()) {
      throw gradgen::cli::FileError(error);
    }
    return 0;
  } catch (const gradgen::Diagnostic& d) {
    gradgen::cli::report(source, d);
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  // A file-size limit (ulimit -f) is reported like a full disk -- write(2)
  // fails with EFBIG, "cannot write FILE: File too large", exit 1 -- rather
  // than killing gradgen with SIGXFSZ.
  std::signal(SIGXFSZ, SIG_IGN);
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args[0] == "check") return gradgen::cli::check(std::vector<std::string>(args.begin() + 1, args.end()));
    if (!args.empty() && args[0] == "eval") return gradgen::cli::eval(std::vector<std::string>(args.begin() + 1, args.end()));
    if (!args.empty() && args[0] == "explain") return gradgen::cli::explain(std::vector<std::string>(args.begin() + 1, args.end()));
    if (!args.empty() && args[0] == "dot") return gradgen::cli::dot(std::vector<std::string>(args.begin() + 1, args.end()));
    Options o;
    if (!parse_args(args, o)) return 0;
    return generate(o);
  } catch (const UsageError& e) {
    std::cerr << "gradgen: " << e.what() << "\n";
    return 2;
  } catch (const gradgen::cli::FileError& e) {
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

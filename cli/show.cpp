#include "cli/commands.hpp"

#include <iostream>

#include <fmt/format.h>

#include "cli/options.hpp"
#include "cli/output_file.hpp"
#include "compiler/show/dot.hpp"
#include "compiler/show/explain.hpp"
#include "runtime/process.hpp"

namespace gradgen::cli {
namespace {

constexpr const char* kExplainHelp = R"help(gradgen explain - a program's forward and backward passes, explained

Usage:
  gradgen explain PROGRAM [--at a=-2,b=5,c=-4] [options]

Writes the forward pass one gate per line with the value on each wire, then
the backward pass one local rule at a time (what each gate does with the
gradient from above, in words) with the numbers filled in, then the gradient
beside a numerical one. Without --at it explains symbolically.

Options:
  --at a=1,b=2      the point (every input needs a value)
  --json            the same as one JSON object: inputs, forward lines with
                    their values, backward gates with their rules and steps,
                    and the gradient beside the numerical one
  -f FILE, --inputs, --wrt, --max-depth: as for gradgen
)help";

constexpr const char* kDotHelp = R"help(gradgen dot - the circuit as a Graphviz diagram

Usage:
  gradgen dot PROGRAM [--at a=-2,b=5,c=-4] [-o FILE] [--svg FILE] [--png FILE]

Writes the circuit in Graphviz's DOT language: inputs as ovals, gates as
boxes with their operator, and on each wire the value going forward and, in
red, the gradient coming back (with --at; without, the wires' names and the
gradients' expressions). The gates of one line of generated code are grouped
in a box named after it. --svg and --png render the diagram with Graphviz's
`dot` (Debian package graphviz); -o writes the DOT text to FILE instead of
standard output. Files are written atomically.

Options:
  --at a=1,b=2      the point
  -o FILE           write the DOT text to FILE
  --svg FILE        render to SVG
  --png FILE        render to PNG
  -f FILE, --inputs, --wrt, --max-depth: as for gradgen
)help";

bool wants_help(const std::vector<std::string>& args, const char* help) {
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (arg == "-h" || arg == "--help") {
      std::cout << help;
      return true;
    }
  }
  return false;
}

// The point --at gives, or none.
std::vector<double> point(const std::string& at, const Compilation& c, bool& given) {
  given = !at.empty();
  if (!given) return {};
  return parse_point(at, c.analysis.inputs);
}

void one_output(const ProgramArgs& p, const char* command) {
  if (p.compile.outputs.size() > 1) {
    throw UsageError(fmt::format("{} shows one output at a time: give --output one name", command));
  }
  if (p.compile.hessian) throw UsageError(fmt::format("{} does not show Hessians", command));
}

// The title of a diagram: the program on one line, without its comments.
std::string one_line(const std::string& program) {
  std::string out;
  for (std::size_t i = 0; i < program.size(); ++i) {
    const char c = program[i];
    if (c == '/' && i + 1 < program.size() && program[i + 1] == '/') {
      while (i + 1 < program.size() && program[i + 1] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < program.size() && program[i + 1] == '*') {
      const std::size_t end = program.find("*/", i + 2);
      i = end == std::string::npos ? program.size() : end + 1;
      continue;
    }
    if (c == '\n' || c == '\r') {
      if (!out.empty() && out.back() != ' ' && out.back() != ';') out += ';';
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
  return out.size() > 120 ? out.substr(0, 117) + "..." : out;
}

// explain and dot show every gate: a program whose loops and calls expand
// to more gates than a reader can take (or Graphviz can lay out) is refused.
void refuse_too_large(const Compilation& c, const char* command, std::size_t limit) {
  const std::size_t gates = static_cast<std::size_t>(c.circuit.output) + 1;
  if (gates > limit) {
    throw UsageError(fmt::format("{} shows every gate, and this program has {} (loops and calls expanded): more "
                                 "than the {} it shows; try a smaller instance (fewer iterations), or read the "
                                 "generated header",
                                 command, gates, limit));
  }
}

}  // namespace

int explain(const std::vector<std::string>& args) {
  if (wants_help(args, kExplainHelp)) return 0;
  ProgramArgs p;
  p.command = "gradgen explain";
  std::string at;
  bool json = false;
  parse(args, p, at_and_json(at, json), /*program_required=*/true, {"--at", "--json"});
  one_output(p, "gradgen explain");
  const Source source = read_source(p);
  try {
    const Compilation c = compile(source, p.compile);
    refuse_too_large(c, "gradgen explain", 20000);
    bool given = false;
    const std::vector<double> x = point(at, c, given);
    std::cout << (json ? explain_json(c, given ? &x : nullptr) : gradgen::explain(c, given ? &x : nullptr));
    return 0;
  } catch (const Diagnostic& d) {
    report(source, d);
    return 1;
  }
}

int dot(const std::vector<std::string>& args) {
  if (wants_help(args, kDotHelp)) return 0;
  ProgramArgs p;
  p.command = "gradgen dot";
  std::string at;
  std::string output;
  std::string svg;
  std::string png;
  parse(args, p, [&](const std::string& option, const auto& value) {
    if (option == "--at") {
      at = value();
    } else if (option == "-o" || option == "--output-file") {
      output = value();
    } else if (option == "--svg") {
      svg = value();
    } else if (option == "--png") {
      png = value();
    } else {
      return false;
    }
    return true;
  }, /*program_required=*/true, {"--at", "--output-file", "--svg", "--png"});
  one_output(p, "gradgen dot");
  const Source source = read_source(p);
  std::string text;
  try {
    const Compilation c = compile(source, p.compile);
    refuse_too_large(c, "gradgen dot", 2000);
    bool given = false;
    const std::vector<double> x = point(at, c, given);
    std::string title = one_line(source.text);
    if (given) {
      std::string values;
      for (std::size_t i = 0; i < x.size(); ++i) {
        values += fmt::format("{}{} = {}", i ? ", " : "", c.analysis.inputs[i], x[i]);
      }
      if (!values.empty()) title += "   at " + values;
    }
    text = circuit_dot(c, given ? &x : nullptr, title);
  } catch (const Diagnostic& d) {
    report(source, d);
    return 1;
  }
  if (output.empty() && svg.empty() && png.empty()) {
    std::cout << text;
    return 0;
  }
  if (!output.empty()) {
    if (std::string error = write_file_atomically(output, text); !error.empty()) throw FileError(error);
  }
  for (const auto& [path, format] : {std::pair<std::string, const char*>{svg, "svg"}, {png, "png"}}) {
    if (path.empty()) continue;
    runtime::TempDir dir;
    const std::string input = dir.path() + "/circuit.dot";
    if (std::string error = write_file_atomically(input, text); !error.empty()) throw FileError(error);
    const runtime::ProcessResult r = runtime::run_process({"dot", std::string("-T") + format, input}, 120);
    if (!r.started) {
      throw FileError(
          "cannot run Graphviz's dot to render the diagram (on Debian: apt-get install graphviz); "
          "gradgen dot -o FILE writes the DOT text without it");
    }
    if (r.exit_code != 0 || r.timed_out) {
      throw FileError(fmt::format("Graphviz's dot failed: {}{}", r.error, r.err));
    }
    if (std::string error = write_file_atomically(path, r.out); !error.empty()) throw FileError(error);
  }
  return 0;
}

}  // namespace gradgen::cli

// `gradgen eval`: a program's value and gradient at a point, from the
// reference evaluator (no C++ compiler involved).
#include <algorithm>
#include <iostream>

#include <fmt/format.h>

#include "cli/check_engine.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "compiler/ir/evaluate.hpp"
#include "compiler/support/json.hpp"

namespace gradgen::cli {
namespace {

constexpr const char* kEvalHelp = R"help(gradgen eval - the value and gradient of a program at a point

Usage:
  gradgen eval PROGRAM --at a=-2,b=5,c=-4 [--json] [--inputs ...] [--wrt ...]

Computed by gradgen's reference evaluator (no C++ compiler involved).
)help";

// The values of an array (extents from dimension `d` on, starting at
// `values[at]`) as nested JSON lists, row-major.
std::string nested(const std::vector<double>& values, std::size_t& at, const std::vector<std::size_t>& extents,
                   std::size_t d = 0) {
  if (d == extents.size()) return json::number(values[at++]);
  std::string out = "[";
  for (std::size_t i = 0; i < extents[d]; ++i) out += (i ? ", " : "") + nested(values, at, extents, d + 1);
  return out + "]";
}

// {"x": [1, 2], "b": 0.5}: each input (of `shapes`, whose scalars are
// `values` in order) by its name, arrays as nested lists.
std::string json_object(const std::vector<ArrayShape>& shapes, const std::vector<double>& values) {
  std::string out = "{";
  std::size_t at = 0;
  for (const ArrayShape& a : shapes) {
    if (at > 0) out += ", ";
    out += json::string(a.name) + ": " + nested(values, at, a.extents);
  }
  return out + "}";
}

}  // namespace

int eval(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (arg == "-h" || arg == "--help") {
      std::cout << kEvalHelp;
      return 0;
    }
  }
  ProgramArgs p;
  p.command = "gradgen eval";
  std::string at;
  bool json = false;
  parse(args, p, at_and_json(at, json), /*program_required=*/true, {"--at", "--json"});
  const Source source = read_source(p);
  try {
    if (p.compile.outputs.size() > 1) {
      throw UsageError("gradgen eval evaluates one output at a time: give --output one name");
    }
    if (p.compile.hessian) {
      throw UsageError("gradgen eval gives the value and gradient; for the Hessian use "
                       "gradgen PROGRAM --hessian, or gradgen check PROGRAM --hessian");
    }
    const Compilation c = compile(source, p.compile);
    if (c.several_outputs()) {
      // An array output (v2) is an output per element.
      throw UsageError(fmt::format("gradgen eval evaluates one output at a time, and this program has {} ({}, ...): "
                                   "give --output one of them",
                                   c.circuit.outputs.size(), c.circuit.output_names.front()));
    }
    const std::vector<std::string>& inputs = c.analysis.inputs;
    if (at.empty() && !inputs.empty()) throw UsageError("gradgen eval needs --at NAME=VALUE,...");
    const std::vector<double> x = at.empty() ? std::vector<double>{} : parse_point(at, inputs);
    std::vector<NodeId> wrt;
    for (std::int32_t i : c.wrt) wrt.push_back(c.circuit.inputs[static_cast<std::size_t>(i)]);
    const Evaluation e = evaluate(c.circuit.graph, c.circuit.inputs, c.circuit.output, c.gradient, wrt, x);
    std::string out;
    if (json) {
      // The gradient's inputs: --wrt names whole inputs, in input order.
      std::vector<ArrayShape> wrt_shapes;
      for (const ArrayShape& a : c.input_shapes) {
        if (std::find(c.wrt.begin(), c.wrt.end(), static_cast<std::int32_t>(a.offset)) != c.wrt.end()) {
          wrt_shapes.push_back(a);
        }
      }
      out = fmt::format("{{\"inputs\": {}, \"value\": {}, \"gradient\": {}}}\n", json_object(c.input_shapes, x),
                        json::number(e.value), json_object(wrt_shapes, e.gradient));
    } else {
      std::string point;
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        point += fmt::format("{}{} = {}", i ? ", " : "", inputs[i], number(x[i]));
      }
      out = fmt::format("at {}\nvalue = {}\n", point.empty() ? "(no inputs)" : point, number(e.value));
      for (std::size_t j = 0; j < c.wrt.size(); ++j) {
        out += fmt::format("d{} = {}\n", inputs[static_cast<std::size_t>(c.wrt[j])], number(e.gradient[j]));
      }
    }
    std::cout << out;
    return 0;
  } catch (const Diagnostic& d) {
    report(source, d);
    return 1;
  }
}

}  // namespace gradgen::cli

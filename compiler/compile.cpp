#include "compiler/compile.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "compiler/emit/names.hpp"

namespace gradgen {
namespace {

std::vector<std::int32_t> wrt_positions(const std::vector<ArrayShape>& inputs, const std::vector<std::string>& wrt) {
  std::vector<std::int32_t> positions;
  std::size_t total = 0;
  for (const ArrayShape& a : inputs) total += a.size();
  if (wrt.empty()) {
    for (std::size_t i = 0; i < total; ++i) positions.push_back(static_cast<std::int32_t>(i));
    return positions;
  }
  for (const std::string& name : wrt) {
    const auto it = std::find_if(inputs.begin(), inputs.end(), [&](const ArrayShape& a) { return a.name == name; });
    if (it == inputs.end()) {
      if (name.find('[') != std::string::npos) {
        throw UsageError(fmt::format("--wrt names whole inputs (W, b), not elements: '{}'", name));
      }
      std::string names;
      for (const ArrayShape& a : inputs) names += (names.empty() ? "" : ", ") + a.name;
      throw UsageError(fmt::format("--wrt: '{}' is not an input of the program (its inputs: {})",
                                   name, names.empty() ? "none" : names));
    }
    const auto first = static_cast<std::int32_t>(it->offset);
    if (std::find(positions.begin(), positions.end(), first) != positions.end()) {
      throw UsageError(fmt::format("--wrt: '{}' is listed twice", name));
    }
    for (std::size_t k = 0; k < it->size(); ++k) positions.push_back(first + static_cast<std::int32_t>(k));
  }
  // grad[] follows the input order, whatever order --wrt names them in.
  std::sort(positions.begin(), positions.end());
  return positions;
}

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Every sweep the header's functions need, all built before the layout is
// planned (the layout sizes its tables by the finished graph).
void differentiate_all(Compilation& c, bool hessian) {
  Graph& g = c.circuit.graph;
  const std::vector<NodeId>& outputs = c.circuit.outputs;
  std::vector<NodeId> wrt;
  for (std::int32_t i : c.wrt) wrt.push_back(c.circuit.inputs[static_cast<std::size_t>(i)]);
  std::vector<OutputSeed> seeds;
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    const NodeId weight = c.several_outputs() ? g.cotangent(static_cast<std::int32_t>(k))
                                              : g.constant(1.0);
    seeds.push_back(OutputSeed{outputs[k], weight});
  }
  c.gradient = differentiate(g, seeds, wrt);
  const std::vector<NodeId> direction = direction_seeds(g, wrt.size());
  c.tangents = push_forward(g, outputs, wrt, direction);

  g.set_unit_products_fold(true);
  if (c.several_outputs()) {
    if (outputs.size() <= wrt.size()) {
      for (NodeId y : outputs) c.jacobian_rows.push_back(differentiate(g, {{y, g.constant(1.0)}}, wrt));
    } else {
      for (std::size_t j = 0; j < wrt.size(); ++j) {
        c.jacobian_columns.push_back(push_forward(g, outputs, wrt, unit_seeds(g, wrt.size(), j)));
      }
    }
  }
  if (hessian) {
    c.hessian = true;
    // An input's adjoint has no leaf of its own yet (the sweep stops there).
    for (NodeId x : wrt) c.input_adjoints.push_back(g.adjoint(x));
    g.set_unit_products_fold(false);
    c.hvp = push_forward(g, c.input_adjoints, wrt, direction, &c.gradient);
    g.set_unit_products_fold(true);
    for (std::size_t j = 0; j < wrt.size(); ++j) {
      const std::vector<NodeId> lower_part(c.input_adjoints.begin() + static_cast<std::ptrdiff_t>(j),
                                           c.input_adjoints.end());
      c.hessian_columns.push_back(
          push_forward(g, lower_part, wrt, unit_seeds(g, wrt.size(), j), &c.gradient));
    }
  }
  g.set_unit_products_fold(false);
}

}  // namespace

void check_identifier(const std::string& name, const char* what) {
  if (!is_identifier(name)) {
    throw UsageError(fmt::format("{} '{}' is not a C++ identifier", what, name));
  }
  if (is_reserved(name, "")) {
    throw UsageError(fmt::format("{} '{}' is reserved in C++ (a keyword, a standard macro or "
                                 "a name reserved to the implementation)", what, name));
  }
}

Compilation compile(const Source& source, const CompileOptions& options) {
  Compilation c;
  std::vector<ArrayShape> inputs;
  for (const std::string& spec : options.inputs) {
    inputs.push_back(parse_input_spec(spec));
    // Any identifier is a valid input name (C++ keywords included: the
    // emitter renames them); it only has to be a name of the language.
    if (!is_identifier(inputs.back().name)) throw UsageError(fmt::format("--inputs: '{}' is not a name", spec));
  }
  c.ast = parse(source, options.limits);
  const bool extents_given =
      std::any_of(inputs.begin(), inputs.end(), [](const ArrayShape& a) { return !a.extents.empty(); });
  if (c.ast.v2 || extents_given) {
    // Loops, ifs, arrays and functions: expanded into the circuit (expand.hpp).
    ExpandOptions x;
    x.inputs = inputs;
    x.outputs = options.outputs;
    x.max_iterations = options.max_iterations;
    x.max_statements = options.limits.max_statements;
    for (std::size_t i = 0; i < options.outputs.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (options.outputs[i] == options.outputs[j]) {
          throw UsageError(fmt::format("--output: '{}' is listed twice", options.outputs[i]));
        }
      }
    }
    Expansion expansion = expand(c.ast, source.text, x);
    c.circuit = std::move(expansion.circuit);
    c.input_shapes = std::move(expansion.inputs);
    c.output_shapes = std::move(expansion.outputs);
    c.analysis.inputs = c.circuit.input_names;
  } else {
    std::vector<std::string> names;
    for (const ArrayShape& a : inputs) {
      if (!a.extents.empty()) {
        throw UsageError(fmt::format("--inputs: '{}' has extents, but the program has no arrays", a.name));
      }
      names.push_back(a.name);
    }
    c.analysis = analyze(c.ast, names);
    c.circuit = lower(c.ast, c.analysis, options.outputs);
    for (std::size_t i = 0; i < c.analysis.inputs.size(); ++i) c.input_shapes.push_back({c.analysis.inputs[i], i, {}});
    const std::size_t outputs = c.circuit.outputs.size();
    for (std::size_t k = 0; k < outputs; ++k) {
      c.output_shapes.push_back({k < c.circuit.output_names.size() ? c.circuit.output_names[k] : "", k, {}});
    }
  }
  c.wrt = wrt_positions(c.input_shapes, options.wrt);
  if (options.hessian && c.several_outputs()) {
    throw UsageError("--hessian: the Hessian is taken of one output; --output names several");
  }
  differentiate_all(c, options.hessian);
  return c;
}

std::string generate_header(const Source& source, const CompileOptions& options,
                            const EmitOptions& emit) {
  check_identifier(emit.function, "--name");
  if (emit.ns.empty() && is_library_global(emit.function)) {
    throw UsageError(fmt::format("--name '{}' is a function or variable of the C library at global scope, "
                                 "which the header's function would replace or clash with: choose another "
                                 "name, or put the header in a --namespace",
                                 emit.function));
  }
  if (!emit.ns.empty()) {
    std::size_t begin = 0;
    for (;;) {
      const std::size_t end = emit.ns.find("::", begin);
      const std::string component = emit.ns.substr(begin, end - begin);
      check_identifier(component, "--namespace: the component");
      if (begin == 0 && is_library_global(component)) {
        throw UsageError(fmt::format("--namespace '{}' is a function or variable of the C library at "
                                     "global scope: choose another name",
                                     component));
      }
      if (end == std::string::npos) break;
      begin = end + 2;
    }
  }
  Compilation c = compile(source, options);
  if (emit.batch && c.several_outputs()) {
    throw UsageError("--batch: the batched functions are of one output; --output names several");
  }
  // The syntax tree is about as large as the circuit and not needed past
  // lowering: free it before the emitter needs memory.
  c.ast = Ast{};
  return emit_header(c, emit);
}

}  // namespace gradgen

#include "compiler/show/shown_circuit.hpp"

#include <cmath>

#include <fmt/format.h>

namespace gradgen {
namespace {

std::vector<NodeId> gradient_roots(const Gradient& grad) {
  std::vector<NodeId> out;
  for (const Contribution& k : grad.contributions) out.push_back(k.value);
  return out;
}

}  // namespace

std::string shown_number(double v, int digits) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0.0) return "0";
  return fmt::format("{:.{}g}", v, digits);
}

ShownCircuit::ShownCircuit(const Compilation& c, const std::vector<double>* at, bool one_gate_per_line)
    : c_(c), at_(at), names_(""),  // no function name to keep clear of
      planner_(c.circuit, names_, gradient_roots(c.gradient), one_gate_per_line),
      layout_(planner_.backward(planner_.forward(), c.gradient)),
      printer_(c.circuit.graph, layout_, ScalarType::kDouble) {
  // Arrays' elements as the program writes them (v2): W[1][2] and dW[1][2],
  // h[2] = tanh(s_2), where the C++ code has W_1_2.
  const auto show_as_written = [&](NodeId id, const std::string& name) {
    if (name.find('[') == std::string::npos) return;
    layout_.name.set(static_cast<std::size_t>(id), name);
    if (!layout_.adjoint[static_cast<std::size_t>(id)].empty()) layout_.adjoint.set(static_cast<std::size_t>(id), "d" + name);
  };
  for (std::size_t i = 0; i < c.circuit.inputs.size(); ++i) show_as_written(c.circuit.inputs[i], c.circuit.input_names[i]);
  for (std::size_t id = 0; id < c.circuit.names.size(); ++id) {
    const UserName& u = c.circuit.names[id];
    if (u.version == 0 || !layout_.is_line[id]) continue;
    show_as_written(static_cast<NodeId>(id), u.version == 1 ? u.name : fmt::format("{}_{}", u.name, u.version));
  }
  printer_.inputs_used.assign(c.circuit.inputs.size(), 0);
  printer_.seeds_used.assign(c.wrt.size(), 0);
  printer_.cotangents_used.assign(c.circuit.outputs.size(), 0);
  if (at_ != nullptr) {
    std::vector<NodeId> wrt;
    for (std::int32_t i : c.wrt) wrt.push_back(c.circuit.inputs[static_cast<std::size_t>(i)]);
    e_ = evaluate(c.circuit.graph, c.circuit.inputs, c.circuit.output, c.gradient, wrt, *at_);
  }
}

}  // namespace gradgen

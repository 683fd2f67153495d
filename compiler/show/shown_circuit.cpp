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

// A compiled circuit prepared for showing to a reader (`gradgen explain`,
// `gradgen dot`): the generated code's names and lines, and, at a point,
// the value of every gate and the gradient on every wire from the reference
// evaluator.
#pragma once

#include <string>
#include <vector>

#include "compiler/compile.hpp"
#include "compiler/emit/cpp_expr.hpp"
#include "compiler/emit/layout.hpp"
#include "compiler/emit/names.hpp"
#include "compiler/ir/evaluate.hpp"

namespace gradgen {

// A number as a reader wants it: `digits` significant digits, 0 for zero.
std::string shown_number(double v, int digits);

class ShownCircuit {
 public:
  // `at`: the inputs' values, or nullptr (symbolic). `one_gate_per_line`:
  // the guide's form, or the generated header's lines.
  ShownCircuit(const Compilation& c, const std::vector<double>* at, bool one_gate_per_line);

  const Compilation& compilation() const { return c_; }
  const Circuit& circuit() const { return c_.circuit; }
  const Graph& graph() const { return c_.circuit.graph; }
  const Gradient& gradient() const { return c_.gradient; }
  const Layout& layout() const { return layout_; }
  ExprPrinter& printer() { return printer_; }
  bool has_point() const { return at_ != nullptr; }
  const std::vector<double>& point() const { return *at_; }
  // With a point: every gate's value (backward gates too) and every forward gate's adjoint.
  double value(NodeId id) const { return e_.values[static_cast<std::size_t>(id)]; }
  double adjoint(NodeId id) const { return e_.adjoints[static_cast<std::size_t>(id)]; }

 private:
  const Compilation& c_;
  const std::vector<double>* at_;
  NameTable names_;
  LayoutPlanner planner_;
  Layout layout_;
  ExprPrinter printer_;
  Evaluation e_;
};

}  // namespace gradgen

#include "compiler/show/dot.hpp"

#include <cmath>
#include <string_view>
#include <map>

#include <fmt/format.h>

#include "compiler/show/shown_circuit.hpp"

namespace gradgen {
namespace {

// Numbers on a diagram: four significant digits.
std::string shown(double v) { return shown_number(v, 4); }

// Text for an HTML-like label.
std::string escaped(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

constexpr const char* kValueColour = "black";
constexpr const char* kGradientColour = "#c0392b";

class Drawer {
 public:
  Drawer(const Compilation& c, const std::vector<double>* x)
      : shown_(c, x, /*one_gate_per_line=*/false), circuit_(c.circuit), g_(c.circuit.graph),
        grad_(c.gradient), layout_(shown_.layout()), p_(shown_.printer()), x_(x) {}

  std::string run(const std::string& title) {
    std::string out = "digraph circuit {\n";
    out += "  rankdir=LR;\n  newrank=true;\n";
    out += "  graph [fontname=\"Helvetica\", fontsize=12, labelloc=t];\n";
    out += "  node [fontname=\"Helvetica\", fontsize=12];\n";
    out += "  edge [fontname=\"Helvetica\", fontsize=10, arrowsize=0.6];\n";
    out += fmt::format("  label=<{}<br/><font point-size=\"10\">{}</font>>;\n", escaped(title),
                       x_ != nullptr ? fmt::format("values going forward in black, gradients coming back in "
                                                   "<font color=\"{}\">red</font>", kGradientColour)
                                     : fmt::format("wires named, and the gradient each carries back in "
                                                   "<font color=\"{}\">red</font>", kGradientColour));
    nodes(out);
    edges(out);
    out += "}\n";
    return out;
  }

 private:
  bool in_circuit(NodeId id) const { return layout_.in_cone[at(id)] != 0; }

  // The line a gate belongs to: itself when it is a line, else the line
  // whose expression it is inline in.
  NodeId line_of(NodeId id) {
    while (!layout_.is_line[at(id)] && users_.count(id)) id = users_[id];
    return id;
  }

  void nodes(std::string& out) {
    for (NodeId id = 0; id <= circuit_.output; ++id) {
      if (!in_circuit(id)) continue;
      const Node& n = g_[id];
      for (NodeId a : n.operands()) users_[a] = id;
    }
    std::map<NodeId, std::vector<NodeId>> groups;
    for (NodeId id = 0; id <= circuit_.output; ++id) {
      if (!in_circuit(id)) continue;
      const Node& n = g_[id];
      if (n.op == Op::kInput) {
        const std::string value = x_ != nullptr ? fmt::format(" = {}", shown(shown_.value(id))) : "";
        out += fmt::format("  n{} [label=<<b>{}</b>{}>, shape=ellipse, style=filled, fillcolor=\"#eaf2f8\"];\n",
                           id, escaped(layout_.name[at(id)]), escaped(value));
      } else if (n.op == Op::kConst) {
        continue;  // drawn beside each gate that reads it (see edges)
      } else {
        groups[line_of(id)].push_back(id);
      }
    }
    for (const auto& [line, gates] : groups) {
      const bool cluster = gates.size() > 1;
      if (cluster) {
        out += fmt::format("  subgraph cluster_{} {{\n    label=\"{}\"; style=rounded; color=\"#999999\";\n",
                           line, escaped(layout_.name[at(line)]));
      }
      for (NodeId id : gates) {
        const std::string_view name = layout_.is_line[at(id)] && !cluster ? layout_.name[at(id)] : "";
        out += fmt::format("  {}n{} [label=<<b>{}</b>{}>, shape=box, style=\"rounded,filled\", fillcolor=\"#fdfefe\"];\n",
                           cluster ? "  " : "", id, escaped(op_info(g_[id].op).label),
                           name.empty() ? "" : fmt::format("<br/><font point-size=\"9\">{}</font>", escaped(name)));
      }
      if (cluster) out += "  }\n";
    }
    out += "  out [label=\"output\", shape=plaintext];\n";
  }

  // The label of a wire: what flows forward, and the gradient flowing back.
  std::string wire(NodeId from, const std::string& gradient) {
    std::string forward = x_ != nullptr ? shown(shown_.value(from)) : p_(from);
    if (g_.type(from) == ValueType::kCondition && x_ != nullptr) {
      forward = shown_.value(from) != 0 ? "true" : "false";
    }
    std::string label = fmt::format("<font color=\"{}\">{}</font>", kValueColour, escaped(forward));
    if (!gradient.empty()) {
      label += fmt::format("<br/><font color=\"{}\">{}</font>", kGradientColour, escaped(gradient));
    }
    return label;
  }

  void edges(std::string& out) {
    // The contributions each gate sends, in operand order.
    for (NodeId id = 0; id <= circuit_.output; ++id) {
      if (!in_circuit(id)) continue;
      const Node& n = g_[id];
      if (n.op == Op::kInput || n.op == Op::kConst) continue;
      const IndexLists::Range from = layout_.from_source[at(id)];
      std::vector<std::size_t> sent(from.begin(), from.end());
      for (int i = 0; i < n.arity(); ++i) {
        const NodeId arg = n.args[at(i)];
        if (g_[arg].op == Op::kConst) {
          // A constant of its own for every use: no wires across the picture.
          out += fmt::format("  k{}_{} [label=\"{}\", shape=plaintext, fontsize=10];\n  k{}_{} -> n{};\n",
                             id, i, escaped(p_(arg)), id, i, id);
          continue;
        }
        std::string gradient;
        for (auto it = sent.begin(); it != sent.end(); ++it) {
          const Contribution& k = grad_.contributions[*it];
          if (k.target != arg) continue;
          gradient = x_ != nullptr ? shown(shown_.value(k.value)) : p_.gradient(k.value);
          sent.erase(it);
          break;
        }
        out += fmt::format("  n{} -> n{} [label=<{}>];\n", arg, id, wire(arg, gradient));
      }
    }
    const std::string seed = grad_.contributions.empty() ? "" : "1";
    if (g_[circuit_.output].op == Op::kConst) {
      out += fmt::format("  k_out [label=\"{}\", shape=plaintext];\n  k_out -> out;\n", escaped(p_(circuit_.output)));
    } else {
      out += fmt::format("  n{} -> out [label=<{}>];\n", circuit_.output, wire(circuit_.output, seed));
    }
  }

  ShownCircuit shown_;
  const Circuit& circuit_;
  const Graph& g_;
  const Gradient& grad_;
  const Layout& layout_;
  ExprPrinter& p_;
  const std::vector<double>* x_;
  std::map<NodeId, NodeId> users_;  // a gate's last reader
};

}  // namespace

std::string circuit_dot(const Compilation& compilation, const std::vector<double>* at,
                        const std::string& title) {
  return Drawer(compilation, at).run(title);
}

}  // namespace gradgen

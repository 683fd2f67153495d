#include "compiler/show/explain.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "compiler/show/shown_circuit.hpp"
#include "compiler/support/json.hpp"

namespace gradgen {
namespace {

// A number as a learner reads it: six significant digits.
std::string shown(double v) { return shown_number(v, 6); }

// The same inside an expression: negative numbers in parentheses.
std::string operand(double v) {
  const std::string s = shown(v);
  return s[0] == '-' ? "(" + s + ")" : s;
}

// `text` padded to `width`, then `comment`.
std::string with_comment(const std::string& text, std::size_t width, const std::string& comment) {
  if (comment.empty()) return text;
  return fmt::format("{:<{}}  // {}", text, width, comment);
}

class Explainer {
 public:
  Explainer(const Compilation& c, const std::vector<double>* x)
      : c_(c), shown_(c, x, /*one_gate_per_line=*/true), circuit_(c.circuit), g_(c.circuit.graph),
        grad_(c.gradient), layout_(shown_.layout()), p_(shown_.printer()), numbers_(layout_),
        np_(g_, numbers_, ScalarType::kDouble), x_(x) {
    np_.inputs_used.assign(circuit_.inputs.size(), 0);
    np_.seeds_used.assign(c.wrt.size(), 0);
    np_.cotangents_used.assign(circuit_.outputs.size(), 0);
    if (x_ != nullptr) {
      // The printer of numbers: every name replaced by its value.
      for (NodeId id = 0; id < static_cast<NodeId>(g_.size()); ++id) {
        if (!numbers_.name[at(id)].empty()) numbers_.name.set(at(id), value_of(id));
        if (!numbers_.adjoint[at(id)].empty()) numbers_.adjoint.set(at(id), operand(shown_.adjoint(id)));
      }
    }
  }

  std::string run() {
    std::string out = inputs() + "\n";
    out += forward() + "\n";  // first: it records each line's text for backward()
    out += backward() + "\n";
    return out + gradient();
  }

  // The same walk, as JSON: each part's items as the text shows them, with
  // the numbers (every digit) beside them.
  std::string run_json() {
    run();
    std::string out = "{\"inputs\": [" + json_inputs_ + "], \"forward\": [" + json_forward_ + "], ";
    if (!json_gate_.empty()) json::add(json_backward_, json_gate_ + "]}");
    out += "\"backward\": [" + json_backward_ + "], \"gradient\": [" + json_gradient_ + "]}\n";
    return out;
  }

 private:
  bool numbers() const { return x_ != nullptr; }

  // A gate's value as an operand: a number, or true/false for a condition.
  std::string value_of(NodeId id) const {
    const double v = shown_.value(id);
    if (g_.type(id) == ValueType::kCondition) return v != 0 ? "true" : "false";
    return operand(v);
  }

  // The backward pass's own lines that `value` reads and that are not shown
  // yet (a condition max's switch reads twice, a factor two gradients
  // share): "where t3 = a < b (false)".
  std::string helpers(NodeId value) {
    std::vector<NodeId> needed;
    std::vector<NodeId> stack{value};
    while (!stack.empty()) {
      const NodeId id = stack.back();
      stack.pop_back();
      const Node& n = g_[id];
      if (layout_.in_cone[at(id)] || n.op == Op::kAdjoint || n.op == Op::kConst || n.op == Op::kInput) continue;
      if (layout_.is_line[at(id)]) {
        if (shown_lines_.count(id)) continue;
        shown_lines_.insert(id);
        needed.push_back(id);
      }
      for (NodeId a : n.operands()) stack.push_back(a);
    }
    std::sort(needed.begin(), needed.end());
    std::string out;
    for (NodeId id : needed) {
      out += fmt::format("    where {} = {}", layout_.name[at(id)], p_.definition(id));
      if (numbers()) {
        out += g_.type(id) == ValueType::kCondition ? fmt::format(" ({})", value_of(id))
                                                    : fmt::format(" = {}", shown(shown_.value(id)));
      }
      out += "\n";
    }
    return out;
  }

  std::string inputs() {
    std::string out = "inputs:";
    if (circuit_.input_names.empty()) return out + " none\n";
    for (std::size_t i = 0; i < circuit_.inputs.size(); ++i) {
      out += fmt::format("{} {}", i == 0 ? "" : ",", layout_.name[at(circuit_.inputs[i])]);
      if (numbers()) out += " = " + shown((*x_)[i]);
      json::add(json_inputs_, fmt::format("{{\"gate\": {}, \"name\": {}, \"value\": {}}}", circuit_.inputs[i],
                                          json::string(circuit_.input_names[i]),
                                          numbers() ? json::number((*x_)[i]) : "null"));
    }
    return out + "\n";
  }

  std::string forward() {
    std::vector<std::pair<std::string, std::string>> lines;
    for (NodeId id = 0; id <= circuit_.output; ++id) {
      if (!layout_.in_cone[at(id)] || !layout_.is_line[at(id)]) continue;
      const std::string_view name = layout_.name[at(id)];
      std::string comment;
      if (numbers()) {
        const double v = shown_.value(id);
        comment = g_.type(id) == ValueType::kCondition ? fmt::format("{} is {}", name, v != 0 ? "true" : "false")
                                                       : fmt::format("{} is {}", name, shown(v));
      }
      if (id == circuit_.output) comment += comment.empty() ? "the output" : ": the output";
      lines.emplace_back(fmt::format("{} = {}", name, p_.definition(id)), comment);
      json::add(json_forward_, fmt::format("{{\"gate\": {}, \"line\": {}, \"value\": {}, \"output\": {}}}", id,
                                           json::string(lines.back().first),
                                           numbers() ? json::number(shown_.value(id)) : "null",
                                           id == circuit_.output ? "true" : "false"));
      text_[id] = lines.back().first;
    }
    std::string out = "forward pass, one gate per line";
    out += numbers() ? ", with the value on each wire:\n" : ":\n";
    if (lines.empty()) {
      out += fmt::format("  (no gates: the output is {})\n", numbers() ? shown(shown_.value(circuit_.output)) : p_(circuit_.output));
    }
    std::size_t width = 0;
    for (const auto& [text, comment] : lines) width = std::max(width, std::min<std::size_t>(text.size(), 40));
    for (const auto& [text, comment] : lines) out += "  " + with_comment(text, width, comment) + "\n";
    return out;
  }

  // `dq = z * df`, and with numbers ` = -4 * 1 = -4`.
  std::string contribution(const Contribution& k) {
    const std::string_view target = layout_.adjoint[at(k.target)];
    const bool first = seen_[k.target]++ == 0;
    std::string out = fmt::format("{} {} {}", target, first ? "=" : "+=", p_.gradient(k.value));
    if (!numbers()) {
      if (!first) out += fmt::format("   ({} feeds more than one gate: the gradients add up)",
                                     layout_.name[at(k.target)]);
      return out;
    }
    const double v = shown_.value(k.value);
    const std::string filled = np_.gradient(k.value);
    if (filled != shown(v)) out += " = " + filled;
    out += " = " + shown(v);
    running_[k.target] += v;
    if (!first) {
      out += fmt::format("   ({} feeds more than one gate: the gradients add up, {} is now {})",
                         layout_.name[at(k.target)], target, shown(running_[k.target]));
    }
    return out;
  }

  void gate(NodeId id, std::string& out) {
    const IndexLists::Range from = layout_.from_source[at(id)];
    if (from.empty()) return;
    out += fmt::format("  {}: {}\n", text_[id], op_info(g_[id].op).words);
    if (!json_gate_.empty()) json::add(json_backward_, json_gate_ + "]}");
    json_gate_ = fmt::format("{{\"gate\": {}, \"line\": {}, \"rule\": {}, \"steps\": [", id,
                             json::string(text_[id]), json::string(op_info(g_[id].op).words));
    bool first_step = true;
    for (std::size_t k : from) {
      const Contribution& c = grad_.contributions[k];
      if (layout_.adjoint[at(c.target)].empty()) continue;  // (every gate is a line here)
      const std::string where = helpers(c.value);
      const std::string step = contribution(c);
      out += where + "    " + step + "\n";
      json_gate_ += fmt::format("{}{{\"to\": {}, \"text\": {}, \"value\": {}{}}}", first_step ? "" : ", ",
                                c.target, json::string(step),
                                numbers() ? json::number(shown_.value(c.value)) : "null",
                                where.empty() ? "" : ", \"where\": " + json::string(where));
      first_step = false;
    }
  }

  std::string backward() {
    std::string out =
        "backward pass: pull on the output with force +1, and let each gate, from the last\n"
        "to the first, turn the pull on its output into pulls on its inputs:\n";
    if (grad_.contributions.empty()) return out + "  (no input can move the output: every gradient is 0)\n";
    const Contribution& seed = grad_.contributions.front();
    out += fmt::format("  {} = 1   (the pull on the output)\n", layout_.adjoint[at(seed.target)]);
    json::add(json_backward_, fmt::format("{{\"gate\": {}, \"line\": {}, \"rule\": \"the pull on the output\", "
                                          "\"steps\": [{{\"to\": {}, \"text\": {}, \"value\": 1}}]}}",
                                          seed.target, json::string(text_[seed.target]), seed.target,
                                          json::string(fmt::format("{} = 1", layout_.adjoint[at(seed.target)]))));
    seen_[seed.target] = 1;
    running_[seed.target] = 1.0;
    for (NodeId id = circuit_.output; id >= 0; --id) {
      if (!layout_.in_cone[at(id)] || !layout_.is_line[at(id)] || !grad_.has_adjoint[at(id)]) continue;
      gate(id, out);
    }
    return out;
  }

  double numerical(std::size_t input) const {
    std::vector<double> x = *x_;
    const double h = 1e-6 * std::max(1.0, std::fabs(x[input]));
    x[input] += h;
    const double up = forward_values(g_, x, circuit_.output)[at(circuit_.output)];
    const double stepped_up = x[input];
    x[input] = (*x_)[input] - h;
    const double down = forward_values(g_, x, circuit_.output)[at(circuit_.output)];
    return (up - down) / (stepped_up - x[input]);
  }

  std::string gradient() {
    std::string out = numbers() ? "the gradient, and a numerical one (central differences) beside it:\n"
                                : "the gradient:\n";
    std::vector<std::pair<std::string, std::string>> rows;
    for (std::int32_t i : c_.wrt) {
      const NodeId input = circuit_.inputs[at(i)];
      const std::string_view name = layout_.name[at(input)];
      const std::string_view adjoint = layout_.adjoint[at(input)];
      const std::string text = fmt::format("d{}", name);
      if (!numbers()) {
        rows.emplace_back(text + (adjoint.empty() ? " = 0" : ""),
                          adjoint.empty() ? std::string(name) + " does not move the output" : "");
        json::add(json_gradient_, fmt::format("{{\"input\": {}, \"analytic\": null, \"numerical\": null}}",
                                              json::string(circuit_.input_names[at(i)])));
        continue;
      }
      const double analytic = shown_.adjoint(input);
      const double numeric = numerical(static_cast<std::size_t>(i));
      const double scale = std::max({1.0, std::fabs(analytic), std::fabs(numeric)});
      const bool agree = std::fabs(analytic - numeric) <= 1e-5 * scale;
      json::add(json_gradient_, fmt::format("{{\"input\": {}, \"analytic\": {}, \"numerical\": {}, \"agree\": {}}}",
                                            json::string(circuit_.input_names[at(i)]), json::number(analytic),
                                            json::number(numeric), agree ? "true" : "false"));
      rows.emplace_back(fmt::format("{} = {}", text, shown(analytic)),
                        fmt::format("numerically {:.10g}{}", numeric,
                                    agree ? "" : "  (differs: a kink or a step near this point?)"));
    }
    std::size_t width = 0;
    for (const auto& [text, comment] : rows) width = std::max(width, text.size());
    for (const auto& [text, comment] : rows) out += "  " + with_comment(text, width, comment) + "\n";
    if (rows.empty()) out += "  (no inputs)\n";
    return out;
  }

  const Compilation& c_;
  ShownCircuit shown_;
  const Circuit& circuit_;
  const Graph& g_;
  const Gradient& grad_;
  const Layout& layout_;
  ExprPrinter& p_;
  Layout numbers_;
  ExprPrinter np_;
  const std::vector<double>* x_;
  std::unordered_map<NodeId, std::string> text_;
  std::unordered_map<NodeId, int> seen_;
  std::unordered_map<NodeId, double> running_;
  std::unordered_set<NodeId> shown_lines_;
  // The JSON form's lists (run_json()), filled by the same walk.
  std::string json_inputs_;
  std::string json_forward_;
  std::string json_backward_;
  std::string json_gate_;  // the gate being written, its steps still open
  std::string json_gradient_;
};

}  // namespace

std::string explain(const Compilation& compilation, const std::vector<double>* at) {
  return Explainer(compilation, at).run();
}

std::string explain_json(const Compilation& compilation, const std::vector<double>* at) {
  return Explainer(compilation, at).run_json();
}

}  // namespace gradgen

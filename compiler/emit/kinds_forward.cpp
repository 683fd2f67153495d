// The function kinds of forward mode, NAME_jvp, and of forward over reverse,
// NAME_hessian and NAME_hvp (emitter.hpp).
#include "compiler/emit/emitter.hpp"

#include <algorithm>

namespace gradgen::emit_detail {

std::vector<NodeId> Emitter::tangents_of(const Tangents& t, const std::vector<NodeId>& nodes) {
  std::vector<NodeId> out;
  for (NodeId n : nodes) {
    if (n < static_cast<NodeId>(t.of.size()) && t.of[at(n)] != kNoNode) out.push_back(t.of[at(n)]);
  }
  return out;
}

std::string Emitter::tangent_of(const Tangents& t, NodeId id) {
  const NodeId tangent = id < static_cast<NodeId>(t.of.size()) ? t.of[at(id)] : kNoNode;
  return tangent == kNoNode ? p_.literal(0.0) : p_(tangent);
}

void Emitter::lines_for(std::string& out, const std::vector<NodeId>& roots, const Layout& l) {
  for (NodeId id : temporaries(roots, l)) line(out, id, l.name[at(id)]);
}

void Emitter::tangent_function(std::string& out) {
  fresh_names();
  const Layout l = planner_.tangent(planner_.forward(), tangents_);
  begin_function(l);
  const std::vector<std::vector<NodeId>> after = tangents_after(l);
  const std::size_t start = out.size();  // the body first: the head depends on it
  std::vector<NodeId> operands;
  for (NodeId id = 0; id <= circuit_.output; ++id) {
    if (!l.in_cone[at(id)] || !l.is_line[at(id)]) continue;
    line(out, id, l.name[at(id)]);
    for (const NodeId owner : after[at(id)]) {
      const NodeId t = l.tangent_line[at(owner)];
      if (emitted_[at(t)]) continue;  // written already, as a line an earlier tangent reads
      const Node& root = g_[t];
      operands.assign(root.args.begin(), root.args.begin() + root.arity());
      lines_for(out, operands, l);
      line(out, t, l.name[at(t)]);
      emitted_[at(t)] = 1;
    }
  }
  lines_for(out, tangents_of(tangents_, circuit_.outputs), l);
  if (c_.several_outputs()) {
    output_stores(out);
    for (std::size_t k = 0; k < circuit_.outputs.size(); ++k) {
      append(out, "  {}[{}] = {};\n", params_.out_dot, k,
             tangent_of(tangents_, circuit_.outputs[k]));
      end_store();
    }
    std::string head = fmt::format(
        "// Forward mode: the outputs, and out_dot[k] = the derivative of out[k] along\n"
        "// the direction in_dot[] (one entry per {0}_wrt input), a Jacobian-vector\n"
        "// product. Each line x = ... is followed by x_dot, the rate at which x\n"
        "// changes along that direction.\n"
        "inline void {0}_jvp({1}, {2}, {3}* {4}, {3}* {5}) {{\n",
        o_.function, in_param(), param("const {}*", params_.in_dot, any(p_.seeds_used)),
        p_.scalar(), params_.out, params_.out_dot);
    input_loads(head, &l, params_.in_dot);
    out.insert(start, head);
    out += "}\n";
    return;
  }
  append(out, "  {}[0] = {};\n", params_.out_dot, tangent_of(tangents_, circuit_.output));
  end_store();
  const std::string result = return_value();
  std::string head = fmt::format(
      "// Forward mode: the value, and out_dot[0] = its derivative along the\n"
      "// direction in_dot[] (one entry per {0}_wrt input). Each line x = ... is\n"
      "// followed by x_dot, the rate at which x changes along that direction.\n"
      "inline {1} {0}_jvp({2}, {3}, {1}* {4}) {{\n",
      o_.function, p_.scalar(), in_param(),
      param("const {}*", params_.in_dot, any(p_.seeds_used)), params_.out_dot);
  input_loads(head, &l, params_.in_dot);
  out.insert(start, head);
  append(out, "  return {};\n}}\n", result);
}

void Emitter::hessian_function(std::string& out) {
  fresh_names();
  const Layout l = planner_.backward(planner_.forward(), grad_);
  begin_function(l);
  const std::size_t start = out.size();  // the body first: the head depends on it
  forward_and_backward(out, l, params_.grad);
  const std::size_t n = wrt_.size();
  const PlannerScope outer = planner_.scope();
  const std::vector<char> emitted = emitted_;
  for (std::size_t j = 0; j < c_.hessian_columns.size(); ++j) {
    planner_.restore(outer);
    emitted_ = emitted;
    const Tangents& t = c_.hessian_columns[j];
    const Layout tl = planner_.tangent(l, t, &grad_);
    p_.use(tl);
    const std::vector<NodeId> lower(c_.input_adjoints.begin() + static_cast<std::ptrdiff_t>(j),
                                    c_.input_adjoints.end());
    std::string text;
    lines_for(text, tangents_of(t, lower), tl);
    for (std::size_t i = j; i < n; ++i) {
      const std::string entry = i == j ? fmt::format("{}[{}]", params_.hess, i * n + j)
                                       : fmt::format("{0}[{1}] = {0}[{2}]", params_.hess, i * n + j, j * n + i);
      queue(fmt::format("{} = {};", entry, tangent_of(t, c_.input_adjoints[i])),
            fmt::format("d2 value / d {} d {}", wrt_name(i), wrt_name(j)));
    }
    aligned(text);
    block(out,
          fmt::format(
              "  // column {0}: the gradient's derivatives along {1}, by a forward pass over\n"
              "  // the backward pass (x_dot = d x / d {1}); the entries above the diagonal\n"
              "  // are the same by symmetry\n",
              j, wrt_name(j)),
          text);
  }
  p_.use(l);
  const std::string result = return_value();
  std::string head = fmt::format(
      "// The value, its gradient as {0}_grad() gives it, and its Hessian\n"
      "// hess[i * {1} + j] = d2 value / d {0}_wrt[i] d {0}_wrt[j] (symmetric).\n"
      "inline {2} {0}_hessian({3}, {4}, {5}) {{\n",
      o_.function, n, p_.scalar(), in_param(), param("{}*", params_.grad, n != 0),
      param("{}*", params_.hess, n != 0));
  input_loads(head);
  out.insert(start, head);
  append(out, "  return {};\n}}\n", result);
}

void Emitter::hvp_function(std::string& out) {
  fresh_names();
  const Layout l = planner_.backward(planner_.forward(), grad_);
  begin_function(l);
  const std::size_t start = out.size();  // the body first: the head depends on it
  section(out, "  // forward pass\n", [&] { forward_lines(out); });
  const Layout tl = planner_.tangent(l, c_.hvp, &grad_);
  const std::vector<NodeId> roots = tangents_of(c_.hvp, c_.input_adjoints);
  // Only the adjoints the tangents read: the gradient itself is not stored.
  const std::vector<char> read = adjoints_read(roots, l, grad_);
  section(out, "  // backward pass\n", [&] { backward_lines(out, l, grad_, &read); });
  p_.use(tl);
  section(out,
          "  // the backward pass differentiated along v: x_dot is the rate at which\n"
          "  // x changes along v\n",
          [&] { lines_for(out, roots, tl); });
  for (std::size_t i = 0; i < wrt_.size(); ++i) {
    append(out, "  {}[{}] = {};\n", params_.hv, i, tangent_of(c_.hvp, c_.input_adjoints[i]));
    end_store();
  }
  p_.use(l);
  const std::string result = return_value();
  std::string head = fmt::format(
      "// The value, and the Hessian-vector product hv[i] = sum over j of\n"
      "// d2 value / d {0}_wrt[i] d {0}_wrt[j] times v[j].\n"
      "inline {1} {0}_hvp({2}, {3}, {4}) {{\n",
      o_.function, p_.scalar(), in_param(), param("const {}*", params_.v, any(p_.seeds_used)),
      param("{}*", params_.hv, !wrt_.empty()));
  input_loads(head, &tl, params_.v);
  out.insert(start, head);
  append(out, "  return {};\n}}\n", result);
}

}  // namespace gradgen::emit_detail

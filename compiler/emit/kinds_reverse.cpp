// The function kinds of reverse mode: NAME, NAME_grad, NAME_vjp,
// NAME_jacobian, and the batched NAME_batch and NAME_grad_batch (emitter.hpp).
#include "compiler/emit/emitter.hpp"

#include <algorithm>

namespace gradgen::emit_detail {

void Emitter::value_function(std::string& out) {
  fresh_names();
  begin_function(planner_.forward());
  const std::size_t start = out.size();  // the body first: the head depends on it
  forward_lines(out);
  if (c_.several_outputs()) {
    output_stores(out);
    std::string head = fmt::format(
        "// The outputs at in[] (inputs in {0}_inputs order): out[k] is {0}_outputs[k].\n"
        "inline void {0}({1}, {2}* {3}) {{\n",
        o_.function, in_param(), p_.scalar(), params_.out);
    input_loads(head);
    out.insert(start, head);
    out += "}\n";
    return;
  }
  const std::string result = return_value();
  std::string head = fmt::format(
      "// The value of the program at in[] (inputs in {}_inputs order).\n"
      "inline {} {}({}) {{\n",
      o_.function, p_.scalar(), o_.function, in_param());
  input_loads(head);
  out.insert(start, head);
  append(out, "  return {};\n}}\n", result);
}

void Emitter::forward_and_backward(std::string& out, const Layout& l, const std::string& target) {
  section(out, "  // forward pass\n", [&] { forward_lines(out); });
  section(out,
          "  // backward pass: each gradient is the local gradient of the forward line\n"
          "  // in its comment times the gradient flowing in from above\n",
          [&] { backward_lines(out, l, grad_); });
  gradient_stores(out, l, target, [&](std::size_t j) { return index(j); }, "the value");
}

void Emitter::gradient_function(std::string& out) {
  fresh_names();
  const Layout l = planner_.backward(planner_.forward(), grad_);
  begin_function(l);
  const std::size_t start = out.size();  // the body first: the head depends on it
  forward_and_backward(out, l, params_.grad);
  const std::string result = return_value();
  std::string head = fmt::format(
      "// The value, and grad[i] = d value / d {0}_wrt[i].\n"
      "inline {1} {0}_grad({2}, {3}) {{\n",
      o_.function, p_.scalar(), in_param(), param("{}*", params_.grad, !wrt_.empty()));
  input_loads(head);
  out.insert(start, head);
  append(out, "  return {};\n}}\n", result);
}

void Emitter::batch_function(std::string& out, bool with_gradient) {
  if (with_gradient ? grad_split_ : value_split_) {
    batch_calls(out, with_gradient);
    return;
  }
  fresh_names();
  const Layout l = with_gradient ? planner_.backward(planner_.forward(), grad_) : planner_.forward();
  begin_function(l);
  batch_ = true;
  std::string body;
  if (with_gradient) {
    forward_and_backward(body, l, params_.grad);
  } else {
    forward_lines(body);
  }
  append(body, "  {}[{}] = {};\n", params_.out, params_.point, p_(circuit_.output));
  std::string loads;
  input_loads(loads);
  batch_ = false;
  const std::string T = p_.scalar();
  // __restrict (GCC, Clang and MSVC alike): the arrays do not overlap, so
  // the compiler vectorises the loop without checking at run time.
  const std::string in = any(p_.inputs_used) ? fmt::format("const {}* __restrict {}", T, params_.in)
                                             : fmt::format("const {}* /*{}*/", T, params_.in);
  batch_head(out, with_gradient, in);
  append(out, "  for (std::size_t {0} = 0; {0} < {1}; ++{0}) {{\n", params_.point, params_.count);
  append_indented(out, loads);
  append_indented(out, body);
  out += "  }\n}\n";
}

void Emitter::batch_head(std::string& out, bool with_gradient, const std::string& in) {
  const std::string T = p_.scalar();
  if (!with_gradient) {
    append(out,
           "// {0}() at n points: in[i * n + k] is input i of point k (structure of\n"
           "// arrays); out[k] receives point k's value. The arrays must not overlap.\n"
           "inline void {0}_batch(std::size_t {1}, {2}, {3}* __restrict {4}) {{\n",
           o_.function, params_.count, in, T, params_.out);
  } else {
    append(out,
           "// {0}_grad() at n points: in[i * n + k] is input i of point k, out[k] its\n"
           "// value and grad[j * n + k] its gradient entry j (structure of arrays, so\n"
           "// that the loop over points vectorises). To train parameters on data,\n"
           "// generate with --wrt naming the parameters and sum grad[j * n + k] over k.\n"
           "// The arrays must not overlap.\n"
           "inline void {0}_grad_batch(std::size_t {1}, {2}, {3}* __restrict {4}, {5}) {{\n",
           o_.function, params_.count, in, T, params_.out,
           param("{}* __restrict", params_.grad, !wrt_.empty()));
  }
}

void Emitter::batch_calls(std::string& out, bool with_gradient) {
  const std::string T = p_.scalar();
  const std::size_t inputs = circuit_.inputs.size(), wrt = wrt_.size();
  const std::string& n = params_.count;
  const std::string& k = params_.point;
  batch_head(out, with_gradient,
             inputs > 0 ? fmt::format("const {}* __restrict {}", T, params_.in)
                        : fmt::format("const {}* /*{}*/", T, params_.in));
  const std::string function = with_gradient ? o_.function + "_grad" : o_.function;
  // Qualified, so that no local (`point`) can hide it.
  const std::string callee = qualified(function);
  append(out, "  // {} is long: a call for each point, its inputs gathered first.\n", function);
  append(out, "  for (std::size_t {0} = 0; {0} < {1}; ++{0}) {{\n", k, n);
  append(out, "    {} point[{}]{};\n", T, std::max<std::size_t>(inputs, 1), inputs > 0 ? "" : " = {}");
  if (inputs > 0) {
    append(out, "    for (std::size_t i = 0; i < {0}; ++i) point[i] = {1}[i * {2} + {3}];\n", inputs, params_.in, n, k);
  }
  if (!with_gradient) {
    append(out, "    {}[{}] = {}(point);\n  }}\n}}\n", params_.out, k, callee);
    return;
  }
  append(out, "    {} point_grad[{}];\n", T, std::max<std::size_t>(wrt, 1));
  append(out, "    {}[{}] = {}(point, point_grad);\n", params_.out, k, callee);
  if (wrt > 0) {
    append(out, "    for (std::size_t j = 0; j < {0}; ++j) {1}[j * {2} + {3}] = point_grad[j];\n", wrt, params_.grad, n, k);
  }
  out += "  }\n}\n";
}

void Emitter::vjp_function(std::string& out) {
  fresh_names();
  Layout l = planner_.backward(planner_.forward(), grad_);
  begin_function(l);
  const std::size_t start = out.size();  // the body first: the head depends on it
  forward_and_backward(out, l, params_.in_bar);
  output_stores(out);
  std::string head = fmt::format(
      "// Reverse mode: the outputs, and in_bar[i] = sum over k of out_bar[k] times\n"
      "// d out[k] / d {0}_wrt[i] (a vector-Jacobian product). The backward pass\n"
      "// starts from each output's adjoint set to its weight out_bar[k].\n"
      "inline void {0}_vjp({1}, {2}, {3}* {4}, {5}) {{\n",
      o_.function, in_param(), param("const {}*", params_.out_bar, any(p_.cotangents_used)),
      p_.scalar(), params_.out, param("{}*", params_.in_bar, !wrt_.empty()));
  input_loads(head);
  out.insert(start, head);
  out += "}\n";
}

void Emitter::jacobian_function(std::string& out) {
  fresh_names();
  begin_function(planner_.forward());
  const std::size_t start = out.size();  // the body first: the head depends on it
  section(out, "  // forward pass\n", [&] { forward_lines(out); });
  output_stores(out);
  const std::size_t n = wrt_.size();
  const PlannerScope outer = planner_.scope();
  const std::vector<char> emitted = emitted_;
  for (std::size_t k = 0; k < c_.jacobian_rows.size(); ++k) {
    planner_.restore(outer);
    emitted_ = emitted;
    std::fill(printed_.begin(), printed_.end(), 0);
    const Layout l = planner_.backward(planner_.forward(), c_.jacobian_rows[k]);
    p_.use(l);
    std::string text;
    backward_lines(text, l, c_.jacobian_rows[k]);
    gradient_stores(text, l, params_.jac, [&](std::size_t j) { return std::to_string(k * n + j); },
                    output_name(k));
    block(out,
          fmt::format("  // row {}: the gradient of {}, by a backward pass\n", k, output_name(k)),
          text);
  }
  for (std::size_t j = 0; j < c_.jacobian_columns.size(); ++j) {
    planner_.restore(outer);
    emitted_ = emitted;
    const Tangents& t = c_.jacobian_columns[j];
    const Layout l = planner_.tangent(planner_.forward(), t);
    p_.use(l);
    std::string text;
    lines_for(text, tangents_of(t, circuit_.outputs), l);
    for (std::size_t k = 0; k < circuit_.outputs.size(); ++k) {
      queue(fmt::format("{}[{}] = {};", params_.jac, k * n + j, tangent_of(t, circuit_.outputs[k])),
            fmt::format("d {} / d {}", output_name(k), wrt_name(j)));
    }
    aligned(text);
    block(out,
          fmt::format("  // column {}: the derivatives along {}, by a forward pass "
                      "(x_dot = d x / d {})\n",
                      j, wrt_name(j), wrt_name(j)),
          text);
  }
  std::string head = fmt::format(
      "// The outputs, and the Jacobian jac[k * {1} + i] = d out[k] / d {0}_wrt[i]\n"
      "// (row-major, one row per output).\n"
      "inline void {0}_jacobian({2}, {3}* {4}, {5}) {{\n",
      o_.function, n, in_param(), p_.scalar(), params_.out, param("{}*", params_.jac, n != 0));
  input_loads(head);
  out.insert(start, head);
  out += "}\n";
}

}  // namespace gradgen::emit_detail

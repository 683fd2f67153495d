// The emitter's one class, shared by the files that write a header
// (emit_cpp.hpp is its public face, emit_header()). Each file holds one idea:
//   header.cpp         the header assembled: opening comment, guard, includes,
//                      helpers, name tables, the functions in order, named forms
//   skeleton.cpp       one function's skeleton: inputs loaded, forward lines,
//                      parameters, stores, the return value
//   kinds_reverse.cpp  the function kinds of reverse mode: NAME, NAME_grad,
//                      NAME_vjp, NAME_jacobian, the batched forms
//   kinds_forward.cpp  the function kinds of forward mode: NAME_jvp, and
//                      forward over reverse: NAME_hessian, NAME_hvp
//   sweep.cpp          the backward pass's lines, one per local gradient
//   comments.cpp       the aligned comment column that names each backward
//                      line's forward line
// Internal to compiler/emit/.
#pragma once

#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "compiler/compile.hpp"
#include "compiler/emit/cpp_expr.hpp"
#include "compiler/emit/emit_cpp.hpp"
#include "compiler/emit/layout.hpp"
#include "compiler/emit/names.hpp"
#include "compiler/emit/split.hpp"

namespace gradgen::emit_detail {

// Formats onto the end of `out`: the header is megabytes of text at 10^6
// gates, written once into its buffer rather than into temporaries.
template <typename... Args>
void append(std::string& out, fmt::format_string<Args...> format, Args&&... args) {
  fmt::format_to(std::back_inserter(out), format, std::forward<Args>(args)...);
}

// Appends `text` with every line indented by two more spaces (a block's body).
inline void append_indented(std::string& out, std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t end = text.find('\n', begin);
    const std::string_view line = text.substr(begin, end == std::string_view::npos ? end : end - begin + 1);
    if (line != "\n") out += "  ";
    out += line;
    if (end == std::string_view::npos) break;
    begin = end + 1;
  }
}

// Appends `heading` and then what `write` appends, or nothing when `write`
// appends nothing.
template <typename Write>
void section(std::string& out, std::string_view heading, Write write) {
  const std::size_t start = out.size();
  out += heading;
  const std::size_t body = out.size();
  write();
  if (out.size() == body) out.resize(start);
}

class Emitter {
 public:
  Emitter(const Compilation& c, const EmitOptions& o)
      : c_(c), circuit_(c.circuit), g_(c.circuit.graph), grad_(c.gradient), tangents_(c.tangents),
        wrt_(c.wrt), o_(o), names_(o.function), planner_(circuit_, names_, all_roots(c), o.one_gate_per_line),
        p_(g_, planner_.forward(), o.type), params_(planner_.parameters()) {
    printed_.assign(g_.size(), 0);
    base_ = planner_.scope();
  }

  std::string run();

  // The kinds of function this header holds (runtime/function_kinds.hpp).
  HeaderShape shape() const;

 private:
  // Appends a function, split into parts if it is long (split.hpp); true if
  // it was. `role` names the parts: `value` for NAME, else the function's
  // suffix (`grad` for NAME_grad).
  // While it writes the function, the emitter records each line's facts
  // for the splitter: the variable it declares or changes, and what it reads.
  // The function is written into a buffer kept from one function to the
  // next, then appended to `out`, in parts or whole (with --split-lines 0,
  // straight into `out`).
  template <class Function>
  bool split(std::string& out, std::string_view role, Function function) {
    // Keys are int32: adjoints' keys are past the graph's nodes (a graph
    // of 2^30 nodes, 32 GB, goes unsplit rather than overflow them).
    if (o_.split_lines == 0 || g_.size() >= (std::size_t{1} << 30)) {
      function(out);
      return false;
    }
    recording_ = true;
    facts_.clear();
    p_.record(&facts_);
    function_text_.clear();
    function(function_text_);
    p_.record(nullptr);
    recording_ = false;
    return split_long_function(out, function_text_, o_.split_lines, o_.function + "_" + std::string(role), params_.state,
                               facts_);
  }

  // Appends the function(s) of kind `kind`: how each kind is written.
  void write(FunctionKind kind, std::string& out);

  // For a function being recorded for the splitter: the line being written
  // reads variable `key` (what the printer does not print: see
  // ExprPrinter::record for the keys).
  void note_read(std::int32_t key) {
    if (recording_) facts_.read(key);
  }
  // Ends such a line: it declares or changes the variable `var`, or neither
  // (-1), and may name a parameter of the function (`in[0]`, `grad[0]`).
  void end_line(std::int32_t var, bool declares, bool names_parameter = false) {
    if (!recording_) return;
    if (names_parameter) facts_.name_parameter();
    facts_.end_line(var, declares);
  }
  // Ends a line that stores into a parameter (`grad[0] = da;`).
  void end_store() { end_line(-1, false, true); }
  // The return value's expression, which ends the body.
  std::string return_value();

  // The gates any function reads: the forward layout counts them all.
  static std::vector<NodeId> all_roots(const Compilation& c);

  const std::string& input_name(std::int32_t i) const {
    return circuit_.input_names[static_cast<std::size_t>(i)];
  }
  const std::string& wrt_name(std::size_t j) const { return input_name(wrt_[j]); }
  const std::string& output_name(std::size_t k) const { return circuit_.output_names[k]; }
  NodeId wrt_node(std::size_t j) const { return circuit_.inputs[static_cast<std::size_t>(wrt_[j])]; }

  // GRADGEN_GENERATED_<length><name>... for each namespace component and the
  // function (lengths make it unique: a::b_c and a_b::c differ), then the
  // hash of the header's text.
  std::string guard(std::uint64_t text_hash) const;

  // The header's opening comment: the program, and what the functions are.
  std::string opening_comment() const;

  // Inside the guard: the includes, the helpers, the namespace.
  std::string includes() const;

  // Starts a function's body (after fresh_names() and its layout): the
  // printer forgets which inputs it has seen.
  void begin_function(const Layout& l);

  // `const T a = in[0];` for each input the body mentions, and
  // `const T a_dot = in_dot[0];` for each direction component.
  // They come first in the function, though written once its body is known.
  void input_loads(std::string& out, const Layout* seeds = nullptr, const std::string& direction = "");

  // Names taken by earlier functions are free again (each function is a
  // scope of its own).
  void fresh_names() { planner_.restore(base_); }

  // An array index: `i`, or in a batched function `i * n + k` (structure
  // of arrays: entry i of point k).
  std::string index(std::size_t i) const;

  static bool any(const std::vector<char>& flags) {
    return std::any_of(flags.begin(), flags.end(), [](char u) { return u; });
  }

  // `const T* in`, or `const T* /*in*/` when the body reads no input.
  std::string param(const char* type, const std::string& name, bool used) const;
  std::string in_param() const { return param("const {}*", params_.in, any(p_.inputs_used)); }

  // Appends `const T name = definition;` (bool for a condition); returns
  // where `name = definition` starts in `out`.
  std::size_t declaration(std::string& out, NodeId id, std::string_view name);

  // `  const T name = definition;` and a new line; returns where
  // `name = definition` starts in `out`.
  std::size_t line(std::string& out, NodeId id, std::string_view name);

  void forward_lines(std::string& out);

  // `out[k] = y;` for each output.
  void output_stores(std::string& out);

  void value_function(std::string& out);

  // The forward and backward passes of NAME_grad, NAME_vjp, NAME_hessian and
  // NAME_hvp, and the statements storing the gradient in `target`.
  void forward_and_backward(std::string& out, const Layout& l, const std::string& target);

  // `grad[j] = da;` for each wrt input.
  template <class Index>
  void gradient_stores(std::string& out, const Layout& l, const std::string& target, Index index,
                       const std::string& of) {
    for (std::size_t j = 0; j < wrt_.size(); ++j) {
      const std::string_view adjoint = l.adjoint[at(wrt_node(j))];
      if (adjoint.empty()) {
        append(out, "  {}[{}] = {};  // {} does not move {}\n", target, index(j), p_.literal(0.0),
               wrt_name(j), of);
      } else {
        append(out, "  {}[{}] = {};\n", target, index(j), adjoint);
        note_read(p_.adjoint_key(wrt_node(j)));
      }
      end_store();
    }
  }

  void gradient_function(std::string& out);

  // NAME_batch and NAME_grad_batch: NAME and NAME_grad in a loop over n
  // points, inputs and gradients in structure-of-arrays layout. The values
  // come back in out[] (no sum across points, so the loop vectorises).
  void batch_function(std::string& out, bool with_gradient);

  // The comment and signature of NAME_batch or NAME_grad_batch, `in` the
  // input parameter as written.
  void batch_head(std::string& out, bool with_gradient, const std::string& in);

  // NAME_batch or NAME_grad_batch when NAME or NAME_grad is split into parts
  // (split.hpp): a loop that gathers each point's inputs, calls the function
  // and scatters what it gives. Its body in the loop instead would take the
  // C++ compiler minutes (a minute for a 10,000-gate gradient), and so long
  // a body would not vectorise anyway.
  void batch_calls(std::string& out, bool with_gradient);

  void vjp_function(std::string& out);

  // after[k]: the forward lines whose tangent line is written right after
  // forward line k, the last forward line it reads (usually its own line;
  // sinh's tangent reads cosh, which may come later), in line order.
  std::vector<std::vector<NodeId>> tangents_after(const Layout& l) const {
    std::vector<NodeId> ready(at(circuit_.output) + 1, kNoNode);
    std::vector<NodeId> owner(g_.size(), kNoNode);
    std::vector<std::vector<NodeId>> after(at(circuit_.output) + 1);
    std::vector<char> seen(g_.size(), 0);
    for (NodeId id = 0; id <= circuit_.output; ++id) {
      const NodeId t = l.tangent_line[at(id)];
      if (t == kNoNode || !l.in_cone[at(id)]) continue;
      NodeId r = id;
      std::vector<NodeId> stack;
      const Node& root = g_[t];
      for (NodeId a : root.operands()) stack.push_back(a);
      while (!stack.empty()) {
        const NodeId x = stack.back();
        stack.pop_back();
        if (l.in_cone[at(x)]) {
          r = std::max(r, x);
        } else if (owner[at(x)] != kNoNode) {
          r = std::max(r, ready[at(owner[at(x)])]);
        } else if (!seen[at(x)]) {
          seen[at(x)] = 1;
          const Node& n = g_[x];
          for (int i = 0; i < n.arity() && n.op != Op::kAdjoint; ++i) stack.push_back(n.args[at(i)]);
        }
      }
      ready[at(id)] = r;
      owner[at(t)] = id;
      after[at(r)].push_back(id);
    }
    return after;
  }

  // The tangents along `t` of those of `nodes` that have one (the roots of a
  // tangent pass's lines).
  static std::vector<NodeId> tangents_of(const Tangents& t, const std::vector<NodeId>& nodes);

  // Appends a { } block of its own (a Jacobian row or column, a Hessian
  // column), under its comment.
  static void block(std::string& out, std::string_view comment, std::string_view text);

  // The tangent of gate `id` along `t` as an operand (0 when it has none).
  std::string tangent_of(const Tangents& t, NodeId id);

  // The lines `roots` need that are not written yet, in index order (which
  // puts each after the lines it reads).
  void lines_for(std::string& out, const std::vector<NodeId>& roots, const Layout& l);

  // NAME_jvp: forward mode. Each forward line is followed by its tangent
  // line, NAME_dot, the derivative of its value along the direction in_dot.
  void tangent_function(std::string& out);

  // NAME_jacobian: the forward pass once, then one block per row (a backward
  // pass per output) or per column (a forward pass per input), whichever is
  // fewer.
  void jacobian_function(std::string& out);

  // NAME_hessian: value and gradient as NAME_grad, then one block per column
  // j of the Hessian: the backward pass differentiated along input j (forward
  // over reverse), only for the entries on and below the diagonal.
  void hessian_function(std::string& out);

  // NAME_hvp: the backward pass differentiated along v (forward over reverse).
  void hvp_function(std::string& out);

  // The adjoints that the expressions `roots` read, directly or through
  // the contributions that make up an adjoint they read.
  std::vector<char> adjoints_read(const std::vector<NodeId>& roots, const Layout& l,
                                  const Gradient& grad) const {
    std::vector<std::vector<NodeId>> received(g_.size());
    for (const Contribution& c : grad.contributions) received[at(c.target)].push_back(c.value);
    std::vector<char> read(g_.size(), 0);
    std::vector<char> seen(g_.size(), 0);
    std::vector<NodeId> stack = roots;
    while (!stack.empty()) {
      const NodeId id = stack.back();
      stack.pop_back();
      if (seen[at(id)] || l.in_cone[at(id)]) continue;
      seen[at(id)] = 1;
      const Node& n = g_[id];
      if (n.op == Op::kAdjoint) {
        const NodeId of = n.args[0];
        if (!read[at(of)]) {
          read[at(of)] = 1;
          stack.insert(stack.end(), received[at(of)].begin(), received[at(of)].end());
        }
        continue;
      }
      for (NodeId a : n.operands()) stack.push_back(a);
    }
    return read;
  }

  // Appends the backward pass of `grad`: the seeds, then the forward lines in
  // reverse order, each with the gradients it sends to its operands. With
  // `only`, just the statements for the adjoints it marks.
  void backward_lines(std::string& out, const Layout& l, const Gradient& grad,
                      const std::vector<char>* only = nullptr);

  // `T dx = value;` for the first contribution to x, `dx += value;` after.
  void statement(const Layout& l, const Contribution& c, std::string_view comment);

  // The statements for the gradients gate `id` (and the gates inline in its
  // line) send to their operands, in the order the operands are written;
  // `comment` is the line's forward text.
  void gradients_from(const Layout& l, const Gradient& grad, NodeId id, std::string_view comment);

  // A forward line for a comment: long ones are cut after kMaxComment characters.
  static std::string abbreviated(std::string_view line);

  // Queues a statement for aligned(), with its comment ("" for none).
  void queue(std::string_view text, std::string_view comment);

  // Queues the statement written at the end of pending_text_ from `begin` on.
  void queued(std::size_t begin, std::string_view comment);

  // Appends the statements queued so far, their comments aligned (up to a
  // column).
  void aligned(std::string& out);

  // Queues lines for the backward gates that `value` needs and that are not
  // written yet: gates several gradients share.
  void backward_temporaries(NodeId value, const Layout& l);

  // The lines that the expressions `roots` read and that are not written
  // yet (found without recursion, in index order, which puts each after
  // the gates it reads); they count as written from now on.
  std::vector<NodeId> temporaries(const std::vector<NodeId>& roots, const Layout& layout);

  std::string qualified(const std::string& function) const;

  // f(a, b) and f_grad(a, b, da, db): the same functions with named arguments.
  std::string named_forms();
  std::string named_array_forms();  // the same for a program with arrays (v2)

  // The program has input or output arrays (v2): the header describes them
  // (NAME_array, NAME_input_arrays, NAME_output_arrays).
  bool has_arrays() const;
  std::string array_tables() const;

  using PlannerScope = LayoutPlanner::Scope;

  const Compilation& c_;
  const Circuit& circuit_;
  const Graph& g_;
  const Gradient& grad_;
  const Tangents& tangents_;
  const std::vector<std::int32_t>& wrt_;
  const EmitOptions& o_;
  NameTable names_;
  LayoutPlanner planner_;
  ExprPrinter p_;
  const Parameters& params_;
  PlannerScope base_{0, 0};
  const std::vector<char>* only_ = nullptr;  // backward_lines' filter
  bool batch_ = false;                       // indexing for NAME_grad_batch
  std::vector<int> printed_;   // statements written so far per adjoint
  std::vector<char> emitted_;  // lines outside the forward pass written so far
  std::vector<std::string> forward_text_;  // per forward line: `name = definition`, abbreviated
  // Statements queued for aligned(): text and comment, spans of pending_text_.
  struct Pending {
    std::size_t begin;
    std::size_t text;     // the text's length
    std::size_t comment;  // the comment's length, after the text
  };
  std::vector<Pending> pending_;
  std::string pending_text_;
  bool value_split_ = false, grad_split_ = false;  // NAME and NAME_grad are in parts (split.hpp)
  bool recording_ = false;  // facts_ for the splitter, while split() writes a function
  BodyFacts facts_;
  std::string function_text_;  // the function split() writes
};

}  // namespace gradgen::emit_detail

// Layout: how the circuit is cut into lines of C++, and what each line is
// called. This is where the generated code's readability is decided.
//
// The rule, after the guide's hand-written passes:
// * Every gate gets its own line (`const double x2 = x1 * d;`), named after
//   the user's variable when a statement named it, else a temporary.
// * Except sums of products: a product or a sum used only once, inside a sum,
//   stays inline, so `a*x + b*y + c` is one line as in the guide's neuron. The
//   `+` gate only routes its adjoint (`dc = 1.0 * dq`), so keeping it inline
//   costs the backward pass nothing. Sums longer than kMaxLineTerms are cut.
// * In the backward pass, a gate used by more than one gradient gets a line
//   of its own before its first use; others stay inside the gradient's line.
// * Every forward line with an adjoint has a variable `d<name>` for it.
//
// Temporaries are named with one letter and a number (x1, x2, ..., and x for
// the value of a last statement that names nothing), the letter being the
// first of x, t, u, v, w, z, ... for which no user name could clash with a
// temporary or with its adjoint.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ad/forward.hpp"
#include "compiler/ad/reverse.hpp"
#include "compiler/emit/names.hpp"
#include "compiler/ir/circuit.hpp"

namespace gradgen {

inline constexpr int kMaxLineTerms = 12;
inline constexpr int kMaxInlineHeight = 10;

// A list of indices per node, all in one array (rather than a vector per
// node): lists[id] is the range of node id's indices, in the order added.
class IndexLists {
 public:
  struct Range {
    const std::size_t* first;
    const std::size_t* last;
    const std::size_t* begin() const { return first; }
    const std::size_t* end() const { return last; }
    bool empty() const { return first == last; }
  };

  // Index k, for each k < count, goes to the list of node_of(k) (none when
  // it is kNoNode).
  template <class NodeOf>
  void assign(std::size_t nodes, std::size_t count, NodeOf node_of) {
    start_.assign(nodes + 1, 0);
    for (std::size_t k = 0; k < count; ++k) {
      if (node_of(k) != kNoNode) ++start_[static_cast<std::size_t>(node_of(k)) + 1];
    }
    for (std::size_t n = 0; n < nodes; ++n) start_[n + 1] += start_[n];
    items_.resize(start_[nodes]);
    std::vector<std::size_t> next(start_.begin(), start_.end() - 1);
    for (std::size_t k = 0; k < count; ++k) {
      if (node_of(k) != kNoNode) items_[next[static_cast<std::size_t>(node_of(k))]++] = k;
    }
  }
  Range operator[](std::size_t node) const {
    if (node + 1 >= start_.size()) return {nullptr, nullptr};
    return {items_.data() + start_[node], items_.data() + start_[node + 1]};
  }

 private:
  std::vector<std::size_t> start_;  // node n's list is items_[start_[n], start_[n + 1])
  std::vector<std::size_t> items_;
};

// A name or none per node. The names live in one text, and each node holds
// an index into it: a layout covers every gate of the graph (millions), most
// of them nameless, and each function's layout starts as a copy of the
// forward one, so a string per node would be most of the emitter's memory and
// time. Setting a name again appends the new one (the old text stays unused).
class NameColumn {
 public:
  // `nodes` nodes, none named.
  void assign(std::size_t nodes) {
    of_.assign(nodes, 0);
    spans_.clear();
    text_.clear();
  }
  // The node's name, empty for none; valid until the next set().
  std::string_view operator[](std::size_t node) const {
    const std::uint32_t k = of_[node];
    if (k == 0) return {};
    const Span& s = spans_[k - 1];
    return std::string_view(text_.data() + s.begin, s.size);
  }
  void set(std::size_t node, std::string_view name) {
    spans_.push_back(Span{text_.size(), name.size()});
    text_ += name;
    of_[node] = static_cast<std::uint32_t>(spans_.size());
  }

 private:
  struct Span {
    std::size_t begin;
    std::size_t size;
  };
  std::vector<std::uint32_t> of_;  // per node: 1 + its span's index, 0 for none
  std::vector<Span> spans_;
  std::string text_;
};

// The lines and names of one generated function. The forward lines and their
// names are the same in every function of a header; the gates only a backward
// pass (or only a tangent pass) uses are laid out per function.
struct Layout {
  std::vector<char> in_cone;           // forward gates the output needs
  std::vector<char> is_line;           // declared on a line of its own
  NameColumn name;                     // lines, inputs and seeds: the C++ name
  NameColumn adjoint;                  // forward nodes with an adjoint variable
  std::vector<NodeId> inflow;          // inline gates: the gradient flowing in
  IndexLists from_source;              // contributions by source
  std::vector<int> inflows;            // number of contributions per target
  std::vector<NodeId> tangent_line;    // line -> the tangent line it owns
};

// The names of the functions' parameters (`in`, unless the program has a
// variable `in`, and so on).
struct Parameters {
  std::string in, grad, in_dot, out_dot, out, out_bar, in_bar, jac, hess, v, hv;
  std::string count, point;  // the batched functions' n and loop index k
  std::string state;         // the parts of a long function pass values in it (split.hpp)
};

// Plans the layouts of a header's functions one at a time. Names are scoped:
// scope() marks the names taken so far, and restore() forgets those taken
// since, so that sibling blocks of one function ({ ... } per Jacobian row or
// Hessian column) reuse the same names, while a block never reuses a name of
// the code around it. Scopes nest: restoring an outer scope also forgets the
// names taken in the scopes inside it.
class LayoutPlanner {
 public:
  // `roots`: the gates every sweep of the header reads (the forward lines
  // are chosen with all their readers counted).
  // With `one_gate_per_line`, every forward gate gets a line of its own (no
  // sums of products inline): the guide's form, for `gradgen explain`.
  LayoutPlanner(const Circuit& circuit, NameTable& names, const std::vector<NodeId>& roots,
                bool one_gate_per_line = false);

  const Layout& forward() const { return forward_; }
  const Parameters& parameters() const { return params_; }

  // A backward pass on top of `from` (the forward layout).
  Layout backward(const Layout& from, const Gradient& gradient);
  // A tangent pass on top of `from`: tangents of its lines are lines
  // `NAME_dot`; with `through` (forward over reverse), so are the tangents of
  // its adjoint variables (`dNAME_dot`).
  Layout tangent(const Layout& from, const Tangents& tangents, const Gradient* through = nullptr);

  struct Scope {
    std::size_t names;  // NameTable::mark()
    int next_temporary;
  };
  Scope scope() const { return Scope{names_.mark(), next_temporary_}; }
  void restore(const Scope& s) {
    names_.forget_since(s.names);
    next_temporary_ = s.next_temporary;
  }

 private:
  std::vector<char> reach(const std::vector<NodeId>& roots, const Layout& l) const;
  void count_uses(const std::vector<char>& used, const std::vector<char>& cone,
                  std::vector<int>& uses, std::vector<NodeId>& parent) const;
  bool user_named(NodeId id) const;
  void plan_forward(const std::vector<NodeId>& roots);
  void choose_extra_lines(Layout& l, const std::vector<NodeId>& roots) const;
  void name_extra_lines(Layout& l);
  std::string as_written(const Layout& l, NodeId id) const;
  std::string temporary_prefix(const std::vector<std::string>& user_names) const;
  void name_forward(Layout& l);

  const Circuit& c_;
  const Graph& g_;
  NameTable& names_;
  bool one_gate_per_line_;
  Layout forward_;
  Parameters params_;
  std::string prefix_;
  int next_temporary_ = 1;
};

}  // namespace gradgen

#include "layout.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace gradgen {
namespace {

std::size_t at(NodeId id) { return static_cast<std::size_t>(id); }

bool is_leaf(const Node& n) {
  return n.op == Op::kConst || n.op == Op::kInput || n.op == Op::kAdjoint;
}

bool is_sum(Op op) { return op == Op::kAdd || op == Op::kSub; }

// The operands of a gate; an adjoint leaf has none (its argument names the
// node it is the adjoint of, it is not a value it reads).
int operand_count(const Node& n) { return n.op == Op::kAdjoint ? 0 : n.arity(); }

class Planner {
 public:
  Planner(const Circuit& c, const Gradient& grad, NameTable& names)
      : c_(c), g_(c.graph), grad_(grad), names_(names) {
    const std::size_t n = g_.size();
    l_.in_cone.assign(n, 0);
    l_.is_line.assign(n, 0);
    l_.name.assign(n, "");
    l_.adjoint.assign(n, "");
    l_.inflow.assign(n, kNoNode);
    l_.from_source.assign(n, {});
    l_.inflows.assign(n, 0);
    uses_.assign(n, 0);
    parent_.assign(n, kNoNode);
    used_.assign(n, 0);
  }

  Layout run() {
    mark_cone();
    mark_backward();
    count_uses();
    choose_lines();
    index_contributions();
    choose_names();
    return std::move(l_);
  }

 private:
  void mark_cone() {
    l_.in_cone[at(c_.output)] = 1;
    for (NodeId id = c_.output; id >= 0; --id) {
      if (!l_.in_cone[at(id)]) continue;
      const Node& n = g_[id];
      for (int i = 0; i < operand_count(n); ++i) l_.in_cone[at(n.args[at(i)])] = 1;
    }
  }

  // used_: the gates the generated code mentions at all (the forward cone and
  // everything the gradients are made of).
  void mark_backward() {
    std::vector<NodeId> stack;
    for (const Contribution& k : grad_.contributions) stack.push_back(k.value);
    while (!stack.empty()) {
      const NodeId id = stack.back();
      stack.pop_back();
      if (used_[at(id)] || l_.in_cone[at(id)]) continue;
      used_[at(id)] = 1;
      const Node& n = g_[id];
      for (int i = 0; i < operand_count(n); ++i) stack.push_back(n.args[at(i)]);
    }
    for (std::size_t id = 0; id < used_.size(); ++id) used_[id] = used_[id] || l_.in_cone[id];
  }

  void count_uses() {
    for (NodeId id = 0; id < static_cast<NodeId>(g_.size()); ++id) {
      if (!used_[at(id)]) continue;
      const Node& n = g_[id];
      for (int i = 0; i < operand_count(n); ++i) {
        const NodeId arg = n.args[at(i)];
        // An operand appearing twice in one gate (x * x) is used twice.
        ++uses_[at(arg)];
        parent_[at(arg)] = id;
      }
    }
    ++uses_[at(c_.output)];  // returned
  }

  bool user_named(NodeId id) const {
    return at(id) < c_.names.size() && c_.names[at(id)].version > 0;
  }

  bool inline_term(NodeId id) const {
    const Node& n = g_[id];
    if (!(is_sum(n.op) || n.op == Op::kMul || n.op == Op::kNeg)) return false;
    if (uses_[at(id)] != 1 || id == c_.output || user_named(id)) return false;
    const NodeId p = parent_[at(id)];
    return l_.in_cone[at(p)] && is_sum(g_[p].op);
  }

  void choose_lines() {
    std::vector<int> size(g_.size(), 0);    // terms of an inline sum tree
    std::vector<int> height(g_.size(), 0);  // depth of an inline backward tree
    for (NodeId id = 0; id < static_cast<NodeId>(g_.size()); ++id) {
      const Node& n = g_[id];
      if (!used_[at(id)] || is_leaf(n)) continue;
      if (l_.in_cone[at(id)]) {
        l_.is_line[at(id)] = !inline_term(id);
        size[at(id)] = 1;
        for (int i = 0; i < operand_count(n); ++i) {
          const NodeId arg = n.args[at(i)];
          if (!l_.is_line[at(arg)] && l_.in_cone[at(arg)]) size[at(id)] += size[at(arg)];
        }
        if (size[at(id)] > kMaxLineTerms) l_.is_line[at(id)] = 1;
        if (l_.is_line[at(id)]) size[at(id)] = 1;
        continue;
      }
      int h = 1;
      for (int i = 0; i < operand_count(n); ++i) {
        const NodeId arg = n.args[at(i)];
        if (!l_.is_line[at(arg)]) h = std::max(h, height[at(arg)] + 1);
      }
      l_.is_line[at(id)] = uses_[at(id)] >= 2 || h > kMaxInlineHeight;
      height[at(id)] = l_.is_line[at(id)] ? 0 : h;
    }
  }

  void index_contributions() {
    for (std::size_t k = 0; k < grad_.contributions.size(); ++k) {
      const Contribution& c = grad_.contributions[k];
      if (c.source != kNoNode) l_.from_source[at(c.source)].push_back(k);
      ++l_.inflows[at(c.target)];
      if (!l_.is_line[at(c.target)]) l_.inflow[at(c.target)] = c.value;
    }
  }

  // The letter for temporaries: one for which no user name has the shape of
  // a temporary (letter, or letter and digits) or of its adjoint (d + that).
  std::string temporary_prefix(const std::vector<std::string>& user_names) const {
    const auto shaped = [](std::string_view u, std::string_view p) {
      if (u.substr(0, p.size()) != p) return false;
      const std::string_view rest = u.substr(p.size());
      return std::all_of(rest.begin(), rest.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    };
    const auto clashes = [&](const std::string& p) {
      for (std::string_view u : user_names) {
        if (shaped(u, p) || (!u.empty() && u[0] == 'd' && shaped(u.substr(1), p))) return true;
      }
      return names_.taken(p);
    };
    for (const char* p : {"x", "t", "u", "v", "w", "z", "q", "r", "s", "h", "k", "tmp"}) {
      if (!clashes(p)) return p;
    }
    for (int i = 1;; ++i) {
      const std::string p = fmt::format("tmp{}_", i);
      if (!clashes(p)) return p;
    }
  }

  void choose_names() {
    std::vector<std::string> user_names = c_.input_names;
    for (const UserName& u : c_.names) {
      if (u.version > 0) user_names.push_back(u.name);
    }
    for (const std::string& u : user_names) names_.reserve(u);

    for (std::size_t i = 0; i < c_.inputs.size(); ++i) {
      l_.name[at(c_.inputs[i])] = names_.user(c_.input_names[i]);
    }
    for (NodeId id = 0; id < static_cast<NodeId>(g_.size()); ++id) {
      if (!l_.is_line[at(id)] || !user_named(id)) continue;
      const UserName& u = c_.names[at(id)];
      const std::string base = names_.user(u.name);
      l_.name[at(id)] = u.version == 1 ? base : names_.claim(fmt::format("{}_{}", base, u.version));
    }
    const std::string prefix = temporary_prefix(user_names);
    int next = 1;
    for (NodeId id = 0; id < static_cast<NodeId>(g_.size()); ++id) {
      if (!l_.is_line[at(id)] || !l_.name[at(id)].empty()) continue;
      l_.name[at(id)] = id == c_.output ? names_.claim(prefix)
                                        : names_.claim(fmt::format("{}{}", prefix, next++));
    }
    for (NodeId id = 0; id < static_cast<NodeId>(grad_.has_adjoint.size()); ++id) {
      if (grad_.has_adjoint[at(id)] && !l_.name[at(id)].empty()) {
        l_.adjoint[at(id)] = names_.claim("d" + l_.name[at(id)]);
      }
    }
    l_.in_param = names_.claim("in");
    l_.grad_param = names_.claim("grad");
  }

  const Circuit& c_;
  const Graph& g_;
  const Gradient& grad_;
  NameTable& names_;
  Layout l_;
  std::vector<int> uses_;
  std::vector<NodeId> parent_;
  std::vector<char> used_;
};

}  // namespace

Layout plan_layout(const Circuit& circuit, const Gradient& gradient, NameTable& names) {
  return Planner(circuit, gradient, names).run();
}

}  // namespace gradgen

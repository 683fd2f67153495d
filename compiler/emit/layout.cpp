#include "compiler/emit/layout.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace gradgen {
namespace {

bool is_leaf(const Node& n) { return is_leaf(n.op); }

bool is_sum(Op op) { return op == Op::kAdd || op == Op::kSub; }

// The operands of a gate; an adjoint leaf has none (its argument names the
// node it is the adjoint of, it is not a value it reads).
int operand_count(const Node& n) { return n.op == Op::kAdjoint ? 0 : n.arity(); }

}  // namespace

LayoutPlanner::LayoutPlanner(const Circuit& c, NameTable& names, const std::vector<NodeId>& roots,
                             bool one_gate_per_line)
    : c_(c), g_(c.graph), names_(names), one_gate_per_line_(one_gate_per_line) {
  plan_forward(roots);
}

// The gates outside the code already written (the forward cone and the
// lines of `l`) that expressions reach from `roots`.
std::vector<char> LayoutPlanner::reach(const std::vector<NodeId>& roots, const Layout& l) const {
  std::vector<char> used(g_.size(), 0);
  std::vector<NodeId> stack = roots;
  while (!stack.empty()) {
    const NodeId id = stack.back();
    stack.pop_back();
    if (used[at(id)] || l.in_cone[at(id)] || l.is_line[at(id)]) continue;
    used[at(id)] = 1;
    const Node& n = g_[id];
    for (int i = 0; i < operand_count(n); ++i) stack.push_back(n.args[at(i)]);
  }
  return used;
}

// uses[n]: how many gates (in `used` or the cone) read n; parent: the last.
void LayoutPlanner::count_uses(const std::vector<char>& used, const std::vector<char>& cone,
                               std::vector<int>& uses, std::vector<NodeId>& parent) const {
  uses.assign(g_.size(), 0);
  parent.assign(g_.size(), kNoNode);
  for (NodeId id = 0; id < static_cast<NodeId>(g_.size()); ++id) {
    if (!used[at(id)] && !cone[at(id)]) continue;
    const Node& n = g_[id];
    for (int i = 0; i < operand_count(n); ++i) {
      // An operand appearing twice in one gate (x * x) is used twice.
      ++uses[at(n.args[at(i)])];
      parent[at(n.args[at(i)])] = id;
    }
  }
  for (NodeId y : c_.outputs) ++uses[at(y)];  // returned
}

bool LayoutPlanner::user_named(NodeId id) const {
  return at(id) < c_.names.size() && c_.names[at(id)].version > 0;
}

// The forward lines and their names, shared by all functions.
void LayoutPlanner::plan_forward(const std::vector<NodeId>& roots) {
  const std::size_t n = g_.size();
  Layout& l = forward_;
  l.in_cone.assign(n, 0);
  std::vector<char> is_output(n, 0);
  for (NodeId y : c_.outputs) l.in_cone[at(y)] = is_output[at(y)] = 1;
  for (NodeId id = c_.output; id >= 0; --id) {
    if (!l.in_cone[at(id)]) continue;
    const Node& node = g_[id];
    for (int i = 0; i < operand_count(node); ++i) l.in_cone[at(node.args[at(i)])] = 1;
  }
  l.is_line.assign(n, 0);
  l.name.assign(n);
  l.adjoint.assign(n);
  l.inflow.assign(n, kNoNode);
  l.inflows.assign(n, 0);
  l.tangent_line.assign(n, kNoNode);

  // A forward gate read by any function's expressions counts as used there.
  std::vector<int> uses;
  std::vector<NodeId> parent;
  count_uses(reach(roots, l), l.in_cone, uses, parent);

  std::vector<int> size(n, 0);  // gates in an inline sum tree
  for (NodeId id = 0; id <= c_.output; ++id) {
    const Node& node = g_[id];
    if (!l.in_cone[at(id)] || is_leaf(node)) continue;
    const NodeId p = parent[at(id)];
    const bool inline_term = !one_gate_per_line_ && (is_sum(node.op) || node.op == Op::kMul || node.op == Op::kNeg) &&
                             uses[at(id)] == 1 && !is_output[at(id)] && !user_named(id) &&
                             l.in_cone[at(p)] && is_sum(g_[p].op);
    l.is_line[at(id)] = !inline_term;
    size[at(id)] = 1;
    for (int i = 0; i < operand_count(node); ++i) {
      const NodeId arg = node.args[at(i)];
      if (!l.is_line[at(arg)] && l.in_cone[at(arg)]) size[at(id)] += size[at(arg)];
    }
    if (size[at(id)] > kMaxLineTerms) l.is_line[at(id)] = 1;
    if (l.is_line[at(id)]) size[at(id)] = 1;
  }
  name_forward(l);
  for (auto [param, wanted] : {std::pair<std::string*, const char*>{&params_.in, "in"},
                               {&params_.grad, "grad"}, {&params_.in_dot, "in_dot"},
                               {&params_.out_dot, "out_dot"}, {&params_.out, "out"},
                               {&params_.out_bar, "out_bar"}, {&params_.in_bar, "in_bar"},
                               {&params_.jac, "jac"}, {&params_.hess, "hess"}, {&params_.v, "v"},
                               {&params_.hv, "hv"}, {&params_.count, "n"}, {&params_.point, "k"},
                               {&params_.state, "values"}}) {
    *param = names_.claim(wanted);
  }
}

// Lines for the gates outside the code so far that a function uses: those
// read twice, and those that would make an expression too deep.
void LayoutPlanner::choose_extra_lines(Layout& l, const std::vector<NodeId>& roots) const {
  const std::vector<char> used = reach(roots, l);
  std::vector<int> uses;
  std::vector<NodeId> parent;
  count_uses(used, l.in_cone, uses, parent);
  std::vector<int> height(g_.size(), 0);
  for (NodeId id = 0; id < static_cast<NodeId>(g_.size()); ++id) {
    const Node& n = g_[id];
    if (!used[at(id)] || is_leaf(n)) continue;
    int h = 1;
    for (int i = 0; i < operand_count(n); ++i) {
      const NodeId arg = n.args[at(i)];
      if (!l.is_line[at(arg)]) h = std::max(h, height[at(arg)] + 1);
    }
    l.is_line[at(id)] = uses[at(id)] >= 2 || h > kMaxInlineHeight;
    height[at(id)] = l.is_line[at(id)] ? 0 : h;
  }
}

void LayoutPlanner::name_extra_lines(Layout& l) {
  for (NodeId id = 0; id < static_cast<NodeId>(g_.size()); ++id) {
    if (l.is_line[at(id)] && l.name[at(id)].empty()) {
      l.name.set(at(id), names_.claim(fmt::format("{}{}", prefix_, next_temporary_++)));
    }
  }
}

Layout LayoutPlanner::backward(const Layout& from, const Gradient& grad) {
  Layout l = from;
  std::vector<NodeId> roots;
  for (const Contribution& k : grad.contributions) roots.push_back(k.value);
  choose_extra_lines(l, roots);
  l.from_source.assign(g_.size(), grad.contributions.size(),
                       [&](std::size_t k) { return grad.contributions[k].source; });
  for (std::size_t k = 0; k < grad.contributions.size(); ++k) {
    const Contribution& c = grad.contributions[k];
    if (g_[c.value].op == Op::kCotangent) {
      l.name.set(at(c.value), fmt::format("{}[{}]", params_.out_bar, g_[c.value].index));
    }
    ++l.inflows[at(c.target)];
    if (!l.is_line[at(c.target)]) l.inflow[at(c.target)] = c.value;
  }
  name_extra_lines(l);
  for (NodeId id = 0; id < static_cast<NodeId>(grad.has_adjoint.size()); ++id) {
    if (grad.has_adjoint[at(id)] && !l.name[at(id)].empty()) {
      l.adjoint.set(at(id), names_.claim("d" + as_written(l, id)));
    }
  }
  return l;
}

// The tangent of each line is a line of its own, NAME_dot, when it is a gate
// (not a seed or a constant) no earlier line already owns; so is, forward
// over reverse, the tangent of each adjoint variable dNAME.
Layout LayoutPlanner::tangent(const Layout& from, const Tangents& t, const Gradient* through) {
  Layout l = from;
  std::vector<NodeId> roots;
  for (NodeId r : t.roots) {
    if (r < static_cast<NodeId>(t.of.size()) && t.of[at(r)] != kNoNode) roots.push_back(t.of[at(r)]);
  }
  const std::vector<char> needed = reach(roots, from);
  choose_extra_lines(l, roots);
  for (std::size_t j = 0; j < t.seeds.size(); ++j) {
    if (t.seeds[j] != kNoNode && g_[t.seeds[j]].op == Op::kSeed && l.name[at(t.seeds[j])].empty()) {
      l.name.set(at(t.seeds[j]), names_.claim(as_written(l, t.wrt[j]) + "_dot"));
    }
  }
  for (NodeId id = 0; id < static_cast<NodeId>(t.of.size()); ++id) {
    const NodeId tangent = t.of[at(id)];
    if (tangent == kNoNode || !needed[at(tangent)] || is_leaf(g_[tangent])) continue;
    if (from.in_cone[at(tangent)] || !l.name[at(tangent)].empty()) continue;
    std::string base;
    if (g_[id].op == Op::kAdjoint) {
      if (through != nullptr) base = from.adjoint[at(g_[id].args[0])];
    } else if (from.is_line[at(id)] && (from.in_cone[at(id)] || through != nullptr)) {
      base = as_written(from, id);
    }
    if (base.empty()) continue;
    l.is_line[at(tangent)] = 1;
    l.tangent_line[at(id)] = tangent;
    l.name.set(at(tangent), names_.claim(base + "_dot"));
  }
  name_extra_lines(l);
  return l;
}

// A line's name as the user wrote it (`new`, where the C++ name is `new_`),
// the base for its adjoint and tangent names (`dnew`, `new_dot`).
std::string LayoutPlanner::as_written(const Layout& l, NodeId id) const {
  const Node& n = g_[id];
  if (n.op == Op::kInput) return identifier_of(c_.input_names[static_cast<std::size_t>(n.index)]);
  if (user_named(id)) {
    const UserName& u = c_.names[at(id)];
    const std::string name = identifier_of(u.name);
    return u.version == 1 ? name : fmt::format("{}_{}", name, u.version);
  }
  return std::string(l.name[at(id)]);
}

// The letter for temporaries: one for which no user name has the shape of
// a temporary (letter, or letter and digits) or of its adjoint (d + that).
std::string LayoutPlanner::temporary_prefix(const std::vector<std::string>& user_names) const {
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

void LayoutPlanner::name_forward(Layout& l) {
  std::vector<std::string> user_names;
  for (const std::string& n : c_.input_names) user_names.push_back(identifier_of(n));
  for (const UserName& u : c_.names) {
    if (u.version > 0) user_names.push_back(identifier_of(u.name));
  }
  // An array's element (x[3], h[2]) is spelled x_3, which the program may
  // use as a name of its own: elements claim their names after the names
  // the program gives are reserved.
  const auto element = [](const std::string& name) { return name.find('[') != std::string::npos; };
  std::vector<std::string> reserved;
  for (const std::string& n : c_.input_names) {
    if (!element(n)) reserved.push_back(n);
  }
  for (const UserName& u : c_.names) {
    if (u.version > 0 && !element(u.name)) reserved.push_back(u.name);
  }
  for (const std::string& u : reserved) names_.reserve(u);
  const auto spelled = [&](const std::string& name) {
    return element(name) ? names_.claim(identifier_of(name)) : names_.user(name);
  };

  for (std::size_t i = 0; i < c_.inputs.size(); ++i) {
    l.name.set(at(c_.inputs[i]), spelled(c_.input_names[i]));
  }
  for (NodeId id = 0; id <= c_.output; ++id) {
    if (!l.is_line[at(id)] || !l.in_cone[at(id)] || !user_named(id)) continue;
    const UserName& u = c_.names[at(id)];
    const std::string base = u.version == 1 ? spelled(u.name) : names_.user(identifier_of(u.name));
    l.name.set(at(id), u.version == 1 ? base : names_.claim(fmt::format("{}_{}", base, u.version)));
  }
  // An array's name counts as a user name too: no temporary x1 beside x[0].
  std::vector<std::string> prefix_names = user_names;
  for (const std::string& n : c_.input_names) {
    if (n.find('[') != std::string::npos) prefix_names.push_back(n.substr(0, n.find('[')));
  }
  for (const UserName& u : c_.names) {
    if (u.version > 0 && u.name.find('[') != std::string::npos) prefix_names.push_back(u.name.substr(0, u.name.find('[')));
  }
  prefix_ = temporary_prefix(prefix_names);
  for (NodeId id = 0; id <= c_.output; ++id) {
    if (!l.is_line[at(id)] || !l.in_cone[at(id)] || !l.name[at(id)].empty()) continue;
    const bool the_output = id == c_.output && c_.outputs.size() == 1;
    l.name.set(at(id), the_output ? names_.claim(prefix_)
                                  : names_.claim(fmt::format("{}{}", prefix_, next_temporary_++)));
  }
}

}  // namespace gradgen

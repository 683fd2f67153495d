// The backward pass's lines: one statement per local gradient, in the
// guide's form `dx = local * dy`, adjoints adding up where wires branch
// (emitter.hpp).
#include "compiler/emit/emitter.hpp"

#include <algorithm>
#include <cassert>

namespace gradgen::emit_detail {

void Emitter::backward_lines(std::string& out, const Layout& l, const Gradient& grad,
                             const std::vector<char>* only) {
  only_ = only;
  for (const Contribution& k : grad.contributions) {
    if (k.source == kNoNode) statement(l, k, "");
  }
  for (NodeId id = circuit_.output; id >= 0; --id) {
    if (!l.in_cone[at(id)] || !l.is_line[at(id)]) continue;
    if (!grad.has_adjoint[at(id)]) continue;
    gradients_from(l, grad, id, forward_text_[at(id)]);
  }
  only_ = nullptr;
  aligned(out);
}

void Emitter::statement(const Layout& l, const Contribution& c, std::string_view comment) {
  if (only_ != nullptr && !(*only_)[at(c.target)]) return;
  backward_temporaries(c.value, l);
  const std::size_t begin = pending_text_.size();
  const bool first = printed_[at(c.target)]++ == 0;
  if (first) {
    if (l.inflows[at(c.target)] == 1) pending_text_ += "const ";
    pending_text_ += p_.scalar();
    pending_text_ += ' ';
    pending_text_ += l.adjoint[at(c.target)];
    pending_text_ += " = ";
  } else {
    pending_text_ += l.adjoint[at(c.target)];
    pending_text_ += " += ";
  }
  p_.gradient(pending_text_, c.value);
  pending_text_ += ';';
  end_line(p_.adjoint_key(c.target), first);
  queued(begin, comment);
}

void Emitter::gradients_from(const Layout& l, const Gradient& grad, NodeId id, std::string_view comment) {
  for (std::size_t k : l.from_source[at(id)]) {
    const Contribution& c = grad.contributions[k];
    if (l.adjoint[at(c.target)].empty()) {
      gradients_from(l, grad, c.target, comment);  // an inline gate of this line
      continue;
    }
    statement(l, c, comment);
  }
}

void Emitter::backward_temporaries(NodeId value, const Layout& l) {
  for (NodeId id : temporaries({value}, l)) {
    const std::size_t begin = pending_text_.size();
    declaration(pending_text_, id, l.name[at(id)]);
    queued(begin, "");
  }
}

std::vector<NodeId> Emitter::temporaries(const std::vector<NodeId>& roots, const Layout& layout) {
  std::vector<NodeId> needed;
  std::vector<NodeId> stack = roots;
  while (!stack.empty()) {
    const NodeId id = stack.back();
    stack.pop_back();
    const Node& n = g_[id];
    if (layout.in_cone[at(id)] || n.op == Op::kConst || n.op == Op::kInput || n.op == Op::kSeed ||
        n.op == Op::kCotangent) {
      continue;
    }
    if (n.op == Op::kAdjoint) {
      if (layout.adjoint[at(n.args[0])].empty()) stack.push_back(layout.inflow[at(n.args[0])]);
      continue;
    }
    if (layout.is_line[at(id)]) {
      if (emitted_[at(id)]) continue;
      emitted_[at(id)] = 1;
      needed.push_back(id);
    }
    for (NodeId a : n.operands()) stack.push_back(a);
  }
  std::sort(needed.begin(), needed.end());
  return needed;
}

}  // namespace gradgen::emit_detail

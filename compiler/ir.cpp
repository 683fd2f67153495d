#include "ir.hpp"

#include <cassert>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

namespace gradgen {

std::size_t Graph::KeyHash::operator()(const Key& k) const {
  std::uint64_t h = static_cast<std::uint64_t>(k.op) * 0x9E3779B97F4A7C15ull;
  for (NodeId a : k.args) {
    h ^= static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) + 0x9E3779B97F4A7C15ull +
         (h << 6) + (h >> 2);
  }
  h ^= k.bits + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  return static_cast<std::size_t>(h);
}

NodeId Graph::intern(const Node& node, std::uint64_t bits) {
  const Key key{node.op, node.args, bits};
  const auto [it, inserted] = interned_.try_emplace(key, static_cast<NodeId>(nodes_.size()));
  if (inserted) nodes_.push_back(node);
  return it->second;
}

NodeId Graph::constant(double value) {
  Node n;
  n.op = Op::kConst;
  n.value = value;
  std::uint64_t bits = 0;
  if (std::isnan(value)) value = std::nan("");  // one NaN
  std::memcpy(&bits, &value, sizeof bits);
  return intern(n, bits);
}

NodeId Graph::input(std::int32_t index) {
  Node n;
  n.op = Op::kInput;
  n.index = index;
  n.depends_on_input = true;
  return intern(n, static_cast<std::uint64_t>(index));
}

NodeId Graph::adjoint(NodeId of) {
  Node n;
  n.op = Op::kAdjoint;
  n.args[0] = of;
  return intern(n, 0);
}

NodeId Graph::seed(std::int32_t index) {
  Node n;
  n.op = Op::kSeed;
  n.index = index;
  return intern(n, static_cast<std::uint64_t>(index));
}

NodeId Graph::cotangent(std::int32_t index) {
  Node n;
  n.op = Op::kCotangent;
  n.index = index;
  return intern(n, static_cast<std::uint64_t>(index));
}

bool Graph::is_constant(NodeId id, double value) const {
  const Node& n = (*this)[id];
  return n.op == Op::kConst && n.value == value;
}

NodeId Graph::make(Op op, NodeId a, NodeId b, NodeId c) {
  // !c ? a : b is c ? b : a, which reads better and needs no !c.
  if (op == Op::kSelect && (*this)[a].op == Op::kNot) return make(op, (*this)[a].args[0], c, b);
  if (op == Op::kMul && fold_unit_products_) {
    if (is_constant(a, 1.0)) return b;
    if (is_constant(b, 1.0)) return a;
  }
  Node n;
  n.op = op;
  n.args = {a, b, c};
  const int arity = n.arity();
  bool all_constant = true;
  double values[3] = {0.0, 0.0, 0.0};
  for (int i = 0; i < arity; ++i) {
    assert(n.args[static_cast<std::size_t>(i)] != kNoNode && "missing operand");
    assert(n.args[static_cast<std::size_t>(i)] < static_cast<NodeId>(nodes_.size()));
    const Node& arg = (*this)[n.args[static_cast<std::size_t>(i)]];
    n.depends_on_input = n.depends_on_input || arg.depends_on_input;
    all_constant = all_constant && arg.op == Op::kConst;
    values[i] = arg.value;
  }
  // Constant folding: only numbers (conditions have no constant node), only
  // when the result is finite, so the generated code never needs to spell an
  // infinity or a NaN.
  if (all_constant && op_info(op).result == ValueType::kNumber && op != Op::kSelect) {
    const double folded = evaluate(op, values);
    if (std::isfinite(folded)) return constant(folded);
  }
  return intern(n, 0);
}

std::string dump_ir(const Graph& graph, const std::vector<std::string>& names) {
  std::string out;
  for (NodeId id = 0; id < static_cast<NodeId>(graph.size()); ++id) {
    const Node& n = graph[id];
    out += fmt::format("%{} = {}", id, op_info(n.op).name);
    if (n.op == Op::kConst) out += fmt::format(" {}", n.value);
    if (n.op == Op::kInput || n.op == Op::kSeed || n.op == Op::kCotangent) out += fmt::format(" #{}", n.index);
    for (int i = 0; i < n.arity(); ++i) {
      out += fmt::format("{} %{}", i == 0 ? "" : ",", n.args[static_cast<std::size_t>(i)]);
    }
    if (static_cast<std::size_t>(id) < names.size() && !names[static_cast<std::size_t>(id)].empty()) {
      out += fmt::format("  ; {}", names[static_cast<std::size_t>(id)]);
    }
    out += '\n';
  }
  return out;
}

}  // namespace gradgen

#include "compiler/ir/ir.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "compiler/ir/simplify.hpp"

namespace gradgen {

namespace {

// What tells apart nodes of one op with the same operands: a constant's bit
// pattern (every NaN counted as one), the index of an input, a seed or a
// cotangent; 0 for the other ops.
std::uint64_t constant_bits(double value) {
  if (std::isnan(value)) value = std::nan("");  // one NaN
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

std::uint64_t key_bits(const Node& n) {
  if (n.op == Op::kConst) return constant_bits(n.value);
  if (n.op == Op::kInput || n.op == Op::kSeed || n.op == Op::kCotangent) return static_cast<std::uint64_t>(n.index);
  return 0;
}

std::uint32_t key_hash(const Node& n, std::uint64_t bits) {
  std::uint64_t h = static_cast<std::uint64_t>(n.op) * 0x9E3779B97F4A7C15ull;
  for (NodeId a : n.args) {
    h ^= static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) + 0x9E3779B97F4A7C15ull +
         (h << 6) + (h >> 2);
  }
  h ^= bits + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  // MurmurHash3's finaliser: every bit of the key moves the low bits, which
  // pick the slot.
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 33;
  return static_cast<std::uint32_t>(h);
}

}  // namespace

NodeId Graph::intern(const Node& node) {
  const std::uint64_t bits = key_bits(node);
  table_.room_for(interned_ + 1);
  const std::uint32_t hash = key_hash(node, bits);
  const std::size_t slot = table_.find(hash, [&](std::uint32_t id) {
    const Node& other = nodes_[id];
    return other.op == node.op && other.args == node.args && key_bits(other) == bits;
  });
  if (!table_.empty(slot)) return static_cast<NodeId>(table_.entry(slot));
  const auto id = static_cast<NodeId>(nodes_.size());
  table_.put(slot, hash, static_cast<std::uint32_t>(id));
  nodes_.push_back(node);
  ++interned_;
  return id;
}

NodeId Graph::constant(double value) {
  Node n;
  n.op = Op::kConst;
  n.value = value;
  return intern(n);
}

NodeId Graph::input(std::int32_t index) {
  Node n;
  n.op = Op::kInput;
  n.index = index;
  n.depends_on_input = true;
  return intern(n);
}

NodeId Graph::adjoint(NodeId of) {
  // A gate's adjoint is found by the gate, not through the hash table:
  // there is one per gate of the reverse sweep, asked for more than once.
  const std::size_t at = static_cast<std::size_t>(of);
  if (adjoint_of_.size() <= at) adjoint_of_.resize(nodes_.size(), kNoNode);
  NodeId& id = adjoint_of_[at];
  if (id == kNoNode) {
    Node n;
    n.op = Op::kAdjoint;
    n.args[0] = of;
    id = static_cast<NodeId>(nodes_.size());
    nodes_.push_back(n);
  }
  return id;
}

NodeId Graph::seed(std::int32_t index) {
  Node n;
  n.op = Op::kSeed;
  n.index = index;
  return intern(n);
}

NodeId Graph::cotangent(std::int32_t index) {
  Node n;
  n.op = Op::kCotangent;
  n.index = index;
  return intern(n);
}

bool Graph::is_constant(NodeId id, double value) const {
  const Node& n = (*this)[id];
  return n.op == Op::kConst && n.value == value;
}

NodeId Graph::make(Op op, NodeId a, NodeId b, NodeId c) {
  const NodeId simpler = simplify(*this, op, a, b, c);
  if (simpler != kNoNode) return simpler;
  Node n;
  n.op = op;
  n.args = {a, b, c};
  for (NodeId arg : n.operands()) {
    assert(arg != kNoNode && "missing operand");
    assert(arg < static_cast<NodeId>(nodes_.size()));
    n.depends_on_input = n.depends_on_input || (*this)[arg].depends_on_input;
  }
  return intern(n);
}

std::string dump_ir(const Graph& graph, const std::vector<std::string>& names) {
  std::string out;
  for (NodeId id = 0; id < static_cast<NodeId>(graph.size()); ++id) {
    const Node& n = graph[id];
    out += fmt::format("%{} = {}", id, op_info(n.op).name);
    if (n.op == Op::kConst) out += fmt::format(" {}", n.value);
    if (n.op == Op::kInput || n.op == Op::kSeed || n.op == Op::kCotangent) out += fmt::format(" #{}", n.index);
    const char* separator = "";
    for (NodeId arg : n.operands()) {
      out += fmt::format("{} %{}", separator, arg);
      separator = ",";
    }
    if (static_cast<std::size_t>(id) < names.size() && !names[static_cast<std::size_t>(id)].empty()) {
      out += fmt::format("  ; {}", names[static_cast<std::size_t>(id)]);
    }
    out += '\n';
  }
  return out;
}

}  // namespace gradgen

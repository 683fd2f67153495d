// gradgen's IR: the guide's circuit as a flat list of gates.
//
// A Graph is a vector of nodes indexed by NodeId; a node's operands are always
// earlier nodes, so index order is a topological order and every pass is a
// loop over indices (never over hash order, so output is deterministic, and
// never recursive, so any program size is fine). Nodes are hash-consed on
// insert: building a node equal to an existing one returns the existing one,
// which is common-subexpression elimination for free. Before that, make()
// applies the exact simplifications of simplify.hpp (constant folding, ...).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ir/ops.hpp"
#include "compiler/support/probe_table.hpp"

namespace gradgen {

using NodeId = std::int32_t;
inline constexpr NodeId kNoNode = -1;

// A node id as an index into the graph's per-node vectors.
inline std::size_t at(NodeId id) { return static_cast<std::size_t>(id); }

struct Node {
  Op op = Op::kConst;
  bool depends_on_input = false;  // an input reaches this node
  std::array<NodeId, 3> args{kNoNode, kNoNode, kNoNode};
  double value = 0.0;     // kConst
  std::int32_t index = -1;  // kInput: the input's position

  int arity() const { return op_info(op).arity; }

  // The operands, for (NodeId a : n.operands()): args[0 .. arity).
  struct Operands {
    const NodeId* first;
    const NodeId* last;
    const NodeId* begin() const { return first; }
    const NodeId* end() const { return last; }
  };
  Operands operands() const { return {args.data(), args.data() + arity()}; }
};

class Graph {
 public:
  NodeId constant(double value);
  NodeId input(std::int32_t index);
  // The adjoint of node `of` (see reverse.hpp): a leaf standing for the
  // gradient of the output with respect to `of`.
  NodeId adjoint(NodeId of);
  // The component of a forward-mode direction for the gradient's input
  // number `index` (see forward.hpp).
  NodeId seed(std::int32_t index);
  // The weight of output number `index` in a vector-Jacobian product (the
  // generated code's out_bar[index]; see reverse.hpp).
  NodeId cotangent(std::int32_t index);
  // The gate op(a, b, c): simplified (simplify.hpp), or the existing equal
  // gate, or a new one.
  NodeId make(Op op, NodeId a, NodeId b = kNoNode, NodeId c = kNoNode);

  NodeId add(NodeId a, NodeId b) { return make(Op::kAdd, a, b); }
  NodeId sub(NodeId a, NodeId b) { return make(Op::kSub, a, b); }
  NodeId mul(NodeId a, NodeId b) { return make(Op::kMul, a, b); }
  NodeId div(NodeId a, NodeId b) { return make(Op::kDiv, a, b); }
  NodeId neg(NodeId a) { return make(Op::kNeg, a); }
  NodeId select(NodeId c, NodeId a, NodeId b) { return make(Op::kSelect, c, a, b); }

  // While set, products with the constant 1 are built as the other factor
  // (x * 1 is x exactly in IEEE arithmetic, NaN and -0 included). The
  // sweeps that seed unit directions (NAME_jacobian, NAME_hessian) set it, so
  // that `1.0 * ...` never reaches their code; user programs are built as
  // written.
  void set_unit_products_fold(bool on) { fold_unit_products_ = on; }
  bool folds_unit_products() const { return fold_unit_products_; }

  const Node& operator[](NodeId id) const { return nodes_[static_cast<std::size_t>(id)]; }
  std::size_t size() const { return nodes_.size(); }
  bool is_constant(NodeId id, double value) const;
  ValueType type(NodeId id) const { return op_info((*this)[id].op).result; }

 private:
  // Hash-consing: the node with `node`'s key, made if there is none. A
  // node's key is its op, its operands and what tells apart the leaves of
  // one op (see key_bits()).
  NodeId intern(const Node& node);

  std::vector<Node> nodes_;
  bool fold_unit_products_ = false;
  ProbeTable table_;                // every node but the adjoints, by key
  std::size_t interned_ = 0;        // the nodes in table_
  std::vector<NodeId> adjoint_of_;  // by gate: its adjoint leaf, or kNoNode
};

// One line per node, "%3 = mul %1, %2", with the names in `names` (indexed by
// NodeId; empty for none) as comments. For --dump-ir and its golden tests.
std::string dump_ir(const Graph& graph, const std::vector<std::string>& names);

}  // namespace gradgen

// Lowering: the analysed Ast becomes the circuit, a Graph of gates. Variables
// disappear (each assignment binds its name to a node: SSA by construction);
// n-ary max/min become chains of binary gates; `+a` is `a`. The names the user
// gave are kept beside the graph so the emitted code can show them again.
#pragma once

#include <string>
#include <vector>

#include "ast.hpp"
#include "ir.hpp"
#include "sema.hpp"

namespace gradgen {

// The name a statement gave to a node: `x` (version 1) or, when `x` is
// assigned again, its later values (version 2, 3, ...).
struct UserName {
  std::string name;
  int version = 0;  // 0: the node has no user name
};

struct Circuit {
  Graph graph;
  std::vector<std::string> input_names;  // in input order
  std::vector<NodeId> inputs;            // the node of each input
  NodeId output = kNoNode;
  bool output_named = false;             // the last statement is an assignment
  std::vector<UserName> names;           // indexed by NodeId (may be shorter)
};

Circuit lower(const Ast& ast, const Analysis& analysis);

}  // namespace gradgen

// The circuit: the program as a Graph of gates, with its inputs and outputs
// and the names the user gave, as lowering (frontend/lower.hpp) makes it and
// every later pass reads it. The back end knows the program only through it.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"

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
  // The output: the last statement's value, or the one name --output gives.
  // With several outputs, the last of them in index order, which bounds
  // every pass's loop over the forward gates.
  NodeId output = kNoNode;
  std::vector<NodeId> outputs;           // each output's node (one: {output})
  std::vector<std::string> output_names; // --output's names (empty without it)
  bool output_named = false;             // the last statement is an assignment
  std::vector<UserName> names;           // indexed by NodeId (may be shorter)
};

}  // namespace gradgen

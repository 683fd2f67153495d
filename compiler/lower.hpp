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
  // The output: the last statement's value, or the one name --output gives.
  // With several outputs, the last of them in index order, which bounds
  // every pass's loop over the forward gates.
  NodeId output = kNoNode;
  std::vector<NodeId> outputs;           // each output's node (one: {output})
  std::vector<std::string> output_names; // --output's names (empty without it)
  bool output_named = false;             // the last statement is an assignment
  std::vector<UserName> names;           // indexed by NodeId (may be shorter)
};

// `outputs`: the --output names (empty: the last statement's value). Each
// must be a variable the program assigns, holding a number (UsageError).
Circuit lower(const Ast& ast, const Analysis& analysis,
              const std::vector<std::string>& outputs = {});

}  // namespace gradgen

// Lowering: the analysed Ast becomes the circuit, a Graph of gates. Variables
// disappear (each assignment binds its name to a node: SSA by construction);
// n-ary max/min become chains of binary gates; `+a` is `a`. The names the user
// gave are kept beside the graph so the emitted code can show them again.
#pragma once

#include <string>
#include <vector>

#include "compiler/frontend/ast.hpp"
#include "compiler/frontend/sema.hpp"
#include "compiler/ir/circuit.hpp"

namespace gradgen {

// `outputs`: the --output names (empty: the last statement's value). Each
// must be a variable the program assigns, holding a number (UsageError).
Circuit lower(const Ast& ast, const Analysis& analysis,
              const std::vector<std::string>& outputs = {});

}  // namespace gradgen

// The semantic pass: resolves every name and call of the Ast, types every
// expression as a number or a condition, and finds the inputs. It reports, as
// Diagnostics pointing at the text: unknown functions (with the nearest known
// name), wrong numbers of arguments, functions used as variables, conditions
// used as numbers and numbers used as conditions, uses before assignment and
// assignments to constants or functions. After it, lowering cannot fail.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/frontend/ast.hpp"

namespace gradgen {

struct Analysis {
  // Input names in input order: the order of first appearance, or the order
  // the user fixed with --inputs.
  std::vector<std::string> inputs;
  // The names the program assigns, numbered as Expr::variable and
  // Statement::variable: views into the source, like the Ast's.
  std::vector<std::string_view> variables;
};

// `fixed_inputs`, when not empty, is the --inputs order: it must name every
// input (UsageError otherwise) and may name extra inputs the program does not
// read, whose gradient is then 0.
Analysis analyze(Ast& ast, const std::vector<std::string>& fixed_inputs = {});

// For a name that is neither a variable nor an input nor a constant: throws
// the Diagnostic for a function used as a variable, an unknown Math.
// constant or another dotted name; returns for a plain name.
void check_plain_name(const Expr& name);

// The built-in a call names, its number of arguments checked; throws the
// Diagnostic for an unknown function (with the nearest name) or a wrong count.
const Builtin& resolve_builtin(const Expr& call);

// Edits (insert, delete, replace; case ignored) that turn a into b.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The known name nearest to `name` (for "did you mean"), or "" if none is close.
std::string nearest_name(std::string_view name, const std::vector<std::string_view>& known);

}  // namespace gradgen

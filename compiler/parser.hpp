// The front end: program text -> Ast, through the PEGTL grammar in
// grammar/gradgen_grammar.hpp. The PEGTL never leaves parser.cpp; everything
// after it sees only gradgen's own Ast. Errors are thrown as Diagnostic.
#pragma once

#include <cstddef>

#include "ast.hpp"
#include "diagnostic.hpp"

namespace gradgen {

struct ParseLimits {
  // Parentheses, calls, ?: branches, exponents and prefix operators nested
  // deeper than this are refused (the parser recurses on them).
  std::size_t max_depth = 256;
};

Ast parse(const Source& source, const ParseLimits& limits = {});

}  // namespace gradgen

// The front end: program text -> Ast, through the PEGTL grammar in
// grammar/gradgen_grammar.hpp. The PEGTL never leaves parser.cpp; everything
// after it sees only gradgen's own Ast. Errors are thrown as Diagnostic.
#pragma once

#include <cstddef>

#include "compiler/frontend/ast.hpp"
#include "compiler/frontend/diagnostic.hpp"

namespace gradgen {

struct ParseLimits {
  // Parentheses, calls, ?: branches, exponents and prefix operators nested
  // deeper than this are refused (the parser recurses on them).
  std::size_t max_depth = 256;
  // Programs longer than this many bytes are refused before parsing.
  std::size_t max_bytes = std::size_t{64} << 20;  // 64 MiB
  // More statements than this are refused (at the first one too many).
  std::size_t max_statements = 2'000'000;
};

Ast parse(const Source& source, const ParseLimits& limits = {});

}  // namespace gradgen

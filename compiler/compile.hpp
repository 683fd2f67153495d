// The whole pipeline as one call: parse, analyse, lower, differentiate, emit.
// Errors come out as Diagnostic (bad program: exit 1) or UsageError (options
// that do not fit the program: exit 2); nothing here prints or exits.
#pragma once

#include <string>
#include <vector>

#include "ast.hpp"
#include "emit_cpp.hpp"
#include "forward.hpp"
#include "lower.hpp"
#include "parser.hpp"
#include "reverse.hpp"
#include "sema.hpp"

namespace gradgen {

struct CompileOptions {
  std::vector<std::string> inputs;  // --inputs: the input order (empty: first appearance)
  std::vector<std::string> wrt;     // --wrt: the gradient's inputs (empty: all)
  ParseLimits limits;
};

struct Compilation {
  Ast ast;
  Analysis analysis;
  Circuit circuit;
  std::vector<std::int32_t> wrt;  // positions of the gradient's inputs, in input order
  Gradient gradient;
  Tangents tangents;  // forward mode, along a direction over the wrt inputs
};

// Checks that `name` can name the generated function or a namespace
// component (a C++ identifier that no keyword or standard macro claims).
void check_identifier(const std::string& name, const char* what);

Compilation compile(const Source& source, const CompileOptions& options);

// compile() and emit_header() in one call.
std::string generate_header(const Source& source, const CompileOptions& options,
                            const EmitOptions& emit);

}  // namespace gradgen

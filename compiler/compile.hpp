// The whole pipeline as one call: parse, analyse, lower, differentiate, emit.
// Errors come out as Diagnostic (bad program: exit 1) or UsageError (options
// that do not fit the program: exit 2); nothing here prints or exits.
#pragma once

#include <string>
#include <vector>

#include "compiler/ad/forward.hpp"
#include "compiler/ad/reverse.hpp"
#include "compiler/emit/emit_cpp.hpp"
#include "compiler/frontend/ast.hpp"
#include "compiler/frontend/expand.hpp"
#include "compiler/frontend/lower.hpp"
#include "compiler/frontend/parser.hpp"
#include "compiler/frontend/sema.hpp"

namespace gradgen {

struct CompileOptions {
  // --inputs: the input order (empty: first appearance), each `x` or, for
  // an array of v2, `x[8]` or `W[16][4]` (its extents; `W` keeps the inferred ones).
  std::vector<std::string> inputs;
  std::vector<std::string> wrt;     // --wrt: the gradient's inputs (empty: all)
  std::vector<std::string> outputs; // --output: the outputs (empty: the last statement)
  bool hessian = false;             // --hessian: second derivatives (one output only)
  ParseLimits limits;
  // --max-iterations: the loops' iterations in all (v2), refused before they run.
  std::uint64_t max_iterations = 1'000'000'000;
};

struct Compilation {
  Ast ast;
  Analysis analysis;
  Circuit circuit;
  // Each input and output as the program names it, a scalar or an array, and
  // its place in in[] (or out[]): v1 programs have scalars only.
  std::vector<ArrayShape> input_shapes;
  std::vector<ArrayShape> output_shapes;
  std::vector<std::int32_t> wrt;  // positions of the gradient's inputs, in input order
  // One output: NAME_grad's backward pass. Several: NAME_vjp's, seeded with
  // out_bar[] (Op::kCotangent leaves).
  Gradient gradient;
  Tangents tangents;  // NAME_jvp: forward mode along in_dot[], over the wrt inputs

  // NAME_jacobian (several outputs): a reverse sweep per output or a forward
  // sweep per wrt input, whichever needs fewer; the other stays empty.
  std::vector<Gradient> jacobian_rows;
  std::vector<Tangents> jacobian_columns;

  // --hessian: forward over reverse. hvp: the tangents of the wrt inputs'
  // adjoints along in_dot[] (NAME_hvp). hessian_columns[j]: along the unit
  // direction of wrt input j, only for the entries (i, j) with i >= j, the
  // others being known by symmetry (NAME_hessian).
  bool hessian = false;
  std::vector<NodeId> input_adjoints;  // per wrt input: its adjoint leaf
  Tangents hvp;
  std::vector<Tangents> hessian_columns;

  bool several_outputs() const { return circuit.outputs.size() > 1; }
};

// Checks that `name` can name the generated function or a namespace
// component (a C++ identifier that no keyword or standard macro claims).
void check_identifier(const std::string& name, const char* what);

Compilation compile(const Source& source, const CompileOptions& options);

// compile() and emit_header() in one call.
std::string generate_header(const Source& source, const CompileOptions& options,
                            const EmitOptions& emit);

}  // namespace gradgen

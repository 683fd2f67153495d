// The C++ emitter: writes the header that shared/spec/generated-code.md
// specifies, in the guide's "backprop ninja" style. The layout (layout.hpp)
// decides the lines and names; this pass only spells them: C++ precedence,
// literals of the chosen scalar type, the functions' signatures and the
// named-argument forms.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ad/forward.hpp"
#include "compiler/ad/reverse.hpp"
#include "compiler/emit/scalar_type.hpp"
#include "compiler/ir/circuit.hpp"
#include "runtime/function_kinds.hpp"

namespace gradgen {

struct EmitOptions {
  std::string function = "f";  // NAME
  std::string ns;              // "" for the global namespace; may be a::b
  ScalarType type = ScalarType::kDouble;
  std::string program;         // echoed in the header's opening comment
  std::string version;         // gradgen's version, echoed there too
  bool batch = false;          // --batch: NAME_batch and NAME_grad_batch too
  bool one_gate_per_line = false;  // --no-opt: the guide's form, no sums of products inline
  // --split-lines: functions longer than twice this are split into parts of
  // this many lines (split.hpp); 0 never splits.
  std::size_t split_lines = 500;
};

struct Compilation;

// The header for a compiled program (compile.hpp): with one output, the value,
// NAME_grad and NAME_jvp (and NAME_hessian and NAME_hvp when asked for); with
// several, NAME(in, out), NAME_vjp, NAME_jvp and NAME_jacobian.
std::string emit_header(const Compilation& compilation, const EmitOptions& options);

// Which kinds of function (runtime/function_kinds.hpp) that header holds.
HeaderShape shape_of(const Compilation& compilation, const EmitOptions& options);

}  // namespace gradgen

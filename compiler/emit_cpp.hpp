// The C++ emitter: writes the header that shared/spec/generated-code.md
// specifies, in the guide's "backprop ninja" style. The layout (layout.hpp)
// decides the lines and names; this pass only spells them: C++ precedence,
// literals of the chosen scalar type, the functions' signatures and the
// named-argument forms.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "forward.hpp"
#include "lower.hpp"
#include "reverse.hpp"

namespace gradgen {

enum class ScalarType : std::uint8_t { kFloat, kDouble, kLongDouble };

struct EmitOptions {
  std::string function = "f";  // NAME
  std::string ns;              // "" for the global namespace; may be a::b
  ScalarType type = ScalarType::kDouble;
  std::string program;         // echoed in the header's opening comment
  std::string version;         // gradgen's version, echoed there too
};

// `wrt`: the positions (in input order) of the inputs the gradient covers.
std::string emit_header(const Circuit& circuit, const Gradient& gradient, const Tangents& tangents,
                        const std::vector<std::int32_t>& wrt, const EmitOptions& options);

}  // namespace gradgen

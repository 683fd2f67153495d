// The scalar type of a generated header (--type): known to the printer,
// which spells literals in it, and to the emitter's options.
#pragma once

#include <cstdint>

namespace gradgen {

enum class ScalarType : std::uint8_t { kFloat, kDouble, kLongDouble };

}  // namespace gradgen

// The little JSON the commands write (--json of check, eval and explain):
// strings escaped, numbers with every digit, and null for what JSON cannot
// hold (NaN, infinities).
#pragma once

#include <cmath>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace gradgen::json {

// A number that reads back as the same double (fmt's shortest form), or null.
inline std::string number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : "null"; }

inline std::string string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Appends `item` to a comma-separated list.
inline void add(std::string& list, std::string_view item) {
  if (!list.empty()) list += ", ";
  list += item;
}

}  // namespace gradgen::json

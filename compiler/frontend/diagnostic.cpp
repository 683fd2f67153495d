#include "compiler/frontend/diagnostic.hpp"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

namespace gradgen {
namespace {

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0u) == 0x80u;
}

// A printable copy of one source line: tabs stay tabs (so the caret line,
// which copies them, stays aligned), other control bytes become spaces, and
// bytes that are not valid UTF-8 become '?' (never sent raw to a terminal).
std::string printable_line(std::string_view line) {
  std::string out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80) {
      out += (u < 0x20 && c != '\t') || u == 0x7F ? ' ' : c;
    } else if (const std::size_t n = utf8_length(line, i)) {
      out.append(line.substr(i, n));
      i += n - 1;
    } else {
      out += '?';
    }
  }
  return out;
}

}  // namespace

std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto u = static_cast<unsigned char>(text[i]);
  if (u < 0x80) return 1;
  const std::size_t n = u >= 0xC2 && u <= 0xDF ? 2 : u >= 0xE0 && u <= 0xEF ? 3 : u >= 0xF0 && u <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  std::uint32_t code = u & (0x7Fu >> n);
  for (std::size_t k = 1; k < n; ++k) {
    if (!is_continuation_byte(text[i + k])) return 0;
    code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
  }
  const std::uint32_t least = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
  if (code < least || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return n;
}

LineColumn line_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  LineColumn lc;
  for (std::size_t i = 0; i < offset; ++i) {
    const char c = text[i];
    if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++lc.line;
      lc.column = 1;
    } else if (c == '\r') {
      // The '\r' of a CRLF pair takes no column.
    } else if (!is_continuation_byte(c)) {
      ++lc.column;
    }
  }
  return lc;
}

std::string format_diagnostic(const Source& source, const Diagnostic& error, bool colour) {
  const std::string_view text = source.text;
  const std::size_t offset = std::min(error.span().begin, text.size());
  const LineColumn lc = line_column(text, offset);

  std::size_t line_begin = offset;
  while (line_begin > 0 && text[line_begin - 1] != '\n' && text[line_begin - 1] != '\r') {
    --line_begin;
  }
  std::size_t line_end = offset;
  while (line_end < text.size() && text[line_end] != '\n' && text[line_end] != '\r') {
    ++line_end;
  }
  // A long line is shown as a window of about kWindow bytes around the caret.
  constexpr std::size_t kWindow = 120;
  std::string prefix;
  std::string suffix;
  if (line_end - line_begin > kWindow) {
    std::size_t begin = offset > line_begin + kWindow / 2 ? offset - kWindow / 2 : line_begin;
    while (begin > line_begin && is_continuation_byte(text[begin])) --begin;
    std::size_t end = std::min(line_end, begin + kWindow);
    while (end < line_end && is_continuation_byte(text[end])) ++end;
    if (begin > line_begin) prefix = "...";
    if (end < line_end) suffix = "...";
    line_begin = begin;
    line_end = end;
  }
  const std::string_view line = text.substr(line_begin, line_end - line_begin);

  // The caret line copies the tabs before the column so it stays aligned.
  std::string caret(prefix.size(), ' ');
  for (std::size_t i = line_begin; i < offset; ++i) {
    if (text[i] == '\t') {
      caret += '\t';
    } else if (!is_continuation_byte(text[i])) {
      caret += ' ';
    }
  }
  caret += '^';

  if (colour) {
    return fmt::format("\x1b[1m{}:{}:{}: \x1b[31merror:\x1b[0m\x1b[1m {}\x1b[0m\n{}{}{}\n\x1b[1;32m{}\x1b[0m\n",
                       source.name, lc.line, lc.column, error.what(), prefix, printable_line(line), suffix,
                       caret);
  }
  return fmt::format("{}:{}:{}: error: {}\n{}{}{}\n{}\n", source.name, lc.line, lc.column,
                     error.what(), prefix, printable_line(line), suffix, caret);
}

}  // namespace gradgen

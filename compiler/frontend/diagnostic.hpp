// The one kind of user error gradgen reports: a message tied to a place in the
// program text. The front end throws Diagnostic; the CLI catches it, prints it
// with format_diagnostic() and exits with status 1. Compiler bugs are asserts,
// never Diagnostics.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace gradgen {

// Half-open byte range [begin, end) into the program text.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The program text and the name it is reported under ("<input>", "<stdin>" or
// a file path).
struct Source {
  std::string name;
  std::string text;
};

class Diagnostic : public std::runtime_error {
 public:
  Diagnostic(Span span, std::string message)
      : std::runtime_error(message), span_(span) {}
  Span span() const { return span_; }

 private:
  Span span_;
};

// A bad command-line request (an option that does not fit the program, such
// as --wrt naming a name that is not an input): exit status 2, no position.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The length of the UTF-8 sequence at text[i] (1 for ASCII, up to 4), or 0
// where the bytes are not UTF-8: a stray continuation byte, a sequence cut
// short, an overlong form, a surrogate or a code point past U+10FFFF.
std::size_t utf8_length(std::string_view text, std::size_t i);

// 1-based line and column of a byte offset. Columns count Unicode code points
// (a UTF-8 lead byte starts a new column), so the caret lines up in a terminal.
struct LineColumn {
  std::size_t line = 1;
  std::size_t column = 1;
};
LineColumn line_column(std::string_view text, std::size_t offset);

// "NAME:LINE:COL: error: MESSAGE\n<source line>\n<caret>\n"; with `colour`,
// the first line bold with "error:" in red and the caret in green, in ANSI
// escapes (as g++ and clang++ write theirs on a terminal).
std::string format_diagnostic(const Source& source, const Diagnostic& error, bool colour = false);

}  // namespace gradgen

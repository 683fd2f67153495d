// The statements of a function body as the emitter writes them: what each
// declares or changes and what it reads, by integer keys. The lowest layer
// of the back end: the printer (cpp_expr.hpp) records into it, the splitter
// (split.hpp) reads it; neither knows the other.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gradgen {

// What the emitter knows of the lines of a function body as it writes them.
// Each variable has a key, a number the emitter chooses (in emit_cpp, a
// gate's node id for its value, and past the graph's nodes for adjoints).
// Comment lines (`  // ...`) have no facts; every other line has one entry,
// in the order of the text.
class BodyFacts {
 public:
  struct Line {
    std::int32_t var = -1;  // the key of the variable it declares or changes, or -1
    bool declares = false;
    bool names_parameter = false;  // it names one of the function's parameters (in[], grad[], ...)
    std::uint32_t reads_begin = 0, reads_end = 0;  // its reads: keys in reads()
  };

  // The line being written reads variable `key`.
  void read(std::int32_t key) {
    reads_.push_back(key);
    keys_ = std::max(keys_, static_cast<std::size_t>(key) + 1);
  }
  // The line being written names a parameter of the function.
  void name_parameter() { names_parameter_ = true; }
  // Ends the line being written: it declares (`T x = ...;`) or changes
  // (`x += ...;`) variable `var`, or neither (-1: a store, a return).
  void end_line(std::int32_t var, bool declares) {
    lines_.push_back(Line{var, declares, names_parameter_, line_begin_, static_cast<std::uint32_t>(reads_.size())});
    if (var >= 0) keys_ = std::max(keys_, static_cast<std::size_t>(var) + 1);
    line_begin_ = static_cast<std::uint32_t>(reads_.size());
    names_parameter_ = false;
  }
  // Moves the last `count` lines in front of the others (the loads of a
  // function's inputs, which the emitter writes once its body is known).
  void move_last_to_front(std::size_t count) {
    std::rotate(lines_.begin(), lines_.end() - static_cast<std::ptrdiff_t>(count), lines_.end());
  }
  // Forgets every line, keeping the memory for the next function.
  void clear() {
    lines_.clear();
    reads_.clear();
    line_begin_ = 0;
    names_parameter_ = false;
    keys_ = 0;
  }

  const std::vector<Line>& lines() const { return lines_; }
  const std::vector<std::int32_t>& reads() const { return reads_; }
  std::size_t keys() const { return keys_; }  // every key is below this

 private:
  std::vector<Line> lines_;
  std::vector<std::int32_t> reads_;
  std::uint32_t line_begin_ = 0;
  bool names_parameter_ = false;
  std::size_t keys_ = 0;
};

}  // namespace gradgen

// Splitting long generated functions into parts.
//
// A C++ compiler's register allocation takes time quadratic in the number of
// values live at once, and a gradient keeps every forward value live across
// its backward pass: g++ -O2 needs a minute for the gradient of a 20,000-gate
// straight-line program whose forward pass alone compiles in 2.4 s. Splitting
// a function of more than 2N lines into parts of N lines, each a function of
// its own that the compiler allocates registers for separately, makes the
// time proportional to the length again. Shorter functions compile faster
// whole (g++: 0.34 s for a 600-line gradient, 0.42 s for it in two parts).
//
// The parts pass the values one part computes and a later one reads in a
// struct, BASE_state (one member per such variable, named as the variable).
// Each part starts by loading what it reads from there (a variable it adds
// to becomes a reference to the member: `double& dx = values.dx;`), then has
// its lines, unchanged, and ends by storing what it declares and later parts
// read. The last part stays in the function itself, after the calls to the
// others, so its lines, and its return, read as before. Inputs too go
// through the struct: the whole function reads all of in[] before it writes
// anything, and so do the parts (a caller may pass an out[] that overlaps
// in[]).
//
// BASE is the header's NAME and the function's role, a word without an
// underscore: `f_value` for f, `f_grad` for f_grad, `f_jvp`, ... So the parts
// of headers named `loss` and `loss_grad` do not clash. (As with the header's
// other names, a header named like another's derived names, `f_grad_state`
// or `f_inputs` next to `f`, can clash with it in one namespace.)
//
// The splitter does not read the variables back from the text: the emitter
// records, as it writes each line, the variable the line declares or changes
// and those it reads (BodyFacts). At 10^6 gates that spares it a hash lookup
// for each of tens of millions of identifiers. The splitter checks that the
// facts and the text have the same lines, and each declared or changed
// variable against its line (`[const] T NAME = ...`, `NAME op= ...`); the
// reads it takes on trust: a read missing from the facts would give a part
// that does not compile, which the tests would show (tests/test_split.cpp
// compiles split functions of random programs and compares them with whole
// ones bit for bit).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
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
  void move_last_to_front(std::size_t count);
  void clear();

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

// Appends `function` (its comment lines, `inline T NAME(params) {`, its body,
// `}`) to `out`, in parts of `part_lines` lines, with BASE_state and
// BASE_part1, BASE_part2, ... in front of it, when its body has more than
// 2 * `part_lines` lines. `facts` are its body's lines as the emitter wrote
// them. `state` is the name of the parts' BASE_state parameter (a name no
// line of the body uses).
// A body whose lines do not match its facts (a line without facts, such as
// a block's braces or a loop; a declaration that is not one) is appended as
// it is, as is everything when `part_lines` is 0. `function` must not be
// part of `out`.
// Returns whether it split the function.
bool split_long_function(std::string& out, std::string_view function, std::size_t part_lines, std::string_view base,
                         std::string_view state, const BodyFacts& facts);

}  // namespace gradgen

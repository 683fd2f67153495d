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
// facts (statements.hpp) and the text have the same lines, and each declared or changed
// variable against its line (`[const] T NAME = ...`, `NAME op= ...`); the
// reads it takes on trust: a read missing from the facts would give a part
// that does not compile, which the tests would show (tests/test_split.cpp
// compiles split functions of random programs and compares them with whole
// ones bit for bit).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "compiler/emit/statements.hpp"

namespace gradgen {

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

// Splitting long generated functions into parts.
//
// A C++ compiler's register allocation takes time quadratic in the number of
// values live at once, and a gradient keeps every forward value live across
// its backward pass: g++ -O2 needs a minute for the gradient of a 20,000-gate
// straight-line program whose forward pass alone compiles in 2.4 s. Splitting
// a long function into parts of at most N lines, each a function of its own
// that the compiler allocates registers for separately, makes the time
// proportional to the length again.
//
// The parts pass the values one part computes and a later one reads in a
// struct, NAME_values (one member per such variable, named as the variable);
// each part starts by loading what it reads from there (or, for an input, from
// in[] again) and ends by storing what later parts read. The last part stays
// in the function itself, after the calls to the others, so its lines, and its
// return, read as before. The lines themselves are unchanged.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gradgen {

// Rewrites the function that starts at `begin` in `out` (its comment lines,
// `inline T NAME(params) {`, its body, `}`) into parts of at most
// `part_lines` lines, with NAME_values and NAME_part1, NAME_part2, ... in front
// of it, when its body has more than `part_lines` lines. `state` is the name of
// the parts' NAME_values parameter (a name no line of the body uses).
// Functions with blocks or loops (NAME_jacobian, NAME_hessian, the batched
// ones) and bodies of any form it does not know are left as they are, as is
// everything when `part_lines` is 0.
void split_long_function(std::string& out, std::size_t begin, std::size_t part_lines,
                         std::string_view state);

}  // namespace gradgen

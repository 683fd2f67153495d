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
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gradgen {

// Rewrites the function that starts at `begin` in `out` (its comment lines,
// `inline T NAME(params) {`, its body, `}`) into parts of `part_lines` lines,
// with BASE_state and BASE_part1, BASE_part2, ... in front of it, when its
// body has more than 2 * `part_lines` lines. `state` is the name of the
// parts' BASE_state parameter (a name no line of the body uses).
// Functions with blocks or loops (NAME_jacobian, NAME_hessian, the batched
// ones) and bodies of any form it does not know are left as they are, as is
// everything when `part_lines` is 0.
// Returns whether it split the function.
bool split_long_function(std::string& out, std::size_t begin, std::size_t part_lines, std::string_view base,
                         std::string_view state);

}  // namespace gradgen

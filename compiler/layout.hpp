// Layout: how the circuit is cut into lines of C++, and what each line is
// called. This is where the generated code's readability is decided.
//
// The rule, after the guide's hand-written passes:
// * Every gate gets its own line (`const double x2 = x1 * d;`), named after
//   the user's variable when a statement named it, else a temporary.
// * Except sums of products: a product or a sum used only once, inside a sum,
//   stays inline, so `a*x + b*y + c` is one line as in the guide's neuron. The
//   `+` gate only routes its adjoint (`dc = 1.0 * dq`), so keeping it inline
//   costs the backward pass nothing. Sums longer than kMaxLineTerms are cut.
// * In the backward pass, a gate used by more than one gradient gets a line
//   of its own before its first use; others stay inside the gradient's line.
// * Every forward line with an adjoint has a variable `d<name>` for it.
//
// Temporaries are named with one letter and a number (x1, x2, ..., and x for
// the value of a last statement that names nothing), the letter being the
// first of x, t, u, v, w, z, ... for which no user name could clash with a
// temporary or with its adjoint.
#pragma once

#include <string>
#include <vector>

#include "forward.hpp"
#include "lower.hpp"
#include "names.hpp"
#include "reverse.hpp"

namespace gradgen {

inline constexpr int kMaxLineTerms = 12;
inline constexpr int kMaxInlineHeight = 10;

// The lines and names of one generated function. The forward lines and their
// names are the same in every function of a header; the gates only a backward
// pass (or only a tangent pass) uses are laid out per function.
struct Layout {
  std::vector<char> in_cone;           // forward gates the output needs
  std::vector<char> is_line;           // declared on a line of its own
  std::vector<std::string> name;       // lines, inputs and seeds: the C++ name
  std::vector<std::string> adjoint;    // forward nodes with an adjoint variable
  std::vector<NodeId> inflow;          // inline gates: the gradient flowing in
  std::vector<std::vector<std::size_t>> from_source;  // contributions by source
  std::vector<int> inflows;            // number of contributions per target
  std::vector<NodeId> tangent_line;    // forward line -> the tangent line it owns
  std::string in_param;                // the names of the functions' parameters
  std::string grad_param;
  std::string in_dot_param;
  std::string out_dot_param;
};

struct Layouts {
  Layout gradient;  // for the value function and NAME_grad
  Layout tangent;   // for NAME_jvp
};

Layouts plan_layouts(const Circuit& circuit, const Gradient& gradient, const Tangents& tangents,
                     NameTable& names);

}  // namespace gradgen

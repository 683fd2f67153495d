// `gradgen explain`: a program's forward and backward passes written out for
// a learner, in the guide's two devices: code with the value on every wire
// (`q = x + y   // q is 3`), and the backward pass one local rule at a time,
// each rule named in plain words, with the numbers filled in. Then the
// gradient beside a numerical one, as the guide checks every gradient.
//
// The lines and names are the generated header's, one gate per line (the
// layout's one_gate_per_line form); the numbers come from the reference
// evaluator.
#pragma once

#include <string>
#include <vector>

#include "compiler/compile.hpp"

namespace gradgen {

// `at`: the inputs' values in input order, or nullptr to explain
// symbolically (no numbers, no numerical check).
std::string explain(const Compilation& compilation, const std::vector<double>* at);

// The same as one JSON object: {"inputs": [{gate, name, value}], "forward":
// [{gate, line, value, output}], "backward": [{gate, line, rule, steps:
// [{to, text, value, where?}]}], "gradient": [{input, analytic, numerical,
// agree}]}; "gate" and "to" are gate numbers (ids), values null without a
// point. The backward list opens with the pull of 1 on the output.
std::string explain_json(const Compilation& compilation, const std::vector<double>* at);

}  // namespace gradgen

// `gradgen dot`: the circuit as a Graphviz graph, like the guide's diagrams.
// Inputs and constants are ovals, gates are boxes with their operator (and
// the name the program gave them), and each wire is labelled with the value
// going forward and, in red, the gradient coming back along it (with `at`;
// without, the wire's name and its gradient's expression). The gates of one
// line of the generated code (a sum of products) are grouped in a box named
// after the line, so that large circuits stay legible.
#pragma once

#include <string>
#include <vector>

#include "compiler/compile.hpp"

namespace gradgen {

// `title`: shown above the graph (the program, usually).
std::string circuit_dot(const Compilation& compilation, const std::vector<double>* at,
                        const std::string& title);

}  // namespace gradgen

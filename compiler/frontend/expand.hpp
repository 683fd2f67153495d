// Expansion: a v2 program (language-v2.md: blocks, loops, if, arrays and
// functions) becomes the circuit, as lowering makes it of a v1 program. The
// loops, ifs and functions stay regions of the Ast up to here; this one pass
// runs them: each loop's iterations, each call's body, each static if's
// branch, with the loop variables and other static values known. It is both
// the semantic pass of v2 and its lowering: shapes and indices are only known
// as it runs, so its errors come from it, located in the text as sema's.
//
// It runs twice. The first run learns what the text does not say: the
// extents of input arrays (one more than the largest index read) and of
// local arrays (the largest index assigned); the second builds the circuit
// with every input's place in in[] known.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/frontend/ast.hpp"
#include "compiler/frontend/diagnostic.hpp"
#include "compiler/ir/circuit.hpp"

namespace gradgen {

// An input or output as a whole: a scalar (no extents) or an array, and where
// its scalars are in in[] (or out[]): offset .. offset + size(), row-major.
struct ArrayShape {
  std::string name;
  std::size_t offset = 0;
  std::vector<std::size_t> extents;  // empty: a scalar

  std::size_t size() const {
    std::size_t n = 1;
    for (std::size_t e : extents) n *= e;
    return n;
  }
};

// `x[3]`, `W[1][2]`: an element's name as NAME_inputs lists it.
std::string element_name(const std::string& array, const std::vector<std::size_t>& indices);

// --inputs's entry `W[16][4]` (or `b`): its name and extents.
ArrayShape parse_input_spec(const std::string& spec);

struct ExpandOptions {
  std::vector<ArrayShape> inputs;    // --inputs: order, and extents where given
  std::vector<std::string> outputs;  // --output
  std::uint64_t max_iterations = 1'000'000'000;
  std::size_t max_statements = 2'000'000;  // executed, loops and calls expanded
};

struct Expansion {
  Circuit circuit;
  std::vector<ArrayShape> inputs;   // in input order
  std::vector<ArrayShape> outputs;  // in output order
};

Expansion expand(const Ast& ast, std::string_view source, const ExpandOptions& options);

}  // namespace gradgen

// Choosing points at which to check a gradient numerically. A point is good
// when every gate the value depends on (in the branches taken) is finite,
// inside its function's domain with a margin (log, sqrt, asin, acosh, a
// variable power's base, a divisor, ...), and away from its kinks and steps
// (abs, relu and sign at 0, max/min ties, comparison boundaries, floor/round
// steps, fmod's jumps) by a margin, so that central differences mean
// something there. Random points are drawn until one is good.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "compiler/ir/circuit.hpp"

namespace gradgen {

struct SampleOptions {
  double lo = -2.0;      // inputs are drawn uniformly from [lo, hi]
  double hi = 2.0;
  int tries = 500;       // draws per point before giving up on it
  double margin = 1e-3;  // distance kept from domain edges and kinks (relative)
};

// "" when `x` is a good point for `circuit`, else what is wrong there, naming
// the function: "log of a number <= 0", "at a kink of abs", ...
std::string point_problem(const Circuit& circuit, const std::vector<double>& x,
                          double margin = 1e-3);

struct Samples {
  std::vector<std::vector<double>> points;
  std::vector<std::string> skipped;  // one line per point that could not be found
};

Samples sample_points(const Circuit& circuit, std::mt19937_64& rng, std::size_t count,
                      const SampleOptions& options = {});

}  // namespace gradgen

#include "compiler/check/sampling.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "compiler/ir/evaluate.hpp"

namespace gradgen {
namespace {

// Distance from v to the nearest value of `step` * k + offset.
double to_step(double v, double offset) {
  const double k = std::round(v - offset);
  return std::fabs(v - offset - k);
}

// What is wrong with gate n given its operands' values a, b, and its value y.
std::string gate_problem(const Graph& g, const Node& n, double a, double b, double y, double m) {
  const double ma = m * std::max(1.0, std::fabs(a));
  const char* name = op_info(n.op).name.data();
  switch (op_info(n.op).trouble) {
    case Trouble::kNone: return "";
    case Trouble::kBelowZero: return a < ma ? fmt::format("{} of a number near or below 0", name) : "";
    case Trouble::kNearZero: return std::fabs(a) < ma ? fmt::format("{} near 0 (infinite slope)", name) : "";
    case Trouble::kBelowMinusOne:
      return a < -1 + m ? fmt::format("{} of a number near or below -1", name) : "";
    case Trouble::kBeyondOne:
      return std::fabs(a) > 1 - m ? fmt::format("{} of a number near or beyond +-1", name) : "";
    case Trouble::kBelowOne: return a < 1 + m ? fmt::format("{} of a number near or below 1", name) : "";
    case Trouble::kPower: {
      const bool variable_exponent = g[n.args[1]].depends_on_input;
      const bool integer_exponent = !variable_exponent && std::floor(b) == b;
      if ((variable_exponent || !integer_exponent) && a < ma) return "pow of a base near or below 0";
      if (integer_exponent && b < 1 && std::fabs(a) < ma) return "a negative power near 0";
      return "";
    }
    case Trouble::kDivisor: return std::fabs(b) < m ? "division by a number near 0" : "";
    case Trouble::kFmod:
      if (std::fabs(b) < m) return fmt::format("{} by a number near 0", name);
      return to_step(a / b, 0.0) < m ? fmt::format("at a jump of {}", name) : "";
    case Trouble::kOrigin: return std::hypot(a, b) < m ? fmt::format("{} near the origin", name) : "";
    case Trouble::kKink: return std::fabs(a) < ma ? fmt::format("at the kink of {} (0)", name) : "";
    case Trouble::kStep: return to_step(a, 0.0) < m ? fmt::format("at a step of {}", name) : "";
    case Trouble::kHalfStep: return to_step(a, 0.5) < m ? fmt::format("at a step of {}", name) : "";
    case Trouble::kTie:
      return std::fabs(a - b) < m * std::max({1.0, std::fabs(a), std::fabs(b)})
                 ? fmt::format("at a tie or boundary of {}", name)
                 : "";
  }
  (void)y;
  return "";
}

}  // namespace

std::string point_problem(const Circuit& c, const std::vector<double>& x, double margin) {
  const Graph& g = c.graph;
  const std::vector<double> value = forward_values(g, x, c.output);
  // taken[n]: n's value reaches an output through the branches taken.
  std::vector<char> taken(at(c.output) + 1, 0);
  for (NodeId y : c.outputs) taken[at(y)] = 1;
  for (NodeId id = c.output; id >= 0; --id) {
    if (!taken[at(id)]) continue;
    const Node& n = g[id];
    if (n.op == Op::kSelect) {
      taken[at(n.args[0])] = 1;
      taken[at(n.args[value[at(n.args[0])] != 0.0 ? 1 : 2])] = 1;
      continue;
    }
    for (NodeId a : n.operands()) taken[at(a)] = 1;
  }
  for (NodeId id = 0; id <= c.output; ++id) {
    if (!taken[at(id)]) continue;
    const Node& n = g[id];
    if (g.type(id) == ValueType::kNumber && !std::isfinite(value[at(id)])) {
      return fmt::format("{} is not finite", op_info(n.op).name);
    }
    const double a = n.arity() > 0 ? value[at(n.args[0])] : 0.0;
    const double b = n.arity() > 1 ? value[at(n.args[1])] : 0.0;
    std::string problem = gate_problem(g, n, a, b, value[at(id)], margin);
    if (!problem.empty()) return problem;
  }
  return "";
}

Samples sample_points(const Circuit& c, std::mt19937_64& rng, std::size_t count,
                      const SampleOptions& options) {
  Samples samples;
  std::uniform_real_distribution<double> uniform(options.lo, options.hi);
  for (std::size_t p = 0; p < count; ++p) {
    std::string last_problem;
    bool found = false;
    for (int t = 0; t < options.tries && !found; ++t) {
      std::vector<double> x(c.inputs.size());
      for (double& v : x) v = uniform(rng);
      last_problem = point_problem(c, x, options.margin);
      if (last_problem.empty()) {
        samples.points.push_back(std::move(x));
        found = true;
      }
    }
    if (!found) {
      samples.skipped.push_back(fmt::format("no good point found in {} tries (last: {})",
                                            options.tries, last_problem));
    }
  }
  return samples;
}

}  // namespace gradgen

// Test support: compile generated headers for real and run them.
//
// run_generated() emits the header of every case, includes them all in one
// program (one compiler run for the whole table keeps the suite fast),
// compiles it with the system compiler under the contract's warning flags
// with -Werror, runs it, and returns, per case and point, the value and
// gradient the generated code computed and a central-difference gradient of
// the generated forward function. Callers compare those with the reference
// evaluator and with each other.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "compiler/compile.hpp"
#include "compiler/ir/evaluate.hpp"

namespace gradgen::testing {

struct CodeCase {
  std::string program;
  CompileOptions compile;
  EmitOptions emit;  // a case without a namespace gets one of its own
  std::vector<std::vector<double>> points;  // input values, in input order
};

struct PointResult {
  double value = 0.0;          // from NAME_grad
  double forward = 0.0;        // from NAME
  double named = 0.0;          // from the named-argument NAME(...)
  std::vector<double> grad;    // from NAME_grad
  std::vector<double> named_grad;  // from the named-argument NAME_grad(...)
  std::vector<double> numeric;  // central differences of NAME
  double jvp = 0.0;             // NAME_jvp along direction(), the forward mode
  double jvp_value = 0.0;       // the value NAME_jvp returns
};

// The direction NAME_jvp is run along: component j is direction(j).
double direction(std::size_t j);

// sum_j grad[j] * direction(j): what the forward mode must give.
double directional(const std::vector<double>& grad);

using CaseResult = std::vector<PointResult>;

// The contract's flags (shared/spec/generated-code.md).
const std::vector<std::string>& warning_flags();

// Throws std::runtime_error with the compiler's messages when the program
// does not compile or does not run.
std::vector<CaseResult> run_generated(const std::vector<CodeCase>& cases,
                                      const std::string& compiler);

// The modes beyond NAME_grad: for a case with several outputs (--output
// y1,y2), NAME(in, out), NAME_jacobian, NAME_vjp with out_bar[k] = weight(k)
// and NAME_jvp along direction(), and central differences of NAME(in, out);
// for a case with --hessian, NAME_grad, NAME_hessian, NAME_hvp along
// direction(), and central differences of NAME_grad. Each point's results
// are named arrays: "out", "jacobian", "jacobian_out", "numeric_jacobian"
// (row-major, outputs x wrt), "vjp", "vjp_out", "jvp", "jvp_out"; or "value",
// "grad", "hessian_value", "hessian_grad", "hessian", "numeric_hessian"
// (row-major), "hvp_value", "hvp".
using ModesPoint = std::map<std::string, std::vector<double>>;
std::vector<std::vector<ModesPoint>> run_modes(const std::vector<CodeCase>& cases,
                                               const std::string& compiler);

// The weight of output k in the vector-Jacobian products run_modes() takes.
double weight(std::size_t k);

// The reference evaluator on a compiled program.
Evaluation reference(const Compilation& c, const std::vector<double>& x);

// |a - b| <= rel * max(|a|, |b|) + abs, with NaNs equal to NaNs.
bool close(double a, double b, double rel, double abs);

// `count` points with every input drawn uniformly from [lo, hi].
std::vector<std::vector<double>> random_points(std::mt19937_64& rng, std::size_t inputs,
                                               std::size_t count, double lo, double hi);

}  // namespace gradgen::testing

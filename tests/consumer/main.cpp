// Uses the header generated from loss.gg, and checks its gradient with the
// installed <gradgen/check.hpp>. Prints the value at (-2, 5, -4) for
// run.sh to compare.
#include <cstdio>
#include <vector>

#include <gradgen/check.hpp>

#include "loss.hpp"
#include "loss_parts.hpp"

int main() {
  const double in[3] = {-2, 5, -4};
  double grad[3];
  const double value = demo::loss_grad(in, grad);
  std::printf("value %g\n", value);
  const auto f = [](const double* x) { return demo::loss(x); };
  const auto g = [](const double* x, double* out) { return demo::loss_grad(x, out); };
  const std::vector<std::vector<double>> points{{-2, 5, -4}, {0.5, 1.5, 2.0}};
  const gradgen::check::Report report = gradgen::check::check_gradient(f, g, points);
  std::printf("gradient check: %s\n", report.ok() ? "ok" : "MISMATCH");
  // OPTIONS --split-lines 1 reached gradgen: the gradient is in parts, and
  // computes the same.
  double parts_grad[3];
  void (*first_part)(const double*, demo::loss_parts_grad_state&) = demo::loss_parts_grad_part1;
  const bool same = first_part != nullptr && demo::loss_parts_grad(in, parts_grad) == value &&
                    parts_grad[0] == grad[0] && parts_grad[1] == grad[1] && parts_grad[2] == grad[2];
  std::printf("split gradient: %s\n", same ? "same" : "DIFFERENT");
  return report.ok() && same ? 0 : 1;
}

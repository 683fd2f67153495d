// Uses the header generated from loss.gg, and checks its gradient with the
// installed <gradgen/check.hpp>. Prints the value at (-2, 5, -4) for
// run.sh to compare.
#include <cstdio>
#include <vector>

#include <gradgen/check.hpp>

#include "loss.hpp"

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
  return report.ok() ? 0 : 1;
}

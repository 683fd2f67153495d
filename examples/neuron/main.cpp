// The guide's neuron: a = 1, b = 2, c = -3, x = -1, y = 3 gives 0.8808; the
// gradient is (-0.105, 0.315, 0.105, 0.105, 0.210) for (a, b, c, x, y); one
// step of 0.01 along it raises the output to 0.8825. The generated
// neuron_grad() must give those numbers.
#include <cmath>
#include <cstdio>

#include "neuron.hpp"

namespace {

int failures = 0;

void expect(const char* what, double got, double want) {
  const bool ok = std::fabs(got - want) < 5e-4;
  std::printf("%-8s %8.4f  (the guide: %.4f)%s\n", what, got, want, ok ? "" : "  WRONG");
  failures += ok ? 0 : 1;
}

}  // namespace

int main() {
  double a = 1, b = 2, c = -3, x = -1, y = 3;
  double da, db, dc, dx, dy;
  const double out = neuron_grad(a, b, c, x, y, da, db, dc, dx, dy);
  expect("f", out, 0.8808);
  expect("da", da, -0.105);
  expect("db", db, 0.315);
  expect("dc", dc, 0.105);
  expect("dx", dx, 0.105);
  expect("dy", dy, 0.210);

  // The inputs respond to the pull: a step of 0.01 along the gradient.
  const double step_size = 0.01;
  a += step_size * da;
  b += step_size * db;
  c += step_size * dc;
  x += step_size * dx;
  y += step_size * dy;
  expect("f after", neuron(a, b, c, x, y), 0.8825);
  return failures == 0 ? 0 : 1;
}

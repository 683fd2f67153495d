// The Jacobian of ADBench's bundle-adjustment residual for one observation,
// from ba_jacobian (generated from ba_residual.gg at build time), against
// central differences of ba(in, out), at a rotated camera and at one that is
// not rotated (the Rodrigues rotation's small-angle branch).
#include <cmath>
#include <cstdio>

#include "ba.hpp"

namespace {

constexpr int kInputs = 17;   // cam[11], X[3], w, feat[2]: ba_input_arrays
constexpr int kWrt = 15;      // cam, X, w: ba_wrt
constexpr int kOutputs = 2;   // err[0], err[1]: ba_outputs
static_assert(ba_inputs.size() == kInputs && ba_wrt.size() == kWrt && ba_outputs.size() == kOutputs);

bool check(const char* what, const double (&in)[kInputs]) {
  double out[kOutputs], jac[kOutputs * kWrt];
  ba_jacobian(in, out, jac);
  std::printf("%s: err = (%.6f, %.6f)\n", what, out[0], out[1]);
  bool ok = true;
  for (int j = 0; j < kWrt; ++j) {
    double plus[kInputs], minus[kInputs];
    for (int i = 0; i < kInputs; ++i) plus[i] = minus[i] = in[i];
    const double h = 1e-6 * std::fmax(1.0, std::fabs(in[j]));
    plus[j] += h;
    minus[j] -= h;
    double up[kOutputs], down[kOutputs];
    ba(plus, up);
    ba(minus, down);
    for (int k = 0; k < kOutputs; ++k) {
      const double numeric = (up[k] - down[k]) / (2 * h);
      const double analytic = jac[k * kWrt + j];
      if (std::fabs(numeric - analytic) > 1e-6 * std::fmax(1.0, std::fabs(analytic))) {
        std::printf("  d err[%d] / d %.*s: %.9g, numerically %.9g\n", k, static_cast<int>(ba_wrt[j].size()), ba_wrt[j].data(), analytic,
                    numeric);
        ok = false;
      }
    }
  }
  std::printf("  d err[0] / d cam[6] (focal length) = %.6f, d err[1] / d X[2] = %.6f: %s\n", jac[6],
              jac[kWrt + 13], ok ? "the Jacobian matches central differences" : "MISMATCH");
  return ok;
}

}  // namespace

int main() {
  // cam: rotation, centre, focal length, principal point, radial distortion.
  const double rotated[kInputs] = {0.1, -0.2, 0.05, 0.3, -0.1, -6.0, 1.5, 0.01, -0.02, 0.05, 0.002,
                                   0.4, 0.7, 1.2, 0.417022, 0.12, 0.25};
  double straight[kInputs];
  for (int i = 0; i < kInputs; ++i) straight[i] = rotated[i];
  straight[0] = straight[1] = straight[2] = 0.0;  // no rotation: the small-angle branch
  const bool a = check("rotated camera", rotated);
  const bool b = check("camera without rotation", straight);
  return a && b ? 0 : 1;
}

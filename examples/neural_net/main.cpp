// Chapter 2's neural network, trained on generated gradients.
//
// Part 1 is the guide's: 3 ReLU neurons on the SVM's six points, parameters
// drawn from [-0.5, 0.5], step size 0.01, and the hinge loss with the
// regularisation pull; its backward pass is what the guide writes by hand
// (see README.md), generated from net3.gg. Part 2 is wider: 16 ReLU units on
// 200 points on two circles the example draws, which no linear classifier
// can separate. Both must classify their training data: all six points, and
// at least 95% of the circles.
#include <cmath>
#include <cstdio>
#include <random>

#include "net16_loss.hpp"
#include "net3_loss.hpp"

namespace {

// A uniform number in [lo, hi) from the generator's raw output, so that the
// example gives the same numbers with every standard library.
double uniform(std::mt19937& rng, double lo, double hi) {
  return lo + (hi - lo) * static_cast<double>(rng()) / 4294967296.0;
}

constexpr int kParams3 = 13;  // net3_loss_wrt: a1 b1 c1 a2 b2 c2 a3 b3 c3 a4 b4 c4 d4

double score3(const double* p, double x, double y) {
  const double n1 = std::fmax(0.0, p[0] * x + p[1] * y + p[2]);
  const double n2 = std::fmax(0.0, p[3] * x + p[4] * y + p[5]);
  const double n3 = std::fmax(0.0, p[6] * x + p[7] * y + p[8]);
  return p[9] * n1 + p[10] * n2 + p[11] * n3 + p[12];
}

bool guide_network() {
  const double data[6][2] = {{1.2, 0.7}, {-0.3, -0.5}, {3.0, 0.1}, {-0.1, -1.0}, {-1.0, 1.1}, {2.1, -3}};
  const double labels[6] = {1, -1, 1, -1, -1, 1};
  std::mt19937 rng(7);
  double in[kParams3 + 3];
  for (int j = 0; j < kParams3; ++j) in[j] = uniform(rng, -0.5, 0.5);
  const auto accuracy = [&] {
    int correct = 0;
    for (int i = 0; i < 6; ++i) correct += (score3(in, data[i][0], data[i][1]) > 0 ? 1 : -1) == labels[i];
    return correct / 6.0;
  };
  // The guide's step size; training stops at the first check (every 250
  // iterations) where every point is classified right, as one would stop
  // it by hand, with at most 10000 iterations.
  const double step_size = 0.01;
  for (int iter = 0; iter < 10000; ++iter) {
    const int i = static_cast<int>(rng() % 6);
    in[kParams3] = data[i][0];
    in[kParams3 + 1] = data[i][1];
    in[kParams3 + 2] = labels[i];
    double grad[kParams3];
    net3_loss_grad(in, grad);
    for (int j = 0; j < kParams3; ++j) in[j] -= step_size * grad[j];
    if (iter % 250 == 0) {
      std::printf("3 neurons: training accuracy at iteration %d: %g\n", iter, accuracy());
      if (accuracy() == 1.0) break;
    }
  }
  std::printf("3 neurons: final training accuracy %g\n", accuracy());
  return accuracy() == 1.0;
}

constexpr int kUnits = 16;
constexpr int kParams16 = 4 * kUnits + 1;  // W[16][2], b[16], v[16], c (net16_loss_input_arrays)
static_assert(net16_loss_input_arrays[3].name == "c" && net16_loss_input_arrays[3].offset == kParams16 - 1);

double score16(const double* p, double x, double y) {
  const double* W = p;
  const double* b = p + 2 * kUnits;
  const double* v = p + 3 * kUnits;
  double s = p[4 * kUnits];
  for (int u = 0; u < kUnits; ++u) s += v[u] * std::fmax(0.0, W[2 * u] * x + W[2 * u + 1] * y + b[u]);
  return s;
}

bool circles() {
  // 100 points inside radius 0.5 (label +1) and 100 on a ring from 0.9 to 1.3 (-1).
  constexpr int kPoints = 200;
  double xs[kPoints], ys[kPoints], labels[kPoints];
  std::mt19937 rng(11);
  for (int i = 0; i < kPoints; ++i) {
    const bool inner = i % 2 == 0;
    const double r = inner ? uniform(rng, 0.0, 0.5) : uniform(rng, 0.9, 1.3);
    const double t = uniform(rng, 0.0, 6.283185307179586);
    xs[i] = r * std::cos(t);
    ys[i] = r * std::sin(t);
    labels[i] = inner ? 1 : -1;
  }
  double in[kParams16 + 3];
  for (int j = 0; j < kParams16; ++j) in[j] = uniform(rng, -0.5, 0.5);
  const auto accuracy = [&] {
    int correct = 0;
    for (int i = 0; i < kPoints; ++i) correct += (score16(in, xs[i], ys[i]) > 0 ? 1 : -1) == labels[i];
    return static_cast<double>(correct) / kPoints;
  };
  const double step_size = 0.02;
  for (int iter = 0; iter < 40000; ++iter) {
    const int i = static_cast<int>(rng() % kPoints);
    in[kParams16] = xs[i];
    in[kParams16 + 1] = ys[i];
    in[kParams16 + 2] = labels[i];
    double grad[kParams16];
    net16_loss_grad(in, grad);
    for (int j = 0; j < kParams16; ++j) in[j] -= step_size * grad[j];
    if (iter % 5000 == 0) std::printf("2-16-1 on circles: training accuracy at iteration %d: %g\n", iter, accuracy());
  }
  std::printf("2-16-1 on circles: final training accuracy %g\n", accuracy());
  return accuracy() >= 0.95;
}

}  // namespace

int main() {
  const bool small = guide_network();
  const bool wide = circles();
  return small && wide ? 0 : 1;
}

// Softmax regression on three clusters of 2-D points, trained by stochastic
// gradient descent with the gradient gradgen generated from softmax_loss.gg.
// The loss's gradient with respect to a score is softmax - one-hot: the
// generated backward pass derives it through max, exp and log.
#include <cmath>
#include <cstdio>
#include <random>

#include "softmax_loss.hpp"

namespace {

double uniform(std::mt19937& rng, double lo, double hi) {
  return lo + (hi - lo) * static_cast<double>(rng()) / 4294967296.0;
}

constexpr int kParams = 9;  // softmax_loss_wrt: W[3][2], then b[3]

int predict(const double* p, double x, double y) {
  int best = 0;
  double best_score = -1e300;
  for (int k = 0; k < 3; ++k) {
    const double s = p[2 * k] * x + p[2 * k + 1] * y + p[6 + k];
    if (s > best_score) {
      best_score = s;
      best = k;
    }
  }
  return best;
}

}  // namespace

int main() {
  // 50 points around each of three centres.
  constexpr int kPoints = 150;
  const double centres[3][2] = {{-1.0, 0.0}, {1.0, 0.6}, {0.2, -1.3}};
  double xs[kPoints], ys[kPoints];
  int classes[kPoints];
  std::mt19937 rng(5);
  for (int i = 0; i < kPoints; ++i) {
    classes[i] = i % 3;
    xs[i] = centres[classes[i]][0] + uniform(rng, -0.6, 0.6);
    ys[i] = centres[classes[i]][1] + uniform(rng, -0.6, 0.6);
  }
  double in[kParams + 5] = {};
  for (int j = 0; j < kParams; ++j) in[j] = uniform(rng, -0.1, 0.1);
  const auto accuracy = [&] {
    int correct = 0;
    for (int i = 0; i < kPoints; ++i) correct += predict(in, xs[i], ys[i]) == classes[i];
    return static_cast<double>(correct) / kPoints;
  };
  const double step_size = 0.05;
  double loss = 0.0;
  for (int iter = 0; iter < 6000; ++iter) {
    const int i = static_cast<int>(rng() % kPoints);
    in[kParams] = xs[i];
    in[kParams + 1] = ys[i];
    for (int k = 0; k < 3; ++k) in[kParams + 2 + k] = classes[i] == k ? 1.0 : 0.0;
    double grad[kParams];
    loss = 0.99 * loss + 0.01 * softmax_loss_grad(in, grad);
    for (int j = 0; j < kParams; ++j) in[j] -= step_size * grad[j];
    if (iter % 1000 == 0) std::printf("iteration %d: training accuracy %g, average loss %.4f\n", iter, accuracy(), loss);
  }
  std::printf("final training accuracy %g\n", accuracy());
  return accuracy() >= 0.95 ? 0 : 1;
}

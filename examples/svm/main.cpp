// The guide's SVM: the same data, initial parameters, step size and number
// of iterations; the gradient of the loss comes from svm_loss.hpp, which
// gradgen generates at build time. The guide pulls on the score with +1/-1
// and adds -a, -b for the regularisation; that is exactly minus the gradient
// of the hinge loss plus 0.5 (a^2 + b^2), so descending it is the same step.
#include <cstdio>
#include <random>

#include "svm_dataset.hpp"
#include "svm_loss.hpp"

namespace {

const double kData[6][2] = {{1.2, 0.7}, {-0.3, -0.5}, {3.0, 0.1}, {-0.1, -1.0}, {-1.0, 1.1}, {2.1, -3}};
const double kLabels[6] = {1, -1, 1, -1, -1, 1};

double accuracy(double a, double b, double c) {
  int correct = 0;
  for (int i = 0; i < 6; ++i) {
    const double score = a * kData[i][0] + b * kData[i][1] + c;
    correct += (score > 0 ? 1 : -1) == kLabels[i];
  }
  return correct / 6.0;
}

// Part 2: the loss over the whole dataset (svm_dataset.gg, a loop over the
// points), descended by full-batch gradient descent from the same start.
bool full_batch() {
  double a = 1, b = -2, c = -1;
  for (int iter = 0; iter < 1000; ++iter) {
    double da, db, dc;
    const double loss = svm_dataset_grad(a, b, c, da, db, dc);
    a -= 0.01 * da;
    b -= 0.01 * db;
    c -= 0.01 * dc;
    if (accuracy(a, b, c) == 1.0) {
      std::printf("full batch: 100%% training accuracy at iteration %d (loss %.4f)\n", iter, loss);
      return true;
    }
  }
  std::printf("full batch: training accuracy %g after 1000 iterations\n", accuracy(a, b, c));
  return false;
}

}  // namespace

int main() {
  const bool batch = full_batch();
  double a = 1, b = -2, c = -1;  // the guide's initial parameters
  std::mt19937 rng(1);           // the guide's Math.random, made repeatable
  const double step_size = 0.01;
  // The guide reaches 100% after about 300 of its 400 iterations; how many
  // it takes depends on the random order of the points, so this runs 1000.
  const int kIterations = 1000;
  for (int iter = 0; iter < kIterations; ++iter) {
    const int i = static_cast<int>(rng() % 6);
    double da, db, dc;  // svm_loss_wrt is {a, b, c}
    svm_loss_grad(a, b, c, kData[i][0], kData[i][1], kLabels[i], da, db, dc);
    a -= step_size * da;
    b -= step_size * db;
    c -= step_size * dc;
    if (iter % 25 == 0) std::printf("training accuracy at iteration %d: %g\n", iter, accuracy(a, b, c));
  }
  const double final_accuracy = accuracy(a, b, c);
  std::printf("final: a = %.4f, b = %.4f, c = %.4f, training accuracy %g\n", a, b, c, final_accuracy);
  return final_accuracy == 1.0 && batch ? 0 : 1;
}

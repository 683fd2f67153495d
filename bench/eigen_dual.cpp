// Forward-mode dual numbers, the peer of the performance issue ("gradient
// never slower than forward-mode dual numbers"): Eigen's AutoDiffScalar
// (unsupported/Eigen/AutoDiff) as a user of Eigen writes it, one dual number
// per input with a derivative vector as long as the gradient.
//
// The programs are gradgen's own forward passes, made templates over the
// scalar type at build time by bench/dual.cmake (<program>_dual.hpp), so
// they cannot drift from bench/programs/*.gg.
#include "eigen_dual.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <string_view>

#include <Eigen/Core>
#include <unsupported/Eigen/AutoDiff>

namespace eigen_dual {

// gradgen's helpers (compiler/emitted_helpers.hpp) that the suite uses, for
// any scalar type: the same arrangement, with exp found by argument-dependent
// lookup. The forward passes call them unqualified.
template <class T>
T sigmoid(const T& x) {
  using std::exp;
  if (x >= 0.0) return 1.0 / (1.0 + exp(-x));
  const T e = exp(x);
  return e / (1.0 + e);
}

}  // namespace eigen_dual

#include "chain200_dual.hpp"
#include "chain25_dual.hpp"
#include "mlp_dual.hpp"
#include "net3_dual.hpp"
#include "neuron_dual.hpp"
#include "ninja_div_dual.hpp"
#include "ninja_pow_dual.hpp"
#include "rosenbrock50_dual.hpp"
#include "svm6_dual.hpp"

namespace eigen_dual {
namespace {

// Each input's grad[] entry, or -1 for an input the gradient is not taken
// with respect to (net3's data point and label).
template <std::size_t N, std::size_t M>
constexpr std::array<int, N> slots(const std::array<std::string_view, N>& inputs,
                                   const std::array<std::string_view, M>& wrt) {
  std::array<int, N> slot{};
  for (std::size_t i = 0; i < N; ++i) {
    slot[i] = -1;
    for (std::size_t j = 0; j < M; ++j) {
      if (inputs[i] == wrt[j]) slot[i] = static_cast<int>(j);
    }
  }
  return slot;
}

// The program on dual numbers: input i is the dual number of value in[i]
// whose derivatives are the unit vector of its grad[] entry (zero for an
// input not differentiated); the result's derivatives are the gradient.
// slot is a template argument so that every seed is a constant wherever the
// compiler puts the program: a seed written at an index known only at run
// time made ninja_pow 20 times slower (a store the vector loads that follow
// cannot forward from).
template <class Derivatives, const auto& slot, class Program>
double value_and_grad(const double* in, double* grad, Program program) {
  using Dual = Eigen::AutoDiffScalar<Derivatives>;
  constexpr int wrt = Derivatives::RowsAtCompileTime;
  const Dual y = program([in](int i) { return slot[i] < 0 ? Dual(in[i]) : Dual(in[i], wrt, slot[i]); });
  for (int j = 0; j < wrt; ++j) grad[j] = y.derivatives()[j];
  return y.value();
}

}  // namespace

// Derivative vectors of fixed size, Eigen::Matrix<double, M, 1> with M the
// number of grad[] entries, for every program: mlp (M = 102) and rosenbrock50
// (M = 50) too, where Eigen::VectorXd is the usual choice, because fixed size
// is the faster of the two there (CPU time per call: mlp 5 us against 7.7 us,
// rosenbrock50 5 us against 13-16 us; VectorXd allocates every intermediate's
// derivatives) and this file still compiles in about 15 s.
#define GRADGEN_BENCH_DUAL(ns)                                                                        \
  constexpr auto ns##_slot = slots(ns::f_inputs, ns::f_wrt);                                         \
  double ns##_grad(const double* in, double* grad) {                                                 \
    using Derivatives = Eigen::Matrix<double, static_cast<int>(ns::f_wrt.size()), 1>;                \
    return value_and_grad<Derivatives, ns##_slot>(                                                   \
        in, grad, [](const auto& input) { return ns::f<decltype(input(0))>(input); });               \
  }

GRADGEN_BENCH_DUAL(ninja_pow)
GRADGEN_BENCH_DUAL(ninja_div)
GRADGEN_BENCH_DUAL(neuron)
GRADGEN_BENCH_DUAL(net3)
GRADGEN_BENCH_DUAL(svm6)
GRADGEN_BENCH_DUAL(mlp)
GRADGEN_BENCH_DUAL(rosenbrock50)
GRADGEN_BENCH_DUAL(chain200)
GRADGEN_BENCH_DUAL(chain25)

}  // namespace eigen_dual

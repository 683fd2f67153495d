#include "suite.hpp"

#include "chain200.hpp"
#include "chain25.hpp"
#include "mlp.hpp"
#include "net3.hpp"
#include "neuron.hpp"
#include "ninja.hpp"
#include "ninja_div.hpp"
#include "ninja_pow.hpp"
#include "rosenbrock50.hpp"
#include "svm6.hpp"

#ifdef GRADGEN_BENCH_EIGEN
#include "eigen_dual.hpp"
#define GRADGEN_BENCH_DUAL(ns) eigen_dual::ns##_grad
#else
#define GRADGEN_BENCH_DUAL(ns) nullptr
#endif

namespace bench {
namespace {

// A point with every input at 0.3 + 0.1 * (i % 7), then `fix` applied.
template <class Fix>
std::vector<double> point(std::size_t n, Fix fix) {
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = 0.3 + 0.1 * static_cast<double>(i % 7);
  fix(x);
  return x;
}

const auto kNothing = [](std::vector<double>&) {};
// The guide's initial SVM parameters a = 1, b = -2, c = -1.
const auto kSvmStart = [](std::vector<double>& x) {
  x[0] = 1.0;
  x[1] = -2.0;
  x[2] = -1.0;
};

}  // namespace

#define GRADGEN_BENCH_PROGRAM(ns, ninja_fn, fix)                                                \
  Program {                                                                                     \
    #ns, ns::f_inputs.size(), ns::f_wrt.size(), [](const double* in) { return ns::f(in); },    \
        [](const double* in, double* g) { return ns::f_grad(in, g); }, ninja_fn,                \
        GRADGEN_BENCH_DUAL(ns),                                                                 \
        [](std::size_t n, const double* in, double* out, double* g) { ns::f_grad_batch(n, in, out, g); }, \
        point(ns::f_inputs.size(), fix)                                                         \
  }

const std::vector<Program>& programs() {
  static const std::vector<Program> all{
      GRADGEN_BENCH_PROGRAM(ninja_pow, ninja::pow_grad, kNothing),
      GRADGEN_BENCH_PROGRAM(ninja_div, ninja::div_grad, kNothing),
      GRADGEN_BENCH_PROGRAM(neuron, ninja::neuron_grad, kNothing),
      GRADGEN_BENCH_PROGRAM(net3, ninja::net3_grad,
                            [](std::vector<double>& x) {
                              x[13] = 1.2;   // the data point
                              x[14] = 0.7;
                              x[15] = 1.0;   // its label: +1, so that the hinge is active
                              x[12] = -0.5;  // d4
                            }),
      GRADGEN_BENCH_PROGRAM(svm6, ninja::svm6_grad, kSvmStart),
      GRADGEN_BENCH_PROGRAM(mlp, nullptr, kNothing),
      GRADGEN_BENCH_PROGRAM(rosenbrock50, nullptr, kNothing),
      GRADGEN_BENCH_PROGRAM(chain200, nullptr, kNothing),
      GRADGEN_BENCH_PROGRAM(chain25, nullptr, [](std::vector<double>& x) { x[0] = 0.01; }),
  };
  return all;
}

}  // namespace bench

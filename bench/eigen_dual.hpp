// The dual-number peer: each suite program's value and gradient in forward
// mode, with Eigen's AutoDiffScalar. Same signature and grad[] order as the
// generated NAME_grad. Defined in eigen_dual.cpp, a translation unit of its
// own, built only when CMake finds Eigen 3 (GRADGEN_BENCH_EIGEN).
#pragma once

namespace eigen_dual {

double ninja_pow_grad(const double* in, double* grad);
double ninja_div_grad(const double* in, double* grad);
double neuron_grad(const double* in, double* grad);
double net3_grad(const double* in, double* grad);
double svm6_grad(const double* in, double* grad);
double mlp_grad(const double* in, double* grad);
double rosenbrock50_grad(const double* in, double* grad);
double chain200_grad(const double* in, double* grad);
double chain25_grad(const double* in, double* grad);

}  // namespace eigen_dual

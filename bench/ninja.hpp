// Hand-written gradients in the guide's "backprop ninja" style, for the
// benchmark's baseline: what a careful person writes for the guide's
// examples. Each returns the value and fills grad[] in the same order as the
// generated NAME_grad. Defined in ninja.cpp, a translation unit of its own.
#pragma once

namespace ninja {

double pow_grad(const double* in, double* grad);      // pow((a*b + c)*d, 2); a b c d
double div_grad(const double* in, double* grad);      // (a + b)/(c + d); a b c d
double neuron_grad(const double* in, double* grad);   // sig(a*x + b*y + c); a b c x y
double net3_grad(const double* in, double* grad);     // examples/neural_net/net3.gg; 13 parameters
double svm6_grad(const double* in, double* grad);     // bench/programs/svm6.gg; a b c

}  // namespace ninja

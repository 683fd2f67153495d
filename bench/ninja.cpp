#include "ninja.hpp"

#include <cmath>

namespace ninja {

double pow_grad(const double* in, double* grad) {
  const double a = in[0], b = in[1], c = in[2], d = in[3];
  const double x = a * b + c;
  const double y = x * d;
  const double f = y * y;
  const double dy = 2 * y;  // df = 1
  const double dx = d * dy;
  grad[3] = x * dy;
  grad[0] = b * dx;
  grad[1] = a * dx;
  grad[2] = dx;
  return f;
}

double div_grad(const double* in, double* grad) {
  const double a = in[0], b = in[1], c = in[2], d = in[3];
  const double x1 = a + b;
  const double x2 = c + d;
  const double x3 = 1.0 / x2;
  const double f = x1 * x3;
  const double dx1 = x3;  // df = 1
  const double dx3 = x1;
  const double dx2 = (-1.0 / (x2 * x2)) * dx3;
  grad[0] = dx1;
  grad[1] = dx1;
  grad[2] = dx2;
  grad[3] = dx2;
  return f;
}

double neuron_grad(const double* in, double* grad) {
  const double a = in[0], b = in[1], c = in[2], x = in[3], y = in[4];
  const double q = a * x + b * y + c;
  const double f = 1.0 / (1.0 + std::exp(-q));
  const double dq = f * (1.0 - f);  // df = 1
  grad[0] = x * dq;
  grad[1] = y * dq;
  grad[2] = dq;
  grad[3] = a * dq;
  grad[4] = b * dq;
  return f;
}

double net3_grad(const double* in, double* grad) {
  const double a1 = in[0], b1 = in[1], c1 = in[2], a2 = in[3], b2 = in[4], c2 = in[5];
  const double a3 = in[6], b3 = in[7], c3 = in[8], a4 = in[9], b4 = in[10], c4 = in[11], d4 = in[12];
  const double x = in[13], y = in[14], label = in[15];
  const double n1 = std::fmax(0.0, a1 * x + b1 * y + c1);
  const double n2 = std::fmax(0.0, a2 * x + b2 * y + c2);
  const double n3 = std::fmax(0.0, a3 * x + b3 * y + c3);
  const double score = a4 * n1 + b4 * n2 + c4 * n3 + d4;
  const double margin = 1.0 - label * score;
  const double hinge = margin > 0.0 ? margin : 0.0;
  const double spring = 0.5 * (a1 * a1 + b1 * b1 + a2 * a2 + b2 * b2 + a3 * a3 + b3 * b3 + a4 * a4 +
                               b4 * b4 + c4 * c4);
  // the guide's pull, as a gradient to descend
  const double dscore = margin > 0.0 ? -label : 0.0;
  const double dn1 = n1 > 0.0 ? a4 * dscore : 0.0;
  const double dn2 = n2 > 0.0 ? b4 * dscore : 0.0;
  const double dn3 = n3 > 0.0 ? c4 * dscore : 0.0;
  grad[0] = x * dn1 + a1;
  grad[1] = y * dn1 + b1;
  grad[2] = dn1;
  grad[3] = x * dn2 + a2;
  grad[4] = y * dn2 + b2;
  grad[5] = dn2;
  grad[6] = x * dn3 + a3;
  grad[7] = y * dn3 + b3;
  grad[8] = dn3;
  grad[9] = n1 * dscore + a4;
  grad[10] = n2 * dscore + b4;
  grad[11] = n3 * dscore + c4;
  grad[12] = dscore;
  return hinge + spring;
}

double svm6_grad(const double* in, double* grad) {
  static const double data[6][3] = {{1.2, 0.7, 1}, {-0.3, -0.5, -1}, {3.0, 0.1, 1},
                                    {-0.1, -1.0, -1}, {-1.0, 1.1, -1}, {2.1, -3, 1}};
  const double a = in[0], b = in[1], c = in[2];
  double loss = 0.5 * (a * a + b * b);
  double da = a, db = b, dc = 0.0;
  for (const auto& p : data) {
    const double margin = 1.0 - p[2] * (a * p[0] + b * p[1] + c);
    if (margin > 0.0) {
      loss += margin;
      da -= p[2] * p[0];
      db -= p[2] * p[1];
      dc -= p[2];
    }
  }
  grad[0] = da;
  grad[1] = db;
  grad[2] = dc;
  return loss;
}

}  // namespace ninja

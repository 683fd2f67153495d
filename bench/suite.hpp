// The benchmark suite's programs: gradgen's generated functions (generated
// at build time from bench/programs/*.gg, compiled in suite.cpp, a
// translation unit of their own), for the guide's examples the hand-written
// ninja gradients (ninja.cpp), and when Eigen is there forward-mode dual
// numbers with Eigen's AutoDiffScalar (eigen_dual.cpp). Everything is called
// through function pointers, so no peer is inlined into the timing loop.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace bench {

struct Program {
  std::string name;
  std::size_t inputs = 0;  // in[] entries
  std::size_t wrt = 0;     // grad[] entries
  double (*value)(const double*) = nullptr;
  double (*grad)(const double*, double*) = nullptr;
  double (*ninja)(const double*, double*) = nullptr;  // hand-written, for the guide's examples
  double (*dual)(const double*, double*) = nullptr;   // Eigen's dual numbers (eigen_dual.hpp), if built
  // NAME_grad_batch over n points in structure-of-arrays layout.
  void (*grad_batch)(std::size_t, const double*, double*, double*) = nullptr;
  std::vector<double> point;  // where to evaluate: finite, away from kinks
};

const std::vector<Program>& programs();

}  // namespace bench

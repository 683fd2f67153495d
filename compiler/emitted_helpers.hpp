// gradgen's helpers for the functions C++ lacks (sigmoid, softplus, sign),
// shared by every gradgen header; the guard lets any number of headers be
// included together. (In gradgen's sources, compiler/emitted_helpers.hpp:
// the build embeds it verbatim and the reference evaluator includes it, so
// both compute the same values.)
#ifndef GRADGEN_HELPERS_V1
#define GRADGEN_HELPERS_V1
namespace gradgen {

// sigmoid(x) = 1 / (1 + exp(-x)), arranged so that exp never overflows.
template <class T>
inline T sigmoid(T x) {
  if (x >= T(0)) return T(1) / (T(1) + std::exp(-x));
  const T e = std::exp(x);
  return e / (T(1) + e);
}

// softplus(x) = log(1 + exp(x)), arranged so that exp never overflows.
template <class T>
inline T softplus(T x) {
  if (x > T(0)) return x + std::log1p(std::exp(-x));
  return std::log1p(std::exp(x));
}

// sign(x) is -1, 0 or 1; sign(-0) is -0 and sign(NaN) is NaN.
template <class T>
inline T sign(T x) {
  if (x > T(0)) return T(1);
  if (x < T(0)) return T(-1);
  return x;
}

}  // namespace gradgen
#endif  // GRADGEN_HELPERS_V1

// logaddexp(a, b) = log(exp(a) + exp(b)), arranged so that exp never
// overflows: the larger plus log1p(exp(-|a - b|)). Equal arguments (also
// both infinite) give a + log(2); a NaN gives NaN.
#ifndef GRADGEN_HELPER_LOGADDEXP
#define GRADGEN_HELPER_LOGADDEXP
namespace gradgen {
template <class T>
inline T logaddexp(T a, T b) {
  if (a == b) return a + T(0.693147180559945309417232121458176568L);
  const T larger = a > b ? a : b;
  return larger + std::log1p(std::exp(-std::fabs(a - b)));
}
}  // namespace gradgen
#endif  // GRADGEN_HELPER_LOGADDEXP

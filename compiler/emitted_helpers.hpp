// Helpers that generated headers use for the functions C++ lacks. The build
// embeds this file's text verbatim in every generated header (see
// CMakeLists.txt), and the compiler's reference evaluator includes it, so the
// two compute the same values by construction. The include guard lets any
// number of generated headers share one copy in a translation unit.
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

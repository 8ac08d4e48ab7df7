// Reference arithmetic for the tests of onnxruntime's com.microsoft quantized operators: quantization written
// out plainly in double (round half to even, saturate), and deterministic 8-bit test data. Most tests use scales
// that are powers of two, so float kernels and these double references round the same values.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace onyx::test::qref {

inline constexpr const char* kMs = "com.microsoft";

template <typename T>
T Quantize(double v, double scale, int zp) {
  const double q = std::nearbyint(v / scale) + zp;
  return static_cast<T>(std::clamp(q, static_cast<double>(std::numeric_limits<T>::min()),
                                   static_cast<double>(std::numeric_limits<T>::max())));
}

// n values spread over the whole 8-bit range in a scrambled order.
template <typename T>
std::vector<T> Data(int n, int seed) {
  std::vector<T> out(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const int v = (i * 97 + seed * 31 + (i * i) % 13) % 256;
    out[static_cast<size_t>(i)] = static_cast<T>(v + std::numeric_limits<T>::min());
  }
  return out;
}

}  // namespace onyx::test::qref

// Checked size arithmetic: every size that comes from a file or an API argument goes through these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

namespace onyx {

// Returns false (leaving *out unspecified) when a*b overflows int64 or either factor is negative.
inline bool CheckedMul(int64_t a, int64_t b, int64_t* out) {
  if (a < 0 || b < 0) return false;
  return !__builtin_mul_overflow(a, b, out);
}
inline bool CheckedAdd(int64_t a, int64_t b, int64_t* out) { return !__builtin_add_overflow(a, b, out); }

inline bool CheckedMulSize(size_t a, size_t b, size_t* out) { return !__builtin_mul_overflow(a, b, out); }

// Product of dims; false when a dim is negative or the product overflows.
inline bool CheckedElementCount(std::span<const int64_t> dims, int64_t* out) {
  int64_t n = 1;
  for (int64_t d : dims) {
    if (!CheckedMul(n, d, &n)) return false;
  }
  *out = n;
  return true;
}

// Largest tensor we agree to allocate: guards against absurd dims declared by a file.
inline constexpr int64_t kMaxTensorBytes = int64_t{1} << 40;

}  // namespace onyx

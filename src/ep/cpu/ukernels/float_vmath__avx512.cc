// float_vmath.h with 512-bit vectors (this file alone is compiled with AVX-512 enabled; see CMakeLists.txt).
#include <immintrin.h>

#include "ep/cpu/ukernels/float_vmath_impl.h"

#if !defined(__AVX512F__)
#error "float_vmath__avx512.cc must be compiled with AVX-512 enabled"
#endif

namespace onyx::cpu::vmath {
namespace {
struct Lanes16 {
  typedef float V __attribute__((vector_size(64)));
  typedef int32_t I __attribute__((vector_size(64)));
  static constexpr int kLanes = 16;
  static V LoadTail(const float* p, int64_t n, float fill) {
    return (V)_mm512_mask_loadu_ps(_mm512_set1_ps(fill), static_cast<__mmask16>((1u << n) - 1), p);
  }
  static void StoreTail(float* p, V v, int64_t n) {
    _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << n) - 1), (__m512)v);
  }
  static bool Any(I m) { return _mm512_test_epi32_mask((__m512i)m, (__m512i)m) != 0; }
};
}  // namespace

const Table& TableAvx512() {
  static const Table table = impl::Math<Lanes16>::MakeTable("avx512");
  return table;
}

}  // namespace onyx::cpu::vmath

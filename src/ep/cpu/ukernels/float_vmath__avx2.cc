// float_vmath.h with 256-bit vectors and FMA (this file is compiled for x86-64-v3; called only after cpu::HasAvx2()).
#include <immintrin.h>

#include "ep/cpu/ukernels/float_vmath_impl.h"

#if !defined(__AVX2__) || !defined(__FMA__)
#error "float_vmath__avx2.cc must be compiled with AVX2 and FMA enabled"
#endif

namespace onyx::cpu::vmath {
namespace {
struct Lanes8 {
  typedef float V __attribute__((vector_size(32)));
  typedef int32_t I __attribute__((vector_size(32)));
  static constexpr int kLanes = 8;
  static __m256i Mask(int64_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static V LoadTail(const float* p, int64_t n, float fill) {
    const __m256i m = Mask(n);
    return (V)_mm256_blendv_ps(_mm256_set1_ps(fill), _mm256_maskload_ps(p, m), _mm256_castsi256_ps(m));
  }
  static void StoreTail(float* p, V v, int64_t n) { _mm256_maskstore_ps(p, Mask(n), (__m256)v); }
  static bool Any(I m) { return _mm256_movemask_ps((__m256)m) != 0; }
};
}  // namespace

const Table& TableAvx2() {
  static const Table table = impl::Math<Lanes8>::MakeTable("avx2");
  return table;
}

}  // namespace onyx::cpu::vmath

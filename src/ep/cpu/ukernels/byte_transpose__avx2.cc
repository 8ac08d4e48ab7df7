// The AVX2 build of the 8-bit GEMM's byte transposition (byte_transpose.h): 16 rows x 32 columns per block, each
// 128-bit lane of a register holding its own 16 x 16 block. Compiled for x86-64-v3.
#include "ep/cpu/ukernels/byte_transpose.h"

namespace onyx::cpu::ukernels {
namespace {

struct Lanes256 {
  using V = __m256i;
  static V Load(const uint8_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
  static V Set1(uint8_t v) { return _mm256_set1_epi8(static_cast<char>(v)); }
  static V Xor(V a, V b) { return _mm256_xor_si256(a, b); }
  static V Lo8(V a, V b) { return _mm256_unpacklo_epi8(a, b); }
  static V Hi8(V a, V b) { return _mm256_unpackhi_epi8(a, b); }
  static V Lo16(V a, V b) { return _mm256_unpacklo_epi16(a, b); }
  static V Hi16(V a, V b) { return _mm256_unpackhi_epi16(a, b); }
  static V Lo32(V a, V b) { return _mm256_unpacklo_epi32(a, b); }
  static V Hi32(V a, V b) { return _mm256_unpackhi_epi32(a, b); }
  static V Lo64(V a, V b) { return _mm256_unpacklo_epi64(a, b); }
  static V Hi64(V a, V b) { return _mm256_unpackhi_epi64(a, b); }
  static void Store(V v, uint8_t* dst, int64_t dst_stride, int col) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + col * dst_stride), _mm256_castsi256_si128(v));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + (col + 16) * dst_stride), _mm256_extracti128_si256(v, 1));
  }
};

}  // namespace

int64_t TransposeBytesAvx2(const uint8_t* src, int64_t src_stride, int64_t rows, int64_t cols, uint8_t* dst,
                           int64_t dst_stride, uint8_t flip) {
  int64_t c0 = 0;
  for (; c0 + 32 <= cols; c0 += 32) {
    for (int64_t r = 0; r < rows; r += 16) {
      TransposeBlock<Lanes256>(src + r * src_stride + c0, src_stride, dst + c0 * dst_stride + r, dst_stride,
                               Lanes256::Set1(flip));
    }
  }
  return c0;
}

}  // namespace onyx::cpu::ukernels

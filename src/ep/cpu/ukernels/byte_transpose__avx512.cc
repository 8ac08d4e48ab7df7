// The AVX-512 build of the 8-bit GEMM's byte transposition (byte_transpose.h): 16 rows x 64 columns per block, each
// 128-bit lane of a register holding its own 16 x 16 block, so the four unpacking rounds take half the shuffles of
// the AVX2 build per byte (the shuffle port was its limit). Compiled with AVX-512 F/BW.
// GCC 12's AVX-512 intrinsics (extracts, sets) start from _mm512_undefined_*, which its uninitialized-use warnings
// flag.
#if !defined(__clang__)  // GCC-only warnings; clang would report the unknown name
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include "ep/cpu/ukernels/byte_transpose.h"

#if !defined(__AVX512F__) || !defined(__AVX512BW__)
#error "byte_transpose__avx512.cc must be compiled with AVX-512 F and BW enabled"
#endif

namespace onyx::cpu::ukernels {
namespace {

struct Lanes512 {
  using V = __m512i;
  static V Load(const uint8_t* p) { return _mm512_loadu_si512(p); }
  static V Set1(uint8_t v) { return _mm512_set1_epi8(static_cast<char>(v)); }
  static V Xor(V a, V b) { return _mm512_xor_si512(a, b); }
  static V Lo8(V a, V b) { return _mm512_unpacklo_epi8(a, b); }
  static V Hi8(V a, V b) { return _mm512_unpackhi_epi8(a, b); }
  static V Lo16(V a, V b) { return _mm512_unpacklo_epi16(a, b); }
  static V Hi16(V a, V b) { return _mm512_unpackhi_epi16(a, b); }
  static V Lo32(V a, V b) { return _mm512_unpacklo_epi32(a, b); }
  static V Hi32(V a, V b) { return _mm512_unpackhi_epi32(a, b); }
  static V Lo64(V a, V b) { return _mm512_unpacklo_epi64(a, b); }
  static V Hi64(V a, V b) { return _mm512_unpackhi_epi64(a, b); }
  // Column `col` of each of the four blocks (col, col + 16, col + 32, col + 48) to its dst row.
  static void Store(V v, uint8_t* dst, int64_t dst_stride, int col) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + col * dst_stride), _mm512_castsi512_si128(v));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + (col + 16) * dst_stride), _mm512_extracti32x4_epi32(v, 1));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + (col + 32) * dst_stride), _mm512_extracti32x4_epi32(v, 2));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + (col + 48) * dst_stride), _mm512_extracti32x4_epi32(v, 3));
  }
};

}  // namespace

int64_t TransposeBytesAvx512(const uint8_t* src, int64_t src_stride, int64_t rows, int64_t cols, uint8_t* dst,
                             int64_t dst_stride, uint8_t flip) {
  int64_t c0 = 0;
  for (; c0 + 64 <= cols; c0 += 64) {
    for (int64_t r = 0; r < rows; r += 16) {
      TransposeBlock<Lanes512>(src + r * src_stride + c0, src_stride, dst + c0 * dst_stride + r, dst_stride,
                               Lanes512::Set1(flip));
    }
  }
  return c0;
}

}  // namespace onyx::cpu::ukernels

// The 8-bit GEMM micro-kernel with the AArch64 dot-product instructions (SDOT; this file alone is compiled with
// -march=armv8.2-a+dotprod, see CMakeLists.txt, and called only after cpu::HasNeonDot()).
//
// SDOT multiplies signed bytes by signed bytes, and A's bytes are unsigned (0..255). They are flipped to signed
// (a - 128, an xor with 0x80) and 128 times each column's sum of B is added back: sum(a * b) = sum((a - 128) * b)
// + 128 * sum(b). All of it wraps modulo 2^32 as the other kernels' sums do, so the results are bit-identical.
// A packed B group (64 bytes: four k values of each of 16 columns) is four 16-byte vectors of 4 columns each;
// SDOT against A's four bytes broadcast to every 32-bit lane gives one row's four column sums per vector.
// The tile is 4 rows x 1 panel: 16 accumulators, 4 B vectors and 4 A vectors of the 32 registers.
#include <arm_neon.h>

#include <cstring>

#include "ep/cpu/ukernels/int8_gemm_isa.h"

#if !defined(__ARM_FEATURE_DOTPROD)
#error "int8_gemm__neondot.cc must be compiled with the dot-product extension (+dotprod)"
#endif

namespace onyx::cpu {

namespace {

// A row's four bytes of group kk as signed bytes, in every 32-bit lane.
inline int8x16_t SignedA(const uint8_t* a) {
  uint32_t word;
  std::memcpy(&word, a, 4);
  return vreinterpretq_s8_u32(vdupq_n_u32(word ^ 0x80808080u));
}

template <int MR>
void Tile(const uint8_t* a, int64_t k4, const int8_t* b, int32x4_t bias0, int32x4_t bias1, int32x4_t bias2,
          int32x4_t bias3, int32_t* c, int64_t ldc) {
  int32x4_t acc[MR][4];
  for (int r = 0; r < MR; ++r) {
    acc[r][0] = bias0;
    acc[r][1] = bias1;
    acc[r][2] = bias2;
    acc[r][3] = bias3;
  }
  for (int64_t kk = 0; kk < k4; kk += 4) {
    const int8_t* g = b + kk * 16;
    const int8x16_t b0 = vld1q_s8(g), b1 = vld1q_s8(g + 16), b2 = vld1q_s8(g + 32), b3 = vld1q_s8(g + 48);
    for (int r = 0; r < MR; ++r) {
      const int8x16_t av = SignedA(a + r * k4 + kk);
      acc[r][0] = vdotq_s32(acc[r][0], b0, av);
      acc[r][1] = vdotq_s32(acc[r][1], b1, av);
      acc[r][2] = vdotq_s32(acc[r][2], b2, av);
      acc[r][3] = vdotq_s32(acc[r][3], b3, av);
    }
  }
  for (int r = 0; r < MR; ++r) {
    int32_t* cr = c + r * ldc;
    vst1q_s32(cr, acc[r][0]);
    vst1q_s32(cr + 4, acc[r][1]);
    vst1q_s32(cr + 8, acc[r][2]);
    vst1q_s32(cr + 12, acc[r][3]);
  }
}

}  // namespace

void Int8GemmNeonDot(const uint8_t* a, int64_t rows, int64_t k4, const int8_t* b, int64_t panels, int32_t* c,
                     int64_t ldc) {
  const int8x16_t ones = vdupq_n_s8(1);
  for (int64_t p = 0; p < panels; ++p) {
    const int8_t* bp = b + p * k4 * 16;
    // 128 * the panel's column sums (wrapping), the start of every row's accumulators.
    int32x4_t s0 = vdupq_n_s32(0), s1 = s0, s2 = s0, s3 = s0;
    for (int64_t kk = 0; kk < k4; kk += 4) {
      const int8_t* g = bp + kk * 16;
      s0 = vdotq_s32(s0, vld1q_s8(g), ones);
      s1 = vdotq_s32(s1, vld1q_s8(g + 16), ones);
      s2 = vdotq_s32(s2, vld1q_s8(g + 32), ones);
      s3 = vdotq_s32(s3, vld1q_s8(g + 48), ones);
    }
    s0 = vshlq_n_s32(s0, 7);
    s1 = vshlq_n_s32(s1, 7);
    s2 = vshlq_n_s32(s2, 7);
    s3 = vshlq_n_s32(s3, 7);
    int32_t* cp = c + p * 16;
    int64_t r = 0;
    for (; r + 4 <= rows; r += 4) Tile<4>(a + r * k4, k4, bp, s0, s1, s2, s3, cp + r * ldc, ldc);
    for (; r < rows; ++r) Tile<1>(a + r * k4, k4, bp, s0, s1, s2, s3, cp + r * ldc, ldc);
  }
}

}  // namespace onyx::cpu

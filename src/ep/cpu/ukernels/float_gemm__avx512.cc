// The blocked float GEMM with 512-bit vectors (this file alone is compiled with -mavx512f -mavx512vl; see
// CMakeLists.txt). The micro-tile is 8 rows x 48 columns: 24 accumulators, three B vectors and the broadcast A
// value fit the 32 vector registers, and 8 rows divide the channel counts of most convolutions (a taller tile
// wastes its unused rows on the 16- or 48-channel layers of small networks). Each step of k is 3 vector loads,
// 8 broadcast loads and 24 FMAs: the FMAs fill both FMA ports, the loads fit the two 512-bit load ports.
//
// The micro-tile is written with intrinsics: GCC turned the generic kernel's `V{} + a` into a scalar add and a
// register broadcast per row (two more uops on the FMA ports for every three FMAs, about 100 GFLOP/s where the
// core does 190).
#include <immintrin.h>

#include "ep/cpu/kernels/nn/gemm_blocked.h"
#include "ep/cpu/ukernels/float_gemm_rows_packed.h"
#include "ep/cpu/ukernels/gemm_isa.h"

#if !defined(__AVX512F__)
#error "float_gemm__avx512.cc must be compiled with AVX-512 enabled"
#endif

namespace onyx::cpu {

namespace {

constexpr int kMr = 8, kNr = 48;
constexpr int64_t kPrefetchB = 16;

// C[mr x nr] = alpha * (packed A panel x packed B panel) + beta * C with NV column vectors (nr <= 16 * NV; the
// packed B rows are kNr floats whatever nr is) and R rows (mr <= R; the packed A panel has kMr rows whatever R is).
// Columns past nr, and rows past mr when R > mr, are computed from the packing's zero padding and not stored. R
// below kMr serves the last rows of a product whose row count is not a multiple of 8 (51 rows: 6 tiles of 8 and
// one of 3, where an 8-row kernel spends 5 of the 56 rows' work on padding).
template <int NV, int R = kMr>
__attribute__((always_inline)) inline void Kernel(int64_t kc, const float* pa, const float* pb, float* c, int64_t ldc,
                                                  int mr, int nr, float alpha, float beta) {
  static_assert(R >= 1 && R <= kMr, "at most kMr rows");
  __m512 acc[R][NV];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 3
    for (int v = 0; v < NV; ++v) acc[r][v] = _mm512_setzero_ps();
  }
  // The C tile is read (beta != 0) or written only after the k loop; start bringing its lines in now.
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
    if (r < mr) {
#pragma GCC unroll 3
      for (int v = 0; v < NV; ++v) _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc + v * 16), _MM_HINT_T0);
    }
  }
#pragma GCC unroll 2
  for (int64_t p = 0; p < kc; ++p) {
    // The B panel (kc x 48 floats, 48 KiB at kc = 256) does not stay in L1 next to the A panels, so every tile
    // reads it from L2: fetch it kPrefetchB steps ahead (past the panel's end this touches the next panel or
    // nothing that faults: prefetches never do).
#pragma GCC unroll 3
    for (int v = 0; v < NV; ++v)
      _mm_prefetch(reinterpret_cast<const char*>(pb + kPrefetchB * kNr + v * 16), _MM_HINT_T0);
    __m512 b[NV];
#pragma GCC unroll 3
    for (int v = 0; v < NV; ++v) b[v] = _mm512_loadu_ps(pb + v * 16);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      const __m512 a = _mm512_set1_ps(pa[r]);
#pragma GCC unroll 3
      for (int v = 0; v < NV; ++v) acc[r][v] = _mm512_fmadd_ps(a, b[v], acc[r][v]);
    }
    pa += kMr;
    pb += kNr;
  }
  const int tail = nr - (NV - 1) * 16;
  const __mmask16 last = tail >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << tail) - 1);
  const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
    if (r >= mr) break;
    float* cr = c + r * ldc;
#pragma GCC unroll 3
    for (int v = 0; v < NV; ++v) {
      const __mmask16 mask = v == NV - 1 ? last : __mmask16(0xFFFF);
      __m512 o = _mm512_mul_ps(acc[r][v], va);
      if (beta != 0.0f) o = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, cr + v * 16), vb, o);
      _mm512_mask_storeu_ps(cr + v * 16, mask, o);
    }
  }
}

// Packs rows [i0, i0 + mc) x columns [p0, p0 + kc) of op(A) into kMr-row panels, [k][kMr] each (gemm_blocked.h's
// PackA layout). A row-major A is read 8 x 8 at a time and transposed in registers: the element-by-element copy
// took 5-8% of a large product's time.
void PackAPanels(bool trans, const float* a, int64_t lda, int64_t i0, int64_t mc, int64_t p0, int64_t kc, float* dst) {
  static_assert(kMr == 8, "the transpose is 8 x 8");
  for (int64_t ip = 0; ip < mc; ip += kMr, dst += kMr * kc) {
    const int64_t rows = mc - ip < kMr ? mc - ip : kMr;
    if (trans) {
      for (int64_t p = 0; p < kc; ++p) {
        const float* src = a + (p0 + p) * lda + i0 + ip;
        if (rows == kMr) {
          _mm256_storeu_ps(dst + p * kMr, _mm256_loadu_ps(src));
        } else {
          for (int r = 0; r < kMr; ++r) dst[p * kMr + r] = r < rows ? src[r] : 0.0f;
        }
      }
      continue;
    }
    const float* src[kMr];
    for (int r = 0; r < kMr; ++r) src[r] = a + (i0 + ip + (r < rows ? r : 0)) * lda + p0;
    int64_t p = 0;
    if (rows == kMr) {
      for (; p + 8 <= kc; p += 8) {
        __m256 r0 = _mm256_loadu_ps(src[0] + p), r1 = _mm256_loadu_ps(src[1] + p);
        __m256 r2 = _mm256_loadu_ps(src[2] + p), r3 = _mm256_loadu_ps(src[3] + p);
        __m256 r4 = _mm256_loadu_ps(src[4] + p), r5 = _mm256_loadu_ps(src[5] + p);
        __m256 r6 = _mm256_loadu_ps(src[6] + p), r7 = _mm256_loadu_ps(src[7] + p);
        const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
        const __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
        const __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
        const __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
        r0 = _mm256_shuffle_ps(t0, t2, 0x44);
        r1 = _mm256_shuffle_ps(t0, t2, 0xEE);
        r2 = _mm256_shuffle_ps(t1, t3, 0x44);
        r3 = _mm256_shuffle_ps(t1, t3, 0xEE);
        r4 = _mm256_shuffle_ps(t4, t6, 0x44);
        r5 = _mm256_shuffle_ps(t4, t6, 0xEE);
        r6 = _mm256_shuffle_ps(t5, t7, 0x44);
        r7 = _mm256_shuffle_ps(t5, t7, 0xEE);
        float* d = dst + p * kMr;
        _mm256_storeu_ps(d + 0 * kMr, _mm256_permute2f128_ps(r0, r4, 0x20));
        _mm256_storeu_ps(d + 1 * kMr, _mm256_permute2f128_ps(r1, r5, 0x20));
        _mm256_storeu_ps(d + 2 * kMr, _mm256_permute2f128_ps(r2, r6, 0x20));
        _mm256_storeu_ps(d + 3 * kMr, _mm256_permute2f128_ps(r3, r7, 0x20));
        _mm256_storeu_ps(d + 4 * kMr, _mm256_permute2f128_ps(r0, r4, 0x31));
        _mm256_storeu_ps(d + 5 * kMr, _mm256_permute2f128_ps(r1, r5, 0x31));
        _mm256_storeu_ps(d + 6 * kMr, _mm256_permute2f128_ps(r2, r6, 0x31));
        _mm256_storeu_ps(d + 7 * kMr, _mm256_permute2f128_ps(r3, r7, 0x31));
      }
    }
    for (; p < kc; ++p) {
      for (int r = 0; r < kMr; ++r) dst[p * kMr + r] = r < rows ? src[r][p] : 0.0f;
    }
  }
}

struct Avx512Float {
  using T = float;
  typedef float V __attribute__((vector_size(64)));
  static constexpr int kMr = onyx::cpu::kMr, kNr = onyx::cpu::kNr;
  static constexpr int64_t kMc = 8 * 16, kKc = 256, kNc = 48 * 16;

  static void PackA(bool trans, const float* a, int64_t lda, int64_t i0, int64_t mc, int64_t p0, int64_t kc,
                    float* dst) {
    PackAPanels(trans, a, lda, i0, mc, p0, kc, dst);
  }
  static void MicroTile(int64_t kc, const float* pa, const float* pb, float* c, int64_t ldc, int mr, int nr,
                        float alpha, float beta) {
    if (mr <= 4)
      return mr <= 2 ? Columns<2>(kc, pa, pb, c, ldc, mr, nr, alpha, beta)
                     : Columns<4>(kc, pa, pb, c, ldc, mr, nr, alpha, beta);
    if (mr <= 6) return Columns<6>(kc, pa, pb, c, ldc, mr, nr, alpha, beta);
    Columns<kMr>(kc, pa, pb, c, ldc, mr, nr, alpha, beta);
  }
  template <int R>
  static void Columns(int64_t kc, const float* pa, const float* pb, float* c, int64_t ldc, int mr, int nr, float alpha,
                      float beta) {
    if (nr > 32) return Kernel<3, R>(kc, pa, pb, c, ldc, mr, nr, alpha, beta);
    if (nr > 16) return Kernel<2, R>(kc, pa, pb, c, ldc, mr, nr, alpha, beta);
    Kernel<1, R>(kc, pa, pb, c, ldc, mr, nr, alpha, beta);
  }
};

}  // namespace

void SgemmBlockedAvx512(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                        int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc, ThreadPool* pool,
                        const float* packed_a, const float* packed_b) {
  gemm_blocked::Gemm<Avx512Float>(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool, packed_a,
                                  packed_b);
}

int64_t SgemmPackedASizeAvx512(int64_t m, int64_t k) { return gemm_blocked::PackedASize<Avx512Float>(m, k); }

void SgemmPackAAvx512(bool trans_a, const float* a, int64_t lda, int64_t m, int64_t k, float* dst) {
  gemm_blocked::PackWholeA<Avx512Float>(trans_a, a, lda, m, k, dst);
}

}  // namespace onyx::cpu

namespace onyx::cpu {

int64_t SgemmPackedBSizeAvx512(int64_t k, int64_t n) { return gemm_blocked::PackedBSize<Avx512Float>(k, n); }

static_assert(kSgemmNrAvx512 == Avx512Float::kNr, "gemm_isa.h states the panel width");

void SgemmRowsPackedBAvx512(int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda, bool trans_a,
                            const float* packed_b, float beta, float* c, int64_t ldc, int64_t panel_begin,
                            int64_t panel_end) {
  gemm_rows::RowsPackedB<Avx512Float::V, Avx512Float::kNr, Avx512Float::kKc>(m, n, k, alpha, a, lda, trans_a, packed_b,
                                                                             beta, c, ldc, panel_begin, panel_end);
}

void SgemmPackBAvx512(bool trans_b, const float* b, int64_t ldb, int64_t k, int64_t n, float* dst) {
  gemm_blocked::PackWholeB<Avx512Float>(trans_b, b, ldb, k, n, dst);
}

}  // namespace onyx::cpu

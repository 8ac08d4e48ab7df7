// Products of one to three rows with a packed B (gemm_blocked.h's PackWholeB layout: for each block of kKc rows of
// k, kNr-column panels of [kc][kNr] floats), written once over a GCC vector of W floats and compiled per instruction
// set (included only by float_gemm__avx512.cc and float_gemm__avx2.cc). A matrix-vector product is bound by reading
// B: each panel row is loaded once for all the rows of A, and two steps of k go to two sets of accumulators so that
// the FMA latency does not bound the loop. (The blocked product padded a single row of A to an 8-row panel and did
// eight rows' work; openwakeword's [1, 2400] x [2400, 32] took 16 us.)
#pragma once

#include <cstdint>
#include <cstring>

namespace onyx::cpu::gemm_rows {

// Panel jp with only its first NVU vectors read (a narrow last panel: n = 32 in 48-column panels reads two thirds).
template <typename V, int kNr, int64_t kKc, int R, int NVU>
void Panel(int64_t n, int64_t k, float alpha, const float* a, int64_t lda, bool trans_a, const float* pb, float beta,
           float* c, int64_t ldc, int64_t jp) {
  constexpr int W = static_cast<int>(sizeof(V) / sizeof(float));
  const int64_t cols = (n + kNr - 1) / kNr * kNr;
  auto at = [&](int r, int64_t p) { return trans_a ? a[p * lda + r] : a[r * lda + p]; };
  V acc[2][R][NVU];
  for (int h = 0; h < 2; ++h) {
    for (int r = 0; r < R; ++r) {
      for (int v = 0; v < NVU; ++v) acc[h][r][v] = V{};
    }
  }
  for (int64_t p0 = 0; p0 < k; p0 += kKc) {
    const int64_t kc = k - p0 < kKc ? k - p0 : kKc;
    const float* panel = pb + p0 * cols + jp * kc * kNr;
    int64_t p = 0;
    for (; p + 2 <= kc; p += 2) {
      V b0[NVU], b1[NVU];
      for (int v = 0; v < NVU; ++v) {
        std::memcpy(&b0[v], panel + p * kNr + v * W, sizeof(V));
        std::memcpy(&b1[v], panel + (p + 1) * kNr + v * W, sizeof(V));
      }
      for (int r = 0; r < R; ++r) {
        const float x0 = at(r, p0 + p), x1 = at(r, p0 + p + 1);
        for (int v = 0; v < NVU; ++v) {
          acc[0][r][v] += x0 * b0[v];
          acc[1][r][v] += x1 * b1[v];
        }
      }
    }
    if (p < kc) {
      for (int v = 0; v < NVU; ++v) {
        V b;
        std::memcpy(&b, panel + p * kNr + v * W, sizeof(V));
        for (int r = 0; r < R; ++r) acc[0][r][v] += at(r, p0 + p) * b;
      }
    }
  }
  const int64_t j0 = jp * kNr;
  for (int r = 0; r < R; ++r) {
    float* cr = c + r * ldc + j0;
    for (int v = 0; v < NVU; ++v) {
      const V sum = (acc[0][r][v] + acc[1][r][v]) * alpha;
      for (int l = 0; l < W; ++l) {
        const int64_t j = v * W + l;
        if (j0 + j >= n) break;
        cr[j] = beta == 0.0f ? sum[l] : sum[l] + beta * cr[j];
      }
    }
  }
}

template <typename V, int kNr, int64_t kKc, int R>
void Rows(int64_t n, int64_t k, float alpha, const float* a, int64_t lda, bool trans_a, const float* pb, float beta,
          float* c, int64_t ldc, int64_t panel_begin, int64_t panel_end) {
  constexpr int W = static_cast<int>(sizeof(V) / sizeof(float));
  constexpr int NV = kNr / W;
  static_assert(NV * W == kNr && NV >= 2 && NV <= 3, "a panel is two or three whole vectors");
  for (int64_t jp = panel_begin; jp < panel_end; ++jp) {
    const int64_t used = (n - jp * kNr + W - 1) / W;
    if (used >= NV) {
      Panel<V, kNr, kKc, R, NV>(n, k, alpha, a, lda, trans_a, pb, beta, c, ldc, jp);
    } else if (used == 2) {
      Panel<V, kNr, kKc, R, 2>(n, k, alpha, a, lda, trans_a, pb, beta, c, ldc, jp);
    } else {
      Panel<V, kNr, kKc, R, 1>(n, k, alpha, a, lda, trans_a, pb, beta, c, ldc, jp);
    }
  }
}

// C[m, n] (m = 1, 2 or 3) = alpha * op(A) * B + beta * C for the panels [panel_begin, panel_end) of packed B.
template <typename V, int kNr, int64_t kKc>
void RowsPackedB(int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda, bool trans_a,
                 const float* pb, float beta, float* c, int64_t ldc, int64_t panel_begin, int64_t panel_end) {
  if (m == 1) return Rows<V, kNr, kKc, 1>(n, k, alpha, a, lda, trans_a, pb, beta, c, ldc, panel_begin, panel_end);
  if (m == 2) return Rows<V, kNr, kKc, 2>(n, k, alpha, a, lda, trans_a, pb, beta, c, ldc, panel_begin, panel_end);
  Rows<V, kNr, kKc, 3>(n, k, alpha, a, lda, trans_a, pb, beta, c, ldc, panel_begin, panel_end);
}

}  // namespace onyx::cpu::gemm_rows

// The packed, cache-blocked GEMM core shared by every instruction-set build of it (gemm_util.cc for the
// portable build, ukernels/float_gemm__avx2.cc and __avx512.cc for AVX2 and AVX-512). Everything here is a template over a
// configuration type Cfg that the including file defines in its own anonymous namespace, so each build's
// instantiations are its own symbols and none compiled for one instruction set can stand in for another's:
//   T, V (a GCC vector of kLanes T), kLanes, kMr (rows of the micro-tile), kNr (its columns, whole vectors),
//   kMc, kKc, kNc (the A block is kMc x kKc, the B block kKc x kNc).
// GotoBLAS-style blocking: a kKc x kNc block of B and a kMc x kKc block of A are packed into panels that the
// micro-kernel streams; an A block stays in L2 while one B panel (kKc x kNr) stays in L1.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

#include "common/thread_pool.h"

namespace onyx::cpu::gemm_blocked {

// Packing space of the calling thread, grown on demand and kept: the packed panels are the better part of a
// megabyte, and allocating them for every block of every product cost page faults on each call. `slot` tells
// the A buffer from the B buffer. Aligned to 64 bytes (the widest vector).
// Defined in gemm_util.cc, compiled for the baseline: one copy whatever build calls it.
void* ThreadScratch(int slot, size_t bytes);

template <typename Cfg>
void PackA(bool trans, const typename Cfg::T* a, int64_t lda, int64_t i0, int64_t mc, int64_t p0, int64_t kc,
           typename Cfg::T* dst) {
  using T = typename Cfg::T;
  constexpr int kMr = Cfg::kMr;
  for (int64_t ip = 0; ip < mc; ip += kMr) {
    const int64_t rows = mc - ip < kMr ? mc - ip : kMr;
    if (!trans) {
      const T* src[kMr];
      for (int r = 0; r < kMr; ++r) src[r] = r < rows ? a + (i0 + ip + r) * lda + p0 : nullptr;
      for (int64_t p = 0; p < kc; ++p) {
        for (int r = 0; r < kMr; ++r) dst[r] = r < rows ? src[r][p] : T(0);
        dst += kMr;
      }
    } else {
      for (int64_t p = 0; p < kc; ++p) {
        const T* src = a + (p0 + p) * lda + i0 + ip;
        for (int r = 0; r < kMr; ++r) dst[r] = r < rows ? src[r] : T(0);
        dst += kMr;
      }
    }
  }
}

template <typename Cfg>
void PackB(bool trans, const typename Cfg::T* b, int64_t ldb, int64_t p0, int64_t kc, int64_t j0, int64_t nc,
           typename Cfg::T* dst) {
  using T = typename Cfg::T;
  constexpr int nr = Cfg::kNr;
  for (int64_t jp = 0; jp < nc; jp += nr) {
    const int64_t cols = nc - jp < nr ? nc - jp : nr;
    if (!trans) {
      for (int64_t p = 0; p < kc; ++p) {
        const T* src = b + (p0 + p) * ldb + j0 + jp;
        if (cols == nr) {
          std::memcpy(dst + p * nr, src, sizeof(T) * nr);
        } else {
          for (int c = 0; c < nr; ++c) dst[p * nr + c] = c < cols ? src[c] : T(0);
        }
      }
    } else {
      for (int c = 0; c < nr; ++c) {
        if (c < cols) {
          const T* src = b + (j0 + jp + c) * ldb + p0;
          for (int64_t p = 0; p < kc; ++p) dst[p * nr + c] = src[p];
        } else {
          for (int64_t p = 0; p < kc; ++p) dst[p * nr + c] = T(0);
        }
      }
    }
    dst += kc * nr;
  }
}

// C[mr x nr] = alpha * (packed A panel x packed B panel) + beta * C, accumulating in kMr x kNv vectors: the
// first kNv vectors of each packed B row (all of them but for a narrow last panel, nr <= kNv * kLanes).
template <typename Cfg, int kNv>
inline void MicroKernel(int64_t kc, const typename Cfg::T* pa, const typename Cfg::T* pb, typename Cfg::T* c,
                        int64_t ldc, int mr, int nr, typename Cfg::T alpha, typename Cfg::T beta) {
  using T = typename Cfg::T;
  using V = typename Cfg::V;
  constexpr int kL = Cfg::kLanes, kMr = Cfg::kMr, kNr = Cfg::kNr;
  static_assert(kNr % kL == 0 && kNv * kL <= kNr, "the micro-tile's columns are whole vectors");
  V acc[kMr][kNv];
#pragma GCC unroll 16
  for (int r = 0; r < kMr; ++r) {
#pragma GCC unroll 4
    for (int v = 0; v < kNv; ++v) acc[r][v] = V{};
  }
  for (int64_t p = 0; p < kc; ++p) {
    V bv[kNv];
#pragma GCC unroll 4
    for (int v = 0; v < kNv; ++v) std::memcpy(&bv[v], pb + v * kL, sizeof(V));
#pragma GCC unroll 16
    for (int r = 0; r < kMr; ++r) {
      // x - 0 is x for every x, so this is a plain broadcast load; `V{} + x` is not (-0 + 0 is +0) and cost a
      // scalar add and a register broadcast per row.
      const V av = pa[r] - V{};
#pragma GCC unroll 4
      for (int v = 0; v < kNv; ++v) acc[r][v] += av * bv[v];
    }
    pa += kMr;
    pb += kNr;
  }
  if (mr == kMr && nr == kNv * kL) {
#pragma GCC unroll 16
    for (int r = 0; r < kMr; ++r) {
      T* cr = c + r * ldc;
#pragma GCC unroll 4
      for (int v = 0; v < kNv; ++v) {
        V o = acc[r][v] * alpha;
        if (beta != T(0)) {
          V old;
          std::memcpy(&old, cr + v * kL, sizeof(V));
          o += old * beta;
        }
        std::memcpy(cr + v * kL, &o, sizeof(V));
      }
    }
    return;
  }
  T tmp[kMr][kNv * kL];
  std::memcpy(tmp, acc, sizeof(tmp));
  for (int r = 0; r < mr; ++r) {
    T* cr = c + r * ldc;
    for (int j = 0; j < nr; ++j) cr[j] = beta == T(0) ? alpha * tmp[r][j] : alpha * tmp[r][j] + beta * cr[j];
  }
}

// Runs the micro-kernel with as many column vectors as the panel needs.
template <typename Cfg>
inline void MicroTile(int64_t kc, const typename Cfg::T* pa, const typename Cfg::T* pb, typename Cfg::T* c,
                      int64_t ldc, int mr, int nr, typename Cfg::T alpha, typename Cfg::T beta) {
  constexpr int kL = Cfg::kLanes, kNv = Cfg::kNr / Cfg::kLanes;
  const int nv = (nr + kL - 1) / kL;
  if constexpr (kNv >= 3) {
    if (nv <= 1) return MicroKernel<Cfg, 1>(kc, pa, pb, c, ldc, mr, nr, alpha, beta);
    if (nv == 2) return MicroKernel<Cfg, 2>(kc, pa, pb, c, ldc, mr, nr, alpha, beta);
  } else if constexpr (kNv == 2) {
    if (nv <= 1) return MicroKernel<Cfg, 1>(kc, pa, pb, c, ldc, mr, nr, alpha, beta);
  }
  MicroKernel<Cfg, kNv>(kc, pa, pb, c, ldc, mr, nr, alpha, beta);
}

// A build may bring its own micro-tile (Cfg::MicroTile, same contract as MicroTile below) written with its
// instruction set's intrinsics, where the generic vectors compile to slower code.
template <typename Cfg>
constexpr bool kHasOwnKernel = requires(int64_t kc, const typename Cfg::T* p, typename Cfg::T* c, int n,
                                        typename Cfg::T s) {
  Cfg::MicroTile(kc, p, p, c, kc, n, n, s, s);
};

// Likewise its own packing of A (Cfg::PackA, PackA's contract and layout).
template <typename Cfg>
constexpr bool kHasOwnPackA = requires(const typename Cfg::T* a, typename Cfg::T* d, int64_t i) {
  Cfg::PackA(true, a, i, i, i, i, i, d);
};

// Floats PackWholeA needs for an m x k matrix.
template <typename Cfg>
int64_t PackedASize(int64_t m, int64_t k) {
  return (m + Cfg::kMr - 1) / Cfg::kMr * Cfg::kMr * k;
}

// Packs all of A once (constant weights used by many products): for each kKc block of columns, every kMr-row
// panel in turn, so the block of any row offset that is a multiple of kMr is found without repacking.
template <typename Cfg>
void PackWholeA(bool trans_a, const typename Cfg::T* a, int64_t lda, int64_t m, int64_t k, typename Cfg::T* dst) {
  const int64_t rows = (m + Cfg::kMr - 1) / Cfg::kMr * Cfg::kMr;
  for (int64_t p0 = 0; p0 < k; p0 += Cfg::kKc) {
    const int64_t kcur = k - p0 < Cfg::kKc ? k - p0 : Cfg::kKc;
    if constexpr (kHasOwnPackA<Cfg>) {
      Cfg::PackA(trans_a, a, lda, 0, m, p0, kcur, dst + p0 * rows);
    } else {
      PackA<Cfg>(trans_a, a, lda, 0, m, p0, kcur, dst + p0 * rows);
    }
  }
}

// Floats PackWholeB needs for a k x n matrix.
template <typename Cfg>
int64_t PackedBSize(int64_t k, int64_t n) {
  return (n + Cfg::kNr - 1) / Cfg::kNr * Cfg::kNr * k;
}

// Packs all of B once (constant weights): for each kKc block of rows, every kNr-column panel in turn, so the
// block of any column offset that is a multiple of kNr is found without repacking.
template <typename Cfg>
void PackWholeB(bool trans_b, const typename Cfg::T* b, int64_t ldb, int64_t k, int64_t n, typename Cfg::T* dst) {
  const int64_t cols = (n + Cfg::kNr - 1) / Cfg::kNr * Cfg::kNr;
  for (int64_t p0 = 0; p0 < k; p0 += Cfg::kKc) {
    const int64_t kcur = k - p0 < Cfg::kKc ? k - p0 : Cfg::kKc;
    PackB<Cfg>(trans_b, b, ldb, p0, kcur, 0, n, dst + p0 * cols);
  }
}

// The blocked product for m >= 4 rows and k >= 1 (the caller handles the degenerate and few-row cases). With
// `packed_a` (from PackWholeA) or `packed_b` (from PackWholeB), that operand is not read or packed again.
template <typename Cfg>
void Gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, typename Cfg::T alpha,
          const typename Cfg::T* a, int64_t lda, const typename Cfg::T* b, int64_t ldb, typename Cfg::T beta,
          typename Cfg::T* c, int64_t ldc, ThreadPool* pool, const typename Cfg::T* packed_a = nullptr,
          const typename Cfg::T* packed_b = nullptr) {
  using T = typename Cfg::T;
  constexpr int kMr = Cfg::kMr, kNr = Cfg::kNr;
  const int64_t kcb = Cfg::kKc;
  // Tiles of whole micro-panels, at most kMc x kNc (cache blocking). With threads, the longer side of the tile is
  // cut until each thread has its share of tiles, and the panels are shared out evenly among the tiles (17 panels
  // in 4 tiles as 5, 4, 4, 4, not 5, 5, 5, 2), so that threads claiming tiles as they come free finish together.
  const int64_t m_panels = (m + kMr - 1) / kMr, n_panels = (n + kNr - 1) / kNr;
  auto ceil_div = [](int64_t a, int64_t b) { return (a + b - 1) / b; };
  int64_t mt = ceil_div(m_panels, Cfg::kMc / kMr), nt = ceil_div(n_panels, Cfg::kNc / kNr);
  const int64_t threads = pool ? pool->threads() : 1;
  // Two tiles a thread at least, and a whole number of tiles a thread unless there are many: five equal tiles on
  // two threads would leave one idle for a fifth of the time.
  auto enough = [&] { return mt * nt >= 2 * threads && (mt * nt % threads == 0 || mt * nt >= 4 * threads); };
  while (threads > 1 && !enough() && (mt < m_panels || nt < n_panels)) {
    if (nt < n_panels && (mt >= m_panels || ceil_div(n_panels, nt) * kNr >= ceil_div(m_panels, mt) * kMr)) {
      ++nt;
    } else {
      ++mt;
    }
  }
  const int64_t mc = ceil_div(m_panels, mt) * kMr, nc = ceil_div(n_panels, nt) * kNr;  // the largest tile
  ThreadPool::For(
      pool, mt * nt,
      [&](int64_t begin, int64_t end) {
        T* pa = packed_a ? nullptr : static_cast<T*>(ThreadScratch(0, sizeof(T) * static_cast<size_t>(mc * kcb)));
        T* pb = packed_b ? nullptr : static_cast<T*>(ThreadScratch(1, sizeof(T) * static_cast<size_t>(nc * kcb)));
        // Tiles are numbered column block first, so a run of them shares one block of B: each K block of B is
        // packed once for the run, not once per tile (a tall product would pack all of B once per row block).
        for (int64_t t0 = begin; t0 < end;) {
          const int64_t tj = t0 / mt, t1 = std::min(end, (tj + 1) * mt);
          const int64_t j0 = tj * n_panels / nt * kNr;
          const int64_t ncur = std::min(n, (tj + 1) * n_panels / nt * kNr) - j0;
          for (int64_t p0 = 0; p0 < k; p0 += kcb) {
            const int64_t kcur = k - p0 < kcb ? k - p0 : kcb;
            const T* bblock = pb;
            if (packed_b) {
              bblock = packed_b + p0 * ((n + kNr - 1) / kNr * kNr) + j0 * kcur;
            } else {
              PackB<Cfg>(trans_b, b, ldb, p0, kcur, j0, ncur, pb);
            }
            const T beta_eff = p0 == 0 ? beta : T(1);
            for (int64_t t = t0; t < t1; ++t) {
              const int64_t ti = t % mt;
              const int64_t i0 = ti * m_panels / mt * kMr;
              const int64_t mcur = std::min(m, (ti + 1) * m_panels / mt * kMr) - i0;
              const T* ablock = pa;
              if (packed_a) {
                ablock = packed_a + p0 * ((m + kMr - 1) / kMr * kMr) + i0 * kcur;
              } else if constexpr (kHasOwnPackA<Cfg>) {
                Cfg::PackA(trans_a, a, lda, i0, mcur, p0, kcur, pa);
              } else {
                PackA<Cfg>(trans_a, a, lda, i0, mcur, p0, kcur, pa);
              }
              for (int64_t jp = 0; jp < ncur; jp += kNr) {
                const T* bpanel = bblock + (jp / kNr) * kNr * kcur;
                const int nr = static_cast<int>(ncur - jp < kNr ? ncur - jp : kNr);
                for (int64_t ip = 0; ip < mcur; ip += kMr) {
                  const int mr = static_cast<int>(mcur - ip < kMr ? mcur - ip : kMr);
                  const T* apanel = ablock + (ip / kMr) * kMr * kcur;
                  T* ctile = c + (i0 + ip) * ldc + j0 + jp;
                  if constexpr (kHasOwnKernel<Cfg>) {
                    Cfg::MicroTile(kcur, apanel, bpanel, ctile, ldc, mr, nr, alpha, beta_eff);
                  } else {
                    MicroTile<Cfg>(kcur, apanel, bpanel, ctile, ldc, mr, nr, alpha, beta_eff);
                  }
                }
              }
            }
          }
          t0 = t1;
        }
      },
      1);
}

}  // namespace onyx::cpu::gemm_blocked

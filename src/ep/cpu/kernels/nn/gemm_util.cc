#include "ep/cpu/kernels/nn/gemm_util.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "common/thread_pool.h"

namespace onyx::cpu {

namespace {

// GotoBLAS-style blocking: a kKc x kNc block of B and a kMc x kKc block of A
// are packed into panels that the microkernel streams; an A block stays in L2
// while one B panel (kKc x kNr) stays in L1. GCC's generic vectors compile to
// AVX2 with -march=x86-64-v3 and to SSE otherwise, so no intrinsics or runtime
// dispatch are needed.
template <typename T>
struct Traits;
template <>
struct Traits<float> {
  typedef float V __attribute__((vector_size(32)));
  static constexpr int kLanes = 8;
  static constexpr int64_t kMc = 120, kKc = 256, kNc = 512;
};
template <>
struct Traits<double> {
  typedef double V __attribute__((vector_size(32)));
  static constexpr int kLanes = 4;
  static constexpr int64_t kMc = 120, kKc = 192, kNc = 256;
};

constexpr int kMr = 6;

template <typename T>
constexpr int Nr() {
  return 2 * Traits<T>::kLanes;
}

template <typename T>
void PackA(bool trans, const T* a, int64_t lda, int64_t i0, int64_t mc, int64_t p0, int64_t kc, T* dst) {
  for (int64_t ip = 0; ip < mc; ip += kMr) {
    const int64_t rows = std::min<int64_t>(kMr, mc - ip);
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

template <typename T>
void PackB(bool trans, const T* b, int64_t ldb, int64_t p0, int64_t kc, int64_t j0, int64_t nc, T* dst) {
  constexpr int nr = Nr<T>();
  for (int64_t jp = 0; jp < nc; jp += nr) {
    const int64_t cols = std::min<int64_t>(nr, nc - jp);
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

template <typename T>
inline void MicroKernel(int64_t kc, const T* pa, const T* pb, T* c, int64_t ldc, int mr, int nr, T alpha, T beta) {
  using V = typename Traits<T>::V;
  constexpr int kL = Traits<T>::kLanes;
  constexpr int kNr = Nr<T>();
  V acc[kMr][2];
#pragma GCC unroll 6
  for (int r = 0; r < kMr; ++r) acc[r][0] = acc[r][1] = V{};
  for (int64_t p = 0; p < kc; ++p) {
    V b0, b1;
    std::memcpy(&b0, pb, sizeof(V));
    std::memcpy(&b1, pb + kL, sizeof(V));
#pragma GCC unroll 6
    for (int r = 0; r < kMr; ++r) {
      const V av = V{} + pa[r];
      acc[r][0] += av * b0;
      acc[r][1] += av * b1;
    }
    pa += kMr;
    pb += kNr;
  }
  if (mr == kMr && nr == kNr) {
#pragma GCC unroll 6
    for (int r = 0; r < kMr; ++r) {
      T* cr = c + r * ldc;
      V o0 = acc[r][0] * alpha, o1 = acc[r][1] * alpha;
      if (beta != T(0)) {
        V c0, c1;
        std::memcpy(&c0, cr, sizeof(V));
        std::memcpy(&c1, cr + kL, sizeof(V));
        o0 += c0 * beta;
        o1 += c1 * beta;
      }
      std::memcpy(cr, &o0, sizeof(V));
      std::memcpy(cr + kL, &o1, sizeof(V));
    }
    return;
  }
  T tmp[kMr][kNr];
  std::memcpy(tmp, acc, sizeof(tmp));
  for (int r = 0; r < mr; ++r) {
    T* cr = c + r * ldc;
    for (int j = 0; j < nr; ++j) cr[j] = beta == T(0) ? alpha * tmp[r][j] : alpha * tmp[r][j] + beta * cr[j];
  }
}

// Dot product with vector partial sums (a scalar loop would not vectorize:
// float addition is not associative).
template <typename T>
inline T Dot(const T* x, const T* y, int64_t k) {
  using V = typename Traits<T>::V;
  constexpr int kL = Traits<T>::kLanes;
  V s0 = V{}, s1 = V{};
  int64_t p = 0;
  for (; p + 2 * kL <= k; p += 2 * kL) {
    V x0, x1, y0, y1;
    std::memcpy(&x0, x + p, sizeof(V));
    std::memcpy(&x1, x + p + kL, sizeof(V));
    std::memcpy(&y0, y + p, sizeof(V));
    std::memcpy(&y1, y + p + kL, sizeof(V));
    s0 += x0 * y0;
    s1 += x1 * y1;
  }
  s0 += s1;
  T s = T(0);
  for (int l = 0; l < kL; ++l) s += s0[l];
  for (; p < k; ++p) s += x[p] * y[p];
  return s;
}

// Few rows (a matrix-vector product, a recurrent step with a small batch):
// packing would cost more than it saves, so each output row is an axpy over B's
// rows or a set of dot products with B's columns.
template <typename T>
void RowsGemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b,
              int64_t ldb, T beta, T* c, int64_t ldc, ThreadPool* pool) {
  constexpr int64_t kBlock = 256;
  const int64_t blocks = (n + kBlock - 1) / kBlock;
  ThreadPool::For(
      pool, m * blocks,
      [&](int64_t begin, int64_t end) {
        std::vector<T> arow(static_cast<size_t>(k));
        std::vector<T> acc(static_cast<size_t>(kBlock));
        int64_t loaded_row = -1;
        for (int64_t t = begin; t < end; ++t) {
          const int64_t i = t / blocks;
          const int64_t j0 = (t % blocks) * kBlock;
          const int64_t nb = std::min(kBlock, n - j0);
          if (loaded_row != i) {
            for (int64_t p = 0; p < k; ++p) arow[p] = trans_a ? a[p * lda + i] : a[i * lda + p];
            loaded_row = i;
          }
          if (!trans_b) {
            std::fill(acc.begin(), acc.begin() + nb, T(0));
            for (int64_t p = 0; p < k; ++p) {
              const T av = arow[p];
              const T* brow = b + p * ldb + j0;
              for (int64_t j = 0; j < nb; ++j) acc[j] += av * brow[j];
            }
          } else {
            for (int64_t j = 0; j < nb; ++j) {
              acc[j] = Dot(arow.data(), b + (j0 + j) * ldb, k);
            }
          }
          T* cr = c + i * ldc + j0;
          for (int64_t j = 0; j < nb; ++j) cr[j] = beta == T(0) ? alpha * acc[j] : alpha * acc[j] + beta * cr[j];
        }
      },
      1);
}

template <typename T>
void GemmImpl(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b,
              int64_t ldb, T beta, T* c, int64_t ldc, ThreadPool* pool) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == T(0)) {
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) c[i * ldc + j] = beta == T(0) ? T(0) : beta * c[i * ldc + j];
    }
    return;
  }
  // Small products finish faster on one thread than the hand-off to the pool
  // takes.
  if (static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k) < 262144.0) pool = nullptr;
  if (m < 4) {
    RowsGemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool);
    return;
  }
  constexpr int kNr = Nr<T>();
  int64_t mc = Traits<T>::kMc, nc = Traits<T>::kNc;
  const int64_t kcb = Traits<T>::kKc;
  const int threads = pool ? pool->threads() : 1;
  auto tiles = [&] { return ((m + mc - 1) / mc) * ((n + nc - 1) / nc); };
  // Shrink tiles until every thread has a couple to work on, so small layers
  // still run in parallel.
  while (tiles() < 2 * threads && (nc > 4 * kNr || mc > 4 * kMr)) {
    if (nc > 4 * kNr && (n > m || mc <= 4 * kMr)) {
      nc = std::max<int64_t>(4 * kNr, nc / 2 / kNr * kNr);
    } else {
      mc = std::max<int64_t>(4 * kMr, mc / 2 / kMr * kMr);
    }
  }
  const int64_t mt = (m + mc - 1) / mc, nt = (n + nc - 1) / nc;
  ThreadPool::For(
      pool, mt * nt,
      [&](int64_t begin, int64_t end) {
        using V = typename Traits<T>::V;
        // Vectors of V keep the packed panels 32-byte aligned.
        std::vector<V> abuf(static_cast<size_t>(mc * kcb / Traits<T>::kLanes + 1));
        std::vector<V> bbuf(static_cast<size_t>(nc * kcb / Traits<T>::kLanes + 1));
        T* pa = reinterpret_cast<T*>(abuf.data());
        T* pb = reinterpret_cast<T*>(bbuf.data());
        for (int64_t t = begin; t < end; ++t) {
          const int64_t i0 = (t / nt) * mc, j0 = (t % nt) * nc;
          const int64_t mcur = std::min(mc, m - i0), ncur = std::min(nc, n - j0);
          for (int64_t p0 = 0; p0 < k; p0 += kcb) {
            const int64_t kcur = std::min(kcb, k - p0);
            PackB(trans_b, b, ldb, p0, kcur, j0, ncur, pb);
            PackA(trans_a, a, lda, i0, mcur, p0, kcur, pa);
            const T beta_eff = p0 == 0 ? beta : T(1);
            for (int64_t jp = 0; jp < ncur; jp += kNr) {
              const T* bpanel = pb + (jp / kNr) * kNr * kcur;
              const int nr = static_cast<int>(std::min<int64_t>(kNr, ncur - jp));
              for (int64_t ip = 0; ip < mcur; ip += kMr) {
                MicroKernel(kcur, pa + (ip / kMr) * kMr * kcur, bpanel, c + (i0 + ip) * ldc + j0 + jp, ldc,
                            static_cast<int>(std::min<int64_t>(kMr, mcur - ip)), nr, alpha, beta_eff);
              }
            }
          }
        }
      },
      1);
}

}  // namespace

void Gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
          const float* b, int64_t ldb, float beta, float* c, int64_t ldc, ThreadPool* pool) {
  GemmImpl<float>(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool);
}

void Gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, double alpha, const double* a, int64_t lda,
          const double* b, int64_t ldb, double beta, double* c, int64_t ldc, ThreadPool* pool) {
  GemmImpl<double>(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool);
}

}  // namespace onyx::cpu

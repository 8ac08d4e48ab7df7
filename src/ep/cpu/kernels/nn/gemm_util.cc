#include "ep/cpu/kernels/nn/gemm_util.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/cpu_isa.h"
#include "ep/cpu/kernels/nn/gemm_blocked.h"
#include "ep/cpu/ukernels/gemm_isa.h"

namespace onyx::cpu {

namespace {

// The portable build of the blocked core (gemm_blocked.h): 128-bit GCC vectors, which every target has (SSE2 on
// x86-64, NEON on AArch64); ukernels/float_gemm__avx2.cc and __avx512.cc are the wider builds.
template <typename T>
struct Traits;
template <>
struct Traits<float> {
  typedef float V __attribute__((vector_size(16)));
  static constexpr int kLanes = 4;
};
template <>
struct Traits<double> {
  typedef double V __attribute__((vector_size(16)));
  static constexpr int kLanes = 2;
};

struct PortableFloat {
  using T = float;
  using V = Traits<float>::V;
  static constexpr int kLanes = 4, kMr = 6, kNr = 8;
  static constexpr int64_t kMc = 120, kKc = 256, kNc = 512;
};
struct PortableDouble {
  using T = double;
  using V = Traits<double>::V;
  static constexpr int kLanes = 2, kMr = 6, kNr = 4;
  static constexpr int64_t kMc = 120, kKc = 192, kNc = 256;
};

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

// Rough single-core costs of one multiply-add, from which ThreadPool decides whether a product is worth splitting
// and into how many blocks: the packed path runs near the core's peak, the few-rows path streams B from memory.
constexpr double kNsPerMacBlocked = 0.015;
constexpr double kNsPerMacRows = 0.06;
constexpr double kNsPerMacPackedRows = 0.02;  // the vectorized few-rows product over packed B, bound by reading B

// Few rows (a matrix-vector product, a recurrent step with a small batch):
// packing would cost more than it saves, so each output row is an axpy over B's
// rows or a set of dot products with B's columns. Threads split the columns (and the rows), so even one row
// is shared out.
template <typename T>
void RowsGemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b,
              int64_t ldb, T beta, T* c, int64_t ldc, ThreadPool* pool) {
  // Column blocks of 256, or narrower when threads share the product, so that a single row still splits evenly.
  const double macs = static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  if (macs * kNsPerMacRows < 2.0 * static_cast<double>(ThreadPool::MinBlockFor(1.0))) pool = nullptr;
  const int64_t kBlock =
      pool == nullptr ? 256 : std::clamp<int64_t>((n / (2 * pool->threads()) + 15) / 16 * 16, 32, 256);
  const int64_t blocks = (n + kBlock - 1) / kBlock;
  ThreadPool::For(pool, m * blocks, static_cast<double>(std::min(n, kBlock) * k) * kNsPerMacRows,
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
                      for (int64_t j = 0; j < nb; ++j)
                        cr[j] = beta == T(0) ? alpha * acc[j] : alpha * acc[j] + beta * cr[j];
                    }
                  });
}

// The pool when the packed product is worth splitting: at least two blocks' worth of work, a block being the
// least a hand-off pays for. (The product shrinks its tiles to give every thread some, which costs a little
// speed, so a small product is better left whole.)
ThreadPool* PoolWorthIt(int64_t m, int64_t n, int64_t k, ThreadPool* pool) {
  if (pool == nullptr) return nullptr;
  const double macs = static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  return macs * kNsPerMacBlocked < 2.0 * static_cast<double>(ThreadPool::MinBlockFor(1.0)) ? nullptr : pool;
}

// The build that runs: the one asked for when the processor has it, else the best it has.
GemmIsa Resolve(GemmIsa isa) {
#if ONYX_X86
  if (isa == GemmIsa::kAvx512 && HasAvx512()) return GemmIsa::kAvx512;
  if (isa == GemmIsa::kAvx2 && HasAvx2()) return GemmIsa::kAvx2;
  if (isa == GemmIsa::kPortable) return GemmIsa::kPortable;
  return HasAvx512() ? GemmIsa::kAvx512 : HasAvx2() ? GemmIsa::kAvx2 : GemmIsa::kPortable;
#else
  return GemmIsa::kPortable;
#endif
}

template <typename T>
void GemmImpl(GemmIsa isa, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a,
              int64_t lda, const T* b, int64_t ldb, T beta, T* c, int64_t ldc, ThreadPool* pool) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == T(0)) {
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) c[i * ldc + j] = beta == T(0) ? T(0) : beta * c[i * ldc + j];
    }
    return;
  }
  if (m < 4) {
    RowsGemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool);
    return;
  }
  pool = PoolWorthIt(m, n, k, pool);
  if constexpr (std::is_same_v<T, float>) {
    switch (Resolve(isa)) {
#if ONYX_X86
      case GemmIsa::kAvx512:
        return SgemmBlockedAvx512(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool, nullptr);
      case GemmIsa::kAvx2:
        return SgemmBlockedAvx2(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool, nullptr);
#endif
      default:
        return gemm_blocked::Gemm<PortableFloat>(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool);
    }
  } else {
#if ONYX_X86
    if (HasAvx2()) return DgemmBlockedAvx2(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool);
#endif
    gemm_blocked::Gemm<PortableDouble>(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool);
  }
}

}  // namespace

void Gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
          const float* b, int64_t ldb, float beta, float* c, int64_t ldc, ThreadPool* pool) {
  GemmImpl<float>(GemmIsa::kAuto, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool);
}

void Gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, double alpha, const double* a, int64_t lda,
          const double* b, int64_t ldb, double beta, double* c, int64_t ldc, ThreadPool* pool) {
  GemmImpl<double>(GemmIsa::kAuto, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool);
}

bool Avx512Available() { return HasAvx512(); }

void* gemm_blocked::ThreadScratch(int slot, size_t bytes) {
  struct Free {
    void operator()(void* p) const { std::free(p); }
  };
  struct Buffer {
    std::unique_ptr<void, Free> data;
    size_t size = 0;
  };
  thread_local Buffer buffers[2];
  Buffer& buf = buffers[slot];
  if (buf.size < bytes) {
    const size_t size = (bytes + 63) / 64 * 64;
    buf.data.reset(std::aligned_alloc(64, size));
    if (!buf.data) throw std::bad_alloc();
    buf.size = size;
  }
  return buf.data.get();
}

PackedGemmA::PackedGemmA(bool trans_a, int64_t m, int64_t k, const float* a, int64_t lda)
    : trans_a_(trans_a), m_(m), k_(k), lda_(lda) {
  if (m < 4 || k <= 0) return;  // few rows take the path that packs nothing, from the unpacked matrix
  isa_ = Resolve(GemmIsa::kAuto);
  switch (isa_) {
#if ONYX_X86
    case GemmIsa::kAvx512:
      data_.resize(static_cast<size_t>(SgemmPackedASizeAvx512(m, k)));
      SgemmPackAAvx512(trans_a, a, lda, m, k, data_.data());
      break;
    case GemmIsa::kAvx2:
      data_.resize(static_cast<size_t>(SgemmPackedASizeAvx2(m, k)));
      SgemmPackAAvx2(trans_a, a, lda, m, k, data_.data());
      break;
#endif
    default:
      data_.resize(static_cast<size_t>(gemm_blocked::PackedASize<PortableFloat>(m, k)));
      gemm_blocked::PackWholeA<PortableFloat>(trans_a, a, lda, m, k, data_.data());
  }
}

void GemmPackedA(const PackedGemmA& a, const float* unpacked_a, bool trans_b, int64_t n, float alpha, const float* b,
                 int64_t ldb, float beta, float* c, int64_t ldc, ThreadPool* pool) {
  const int64_t m = a.m_, k = a.k_;
  if (a.empty() || n <= 0 || alpha == 0.0f) {
    GemmImpl<float>(GemmIsa::kAuto, a.trans_a_, trans_b, m, n, k, alpha, unpacked_a, a.lda_, b, ldb, beta, c, ldc,
                    pool);
    return;
  }
  pool = PoolWorthIt(m, n, k, pool);
  switch (a.isa_) {
#if ONYX_X86
    case GemmIsa::kAvx512:
      return SgemmBlockedAvx512(false, trans_b, m, n, k, alpha, nullptr, 0, b, ldb, beta, c, ldc, pool, a.data_.data());
    case GemmIsa::kAvx2:
      return SgemmBlockedAvx2(false, trans_b, m, n, k, alpha, nullptr, 0, b, ldb, beta, c, ldc, pool, a.data_.data());
#endif
    default:
      return gemm_blocked::Gemm<PortableFloat>(false, trans_b, m, n, k, alpha, nullptr, 0, b, ldb, beta, c, ldc, pool,
                                               a.data_.data());
  }
}

PackedGemmB::PackedGemmB(bool trans_b, int64_t k, int64_t n, const float* b, int64_t ldb)
    : trans_b_(trans_b), k_(k), n_(n) {
  if (k <= 0 || n <= 0) return;
  isa_ = Resolve(GemmIsa::kAuto);
  switch (isa_) {
#if ONYX_X86
    case GemmIsa::kAvx512:
      data_.resize(static_cast<size_t>(SgemmPackedBSizeAvx512(k, n)));
      SgemmPackBAvx512(trans_b, b, ldb, k, n, data_.data());
      break;
    case GemmIsa::kAvx2:
      data_.resize(static_cast<size_t>(SgemmPackedBSizeAvx2(k, n)));
      SgemmPackBAvx2(trans_b, b, ldb, k, n, data_.data());
      break;
#endif
    default:
      data_.resize(static_cast<size_t>(gemm_blocked::PackedBSize<PortableFloat>(k, n)));
      gemm_blocked::PackWholeB<PortableFloat>(trans_b, b, ldb, k, n, data_.data());
  }
}

void GemmPackedB(const PackedGemmB& packed, bool trans_a, int64_t m, float alpha, const float* a, int64_t lda,
                 const float* b, float beta, float* c, int64_t ldc, ThreadPool* pool) {
  const int64_t k = packed.k_, n = packed.n_;
  const int64_t ldb = packed.trans_b_ ? k : n;
  // One to three rows (a matrix-vector product) read the packed panels directly where there is a vector loop for
  // them (AVX-512, AVX2); elsewhere they take the unpacked few-rows path, which reads B as it was.
  const bool vector_rows = ONYX_X86 && (packed.isa_ == GemmIsa::kAvx512 || packed.isa_ == GemmIsa::kAvx2);
  if (packed.empty() || alpha == 0.0f || m <= 0 || (m < 4 && !vector_rows)) {
    GemmImpl<float>(GemmIsa::kAuto, trans_a, packed.trans_b_, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool);
    return;
  }
  const float* pb = packed.data_.data();
#if ONYX_X86
  // The panels are shared out between threads when the product is worth it.
  if (m < 4) {
    const bool wide = packed.isa_ == GemmIsa::kAvx512;
    const int64_t nr = wide ? kSgemmNrAvx512 : kSgemmNrAvx2, panels = (n + nr - 1) / nr;
    ThreadPool::For(pool, panels, static_cast<double>(m * k * nr) * kNsPerMacPackedRows,
                    [&](int64_t begin, int64_t end) {
                      if (wide) {
                        SgemmRowsPackedBAvx512(m, n, k, alpha, a, lda, trans_a, pb, beta, c, ldc, begin, end);
                      } else {
                        SgemmRowsPackedBAvx2(m, n, k, alpha, a, lda, trans_a, pb, beta, c, ldc, begin, end);
                      }
                    });
    return;
  }
#endif
  pool = PoolWorthIt(m, n, k, pool);
  switch (packed.isa_) {
#if ONYX_X86
    case GemmIsa::kAvx512:
      return SgemmBlockedAvx512(trans_a, false, m, n, k, alpha, a, lda, nullptr, 0, beta, c, ldc, pool, nullptr, pb);
    case GemmIsa::kAvx2:
      return SgemmBlockedAvx2(trans_a, false, m, n, k, alpha, a, lda, nullptr, 0, beta, c, ldc, pool, nullptr, pb);
#endif
    default:
      return gemm_blocked::Gemm<PortableFloat>(trans_a, false, m, n, k, alpha, a, lda, nullptr, 0, beta, c, ldc, pool,
                                               nullptr, pb);
  }
}

void GemmWithIsa(GemmIsa isa, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                 int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc, ThreadPool* pool) {
  GemmImpl<float>(isa, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool);
}

}  // namespace onyx::cpu

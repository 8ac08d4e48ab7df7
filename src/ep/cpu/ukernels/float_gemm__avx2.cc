// The blocked GEMM (kernels/nn/gemm_blocked.h) with 256-bit GCC vectors: this file is compiled for x86-64-v3 (AVX2 +
// FMA; see CMakeLists.txt) and called only after cpu::HasAvx2(). The micro-tile is 6 rows x 16 columns: 12
// accumulators, two B vectors and the broadcast A value fit the 16 vector registers.
#include "ep/cpu/kernels/nn/gemm_blocked.h"
#include "ep/cpu/ukernels/float_gemm_rows_packed.h"
#include "ep/cpu/ukernels/gemm_isa.h"

#if !defined(__AVX2__) || !defined(__FMA__)
#error "float_gemm__avx2.cc must be compiled with AVX2 and FMA enabled"
#endif

namespace onyx::cpu {

namespace {

struct Avx2Float {
  using T = float;
  typedef float V __attribute__((vector_size(32)));
  static constexpr int kLanes = 8, kMr = 6, kNr = 16;
  static constexpr int64_t kMc = 120, kKc = 256, kNc = 512;
};
struct Avx2Double {
  using T = double;
  typedef double V __attribute__((vector_size(32)));
  static constexpr int kLanes = 4, kMr = 6, kNr = 8;
  static constexpr int64_t kMc = 120, kKc = 192, kNc = 256;
};

}  // namespace

void SgemmBlockedAvx2(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                      int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc, ThreadPool* pool,
                      const float* packed_a, const float* packed_b) {
  gemm_blocked::Gemm<Avx2Float>(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool, packed_a,
                                packed_b);
}

int64_t SgemmPackedASizeAvx2(int64_t m, int64_t k) { return gemm_blocked::PackedASize<Avx2Float>(m, k); }

void SgemmPackAAvx2(bool trans_a, const float* a, int64_t lda, int64_t m, int64_t k, float* dst) {
  gemm_blocked::PackWholeA<Avx2Float>(trans_a, a, lda, m, k, dst);
}

int64_t SgemmPackedBSizeAvx2(int64_t k, int64_t n) { return gemm_blocked::PackedBSize<Avx2Float>(k, n); }

static_assert(kSgemmNrAvx2 == Avx2Float::kNr, "gemm_isa.h states the panel width");

void SgemmRowsPackedBAvx2(int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda, bool trans_a,
                          const float* packed_b, float beta, float* c, int64_t ldc, int64_t panel_begin,
                          int64_t panel_end) {
  gemm_rows::RowsPackedB<Avx2Float::V, Avx2Float::kNr, Avx2Float::kKc>(m, n, k, alpha, a, lda, trans_a, packed_b, beta,
                                                                       c, ldc, panel_begin, panel_end);
}

void SgemmPackBAvx2(bool trans_b, const float* b, int64_t ldb, int64_t k, int64_t n, float* dst) {
  gemm_blocked::PackWholeB<Avx2Float>(trans_b, b, ldb, k, n, dst);
}

void DgemmBlockedAvx2(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, double alpha, const double* a,
                      int64_t lda, const double* b, int64_t ldb, double beta, double* c, int64_t ldc,
                      ThreadPool* pool) {
  gemm_blocked::Gemm<Avx2Double>(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool);
}

}  // namespace onyx::cpu

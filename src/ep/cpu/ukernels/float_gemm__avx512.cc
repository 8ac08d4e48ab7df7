// The blocked float GEMM with 512-bit vectors (this file alone is compiled with -mavx512f -mavx512vl; see
// CMakeLists.txt). The micro-tile is 14 rows x 32 columns: 28 accumulators, two B vectors and the broadcast A
// value fill the 32 vector registers, twice the work per loaded value of the AVX2 tile.
#include "ep/cpu/kernels/nn/gemm_blocked.h"
#include "ep/cpu/ukernels/gemm_isa.h"

#if !defined(__AVX512F__)
#error "float_gemm__avx512.cc must be compiled with AVX-512 enabled"
#endif

namespace onyx::cpu {

namespace {

struct Avx512Float {
  using T = float;
  typedef float V __attribute__((vector_size(64)));
  static constexpr int kLanes = 16, kMr = 14, kNr = 32;
  static constexpr int64_t kMc = 14 * 10, kKc = 256, kNc = 768;
};

}  // namespace

void SgemmBlockedAvx512(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                        int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc, ThreadPool* pool) {
  gemm_blocked::Gemm<Avx512Float>(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool);
}

}  // namespace onyx::cpu

// The blocked float GEMM with 512-bit vectors (this file alone is compiled with -mavx512f -mavx512vl; see
// CMakeLists.txt). The micro-tile is 8 rows x 48 columns: 24 accumulators, three B vectors and the broadcast A
// value fit the 32 vector registers, and 8 rows divide the channel counts of most convolutions (a taller tile
// wastes its unused rows on the 16- or 48-channel layers of small networks).
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
  static constexpr int kLanes = 16, kMr = 8, kNr = 48;
  static constexpr int64_t kMc = 8 * 16, kKc = 256, kNc = 48 * 16;
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

void SgemmPackBAvx512(bool trans_b, const float* b, int64_t ldb, int64_t k, int64_t n, float* dst) {
  gemm_blocked::PackWholeB<Avx512Float>(trans_b, b, ldb, k, n, dst);
}

}  // namespace onyx::cpu

// GEMM builds for instruction sets beyond the baseline, each compiled in its own file with that set enabled
// and called only after a run-time check (ep/cpu/cpu_isa.h); the portable build is in kernels/nn/gemm_util.cc.
#pragma once

#include <cstdint>

#include "ep/cpu/isa_built.h"

namespace onyx {
class ThreadPool;
}

namespace onyx::cpu {

// The blocked float GEMM (m >= 4, k >= 1) with 512-bit vectors: ukernels/float_gemm__avx512.cc. With packed_a
// (SgemmPackAAvx512's layout), a is not read;
// likewise b with packed_b (SgemmPackBAvx512's).
ONYX_AVX512_KERNEL void SgemmBlockedAvx512(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                                           const float* a, int64_t lda, const float* b, int64_t ldb, float beta,
                                           float* c, int64_t ldc, ThreadPool* pool, const float* packed_a,
                                           const float* packed_b = nullptr);
ONYX_AVX512_KERNEL int64_t SgemmPackedASizeAvx512(int64_t m, int64_t k);
ONYX_AVX512_KERNEL void SgemmPackAAvx512(bool trans_a, const float* a, int64_t lda, int64_t m, int64_t k, float* dst);
ONYX_AVX512_KERNEL int64_t SgemmPackedBSizeAvx512(int64_t k, int64_t n);
ONYX_AVX512_KERNEL void SgemmPackBAvx512(bool trans_b, const float* b, int64_t ldb, int64_t k, int64_t n, float* dst);

// Products of m = 1 to 3 rows with a B packed by SgemmPackBAvx512 (matrix-vector products with constant weights):
// output columns of packed panels [panel_begin, panel_end), kSgemmNrAvx512 columns a panel.
inline constexpr int kSgemmNrAvx512 = 48;
ONYX_AVX512_KERNEL void SgemmRowsPackedBAvx512(int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                                               int64_t lda, bool trans_a, const float* packed_b, float beta, float* c,
                                               int64_t ldc, int64_t panel_begin, int64_t panel_end);

// The same with 256-bit vectors (AVX2 + FMA): ukernels/float_gemm__avx2.cc, and its double form.
void SgemmBlockedAvx2(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                      int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc, ThreadPool* pool,
                      const float* packed_a, const float* packed_b = nullptr);
int64_t SgemmPackedASizeAvx2(int64_t m, int64_t k);
void SgemmPackAAvx2(bool trans_a, const float* a, int64_t lda, int64_t m, int64_t k, float* dst);
int64_t SgemmPackedBSizeAvx2(int64_t k, int64_t n);
// The few-rows product above with a B packed by SgemmPackBAvx2 (kSgemmNrAvx2 columns a panel).
inline constexpr int kSgemmNrAvx2 = 16;
void SgemmRowsPackedBAvx2(int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda, bool trans_a,
                          const float* packed_b, float beta, float* c, int64_t ldc, int64_t panel_begin,
                          int64_t panel_end);

void SgemmPackBAvx2(bool trans_b, const float* b, int64_t ldb, int64_t k, int64_t n, float* dst);
void DgemmBlockedAvx2(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, double alpha, const double* a,
                      int64_t lda, const double* b, int64_t ldb, double beta, double* c, int64_t ldc, ThreadPool* pool);

}  // namespace onyx::cpu

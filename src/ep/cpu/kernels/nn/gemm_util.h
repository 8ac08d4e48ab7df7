// Dense matrix multiply shared by Conv, ConvTranspose, Gemm, MatMul and the
// recurrent operators.
//
//   C[M,N] = alpha * op(A)[M,K] * op(B)[K,N] + beta * C
//
// op(A) is A (row-major, leading dimension lda) or its transpose; likewise
// op(B). With beta == 0, C is written without being read, so it may hold
// garbage (NaN) on entry.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace onyx {
class ThreadPool;
}

namespace onyx::cpu {

// Cache-blocked, packed GEMM for float and double, parallel over output tiles
// when `pool` is given.
void Gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
          const float* b, int64_t ldb, float beta, float* c, int64_t ldc, ThreadPool* pool);
void Gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, double alpha, const double* a, int64_t lda,
          const double* b, int64_t ldb, double beta, double* c, int64_t ldc, ThreadPool* pool);

// Which build of the float kernel runs: kAuto picks the best the processor has (AVX-512, AVX2, else the portable
// one; cpu_isa.h, capped by ONYX_ISA). Tests pin one to compare them; an unavailable choice falls back to the best.
enum class GemmIsa { kAuto, kPortable, kAvx2, kAvx512 };
bool Avx512Available();  // cpu::HasAvx512()
void GemmWithIsa(GemmIsa isa, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                 int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc, ThreadPool* pool);

// A float left-hand matrix op(A)[m,k] packed once for many products with different right-hand sides (a Conv's or
// a Gemm's constant weights): the products skip reading and packing A.
class PackedGemmA {
 public:
  PackedGemmA() = default;
  PackedGemmA(bool trans_a, int64_t m, int64_t k, const float* a, int64_t lda);
  bool empty() const { return data_.empty(); }
  int64_t m() const { return m_; }
  int64_t k() const { return k_; }

 private:
  friend void GemmPackedA(const PackedGemmA&, const float*, bool, int64_t, float, const float*, int64_t, float, float*,
                          int64_t, ThreadPool*);
  GemmIsa isa_ = GemmIsa::kPortable;
  bool trans_a_ = false;
  int64_t m_ = 0, k_ = 0, lda_ = 0;
  std::vector<float> data_;  // empty for fewer than four rows
};

// C[m,n] = alpha * op(A) * op(B) + beta * C with A packed (m and k from it). `unpacked_a` is the matrix the
// packing was made from (same orientation and leading dimension), read by products of few rows.
void GemmPackedA(const PackedGemmA& a, const float* unpacked_a, bool trans_b, int64_t n, float alpha, const float* b,
                 int64_t ldb, float beta, float* c, int64_t ldc, ThreadPool* pool);

// A float right-hand matrix op(B)[k,n] packed once (a MatMul's or Gemm's constant weights).
class PackedGemmB {
 public:
  PackedGemmB() = default;
  PackedGemmB(bool trans_b, int64_t k, int64_t n, const float* b, int64_t ldb);
  bool empty() const { return data_.empty(); }
  int64_t k() const { return k_; }
  int64_t n() const { return n_; }
  bool trans_b() const { return trans_b_; }

 private:
  friend void GemmPackedB(const PackedGemmB&, bool, int64_t, float, const float*, int64_t, const float*, float, float*,
                          int64_t, ThreadPool*);
  // Leaves the floats of resize() unset: the packing writes every one (padding columns as zeros), and zeroing them
  // first was a second pass over the packed matrix, with its page faults, at session creation.
  struct UninitAllocator : std::allocator<float> {
    template <typename U>
    struct rebind {
      using other = UninitAllocator;
    };
    void construct(float* p) noexcept { (void)p; }
  };
  GemmIsa isa_ = GemmIsa::kPortable;
  bool trans_b_ = false;
  int64_t k_ = 0, n_ = 0;
  std::vector<float, UninitAllocator> data_;
};

// C[m,n] = alpha * op(A) * B + beta * C with B packed (k and n from it). `b` is the unpacked matrix the packing
// was made from (op(B) with B's leading dimension k or n as trans_b says), used for products of few rows, which
// read B directly.
void GemmPackedB(const PackedGemmB& packed, bool trans_a, int64_t m, float alpha, const float* a, int64_t lda,
                 const float* b, float beta, float* c, int64_t ldc, ThreadPool* pool);

// Plain triple loop for floating-point types: the reference that tests compare
// the blocked version against.
template <typename T>
void GemmReference(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda,
                   const T* b, int64_t ldb, T beta, T* c, int64_t ldc) {
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      T acc = T(0);
      for (int64_t p = 0; p < k; ++p) {
        T av = trans_a ? a[p * lda + i] : a[i * lda + p];
        T bv = trans_b ? b[j * ldb + p] : b[p * ldb + j];
        acc += av * bv;
      }
      T& out = c[i * ldc + j];
      out = beta == T(0) ? alpha * acc : alpha * acc + beta * out;
    }
  }
}

}  // namespace onyx::cpu

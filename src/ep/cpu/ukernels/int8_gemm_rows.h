// The row loops of the 8-bit GEMM's driver (quant::Qgemm): A's copy and row sums, and the epilogue's int32 and
// float outputs and column terms.
// They are plain loops the compiler vectorizes, so their speed is the width it may use: int8_gemm.cc instantiates
// them for the baseline and int8_gemm__avx2.cc for AVX2 (QgemmRowsAvx2, called only after cpu::HasAvx2()).
// Each instantiation takes a tag type of internal linkage, so that neither copy can stand in for the other at link
// time (scripts/check_isa_symbols). Sums wrap modulo 2^32 as the micro-kernels' do; every copy computes the same
// bits (a float multiply and a separate add, no contraction).
#pragma once

#include <cstdint>

namespace onyx::cpu::ukernels {

struct QgemmRowOps {
  // o[j] = float(c[j] + ra + add[j]) * scale[j] (+ fb[j] when fb is not null), j < cols.
  void (*float_row)(const int32_t* c, uint32_t ra, const int32_t* add, const float* scale, const float* fb,
                    int64_t cols, float* o);
  // o[j] = c[j] + ra + add[j], j < cols.
  void (*int32_row)(const int32_t* c, uint32_t ra, const int32_t* add, int64_t cols, int32_t* o);
  // add[j] = (bias ? bias[j] : 0) + base - za * cs[j], j < cols.
  void (*column_add)(const int32_t* bias, uint32_t base, uint32_t za, const int32_t* cs, int64_t cols, int32_t* add);
  // sums[r] = sum of a[r * stride + kk] over kk < stride, r < rows.
  void (*sum_rows)(const uint8_t* a, int64_t rows, int64_t stride, int32_t* sums);
  // d[kk] = src[kk] ^ flip, kk < k.
  void (*copy_xor)(const uint8_t* src, int64_t k, uint8_t flip, uint8_t* d);
};

// The AVX2 build of the loops below (int8_gemm__avx2.cc); only after cpu::HasAvx2().
const QgemmRowOps& QgemmRowsAvx2();

namespace epilogue {

template <typename Tag>
void FloatRow(const int32_t* c, uint32_t ra, const int32_t* add, const float* scale, const float* fb, int64_t cols,
              float* o) {
  // Multiply, then add: the rounding of onnxruntime's scale-and-bias output step.
  for (int64_t j = 0; j < cols; ++j) {
    o[j] = static_cast<float>(static_cast<int32_t>(static_cast<uint32_t>(c[j]) + ra + static_cast<uint32_t>(add[j]))) *
           scale[j];
  }
  if (fb != nullptr) {
    for (int64_t j = 0; j < cols; ++j) o[j] += fb[j];
  }
}

template <typename Tag>
void Int32Row(const int32_t* c, uint32_t ra, const int32_t* add, int64_t cols, int32_t* o) {
  for (int64_t j = 0; j < cols; ++j) {
    o[j] = static_cast<int32_t>(static_cast<uint32_t>(c[j]) + ra + static_cast<uint32_t>(add[j]));
  }
}

template <typename Tag>
void ColumnAdd(const int32_t* bias, uint32_t base, uint32_t za, const int32_t* cs, int64_t cols, int32_t* add) {
  if (bias != nullptr) {
    for (int64_t j = 0; j < cols; ++j) {
      add[j] = static_cast<int32_t>(static_cast<uint32_t>(bias[j]) + base - za * static_cast<uint32_t>(cs[j]));
    }
  } else {
    for (int64_t j = 0; j < cols; ++j) add[j] = static_cast<int32_t>(base - za * static_cast<uint32_t>(cs[j]));
  }
}

template <typename Tag>
void SumRows(const uint8_t* a, int64_t rows, int64_t stride, int32_t* sums) {
  for (int64_t r = 0; r < rows; ++r) {
    const uint8_t* d = a + r * stride;
    int32_t s = 0;
    for (int64_t kk = 0; kk < stride; ++kk) s += d[kk];
    sums[r] = s;
  }
}

template <typename Tag>
void CopyXor(const uint8_t* src, int64_t k, uint8_t flip, uint8_t* d) {
  for (int64_t kk = 0; kk < k; ++kk) d[kk] = static_cast<uint8_t>(src[kk] ^ flip);
}

template <typename Tag>
const QgemmRowOps& Ops() {
  static const QgemmRowOps ops{FloatRow<Tag>, Int32Row<Tag>, ColumnAdd<Tag>, SumRows<Tag>, CopyXor<Tag>};
  return ops;
}

}  // namespace epilogue
}  // namespace onyx::cpu::ukernels

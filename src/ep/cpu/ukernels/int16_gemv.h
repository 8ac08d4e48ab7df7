// An exact integer vector-matrix product for centered 8-bit operands (|value| <= 255, so int16 holds them): the
// recurrent step of DynamicQuantizeLSTM and other one-row products with a constant B. B is packed once into pairs
// of rows, so that one multiply-add instruction (vpmaddwd) takes two steps of k for eight columns at a time.
#pragma once

#include <cstdint>
#include <vector>

namespace onyx::cpu::ukernels {

// B [k, n] as int16, rows interleaved in pairs: element (l, j) at ((l / 2) * n + j) * 2 + l % 2; an odd k gets a
// zero row.
struct Int16PairsB {
  int64_t k = 0, n = 0;
  std::vector<int16_t> data;
};

// Packs b [k, n]; every value must fit int16.
Int16PairsB PackInt16Pairs(const int32_t* b, int64_t k, int64_t n);

// out[j] = sum_l a[l] * B[l, j], exact in int32 (each |a| and |B| at most 255, k below 2^15).
void Int16Gemv(const int32_t* a, const Int16PairsB& b, int32_t* out);

// The AVX2 part of Int16Gemv: the first columns in blocks of 32, returning how many (int16_gemv__avx2.cc).
int64_t Int16GemvColumnsAvx2(const int32_t* a, const Int16PairsB& b, int32_t* out);

}  // namespace onyx::cpu::ukernels

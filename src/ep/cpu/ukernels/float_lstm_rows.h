// The element loops of DynamicQuantizeLSTM's step (kernels/quant/dynamic_quantize_lstm.cc) for cells without
// peepholes or clip. They are plain loops the compiler vectorizes, so their speed is the width it may use: the
// kernel instantiates them for the baseline and float_lstm_rows__avx2.cc for AVX2 (LstmRowsAvx2, called only after
// cpu::HasAvx2()). Each instantiation takes a tag type of internal linkage, so that neither copy can stand in for
// the other at link time (scripts/check_isa_symbols). Every copy computes the same bits (no contraction).
#pragma once

#include <cstdint>

namespace onyx::cpu::ukernels {

struct LstmRowOps {
  // o[j] = (a[j] + b[j]) + c[j], j < n.
  void (*sum3)(const float* a, const float* b, const float* c, int64_t n, float* o);
  // cell[j] = f[j] * cell[j] + i[j] * g[j]; h[j] = cell[j], j < n.
  void (*cell)(const float* i, const float* f, const float* g, int64_t n, float* cell, float* h);
  // h[j] *= o[j], j < n.
  void (*mul)(const float* o, int64_t n, float* h);
  // o[j] = s * v[j], j < n.
  void (*scale)(float s, const float* v, int64_t n, float* o);
};

// The AVX2 build of the loops below (float_lstm_rows__avx2.cc); only after cpu::HasAvx2().
const LstmRowOps& LstmRowsAvx2();

namespace lstm_rows {

template <typename Tag>
void Sum3(const float* a, const float* b, const float* c, int64_t n, float* o) {
  for (int64_t j = 0; j < n; ++j) o[j] = a[j] + b[j] + c[j];
}

template <typename Tag>
void Cell(const float* i, const float* f, const float* g, int64_t n, float* cell, float* h) {
  for (int64_t j = 0; j < n; ++j) {
    cell[j] = f[j] * cell[j] + i[j] * g[j];
    h[j] = cell[j];
  }
}

template <typename Tag>
void Mul(const float* o, int64_t n, float* h) {
  for (int64_t j = 0; j < n; ++j) h[j] *= o[j];
}

template <typename Tag>
void Scale(float s, const float* v, int64_t n, float* o) {
  for (int64_t j = 0; j < n; ++j) o[j] = s * v[j];
}

template <typename Tag>
const LstmRowOps& Ops() {
  static const LstmRowOps ops{Sum3<Tag>, Cell<Tag>, Mul<Tag>, Scale<Tag>};
  return ops;
}

}  // namespace lstm_rows
}  // namespace onyx::cpu::ukernels

// Vectorized float math for the activation, softmax, normalization and attention kernels: exp, tanh, sigmoid,
// erf and the GELU forms, a softmax row and a layer-normalization row. Each function has a build for AVX-512
// (float_vmath__avx512.cc), one for AVX2 (float_vmath__avx2.cc) and a portable one (float_vmath.cc), all from the same
// template (float_vmath_impl.h), chosen once at run time after a check of the processor; the std:: forms in `ref` are
// the reference the tests measure them against (tests/kernels/vmath_test.cc states the bounds).
//
// Accuracy over a sweep of float bit patterns, ±Inf and NaN (tests/kernels/vmath_test.cc): exp, tanh and erf
// within 2 ulp of the exact result, sigmoid within 2.5; the GELU forms within 2 ulp or 1e-7 absolute (x below
// about -5.6, where GELU is smaller than that, gives 0). NaN in gives NaN out; the limits at ±Inf are exact. x and y
// may be the same array.
#pragma once

#include <cstdint>

namespace onyx::cpu::vmath {

void Exp(const float* x, float* y, int64_t n);
void Tanh(const float* x, float* y, int64_t n);
void Sigmoid(const float* x, float* y, int64_t n);
void Erf(const float* x, float* y, int64_t n);
// x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)).
void Gelu(const float* x, float* y, int64_t n);
// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
void GeluTanh(const float* x, float* y, int64_t n);
// y = softmax(x) over n >= 1 values: exp(x - max) / sum. x and y may be the same array.
void SoftmaxRow(const float* x, float* y, int64_t n);

// One row of n values normalized: y = (x - mean) / sqrt(var + epsilon) * scale + bias (bias may be null);
// *mean_out and *inv_std_out (when not null) receive the statistics. y may be x.
void LayerNormRow(const float* x, const float* scale, const float* bias, float* y, int64_t n, float epsilon,
                  float* mean_out, float* inv_std_out);

// Which build the functions above use: "avx512", "avx2" or "portable".
const char* Isa();

// One build's table, for tests that compare the builds with each other and with `ref`.
struct Table {
  const char* isa;
  void (*exp)(const float*, float*, int64_t);
  void (*tanh)(const float*, float*, int64_t);
  void (*sigmoid)(const float*, float*, int64_t);
  void (*erf)(const float*, float*, int64_t);
  void (*gelu)(const float*, float*, int64_t);
  void (*gelu_tanh)(const float*, float*, int64_t);
  void (*softmax_row)(const float*, float*, int64_t);
  void (*layer_norm_row)(const float*, const float*, const float*, float*, int64_t, float, float*, float*);
};
// The builds this processor can run, fastest first (the portable one always).
int AvailableTables(const Table** tables);

namespace ref {
// The plain forms with std:: functions (computed in double where that is what makes them a reference).
float Exp(float x);
float Tanh(float x);
float Sigmoid(float x);
float Erf(float x);
float Gelu(float x);
float GeluTanh(float x);
}  // namespace ref

}  // namespace onyx::cpu::vmath

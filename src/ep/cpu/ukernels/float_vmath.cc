// float_vmath.h: the portable build (4-float vectors of plain C++), the choice of build at run time, and the
// std:: references.
#include <cmath>

#include "ep/cpu/cpu_isa.h"
#include "ep/cpu/ukernels/float_vmath_impl.h"

namespace onyx::cpu::vmath {
namespace {
struct Lanes4 {
  typedef float V __attribute__((vector_size(16)));
  typedef int32_t I __attribute__((vector_size(16)));
  static constexpr int kLanes = 4;
};
}  // namespace

const Table& TablePortable() {
  static const Table table = impl::Math<Lanes4>::MakeTable("portable");
  return table;
}

namespace {

const Table& Best() {
#if ONYX_X86
  static const Table& best = HasAvx512() ? TableAvx512() : HasAvx2() ? TableAvx2() : TablePortable();
#else
  static const Table& best = TablePortable();
#endif
  return best;
}

}  // namespace

int AvailableTables(const Table** tables) {
  int count = 0;
#if ONYX_X86
  if (HasAvx512()) tables[count++] = &TableAvx512();
  if (HasAvx2()) tables[count++] = &TableAvx2();
#endif
  tables[count++] = &TablePortable();
  return count;
}

const char* Isa() { return Best().isa; }

void Exp(const float* x, float* y, int64_t n) { Best().exp(x, y, n); }
void Tanh(const float* x, float* y, int64_t n) { Best().tanh(x, y, n); }
void Sigmoid(const float* x, float* y, int64_t n) { Best().sigmoid(x, y, n); }
void Erf(const float* x, float* y, int64_t n) { Best().erf(x, y, n); }
void Gelu(const float* x, float* y, int64_t n) { Best().gelu(x, y, n); }
void GeluTanh(const float* x, float* y, int64_t n) { Best().gelu_tanh(x, y, n); }
void SoftmaxRow(const float* x, float* y, int64_t n) { Best().softmax_row(x, y, n); }
void LayerNormRow(const float* x, const float* scale, const float* bias, float* y, int64_t n, float epsilon,
                  float* mean_out, float* inv_std_out) {
  Best().layer_norm_row(x, scale, bias, y, n, epsilon, mean_out, inv_std_out);
}

namespace ref {

float Exp(float x) { return std::exp(x); }
float Tanh(float x) { return std::tanh(x); }
float Sigmoid(float x) { return static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(x)))); }
float Erf(float x) { return std::erf(x); }
float Gelu(float x) {
  const double d = x;
  return static_cast<float>(0.5 * d * (1.0 + std::erf(d * 0.70710678118654752)));
}
float GeluTanh(float x) {
  const double d = x;
  return static_cast<float>(0.5 * d * (1.0 + std::tanh(0.79788456080286536 * (d + 0.044715 * d * d * d))));
}

}  // namespace ref
}  // namespace onyx::cpu::vmath

// The row loop of QLinearAdd and QLinearMul (kernels/quant/qlinear_binary.cc) with 512-bit vectors
// (int8_binary__avx512.cc), called only after a run-time check of the processor; the kernel's AVX2 and scalar loops
// are the fallback, and this one computes bit for bit what they do.
#pragma once

#include <cstdint>

namespace onyx::cpu {

// The constants of one call: Add uses ra and rb (scale ratios), Mul uses ra (the product of the ratios).
struct QBinaryParams {
  float za, zb, ra, rb;
  int32_t zc;
};

// out[i] = saturate(round_half_even(v) + zc) with v = fma(a[i] - za, ra, (b[i] - zb) * rb) (Add) or
// (a[i] - za) * (b[i] - zb) * ra (Mul), a[i] read as a[0] when a_scalar (b likewise), 8-bit values signed or not,
// for the first n - n % 16 elements; returns how many it did.
int64_t QBinaryRowAvx512(const uint8_t* a, bool a_scalar, const uint8_t* b, bool b_scalar, uint8_t* out, int64_t n,
                         bool is_signed, bool mul, const QBinaryParams& q);
bool QBinaryAvx512Usable();

}  // namespace onyx::cpu

// Row kernels the com.onyx transformer operators share: Gelu (gelu.cc) with BiasGelu, LayerNormalization
// (layer_norm.cc) with SkipLayerNormalization.
#pragma once

#include <cstdint>

#include "common/status.h"
#include "framework/op_kernel.h"

namespace onyx::cpu::fused {

// y[i] = Gelu(x[i]) for n values, erf form or (tanh_form) the tanh approximation; x and y may be the same.
void GeluSpan(const float* x, float* y, int64_t n, bool tanh_form);
// Reads the `approximate` attribute ("none" or "tanh").
Status ReadGeluApproximate(const KernelInfo& info, bool* tanh_form);

// One row of n values normalized: y = (x - mean) / sqrt(var + epsilon) * scale + bias (bias may be null);
// mean_out and inv_std_out receive the statistics when not null.
void LayerNormRow(const float* x, const float* scale, const float* bias, float* y, int64_t n, float epsilon,
                  float* mean_out, float* inv_std_out);

}  // namespace onyx::cpu::fused

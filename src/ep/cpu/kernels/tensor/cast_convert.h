// Element conversions for Cast and CastLike: between every ONNX element type, including the float8 formats,
// float4e2m1, float8e8m0, the packed 4- and 2-bit integers, and strings.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "common/thread_pool.h"
#include "framework/tensor.h"
#include "ir/graph.h"

namespace onyx::cpu {

enum class E8M0Rounding { kUp, kDown, kNearest };

struct CastOptions {
  bool saturate = true;  // float8 targets: out-of-range values clamp to the largest finite value
  E8M0Rounding e8m0_rounding = E8M0Rounding::kUp;
};

// Converts `in` into `out`, which is allocated with the target type and the same shape.
Status CastTensor(const Tensor& in, Tensor* out, const CastOptions& options, ThreadPool* pool, const ir::Node& node);

// Single-value helpers, exposed for tests and for the quantization kernels.
float Float8ToFloat(uint8_t v, DataType type);
uint8_t FloatToFloat8(float f, DataType type, bool saturate);
float Float4ToFloat(uint8_t v);
uint8_t FloatToFloat4(float f);
float E8M0ToFloat(uint8_t v);
uint8_t FloatToE8M0(float f, bool saturate, E8M0Rounding rounding);

}  // namespace onyx::cpu

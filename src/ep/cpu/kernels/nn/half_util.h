// float16 and bfloat16 support for kernels that compute in float: widen the
// inputs, compute, narrow back.
#pragma once

#include <vector>

#include "ep/cpu/kernels/dispatch.h"
#include "framework/op_kernel.h"
#include "framework/tensor.h"

namespace onyx::cpu {

inline bool IsHalfType(DataType t) { return t == DataType::kFloat16 || t == DataType::kBFloat16; }

// A float copy of a float16/bfloat16 tensor (scratch memory from the run).
inline Result<Tensor> WidenToFloat(KernelContext& ctx, const Tensor& t) {
  ONYX_ASSIGN_OR_RETURN(Tensor f, ctx.Allocate(DataType::kFloat, t.shape()));
  float* out = f.data<float>();
  const int64_t n = t.size();
  if (t.type() == DataType::kFloat16) {
    const Float16* in = t.data<Float16>();
    for (int64_t i = 0; i < n; ++i) out[i] = HalfToFloat(in[i].bits);
  } else {
    const BFloat16* in = t.data<BFloat16>();
    for (int64_t i = 0; i < n; ++i) out[i] = BFloat16ToFloat(in[i].bits);
  }
  return f;
}

// Widens `t` when it is a half type; otherwise returns it unchanged (a view
// sharing its memory).
inline Result<Tensor> AsComputeTensor(KernelContext& ctx, const Tensor& t) {
  if (IsHalfType(t.type())) return WidenToFloat(ctx, t);
  return t.Reshaped(t.shape());
}

// Writes float values into a float16/bfloat16 tensor with as many elements.
inline void NarrowFromFloat(const Tensor& f, Tensor* out) {
  const float* in = f.data<float>();
  const int64_t n = out->size();
  if (out->type() == DataType::kFloat16) {
    Float16* o = out->data<Float16>();
    for (int64_t i = 0; i < n; ++i) o[i].bits = FloatToHalf(in[i]);
  } else {
    BFloat16* o = out->data<BFloat16>();
    for (int64_t i = 0; i < n; ++i) o[i].bits = FloatToBFloat16(in[i]);
  }
}

// The tensor a kernel computes into for output `out`: the output itself, or a
// float scratch for half types (then FinishOutput narrows it).
inline Result<Tensor> ComputeOutput(KernelContext& ctx, Tensor* out) {
  if (IsHalfType(out->type())) return ctx.Allocate(DataType::kFloat, out->shape());
  return out->Reshaped(out->shape());
}
inline void FinishOutput(const Tensor& computed, Tensor* out) {
  if (IsHalfType(out->type())) NarrowFromFloat(computed, out);
}

}  // namespace onyx::cpu

namespace onyx::cpu {

// The values of a small float tensor of any floating-point type (per-channel
// parameters), as doubles.
inline std::vector<double> ToDoubleVector(const Tensor& t) {
  std::vector<double> v(static_cast<size_t>(t.size()));
  switch (t.type()) {
    case DataType::kFloat:
      for (size_t i = 0; i < v.size(); ++i) v[i] = t.data<float>()[i];
      break;
    case DataType::kDouble:
      for (size_t i = 0; i < v.size(); ++i) v[i] = t.data<double>()[i];
      break;
    case DataType::kFloat16:
      for (size_t i = 0; i < v.size(); ++i) v[i] = HalfToFloat(t.data<Float16>()[i].bits);
      break;
    case DataType::kBFloat16:
      for (size_t i = 0; i < v.size(); ++i) v[i] = BFloat16ToFloat(t.data<BFloat16>()[i].bits);
      break;
    default:
      break;
  }
  return v;
}

// Writes doubles into a floating-point tensor of any type with as many
// elements.
inline void FromDoubleVector(const std::vector<double>& v, Tensor* t) {
  for (size_t i = 0; i < v.size(); ++i) {
    switch (t->type()) {
      case DataType::kFloat:
        t->data<float>()[i] = static_cast<float>(v[i]);
        break;
      case DataType::kDouble:
        t->data<double>()[i] = v[i];
        break;
      case DataType::kFloat16:
        t->data<Float16>()[i].bits = FloatToHalf(static_cast<float>(v[i]));
        break;
      case DataType::kBFloat16:
        t->data<BFloat16>()[i].bits = FloatToBFloat16(static_cast<float>(v[i]));
        break;
      default:
        break;
    }
  }
}

}  // namespace onyx::cpu

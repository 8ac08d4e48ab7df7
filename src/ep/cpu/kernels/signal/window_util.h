// Shared by the window generators (HannWindow, HammingWindow, BlackmanWindow) and MelWeightMatrix: reading
// a scalar size input and writing double values into an output of the type chosen by output_datatype.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <type_traits>
#include <vector>

#include "ep/cpu/kernels/dispatch.h"
#include "framework/op_kernel.h"
#include "ir/shape_inference.h"

namespace onyx::cpu::window {

// The output types the signal generators may produce.
inline bool IsAllowedOutputType(int64_t t) {
  switch (static_cast<DataType>(t)) {
    case DataType::kUint8:
    case DataType::kUint16:
    case DataType::kUint32:
    case DataType::kUint64:
    case DataType::kInt8:
    case DataType::kInt16:
    case DataType::kInt32:
    case DataType::kInt64:
    case DataType::kFloat16:
    case DataType::kFloat:
    case DataType::kDouble:
    case DataType::kBFloat16:
      return true;
    default:
      return false;
  }
}

inline Status ReadOutputType(const KernelInfo& info, DataType* out) {
  int64_t t = 1;
  ONYX_RETURN_IF_ERROR(info.GetInt("output_datatype", &t, 1));
  if (!IsAllowedOutputType(t)) return info.Error("output_datatype ", t, " is not a supported numeric type");
  *out = static_cast<DataType>(t);
  return Status::Ok();
}

// Reads a scalar int32/int64 input.
inline Status ReadIntScalar(const KernelContext& ctx, size_t i, const char* name, int64_t* out) {
  const Tensor* t = ctx.input(i);
  if (!t) return ctx.Error("input ", name, " is required");
  if (t->size() != 1 || (t->type() != DataType::kInt64 && t->type() != DataType::kInt32)) {
    return ctx.Error(name, " must be a single int32 or int64 value, got ", t->Describe());
  }
  *out = t->type() == DataType::kInt64 ? t->data<int64_t>()[0] : t->data<int32_t>()[0];
  return Status::Ok();
}

// Converts like a numpy astype: floats narrow, integers truncate toward zero (saturating here, so that
// out-of-range values stay defined).
template <typename T>
T Convert(double v) {
  if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>) {
    return FromFloat<T>(static_cast<float>(v));
  } else if constexpr (std::is_integral_v<T>) {
    if (std::isnan(v)) return T(0);
    v = std::trunc(v);
    if (v <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
    if (v >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
    return static_cast<T>(v);
  } else {
    return static_cast<T>(v);
  }
}

inline Status WriteValues(const KernelContext& ctx, const std::vector<double>& values, Tensor* y) {
  return Dispatch<float, double, Float16, BFloat16, int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t,
                  uint64_t>(
      y->type(),
      [&](auto tag) -> Status {
        using T = decltype(tag);
        T* out = y->data<T>();
        for (size_t i = 0; i < values.size(); ++i) out[i] = Convert<T>(values[i]);
        return Status::Ok();
      },
      ctx.node());
}

// A window of `size` samples: value(n, N) with N = size when periodic and size - 1 otherwise.
class WindowKernel : public OpKernel {
 public:
  using Fn = double (*)(double n, double N);
  explicit WindowKernel(Fn fn) : fn_(fn) {}

  Status Init(const KernelInfo& info) override {
    int64_t periodic = 1;
    ONYX_RETURN_IF_ERROR(info.GetInt("periodic", &periodic, 1));
    periodic_ = periodic != 0;
    return ReadOutputType(info, &type_);
  }

  Status Compute(KernelContext& ctx) const override {
    int64_t size = 0;
    ONYX_RETURN_IF_ERROR(ReadIntScalar(ctx, 0, "size", &size));
    if (size < 0) return ctx.Error("size must be non-negative, got ", size);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, type_, Shape{size}));
    std::vector<double> v(static_cast<size_t>(size));
    const double N = static_cast<double>(periodic_ ? size : size - 1);
    for (int64_t n = 0; n < size; ++n) v[n] = N > 0 ? fn_(static_cast<double>(n), N) : 1.0;
    return WriteValues(ctx, v, y);
  }

 private:
  Fn fn_;
  bool periodic_ = true;
  DataType type_ = DataType::kFloat;
};

inline Status InferWindow(ir::InferenceContext& ctx) {
  const int64_t t = ctx.attr_int("output_datatype", 1);
  const DataType type = IsAllowedOutputType(t) ? static_cast<DataType>(t) : DataType::kUndefined;
  ir::SymShape out(1);
  if (const Tensor* s = ctx.input_constant(0); s && s->size() == 1) {
    const int64_t v = s->type() == DataType::kInt64   ? s->data<int64_t>()[0]
                      : s->type() == DataType::kInt32 ? s->data<int32_t>()[0]
                                                      : -1;
    if (v >= 0) out[0] = ir::Dim::Known(v);
  }
  ctx.SetOutput(0, type, out);
  return Status::Ok();
}

}  // namespace onyx::cpu::window

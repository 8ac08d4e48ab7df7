// The 'reduction' attribute of ScatterElements and ScatterND: how an update combines with the value it lands on.
#pragma once

#include <algorithm>
#include <string>
#include <type_traits>

#include "ep/cpu/kernels/dispatch.h"
#include "framework/op_kernel.h"

namespace onyx::cpu {

enum class ScatterReduction { kNone, kAdd, kMul, kMax, kMin };

inline Status ParseScatterReduction(const KernelInfo& info, ScatterReduction* out) {
  std::string r;
  ONYX_RETURN_IF_ERROR(info.GetString("reduction", &r, "none"));
  if (r == "none")
    *out = ScatterReduction::kNone;
  else if (r == "add")
    *out = ScatterReduction::kAdd;
  else if (r == "mul")
    *out = ScatterReduction::kMul;
  else if (r == "max" && info.opset() >= 18)
    *out = ScatterReduction::kMax;
  else if (r == "min" && info.opset() >= 18)
    *out = ScatterReduction::kMin;
  else
    return info.Error("unsupported reduction '", r, "'");
  return Status::Ok();
}

template <typename T>
inline void ScatterCombine(T& dst, const T& src, ScatterReduction r) {
  if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>) {
    float a = ToFloat(dst), b = ToFloat(src);
    switch (r) {
      case ScatterReduction::kNone:
        dst = src;
        return;
      case ScatterReduction::kAdd:
        dst = FromFloat<T>(a + b);
        return;
      case ScatterReduction::kMul:
        dst = FromFloat<T>(a * b);
        return;
      case ScatterReduction::kMax:
        dst = b > a ? src : dst;
        return;
      case ScatterReduction::kMin:
        dst = b < a ? src : dst;
        return;
    }
  } else if constexpr (std::is_same_v<T, bool>) {
    switch (r) {
      case ScatterReduction::kNone:
        dst = src;
        return;
      case ScatterReduction::kAdd:
      case ScatterReduction::kMax:
        dst = dst || src;
        return;
      case ScatterReduction::kMul:
      case ScatterReduction::kMin:
        dst = dst && src;
        return;
    }
  } else {
    switch (r) {
      case ScatterReduction::kNone:
        dst = src;
        return;
      case ScatterReduction::kAdd:
        dst = static_cast<T>(dst + src);
        return;
      case ScatterReduction::kMul:
        dst = static_cast<T>(dst * src);
        return;
      case ScatterReduction::kMax:
        dst = std::max(dst, src);
        return;
      case ScatterReduction::kMin:
        dst = std::min(dst, src);
        return;
    }
  }
}

#define ONYX_SCATTER_REDUCE_TYPES ONYX_NUMERIC_TYPES, Float16, BFloat16, bool

}  // namespace onyx::cpu

// Dispatch on a tensor's element type: calls fn(T{}) for the C++ type matching `type` among those listed.
//
//   return Dispatch<float, double, int32_t, int64_t>(x.type(), [&](auto tag) -> Status {
//     using T = decltype(tag);
//     ...
//   }, ctx.node());
#pragma once

#include <complex>
#include <cstdint>
#include <string>

#include "common/status.h"
#include "framework/data_type.h"
#include "ir/graph.h"

namespace onyx::cpu {

template <typename... Ts, typename Fn>
Status Dispatch(DataType type, Fn&& fn, const ir::Node& node) {
  Status result;
  bool matched = false;
  (void)((!matched && DataTypeOf<Ts>::value == type ? (matched = true, result = fn(Ts{}), true) : false) || ...);
  // The message only on a miss: every kernel dispatches on every run, and formatting it costs more than
  // a small kernel's arithmetic.
  if (!matched) {
    return Status(StatusCode::kNotImplemented,
                  MakeString(node.Describe(), ": element type ", DataTypeName(type), " is not supported"));
  }
  return result;
}

// Widely used lists.
#define ONYX_FLOAT_TYPES float, double
#define ONYX_INT_TYPES int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t
#define ONYX_NUMERIC_TYPES ONYX_FLOAT_TYPES, ONYX_INT_TYPES

// Converts half types to float and back for kernels that compute in float.
inline float ToFloat(Float16 v) { return HalfToFloat(v.bits); }
inline float ToFloat(BFloat16 v) { return BFloat16ToFloat(v.bits); }
template <typename T>
T FromFloat(float f);
template <>
inline Float16 FromFloat<Float16>(float f) { return Float16{FloatToHalf(f)}; }
template <>
inline BFloat16 FromFloat<BFloat16>(float f) { return BFloat16{FloatToBFloat16(f)}; }

}  // namespace onyx::cpu

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

// The element types this build's kernels compute on: all, except in a minimal build whose operator list names its
// models' types (cmake/OnyxMinimal.cmake passes the mask, bit N for DataType N, to the kernel files only). A type
// left out is not instantiated at all, which is most of a small build's kernel code.
#ifdef ONYX_MINIMAL_TYPE_MASK
inline constexpr uint64_t kBuiltTypeMask = ONYX_MINIMAL_TYPE_MASK;
#else
inline constexpr uint64_t kBuiltTypeMask = ~uint64_t{0};
#endif

template <typename T>
constexpr bool TypeBuilt() {
  return ((kBuiltTypeMask >> static_cast<int>(DataTypeOf<T>::value)) & 1) != 0;
}

namespace detail {
template <typename T, typename Fn>
bool DispatchOne(DataType type, Fn& fn, Status& result) {
  if constexpr (!TypeBuilt<T>()) {
    return false;
  } else {
    if (DataTypeOf<T>::value != type) return false;
    result = fn(T{});
    return true;
  }
}
}  // namespace detail

template <typename... Ts, typename Fn>
Status Dispatch(DataType type, Fn&& fn, const ir::Node& node) {
  Status result;
  if ((detail::DispatchOne<Ts>(type, fn, result) || ...)) return result;
  // The message only on a miss: every kernel dispatches on every run, and formatting it costs more than
  // a small kernel's arithmetic.
  if (((DataTypeOf<Ts>::value == type) || ...)) {
    return Status(StatusCode::kNotImplemented,
                  MakeString(node.Describe(), ": element type ", DataTypeName(type),
                             " is left out of this minimal build (its operator list's types do not name it)"));
  }
  return Status(StatusCode::kNotImplemented,
                MakeString(node.Describe(), ": element type ", DataTypeName(type), " is not supported"));
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

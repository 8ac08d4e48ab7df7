// Shared pieces of the quantization operators: element codecs for every quantized type (plain integers,
// packed 4- and 2-bit integers, float8 and float4), the granularity of a scale (per tensor, per axis,
// blocked), and reading scales and zero points as float.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "common/status.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/tensor/cast_convert.h"
#include "framework/op_kernel.h"
#include "framework/tensor.h"

namespace onyx::cpu::quant {

// Plain integers stored one per element.
template <typename S>
struct IntCodec {
  static constexpr bool kIsFloat = false;
  static constexpr bool kPacked = false;
  static constexpr int64_t kMin = std::numeric_limits<S>::min();
  static constexpr int64_t kMax = std::numeric_limits<S>::max();
  static int64_t Load(const void* p, int64_t i) { return static_cast<const S*>(p)[i]; }
  static void Store(void* p, int64_t i, int64_t v) { static_cast<S*>(p)[i] = static_cast<S>(v); }
};

// Integers of `Bits` bits packed into bytes, the first element in the lowest bits.
template <bool Signed, int Bits>
struct PackedIntCodec {
  static constexpr bool kIsFloat = false;
  static constexpr bool kPacked = true;
  static constexpr int kPerByte = 8 / Bits;
  static constexpr unsigned kMask = (1u << Bits) - 1;
  static constexpr int64_t kMin = Signed ? -(int64_t{1} << (Bits - 1)) : 0;
  static constexpr int64_t kMax = Signed ? (int64_t{1} << (Bits - 1)) - 1 : (int64_t{1} << Bits) - 1;
  static int64_t Load(const void* p, int64_t i) {
    const unsigned byte = static_cast<const uint8_t*>(p)[i / kPerByte];
    const int64_t v = (byte >> ((i % kPerByte) * Bits)) & kMask;
    return Signed && v > kMax ? v - (int64_t{1} << Bits) : v;
  }
  static void Store(void* p, int64_t i, int64_t v) {
    uint8_t& byte = static_cast<uint8_t*>(p)[i / kPerByte];
    const int shift = static_cast<int>(i % kPerByte) * Bits;
    byte = static_cast<uint8_t>((byte & ~(kMask << shift)) | ((static_cast<unsigned>(v) & kMask) << shift));
  }
};

// The float8 formats, one byte per element.
template <DataType DT>
struct Float8Codec {
  static constexpr bool kIsFloat = true;
  static constexpr bool kPacked = false;
  static float Load(const void* p, int64_t i) { return Float8ToFloat(static_cast<const uint8_t*>(p)[i], DT); }
  static void Store(void* p, int64_t i, float v, bool saturate) {
    static_cast<uint8_t*>(p)[i] = FloatToFloat8(v, DT, saturate);
  }
};

// float4e2m1, two per byte, the first element in the low nibble.
struct Float4Codec {
  static constexpr bool kIsFloat = true;
  static constexpr bool kPacked = true;
  static constexpr int kPerByte = 2;
  static float Load(const void* p, int64_t i) {
    return Float4ToFloat(static_cast<uint8_t>(static_cast<const uint8_t*>(p)[i / 2] >> ((i % 2) * 4)));
  }
  static void Store(void* p, int64_t i, float v, bool /*saturate: float4 always saturates*/) {
    uint8_t& byte = static_cast<uint8_t*>(p)[i / 2];
    const int shift = static_cast<int>(i % 2) * 4;
    byte = static_cast<uint8_t>((byte & ~(0xFu << shift)) | ((FloatToFloat4(v) & 0xFu) << shift));
  }
};

// Calls fn(Codec{}) for the codec of a quantized element type.
template <typename Fn>
Status DispatchQuantized(DataType type, const ir::Node& node, Fn&& fn) {
  switch (type) {
    case DataType::kInt8:
      return fn(IntCodec<int8_t>{});
    case DataType::kUint8:
      return fn(IntCodec<uint8_t>{});
    case DataType::kInt16:
      return fn(IntCodec<int16_t>{});
    case DataType::kUint16:
      return fn(IntCodec<uint16_t>{});
    case DataType::kInt32:
      return fn(IntCodec<int32_t>{});
    case DataType::kInt4:
      return fn(PackedIntCodec<true, 4>{});
    case DataType::kUint4:
      return fn(PackedIntCodec<false, 4>{});
    case DataType::kInt2:
      return fn(PackedIntCodec<true, 2>{});
    case DataType::kUint2:
      return fn(PackedIntCodec<false, 2>{});
    case DataType::kFloat8E4M3FN:
      return fn(Float8Codec<DataType::kFloat8E4M3FN>{});
    case DataType::kFloat8E4M3FNUZ:
      return fn(Float8Codec<DataType::kFloat8E4M3FNUZ>{});
    case DataType::kFloat8E5M2:
      return fn(Float8Codec<DataType::kFloat8E5M2>{});
    case DataType::kFloat8E5M2FNUZ:
      return fn(Float8Codec<DataType::kFloat8E5M2FNUZ>{});
    case DataType::kFloat4E2M1:
      return fn(Float4Codec{});
    default:
      return Status(StatusCode::kNotImplemented,
                    MakeString(node.Describe(), ": quantized element type ", DataTypeName(type), " is not supported"));
  }
}

// Element i of a tensor whose type is a real-valued type a scale may have, as float.
inline bool IsScaleType(DataType t) {
  return t == DataType::kFloat || t == DataType::kFloat16 || t == DataType::kBFloat16 || t == DataType::kDouble ||
         t == DataType::kInt32 || t == DataType::kFloat8E8M0;
}
inline float LoadScale(const Tensor& t, int64_t i) {
  switch (t.type()) {
    case DataType::kFloat:
      return t.data<float>()[i];
    case DataType::kDouble:
      return static_cast<float>(t.data<double>()[i]);
    case DataType::kFloat16:
      return HalfToFloat(t.data<Float16>()[i].bits);
    case DataType::kBFloat16:
      return BFloat16ToFloat(t.data<BFloat16>()[i].bits);
    case DataType::kInt32:
      return static_cast<float>(t.data<int32_t>()[i]);
    case DataType::kFloat8E8M0:
      return E8M0ToFloat(t.data<uint8_t>()[i]);
    default:
      return 0.0f;
  }
}
// All elements of a scale-like tensor as float.
inline std::vector<float> LoadScales(const Tensor& t) {
  std::vector<float> out(static_cast<size_t>(t.size()));
  for (int64_t i = 0; i < t.size(); ++i) out[static_cast<size_t>(i)] = LoadScale(t, i);
  return out;
}

// Rounds a float to the precision of `type` (float16/bfloat16); other types keep it.
inline float RoundToPrecision(float v, DataType type) {
  if (type == DataType::kFloat16) return HalfToFloat(FloatToHalf(v));
  if (type == DataType::kBFloat16) return BFloat16ToFloat(FloatToBFloat16(v));
  return v;
}

// Writes a float as element i of a float/float16/bfloat16/double tensor.
inline void StoreReal(Tensor* t, int64_t i, float v) {
  switch (t->type()) {
    case DataType::kFloat:
      t->data<float>()[i] = v;
      break;
    case DataType::kDouble:
      t->data<double>()[i] = v;
      break;
    case DataType::kFloat16:
      t->data<Float16>()[i].bits = FloatToHalf(v);
      break;
    case DataType::kBFloat16:
      t->data<BFloat16>()[i].bits = FloatToBFloat16(v);
      break;
    default:
      break;
  }
}

// Rounds half to even and clamps into [lo, hi]; NaN gives 0 so that the result stays defined.
inline int64_t RoundClamp(float v, int64_t lo, int64_t hi) {
  if (std::isnan(v)) return std::clamp<int64_t>(0, lo, hi);
  const double r = std::nearbyint(static_cast<double>(v));
  if (r <= static_cast<double>(lo)) return lo;
  if (r >= static_cast<double>(hi)) return hi;
  return static_cast<int64_t>(r);
}

// Where each element of x finds its scale: x is viewed as [outer, axis_dim, inner]; per-tensor uses one scale,
// per-axis scale[d], blocked scale[(o * scale_axis_dim + d / block) * inner + i].
struct Granularity {
  enum Kind { kPerTensor, kPerAxis, kBlocked } kind = kPerTensor;
  int64_t outer = 1, axis_dim = 1, inner = 1, block = 1, scale_axis_dim = 1;

  int64_t ScaleIndex(int64_t o, int64_t d, int64_t i) const {
    switch (kind) {
      case kPerTensor:
        return 0;
      case kPerAxis:
        return d;
      default:
        return (o * scale_axis_dim + d / block) * inner + i;
    }
  }
};

// Works out the granularity from x's shape, the scale's shape, axis and block_size; checks that the zero
// point (when present) matches the scale.
inline Status ResolveGranularity(const KernelContext& ctx, const Shape& x, const Shape& scale, const Tensor* zp,
                                 int64_t axis, int64_t block_size, Granularity* g) {
  int64_t scale_count = 1;
  for (int64_t d : scale) scale_count *= d;
  if (zp != nullptr && zp->size() != scale_count) {
    return ctx.Error("zero point of shape ", ShapeToString(zp->shape()), " does not match the scale of shape ",
                     ShapeToString(scale));
  }
  const int64_t rank = static_cast<int64_t>(x.size());
  if (block_size <= 0 && scale_count == 1) {
    g->kind = Granularity::kPerTensor;
    g->outer = g->axis_dim = 1;
    g->inner = 1;
    for (int64_t d : x) g->inner *= d;
    return Status::Ok();
  }
  const int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) return ctx.Error("axis ", axis, " is out of range for input of shape ", ShapeToString(x));
  g->outer = 1;
  g->inner = 1;
  for (int64_t i = 0; i < a; ++i) g->outer *= x[static_cast<size_t>(i)];
  for (int64_t i = a + 1; i < rank; ++i) g->inner *= x[static_cast<size_t>(i)];
  g->axis_dim = x[static_cast<size_t>(a)];
  if (block_size <= 0) {
    if (scale.size() != 1 || scale[0] != g->axis_dim) {
      return ctx.Error("per-axis scale of shape ", ShapeToString(scale), " must be 1-D of length ", g->axis_dim,
                       " (input shape ", ShapeToString(x), ", axis ", axis, ")");
    }
    g->kind = Granularity::kPerAxis;
    return Status::Ok();
  }
  if (static_cast<int64_t>(scale.size()) != rank) {
    return ctx.Error("blocked scale of shape ", ShapeToString(scale), " must have the rank of the input ",
                     ShapeToString(x));
  }
  for (int64_t i = 0; i < rank; ++i) {
    const int64_t want = i == a ? (x[static_cast<size_t>(i)] + block_size - 1) / block_size : x[static_cast<size_t>(i)];
    if (scale[static_cast<size_t>(i)] != want) {
      return ctx.Error("blocked scale of shape ", ShapeToString(scale), " does not fit input ", ShapeToString(x),
                       " with axis ", axis, " and block_size ", block_size);
    }
  }
  g->kind = Granularity::kBlocked;
  g->block = block_size;
  g->scale_axis_dim = scale[static_cast<size_t>(a)];
  return Status::Ok();
}

// True when `t` holds exactly one element (a per-tensor scale or zero point given as [] or [1]).
inline bool IsSingle(const Tensor* t) { return t != nullptr && t->size() == 1; }

}  // namespace onyx::cpu::quant

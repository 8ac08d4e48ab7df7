// Helpers shared by the tensor-shuffling kernels (Transpose, Slice, Concat, Gather, Pad, ...). These kernels
// move elements without looking at them, so they work on the element's width (an unsigned integer of the
// same size, or std::string) instead of its type: one instantiation serves float, int32 and float8 alike.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "common/status.h"
#include "common/thread_pool.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "framework/op_kernel.h"
#include "framework/tensor.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

// A 16-byte element (complex128) moved as a whole.
struct Bytes16 {
  uint64_t lo, hi;
};

// Calls fn(T{}) where T is an unsigned type of the element's width, or std::string for strings. Sub-byte
// types are refused here; kernels that support them unpack first (UnpackSubByte).
template <typename Fn>
Status DispatchByWidth(DataType type, Fn&& fn, const ir::Node& node) {
  if (type == DataType::kString) return fn(std::string{});
  switch (DataTypeBits(type)) {
    case 8:
      return fn(uint8_t{});
    case 16:
      return fn(uint16_t{});
    case 32:
      return fn(uint32_t{});
    case 64:
      return fn(uint64_t{});
    case 128:
      return fn(Bytes16{});
    default:
      break;
  }
  return NotImplemented(node.Describe(), ": element type ", DataTypeName(type), " is not supported");
}

// Copies n elements; for plain data a memcpy, for strings element by element.
template <typename T>
inline void CopyElements(const T* src, T* dst, int64_t n) {
  if constexpr (std::is_same_v<T, std::string>) {
    for (int64_t i = 0; i < n; ++i) dst[i] = src[i];
  } else if (n > 0) {
    std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(T));
  }
}

// Wraps a possibly negative axis into [0, rank); false when out of range.
inline bool NormalizeAxis(int64_t* axis, int64_t rank) {
  if (*axis < -rank || *axis >= rank) return false;
  if (*axis < 0) *axis += rank;
  return true;
}

// Reads a 0-D or 1-D int32/int64 tensor as int64 values.
Result<std::vector<int64_t>> ReadInt64s(const Tensor& t, const ir::Node& node, const char* what);

// Reads an int32/int64 tensor of any rank as int64 values.
Result<std::vector<int64_t>> ReadIndexValues(const Tensor& t, const ir::Node& node, const char* what);

// Row-major strides of a shape.
std::vector<int64_t> ContiguousStrides(const Shape& shape);

int64_t ShapeSize(const Shape& shape);

// Writes dst (contiguous, of `shape`) from src[base + sum(index_k * strides_k)]. Strides may be 0 (broadcast)
// or negative (reversed slices). Splits the work over the pool.
template <typename T>
void StridedCopy(ThreadPool* pool, const T* src, int64_t base, T* dst, Shape shape, std::vector<int64_t> strides);

// Writes y from `x` viewed as `view` (contiguous) with its axes reordered by `perm` (DepthToSpace, SpaceToDepth).
Status PermutedCopy(KernelContext& ctx, const Tensor& x, const Shape& view, const std::vector<int64_t>& perm,
                    Tensor* y);
// Shape inference of DepthToSpace (to_space) and SpaceToDepth.
Status InferBlockRearrange(ir::InferenceContext& ctx, bool to_space);

// Packed 4- and 2-bit tensors: one byte per element (the raw bits, no sign extension) and back.
Result<Tensor> UnpackSubByte(const Tensor& t);
void PackSubByte(const Tensor& unpacked, Tensor* out);

// Shape inference helpers.
// The known dims of a symbolic shape, or nullopt when one is unknown.
std::optional<Shape> KnownShape(const ir::SymShape& s);
// Reads a constant int32/int64 input as int64 values, or nullopt when it is not constant.
std::optional<std::vector<int64_t>> ConstantInts(const ir::InferenceContext& ctx, size_t i);

// Sets output i's type when the element type is known (an unknown one would erase what the model declared).
inline void SetOutputIfKnown(ir::InferenceContext& ctx, size_t i, DataType type, std::optional<ir::SymShape> shape) {
  if (type != DataType::kUndefined) ctx.SetOutput(i, type, std::move(shape));
}

// ---- implementation of the templates ----

template <typename T>
void StridedCopy(ThreadPool* pool, const T* src, int64_t base, T* dst, Shape shape, std::vector<int64_t> strides) {
  // Drop unit dims and merge dims that are contiguous in the source, so the inner loop is as long as it can be.
  Shape dims;
  std::vector<int64_t> st;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0) return;
    if (shape[i] == 1) continue;
    if (!dims.empty() && st.back() == strides[i] * shape[i]) {
      dims.back() *= shape[i];
      st.back() = strides[i];
    } else {
      dims.push_back(shape[i]);
      st.push_back(strides[i]);
    }
  }
  if (dims.empty()) {
    dst[0] = src[base];
    return;
  }
  const size_t rank = dims.size();
  const int64_t inner = dims.back();
  const int64_t inner_stride = st.back();
  int64_t outer = 1;
  for (size_t i = 0; i + 1 < rank; ++i) outer *= dims[i];
  ThreadPool::For(pool, outer,
                  static_cast<double>(inner) * (inner_stride == 1 ? kCopyNsPerByte * sizeof(T) : kGatherNsPerElement),
                  [&](int64_t begin, int64_t end) {
                    std::vector<int64_t> idx(rank, 0);
                    int64_t rem = begin, offset = base;
                    for (size_t k = rank - 1; k-- > 0;) {
                      idx[k] = rem % dims[k];
                      rem /= dims[k];
                      offset += idx[k] * st[k];
                    }
                    T* out = dst + begin * inner;
                    for (int64_t row = begin; row < end; ++row) {
                      const T* in = src + offset;
                      if (inner_stride == 1) {
                        CopyElements(in, out, inner);
                      } else {
                        for (int64_t j = 0; j < inner; ++j) out[j] = in[j * inner_stride];
                      }
                      out += inner;
                      for (size_t k = rank - 1; k-- > 0;) {
                        offset += st[k];
                        if (++idx[k] < dims[k]) break;
                        offset -= st[k] * dims[k];
                        idx[k] = 0;
                      }
                    }
                  });
}

}  // namespace onyx::cpu

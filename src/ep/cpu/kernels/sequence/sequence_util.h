// Helpers shared by the sequence operators and the looping constructs (Loop, Scan, SequenceMap): cutting a
// tensor along an axis and gluing tensors back together, for every element type (strings and the packed
// sub-byte types included), plus the checks every sequence operator makes on its inputs.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/status.h"
#include "framework/op_kernel.h"
#include "framework/tensor.h"
#include "framework/value.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

// Elements [start, start + count) of `t` along `axis` (the axis is kept, with size count). Shares the input's
// memory when the range is contiguous in it; copies otherwise. The caller checks the range.
Result<Tensor> SliceAlongAxis(KernelContext& ctx, const Tensor& t, int64_t axis, int64_t start, int64_t count);

// Index `index` along `axis`, with that axis removed (rank drops by one).
Result<Tensor> TakeAlongAxis(KernelContext& ctx, const Tensor& t, int64_t axis, int64_t index);

// Concatenates `parts` along `axis` (already normalized). With new_axis the parts must have equal shapes and
// are stacked along a new axis inserted at `axis` (0 <= axis <= rank); without it the parts must agree on
// every dim but `axis`. Errors name the node through ctx.
Result<Tensor> ConcatAlongAxis(KernelContext& ctx, std::span<const Tensor* const> parts, int64_t axis, bool new_axis);

// Input i as a sequence, or an error naming the node.
Result<const Sequence*> SequenceInput(const KernelContext& ctx, size_t i);

// Reads a scalar (or one-element) int32/int64 position tensor.
Result<int64_t> ReadPosition(const KernelContext& ctx, const Tensor& t, const char* what);

// The element type of a sequence: the declared one, else the first item's.
DataType SequenceElemType(const Sequence& s);

// Static types for shape inference.
ir::Type SequenceTypeOf(const ir::Type& elem);
// The most specific type both a and b fit (dims on which they disagree become unknown); unknown when their
// kinds or element types differ.
ir::Type MergeTypes(const ir::Type& a, const ir::Type& b);
// The element type of a sequence-typed input, when known.
const ir::Type* SequenceElemStaticType(const ir::InferenceContext& ctx, size_t i);

}  // namespace onyx::cpu

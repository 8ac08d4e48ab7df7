#include "ep/cpu/kernels/sequence/sequence_util.h"

#include <cstring>
#include <string>

#include "common/checked_math.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"

namespace onyx::cpu {
namespace {

// Copies n elements between two tensors' storage, element offsets given; strings element by element, everything
// else (whole-byte types only) as bytes.
void CopyRun(const Tensor& src, int64_t src_off, Tensor& dst, int64_t dst_off, int64_t n) {
  if (n <= 0) return;
  if (src.type() == DataType::kString) {
    const std::string* s = src.data<std::string>() + src_off;
    std::string* d = dst.data<std::string>() + dst_off;
    for (int64_t i = 0; i < n; ++i) d[i] = s[i];
    return;
  }
  const int64_t width = DataTypeBits(src.type()) / 8;
  std::memcpy(static_cast<char*>(dst.raw()) + dst_off * width, static_cast<const char*>(src.raw()) + src_off * width,
              static_cast<size_t>(n * width));
}

int64_t Product(const Shape& s, size_t from, size_t to) {
  int64_t p = 1;
  for (size_t i = from; i < to; ++i) p *= s[i];
  return p;
}

// Packs a uint8 tensor holding one sub-byte element per byte back into `type`.
Result<Tensor> Repack(KernelContext& ctx, const Tensor& unpacked, DataType type) {
  ONYX_ASSIGN_OR_RETURN(Tensor out, ctx.Allocate(type, unpacked.shape()));
  PackSubByte(unpacked, &out);
  return out;
}

}  // namespace

Result<Tensor> SliceAlongAxis(KernelContext& ctx, const Tensor& t, int64_t axis, int64_t start, int64_t count) {
  if (axis < 0 || axis >= t.rank() || start < 0 || count < 0 || start + count > t.dim(axis)) {
    return ctx.Error("internal: slice [", start, ", ", start + count, ") along axis ", axis, " of ", t.Describe());
  }
  if (IsSubByte(t.type())) {
    ONYX_ASSIGN_OR_RETURN(Tensor unpacked, UnpackSubByte(t));
    ONYX_ASSIGN_OR_RETURN(Tensor part, SliceAlongAxis(ctx, unpacked, axis, start, count));
    return Repack(ctx, part, t.type());
  }
  Shape out_shape = t.shape();
  out_shape[static_cast<size_t>(axis)] = count;
  const auto a = static_cast<size_t>(axis);
  const int64_t outer = Product(t.shape(), 0, a);
  const int64_t inner = Product(t.shape(), a + 1, t.shape().size());
  if ((outer == 1 || count == t.dim(axis)) && t.buffer() != nullptr) {
    // Contiguous in the input: a view.
    const int64_t width =
        t.type() == DataType::kString ? static_cast<int64_t>(sizeof(std::string)) : DataTypeBits(t.type()) / 8;
    if (count == t.dim(axis)) return Tensor(t.type(), out_shape, t.buffer(), t.offset());
    return Tensor(t.type(), out_shape, t.buffer(), t.offset() + static_cast<size_t>(start * inner * width));
  }
  ONYX_ASSIGN_OR_RETURN(Tensor out, ctx.Allocate(t.type(), out_shape));
  const int64_t in_row = t.dim(axis) * inner, out_row = count * inner;
  for (int64_t r = 0; r < outer; ++r) CopyRun(t, r * in_row + start * inner, out, r * out_row, out_row);
  return out;
}

Result<Tensor> TakeAlongAxis(KernelContext& ctx, const Tensor& t, int64_t axis, int64_t index) {
  ONYX_ASSIGN_OR_RETURN(Tensor part, SliceAlongAxis(ctx, t, axis, index, 1));
  Shape shape = t.shape();
  shape.erase(shape.begin() + axis);
  return part.Reshaped(std::move(shape));
}

Result<Tensor> ConcatAlongAxis(KernelContext& ctx, std::span<const Tensor* const> parts, int64_t axis, bool new_axis) {
  if (parts.empty()) return ctx.Error("cannot concatenate an empty list of tensors");
  const Tensor& first = *parts[0];
  const DataType type = first.type();
  const int64_t rank = first.rank();
  if (axis < 0 || axis > rank || (!new_axis && axis == rank)) {
    return ctx.Error("axis ", axis, " is out of range for tensors of rank ", rank);
  }
  for (size_t p = 0; p < parts.size(); ++p) {
    const Tensor& t = *parts[p];
    if (t.type() != type) {
      return ctx.Error("tensor ", p, " is ", DataTypeName(t.type()), " but tensor 0 is ", DataTypeName(type));
    }
    bool same = t.rank() == rank;
    for (int64_t d = 0; same && d < rank; ++d) same = t.dim(d) == first.dim(d) || (!new_axis && d == axis);
    if (!same) {
      return ctx.Error("cannot ", new_axis ? "stack" : "concatenate", " ", t.Describe(), " (tensor ", p, ") with ",
                       first.Describe(), new_axis ? "" : " (only the concatenation axis may differ)");
    }
  }
  if (IsSubByte(type)) {
    std::vector<Tensor> unpacked;
    unpacked.reserve(parts.size());
    std::vector<const Tensor*> ptrs;
    for (const Tensor* t : parts) {
      ONYX_ASSIGN_OR_RETURN(Tensor u, UnpackSubByte(*t));
      unpacked.push_back(std::move(u));
    }
    for (const Tensor& u : unpacked) ptrs.push_back(&u);
    ONYX_ASSIGN_OR_RETURN(Tensor joined, ConcatAlongAxis(ctx, ptrs, axis, new_axis));
    return Repack(ctx, joined, type);
  }
  // Stacking is concatenation of the parts viewed with a unit dim at `axis`.
  Shape base = first.shape();
  if (new_axis) base.insert(base.begin() + axis, 1);
  const auto a = static_cast<size_t>(axis);
  const int64_t outer = Product(base, 0, a);
  const int64_t inner = Product(base, a + 1, base.size());
  int64_t total = 0;
  for (const Tensor* t : parts) {
    const int64_t len = new_axis ? 1 : t->dim(axis);
    if (!CheckedAdd(total, len, &total)) return ctx.Error("concatenated size overflows");
  }
  Shape out_shape = base;
  out_shape[a] = total;
  ONYX_ASSIGN_OR_RETURN(Tensor out, ctx.Allocate(type, out_shape));
  const int64_t out_row = total * inner;
  int64_t at = 0;
  for (const Tensor* t : parts) {
    const int64_t chunk = (new_axis ? 1 : t->dim(axis)) * inner;
    for (int64_t r = 0; r < outer; ++r) CopyRun(*t, r * chunk, out, r * out_row + at, chunk);
    at += chunk;
  }
  return out;
}

Result<const Sequence*> SequenceInput(const KernelContext& ctx, size_t i) {
  const Value* v = ctx.input_value(i);
  if (v == nullptr) return ctx.Error("input ", i, " (a sequence) is missing");
  if (!v->is_sequence()) return ctx.Error("input ", i, " must be a sequence, got ", v->Describe());
  return &v->sequence();
}

Result<int64_t> ReadPosition(const KernelContext& ctx, const Tensor& t, const char* what) {
  if (t.size() != 1) return ctx.Error(what, " must be a scalar, got ", t.Describe());
  if (t.type() == DataType::kInt64) return t.data<int64_t>()[0];
  if (t.type() == DataType::kInt32) return static_cast<int64_t>(t.data<int32_t>()[0]);
  return ctx.Error(what, " must be int32 or int64, got ", t.Describe());
}

DataType SequenceElemType(const Sequence& s) {
  if (s.elem_type != DataType::kUndefined) return s.elem_type;
  for (const Value& v : s.items) {
    if (v.is_tensor()) return v.tensor().type();
  }
  return DataType::kUndefined;
}

ir::Type SequenceTypeOf(const ir::Type& elem) {
  ir::Type t;
  t.kind = ir::Type::Kind::kSequence;
  t.inner = std::make_shared<ir::Type>(elem);
  return t;
}

ir::Type MergeTypes(const ir::Type& a, const ir::Type& b) {
  if (a.kind != b.kind || a.elem_type != b.elem_type) return ir::Type{};
  ir::Type t = a;
  if (a.kind == ir::Type::Kind::kTensor) {
    if (!a.shape || !b.shape || a.shape->size() != b.shape->size()) {
      t.shape.reset();
    } else {
      for (size_t d = 0; d < t.shape->size(); ++d) {
        if (!((*a.shape)[d] == (*b.shape)[d])) (*t.shape)[d] = ir::Dim{};
      }
    }
  } else if (a.inner && b.inner) {
    t.inner = std::make_shared<ir::Type>(MergeTypes(*a.inner, *b.inner));
  } else {
    t.inner.reset();
  }
  return t;
}

const ir::Type* SequenceElemStaticType(const ir::InferenceContext& ctx, size_t i) {
  const ir::Type* t = ctx.input_type(i);
  if (t == nullptr || t->kind != ir::Type::Kind::kSequence || !t->inner) return nullptr;
  return t->inner.get();
}

}  // namespace onyx::cpu

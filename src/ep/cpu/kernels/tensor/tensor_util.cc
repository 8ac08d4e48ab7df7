#include "ep/cpu/kernels/tensor/tensor_util.h"

#include "ir/derived_dim.h"

namespace onyx::cpu {

Result<std::vector<int64_t>> ReadInt64s(const Tensor& t, const ir::Node& node, const char* what) {
  if (t.rank() > 1) {
    return InvalidArgument(node.Describe(), ": ", what, " must be a 1-D tensor, got ", t.Describe());
  }
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(t.size()));
  if (t.type() == DataType::kInt64) {
    for (int64_t v : t.values<int64_t>()) out.push_back(v);
  } else if (t.type() == DataType::kInt32) {
    for (int32_t v : t.values<int32_t>()) out.push_back(v);
  } else {
    return InvalidArgument(node.Describe(), ": ", what, " must be int32 or int64, got ", t.Describe());
  }
  return out;
}

Result<std::vector<int64_t>> ReadIndexValues(const Tensor& t, const ir::Node& node, const char* what) {
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(t.size()));
  if (t.type() == DataType::kInt64) {
    for (int64_t v : t.values<int64_t>()) out.push_back(v);
  } else if (t.type() == DataType::kInt32) {
    for (int32_t v : t.values<int32_t>()) out.push_back(v);
  } else {
    return InvalidArgument(node.Describe(), ": ", what, " must be int32 or int64, got ", t.Describe());
  }
  return out;
}

std::vector<int64_t> ContiguousStrides(const Shape& shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) strides[i - 1] = strides[i] * shape[i];
  return strides;
}

int64_t ShapeSize(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

Result<Tensor> UnpackSubByte(const Tensor& t) {
  ONYX_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DataType::kUint8, t.shape()));
  const int bits = DataTypeBits(t.type());
  const int per_byte = 8 / bits;
  const uint8_t mask = static_cast<uint8_t>((1u << bits) - 1);
  const auto* src = static_cast<const uint8_t*>(t.raw());
  uint8_t* dst = out.data<uint8_t>();
  for (int64_t i = 0; i < t.size(); ++i) {
    dst[i] = static_cast<uint8_t>(src[i / per_byte] >> ((i % per_byte) * bits)) & mask;
  }
  return out;
}

void PackSubByte(const Tensor& unpacked, Tensor* out) {
  const int bits = DataTypeBits(out->type());
  const int per_byte = 8 / bits;
  const uint8_t mask = static_cast<uint8_t>((1u << bits) - 1);
  auto* dst = static_cast<uint8_t*>(out->raw());
  const uint8_t* src = unpacked.data<uint8_t>();
  std::memset(dst, 0, static_cast<size_t>(out->bytes()));
  for (int64_t i = 0; i < out->size(); ++i) {
    dst[i / per_byte] = static_cast<uint8_t>(dst[i / per_byte] | (src[i] & mask) << ((i % per_byte) * bits));
  }
}

std::optional<Shape> KnownShape(const ir::SymShape& s) {
  Shape out;
  for (const ir::Dim& d : s) {
    if (!d.known()) return std::nullopt;
    out.push_back(d.value);
  }
  return out;
}

std::optional<std::vector<int64_t>> ConstantInts(const ir::InferenceContext& ctx, size_t i) {
  const Tensor* t = ctx.input_constant(i);
  if (t == nullptr || t->rank() > 1) return std::nullopt;
  std::vector<int64_t> out;
  if (t->type() == DataType::kInt64) {
    for (int64_t v : t->values<int64_t>()) out.push_back(v);
  } else if (t->type() == DataType::kInt32) {
    for (int32_t v : t->values<int32_t>()) out.push_back(v);
  } else {
    return std::nullopt;
  }
  return out;
}

Status PermutedCopy(KernelContext& ctx, const Tensor& x, const Shape& view, const std::vector<int64_t>& perm,
                    Tensor* y) {
  const std::vector<int64_t> in_strides = ContiguousStrides(view);
  Shape out_view(perm.size());
  std::vector<int64_t> strides(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) {
    out_view[i] = view[static_cast<size_t>(perm[i])];
    strides[i] = in_strides[static_cast<size_t>(perm[i])];
  }
  if (y->size() == 0) return Status::Ok();
  return DispatchByWidth(
      x.type(),
      [&](auto tag) -> Status {
        using T = decltype(tag);
        StridedCopy(ctx.thread_pool(), x.data<T>(), 0, y->data<T>(), out_view, strides);
        return Status::Ok();
      },
      ctx.node());
}

Status InferBlockRearrange(ir::InferenceContext& ctx, bool to_space) {
  DataType t = ctx.input_elem_type(0);
  const ir::SymShape* in = ctx.input_shape(0);
  const int64_t b = ctx.attr_int("blocksize", 0);
  if (!in || in->size() != 4 || b < 1) {
    SetOutputIfKnown(ctx, 0, t, ir::SymShape(4));
    return Status::Ok();
  }
  auto scale = [](const ir::Dim& d, int64_t mul, int64_t div) {
    return d.known() ? ir::Dim::Known(d.value * mul / div) : ir::Dim{};
  };
  // Spatial dims through ir::AffineDim, so that a symbolic H gives b*H (and SpaceToDepth, which needs H to divide,
  // floor(H/b)).
  ir::SymShape out = {(*in)[0], to_space ? scale((*in)[1], 1, b * b) : scale((*in)[1], b * b, 1),
                      to_space ? ir::AffineDim((*in)[2], b, 0, 1) : ir::AffineDim((*in)[2], 1, 0, b),
                      to_space ? ir::AffineDim((*in)[3], b, 0, 1) : ir::AffineDim((*in)[3], 1, 0, b)};
  SetOutputIfKnown(ctx, 0, t, out);
  return Status::Ok();
}

}  // namespace onyx::cpu

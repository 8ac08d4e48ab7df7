// Gather: picks slices of 'data' along one axis by 'indices' (int32 or int64; negative counts from the end).
// Output shape: data.shape[:axis] + indices.shape + data.shape[axis+1:].
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class GatherKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return info.GetInt("axis", &axis_, 0); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* data = ctx.input(0);
    const Tensor* indices = ctx.input(1);
    if (data == nullptr || indices == nullptr) return ctx.Error("inputs 'data' and 'indices' are required");
    int64_t axis = axis_;
    if (!NormalizeAxis(&axis, data->rank()))
      return ctx.Error("axis ", axis_, " is out of range for ", data->Describe());
    ONYX_ASSIGN_OR_RETURN(std::vector<int64_t> idx, ReadIndices(*indices, data->dim(axis), ctx));
    Shape out_shape(data->shape().begin(), data->shape().begin() + axis);
    out_shape.insert(out_shape.end(), indices->shape().begin(), indices->shape().end());
    out_shape.insert(out_shape.end(), data->shape().begin() + axis + 1, data->shape().end());
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, data->type(), out_shape));
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= data->dim(d);
    for (int64_t d = axis + 1; d < data->rank(); ++d) inner *= data->dim(d);
    const int64_t axis_dim = data->dim(axis), n = static_cast<int64_t>(idx.size());
    return DispatchByWidth(
        data->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* in = data->data<T>();
          T* out = y->data<T>();
          ThreadPool::For(
              ctx.thread_pool(), outer * n,
              [&](int64_t b, int64_t e) {
                for (int64_t k = b; k < e; ++k) {
                  const int64_t o = k / n, i = k % n;
                  CopyElements(in + (o * axis_dim + idx[static_cast<size_t>(i)]) * inner, out + k * inner, inner);
                }
              },
              std::max<int64_t>(1, 16384 / std::max<int64_t>(inner, 1)));
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  // Reads and checks the indices, wrapping negative ones.
  static Result<std::vector<int64_t>> ReadIndices(const Tensor& t, int64_t dim, const KernelContext& ctx) {
    std::vector<int64_t> idx;
    idx.reserve(static_cast<size_t>(t.size()));
    if (t.type() == DataType::kInt64) {
      for (int64_t v : t.values<int64_t>()) idx.push_back(v);
    } else if (t.type() == DataType::kInt32) {
      for (int32_t v : t.values<int32_t>()) idx.push_back(v);
    } else {
      return ctx.Error("'indices' must be int32 or int64, got ", t.Describe());
    }
    for (int64_t& v : idx) {
      if (v < -dim || v >= dim) return ctx.Error("index ", v, " is out of range for an axis of size ", dim);
      if (v < 0) v += dim;
    }
    return idx;
  }

  int64_t axis_ = 0;
};

Status InferGather(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  const ir::SymShape* data = ctx.input_shape(0);
  const ir::SymShape* indices = ctx.input_shape(1);
  if (!data || !indices) {
    SetOutputIfKnown(ctx, 0, t, std::nullopt);
    return Status::Ok();
  }
  int64_t axis = ctx.attr_int("axis", 0);
  if (!NormalizeAxis(&axis, static_cast<int64_t>(data->size()))) return ctx.Error("axis ", axis, " is out of range");
  ir::SymShape out(data->begin(), data->begin() + axis);
  out.insert(out.end(), indices->begin(), indices->end());
  out.insert(out.end(), data->begin() + axis + 1, data->end());
  SetOutputIfKnown(ctx, 0, t, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(GatherKernel, KernelDef("CPU", "", "Gather").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Gather", InferGather);

}  // namespace onyx::cpu

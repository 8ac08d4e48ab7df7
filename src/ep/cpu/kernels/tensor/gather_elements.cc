// GatherElements: output[i][j][k] = data[...] with the 'axis' coordinate replaced by indices[i][j][k].
// The output has the indices' shape.
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class GatherElementsKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return info.GetInt("axis", &axis_, 0); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* data = ctx.input(0);
    const Tensor* indices = ctx.input(1);
    if (data == nullptr || indices == nullptr) return ctx.Error("inputs 'data' and 'indices' are required");
    int64_t axis = axis_;
    if (!NormalizeAxis(&axis, data->rank()))
      return ctx.Error("axis ", axis_, " is out of range for ", data->Describe());
    if (indices->rank() != data->rank()) {
      return ctx.Error("indices ", indices->Describe(), " must have the rank of data ", data->Describe());
    }
    for (int64_t d = 0; d < data->rank(); ++d) {
      if (d != axis && indices->dim(d) > data->dim(d)) {
        return ctx.Error("indices ", indices->Describe(), " exceed data ", data->Describe(), " on axis ", d);
      }
    }
    ONYX_ASSIGN_OR_RETURN(std::vector<int64_t> idx, ReadIndexValues(*indices, ctx.node(), "'indices'"));
    const int64_t axis_dim = data->dim(axis);
    for (int64_t& v : idx) {
      if (v < -axis_dim || v >= axis_dim)
        return ctx.Error("index ", v, " is out of range for an axis of size ", axis_dim);
      if (v < 0) v += axis_dim;
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, data->type(), indices->shape()));
    if (y->size() == 0) return Status::Ok();
    const std::vector<int64_t> strides = ContiguousStrides(data->shape());
    const Shape& shape = indices->shape();
    const size_t rank = shape.size();
    return DispatchByWidth(
        data->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* in = data->data<T>();
          T* out = y->data<T>();
          std::vector<int64_t> coord(rank, 0);
          int64_t base = 0;  // offset from every coordinate but the axis
          for (int64_t i = 0; i < y->size(); ++i) {
            out[i] = in[base + idx[static_cast<size_t>(i)] * strides[static_cast<size_t>(axis)]];
            for (size_t d = rank; d-- > 0;) {
              if (static_cast<int64_t>(d) != axis) base += strides[d];
              if (++coord[d] < shape[d]) break;
              if (static_cast<int64_t>(d) != axis) base -= strides[d] * shape[d];
              coord[d] = 0;
            }
          }
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  int64_t axis_ = 0;
};

Status InferGatherElements(ir::InferenceContext& ctx) {
  const ir::SymShape* s = ctx.input_shape(1);
  SetOutputIfKnown(ctx, 0, ctx.input_elem_type(0), s ? std::optional<ir::SymShape>(*s) : std::nullopt);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(GatherElementsKernel, KernelDef("CPU", "", "GatherElements").Versions(11));
ONYX_REGISTER_SHAPE_INFERENCE("", "GatherElements", InferGatherElements);

}  // namespace onyx::cpu

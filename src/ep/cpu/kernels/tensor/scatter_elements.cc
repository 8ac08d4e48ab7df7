// ScatterElements (and its opset 9-10 name Scatter): a copy of 'data' where, for each element of 'updates',
// the position given by 'indices' along 'axis' receives the update (or combines with it: 'reduction',
// opset 16 add/mul, 18 max/min).
#include "ep/cpu/kernels/tensor/scatter_reduce.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class ScatterElementsKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("axis", &axis_, 0));
    return ParseScatterReduction(info, &reduction_);
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* data = ctx.input(0);
    const Tensor* indices = ctx.input(1);
    const Tensor* updates = ctx.input(2);
    if (!data || !indices || !updates) return ctx.Error("inputs 'data', 'indices' and 'updates' are required");
    int64_t axis = axis_;
    if (!NormalizeAxis(&axis, data->rank()))
      return ctx.Error("axis ", axis_, " is out of range for ", data->Describe());
    if (updates->type() != data->type())
      return ctx.Error("updates ", updates->Describe(), " do not match ", data->Describe());
    if (indices->shape() != updates->shape() || indices->rank() != data->rank()) {
      return ctx.Error("indices ", indices->Describe(), " and updates ", updates->Describe(),
                       " must have one shape of the rank of data ", data->Describe());
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
    // Destination offset of every update.
    const std::vector<int64_t> strides = ContiguousStrides(data->shape());
    const Shape& shape = indices->shape();
    const size_t rank = shape.size();
    std::vector<int64_t> dest(idx.size());
    std::vector<int64_t> coord(rank, 0);
    int64_t base = 0;
    for (size_t i = 0; i < idx.size(); ++i) {
      dest[i] = base + idx[i] * strides[static_cast<size_t>(axis)];
      for (size_t d = rank; d-- > 0;) {
        if (static_cast<int64_t>(d) != axis) base += strides[d];
        if (++coord[d] < shape[d]) break;
        if (static_cast<int64_t>(d) != axis) base -= strides[d] * shape[d];
        coord[d] = 0;
      }
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, data->type(), data->shape()));
    return Apply(ctx, *data, *updates, dest, reduction_, y);
  }

 private:
  int64_t axis_ = 0;
  ScatterReduction reduction_ = ScatterReduction::kNone;

 public:
  // Copies data into y, then writes (or combines) each update at its offset.
  static Status Apply(const KernelContext& ctx, const Tensor& data, const Tensor& updates,
                      const std::vector<int64_t>& dest, ScatterReduction reduction, Tensor* y) {
    if (reduction == ScatterReduction::kNone) {
      return DispatchByWidth(
          data.type(),
          [&](auto tag) -> Status {
            using T = decltype(tag);
            CopyElements(data.data<T>(), y->data<T>(), data.size());
            const T* u = updates.data<T>();
            for (size_t i = 0; i < dest.size(); ++i) y->data<T>()[dest[i]] = u[i];
            return Status::Ok();
          },
          ctx.node());
    }
    return Dispatch<ONYX_SCATTER_REDUCE_TYPES>(
        data.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          std::copy_n(data.data<T>(), data.size(), y->data<T>());
          const T* u = updates.data<T>();
          for (size_t i = 0; i < dest.size(); ++i) ScatterCombine(y->data<T>()[dest[i]], u[i], reduction);
          return Status::Ok();
        },
        ctx.node());
  }
};

}  // namespace

ONYX_REGISTER_KERNEL(ScatterElementsKernel, KernelDef("CPU", "", "ScatterElements").Versions(11));
ONYX_REGISTER_KERNEL(ScatterElementsKernel, KernelDef("CPU", "", "Scatter").Versions(9, 10));
ONYX_REGISTER_SHAPE_INFERENCE("", "ScatterElements", ir::InferSameAsInput);
ONYX_REGISTER_SHAPE_INFERENCE("", "Scatter", ir::InferSameAsInput);

}  // namespace onyx::cpu

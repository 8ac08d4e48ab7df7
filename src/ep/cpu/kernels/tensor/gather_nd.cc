// GatherND: each row of the last indices axis (length k) addresses a slice of data after 'batch_dims' leading
// batch dims. Output shape: indices.shape[:-1] + data.shape[batch_dims + k:].
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class GatherNDKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("batch_dims", &batch_dims_, 0));
    if (batch_dims_ < 0) return info.Error("batch_dims must be >= 0, got ", batch_dims_);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* data = ctx.input(0);
    const Tensor* indices = ctx.input(1);
    if (data == nullptr || indices == nullptr) return ctx.Error("inputs 'data' and 'indices' are required");
    if (indices->type() != DataType::kInt64) return ctx.Error("indices must be int64, got ", indices->Describe());
    const int64_t b = batch_dims_, r = data->rank(), q = indices->rank();
    if (q < 1 || r < 1 || b >= std::min(q, r)) {
      return ctx.Error("batch_dims ", b, " is too large for data ", data->Describe(), " and indices ",
                       indices->Describe());
    }
    const int64_t k = indices->dim(q - 1);
    if (k < 1 || k > r - b) return ctx.Error("the last indices dim ", k, " must be in [1, ", r - b, "]");
    int64_t batch = 1;
    for (int64_t d = 0; d < b; ++d) {
      if (data->dim(d) != indices->dim(d)) {
        return ctx.Error("batch dim ", d, " differs: data ", data->Describe(), ", indices ", indices->Describe());
      }
      batch *= data->dim(d);
    }
    Shape out_shape(indices->shape().begin(), indices->shape().end() - 1);
    int64_t slice = 1;
    for (int64_t d = b + k; d < r; ++d) {
      out_shape.push_back(data->dim(d));
      slice *= data->dim(d);
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, data->type(), out_shape));
    if (y->size() == 0) return Status::Ok();
    const std::vector<int64_t> strides = ContiguousStrides(data->shape());
    const int64_t batch_stride = b > 0 ? strides[static_cast<size_t>(b - 1)] : 0;
    const int64_t rows = indices->size() / k, rows_per_batch = rows / batch;
    const int64_t* idx = indices->data<int64_t>();
    std::vector<int64_t> offsets(static_cast<size_t>(rows));
    for (int64_t row = 0; row < rows; ++row) {
      int64_t off = (row / rows_per_batch) * batch_stride;
      for (int64_t j = 0; j < k; ++j) {
        const int64_t dim = data->dim(b + j);
        int64_t v = idx[row * k + j];
        if (v < -dim || v >= dim)
          return ctx.Error("index ", v, " is out of range for data dim ", b + j, " of size ", dim);
        if (v < 0) v += dim;
        off += v * strides[static_cast<size_t>(b + j)];
      }
      offsets[static_cast<size_t>(row)] = off;
    }
    return DispatchByWidth(
        data->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* in = data->data<T>();
          T* out = y->data<T>();
          for (int64_t row = 0; row < rows; ++row)
            CopyElements(in + offsets[static_cast<size_t>(row)], out + row * slice, slice);
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  int64_t batch_dims_ = 0;
};

Status InferGatherND(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  const ir::SymShape* data = ctx.input_shape(0);
  const ir::SymShape* indices = ctx.input_shape(1);
  if (!data || !indices || indices->empty() || !indices->back().known()) {
    SetOutputIfKnown(ctx, 0, t, std::nullopt);
    return Status::Ok();
  }
  const int64_t b = ctx.attr_int("batch_dims", 0), k = indices->back().value;
  if (b + k > static_cast<int64_t>(data->size())) return ctx.Error("indices address more dims than data has");
  ir::SymShape out(indices->begin(), indices->end() - 1);
  out.insert(out.end(), data->begin() + b + k, data->end());
  SetOutputIfKnown(ctx, 0, t, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(GatherNDKernel, KernelDef("CPU", "", "GatherND").Versions(11));
ONYX_REGISTER_SHAPE_INFERENCE("", "GatherND", InferGatherND);

}  // namespace onyx::cpu

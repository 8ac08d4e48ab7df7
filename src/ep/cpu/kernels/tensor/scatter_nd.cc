// ScatterND: a copy of 'data' where each row of the last indices axis (length k) addresses a slice of
// data.shape[k:] that receives the matching slice of 'updates' (or combines with it: 'reduction').
#include "ep/cpu/kernels/tensor/scatter_reduce.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class ScatterNDKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return ParseScatterReduction(info, &reduction_); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* data = ctx.input(0);
    const Tensor* indices = ctx.input(1);
    const Tensor* updates = ctx.input(2);
    if (!data || !indices || !updates) return ctx.Error("inputs 'data', 'indices' and 'updates' are required");
    if (indices->type() != DataType::kInt64) return ctx.Error("indices must be int64, got ", indices->Describe());
    if (updates->type() != data->type())
      return ctx.Error("updates ", updates->Describe(), " do not match ", data->Describe());
    const int64_t q = indices->rank(), r = data->rank();
    if (q < 1) return ctx.Error("indices must have rank >= 1");
    const int64_t k = indices->dim(q - 1);
    if (k > r) return ctx.Error("the last indices dim ", k, " exceeds the rank of ", data->Describe());
    Shape expected(indices->shape().begin(), indices->shape().end() - 1);
    expected.insert(expected.end(), data->shape().begin() + k, data->shape().end());
    if (updates->shape() != expected) {
      return ctx.Error("updates ", updates->Describe(), " should have shape ", ShapeToString(expected));
    }
    const std::vector<int64_t> strides = ContiguousStrides(data->shape());
    int64_t slice = 1;
    for (int64_t d = k; d < r; ++d) slice *= data->dim(d);
    const int64_t rows = k > 0 ? indices->size() / k : ShapeSize(expected) / std::max<int64_t>(slice, 1);
    const int64_t* idx = indices->data<int64_t>();
    std::vector<int64_t> dest;
    dest.reserve(static_cast<size_t>(rows * slice));
    for (int64_t row = 0; row < rows; ++row) {
      int64_t off = 0;
      for (int64_t j = 0; j < k; ++j) {
        const int64_t dim = data->dim(j);
        int64_t v = idx[row * k + j];
        if (v < -dim || v >= dim) return ctx.Error("index ", v, " is out of range for data dim ", j, " of size ", dim);
        if (v < 0) v += dim;
        off += v * strides[static_cast<size_t>(j)];
      }
      for (int64_t s = 0; s < slice; ++s) dest.push_back(off + s);
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, data->type(), data->shape()));
    if (reduction_ == ScatterReduction::kNone) {
      return DispatchByWidth(
          data->type(),
          [&](auto tag) -> Status {
            using T = decltype(tag);
            CopyElements(data->data<T>(), y->data<T>(), data->size());
            const T* u = updates->data<T>();
            for (size_t i = 0; i < dest.size(); ++i) y->data<T>()[dest[i]] = u[i];
            return Status::Ok();
          },
          ctx.node());
    }
    return Dispatch<ONYX_SCATTER_REDUCE_TYPES>(
        data->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          std::copy_n(data->data<T>(), data->size(), y->data<T>());
          const T* u = updates->data<T>();
          for (size_t i = 0; i < dest.size(); ++i) ScatterCombine(y->data<T>()[dest[i]], u[i], reduction_);
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  ScatterReduction reduction_ = ScatterReduction::kNone;
};

}  // namespace

ONYX_REGISTER_KERNEL(ScatterNDKernel, KernelDef("CPU", "", "ScatterND").Versions(11));
ONYX_REGISTER_SHAPE_INFERENCE("", "ScatterND", ir::InferSameAsInput);

}  // namespace onyx::cpu

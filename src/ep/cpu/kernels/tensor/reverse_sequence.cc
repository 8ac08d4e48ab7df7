// ReverseSequence: for each batch entry b, reverses the first sequence_lens[b] steps along the time axis.
// batch_axis and time_axis are 0 and 1 in some order.
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class ReverseSequenceKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("batch_axis", &batch_axis_, 1));
    ONYX_RETURN_IF_ERROR(info.GetInt("time_axis", &time_axis_, 0));
    const bool ok = (batch_axis_ == 0 && time_axis_ == 1) || (batch_axis_ == 1 && time_axis_ == 0);
    if (!ok) return info.Error("batch_axis and time_axis must be 0 and 1 in some order");
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* lens_t = ctx.input(1);
    if (x == nullptr || lens_t == nullptr) return ctx.Error("inputs 'input' and 'sequence_lens' are required");
    if (x->rank() < 2) return ctx.Error("input must have rank >= 2, got ", x->Describe());
    ONYX_ASSIGN_OR_RETURN(std::vector<int64_t> lens, ReadInt64s(*lens_t, ctx.node(), "input 'sequence_lens'"));
    const int64_t batch = x->dim(batch_axis_), steps = x->dim(time_axis_);
    if (static_cast<int64_t>(lens.size()) != batch) {
      return ctx.Error("sequence_lens has ", lens.size(), " entries for a batch of ", batch);
    }
    for (int64_t l : lens) {
      if (l < 0 || l > steps) return ctx.Error("sequence length ", l, " is out of range [0, ", steps, "]");
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), x->shape()));
    int64_t inner = 1;
    for (int64_t d = 2; d < x->rank(); ++d) inner *= x->dim(d);
    const int64_t batch_stride = batch_axis_ == 0 ? steps * inner : inner;
    const int64_t time_stride = time_axis_ == 0 ? batch * inner : inner;
    return DispatchByWidth(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* in = x->data<T>();
          T* out = y->data<T>();
          for (int64_t b = 0; b < batch; ++b) {
            const int64_t len = lens[static_cast<size_t>(b)];
            for (int64_t t = 0; t < steps; ++t) {
              const int64_t src_t = t < len ? len - 1 - t : t;
              CopyElements(in + b * batch_stride + src_t * time_stride, out + b * batch_stride + t * time_stride,
                           inner);
            }
          }
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  int64_t batch_axis_ = 1, time_axis_ = 0;
};

}  // namespace

ONYX_REGISTER_KERNEL(ReverseSequenceKernel, KernelDef("CPU", "", "ReverseSequence").Versions(10));
ONYX_REGISTER_SHAPE_INFERENCE("", "ReverseSequence", ir::InferSameAsInput);

}  // namespace onyx::cpu

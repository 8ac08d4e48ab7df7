// Trilu: keeps the upper (upper=1) or lower triangle of the last two dims, shifted by the diagonal offset k
// (optional input); the rest becomes zero.
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class TriluKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return info.GetInt("upper", &upper_, 1); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'input' is missing");
    if (x->rank() < 2) return ctx.Error("input must have rank >= 2, got ", x->Describe());
    int64_t k = 0;
    if (const Tensor* kt = ctx.input(1)) {
      ONYX_ASSIGN_OR_RETURN(std::vector<int64_t> kv, ReadInt64s(*kt, ctx.node(), "input 'k'"));
      if (kv.size() != 1) return ctx.Error("'k' must be a scalar");
      k = kv[0];
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), x->shape()));
    const int64_t rows = x->dim(x->rank() - 2), cols = x->dim(x->rank() - 1);
    const int64_t matrices = rows * cols == 0 ? 0 : x->size() / (rows * cols);
    return DispatchByWidth(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* in = x->data<T>();
          T* out = y->data<T>();
          for (int64_t m = 0; m < matrices; ++m) {
            for (int64_t i = 0; i < rows; ++i) {
              const int64_t base = (m * rows + i) * cols;
              for (int64_t j = 0; j < cols; ++j) {
                const bool keep = upper_ ? j - i >= k : j - i <= k;
                out[base + j] = keep ? in[base + j] : T{};
              }
            }
          }
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  int64_t upper_ = 1;
};

}  // namespace

ONYX_REGISTER_KERNEL(TriluKernel, KernelDef("CPU", "", "Trilu").Versions(14));
ONYX_REGISTER_SHAPE_INFERENCE("", "Trilu", ir::InferSameAsInput);

}  // namespace onyx::cpu

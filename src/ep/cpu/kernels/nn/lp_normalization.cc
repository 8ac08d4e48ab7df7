// LpNormalization: divides by the L1 or L2 norm along one axis (a zero norm
// gives zeros).
#include <cmath>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

class LpNormalizationKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("axis", &axis_, int64_t{-1}));
    ONYX_RETURN_IF_ERROR(info.GetInt("p", &p_, int64_t{2}));
    if (p_ != 1 && p_ != 2) return info.Error("p must be 1 or 2, got ", p_);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) return ctx.Error("input is required");
    const int64_t rank = x->rank();
    const int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
    if (axis < 0 || axis >= rank) return ctx.Error("axis ", axis_, " is out of range for ", x->Describe());
    int64_t outer = 1, inner = 1;
    for (int64_t i = 0; i < axis; ++i) outer *= x->dim(i);
    for (int64_t i = axis + 1; i < rank; ++i) inner *= x->dim(i);
    const int64_t n = x->dim(axis);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), x->shape()));
    if (y->size() == 0) return Status::Ok();
    ONYX_ASSIGN_OR_RETURN(Tensor xc, AsComputeTensor(ctx, *x));
    ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
    Status st = Dispatch<float, double>(
        xc.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* xp = xc.data<T>();
          T* yp = yc.data<T>();
          for (int64_t o = 0; o < outer; ++o) {
            for (int64_t i = 0; i < inner; ++i) {
              const int64_t base = o * n * inner + i;
              T norm = T(0);
              for (int64_t k = 0; k < n; ++k) {
                const T v = xp[base + k * inner];
                norm += p_ == 1 ? std::abs(v) : v * v;
              }
              if (p_ == 2) norm = std::sqrt(norm);
              for (int64_t k = 0; k < n; ++k) yp[base + k * inner] = norm == T(0) ? T(0) : xp[base + k * inner] / norm;
            }
          }
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    return Status::Ok();
  }

 private:
  int64_t axis_ = -1, p_ = 2;
};

}  // namespace

ONYX_REGISTER_KERNEL(LpNormalizationKernel,
                     KernelDef("CPU", "", "LpNormalization").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "LpNormalization", ir::InferSameAsInput);

}  // namespace onyx::cpu

// LpPool: (sum over the window of |x|^p)^(1/p); padding contributes zeros.
#include <cmath>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ep/cpu/kernels/nn/pool_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

namespace {

template <typename T>
void LpPoolPlanes(const T* x, T* y, int64_t planes, const Window3& w, int64_t p_norm, ThreadPool* pool) {
  const int64_t in_size = w.in_size(), out_size = w.out_size();
  const T pw = static_cast<T>(p_norm);
  ForEachWindow(planes, w, pool, [&](int64_t p, int64_t o, const WindowTaps& t) {
    const T* xp = x + p * in_size;
    T sum = T(0);
    ForEachTap(w, t, [&](int64_t off) { sum += std::pow(std::abs(xp[off]), pw); });
    y[p * out_size + o] = std::pow(sum, T(1) / pw);
  });
}

class LpPoolKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(attrs_.Init(info, /*is_pool=*/true));
    if (info.opset() < 2) {
      float p = 2.0f;
      ONYX_RETURN_IF_ERROR(info.GetFloat("p", &p, 2.0f));
      p_ = static_cast<int64_t>(p);
    } else {
      ONYX_RETURN_IF_ERROR(info.GetInt("p", &p_, int64_t{2}));
    }
    if (p_ <= 0) return info.Error("p must be positive, got ", p_);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) return ctx.Error("input X is required");
    Shape out_shape;
    Window3 w;
    ONYX_RETURN_IF_ERROR(ResolvePoolWindow(ctx, attrs_, *x, &out_shape, &w));
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), out_shape));
    if (y->size() == 0) return Status::Ok();
    ONYX_ASSIGN_OR_RETURN(Tensor xc, AsComputeTensor(ctx, *x));
    ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
    Status st = Dispatch<float, double>(
        xc.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          LpPoolPlanes(xc.data<T>(), yc.data<T>(), x->dim(0) * x->dim(1), w, p_, ctx.thread_pool());
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    return Status::Ok();
  }

 private:
  ConvPoolAttrs attrs_;
  int64_t p_ = 2;
};

}  // namespace

ONYX_REGISTER_KERNEL(LpPoolKernel, KernelDef("CPU", "", "LpPool").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "LpPool", InferPool);

}  // namespace onyx::cpu

// MaxPool with the optional Indices output (flat indices into X, row- or
// column-major within each plane).
#include <algorithm>
#include <limits>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ep/cpu/kernels/nn/pool_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

namespace {

template <typename T>
void MaxPoolPlanes(const T* x, T* y, int64_t* indices, int64_t planes, const Window3& w, bool column_major,
                   ThreadPool* pool) {
  if (!indices && w.in[0] == 1 && w.kernel[0] == 1 && w.out[0] == 1 && w.dilation[1] == 1 && w.dilation[2] == 1) {
    RowPool2D<T>(
        x, y, planes, w, pool, std::numeric_limits<T>::lowest(), [](T a, T b) { return b > a ? b : a; },
        [](int64_t, T*) {});
    return;
  }
  const int64_t in_size = w.in_size(), out_size = w.out_size();
  ForEachWindow(planes, w, pool, [&](int64_t p, int64_t o, const WindowTaps& t) {
    const T* xp = x + p * in_size;
    T best = std::numeric_limits<T>::lowest();
    int64_t best_at = -1;
    ForEachTap(w, t, [&](int64_t off) {
      if (best_at < 0 || xp[off] > best) {
        best = xp[off];
        best_at = off;
      }
    });
    y[p * out_size + o] = best;
    if (indices) {
      int64_t idx = best_at < 0 ? 0 : best_at;
      if (column_major && best_at >= 0) {
        const int64_t i2 = best_at % w.in[2], i1 = (best_at / w.in[2]) % w.in[1], i0 = best_at / (w.in[1] * w.in[2]);
        // Column-major over the real spatial axes: the last axis
        // varies slowest. Leading widened axes have size 1.
        idx = (i2 * w.in[1] + i1) * w.in[0] + i0;
      }
      indices[p * out_size + o] = p * in_size + idx;
    }
  });
}

class MaxPoolKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(attrs_.Init(info, /*is_pool=*/true));
    ONYX_RETURN_IF_ERROR(info.GetInt("storage_order", &storage_order_, int64_t{0}));
    if (storage_order_ != 0 && storage_order_ != 1) return info.Error("storage_order must be 0 or 1");
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) return ctx.Error("input X is required");
    Shape out_shape;
    Window3 w;
    ONYX_RETURN_IF_ERROR(ResolvePoolWindow(ctx, attrs_, *x, &out_shape, &w));
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), out_shape));
    int64_t* indices = nullptr;
    if (ctx.output_requested(1)) {
      ONYX_ASSIGN_OR_RETURN(Tensor * ind, ctx.Output(1, DataType::kInt64, out_shape));
      indices = ind->data<int64_t>();
    }
    if (y->size() == 0) return Status::Ok();
    const int64_t planes = x->dim(0) * x->dim(1);
    ONYX_ASSIGN_OR_RETURN(Tensor xc, AsComputeTensor(ctx, *x));
    ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
    Status st = Dispatch<float, double, int8_t, uint8_t>(
        xc.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          MaxPoolPlanes(xc.data<T>(), yc.data<T>(), indices, planes, w, storage_order_ == 1, ctx.thread_pool());
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    return Status::Ok();
  }

 private:
  ConvPoolAttrs attrs_;
  int64_t storage_order_ = 0;
};

}  // namespace

ONYX_REGISTER_KERNEL(MaxPoolKernel, KernelDef("CPU", "", "MaxPool")
                                        .Versions(1)
                                        .Types(0, {DataType::kFloat, DataType::kDouble, DataType::kFloat16,
                                                   DataType::kBFloat16, DataType::kInt8, DataType::kUint8}));
ONYX_REGISTER_SHAPE_INFERENCE("", "MaxPool", InferPool);

}  // namespace onyx::cpu

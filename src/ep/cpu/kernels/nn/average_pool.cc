// AveragePool: the mean over the window's taps inside the input, or over those
// inside the padded input with count_include_pad=1 (padding counts as zeros).
#include <algorithm>
#include <vector>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ep/cpu/kernels/nn/pool_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

namespace {

template <typename T>
void AveragePoolPlanes(const T* x, T* y, int64_t planes, const Window3& w, bool count_include_pad, ThreadPool* pool) {
  if (IsWholePlaneWindow(w) && IsRowPool2D(w)) {
    // The row walk below adds the taps in this same memory order and divides by the same count, so the result is
    // the same bit for bit; this just skips its per-tap loop setup (1 ms on resnet50's 7x7 x 2048 pool).
    const int64_t n = w.in_size();
    ThreadPool::For(
        pool, planes,
        [&](int64_t begin, int64_t end) {
          for (int64_t p = begin; p < end; ++p) {
            const T* xp = x + p * n;
            T sum = T(0);
            for (int64_t i = 0; i < n; ++i) sum += xp[i];
            y[p] = sum / (static_cast<T>(w.in[1]) * static_cast<T>(w.in[2]));
          }
        },
        16);
    return;
  }
  if (IsRowPool2D(w)) {
    // Sums by rows, then each divided by its window's count: rows taps times column taps, inside the input or
    // (count_include_pad) inside the padded input.
    const int64_t ow = w.out[2];
    std::vector<T> col_count(static_cast<size_t>(ow));
    for (int64_t c = 0; c < ow; ++c) {
      const int64_t w0 = c * w.stride[2] - w.pad[2];
      const int64_t hi = std::min(w.kernel[2], (count_include_pad ? w.in[2] + w.pad_end[2] : w.in[2]) - w0);
      col_count[static_cast<size_t>(c)] =
          static_cast<T>(std::max<int64_t>(0, hi - (count_include_pad ? 0 : std::max<int64_t>(0, -w0))));
    }
    RowPool2D<T>(
        x, y, planes, w, pool, T(0), [](T a, T b) { return a + b; },
        [&](int64_t r, T* yr) {
          const int64_t h0 = r * w.stride[1] - w.pad[1];
          const int64_t hi = std::min(w.kernel[1], (count_include_pad ? w.in[1] + w.pad_end[1] : w.in[1]) - h0);
          const int64_t rows = std::max<int64_t>(0, hi - (count_include_pad ? 0 : std::max<int64_t>(0, -h0)));
          for (int64_t c = 0; c < ow; ++c) {
            const T count = static_cast<T>(rows) * col_count[static_cast<size_t>(c)];
            yr[c] = count > T(0) ? yr[c] / count : T(0);
          }
        });
    return;
  }
  const int64_t in_size = w.in_size(), out_size = w.out_size();
  ForEachWindow(planes, w, pool, [&](int64_t p, int64_t o, const WindowTaps& t) {
    const T* xp = x + p * in_size;
    T sum = T(0);
    ForEachTap(w, t, [&](int64_t off) { sum += xp[off]; });
    const int64_t count = count_include_pad ? t.padded_count : t.valid_count();
    y[p * out_size + o] = count > 0 ? sum / static_cast<T>(count) : T(0);
  });
}

class AveragePoolKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(attrs_.Init(info, /*is_pool=*/true));
    ONYX_RETURN_IF_ERROR(info.GetInt("count_include_pad", &count_include_pad_, int64_t{0}));
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
          AveragePoolPlanes(xc.data<T>(), yc.data<T>(), x->dim(0) * x->dim(1), w, count_include_pad_ != 0,
                            ctx.thread_pool());
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    return Status::Ok();
  }

 private:
  ConvPoolAttrs attrs_;
  int64_t count_include_pad_ = 0;
};

}  // namespace

ONYX_REGISTER_KERNEL(AveragePoolKernel, KernelDef("CPU", "", "AveragePool").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "AveragePool", InferPool);

}  // namespace onyx::cpu

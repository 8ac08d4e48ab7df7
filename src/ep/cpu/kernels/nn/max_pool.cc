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

// The common case — at most two spatial axes, no dilation, no Indices — row by row: the taps of one kernel row
// are max-ed into a whole output row at once, with the border columns (whose windows reach into the padding)
// handled apart from the interior, whose inner loop has no bounds to check and vectorizes.
template <typename T>
void MaxPool2D(const T* x, T* y, int64_t planes, const Window3& w, ThreadPool* pool) {
  const int64_t ih = w.in[1], iw = w.in[2], oh = w.out[1], ow = w.out[2];
  const int64_t kh = w.kernel[1], kw = w.kernel[2], sh = w.stride[1], sw = w.stride[2];
  const int64_t ph = w.pad[1], pw = w.pad[2];
  int64_t c0 = 0, c1 = 0;
  w.InteriorColumns(&c0, &c1);
  ThreadPool::For(
      pool, planes,
      [&](int64_t begin, int64_t end) {
        for (int64_t p = begin; p < end; ++p) {
          const T* xp = x + p * ih * iw;
          for (int64_t r = 0; r < oh; ++r) {
            T* yr = y + (p * oh + r) * ow;
            std::fill(yr, yr + ow, std::numeric_limits<T>::lowest());
            const int64_t h0 = r * sh - ph;
            const int64_t k_lo = std::max<int64_t>(0, -h0), k_hi = std::min<int64_t>(kh, ih - h0);
            for (int64_t k = k_lo; k < k_hi; ++k) {
              const T* xr = xp + (h0 + k) * iw;
              auto border = [&](int64_t c) {
                const int64_t w0 = c * sw - pw;
                T m = yr[c];
                for (int64_t j = std::max<int64_t>(0, -w0); j < std::min<int64_t>(kw, iw - w0); ++j) {
                  m = xr[w0 + j] > m ? xr[w0 + j] : m;
                }
                yr[c] = m;
              };
              for (int64_t c = 0; c < c0; ++c) border(c);
              for (int64_t j = 0; j < kw; ++j) {
                const T* xj = xr + j - pw;
                for (int64_t c = c0; c < c1; ++c) yr[c] = xj[c * sw] > yr[c] ? xj[c * sw] : yr[c];
              }
              for (int64_t c = std::max(c0, c1); c < ow; ++c) border(c);
            }
          }
        }
      },
      1);
}

template <typename T>
void MaxPoolPlanes(const T* x, T* y, int64_t* indices, int64_t planes, const Window3& w, bool column_major,
                   ThreadPool* pool) {
  if (!indices && w.in[0] == 1 && w.kernel[0] == 1 && w.out[0] == 1 && w.dilation[1] == 1 && w.dilation[2] == 1) {
    MaxPool2D(x, y, planes, w, pool);
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

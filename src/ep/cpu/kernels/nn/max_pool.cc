// MaxPool with the optional Indices output (flat indices into X, row- or
// column-major within each plane).
#include <algorithm>
#include <limits>
#include <vector>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ep/cpu/kernels/nn/pool_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

namespace {

// 8-bit planes in the row-pool geometry (at most two spatial axes, no dilation): for each output row the kernel
// rows' maximum is taken over whole input rows into a buffer framed by the type's lowest value (standing in for
// the padding, which a maximum never picks over a real value), and that buffer is split by column phase (one
// array per residue modulo the stride), so that every kernel column is a plain contiguous maximum. Every loop
// is over contiguous bytes without bounds checks, which the compiler turns into byte vector max instructions.
// The result equals the generic walk's: the maximum of the valid taps, the lowest value when there are none.
template <typename T>
void MaxPoolRows8(const T* x, T* y, int64_t planes, const Window3& w, ThreadPool* pool) {
  const int64_t ih = w.in[1], iw = w.in[2], oh = w.out[1], ow = w.out[2];
  const int64_t kh = w.kernel[1], kw = w.kernel[2], sh = w.stride[1], sw = w.stride[2], ph = w.pad[1], pw = w.pad[2];
  const T lowest = std::numeric_limits<T>::lowest();
  // The framed row: pw lowest values, the iw input columns, and enough lowest values to cover the last window.
  const int64_t span = std::max<int64_t>(pw + iw, (ow - 1) * sw + kw);
  const int64_t phase_len = (span + sw - 1) / sw;
  ThreadPool::For(pool, planes, static_cast<double>(oh * (kh * iw + kw * ow)) * kCheapNsPerElement,
                  [&](int64_t begin, int64_t end) {
                    std::vector<T> row(static_cast<size_t>(phase_len * sw), lowest);
                    std::vector<T> phases(static_cast<size_t>(phase_len * sw), lowest);
                    for (int64_t p = begin; p < end; ++p) {
                      const T* xp = x + p * ih * iw;
                      for (int64_t r = 0; r < oh; ++r) {
                        T* __restrict yr = y + (p * oh + r) * ow;
                        const int64_t h0 = r * sh - ph;
                        const int64_t k_lo = std::max<int64_t>(0, -h0), k_hi = std::min<int64_t>(kh, ih - h0);
                        T* __restrict mid = row.data() + pw;
                        if (k_lo >= k_hi) {
                          std::fill(yr, yr + ow, lowest);
                          continue;
                        }
                        std::copy(xp + (h0 + k_lo) * iw, xp + (h0 + k_lo + 1) * iw, mid);
                        for (int64_t k = k_lo + 1; k < k_hi; ++k) {
                          const T* __restrict xr = xp + (h0 + k) * iw;
                          for (int64_t c = 0; c < iw; ++c) mid[c] = std::max(mid[c], xr[c]);
                        }
                        const T* src = row.data();
                        if (sw > 1) {
                          T* __restrict ph_out = phases.data();
                          for (int64_t f = 0; f < sw; ++f) {
                            T* __restrict dst = ph_out + f * phase_len;
                            for (int64_t i = 0; i < phase_len; ++i) dst[i] = src[i * sw + f];
                          }
                          src = phases.data();
                        }
                        // Output column c, kernel column j reads framed column c * sw + j: phase j % sw, index
                        // c + j / sw.
                        auto tap = [&](int64_t j) { return src + (j % sw) * phase_len + j / sw; };
                        std::copy(tap(0), tap(0) + ow, yr);
                        for (int64_t j = 1; j < kw; ++j) {
                          const T* __restrict t = tap(j);
                          for (int64_t c = 0; c < ow; ++c) yr[c] = std::max(yr[c], t[c]);
                        }
                      }
                    }
                  });
}

template <typename T>
void MaxPoolPlanes(const T* x, T* y, int64_t* indices, int64_t planes, const Window3& w, bool column_major,
                   ThreadPool* pool) {
  if constexpr (sizeof(T) == 1) {
    if (!indices && IsRowPool2D(w)) {
      MaxPoolRows8(x, y, planes, w, pool);
      return;
    }
  }
  if (!indices && IsRowPool2D(w)) {
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

// MaxPool with the optional Indices output (flat indices into X, row- or
// column-major within each plane).
#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ep/cpu/kernels/nn/pool_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

namespace {

// dst[c] = max(dst[c], src[c]) for c < n. Plain arguments (no captures by reference, which byte stores could
// alias) so that the loop becomes byte vector max instructions.
template <typename T>
void MaxInto(T* __restrict dst, const T* __restrict src, int64_t n) {
  for (int64_t c = 0; c < n; ++c) dst[c] = dst[c] > src[c] ? dst[c] : src[c];
}

// dst[f * len + i] = src[i * stride + f]: the framed row split by column phase.
template <typename T>
void SplitPhases(const T* __restrict src, int64_t stride, int64_t len, T* __restrict dst) {
  if (stride == 2) {
    for (int64_t i = 0; i < len; ++i) {
      dst[i] = src[2 * i];
      dst[len + i] = src[2 * i + 1];
    }
    return;
  }
  for (int64_t f = 0; f < stride; ++f) {
    for (int64_t i = 0; i < len; ++i) dst[f * len + i] = src[i * stride + f];
  }
}

// 8-bit planes in the row-pool geometry (at most two spatial axes, no dilation): for each output row the kernel
// rows' maximum is taken over whole input rows into a buffer framed by the type's lowest value (standing in for
// the padding, which a maximum never picks over a real value), and that buffer is split by column phase (one
// array per residue modulo the stride), so that every kernel column is a plain contiguous maximum. The result
// equals the generic walk's: the maximum of the valid taps, the lowest value when there are none.
template <typename T>
void MaxPoolRows8Plane(const T* xp, T* yp, const Window3& w, T* row, T* phases) {
  const int64_t ih = w.in[1], iw = w.in[2], oh = w.out[1], ow = w.out[2];
  const int64_t kh = w.kernel[1], kw = w.kernel[2], sh = w.stride[1], sw = w.stride[2], ph = w.pad[1], pw = w.pad[2];
  const int64_t span = std::max<int64_t>(pw + iw, (ow - 1) * sw + kw);
  const int64_t phase_len = (span + sw - 1) / sw;
  const T lowest = std::numeric_limits<T>::lowest();
  for (int64_t r = 0; r < oh; ++r) {
    T* yr = yp + r * ow;
    const int64_t h0 = r * sh - ph;
    const int64_t k_lo = std::max<int64_t>(0, -h0), k_hi = std::min<int64_t>(kh, ih - h0);
    if (k_lo >= k_hi) {
      std::fill(yr, yr + ow, lowest);
      continue;
    }
    T* mid = row + pw;
    std::memcpy(mid, xp + (h0 + k_lo) * iw, static_cast<size_t>(iw));
    for (int64_t k = k_lo + 1; k < k_hi; ++k) MaxInto(mid, xp + (h0 + k) * iw, iw);
    const T* src = row;
    if (sw > 1) {
      SplitPhases(row, sw, phase_len, phases);
      src = phases;
    }
    // Output column c, kernel column j reads framed column c * sw + j: phase j % sw, index c + j / sw.
    std::memcpy(yr, src, static_cast<size_t>(ow));
    for (int64_t j = 1; j < kw; ++j) MaxInto(yr, src + (j % sw) * phase_len + j / sw, ow);
  }
}

template <typename T>
void MaxPoolRows8(const T* x, T* y, int64_t planes, const Window3& w, ThreadPool* pool) {
  const int64_t span = std::max<int64_t>(w.pad[2] + w.in[2], (w.out[2] - 1) * w.stride[2] + w.kernel[2]);
  const size_t buf = static_cast<size_t>((span + w.stride[2] - 1) / w.stride[2] * w.stride[2]);
  const double cost = static_cast<double>(w.out[1] * (w.kernel[1] * w.in[2] + w.kernel[2] * w.out[2]));
  ThreadPool::For(pool, planes, cost * kCheapNsPerElement / 8, [&](int64_t begin, int64_t end) {
    std::vector<T> row(buf, std::numeric_limits<T>::lowest()), phases(buf);
    for (int64_t p = begin; p < end; ++p) {
      MaxPoolRows8Plane(x + p * w.in_size(), y + p * w.out_size(), w, row.data(), phases.data());
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

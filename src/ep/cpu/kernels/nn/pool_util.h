// The window walk shared by MaxPool, AveragePool and LpPool: for every output
// element, the range of kernel taps that land inside the input (padding is
// skipped) and how many land inside the padded input.
#pragma once

#include <algorithm>
#include <cstdint>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/nn/conv_pool_attrs.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "framework/op_kernel.h"

namespace onyx::cpu {

// Along each axis the input index of tap k is base + k * dilation, for k in
// [lo, hi).
struct WindowTaps {
  int64_t lo[3], hi[3], base[3];
  int64_t padded_count;  // taps inside the input or its explicit padding
                         // (count_include_pad)
  int64_t valid_count() const { return (hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]); }
};

inline int64_t CeilDivPositive(int64_t a, int64_t b) { return a <= 0 ? 0 : (a + b - 1) / b; }

// Calls fn(plane, out_index, taps) for every output element of `planes`
// independent planes, in parallel over planes.
template <typename Fn>
void ForEachWindow(int64_t planes, const Window3& w, ThreadPool* pool, Fn&& fn) {
  ThreadPool::For(
      pool, planes, static_cast<double>(w.out_size() * w.kernel_size()) * kGatherNsPerElement,
      [&](int64_t begin, int64_t end) {
        WindowTaps t;
        for (int64_t p = begin; p < end; ++p) {
          int64_t o = 0;
          for (int64_t o0 = 0; o0 < w.out[0]; ++o0) {
            for (int64_t o1 = 0; o1 < w.out[1]; ++o1) {
              for (int64_t o2 = 0; o2 < w.out[2]; ++o2, ++o) {
                const int64_t pos[3] = {o0, o1, o2};
                t.padded_count = 1;
                for (int a = 0; a < 3; ++a) {
                  const int64_t start = pos[a] * w.stride[a] - w.pad[a];
                  t.base[a] = start;
                  t.lo[a] = std::min(w.kernel[a], CeilDivPositive(-start, w.dilation[a]));
                  t.hi[a] = std::max(t.lo[a], std::min(w.kernel[a], CeilDivPositive(w.in[a] - start, w.dilation[a])));
                  t.padded_count *=
                      std::min(w.kernel[a], CeilDivPositive(w.in[a] + w.pad_end[a] - start, w.dilation[a]));
                }
                fn(p, o, t);
              }
            }
          }
        }
      });
}

// True when the window is the common case the row path handles: at most two spatial axes, no dilation.
inline bool IsRowPool2D(const Window3& w) {
  return w.in[0] == 1 && w.kernel[0] == 1 && w.out[0] == 1 && w.dilation[1] == 1 && w.dilation[2] == 1;
}

// True when there is one window, exactly over each unpadded plane: a global pool in disguise (resnet's final
// 7x7 AveragePool), which the per-tap walks handle at a cost far beyond a plain pass over the plane.
inline bool IsWholePlaneWindow(const Window3& w) {
  for (int a = 0; a < 3; ++a) {
    if (w.out[a] != 1 || w.kernel[a] != w.in[a] || w.pad[a] != 0 || w.pad_end[a] != 0) return false;
  }
  return true;
}

// Pooling row by row for IsRowPool2D windows: each output row starts at `init`, the taps of each kernel row are
// combined into the whole row at once — the border columns (whose windows reach into the padding) apart from
// the interior, whose loop has no bounds to check and vectorizes — and finish(out_row, row) runs on each row.
template <typename T, typename Combine, typename Finish>
void RowPool2D(const T* x, T* y, int64_t planes, const Window3& w, ThreadPool* pool, T init, Combine combine,
               Finish finish) {
  const int64_t ih = w.in[1], iw = w.in[2], oh = w.out[1], ow = w.out[2];
  const int64_t kh = w.kernel[1], kw = w.kernel[2], sh = w.stride[1], sw = w.stride[2];
  const int64_t ph = w.pad[1], pw = w.pad[2];
  int64_t c0 = 0, c1 = 0;
  w.InteriorColumns(&c0, &c1);
  ThreadPool::For(
      pool, planes, static_cast<double>(oh * ow * kh * kw) * kCheapNsPerElement, [&](int64_t begin, int64_t end) {
        for (int64_t p = begin; p < end; ++p) {
          const T* xp = x + p * ih * iw;
          for (int64_t r = 0; r < oh; ++r) {
            T* yr = y + (p * oh + r) * ow;
            std::fill(yr, yr + ow, init);
            const int64_t h0 = r * sh - ph;
            const int64_t k_lo = std::max<int64_t>(0, -h0), k_hi = std::min<int64_t>(kh, ih - h0);
            for (int64_t k = k_lo; k < k_hi; ++k) {
              const T* xr = xp + (h0 + k) * iw;
              auto border = [&](int64_t c) {
                const int64_t w0 = c * sw - pw;
                T m = yr[c];
                for (int64_t j = std::max<int64_t>(0, -w0); j < std::min<int64_t>(kw, iw - w0); ++j) {
                  m = combine(m, xr[w0 + j]);
                }
                yr[c] = m;
              };
              for (int64_t c = 0; c < c0; ++c) border(c);
              for (int64_t j = 0; j < kw; ++j) {
                const T* xj = xr + j - pw;
                for (int64_t c = c0; c < c1; ++c) yr[c] = combine(yr[c], xj[c * sw]);
              }
              for (int64_t c = std::max(c0, c1); c < ow; ++c) border(c);
            }
            finish(r, yr);
          }
        }
      });
}

// Visits the input offsets (within the plane) of a window's valid taps:
// visit(offset).
template <typename Visit>
inline void ForEachTap(const Window3& w, const WindowTaps& t, Visit&& visit) {
  for (int64_t k0 = t.lo[0]; k0 < t.hi[0]; ++k0) {
    const int64_t i0 = t.base[0] + k0 * w.dilation[0];
    for (int64_t k1 = t.lo[1]; k1 < t.hi[1]; ++k1) {
      const int64_t i1 = t.base[1] + k1 * w.dilation[1];
      const int64_t row = (i0 * w.in[1] + i1) * w.in[2];
      for (int64_t k2 = t.lo[2]; k2 < t.hi[2]; ++k2) visit(row + t.base[2] + k2 * w.dilation[2]);
    }
  }
}

// Resolves a pool's window for X [N, C, spatial...]: fills the output shape and
// the 3-D window.
inline Status ResolvePoolWindow(KernelContext& ctx, const ConvPoolAttrs& attrs, const Tensor& x, Shape* out_shape,
                                Window3* w) {
  if (x.rank() < 3) return ctx.Error("X must have rank >= 3 (N, C, spatial...), got ", x.Describe());
  std::vector<int64_t> in(x.shape().begin() + 2, x.shape().end());
  WindowGeometry g;
  Status st = attrs.Resolve(in, {}, &g);
  if (!st.ok()) return ctx.Error(st.message());
  if (!ToWindow3(g, w)) return NotImplemented(ctx.node().Describe(), ": pooling over more than 3 spatial axes");
  *out_shape = {x.dim(0), x.dim(1)};
  out_shape->insert(out_shape->end(), g.out.begin(), g.out.end());
  return Status::Ok();
}

// Shape inference for the windowed pools: [N, C, pooled spatial...], output
// `extra` (Indices) the same in int64.
inline Status InferPool(ir::InferenceContext& ctx) {
  auto attrs = ConvPoolAttrs::FromNode(ctx, true);
  if (!attrs) return Status::Ok();
  const ir::SymShape* x = ctx.input_shape(0);
  ir::Dim channels = x && x->size() >= 2 ? (*x)[1] : ir::Dim{};
  InferWindowedOutput(ctx, *attrs, attrs->kernel_shape(), channels, 0, ctx.input_elem_type(0));
  if (ctx.output_count() > 1) InferWindowedOutput(ctx, *attrs, attrs->kernel_shape(), channels, 1, DataType::kInt64);
  return Status::Ok();
}

}  // namespace onyx::cpu

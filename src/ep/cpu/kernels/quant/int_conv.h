// The convolution core shared by ConvInteger and QLinearConv: shape checks, window resolution (the Conv
// attributes, see nn/conv_pool_attrs.h) and a direct int32 convolution of zero-point-centered operands. The
// padding is the zero point, so after centering it contributes nothing and is simply skipped.
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "common/thread_pool.h"
#include "ep/cpu/kernels/nn/conv_pool_attrs.h"
#include "framework/op_kernel.h"
#include "framework/tensor.h"

namespace onyx::cpu::quant {

struct IntConvDims {
  int64_t batch = 0, in_channels = 0, out_channels = 0, group = 1;
  Window3 w{};
  Shape out_shape;
};

// Checks x [N, C, spatial...] and w [M, C/group, kernel...] and resolves the output geometry.
inline Status PlanIntConv(const KernelContext& ctx, const ConvPoolAttrs& attrs, int64_t group, const Tensor& x,
                          const Tensor& w, IntConvDims* d) {
  if (x.rank() < 3) return ctx.Error("x must have rank >= 3 (N, C, spatial...), got ", x.Describe());
  if (w.rank() != x.rank()) return ctx.Error("w ", w.Describe(), " must have the rank of x ", x.Describe());
  d->batch = x.dim(0);
  d->in_channels = x.dim(1);
  d->out_channels = w.dim(0);
  d->group = group;
  if (d->in_channels % group != 0 || w.dim(1) * group != d->in_channels) {
    return ctx.Error("x has ", d->in_channels, " channels but w ", w.Describe(), " with group ", group, " expects ",
                     w.dim(1) * group);
  }
  if (d->out_channels % group != 0) {
    return ctx.Error("w's ", d->out_channels, " output channels are not divisible by group ", group);
  }
  std::vector<int64_t> in(x.shape().begin() + 2, x.shape().end());
  std::vector<int64_t> kernel(w.shape().begin() + 2, w.shape().end());
  if (!attrs.kernel_shape().empty() && attrs.kernel_shape() != kernel) {
    return ctx.Error("kernel_shape ", ShapeToString(attrs.kernel_shape()), " differs from w's spatial dims ",
                     ShapeToString(kernel));
  }
  WindowGeometry g;
  Status st = attrs.Resolve(in, kernel, &g);
  if (!st.ok()) return ctx.Error(st.message());
  if (!ToWindow3(g, &d->w)) return NotImplemented(ctx.node().Describe(), ": convolution over more than 3 spatial axes");
  d->out_shape = {d->batch, d->out_channels};
  d->out_shape.insert(d->out_shape.end(), g.out.begin(), g.out.end());
  return Status::Ok();
}

// y[n, m, o...] = sum over the group's channels and the window of w[m, c, k...] * x[n, c, i...], for centered
// int32 operands (x: [N, C, in...], w: [M, C/group, kernel...]); y is [N, M, out...].
inline void DirectIntConv(const IntConvDims& d, const int32_t* x, const int32_t* w, int32_t* y, ThreadPool* pool) {
  const Window3& win = d.w;
  const int64_t cg = d.in_channels / d.group, mg = d.out_channels / d.group;
  const int64_t in_size = win.in_size(), out_size = win.out_size(), ks = win.kernel_size();
  ThreadPool::For(pool, d.batch * d.out_channels, [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) {
      const int64_t n = p / d.out_channels, m = p % d.out_channels, grp = m / mg;
      int32_t* yp = y + p * out_size;
      std::fill(yp, yp + out_size, 0);
      for (int64_t c = 0; c < cg; ++c) {
        const int32_t* xp = x + (n * d.in_channels + grp * cg + c) * in_size;
        const int32_t* wk = w + (m * cg + c) * ks;
        for (int64_t k0 = 0; k0 < win.kernel[0]; ++k0) {
          for (int64_t k1 = 0; k1 < win.kernel[1]; ++k1) {
            for (int64_t k2 = 0; k2 < win.kernel[2]; ++k2) {
              const int32_t wv = wk[(k0 * win.kernel[1] + k1) * win.kernel[2] + k2];
              if (wv == 0) continue;
              for (int64_t o0 = 0; o0 < win.out[0]; ++o0) {
                const int64_t i0 = o0 * win.stride[0] - win.pad[0] + k0 * win.dilation[0];
                if (i0 < 0 || i0 >= win.in[0]) continue;
                for (int64_t o1 = 0; o1 < win.out[1]; ++o1) {
                  const int64_t i1 = o1 * win.stride[1] - win.pad[1] + k1 * win.dilation[1];
                  if (i1 < 0 || i1 >= win.in[1]) continue;
                  const int32_t* xrow = xp + (i0 * win.in[1] + i1) * win.in[2];
                  int32_t* yrow = yp + (o0 * win.out[1] + o1) * win.out[2];
                  for (int64_t o2 = 0; o2 < win.out[2]; ++o2) {
                    const int64_t i2 = o2 * win.stride[2] - win.pad[2] + k2 * win.dilation[2];
                    if (i2 >= 0 && i2 < win.in[2]) yrow[o2] += wv * xrow[i2];
                  }
                }
              }
            }
          }
        }
      }
    }
  });
}

// Shape inference for the two operators: x is input 0 and w input `w_index`.
inline void InferIntConv(ir::InferenceContext& ctx, size_t w_index, DataType type) {
  auto attrs = ConvPoolAttrs::FromNode(ctx, false);
  if (!attrs) {
    ctx.SetOutput(0, type, std::nullopt);
    return;
  }
  std::vector<int64_t> kernel = attrs->kernel_shape();
  ir::Dim channels;
  if (const ir::SymShape* ws = ctx.input_shape(w_index)) {
    if (!ws->empty()) channels = (*ws)[0];
    if (kernel.empty() && ws->size() >= 3) {
      for (size_t i = 2; i < ws->size(); ++i) {
        if (!(*ws)[i].known()) {
          kernel.clear();
          break;
        }
        kernel.push_back((*ws)[i].value);
      }
    }
  }
  InferWindowedOutput(ctx, *attrs, kernel, channels, 0, type);
}

}  // namespace onyx::cpu::quant

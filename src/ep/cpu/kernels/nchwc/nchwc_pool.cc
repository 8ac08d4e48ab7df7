// com.onyx:NchwcMaxPool and com.onyx:NchwcAveragePool (written by the NchwcLayout pass, see
// docs/FUSED_OPERATORS.md): MaxPool / AveragePool over the 2-D planes of a blocked tensor [N, C/8, H, W, 8], so
// that a chain of blocked convolutions is not broken by pooling. Attributes are the standard operators'
// (MaxPool without the Indices output; storage_order does not apply).
#include <algorithm>
#include <cstring>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/nchwc/nchwc_util.h"
#include "ep/cpu/kernels/nn/conv_pool_attrs.h"
#include "ep/cpu/ukernels/float_nchwc_pool__avx2.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::nchwc {
namespace {

class NchwcPoolKernel : public OpKernel {
 public:
  explicit NchwcPoolKernel(bool is_max) : is_max_(is_max) {}

  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(CheckAvx2(info));
    ONYX_RETURN_IF_ERROR(attrs_.Init(info, /*is_pool=*/true));
    if (attrs_.kernel_shape().size() != 2) return info.Error("kernel_shape must have 2 values (a 2-D pool)");
    if (!is_max_) ONYX_RETURN_IF_ERROR(info.GetInt("count_include_pad", &count_include_pad_, int64_t{0}));
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) return ctx.Error("input X is required");
    if (x->type() != DataType::kFloat || x->rank() != 5 || x->dim(4) != kBlock) {
      return ctx.Error("X ", x->Describe(), " must be a blocked float tensor [N, Cb, H, W, 8]");
    }
    const int64_t in[2] = {x->dim(2), x->dim(3)};
    WindowGeometry g;
    Status st = attrs_.Resolve(in, {}, &g);
    if (!st.ok()) return ctx.Error(st.message());
    ONYX_ASSIGN_OR_RETURN(
        Tensor * y, ctx.OutputForOverwrite(0, DataType::kFloat, {x->dim(0), x->dim(1), g.out[0], g.out[1], kBlock}));
    if (y->size() == 0) return Status::Ok();
    PoolGeometry pg{in[0],          in[1],          g.out[0],     g.out[1],      g.kernel[0],
                    g.kernel[1],    g.stride[0],    g.stride[1],  g.dilation[0], g.dilation[1],
                    g.pad_begin[0], g.pad_begin[1], g.pad_end[0], g.pad_end[1]};
    const int64_t in_plane = in[0] * in[1] * kBlock, out_plane = g.out[0] * g.out[1] * kBlock;
    const float* xd = x->data<float>();
    float* yd = y->data<float>();
    // Tasks are chunks of rows of a plane: a network's first pools have few planes (8 blocks of 64 channels), too
    // few to share out evenly. A window's loads and maxima count as four operations each: pooling runs at a
    // quarter of a convolution's operations per second, and a plane of SqueezeNet's first pool (24k floats of
    // output, 9 taps) takes about 20 microseconds, not the 1.6 the bare count would say.
    const int64_t planes = x->dim(0) * x->dim(1);
    const int64_t threads = ctx.thread_pool() ? ctx.thread_pool()->threads() : 1;
    const int64_t chunks = threads > 1 ? std::min(g.out[0], (8 * threads + planes - 1) / planes) : 1;
    const int64_t step = (g.out[0] + chunks - 1) / chunks;
    const double task_work = 4.0 * static_cast<double>(step * g.out[1] * kBlock * g.kernel[0] * g.kernel[1]);
    // A 1x1 window without pads (PropagateStrides subsamples a residual's operand with one) picks one pixel: the
    // maximum and the average of one value are that value, so the pixel's block is copied (NaN and -0 included).
    const bool pick = g.kernel[0] == 1 && g.kernel[1] == 1 && g.pad_begin[0] == 0 && g.pad_begin[1] == 0 &&
                      g.pad_end[0] == 0 && g.pad_end[1] == 0 && (g.out[0] - 1) * g.stride[0] < in[0] &&
                      (g.out[1] - 1) * g.stride[1] < in[1];  // (ceil mode may add a window past the end)
    ThreadPool::For(
        ctx.thread_pool(), planes * chunks,
        [&](int64_t begin, int64_t end) {
          for (int64_t t = begin; t < end; ++t) {
            const int64_t p = t / chunks, r0 = (t % chunks) * step;
            if (pick) {
              for (int64_t oh = r0; oh < std::min(g.out[0], r0 + step); ++oh) {
                const float* src = xd + p * in_plane + oh * g.stride[0] * in[1] * kBlock;
                float* dst = yd + p * out_plane + oh * g.out[1] * kBlock;
                for (int64_t ow = 0; ow < g.out[1]; ++ow)
                  std::memcpy(dst + ow * kBlock, src + ow * g.stride[1] * kBlock, sizeof(float) * kBlock);
              }
              continue;
            }
            PoolPlane_Avx2(pg, is_max_, count_include_pad_ != 0, xd + p * in_plane, yd + p * out_plane, r0,
                           std::min(g.out[0], r0 + step));
          }
        },
        MinBlockOfTasks(task_work * static_cast<double>(planes * chunks), planes * chunks));
    return Status::Ok();
  }

 private:
  bool is_max_;
  ConvPoolAttrs attrs_;
  int64_t count_include_pad_ = 0;
};

struct NchwcMaxPool : NchwcPoolKernel {
  NchwcMaxPool() : NchwcPoolKernel(true) {}
};
struct NchwcAveragePool : NchwcPoolKernel {
  NchwcAveragePool() : NchwcPoolKernel(false) {}
};

Status InferNchwcPool(ir::InferenceContext& ctx) {
  const ir::SymShape* x = ctx.input_shape(0);
  InferBlockedWindowed(ctx, /*is_pool=*/true, ctx.attr_ints("kernel_shape"), x && x->size() == 5 ? (*x)[1] : ir::Dim{});
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(NchwcMaxPool,
                     KernelDef("CPU", "com.onyx", "NchwcMaxPool").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_KERNEL(NchwcAveragePool,
                     KernelDef("CPU", "com.onyx", "NchwcAveragePool").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "NchwcMaxPool", InferNchwcPool);
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "NchwcAveragePool", InferNchwcPool);

}  // namespace onyx::cpu::nchwc

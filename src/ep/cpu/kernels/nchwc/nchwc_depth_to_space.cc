// com.onyx:NchwcDepthToSpace (written by the NchwcLayout pass, see docs/FUSED_OPERATORS.md): DepthToSpace in DCR mode
// on a blocked tensor whose output channel count is a multiple of 8. Output channel m at pixel (h*b + i, w*b + j) is
// input channel (i*b + j)*M + m at (h, w): with M a multiple of 8 each output block of a pixel is one input block of
// a pixel, a 32-byte copy. It follows the 1x1 convolutions that ConvTransposeToConv makes of kernel-equals-stride
// transposed convolutions, so an upsampling decoder stays blocked.
#include <cstring>
#include <limits>

#include "common/checked_math.h"
#include "common/thread_pool.h"
#include "ep/cpu/kernels/nchwc/nchwc_util.h"
#include "framework/kernel_registry.h"
#include "ir/derived_dim.h"

namespace onyx::cpu::nchwc {
namespace {

class NchwcDepthToSpaceKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("blocksize", &b_, int64_t{0}));
    ONYX_RETURN_IF_ERROR(info.GetInt("channels", &channels_, int64_t{0}));
    if (b_ <= 0 || b_ > 1024 || channels_ <= 0 || channels_ % kBlock != 0) {
      return info.Error("blocksize (", b_, ") must be in [1, 1024] and channels (", channels_,
                        ") a positive multiple of ", kBlock);
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) return ctx.Error("input X is required");
    const int64_t mb = channels_ / kBlock;
    if (x->type() != DataType::kFloat || x->rank() != 5 || x->dim(4) != kBlock || x->dim(1) != b_ * b_ * mb) {
      return ctx.Error("X ", x->Describe(), " must be a blocked float tensor [N, ", b_ * b_ * mb, ", H, W, 8]");
    }
    const int64_t n = x->dim(0), h = x->dim(2), w = x->dim(3);
    int64_t oh = 0, ow = 0;
    if (!CheckedMul(h, b_, &oh) || !CheckedMul(w, b_, &ow)) return ctx.Error("X ", x->Describe(), " is too large");
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kFloat, {n, mb, oh, ow, kBlock}));
    if (y->size() == 0) return Status::Ok();
    const float* xd = x->data<float>();
    float* yd = y->data<float>();
    const int64_t in_plane = h * w * kBlock, out_plane = oh * ow * kBlock, rows = n * mb * h;
    // A task is one input row of one output block: b output rows of b * w pixels.
    ThreadPool::For(
        ctx.thread_pool(), rows,
        [&](int64_t begin, int64_t end) {
          for (int64_t t = begin; t < end; ++t) {
            const int64_t img = t / (mb * h), ob = (t / h) % mb, r = t % h;
            for (int64_t i = 0; i < b_; ++i) {
              float* dst = yd + (img * mb + ob) * out_plane + (r * b_ + i) * ow * kBlock;
              for (int64_t j = 0; j < b_; ++j) {
                const float* src = xd + (img * b_ * b_ * mb + (i * b_ + j) * mb + ob) * in_plane + r * w * kBlock;
                for (int64_t c = 0; c < w; ++c)
                  std::memcpy(dst + (c * b_ + j) * kBlock, src + c * kBlock, sizeof(float) * kBlock);
              }
            }
          }
        },
        MinBlockOfTasks(static_cast<double>(y->size()) * 2, rows));
    return Status::Ok();
  }

 private:
  int64_t b_ = 0, channels_ = 0;
};

Status InferNchwcDepthToSpace(ir::InferenceContext& ctx) {
  const ir::SymShape* x = ctx.input_shape(0);
  if (ctx.input_elem_type(0) == DataType::kUndefined || !x || x->size() != 5) return Status::Ok();
  const int64_t b = ctx.attr_int("blocksize", 0), channels = ctx.attr_int("channels", 0);
  ir::SymShape out = *x;
  out[1] = channels > 0 ? ir::Dim::Known(BlockCount(channels)) : ir::Dim{};
  for (size_t i : {size_t{2}, size_t{3}}) out[i] = b > 0 ? ir::AffineDim((*x)[i], b, 0, 1) : ir::Dim{};
  ctx.SetOutput(0, ctx.input_elem_type(0), out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(NchwcDepthToSpaceKernel,
                     KernelDef("CPU", "com.onyx", "NchwcDepthToSpace").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "NchwcDepthToSpace", InferNchwcDepthToSpace);

}  // namespace onyx::cpu::nchwc

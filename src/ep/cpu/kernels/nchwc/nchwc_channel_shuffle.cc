// com.onyx:NchwcChannelShuffle (written by the NchwcLayout pass, see docs/FUSED_OPERATORS.md): ShuffleNet's channel
// shuffle (Reshape to [N, g, C/g, H, W], Transpose to [N, C/g, g, H, W], Reshape back) on a blocked tensor, so that
// the shuffle does not take the network out of the blocked layout and back twice per unit. Output channel j is input
// channel (j % g) * (C / g) + j / g; each output block gathers its 8 lanes from up to 8 input blocks.
#include <limits>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/nchwc/nchwc_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::nchwc {
namespace {

class NchwcChannelShuffleKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(CheckAvx2(info));
    ONYX_RETURN_IF_ERROR(info.GetInt("group", &group_, int64_t{0}));
    ONYX_RETURN_IF_ERROR(info.GetInt("channels", &channels_, int64_t{0}));
    if (group_ <= 0 || channels_ <= 0 || channels_ % group_ != 0) {
      return info.Error("group (", group_, ") must be positive and divide channels (", channels_, ")");
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    ONYX_ASSIGN_OR_RETURN(const Tensor* x, BlockedInput(ctx, channels_));
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kFloat, x->shape()));
    const int64_t blocks = x->dim(1), plane = x->size() / (x->dim(0) * blocks), pixels = plane / kBlock;
    if (blocks * plane > std::numeric_limits<int32_t>::max()) return ctx.Error("X ", x->Describe(), " is too large");
    // Each lane's source as an offset in floats from the image's start (past the channels: -1, a zero lane).
    std::vector<int32_t> src(static_cast<size_t>(blocks * kBlock), -1);
    const int64_t per_group = channels_ / group_;
    for (int64_t j = 0; j < channels_; ++j) {
      const int64_t s = (j % group_) * per_group + j / group_;
      src[static_cast<size_t>(j)] = static_cast<int32_t>((s / kBlock) * plane + s % kBlock);
    }
    const float* xd = x->data<float>();
    float* yd = y->data<float>();
    ThreadPool::For(
        ctx.thread_pool(), x->dim(0) * blocks,
        [&](int64_t begin, int64_t end) {
          for (int64_t t = begin; t < end; ++t) {
            const int64_t img = t / blocks, ob = t % blocks;
            GatherLanes_Avx2(xd + img * blocks * plane, src.data() + ob * kBlock, pixels, yd + t * plane);
          }
        },
        MinBlockOfTasks(static_cast<double>(plane * 4) * static_cast<double>(x->dim(0) * blocks), x->dim(0) * blocks));
    return Status::Ok();
  }

 private:
  int64_t group_ = 0, channels_ = 0;
};

Status InferNchwcChannelShuffle(ir::InferenceContext& ctx) {
  if (ctx.input_elem_type(0) == DataType::kUndefined || !ctx.input_shape(0)) return Status::Ok();
  ctx.SetOutput(0, ctx.input_elem_type(0), *ctx.input_shape(0));
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(NchwcChannelShuffleKernel,
                     KernelDef("CPU", "com.onyx", "NchwcChannelShuffle").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "NchwcChannelShuffle", InferNchwcChannelShuffle);

}  // namespace onyx::cpu::nchwc

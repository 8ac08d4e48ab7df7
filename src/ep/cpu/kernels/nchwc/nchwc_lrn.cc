// com.onyx:NchwcLrn (written by the NchwcLayout pass, see docs/FUSED_OPERATORS.md): LRN on a blocked tensor, so that
// a network normalizing between its convolutions (GoogLeNet, AlexNet) stays in the blocked layout instead of leaving
// it and coming back around each LRN.
#include <algorithm>
#include <limits>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/nchwc/nchwc_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::nchwc {
namespace {

class NchwcLrnKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(CheckAvx2(info));
    ONYX_RETURN_IF_ERROR(info.GetFloat("alpha", &alpha_, 1e-4f));
    ONYX_RETURN_IF_ERROR(info.GetFloat("beta", &beta_, 0.75f));
    ONYX_RETURN_IF_ERROR(info.GetFloat("bias", &bias_, 1.0f));
    ONYX_RETURN_IF_ERROR(info.GetInt("size", &size_, int64_t{0}));
    ONYX_RETURN_IF_ERROR(info.GetInt("channels", &channels_, int64_t{0}));
    if (size_ <= 0 || channels_ <= 0) {
      return info.Error("size (", size_, ") and channels (", channels_, ") must be positive");
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    ONYX_ASSIGN_OR_RETURN(const Tensor* x, BlockedInput(ctx, channels_));
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kFloat, x->shape()));
    if (x->size() == 0) return Status::Ok();
    const int64_t blocks = x->dim(1), plane = x->size() / (x->dim(0) * blocks);
    // Channels past either end add nothing: a window wider than the channels is cut to them (alpha / size keeps
    // the attribute's size).
    const int64_t before = std::min((size_ - 1) / 2, channels_),
                  after = std::min(size_ - 1 - (size_ - 1) / 2, channels_);
    const LrnGeometry g{
        blocks, plane / kBlock, channels_, before, before + after + 1, alpha_ / static_cast<float>(size_),
        bias_,  beta_};
    const float* xd = x->data<float>();
    float* yd = y->data<float>();
    const int64_t tasks = x->dim(0) * blocks;
    ThreadPool::For(
        ctx.thread_pool(), tasks,
        [&](int64_t begin, int64_t end) {
          std::vector<float> scratch(static_cast<size_t>(LrnScratchFloats(g.size)));
          for (int64_t t = begin; t < end; ++t) {
            const int64_t img = t / blocks;
            LrnBlock_Avx2(g, xd + img * blocks * plane, t % blocks, 0, g.pixels, yd + img * blocks * plane,
                          scratch.data());
          }
        },
        MinBlockOfTasks(static_cast<double>(plane) * static_cast<double>(g.size + 8) * static_cast<double>(tasks),
                        tasks));
    return Status::Ok();
  }

 private:
  float alpha_ = 1e-4f, beta_ = 0.75f, bias_ = 1.0f;
  int64_t size_ = 0, channels_ = 0;
};

Status InferNchwcLrn(ir::InferenceContext& ctx) {
  if (ctx.input_elem_type(0) == DataType::kUndefined || !ctx.input_shape(0)) return Status::Ok();
  ctx.SetOutput(0, ctx.input_elem_type(0), *ctx.input_shape(0));
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(NchwcLrnKernel, KernelDef("CPU", "com.onyx", "NchwcLrn").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "NchwcLrn", InferNchwcLrn);

}  // namespace onyx::cpu::nchwc

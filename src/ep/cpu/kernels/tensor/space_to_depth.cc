// SpaceToDepth: moves blocks of pixels into channels ([N, C, H, W] -> [N, C*b^2, H/b, W/b]), the inverse of
// DepthToSpace in DCR mode.
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class SpaceToDepthKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if (!info.has_attr("blocksize")) return info.Error("the 'blocksize' attribute is required");
    ONYX_RETURN_IF_ERROR(info.GetInt("blocksize", &block_));
    if (block_ < 1) return info.Error("blocksize must be positive, got ", block_);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'input' is missing");
    if (x->rank() != 4) return ctx.Error("input must be 4-D, got ", x->Describe());
    const int64_t n = x->dim(0), c = x->dim(1), h = x->dim(2), w = x->dim(3), b = block_;
    if (h % b != 0 || w % b != 0) return ctx.Error("height and width of ", x->Describe(), " must be multiples of ", b);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), {n, c * b * b, h / b, w / b}));
    return PermutedCopy(ctx, *x, {n, c, h / b, b, w / b, b}, {0, 3, 5, 1, 2, 4}, y);
  }

 private:
  int64_t block_ = 1;
};

}  // namespace

ONYX_REGISTER_KERNEL(SpaceToDepthKernel, KernelDef("CPU", "", "SpaceToDepth").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "SpaceToDepth",
                              [](ir::InferenceContext& ctx) { return InferBlockRearrange(ctx, false); });

}  // namespace onyx::cpu

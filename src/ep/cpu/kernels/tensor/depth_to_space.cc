// DepthToSpace: moves blocks of channels into blocks of pixels ([N, C, H, W] -> [N, C/b^2, H*b, W*b]), as a
// 6-D reshape and transpose (one strided copy). Mode DCR (default) or CRD orders the channel blocks.
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class DepthToSpaceKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if (!info.has_attr("blocksize")) return info.Error("the 'blocksize' attribute is required");
    ONYX_RETURN_IF_ERROR(info.GetInt("blocksize", &block_));
    if (block_ < 1) return info.Error("blocksize must be positive, got ", block_);
    std::string mode;
    ONYX_RETURN_IF_ERROR(info.GetString("mode", &mode, "DCR"));
    if (mode != "DCR" && mode != "CRD") return info.Error("mode must be DCR or CRD, got '", mode, "'");
    crd_ = mode == "CRD";
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'input' is missing");
    if (x->rank() != 4) return ctx.Error("input must be 4-D, got ", x->Describe());
    const int64_t n = x->dim(0), c = x->dim(1), h = x->dim(2), w = x->dim(3), b = block_;
    if (c % (b * b) != 0) return ctx.Error("channels ", c, " are not a multiple of blocksize^2 = ", b * b);
    const int64_t oc = c / (b * b);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), {n, oc, h * b, w * b}));
    if (crd_) return PermutedCopy(ctx, *x, {n, oc, b, b, h, w}, {0, 1, 4, 2, 5, 3}, y);
    return PermutedCopy(ctx, *x, {n, b, b, oc, h, w}, {0, 3, 4, 1, 5, 2}, y);
  }

 private:
  int64_t block_ = 1;
  bool crd_ = false;
};

}  // namespace

ONYX_REGISTER_KERNEL(DepthToSpaceKernel, KernelDef("CPU", "", "DepthToSpace").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "DepthToSpace",
                              [](ir::InferenceContext& ctx) { return InferBlockRearrange(ctx, true); });

}  // namespace onyx::cpu

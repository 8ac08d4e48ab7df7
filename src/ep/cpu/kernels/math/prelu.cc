// PRelu: x for x >= 0, slope * x below; the slope broadcasts to x's shape (numpy, unidirectionally; before
// opset 7 a 1-D slope of one value per channel applies along axis 1).
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct PReluOp {
  template <typename C>
  C operator()(C x, C slope) const {
    return x < C{0} ? WrapMul(slope, x) : x;
  }
};

class PReluKernel : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    ONYX_ASSIGN_OR_RETURN(DataType type, CommonInputType(ctx, 0, 2));
    const Tensor& x = *ctx.input(0);
    Tensor slope = *ctx.input(1);
    // Before opset 7 (no numpy broadcasting), a 1-D slope with one value per channel applies along axis 1.
    if (ctx.node().opset() < 7 && slope.rank() == 1 && x.rank() >= 2 && slope.dim(0) == x.dim(1) && slope.dim(0) != 1) {
      Shape per_channel(static_cast<size_t>(x.rank() - 1), 1);
      per_channel[0] = slope.dim(0);
      slope = slope.Reshaped(per_channel);
    }
    Shape out;
    if (!BroadcastTwo(x.shape(), slope.shape(), &out) || out != x.shape()) {
      return ctx.Error("slope of shape ", ShapeToString(slope.shape()), " does not broadcast to input shape ",
                       ShapeToString(x.shape()));
    }
    return Dispatch<ONYX_ALL_FLOAT_TYPES, int32_t, int64_t, uint32_t, uint64_t>(
        type,
        [&](auto tag) -> Status {
          using T = decltype(tag);
          return RunBinary<T>(ctx, x, x.shape(), slope, slope.shape(), PReluOp{});
        },
        ctx.node());
  }
};

}  // namespace

ONYX_REGISTER_KERNEL(PReluKernel, KernelDef("CPU", "", "PRelu").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "PRelu", ir::InferSameAsInput);

}  // namespace onyx::cpu

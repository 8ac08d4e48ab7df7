// DynamicQuantizeLinear: picks a uint8 scale and zero point from x's range (always including 0, so that 0 is
// exactly representable), then quantizes x with them.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "ep/cpu/kernels/quant/int8_gemm.h"
#include "ep/cpu/kernels/quant/quant_common.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class DynamicQuantizeLinearKernel : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input x is required");
    if (x->type() != DataType::kFloat) return ctx.Error("x must be float, got ", DataTypeName(x->type()));
    const float* xs = x->data<float>();
    const int64_t n = x->size();
    float lo = 0.0f, hi = 0.0f;
    // NaN says nothing about the range: it is passed over.
    quant::FloatRangeWithZero(xs, n, &lo, &hi);
    constexpr float kQmin = 0.0f, kQmax = 255.0f;
    const float scale = (hi - lo) / (kQmax - kQmin);
    uint8_t zero_point = 0;
    if (scale > 0.0f && std::isfinite(scale)) {
      zero_point = static_cast<uint8_t>(quant::RoundClamp(kQmin - lo / scale, 0, 255));
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kUint8, x->shape()));
    uint8_t* ys = y->data<uint8_t>();
    // With an all-zero input the scale is 0: every value quantizes to the zero point, 0.
    if (scale > 0.0f && std::isfinite(scale)) {
      // The vectorized QuantizeLinear core: NaN gives 0 there too.
      ThreadPool::For(ctx.thread_pool(), n, kCheapNsPerElement, [&](int64_t begin, int64_t end) {
        quant::QuantizeFloats(xs + begin, end - begin, scale, zero_point, /*out_signed=*/false, ys + begin);
      });
    } else if (n > 0) {
      std::memset(ys, 0, static_cast<size_t>(n));
    }
    if (ctx.output_requested(1)) {
      ONYX_ASSIGN_OR_RETURN(Tensor * s, ctx.Output(1, DataType::kFloat, {}));
      s->data<float>()[0] = scale;
    }
    if (ctx.output_requested(2)) {
      ONYX_ASSIGN_OR_RETURN(Tensor * z, ctx.Output(2, DataType::kUint8, {}));
      z->data<uint8_t>()[0] = zero_point;
    }
    return Status::Ok();
  }
};

Status InferDynamicQuantizeLinear(ir::InferenceContext& ctx) {
  const ir::SymShape* shape = ctx.input_shape(0);
  ctx.SetOutput(0, DataType::kUint8, shape ? std::optional<ir::SymShape>(*shape) : std::nullopt);
  if (ctx.output_count() > 1) ctx.SetOutput(1, DataType::kFloat, ir::SymShape{});
  if (ctx.output_count() > 2) ctx.SetOutput(2, DataType::kUint8, ir::SymShape{});
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(DynamicQuantizeLinearKernel,
                     KernelDef("CPU", "", "DynamicQuantizeLinear").Versions(11).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE("", "DynamicQuantizeLinear", InferDynamicQuantizeLinear);

}  // namespace onyx::cpu

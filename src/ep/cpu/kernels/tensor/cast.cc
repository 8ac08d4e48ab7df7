// Cast: converts every element to the type named by 'to'. Conversions live in cast_convert.cc (shared with
// CastLike). 'saturate' (opset 19) governs float8 overflow; 'round_mode' (opset 24) float8e8m0 rounding.
#include "ep/cpu/kernels/tensor/cast_convert.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

// Reads saturate and round_mode; shared with CastLike.
Status ReadCastOptions(const KernelInfo& info, CastOptions* options) {
  int64_t saturate = 1;
  ONYX_RETURN_IF_ERROR(info.GetInt("saturate", &saturate, 1));
  if (saturate != 0 && saturate != 1) return info.Error("saturate must be 0 or 1, got ", saturate);
  options->saturate = saturate != 0;
  std::string mode;
  ONYX_RETURN_IF_ERROR(info.GetString("round_mode", &mode, "up"));
  if (mode == "up")
    options->e8m0_rounding = E8M0Rounding::kUp;
  else if (mode == "down")
    options->e8m0_rounding = E8M0Rounding::kDown;
  else if (mode == "nearest")
    options->e8m0_rounding = E8M0Rounding::kNearest;
  else
    return info.Error("round_mode must be up, down or nearest, got '", mode, "'");
  return Status::Ok();
}

namespace {

class CastKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    int64_t to = 0;
    if (!info.has_attr("to")) return info.Error("the 'to' attribute is required");
    ONYX_RETURN_IF_ERROR(info.GetInt("to", &to));
    if (to > INT32_MAX || !IsValidDataType(static_cast<int32_t>(to)))
      return info.Error("'to' = ", to, " is not a data type");
    to_ = static_cast<DataType>(to);
    return ReadCastOptions(info, &options_);
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'input' is missing");
    if (x->type() == to_) return ctx.SetOutput(0, Value(*x));  // nothing to convert: share the buffer
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, to_, x->shape()));
    return CastTensor(*x, y, options_, ctx.thread_pool(), ctx.node());
  }

 private:
  DataType to_ = DataType::kUndefined;
  CastOptions options_;
};

Status InferCast(ir::InferenceContext& ctx) {
  int64_t to = ctx.attr_int("to", 0);
  if (to > INT32_MAX || !IsValidDataType(static_cast<int32_t>(to)))
    return ctx.Error("'to' = ", to, " is not a data type");
  const ir::SymShape* in = ctx.input_shape(0);
  ctx.SetOutput(0, static_cast<DataType>(to), in ? std::optional<ir::SymShape>(*in) : std::nullopt);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(CastKernel, KernelDef("CPU", "", "Cast").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Cast", InferCast);

}  // namespace onyx::cpu

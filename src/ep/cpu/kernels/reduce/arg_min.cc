// ArgMin: the index of the smallest value along `axis` (first one, or last with select_last_index).
#include "ep/cpu/kernels/reduce/reduce.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

ONYX_REGISTER_KERNEL(ArgReduceKernel<true>, KernelDef("CPU", "", "ArgMin").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "ArgMin", [](ir::InferenceContext& ctx) -> Status {
  DataType t = DataType::kInt64;
  const ir::SymShape* in = ctx.input_shape(0);
  if (in == nullptr) {
    ctx.SetOutput(0, t, std::nullopt);
    return Status::Ok();
  }
  const int64_t rank = static_cast<int64_t>(in->size());
  int64_t axis = ctx.attr_int("axis", 0);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) return ctx.Error("axis ", ctx.attr_int("axis", 0), " is out of range for rank ", rank);
  ir::SymShape out = *in;
  if (ctx.attr_int("keepdims", 1) != 0) {
    out[static_cast<size_t>(axis)] = ir::Dim::Known(1);
  } else {
    out.erase(out.begin() + axis);
  }
  ctx.SetOutput(0, t, out);
  return Status::Ok();
});

}  // namespace onyx::cpu

// Flatten: a 2-D view [prod(dims before axis), prod(dims from axis)]. Negative axes from opset 11.
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class FlattenKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return info.GetInt("axis", &axis_, 1); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'input' is missing");
    int64_t axis = axis_;
    if (axis < 0) axis += x->rank();
    if (axis < 0 || axis > x->rank()) return ctx.Error("axis ", axis_, " is out of range for ", x->Describe());
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < x->rank(); ++d) (d < axis ? outer : inner) *= x->dim(d);
    return ctx.SetOutput(0, Value(x->Reshaped({outer, inner})));
  }

 private:
  int64_t axis_ = 1;
};

Status InferFlatten(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  const ir::SymShape* in = ctx.input_shape(0);
  if (!in) {
    SetOutputIfKnown(ctx, 0, t, ir::SymShape(2));
    return Status::Ok();
  }
  const int64_t rank = static_cast<int64_t>(in->size());
  int64_t axis = ctx.attr_int("axis", 1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis > rank) return ctx.Error("axis ", axis, " is out of range for rank ", rank);
  ir::Dim outer = ir::Dim::Known(1), inner = ir::Dim::Known(1);
  for (int64_t d = 0; d < rank; ++d) {
    ir::Dim& acc = d < axis ? outer : inner;
    const ir::Dim& v = (*in)[static_cast<size_t>(d)];
    if (acc.known() && acc.value == 1) {
      acc = v;  // keeps a symbolic dim such as the batch size
    } else if (!(v.known() && v.value == 1)) {
      acc = acc.known() && v.known() ? ir::Dim::Known(acc.value * v.value) : ir::Dim{};
    }
  }
  SetOutputIfKnown(ctx, 0, t, ir::SymShape{outer, inner});
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(FlattenKernel, KernelDef("CPU", "", "Flatten").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Flatten", InferFlatten);

}  // namespace onyx::cpu

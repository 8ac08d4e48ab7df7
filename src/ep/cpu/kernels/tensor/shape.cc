// Shape: the input's dims as a 1-D int64 tensor; opset 15 adds start/end (clamped, negative from the end).
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

// Clamps [start, end) to [0, rank] with negative values counted from the end.
std::pair<int64_t, int64_t> ShapeRange(int64_t start, int64_t end, int64_t rank) {
  auto clamp = [rank](int64_t v) {
    if (v < 0) v += rank;
    return std::clamp<int64_t>(v, 0, rank);
  };
  int64_t s = clamp(start), e = clamp(end);
  return {s, std::max(s, e)};
}

class ShapeKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("start", &start_, 0));
    return info.GetInt("end", &end_, std::numeric_limits<int64_t>::max());
  }

  Status Compute(KernelContext& ctx) const override {
    const Value* v = ctx.input_value(0);
    if (v == nullptr || !v->is_tensor()) return ctx.Error("input 'data' must be a tensor");
    const Shape& shape = v->tensor().shape();
    auto [s, e] = ShapeRange(start_, end_, static_cast<int64_t>(shape.size()));
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kInt64, {e - s}));
    std::copy(shape.begin() + s, shape.begin() + e, y->data<int64_t>());
    return Status::Ok();
  }

 private:
  int64_t start_ = 0, end_ = 0;
};

Status InferShape(ir::InferenceContext& ctx) {
  const ir::SymShape* in = ctx.input_shape(0);
  if (!in) {
    ctx.SetOutput(0, DataType::kInt64, ir::SymShape(1));
    return Status::Ok();
  }
  auto [s, e] = ShapeRange(ctx.attr_int("start", 0), ctx.attr_int("end", std::numeric_limits<int64_t>::max()),
                           static_cast<int64_t>(in->size()));
  ctx.SetOutput(0, DataType::kInt64, ir::ToSymShape({e - s}));
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(ShapeKernel, KernelDef("CPU", "", "Shape").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Shape", InferShape);

}  // namespace onyx::cpu

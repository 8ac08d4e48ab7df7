// ConstantOfShape: a tensor of the given shape filled with the one-element 'value' (float 0 by default).
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class ConstantOfShapeKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if (info.has_attr("value")) {
      ONYX_RETURN_IF_ERROR(info.GetTensor("value", &value_));
      if (value_.size() != 1) return info.Error("'value' must hold exactly one element, got ", value_.Describe());
      if (IsSubByte(value_.type())) {
        ONYX_ASSIGN_OR_RETURN(value_, UnpackSubByte(value_));
        sub_byte_type_ = info.node().attribute("value")->t.type();
      }
    } else {
      value_ = Tensor::Scalar<float>(0.0f);
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* s = ctx.input(0);
    if (s == nullptr) return ctx.Error("input 'input' is missing");
    if (s->type() != DataType::kInt64) return ctx.Error("input 'input' must be int64, got ", s->Describe());
    ONYX_ASSIGN_OR_RETURN(std::vector<int64_t> shape, ReadInt64s(*s, ctx.node(), "input 'input'"));
    for (int64_t d : shape) {
      if (d < 0) return ctx.Error("the shape ", ShapeToString(shape), " has a negative dim");
    }
    const DataType type = sub_byte_type_ != DataType::kUndefined ? sub_byte_type_ : value_.type();
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, type, shape));
    if (sub_byte_type_ != DataType::kUndefined) {
      ONYX_ASSIGN_OR_RETURN(Tensor tmp, Tensor::Create(DataType::kUint8, shape));
      std::fill_n(tmp.data<uint8_t>(), tmp.size(), value_.data<uint8_t>()[0]);
      PackSubByte(tmp, y);
      return Status::Ok();
    }
    return DispatchByWidth(
        type,
        [&](auto tag) -> Status {
          using T = decltype(tag);
          std::fill_n(y->data<T>(), y->size(), value_.data<T>()[0]);
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  Tensor value_;
  DataType sub_byte_type_ = DataType::kUndefined;
};

Status InferConstantOfShape(ir::InferenceContext& ctx) {
  const ir::Attribute* a = ctx.attr("value");
  DataType t = a && a->type == ir::AttrType::kTensor && a->t.defined() ? a->t.type() : DataType::kFloat;
  if (std::optional<ir::SymShape> shape = ctx.input_shape_value(0)) {  // possibly symbolic
    ctx.SetOutput(0, t, std::move(*shape));
    return Status::Ok();
  }
  const ir::SymShape* s = ctx.input_shape(0);
  // The rank comes from a dim the file declares: a huge one (fuzzed: 2^27) would allocate gigabytes of dims,
  // so past 1,024 (the C API's rank limit) the shape is left unknown, as an unknown dim leaves it.
  if (s && s->size() == 1 && (*s)[0].known() && (*s)[0].value >= 0 && (*s)[0].value <= 1024) {
    ctx.SetOutput(0, t, ir::SymShape(static_cast<size_t>((*s)[0].value)));
  } else {
    ctx.SetOutput(0, t, std::nullopt);
  }
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(ConstantOfShapeKernel, KernelDef("CPU", "", "ConstantOfShape").Versions(9));
ONYX_REGISTER_SHAPE_INFERENCE("", "ConstantOfShape", InferConstantOfShape);

}  // namespace onyx::cpu

// SequenceEmpty: an empty sequence of the element type named by 'dtype' (float when absent).
#include "ep/cpu/kernels/sequence/sequence_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class SequenceEmptyKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    int64_t dtype = 0;
    ONYX_RETURN_IF_ERROR(info.GetInt("dtype", &dtype, static_cast<int64_t>(DataType::kFloat)));
    if (dtype < 0 || dtype > kMaxDataType || !IsValidDataType(static_cast<int32_t>(dtype)) || dtype == 0) {
      return info.Error("dtype ", dtype, " is not a valid element type");
    }
    dtype_ = static_cast<DataType>(dtype);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    Sequence seq;
    seq.elem_type = dtype_;
    return ctx.SetOutput(0, Value::FromSequence(std::move(seq)));
  }

 private:
  DataType dtype_ = DataType::kFloat;
};

Status InferSequenceEmpty(ir::InferenceContext& ctx) {
  int64_t dtype = ctx.attr_int("dtype", static_cast<int64_t>(DataType::kFloat));
  if (dtype <= 0 || dtype > kMaxDataType || !IsValidDataType(static_cast<int32_t>(dtype))) {
    return ctx.Error("dtype ", dtype, " is not a valid element type");
  }
  ctx.SetOutputType(0, SequenceTypeOf(ir::Type::Tensor(static_cast<DataType>(dtype))));
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(SequenceEmptyKernel, KernelDef("CPU", "", "SequenceEmpty").Versions(11));
ONYX_REGISTER_SHAPE_INFERENCE("", "SequenceEmpty", InferSequenceEmpty);

}  // namespace
}  // namespace onyx::cpu

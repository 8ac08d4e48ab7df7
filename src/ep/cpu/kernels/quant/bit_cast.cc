// BitCast: reinterprets the bits of each element as another type of the same width. The output is a view
// of the input's memory, except for bool targets: a C++ bool must hold 0 or 1, so those are copied and any
// non-zero byte becomes true.
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

bool IsBitCastable(DataType t) { return t != DataType::kString && t != DataType::kUndefined; }

class BitCastKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    int64_t to = 0;
    ONYX_RETURN_IF_ERROR(info.GetInt("to", &to));
    if (!IsValidDataType(static_cast<int32_t>(to)) || !IsBitCastable(static_cast<DataType>(to))) {
      return info.Error("attribute 'to' (", to, ") is not a non-string element type");
    }
    to_ = static_cast<DataType>(to);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input is required");
    if (!IsBitCastable(x->type())) return ctx.Error("cannot bit-cast ", DataTypeName(x->type()));
    if (DataTypeBits(x->type()) != DataTypeBits(to_)) {
      return ctx.Error("cannot bit-cast ", DataTypeName(x->type()), " (", DataTypeBits(x->type()), " bits) to ",
                       DataTypeName(to_), " (", DataTypeBits(to_), " bits)");
    }
    if (to_ != DataType::kBool) return ctx.SetOutput(0, Value(Tensor(to_, x->shape(), x->buffer(), x->offset())));
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, to_, x->shape()));
    const auto* in = static_cast<const uint8_t*>(x->raw());
    bool* out = y->data<bool>();
    for (int64_t i = 0; i < x->size(); ++i) out[i] = in[i] != 0;
    return Status::Ok();
  }

 private:
  DataType to_ = DataType::kUndefined;
};

Status InferBitCast(ir::InferenceContext& ctx) {
  const int64_t to = ctx.attr_int("to", 0);
  if (!IsValidDataType(static_cast<int32_t>(to)) || to == 0) return Status::Ok();
  const ir::SymShape* shape = ctx.input_shape(0);
  ctx.SetOutput(0, static_cast<DataType>(to), shape ? std::optional<ir::SymShape>(*shape) : std::nullopt);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(BitCastKernel, KernelDef("CPU", "", "BitCast").Versions(26));
ONYX_REGISTER_SHAPE_INFERENCE("", "BitCast", InferBitCast);

}  // namespace onyx::cpu

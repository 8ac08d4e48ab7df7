// Optional: wraps its input in an optional, or makes an empty optional of the type the 'type' attribute names.
#include "ep/cpu/kernels/sequence/sequence_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class OptionalKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if (!info.has_input(0) && !info.has_attr("type")) {
      return info.Error("an Optional without an input needs the 'type' attribute");
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Value* in = ctx.input_value(0);
    if (in == nullptr) return ctx.SetOutput(0, Value::FromOptional(nullptr));
    if (in->is_optional()) return ctx.Error("the input of Optional cannot itself be an optional");
    return ctx.SetOutput(0, Value::FromOptional(std::make_shared<Value>(*in)));
  }
};

Status InferOptional(ir::InferenceContext& ctx) {
  ir::Type t;
  t.kind = ir::Type::Kind::kOptional;
  if (const ir::Type* in = ctx.input_type(0); in && in->kind != ir::Type::Kind::kUnknown) {
    t.inner = std::make_shared<ir::Type>(*in);
  } else if (const ir::Attribute* a = ctx.attr("type"); a && !a->type_protos.empty()) {
    t.inner = std::make_shared<ir::Type>(a->type_protos[0]);
  }
  if (t.inner) ctx.SetOutputType(0, t);
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(OptionalKernel, KernelDef("CPU", "", "Optional").Versions(15));
ONYX_REGISTER_SHAPE_INFERENCE("", "Optional", InferOptional);

}  // namespace
}  // namespace onyx::cpu

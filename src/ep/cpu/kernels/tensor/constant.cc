// Constant: a tensor given by exactly one attribute (value, value_float(s), value_int(s), value_string(s)).
// The tensor is made once in Init; Compute hands out views of it.
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

const char* const kValueAttrs[] = {"value",     "sparse_value", "value_float",  "value_floats",
                                   "value_int", "value_ints",   "value_string", "value_strings"};

// Builds the constant from a node's attributes; shared by the kernel and shape inference.
Result<Tensor> MakeConstant(const ir::Node& node) {
  const ir::Attribute* found = nullptr;
  int count = 0;
  for (const char* name : kValueAttrs) {
    if (const ir::Attribute* a = node.attribute(name)) {
      found = a;
      ++count;
    }
  }
  if (count != 1) {
    return InvalidArgument(node.Describe(), ": exactly one of the value attributes must be set, got ", count);
  }
  const std::string& name = found->name;
  auto type_error = [&]() {
    return InvalidArgument(node.Describe(), ": attribute '", name, "' has type ", ir::AttrTypeName(found->type));
  };
  if (name == "value") {
    if (found->type != ir::AttrType::kTensor) return type_error();
    return found->t;
  }
  if (name == "sparse_value") {
    return NotImplemented(node.Describe(), ": sparse_value constants are not supported");
  }
  if (name == "value_float") {
    if (found->type != ir::AttrType::kFloat) return type_error();
    return Tensor::Scalar<float>(found->f);
  }
  if (name == "value_floats") {
    if (found->type != ir::AttrType::kFloats) return type_error();
    return Tensor::FromVector<float>({static_cast<int64_t>(found->floats.size())}, found->floats);
  }
  if (name == "value_int") {
    if (found->type != ir::AttrType::kInt) return type_error();
    return Tensor::Scalar<int64_t>(found->i);
  }
  if (name == "value_ints") {
    if (found->type != ir::AttrType::kInts) return type_error();
    return Tensor::FromVector<int64_t>({static_cast<int64_t>(found->ints.size())}, found->ints);
  }
  if (name == "value_string") {
    if (found->type != ir::AttrType::kString) return type_error();
    return Tensor::Scalar<std::string>(found->s);
  }
  if (found->type != ir::AttrType::kStrings) return type_error();
  return Tensor::FromVector<std::string>({static_cast<int64_t>(found->strings.size())}, found->strings);
}

class ConstantKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_ASSIGN_OR_RETURN(value_, MakeConstant(info.node()));
    if (!value_.defined()) return info.Error("the 'value' attribute holds no tensor");
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override { return ctx.SetOutput(0, Value(value_)); }

 private:
  Tensor value_;
};

Status InferConstant(ir::InferenceContext& ctx) {
  for (const char* name : kValueAttrs) {
    const ir::Attribute* a = ctx.attr(name);
    if (a == nullptr) continue;
    std::string n = name;
    if (n == "value" && a->type == ir::AttrType::kTensor && a->t.defined()) {
      ctx.SetOutput(0, a->t.type(), ir::ToSymShape(a->t.shape()));
    } else if (n == "value_float") {
      ctx.SetOutput(0, DataType::kFloat, ir::SymShape{});
    } else if (n == "value_floats") {
      ctx.SetOutput(0, DataType::kFloat, ir::ToSymShape({static_cast<int64_t>(a->floats.size())}));
    } else if (n == "value_int") {
      ctx.SetOutput(0, DataType::kInt64, ir::SymShape{});
    } else if (n == "value_ints") {
      ctx.SetOutput(0, DataType::kInt64, ir::ToSymShape({static_cast<int64_t>(a->ints.size())}));
    } else if (n == "value_string") {
      ctx.SetOutput(0, DataType::kString, ir::SymShape{});
    } else if (n == "value_strings") {
      ctx.SetOutput(0, DataType::kString, ir::ToSymShape({static_cast<int64_t>(a->strings.size())}));
    }
    break;
  }
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(ConstantKernel, KernelDef("CPU", "", "Constant").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Constant", InferConstant);

}  // namespace onyx::cpu

// Not: logical negation of a bool tensor.
#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct NotOp {
  bool operator()(bool x) const { return !x; }
};

using NotKernel = UnaryKernel<NotOp, bool>;

}  // namespace

ONYX_REGISTER_KERNEL(NotKernel, KernelDef("CPU", "", "Not").Versions(1).Types(0, {DataType::kBool}));
ONYX_REGISTER_SHAPE_INFERENCE("", "Not", ir::InferSameAsInput);

}  // namespace onyx::cpu

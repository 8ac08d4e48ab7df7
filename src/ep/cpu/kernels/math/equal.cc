// Equal: element-wise a == b with numpy broadcasting; bool output. Strings compare from opset 19.
#include <string>

#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct EqualOp {
  template <typename C>
  bool operator()(const C& a, const C& b) const {
    return a == b;
  }
};

using EqualKernel = BinaryKernel<EqualOp, ONYX_ALL_NUMERIC_TYPES, bool, std::string>;

}  // namespace

ONYX_REGISTER_KERNEL(EqualKernel, KernelDef("CPU", "", "Equal").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Equal", InferBinaryBool);

}  // namespace onyx::cpu

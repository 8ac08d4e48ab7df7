// Hardmax (see softmax_common.h for the opset < 13 coercion to 2-D and the per-axis form after).
#include "ep/cpu/kernels/math/softmax_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

ONYX_REGISTER_KERNEL(SoftmaxKernel<SoftmaxMode::kHardmax>,
                     KernelDef("CPU", "", "Hardmax").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Hardmax", ir::InferSameAsInput);

}  // namespace onyx::cpu

// RandomUniform: samples of the uniform distribution [low, high) with the shape and dtype attributes. See
// random_common.h for seeding.
#include "ep/cpu/kernels/random/random_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

using RandomUniformKernel = rng::RandomKernel<rng::Distribution::kUniform, false>;
ONYX_REGISTER_KERNEL(RandomUniformKernel, KernelDef("CPU", "", "RandomUniform").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "RandomUniform", rng::InferFromAttributes);

}  // namespace onyx::cpu

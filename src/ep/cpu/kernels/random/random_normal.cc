// RandomNormal: samples of the normal distribution (mean, scale) with the shape and dtype attributes. See
// random_common.h for seeding.
#include "ep/cpu/kernels/random/random_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

using RandomNormalKernel = rng::RandomKernel<rng::Distribution::kNormal, false>;
ONYX_REGISTER_KERNEL(RandomNormalKernel, KernelDef("CPU", "", "RandomNormal").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "RandomNormal", rng::InferFromAttributes);

}  // namespace onyx::cpu

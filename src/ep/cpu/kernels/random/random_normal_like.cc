// RandomNormalLike: samples of the normal distribution (mean, scale) with the shape of its input, the type of its input
// unless dtype is given. See random_common.h for seeding.
#include "ep/cpu/kernels/random/random_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

using RandomNormalLikeKernel = rng::RandomKernel<rng::Distribution::kNormal, true>;
ONYX_REGISTER_KERNEL(RandomNormalLikeKernel, KernelDef("CPU", "", "RandomNormalLike").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "RandomNormalLike", rng::InferLikeInput);

}  // namespace onyx::cpu

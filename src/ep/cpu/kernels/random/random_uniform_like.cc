// RandomUniformLike: samples of the uniform distribution [low, high) with the shape of its input, the type of its input
// unless dtype is given. See random_common.h for seeding.
#include "ep/cpu/kernels/random/random_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

using RandomUniformLikeKernel = rng::RandomKernel<rng::Distribution::kUniform, true>;
ONYX_REGISTER_KERNEL(RandomUniformLikeKernel, KernelDef("CPU", "", "RandomUniformLike").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "RandomUniformLike", rng::InferLikeInput);

}  // namespace onyx::cpu

// Rough single-core costs that kernels hand to ThreadPool::For (common/thread_pool.h), which splits a loop only
// when each block would carry enough work to pay for handing it to another thread. They need only be right
// within a factor of two or so: they decide whether a tensor is big enough to split, not how fast it runs.
#pragma once

namespace onyx::cpu {

// Streaming copies (memcpy, concatenation, contiguous transposes), per byte copied.
inline constexpr double kCopyNsPerByte = 0.08;
// Element-wise arithmetic and comparisons (add, mul, relu, where), per output element.
inline constexpr double kCheapNsPerElement = 0.25;
// Element-wise functions that take tens of instructions (exp, tanh, erf, sigmoid, pow), per output element.
inline constexpr double kCostlyNsPerElement = 2.0;
// Multiply-adds of small products and stencils (unpacked GEMMs, depthwise taps), per multiply-add.
inline constexpr double kSmallProductNsPerMac = 0.05;
// Gathers through a stride or an index (transposes, gathers), per element.
inline constexpr double kGatherNsPerElement = 0.6;

}  // namespace onyx::cpu

// Shared by the NCHWc kernels (src/ep/cpu/kernels/nchwc/), the NchwcLayout pass that writes them and their
// tests: the blocked layout's arithmetic, the packed weight layout of com.onyx:NchwcConv (the schema in
// docs/FUSED_OPERATORS.md), the activation attributes and the shape inference of windowed blocked operators.
#pragma once

#include <atomic>
#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "ep/cpu/ukernels/float_nchwc__avx2.h"
#include "framework/op_kernel.h"
#include "framework/tensor.h"
#include "ir/shape_inference.h"

namespace onyx::cpu::nchwc {

// The NCHWc kernels run AVX2 code, and the layout pass writes them only where cpu::HasAvx2(): a model that names
// them on another processor (or under ONYX_ISA=portable) gets this error at session creation instead of an
// illegal instruction.
Status CheckAvx2(const KernelInfo& info);

inline int64_t BlockCount(int64_t channels) { return (channels + kBlock - 1) / kBlock; }

// Takes the lowest set bit of `free` (a mask of per-thread scratch slots of one kernel call) and returns its index,
// or -1 when every slot is taken (the pool ran more blocks at once than it has threads).
inline int ClaimSlot(std::atomic<uint64_t>& free) {
  uint64_t f = free.load(std::memory_order_relaxed);
  while (f != 0 && !free.compare_exchange_weak(f, f & (f - 1), std::memory_order_acquire)) {
  }
  return f == 0 ? -1 : std::countr_zero(f);
}

// Input 0 of a kernel that keeps its input's shape, checked to be a blocked float tensor [N, ceil(channels / 8),
// spatial..., 8] (rank 4 or more); the error names what it got.
Result<const Tensor*> BlockedInput(KernelContext& ctx, int64_t channels);

// Work is counted in float operations (a float moved through memory counts as a few). Handing work to another
// thread costs microseconds (waking it, moving cache lines), so less than a few times that runs on the calling thread.
inline constexpr double kHandoffWork = 2e6;  // about 15 microseconds of one core
// The min_block for ThreadPool::For over `tasks` tasks of `total_work` together: all of them on the calling thread
// when the whole is not worth a hand-off, and otherwise one task per claim. The hand-off is paid once per For;
// a claim costs an atomic add. (Blocks sized from each task's work, as these kernels used, left one thread up to a
// block behind the other at the end of every small convolution: 14 tasks of 0.6 MFLOP claimed 3 at a time ran as
// 8 on one thread and 6 on the other.)
inline int64_t MinBlockOfTasks(double total_work, int64_t tasks) { return total_work >= 2 * kHandoffWork ? 1 : tasks; }

// Packs Conv weights W [M, C/group, KH, KW] (float) for NchwcConv:
//  - regular and grouped: [M/8 padded, (C/group)/8 padded, KH, KW, 8 (input channel), 8 (output channel)],
//    output block ob of group ob / (Mb/group); grouped convolutions need C/group and M/group multiples of 8;
//  - depthwise (group == C == M): [C/8 padded, 1, KH, KW, 1, 8].
// Padding channels are zero, so they contribute nothing to real outputs.
Result<Tensor> PackConvWeights(const Tensor& w, int64_t group);
// The pair packing the AVX-512 tiles read, two output blocks of a group at a time: [pairs, Cb/group, KH, KW, 8, 16]
// (see PairConv in ukernels/float_nchwc__avx2.h), straight from W [M, C/group, KH, KW] (regular and grouped, not
// depthwise), or from the 8 x 8 packing (PackPairWeights); and back (UnpackPairWeights, for the AVX2 tiles, which
// needs the block count: the high half of a group's last pair is zero padding when the group has an odd count).
// The packed bias [Mb * 8] as [pairs * 16]. Padding halves are zero.
int64_t PairCount(int64_t out_blocks, int64_t group);
Result<Tensor> PackConvWeightsPairs(const Tensor& w, int64_t group);
Result<Tensor> PackPairWeights(const Tensor& packed, int64_t group);
Result<Tensor> UnpackPairWeights(const Tensor& pairs, int64_t group, int64_t out_blocks);
// The weights of output block ob for input block cb (of the group's) in either packing W: [KH * KW * 8 rows][8
// output channels], rows *ld floats apart (8 in the 8 x 8 packing, 16 in the pair packing).
const float* BlockWeights(const Tensor& w, int64_t group, int64_t out_blocks, int64_t ob, int64_t cb, int64_t* ld);
Result<Tensor> PackPairBias(const Tensor& packed_bias, int64_t group);
// Bias B [M] zero-padded to [Mb * 8] (all zeros when b is null).
Result<Tensor> PackConvBias(const Tensor* b, int64_t out_channels);
// A per-channel constant broadcastable to [N, C, H, W] (shape [C,1,1], [1,C,1,1], ...) laid out as
// [1, Cb, 1, 1, 8] for an element-wise operator on blocked tensors; padding channels get `pad`. Null when the
// constant is not per-channel.
Result<Tensor> BlockPerChannel(const Tensor& c, int64_t channels, float pad);

// NCHW [N, C, spatial...] <-> blocked [N, Cb, spatial..., 8], for tests and constant folding.
Result<Tensor> ToBlocked(const Tensor& x);
Result<Tensor> FromBlocked(const Tensor& y, int64_t channels);

// Reads `activation` and `activation_params` (as com.onyx:FusedConv does), each name after `prefix`.
Status ReadEpilogue(const KernelInfo& info, Epilogue* e, const std::string& prefix = "");

// Output [N, out_blocks, out spatial..., 8] of a windowed operator on a blocked input (rank 5), or on an NCHW
// input (rank 4, NchwcConv's first convolution). `kernel` are the spatial window dims when known.
void InferBlockedWindowed(ir::InferenceContext& ctx, bool is_pool, const std::vector<int64_t>& kernel,
                          ir::Dim out_blocks);

}  // namespace onyx::cpu::nchwc

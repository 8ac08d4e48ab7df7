// Helpers shared by the operators that run a body graph repeatedly (Loop, Scan, SequenceMap).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/status.h"
#include "framework/op_kernel.h"
#include "framework/tensor.h"
#include "ir/type.h"

namespace onyx::cpu {

// Reads a one-element bool tensor (Loop's condition input and the body's condition output).
Result<bool> ReadCondition(const KernelContext& ctx, const Value* v, const char* what);

// Stacks the per-iteration values of scan output k along a new axis `axis`. With no items (a loop that ran
// zero times) the result is empty, shaped from the body's static output type where that is fully known.
Result<Tensor> StackScanItems(KernelContext& ctx, const std::vector<Tensor>& items, const ir::Type& static_type,
                              int64_t axis, size_t k);

}  // namespace onyx::cpu

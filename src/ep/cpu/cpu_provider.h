// The CPU execution provider: the fallback that takes every node no other provider claims.
#pragma once

#include "framework/execution_provider.h"

namespace onyx {

inline constexpr const char* kCpuProvider = "CPU";

class CpuExecutionProvider final : public ExecutionProvider {
 public:
  std::string name() const override { return kCpuProvider; }
  Device device() const override { return Device{}; }
  std::shared_ptr<Allocator> allocator() const override { return CpuAllocator::Instance(); }
};

}  // namespace onyx

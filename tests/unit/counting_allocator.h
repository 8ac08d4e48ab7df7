// An allocator that counts what reaches it, for tests of buffer reuse (BufferPool, MemoryPattern).
#pragma once

#include "framework/allocator.h"

namespace onyx::test {

class CountingAllocator final : public Allocator {
 public:
  void* Alloc(size_t bytes) override {
    ++allocs;
    return CpuAllocator::Instance()->Alloc(bytes);
  }
  void Free(void* p) override {
    ++frees;
    CpuAllocator::Instance()->Free(p);
  }
  Device device() const override { return Device{}; }
  int allocs = 0, frees = 0;
};

}  // namespace onyx::test

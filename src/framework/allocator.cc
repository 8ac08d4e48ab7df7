#include "framework/allocator.h"

#include <cstdlib>
#include <new>

namespace onyx {

std::string Device::ToString() const {
  const char* name = kind == DeviceKind::kCpu ? "cpu" : kind == DeviceKind::kCuda ? "cuda" : "other";
  return std::string(name) + ":" + std::to_string(index);
}

void* CpuAllocator::Alloc(size_t bytes) {
  size_t rounded = (bytes + 63) / 64 * 64;
  if (rounded == 0) rounded = 64;
  void* p = std::aligned_alloc(64, rounded);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void CpuAllocator::Free(void* p) { std::free(p); }

std::shared_ptr<Allocator> CpuAllocator::Instance() {
  static std::shared_ptr<Allocator> instance = std::make_shared<CpuAllocator>();
  return instance;
}

}  // namespace onyx

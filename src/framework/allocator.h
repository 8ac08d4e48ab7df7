// Devices and allocators. The core knows a device only as a kind and an index; providers own the rest.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace onyx {

enum class DeviceKind : int { kCpu = 0, kCuda = 1, kOther = 2 };

struct Device {
  DeviceKind kind = DeviceKind::kCpu;
  int index = 0;
  bool operator==(const Device&) const = default;
  std::string ToString() const;
};

class Allocator {
 public:
  virtual ~Allocator() = default;
  virtual void* Alloc(size_t bytes) = 0;
  virtual void Free(void* p) = 0;
  virtual Device device() const = 0;
};

// 64-byte aligned host memory.
class CpuAllocator final : public Allocator {
 public:
  void* Alloc(size_t bytes) override;
  void Free(void* p) override;
  Device device() const override { return Device{}; }
  static std::shared_ptr<Allocator> Instance();
};

}  // namespace onyx

#include "framework/allocator.h"
#include "framework/cpu_allocator_blocks.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <new>

namespace onyx {

std::string Device::ToString() const {
  const char* name = kind == DeviceKind::kCpu ? "cpu" : kind == DeviceKind::kCuda ? "cuda" : "other";
  return std::string(name) + ":" + std::to_string(index);
}

namespace {

// Each block starts with a header of one cache line (so what follows keeps its 64-byte alignment) that says
// how the block was obtained.
constexpr size_t kHeader = 64;
struct Header {
  size_t mapped_bytes;  // 0: from aligned_alloc
};

// Blocks at least this large are mapped from the kernel and unmapped when freed, not taken from malloc. glibc
// raises its own mapping threshold each time a mapped block is freed, after which large blocks of every size come
// from its heaps; a run whose shapes change every time (sequence lengths cycling) then leaves holes there that it
// never gives back, and the process grew by about 5% per cycle before levelling off (docs/RELIABILITY.md, soak
// check 1). The buffer pools keep blocks across runs, so a steady workload maps nothing after its first runs.
constexpr size_t kMapAtLeast = size_t{64} << 10;

size_t PageSize() {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

}  // namespace

void* CpuAllocator::Alloc(size_t bytes) {
  size_t rounded = (bytes + 63) / 64 * 64;
  if (rounded == 0) rounded = 64;
  if (rounded < bytes || rounded > SIZE_MAX - kHeader - PageSize()) throw std::bad_alloc();
  char* base = nullptr;
  size_t mapped = 0;
  if (rounded >= kMapAtLeast) {
    mapped = (rounded + kHeader + PageSize() - 1) / PageSize() * PageSize();
    void* m = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) throw std::bad_alloc();
    base = static_cast<char*>(m);
  } else {
    base = static_cast<char*>(std::aligned_alloc(64, rounded + kHeader));
    if (base == nullptr) throw std::bad_alloc();
  }
  reinterpret_cast<Header*>(base)->mapped_bytes = mapped;
  return base + kHeader;
}

void CpuAllocator::Free(void* p) {
  if (p == nullptr) return;
  char* base = static_cast<char*>(p) - kHeader;
  const size_t mapped = reinterpret_cast<const Header*>(base)->mapped_bytes;
  if (mapped != 0) {
    munmap(base, mapped);
  } else {
    std::free(base);
  }
}

bool CpuBlockIsZeroFilled(const void* p) {
  return p != nullptr && reinterpret_cast<const Header*>(static_cast<const char*>(p) - kHeader)->mapped_bytes != 0;
}

std::shared_ptr<Allocator> CpuAllocator::Instance() {
  static std::shared_ptr<Allocator> instance = std::make_shared<CpuAllocator>();
  return instance;
}

}  // namespace onyx

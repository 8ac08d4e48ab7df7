// Tensor::Create hands out zeroed memory whichever way the CPU allocator got the block: small blocks from malloc
// (zeroed by Create, so a block freed dirty and reused comes back zero) and large ones mapped from the kernel
// (zero already, which Create relies on instead of writing zeros over them).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "framework/tensor.h"

namespace onyx {
namespace {

void ExpectZeroAfterDirtyReuse(int64_t elems) {
  for (int round = 0; round < 3; ++round) {
    auto t = Tensor::Create(DataType::kFloat, {elems});
    ASSERT_TRUE(t.ok());
    Tensor tensor = t.take();
    const float* p = tensor.data<float>();
    EXPECT_TRUE(std::all_of(p, p + elems, [](float v) { return v == 0.0f; })) << elems << " floats, round " << round;
    std::memset(tensor.data<float>(), 0x5a, static_cast<size_t>(elems) * sizeof(float));
  }
}

TEST(TensorCreate, SmallBlocksAreZeroed) { ExpectZeroAfterDirtyReuse(1000); }

TEST(TensorCreate, MappedBlocksAreZero) {
  ExpectZeroAfterDirtyReuse(16 << 10);   // 64 KiB: the smallest mapped block
  ExpectZeroAfterDirtyReuse(1 << 20);    // 4 MiB
}

TEST(TensorCreate, CustomCpuAllocatorBlocksAreZeroed) {
  // An allocator other than CpuAllocator gives no promise about its blocks: Create zeroes them.
  class Dirty final : public Allocator {
   public:
    void* Alloc(size_t bytes) override {
      void* p = std::aligned_alloc(64, (bytes + 63) / 64 * 64);
      std::memset(p, 0x5a, bytes);
      return p;
    }
    void Free(void* p) override { std::free(p); }
    Device device() const override { return Device{}; }
  } dirty;
  auto t = Tensor::Create(DataType::kFloat, {1 << 16}, &dirty);
  ASSERT_TRUE(t.ok());
  const Tensor tensor = t.take();
  const float* p = tensor.data<float>();
  EXPECT_TRUE(std::all_of(p, p + tensor.size(), [](float v) { return v == 0.0f; }));
}

}  // namespace
}  // namespace onyx

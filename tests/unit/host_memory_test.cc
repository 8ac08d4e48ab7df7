// ReturnFreedHostMemory: what malloc keeps in its heaps after frees goes back to the system, and the threshold
// form leaves the heaps alone when they hold less than asked.
#include "framework/host_memory.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace onyx {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ONYX_TEST_OWN_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ONYX_TEST_OWN_MALLOC 1
#endif
#endif

[[maybe_unused]] long ResidentKib() {
  long pages = 0, resident = 0;
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return -1;
  const int read = std::fscanf(f, "%ld %ld", &pages, &resident);
  std::fclose(f);
  return read == 2 ? resident * (sysconf(_SC_PAGESIZE) / 1024) : -1;
}

// The heaps' state depends on every test that ran before in this process, so the check runs in a fresh one: this
// program again, asked for this test alone, with ONYX_HOST_MEMORY_CHILD set.
TEST(HostMemory, GivesFreedHeapBlocksBack) {
#if !defined(__GLIBC__) || defined(ONYX_TEST_OWN_MALLOC)
  GTEST_SKIP() << "only glibc's malloc keeps freed blocks in its heaps (a sanitizer's malloc is its own)";
#else
  if (ResidentKib() < 0) GTEST_SKIP() << "needs Linux's /proc/self/statm";
  if (std::getenv("ONYX_HOST_MEMORY_CHILD") == nullptr) {
    // The shell that system() starts has a /proc/self/exe of its own: name this program by its path.
    char self[4096] = {};
    const ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    ASSERT_GT(n, 0);
    const std::string run = "ONYX_HOST_MEMORY_CHILD=1 '" + std::string(self) +
                            "' --gtest_filter=HostMemory.GivesFreedHeapBlocksBack";
    EXPECT_EQ(std::system(run.c_str()), 0) << run;
    return;
  }
  const long before = ResidentKib();
  // Freeing a mapped 8 MiB block raises glibc's mapping threshold, as a Python caller's numpy does: later 1 MiB
  // blocks come from the heap. A small block kept after each keeps the freed ones apart (and off the heap's top,
  // which free() trims by itself).
  void* big = std::malloc(size_t{8} << 20);
  ASSERT_NE(big, nullptr);
  std::memset(big, 1, size_t{8} << 20);
  std::free(big);
  std::vector<void*> blocks(48), pins(48);
  for (size_t i = 0; i < blocks.size(); ++i) {
    blocks[i] = std::malloc(size_t{1} << 20);
    pins[i] = std::malloc(4096);
    ASSERT_NE(blocks[i], nullptr);
    ASSERT_NE(pins[i], nullptr);
    std::memset(blocks[i], 1, size_t{1} << 20);
  }
  for (void* b : blocks) std::free(b);
  const long held = ResidentKib();
  ASSERT_GT(held, before + 40 * 1024) << "malloc gave the 48 MiB back by itself: nothing left to test";
  ReturnFreedHostMemory(size_t{1} << 40);  // far more than is free: nothing happens
  EXPECT_GT(ResidentKib(), held - 16 * 1024);
  ReturnFreedHostMemory();
  EXPECT_LT(ResidentKib(), held - 32 * 1024) << "the 48 MiB freed stayed resident";
  for (void* p : pins) std::free(p);
#endif
}

}  // namespace
}  // namespace onyx

// Buffer reuse within a run and across runs: a buffer released after its value's last use goes back to the
// pool, and the next output of a similar size takes it instead of asking the allocator again. A session keeps
// its pools between runs (BufferPoolCache), so a model run over and over reaches a steady state that allocates
// nothing.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "framework/allocator.h"
#include "framework/memory_pattern.h"
#include "framework/tensor.h"

namespace onyx {

class BufferPool {
 public:
  // The pool lives while the returned handle or any buffer it gave out does; once the handle is gone,
  // buffers returned later go straight back to the allocator. With `memory_pattern`, each period between
  // Trims (a run) is recorded, and runs that repeat one another take their buffers from a planned arena
  // (framework/memory_pattern.h).
  static std::shared_ptr<BufferPool> Create(std::shared_ptr<Allocator> allocator, bool memory_pattern = false);
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;

  Allocator* allocator() const { return allocator_.get(); }
  // A buffer of at least `bytes` bytes (contents unspecified).
  std::shared_ptr<Buffer> Get(size_t bytes);
  size_t reused() const { return reused_; }
  size_t idle_blocks() const;
  // The planned arena's size and the requests it has served (0 without a memory pattern).
  size_t arena_bytes() const;
  size_t arena_hits() const;
  // Frees the idle blocks that no Get has taken since the previous Trim: what a run did not need, the next
  // run with the same shapes will not need either. Bounds what the pool holds when shapes change.
  void Trim();

 private:
  struct Block {
    void* data;
    size_t capacity;
    uint64_t epoch;  // the Trim period in which it was last returned
  };
  BufferPool(std::shared_ptr<Allocator> allocator, bool memory_pattern);
  ~BufferPool();
  void Return(void* p, size_t capacity);
  void Close();  // the owning handle is gone
  void Unref();

  std::shared_ptr<Allocator> allocator_;
  mutable std::mutex mutex_;
  std::vector<Block> free_;                 // few entries: a linear best-fit search beats a tree and allocates nothing
  std::unique_ptr<MemoryPattern> pattern_;  // null: no memory pattern
  uint64_t epoch_ = 0;
  bool closed_ = false;
  size_t reused_ = 0;
  // One for the owning handle, one per buffer out.
  std::atomic<int64_t> refs_{1};
};

// Idle pools, one set per finished run, handed to the next run. A run takes its own pools, so concurrent runs
// never share one.
class BufferPoolCache {
 public:
  explicit BufferPoolCache(bool memory_pattern = true) : memory_pattern_(memory_pattern) {}
  bool memory_pattern() const { return memory_pattern_; }
  std::shared_ptr<BufferPool> Take(Allocator* allocator);
  // Trims the pool and keeps it for a later run.
  void Give(std::shared_ptr<BufferPool> pool);

 private:
  const bool memory_pattern_;
  std::mutex mutex_;
  std::multimap<Allocator*, std::shared_ptr<BufferPool>> idle_;
};

}  // namespace onyx

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
#include "framework/tensor.h"

namespace onyx {

class BufferPool {
 public:
  // The pool lives while the returned handle or any buffer it gave out does; once the handle is gone,
  // buffers returned later go straight back to the allocator.
  static std::shared_ptr<BufferPool> Create(std::shared_ptr<Allocator> allocator);
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;

  Allocator* allocator() const { return allocator_.get(); }
  // A buffer of at least `bytes` bytes (contents unspecified).
  std::shared_ptr<Buffer> Get(size_t bytes);
  size_t reused() const { return reused_; }
  size_t idle_blocks() const;
  // Frees the idle blocks that no Get has taken since the previous Trim: what a run did not need, the next
  // run with the same shapes will not need either. Bounds what the pool holds when shapes change.
  void Trim();

 private:
  struct Block {
    void* data;
    size_t capacity;
    uint64_t epoch;  // the Trim period in which it was last returned
  };
  explicit BufferPool(std::shared_ptr<Allocator> allocator) : allocator_(std::move(allocator)) {}
  ~BufferPool();
  void Return(void* p, size_t capacity);
  void Close();  // the owning handle is gone
  void Unref();

  std::shared_ptr<Allocator> allocator_;
  mutable std::mutex mutex_;
  std::vector<Block> free_;  // few entries: a linear best-fit search beats a tree and allocates nothing
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
  std::shared_ptr<BufferPool> Take(Allocator* allocator);
  // Trims the pool and keeps it for a later run.
  void Give(std::shared_ptr<BufferPool> pool);

 private:
  std::mutex mutex_;
  std::multimap<Allocator*, std::shared_ptr<BufferPool>> idle_;
};

}  // namespace onyx

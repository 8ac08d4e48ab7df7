// Per-run buffer reuse: a buffer released after its value's last use goes back to the pool, and the next
// output of a similar size takes it instead of asking the allocator again.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "framework/allocator.h"
#include "framework/tensor.h"

namespace onyx {

class BufferPool : public std::enable_shared_from_this<BufferPool> {
 public:
  explicit BufferPool(std::shared_ptr<Allocator> allocator) : allocator_(std::move(allocator)) {}
  ~BufferPool();
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;

  // A buffer of at least `bytes` bytes (contents unspecified).
  std::shared_ptr<Buffer> Get(size_t bytes);
  size_t reused() const { return reused_; }

 private:
  void Return(void* p, size_t capacity);

  std::shared_ptr<Allocator> allocator_;
  std::mutex mutex_;
  std::multimap<size_t, void*> free_;
  size_t reused_ = 0;
};

}  // namespace onyx

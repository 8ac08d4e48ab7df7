#include "framework/buffer_pool.h"

namespace onyx {

BufferPool::~BufferPool() {
  for (auto& [size, p] : free_) allocator_->Free(p);
}

std::shared_ptr<Buffer> BufferPool::Get(size_t bytes) {
  size_t capacity = (bytes + 63) / 64 * 64;
  void* p = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Take a free block no more than twice the size asked, so small values do not pin large blocks.
    auto it = free_.lower_bound(capacity);
    if (it != free_.end() && it->first <= 2 * capacity + 64) {
      p = it->second;
      capacity = it->first;
      free_.erase(it);
      ++reused_;
    }
  }
  if (p == nullptr) p = allocator_->Alloc(capacity);
  std::weak_ptr<BufferPool> weak = weak_from_this();
  std::shared_ptr<Allocator> allocator = allocator_;
  return std::make_shared<Buffer>(p, capacity, allocator_->device(), [weak, allocator, capacity](void* q) {
    if (auto pool = weak.lock()) {
      pool->Return(q, capacity);
    } else {
      allocator->Free(q);
    }
  });
}

void BufferPool::Return(void* p, size_t capacity) {
  std::lock_guard<std::mutex> lock(mutex_);
  free_.emplace(capacity, p);
}

}  // namespace onyx

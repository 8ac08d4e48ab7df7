#include "framework/buffer_pool.h"

namespace onyx {

namespace {

// Idle blocks a pool keeps at most; more come back only when many values die at once (a Loop's kept iterations,
// a long sequence), and a pool that kept them all would search them all on every Get for the rest of the run.
constexpr size_t kMaxIdleBlocks = 1024;

// Capacities are multiples of 64, so the deleter carries in bit 0 whether the memory pattern tracks the buffer
// (its request is recorded, or it is arena memory) and must hear that it came back.
constexpr size_t kTrackedBit = 1;

}  // namespace

BufferPool::BufferPool(std::shared_ptr<Allocator> allocator, bool memory_pattern) : allocator_(std::move(allocator)) {
  if (memory_pattern) pattern_ = std::make_unique<MemoryPattern>(allocator_.get());
}

std::shared_ptr<BufferPool> BufferPool::Create(std::shared_ptr<Allocator> allocator, bool memory_pattern) {
  return std::shared_ptr<BufferPool>(new BufferPool(std::move(allocator), memory_pattern),
                                     [](BufferPool* p) { p->Close(); });
}

BufferPool::~BufferPool() = default;

void BufferPool::Close() {
  std::vector<Block> blocks;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    blocks.swap(free_);
  }
  for (const Block& b : blocks) allocator_->Free(b.data);
  Unref();
}

void BufferPool::Unref() {
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

std::shared_ptr<Buffer> BufferPool::Get(size_t bytes) {
  size_t capacity = (bytes + 63) / 64 * 64;
  void* p = nullptr;
  uint32_t request = MemoryPattern::kUntracked;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    bool arena = false;
    if (pattern_) {
      p = pattern_->Next(capacity, &request);
      arena = p != nullptr;
    }
    if (p == nullptr) {
      // The smallest free block that fits, and no more than twice the size asked, so small values do not pin
      // large blocks.
      size_t best = free_.size();
      for (size_t i = 0; i < free_.size(); ++i) {
        const size_t c = free_[i].capacity;
        if (c >= capacity && c <= 2 * capacity + 64 && (best == free_.size() || c < free_[best].capacity)) best = i;
      }
      if (best < free_.size()) {
        p = free_[best].data;
        capacity = free_[best].capacity;
        free_[best] = free_.back();
        free_.pop_back();
        ++reused_;
      }
    }
    if (p != nullptr && pattern_) pattern_->Issued(p, request, arena);
  }
  if (p == nullptr) {
    // Outside the lock: the allocator may take a while.
    p = allocator_->Alloc(capacity);
    if (pattern_) {
      std::lock_guard<std::mutex> lock(mutex_);
      pattern_->Issued(p, request, /*arena=*/false);
    }
  }
  refs_.fetch_add(1, std::memory_order_relaxed);
  // Two words of trivially copyable capture: std::function keeps them inline, without an allocation.
  BufferPool* self = this;
  const size_t tagged = capacity | (pattern_ && request != MemoryPattern::kUntracked ? kTrackedBit : 0);
  try {
    return std::make_shared<Buffer>(p, capacity, allocator_->device(),
                                    [self, tagged](void* q) { self->Return(q, tagged); });
  } catch (...) {
    Return(p, tagged);
    throw;
  }
}

void BufferPool::Return(void* p, size_t tagged_capacity) {
  const bool tracked = (tagged_capacity & kTrackedBit) != 0;
  const size_t capacity = tagged_capacity & ~kTrackedBit;
  bool free_it;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (tracked && pattern_->Returned(p)) {
      free_it = false;  // arena memory: the pattern owns it
    } else {
      free_it = closed_ || free_.size() >= kMaxIdleBlocks;
      if (!free_it) free_.push_back(Block{p, capacity, epoch_});
    }
  }
  if (free_it) allocator_->Free(p);
  Unref();
}

size_t BufferPool::idle_blocks() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return free_.size();
}

size_t BufferPool::arena_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return pattern_ ? pattern_->arena_bytes() : 0;
}

size_t BufferPool::arena_hits() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return pattern_ ? pattern_->arena_hits() : 0;
}

void BufferPool::Trim() {
  std::vector<void*> stale;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    size_t kept = 0;
    for (const Block& b : free_) {
      if (b.epoch < epoch_) {
        stale.push_back(b.data);
      } else {
        free_[kept++] = b;
      }
    }
    free_.resize(kept);
    ++epoch_;
    if (pattern_) pattern_->EndRun();
  }
  for (void* p : stale) allocator_->Free(p);
}

std::shared_ptr<BufferPool> BufferPoolCache::Take(Allocator* allocator) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = idle_.find(allocator);
  if (it == idle_.end()) return nullptr;
  std::shared_ptr<BufferPool> pool = std::move(it->second);
  idle_.erase(it);
  return pool;
}

void BufferPoolCache::Give(std::shared_ptr<BufferPool> pool) {
  if (!pool) return;
  pool->Trim();
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.emplace(pool->allocator(), std::move(pool));
}

}  // namespace onyx

#include "common/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <memory>

namespace onyx {

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

bool ThreadPool::RunOneTask(std::unique_lock<std::mutex>& lock) {
  if (tasks_.empty()) return false;
  auto task = std::move(tasks_.front());
  tasks_.pop_front();
  lock.unlock();
  task();
  lock.lock();
  return true;
}

void ThreadPool::WorkerLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || !tasks_.empty(); });
    if (stop_ && tasks_.empty()) return;
    RunOneTask(lock);
  }
}

void ThreadPool::ParallelFor(int64_t n, const std::function<void(int64_t, int64_t)>& fn, int64_t min_block) {
  if (n <= 0) return;
  int64_t max_blocks = std::max<int64_t>(1, n / std::max<int64_t>(1, min_block));
  int64_t blocks = std::min<int64_t>(threads(), max_blocks);
  if (blocks <= 1) {
    fn(0, n);
    return;
  }
  struct Shared {
    std::atomic<int64_t> remaining;
    std::mutex m;
    std::condition_variable done;
  };
  auto shared = std::make_shared<Shared>();
  shared->remaining = blocks - 1;
  int64_t step = (n + blocks - 1) / blocks;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (int64_t b = 1; b < blocks; ++b) {
      int64_t begin = b * step, end = std::min(n, begin + step);
      tasks_.emplace_back([shared, &fn, begin, end] {
        if (begin < end) fn(begin, end);
        if (shared->remaining.fetch_sub(1) == 1) {
          std::lock_guard<std::mutex> l(shared->m);
          shared->done.notify_all();
        }
      });
    }
  }
  cv_.notify_all();
  fn(0, std::min(n, step));
  // Help with queued work (ours or another caller's) rather than sleep while blocks remain.
  for (;;) {
    if (shared->remaining.load() == 0) return;
    std::unique_lock<std::mutex> lock(mutex_);
    if (!RunOneTask(lock)) {
      lock.unlock();
      std::unique_lock<std::mutex> l(shared->m);
      shared->done.wait(l, [&] { return shared->remaining.load() == 0; });
      return;
    }
  }
}

}  // namespace onyx

// A fixed pool of worker threads for intra-op parallelism. ParallelFor may be called from several
// threads at once (concurrent Runs share a session's pool); the caller works on its own range too.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace onyx {

class ThreadPool {
 public:
  // threads: total degree of parallelism including the calling thread (1 = run inline).
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()) + 1; }
  // Splits [0, n) into contiguous blocks and calls fn(begin, end) for each, in parallel; returns when all
  // are done. `min_block` keeps blocks from becoming too small to pay for the hand-off.
  void ParallelFor(int64_t n, const std::function<void(int64_t, int64_t)>& fn, int64_t min_block = 1);

  // Runs `fn` over [0,n) on `pool` when there is one, inline otherwise.
  static void For(ThreadPool* pool, int64_t n, const std::function<void(int64_t, int64_t)>& fn,
                  int64_t min_block = 1) {
    if (pool == nullptr || n <= min_block) {
      if (n > 0) fn(0, n);
      return;
    }
    pool->ParallelFor(n, fn, min_block);
  }

 private:
  void WorkerLoop();
  bool RunOneTask(std::unique_lock<std::mutex>& lock);

  std::vector<std::thread> workers_;
  std::deque<std::function<void()>> tasks_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace onyx

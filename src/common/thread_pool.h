// A fork-join pool of worker threads for intra-op parallelism.
//
// One ParallelFor is one job: the caller publishes a descriptor (no allocation), workers and the caller claim
// blocks of the range from an atomic counter (so a late or slow thread costs little), and the caller returns once
// every block is done. Between jobs the workers spin for a short window, so the back-to-back kernels of one Run
// hand off in well under a microsecond, then sleep: an idle session costs no CPU.
//
// ParallelFor may be called from several threads at once (concurrent Runs share a session's pool, the parallel
// executor's workers call kernels) and from inside a block: the pool serves one job at a time, and a call that
// finds it busy runs its range inline on the calling thread, which is always correct and never waits.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace onyx {

// A non-owning reference to a callable, cheap to copy and to call (one indirect call, no allocation). It must not
// outlive what it refers to: pass it down the stack, never store it.
template <typename Sig>
class FunctionRef;

template <typename R, typename... Args>
class FunctionRef<R(Args...)> {
 public:
  template <typename F>
  requires(!std::is_same_v<std::remove_cvref_t<F>, FunctionRef> && std::is_invocable_r_v<R, F&, Args...>)
      FunctionRef(F&& f)
  noexcept  // NOLINT(google-explicit-constructor): call sites pass lambdas
      : object_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_([](void* object, Args... args) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(object))(std::forward<Args>(args)...);
        }) {}

  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  void* object_;
  R (*call_)(void*, Args...);
};

class ThreadPool {
 public:
  using RangeFn = FunctionRef<void(int64_t, int64_t)>;
  using BlockFn = FunctionRef<void(int64_t)>;

  // threads: total degree of parallelism including the calling thread (1 = run inline).
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  // Splits [0, n) into contiguous blocks of at least `min_block` items and calls fn(begin, end) for each, in
  // parallel; returns when all are done. Threads claim blocks as they come free, big ones first and smaller ones
  // towards the end, so a thread that starts late or runs slow leaves its share to the others. An exception
  // thrown by fn stops the remaining blocks and is rethrown here once every running block has returned.
  void ParallelFor(int64_t n, RangeFn fn, int64_t min_block = 1);

  // Calls fn(b) for every b in [0, num_blocks), each block claimed by whichever thread is free: for work already
  // cut into pieces (tiles of a product), where the pieces, not a range, are the unit.
  void ParallelForBlocks(int64_t num_blocks, BlockFn fn);

  // Runs fn over [0, n) on `pool` when there is one and the range makes more than one block, inline otherwise.
  static void For(ThreadPool* pool, int64_t n, RangeFn fn, int64_t min_block = 1) {
    if (pool == nullptr || n < 2 * min_block || n < 2) {
      if (n > 0) fn(0, n);
      return;
    }
    pool->ParallelFor(n, fn, min_block);
  }

  // Runs fn over [0, n) where one item costs about `ns_per_item` nanoseconds on one core: inline when the whole
  // range is too little work to pay for the hand-off, else in blocks big enough to be worth a hand-off each.
  static void For(ThreadPool* pool, int64_t n, double ns_per_item, RangeFn fn) {
    For(pool, n, fn, MinBlockFor(ns_per_item));
  }

  // The fewest items of `ns_per_item` each that are worth handing to another thread (a block of less work does
  // not pay for the hand-off and for moving its data's cache lines to another core). Kernels that cut their own
  // blocks ask it with their own cost, so that they agree with For.
  static int64_t MinBlockFor(double ns_per_item);

 private:
  struct Job {
    const RangeFn* fn = nullptr;
    int64_t n = 0, min_block = 1, divisor = 2;
    std::atomic<int64_t> next{0};  // the first unclaimed item
    std::atomic<bool> failed{false};
    std::exception_ptr error;  // the first exception a block threw (written by whoever set `failed`)
  };

  void Dispatch(int64_t n, const RangeFn& fn, int64_t min_block);
  bool Claim(int64_t& begin, int64_t& end);
  void WorkerLoop();
  void RunBlocks();
  void Leave();
  bool WaitForJob(uint32_t& seen_epoch);

  std::vector<std::thread> workers_;
  Job job_;
  // The job's state in one word, so joining a job is one compare-and-swap: the workers inside it (low bits),
  // whether it still takes workers, and a counter that tells one job from the next.
  std::atomic<uint32_t> state_{0};
  uint32_t epoch_ = 0;                      // written by the job's owner only
  std::atomic<bool> busy_{false};           // a caller owns the job slot
  std::atomic<uint32_t> wake_{0};           // futex word the sleeping workers wait on
  std::atomic<int> sleepers_{0};            // workers asleep (or about to be) on wake_
  std::atomic<bool> owner_waiting_{false};  // the owner sleeps on state_ until the last worker leaves
  std::atomic<bool> stop_{false};
};

}  // namespace onyx

#include "common/thread_pool.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <system_error>

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#include <immintrin.h>
#endif

namespace onyx {

namespace {

// The job word: bits 0-14 count the workers inside the job, bit 15 says it still takes workers, bits 16-31 tell
// one job from the next (they wrap; a worker that mistakes a new job for one it has done only skips it).
constexpr uint32_t kRefMask = 0x7fff;
constexpr uint32_t kOpen = 0x8000;
constexpr int kEpochShift = 16;

uint32_t Epoch(uint32_t state) { return state >> kEpochShift; }

// How long an idle worker keeps polling for the next job before it sleeps, and how long the owner polls for the
// last worker to leave. Consecutive kernels of a Run follow each other within microseconds, so a worker that
// polls for this long is there when the next one starts; once a Run ends, it sleeps after this long at most.
constexpr auto kSpinWindow = std::chrono::microseconds(100);

// The least work (nanoseconds on one core) worth handing to another thread.
constexpr double kMinBlockNs = 8000.0;

inline void CpuRelax() {
#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
  _mm_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Polls `done` until it holds or kSpinWindow has passed; reads the clock only every few polls (a pause is tens
// to a hundred cycles, the clock tens of nanoseconds).
template <typename Done>
bool SpinUntil(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + kSpinWindow;
  for (;;) {
    for (int i = 0; i < 16; ++i) {
      if (done()) return true;
      CpuRelax();
    }
    if (std::chrono::steady_clock::now() >= deadline) return done();
  }
}

}  // namespace

ThreadPool::ThreadPool(int threads) {
  threads = std::clamp(threads, 1, static_cast<int>(kRefMask));
  // The threads themselves start with the first job (Dispatch): a process that has only ever had one thread runs
  // malloc without locks, so a model whose every loop is too small to split would lose to one thread if they
  // merely existed.
  workers_.resize(static_cast<size_t>(threads - 1));
}

ThreadPool::~ThreadPool() {
  stop_.store(true, std::memory_order_seq_cst);
  wake_.fetch_add(1, std::memory_order_seq_cst);
  wake_.notify_all();
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
}

int64_t ThreadPool::MinBlockFor(double ns_per_item) {
  if (!(ns_per_item > 0)) return int64_t{1} << 40;
  const double items = std::ceil(kMinBlockNs / ns_per_item);
  return items >= 1e15 ? int64_t{1} << 50 : std::max<int64_t>(1, static_cast<int64_t>(items));
}

// Guided self-scheduling: each claim takes a share of what is left (at least min_block), so the first blocks are
// big (few claims, little per-block cost) and the last ones small (a thread that started late or ran slow holds
// up the others by one small block at most).
bool ThreadPool::Claim(int64_t& begin, int64_t& end) {
  const Job& job = job_;
  int64_t cur = job_.next.load(std::memory_order_relaxed);
  for (;;) {
    if (cur >= job.n) return false;
    const int64_t rest = job.n - cur;
    int64_t size = std::max(job.min_block, rest / job.divisor);
    if (rest - size < job.min_block) size = rest;  // no tail shorter than min_block
    if (job_.next.compare_exchange_weak(cur, cur + size, std::memory_order_relaxed)) {
      begin = cur;
      end = cur + size;
      return true;
    }
  }
}

void ThreadPool::RunBlocks() {
  int64_t begin, end;
  while (Claim(begin, end)) {
    try {
      (*job_.fn)(begin, end);
    } catch (...) {
      // Stop handing out blocks; the first failure is the one the caller sees.
      job_.next.store(job_.n, std::memory_order_relaxed);
      if (!job_.failed.exchange(true, std::memory_order_acq_rel)) job_.error = std::current_exception();
      return;
    }
  }
}

void ThreadPool::Leave() {
  const uint32_t after = state_.fetch_sub(1, std::memory_order_seq_cst) - 1;
  if ((after & kRefMask) == 0 && (after & kOpen) == 0 && owner_waiting_.load(std::memory_order_seq_cst)) {
    state_.notify_one();
  }
}

// Returns once a job this worker has not joined yet is open (true) or the pool is stopping (false).
bool ThreadPool::WaitForJob(uint32_t& seen_epoch) {
  auto job_ready = [&] {
    const uint32_t s = state_.load(std::memory_order_acquire);
    return (s & kOpen) != 0 && Epoch(s) != seen_epoch;
  };
  for (;;) {
    if (stop_.load(std::memory_order_acquire)) return false;
    if (SpinUntil([&] { return job_ready() || stop_.load(std::memory_order_relaxed); })) {
      return !stop_.load(std::memory_order_acquire);
    }
    // Sleep. The owner publishes the job before it reads sleepers_, and this thread counts itself before it looks
    // at the job once more, so one of the two sees the other (both sequentially consistent).
    const uint32_t ticket = wake_.load(std::memory_order_seq_cst);
    sleepers_.fetch_add(1, std::memory_order_seq_cst);
    const uint32_t s = state_.load(std::memory_order_seq_cst);  // the re-check the comment above relies on
    const bool ready = (s & kOpen) != 0 && Epoch(s) != seen_epoch;
    if (!ready && !stop_.load(std::memory_order_seq_cst)) wake_.wait(ticket, std::memory_order_seq_cst);
    sleepers_.fetch_sub(1, std::memory_order_seq_cst);
  }
}

void ThreadPool::WorkerLoop() {
  uint32_t seen_epoch = 0;
  for (;;) {
    uint32_t s = state_.load(std::memory_order_acquire);
    if ((s & kOpen) == 0 || Epoch(s) == seen_epoch) {
      if (stop_.load(std::memory_order_acquire)) return;
      if (!WaitForJob(seen_epoch)) return;
      continue;
    }
    // Join: only while the job is still open, so the owner, once it has closed the job and seen no worker
    // inside, may reuse the descriptor.
    if (!state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel, std::memory_order_acquire)) continue;
    seen_epoch = Epoch(s);
    RunBlocks();
    Leave();
  }
}

void ThreadPool::ParallelForBlocks(int64_t num_blocks, BlockFn fn) {
  auto each = [&fn](int64_t begin, int64_t end) {
    for (int64_t b = begin; b < end; ++b) fn(b);
  };
  if (num_blocks > 0) Dispatch(num_blocks, each, 1);
}

void ThreadPool::ParallelFor(int64_t n, RangeFn fn, int64_t min_block) {
  if (n > 0) Dispatch(n, fn, std::max<int64_t>(1, min_block));
}

void ThreadPool::Dispatch(int64_t n, const RangeFn& fn, int64_t min_block) {
  // A pool that another caller owns (a concurrent Run, or this very job: a block that calls ParallelFor) is not
  // waited for: the range runs here, which needs no other thread to make progress.
  if (n < 2 * min_block || workers_.empty() || busy_.exchange(true, std::memory_order_acquire)) {
    fn(0, n);
    return;
  }
  if (epoch_ == 0) {  // the first job: start the workers (epoch_ never returns to 0)
    try {
      for (auto& t : workers_) t = std::thread([this] { WorkerLoop(); });
    } catch (const std::system_error&) {
      // Out of threads: the job runs with those that did start (the caller alone at worst).
    }
  }
  job_.fn = &fn;
  job_.n = n;
  job_.min_block = min_block;
  job_.divisor = 2 * threads();
  job_.next.store(0, std::memory_order_relaxed);
  job_.failed.store(false, std::memory_order_relaxed);
  job_.error = nullptr;
  epoch_ = (epoch_ + 1) & 0xffff;
  if (epoch_ == 0) epoch_ = 1;  // 0 is what a new worker has "seen"
  state_.store((epoch_ << kEpochShift) | kOpen, std::memory_order_seq_cst);
  if (sleepers_.load(std::memory_order_seq_cst) > 0) {
    wake_.fetch_add(1, std::memory_order_seq_cst);
    wake_.notify_all();
  }

  RunBlocks();

  // Close the job to newcomers, then wait for the workers inside it to finish their blocks.
  uint32_t s = state_.fetch_and(~kOpen, std::memory_order_acq_rel) & ~kOpen;
  if ((s & kRefMask) != 0 && !SpinUntil([&] { return (state_.load(std::memory_order_acquire) & kRefMask) == 0; })) {
    owner_waiting_.store(true, std::memory_order_seq_cst);
    for (;;) {
      s = state_.load(std::memory_order_seq_cst);
      if ((s & kRefMask) == 0) break;
      state_.wait(s, std::memory_order_seq_cst);
    }
    owner_waiting_.store(false, std::memory_order_relaxed);
  }
  std::exception_ptr error = job_.failed.load(std::memory_order_acquire) ? job_.error : nullptr;
  busy_.store(false, std::memory_order_release);
  if (error) std::rethrow_exception(error);
}

}  // namespace onyx

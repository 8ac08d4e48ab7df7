// The fork-join pool: every index exactly once whatever the split, callers on several threads at once, calls from
// inside a block, exceptions, the one-thread pool, the cost-based split, and idle workers that stop using the CPU.
#include "common/thread_pool.h"

#include <gtest/gtest.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace onyx {
namespace {

// Runs ParallelFor(n, min_block) and checks that the blocks cover [0, n) exactly once and respect min_block.
void ExpectCoversOnce(ThreadPool& pool, int64_t n, int64_t min_block) {
  std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
  std::atomic<int64_t> short_blocks{0};
  pool.ParallelFor(
      n,
      [&](int64_t begin, int64_t end) {
        ASSERT_LE(0, begin);
        ASSERT_LT(begin, end);
        ASSERT_LE(end, n);
        if (end - begin < min_block && end != n) short_blocks.fetch_add(1);
        for (int64_t i = begin; i < end; ++i) hits[static_cast<size_t>(i)].fetch_add(1);
      },
      min_block);
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(hits[static_cast<size_t>(i)].load(), 1) << "n=" << n << " i=" << i;
  EXPECT_EQ(short_blocks.load(), 0) << "n=" << n << " min_block=" << min_block;
}

TEST(ThreadPool, EveryIndexExactlyOnce) {
  for (int threads : {1, 2, 3, 8}) {
    ThreadPool pool(threads);
    EXPECT_EQ(pool.threads(), threads);
    for (int64_t n : {1, 2, 3, 7, 8, 9, 63, 64, 65, 1000, 100003}) {
      for (int64_t min_block : {1, 2, 5, 64, 1000}) ExpectCoversOnce(pool, n, min_block);
    }
  }
}

int ProcessThreadCount() {
  int count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) ++count;
  return count;
}

// A pool starts its threads with its first parallel job: a session whose loops are all too small to split keeps
// a single-threaded process (whose malloc takes no locks).
TEST(ThreadPool, ThreadsStartWithTheFirstJob) {
  if (!std::filesystem::exists("/proc/self/task")) GTEST_SKIP() << "needs Linux's /proc to count threads";
  const int before = ProcessThreadCount();
  ThreadPool pool(3);
  pool.ParallelFor(1, [](int64_t, int64_t) {});                  // inline: one block
  ThreadPool::For(&pool, 1000, 0.001, [](int64_t, int64_t) {});  // inline: too little work
  EXPECT_EQ(ProcessThreadCount(), before);
  std::atomic<int64_t> sum{0};
  pool.ParallelFor(1000, [&](int64_t b, int64_t e) { sum.fetch_add(e - b); });
  EXPECT_EQ(sum.load(), 1000);
  EXPECT_EQ(ProcessThreadCount(), before + 2);
}

TEST(ThreadPool, EmptyRangeCallsNothing) {
  ThreadPool pool(2);
  int calls = 0;
  pool.ParallelFor(0, [&](int64_t, int64_t) { ++calls; });
  pool.ParallelFor(-5, [&](int64_t, int64_t) { ++calls; });
  pool.ParallelForBlocks(0, [&](int64_t) { ++calls; });
  ThreadPool::For(&pool, 0, [&](int64_t, int64_t) { ++calls; });
  ThreadPool::For(nullptr, 0, [&](int64_t, int64_t) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(ThreadPool, BlocksEachOnce) {
  ThreadPool pool(3);
  for (int64_t blocks : {1, 2, 5, 100, 4097}) {
    std::vector<std::atomic<int>> hits(static_cast<size_t>(blocks));
    pool.ParallelForBlocks(blocks, [&](int64_t b) { hits[static_cast<size_t>(b)].fetch_add(1); });
    for (int64_t b = 0; b < blocks; ++b) ASSERT_EQ(hits[static_cast<size_t>(b)].load(), 1) << b;
  }
}

TEST(ThreadPool, OneThreadRunsInlineInOneCall) {
  ThreadPool pool(1);
  const auto self = std::this_thread::get_id();
  int calls = 0;
  pool.ParallelFor(1000, [&](int64_t begin, int64_t end) {
    ++calls;
    EXPECT_EQ(std::this_thread::get_id(), self);
    EXPECT_EQ(begin, 0);
    EXPECT_EQ(end, 1000);
  });
  EXPECT_EQ(calls, 1);
}

TEST(ThreadPool, NoPoolRunsInline) {
  int calls = 0;
  ThreadPool::For(nullptr, 77, [&](int64_t begin, int64_t end) {
    ++calls;
    EXPECT_EQ(begin, 0);
    EXPECT_EQ(end, 77);
  });
  EXPECT_EQ(calls, 1);
}

// Blocks that take a while must end up on more than one thread (one retry per try in case the machine is busy).
TEST(ThreadPool, WorkersTakePart) {
  ThreadPool pool(2);
  bool parallel = false;
  for (int attempt = 0; attempt < 20 && !parallel; ++attempt) {
    std::mutex mu;
    std::set<std::thread::id> ids;
    pool.ParallelFor(8, [&](int64_t, int64_t) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      std::lock_guard<std::mutex> lock(mu);
      ids.insert(std::this_thread::get_id());
    });
    parallel = ids.size() > 1;
  }
  EXPECT_TRUE(parallel);
}

TEST(ThreadPool, ConcurrentCallersEachGetTheirOwnRange) {
  ThreadPool pool(3);
  constexpr int kCallers = 4;
  std::atomic<int> failures{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      for (int iter = 0; iter < 300; ++iter) {
        const int64_t n = 1 + (iter * 37 + c * 11) % 500;
        std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
        pool.ParallelFor(n, [&](int64_t begin, int64_t end) {
          for (int64_t i = begin; i < end; ++i) hits[static_cast<size_t>(i)].fetch_add(1);
        });
        for (auto& h : hits) {
          if (h.load() != 1) failures.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(ThreadPool, NestedCallsRunInline) {
  ThreadPool pool(2);
  constexpr int64_t kOuter = 16, kInner = 100;
  std::vector<std::atomic<int>> hits(kOuter * kInner);
  pool.ParallelFor(kOuter, [&](int64_t begin, int64_t end) {
    for (int64_t o = begin; o < end; ++o) {
      const auto self = std::this_thread::get_id();
      pool.ParallelFor(kInner, [&](int64_t b, int64_t e) {
        EXPECT_EQ(std::this_thread::get_id(), self);  // the pool is busy with the outer job
        for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(o * kInner + i)].fetch_add(1);
      });
      ThreadPool::For(&pool, kInner, 1.0e6, [&](int64_t, int64_t) {});  // the cost-based entry point too
    }
  });
  for (auto& h : hits) ASSERT_EQ(h.load(), 1);
}

TEST(ThreadPool, ExceptionReachesTheCallerAndThePoolStaysUsable) {
  ThreadPool pool(2);
  for (int attempt = 0; attempt < 50; ++attempt) {
    std::atomic<int> ran{0};
    // Every block throws, wherever it runs: the caller sees one exception.
    EXPECT_THROW(pool.ParallelFor(64,
                                  [&](int64_t, int64_t) {
                                    ran.fetch_add(1);
                                    throw std::runtime_error("block failed");
                                  }),
                 std::runtime_error);
    EXPECT_GE(ran.load(), 1);
    ExpectCoversOnce(pool, 1000, 1);
  }
  // Only the block a worker takes throws: the caller still learns of it.
  EXPECT_THROW(pool.ParallelFor(8,
                                [&](int64_t begin, int64_t) {
                                  if (begin == 7) throw std::out_of_range("last block");
                                }),
               std::out_of_range);
  ExpectCoversOnce(pool, 1000, 1);
}

TEST(ThreadPool, CostDecidesWhetherToSplit) {
  ThreadPool pool(2);
  // A microsecond of work in all: one inline call.
  int calls = 0;
  ThreadPool::For(&pool, 1000, 1.0, [&](int64_t begin, int64_t end) {
    ++calls;
    EXPECT_EQ(end - begin, 1000);
  });
  EXPECT_EQ(calls, 1);
  // Far more work than a hand-off costs: several blocks, none below the block the cost asks for.
  const int64_t min_block = ThreadPool::MinBlockFor(1.0);
  EXPECT_GE(min_block, 1000);
  std::atomic<int> blocks{0};
  ThreadPool::For(&pool, 1000000, 1.0, [&](int64_t begin, int64_t end) {
    blocks.fetch_add(1);
    EXPECT_TRUE(end - begin >= min_block || end == 1000000);
  });
  EXPECT_GT(blocks.load(), 1);
  EXPECT_EQ(ThreadPool::MinBlockFor(1.0e9), 1);
  EXPECT_GT(ThreadPool::MinBlockFor(0.0), int64_t{1} << 30);
}

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Idle workers sleep (onnxruntime#6725: spinning workers burned CPU between runs): after a job, a quiet 200 ms
// costs the process a small fraction of the CPU time that three spinning workers would take (600 ms).
TEST(ThreadPool, IdleWorkersDoNotSpin) {
  ThreadPool pool(4);
  std::atomic<int64_t> sink{0};
  pool.ParallelFor(1 << 20, [&](int64_t begin, int64_t end) { sink.fetch_add(end - begin); });
  EXPECT_EQ(sink.load(), 1 << 20);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // past the spin window
  const double before = ProcessCpuSeconds();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_LT(ProcessCpuSeconds() - before, 0.05);
}

// Many short jobs back to back, from two callers, with nesting: a stress for the hand-off (run it under TSan).
TEST(ThreadPool, ManyShortJobs) {
  ThreadPool pool(3);
  std::atomic<int64_t> total{0};
  auto hammer = [&] {
    for (int iter = 0; iter < 3000; ++iter) {
      pool.ParallelFor(
          16,
          [&](int64_t begin, int64_t end) {
            total.fetch_add(end - begin, std::memory_order_relaxed);
            for (int64_t i = begin; i < end && iter % 100 == 0; ++i) {
              pool.ParallelFor(4, [&](int64_t b, int64_t e) { total.fetch_add(e - b); });
            }
          },
          1);
    }
  };
  std::thread other(hammer);
  hammer();
  other.join();
  EXPECT_EQ(total.load(), 2 * (3000 * 16 + 30 * 16 * 4));
}

TEST(ThreadPool, DestroyWhileWorkersSleepOrSpin) {
  for (int i = 0; i < 50; ++i) {
    ThreadPool pool(3);
    if (i % 2) pool.ParallelFor(100, [](int64_t, int64_t) {});
    if (i % 3 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

}  // namespace
}  // namespace onyx

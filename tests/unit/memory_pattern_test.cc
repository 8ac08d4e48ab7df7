// MemoryPattern through BufferPool: a plan once two runs repeat, buffers alive together never sharing bytes,
// the pool taking over when a run departs from the plan, outputs kept out of the arena, and an arena whose
// bytes left a run set aside rather than written over.
#include "framework/memory_pattern.h"

#include <gtest/gtest.h>

#include <cstring>
#include <thread>

#include "framework/buffer_pool.h"
#include "session/session.h"
#include "unit/counting_allocator.h"
#include "unit/test_models.h"

namespace onyx {
namespace {

using test::CountingAllocator;

bool Disjoint(const std::shared_ptr<Buffer>& a, const std::shared_ptr<Buffer>& b) {
  const char* pa = static_cast<const char*>(a->data());
  const char* pb = static_cast<const char*>(b->data());
  return pa + a->bytes() <= pb || pb + b->bytes() <= pa;
}

// One "run": a chain a -> b -> c where a dies once b exists, and c is kept (a graph output).
std::shared_ptr<Buffer> ChainRun(BufferPool& pool, size_t a_bytes, std::vector<void*>* addresses = nullptr) {
  auto a = pool.Get(a_bytes);
  auto b = pool.Get(2048);
  EXPECT_TRUE(Disjoint(a, b));
  std::memset(a->data(), 1, a->bytes());
  std::memset(b->data(), 2, b->bytes());
  if (addresses) addresses->insert(addresses->end(), {a->data(), b->data()});
  a.reset();
  auto scratch = pool.Get(512);  // may take a's bytes: a is gone
  EXPECT_TRUE(Disjoint(scratch, b));
  scratch.reset();
  auto c = pool.Get(1024);
  EXPECT_TRUE(Disjoint(c, b));
  EXPECT_EQ(static_cast<const char*>(b->data())[2047], 2);
  b.reset();
  pool.Trim();  // the end of the run
  return c;
}

TEST(MemoryPattern, TwoRepeatingRunsMakeAPlanThatLaterRunsFollow) {
  auto alloc = std::make_shared<CountingAllocator>();
  auto pool = BufferPool::Create(alloc, /*memory_pattern=*/true);
  auto out1 = ChainRun(*pool, 4096);
  EXPECT_EQ(pool->arena_bytes(), 0u);  // one run proves nothing
  auto out2 = ChainRun(*pool, 4096);
  // The plan: a (4096) and b (2048) overlap in time; scratch (512) fits where a was; c (the output) is not
  // planned. Peak of what is alive together: 4096 + 2048.
  EXPECT_EQ(pool->arena_bytes(), 4096u + 2048u);
  std::vector<void*> addresses;
  auto out3 = ChainRun(*pool, 4096, &addresses);
  EXPECT_EQ(pool->arena_hits(), 3u);  // a, b and scratch from the arena
  const int allocs_before = alloc->allocs, frees_before = alloc->frees;
  std::vector<void*> again;
  auto out4 = ChainRun(*pool, 4096, &again);
  EXPECT_EQ(addresses, again);  // the same places run after run
  EXPECT_EQ(pool->arena_hits(), 6u);
  // Steady state: the output is the one block that reaches the allocator, and nothing is freed.
  EXPECT_EQ(alloc->allocs - allocs_before, 1);
  EXPECT_EQ(alloc->frees - frees_before, 0);
  // Outputs stay valid and distinct from the arena while later runs go on.
  for (const auto* out : {&out1, &out2, &out3, &out4}) std::memset((*out)->data(), 7, (*out)->bytes());
}

TEST(MemoryPattern, ARunThatAsksForOtherSizesFallsBackToThePool) {
  auto alloc = std::make_shared<CountingAllocator>();
  auto pool = BufferPool::Create(alloc, true);
  ChainRun(*pool, 4096);
  ChainRun(*pool, 4096);
  ASSERT_GT(pool->arena_bytes(), 0u);
  const size_t hits = pool->arena_hits();
  ChainRun(*pool, 8192);  // a is larger: nothing from the arena after the first mismatch
  EXPECT_EQ(pool->arena_hits(), hits);
  ChainRun(*pool, 8192);  // two runs alike again: a new plan, larger
  EXPECT_EQ(pool->arena_bytes(), 8192u + 2048u);
  ChainRun(*pool, 8192);
  EXPECT_EQ(pool->arena_hits(), hits + 3);
}

TEST(MemoryPattern, ShapesThatKeepChangingGiveTheArenaBack) {
  auto alloc = std::make_shared<CountingAllocator>();
  auto pool = BufferPool::Create(alloc, true);
  ChainRun(*pool, 4096);
  ChainRun(*pool, 4096);
  ASSERT_GT(pool->arena_bytes(), 0u);
  ChainRun(*pool, 128 * 64);
  ChainRun(*pool, 100 * 64);
  ChainRun(*pool, 110 * 64);
  EXPECT_EQ(pool->arena_bytes(), 0u);  // no run used it twice in a row: freed
}

TEST(MemoryPattern, ArenaBytesThatOutliveARunAreNotReused) {
  auto alloc = std::make_shared<CountingAllocator>();
  auto pool = BufferPool::Create(alloc, true);
  auto run = [&](bool keep_b) {
    auto a = pool->Get(4096);
    auto b = pool->Get(2048);
    a.reset();
    std::shared_ptr<Buffer> kept = keep_b ? b : nullptr;
    b.reset();
    pool->Trim();
    return kept;
  };
  run(false);
  run(false);
  ASSERT_GT(pool->arena_bytes(), 0u);
  auto kept = run(true);  // b came from the arena and is still held after the run
  ASSERT_TRUE(kept);
  std::memset(kept->data(), 5, kept->bytes());
  for (int i = 0; i < 3; ++i) {
    auto a = pool->Get(4096);
    auto b = pool->Get(2048);
    EXPECT_TRUE(Disjoint(a, kept));
    EXPECT_TRUE(Disjoint(b, kept));
    std::memset(a->data(), 0, a->bytes());
    std::memset(b->data(), 0, b->bytes());
    a.reset();
    b.reset();
    pool->Trim();
  }
  EXPECT_EQ(static_cast<const char*>(kept->data())[0], 5);
  const int frees = alloc->frees;
  kept.reset();  // the retired arena goes back to the allocator with its last buffer
  EXPECT_EQ(alloc->frees, frees + 1);
}

TEST(MemoryPattern, ARunWhoseOrderVariesNeverSharesLiveBytes) {
  // Two runs record a then b with disjoint lifetimes (they may share bytes); a third run holds both at once.
  auto pool = BufferPool::Create(CpuAllocator::Instance(), true);
  for (int i = 0; i < 2; ++i) {
    { auto a = pool->Get(1024); }
    { auto b = pool->Get(1024); }
    pool->Trim();
  }
  ASSERT_EQ(pool->arena_bytes(), 1024u);
  auto a = pool->Get(1024);
  auto b = pool->Get(1024);  // planned at a's offset, but a is alive: the pool serves it
  EXPECT_TRUE(Disjoint(a, b));
}

TEST(MemoryPattern, ConcurrentRequestsStaySafe) {
  auto pool = BufferPool::Create(CpuAllocator::Instance(), true);
  for (int round = 0; round < 4; ++round) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t) {
      threads.emplace_back([&pool, t] {
        for (int i = 0; i < 300; ++i) {
          auto x = pool->Get(static_cast<size_t>(64 * (1 + (i + t) % 5)));
          auto y = pool->Get(256);
          ASSERT_TRUE(Disjoint(x, y));
          std::memset(x->data(), t, x->bytes());
          std::memset(y->data(), t, y->bytes());
          ASSERT_EQ(static_cast<const char*>(x->data())[0], static_cast<char>(t));
        }
      });
    }
    for (auto& th : threads) th.join();
    pool->Trim();
  }
}

// Sessions: the same outputs with and without the pattern, run after run.
TEST(MemoryPattern, SessionRunsAgreeWithAndWithoutThePattern) {
  proto::ModelProto m = test::AddReluModel();
  std::string bytes = test::Serialize(m);
  for (bool pattern : {true, false}) {
    SessionOptions options;
    options.enable_mem_pattern = pattern;
    auto s = Session::CreateFromBytes(bytes.data(), bytes.size(), options);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    for (int rep = 0; rep < 4; ++rep) {
      std::vector<Value> out;
      Status st = s.value()->Run({{"X", Value(Tensor::FromVector<float>({1, 4}, {0, 1, 2, 3}))}}, {}, &out);
      ASSERT_TRUE(st.ok()) << st.ToString();
      const float* y = out[0].tensor().data<float>();
      EXPECT_EQ(y[0], 1.0f);
      EXPECT_EQ(y[1], 0.0f);
      EXPECT_EQ(y[2], 5.0f);
      EXPECT_EQ(y[3], 0.0f);
    }
  }
}

}  // namespace
}  // namespace onyx

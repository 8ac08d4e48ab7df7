// BufferPool and BufferPoolCache: reuse within and across runs, trimming what a run did not need, buffers that
// outlive their pool; and the runner paths that avoid per-run work (initializers read in place, outer-scope
// values found by slot) giving the same results run after run.
#include "framework/buffer_pool.h"

#include <gtest/gtest.h>

#include <thread>

#include "framework/value_compare.h"
#include "session/session.h"
#include "unit/counting_allocator.h"
#include "unit/test_models.h"

namespace onyx {
namespace {

using test::CountingAllocator;

TEST(BufferPool, ReusesReturnedBlocksOfSimilarSize) {
  auto alloc = std::make_shared<CountingAllocator>();
  auto pool = BufferPool::Create(alloc);
  void* first = nullptr;
  {
    auto b = pool->Get(1000);
    first = b->data();
    EXPECT_GE(b->bytes(), 1000u);
  }
  auto again = pool->Get(900);  // fits the returned block, which is not more than twice as large
  EXPECT_EQ(again->data(), first);
  auto small = pool->Get(100);  // nothing free that is not more than twice its size
  EXPECT_NE(small->data(), first);
  EXPECT_EQ(alloc->allocs, 2);
  EXPECT_EQ(pool->reused(), 1u);
}

// Many values dying at once (a Loop's kept iterations, a long sequence) used to fill the idle list without bound,
// and every later Get searched all of it: a fuzzed Range loop of 200,000 iterations took 14 s. The pool keeps at
// most 1,024 idle blocks and frees the rest; with a memory pattern the same holds past its 8,192 recorded
// requests.
TEST(BufferPool, KeepsABoundedNumberOfIdleBlocks) {
  for (bool pattern : {false, true}) {
    auto alloc = std::make_shared<CountingAllocator>();
    auto pool = BufferPool::Create(alloc, pattern);
    {
      std::vector<std::shared_ptr<Buffer>> held;
      for (int i = 0; i < 10000; ++i) held.push_back(pool->Get(64));
    }
    EXPECT_EQ(pool->idle_blocks(), 1024u) << "pattern " << pattern;
    EXPECT_EQ(alloc->frees, 10000 - 1024) << "pattern " << pattern;
    auto again = pool->Get(64);  // still served from what was kept
    EXPECT_EQ(alloc->allocs, 10000) << "pattern " << pattern;
  }
}

TEST(BufferPool, BuffersOutliveTheirPool) {
  auto alloc = std::make_shared<CountingAllocator>();
  std::shared_ptr<Buffer> kept;
  {
    auto pool = BufferPool::Create(alloc);
    kept = pool->Get(64);
    pool->Get(64);  // returned at once: freed when the pool goes
  }
  EXPECT_EQ(alloc->frees, 1);
  static_cast<float*>(kept->data())[0] = 1.0f;  // still valid memory
  kept.reset();
  EXPECT_EQ(alloc->frees, 2);
}

TEST(BufferPool, CacheHandsPoolsToLaterRunsAndTrimsWhatARunDidNotUse) {
  auto alloc = std::make_shared<CountingAllocator>();
  BufferPoolCache cache;
  EXPECT_EQ(cache.Take(alloc.get()), nullptr);
  auto pool = BufferPool::Create(alloc);
  {
    auto a = pool->Get(4096);
    auto b = pool->Get(256);
  }
  cache.Give(pool);  // both blocks were returned during this period: kept
  EXPECT_EQ(pool->idle_blocks(), 2u);
  std::shared_ptr<BufferPool> next = cache.Take(alloc.get());
  ASSERT_EQ(next, pool);
  EXPECT_EQ(cache.Take(alloc.get()), nullptr);  // one run at a time holds it
  { auto a = next->Get(4000); }                 // the next run needs only the large one
  cache.Give(next);
  EXPECT_EQ(pool->idle_blocks(), 1u);  // the 256-byte block went back to the allocator
  EXPECT_EQ(alloc->allocs, 2);
  EXPECT_EQ(alloc->frees, 1);
}

TEST(BufferPool, ConcurrentGetsAndReturns) {
  auto pool = BufferPool::Create(CpuAllocator::Instance());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&pool, t] {
      for (int i = 0; i < 2000; ++i) {
        auto b = pool->Get(static_cast<size_t>(64 * (1 + (i + t) % 7)));
        static_cast<char*>(b->data())[0] = static_cast<char>(i);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_GT(pool->reused(), 0u);
}

std::unique_ptr<Session> MakeSession(const proto::ModelProto& m) {
  std::string bytes = test::Serialize(m);
  auto s = Session::CreateFromBytes(bytes.data(), bytes.size());
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? s.take() : nullptr;
}

// Y = X + B, and B itself an output: an initializer that is a graph output comes out of every run though it
// is never copied into the run's slots.
TEST(GraphRunner, InitializerOutputAndRepeatedRunsAgree) {
  proto::ModelProto m = test::AddReluModel();
  test::SetTensorType(m.mutable_graph()->add_output(), "B", 1, {4});
  auto s = MakeSession(m);
  ASSERT_TRUE(s);
  std::vector<std::vector<Value>> runs(3);
  for (auto& out : runs) {
    Status st = s->Run({{"X", Value(Tensor::FromVector<float>({1, 4}, {0, 1, 2, 3}))}}, {}, &out);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  Value y(Tensor::FromVector<float>({1, 4}, {1, 0, 5, 0}));
  Value b(Tensor::FromVector<float>({4}, {1, -2, 3, -4}));
  for (const auto& out : runs) {
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(CompareValues(y, out[0]), "");
    EXPECT_EQ(CompareValues(b, out[1]), "");
  }
}

// An If inside an If, the inner branch reading X from the main graph and an initializer: the outer-scope
// reads resolve through both frames, on every run and for both conditions.
TEST(GraphRunner, NestedSubgraphsReadOuterValuesRunAfterRun) {
  proto::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(17);
  auto* g = m.mutable_graph();
  g->set_name("nested_if");
  test::SetTensorType(g->add_input(), "cond", 9, {});
  test::SetTensorType(g->add_input(), "X", 1, {2});
  test::SetTensorType(g->add_output(), "Y", 1, {2});
  auto* k = g->add_initializer();
  k->set_name("K");
  k->set_data_type(1);
  k->add_dims(2);
  k->add_float_data(10.0f);
  k->add_float_data(20.0f);
  auto add_branches = [](proto::NodeProto* node, const std::string& prefix, auto&& make_then) {
    for (const char* name : {"then_branch", "else_branch"}) {
      auto* a = node->add_attribute();
      a->set_name(name);
      a->set_type(proto::AttributeProto::GRAPH);
      auto* b = a->mutable_g();
      b->set_name(prefix + name);
      const std::string out = prefix + name + "_out";
      if (std::string(name) == "then_branch") {
        make_then(b, out);
      } else {
        test::AddNode(b, "Mul", {"X", "X"}, {out});
      }
      test::SetTensorType(b->add_output(), out, 1, {2});
    }
  };
  auto* outer = test::AddNode(g, "If", {"cond"}, {"Y"});
  add_branches(outer, "outer_", [&](proto::GraphProto* b, const std::string& out) {
    auto* inner = test::AddNode(b, "If", {"cond"}, {out});
    add_branches(inner, "inner_", [](proto::GraphProto* ib, const std::string& iout) {
      test::AddNode(ib, "Add", {"X", "K"}, {iout});
    });
  });
  auto s = MakeSession(m);
  ASSERT_TRUE(s);
  for (int rep = 0; rep < 3; ++rep) {
    for (bool c : {true, false}) {
      std::vector<Value> out;
      Status st = s->Run(
          {{"cond", Value(Tensor::Scalar<bool>(c))}, {"X", Value(Tensor::FromVector<float>({2}, {3, 4}))}}, {}, &out);
      ASSERT_TRUE(st.ok()) << st.ToString();
      Value expected(Tensor::FromVector<float>({2}, c ? std::vector<float>{13, 24} : std::vector<float>{9, 16}));
      EXPECT_EQ(CompareValues(expected, out[0]), "");
    }
  }
}

}  // namespace
}  // namespace onyx

#include <cmath>
#include <random>

#include "common/thread_pool.h"
#include "ep/cpu/cpu_isa.h"
#include "ep/cpu/kernels/nn/gemm_util.h"
#include "kernels/op_test.h"

namespace onyx::test {

TEST(Gemm, TransposesAlphaBetaMatrixC) {
  // A^T = [[1,2,3],[4,5,6]], B^T = [[1,0],[0,1],[1,1]]; A^T B^T =
  // [[4,5],[10,11]].
  OpTest t("Gemm", 13);
  t.AddInput<float>("A", {3, 2}, {1, 4, 2, 5, 3, 6});
  t.AddInput<float>("B", {2, 3}, {1, 0, 1, 0, 1, 1});
  t.AddInput<float>("C", {2, 2}, {1, 2, 3, 4});
  t.AddAttr("transA", int64_t{1});
  t.AddAttr("transB", int64_t{1});
  t.AddAttr("alpha", 2.0f);
  t.AddAttr("beta", 0.5f);
  t.AddOutput<float>("Y", {2, 2}, {8.5f, 11, 21.5f, 24});
  t.Run();
}

TEST(Gemm, ConstantWeightsPackedOnceWithTransposesAndC) {
  // B constant (packed at Init) in both orientations, with transA, alpha and a row-broadcast C, for 2 and 37
  // rows (the few-rows path reads B unpacked).
  std::mt19937 rng(6);
  std::uniform_real_distribution<float> u(-1, 1);
  const int64_t k = 40, n = 35;
  for (int64_t m : {2, 37}) {
    for (int trans = 0; trans < 4; ++trans) {
      const bool ta = trans & 1, tb = trans & 2;
      std::vector<float> a(static_cast<size_t>(m * k)), b(static_cast<size_t>(k * n)), c(static_cast<size_t>(n));
      for (auto& v : a) v = u(rng);
      for (auto& v : b) v = u(rng);
      for (auto& v : c) v = u(rng);
      std::vector<float> y(static_cast<size_t>(m * n));
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
          double acc = 0;
          for (int64_t p = 0; p < k; ++p) {
            acc += static_cast<double>(ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
          }
          y[i * n + j] = static_cast<float>(1.5 * acc + 0.5 * c[j]);
        }
      OpTest t("Gemm", 13);
      t.AddInput<float>("A", ta ? Shape{k, m} : Shape{m, k}, a);
      t.AddConstantInput<float>("B", tb ? Shape{n, k} : Shape{k, n}, b);
      t.AddInput<float>("C", {n}, c);
      t.AddAttr("transA", int64_t{ta});
      t.AddAttr("transB", int64_t{tb});
      t.AddAttr("alpha", 1.5f);
      t.AddAttr("beta", 0.5f);
      t.AddOutput<float>("Y", {m, n}, y);
      t.Run();
    }
  }
}

TEST(Gemm, BroadcastsRowColumnAndScalarC) {
  const std::vector<std::pair<Shape, std::vector<float>>> cs = {
      {{2}, {10, 20}}, {{1, 2}, {10, 20}}, {{2, 1}, {10, 20}}, {{}, {10}}, {{1}, {10}}};
  const std::vector<std::vector<float>> expected = {
      {11, 22, 13, 24}, {11, 22, 13, 24}, {11, 12, 23, 24}, {11, 12, 13, 14}, {11, 12, 13, 14}};
  for (size_t i = 0; i < cs.size(); ++i) {
    OpTest t("Gemm", 9);
    t.AddInput<float>("A", {2, 2}, {1, 0, 0, 1});
    t.AddInput<float>("B", {2, 2}, {1, 2, 3, 4});
    t.AddInput<float>("C", cs[i].first, cs[i].second);
    t.AddOutput<float>("Y", {2, 2}, expected[i]);
    t.Run();
  }
}

TEST(Gemm, OptionalCAtOpset11) {
  OpTest t("Gemm", 11);
  t.AddInput<double>("A", {1, 3}, {1, 2, 3});
  t.AddInput<double>("B", {3, 1}, {4, 5, 6});
  t.AddOutput<double>("Y", {1, 1}, {32});
  t.Run();
}

TEST(Gemm, Int32AndUint64) {
  {
    OpTest t("Gemm", 13);
    t.AddInput<int32_t>("A", {2, 2}, {1, -2, 3, 4});
    t.AddInput<int32_t>("B", {2, 2}, {5, 6, 7, 8});
    t.AddInput<int32_t>("C", {2}, {1, 1});
    t.AddOutput<int32_t>("Y", {2, 2}, {-8, -9, 44, 51});
    t.Run();
  }
  {
    OpTest t("Gemm", 13);
    t.AddInput<uint64_t>("A", {1, 2}, {2, 3});
    t.AddInput<uint64_t>("B", {2, 1}, {4, 5});
    t.AddOutput<uint64_t>("Y", {1, 1}, {23});
    t.Run();
  }
}

TEST(Gemm, InnerDimensionMismatchIsAnError) {
  OpTest t("Gemm", 13);
  t.AddInput<float>("A", {2, 3}, std::vector<float>(6, 1));
  t.AddInput<float>("B", {2, 2}, std::vector<float>(4, 1));
  t.AddOutputUnchecked("Y");
  t.RunExpectError("inner");
}

TEST(Gemm, CThatDoesNotBroadcastIsAnError) {
  OpTest t("Gemm", 13);
  t.AddInput<float>("A", {2, 2}, std::vector<float>(4, 1));
  t.AddInput<float>("B", {2, 2}, std::vector<float>(4, 1));
  t.AddInput<float>("C", {3}, {1, 2, 3});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("broadcast");
}

// The blocked, packed GEMM against the plain triple loop, over shapes that hit
// every edge (partial panels, several K blocks, the few-rows path) with and
// without threads, in each instruction-set build the processor can run.
TEST(Gemm, BlockedMatchesReference) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1, 1);
  ThreadPool pool(3);
  const int64_t shapes[][3] = {{1, 300, 70},   {3, 17, 600},  {7, 13, 5},   {70, 50, 300},
                               {130, 530, 40}, {6, 16, 256},  {14, 32, 257}, {29, 800, 513}, {150, 33, 20}};
  std::vector<cpu::GemmIsa> isas = {cpu::GemmIsa::kPortable};
  if (cpu::HasAvx2()) isas.push_back(cpu::GemmIsa::kAvx2);
  if (cpu::HasAvx512()) isas.push_back(cpu::GemmIsa::kAvx512);
  for (cpu::GemmIsa isa : isas)
  for (const auto& s : shapes) {
    const int64_t m = s[0], n = s[1], k = s[2];
    for (int tr = 0; tr < 4; ++tr) {
      const bool ta = tr & 1, tb = tr & 2;
      std::vector<float> a(static_cast<size_t>(m * k)), b(static_cast<size_t>(k * n)), c(static_cast<size_t>(m * n));
      for (auto& v : a) v = u(rng);
      for (auto& v : b) v = u(rng);
      for (auto& v : c) v = u(rng);
      std::vector<float> ref = c, got = c, got_mt = c;
      cpu::GemmReference<float>(ta, tb, m, n, k, 0.7f, a.data(), ta ? m : k, b.data(), tb ? k : n, 0.3f, ref.data(), n);
      cpu::GemmWithIsa(isa, ta, tb, m, n, k, 0.7f, a.data(), ta ? m : k, b.data(), tb ? k : n, 0.3f, got.data(), n,
                       nullptr);
      cpu::GemmWithIsa(isa, ta, tb, m, n, k, 0.7f, a.data(), ta ? m : k, b.data(), tb ? k : n, 0.3f, got_mt.data(),
                       n, &pool);
      for (size_t i = 0; i < ref.size(); ++i) {
        ASSERT_NEAR(got[i], ref[i], 1e-4) << m << "x" << n << "x" << k << " trans " << tr << " isa "
                                          << static_cast<int>(isa) << " at " << i;
        ASSERT_NEAR(got_mt[i], ref[i], 1e-4) << m << "x" << n << "x" << k << " trans " << tr << " isa "
                                             << static_cast<int>(isa) << " at " << i;
      }
    }
  }
}

// Every edge of the micro-tile (8 x 48 with AVX-512, 6 x 16 with AVX2): rows 1..8 short of a whole tile, one to
// three column vectors with a partial last one, K of one, odd and past a K block. C is a window of a wider matrix
// (ldc > n) whose other columns must survive, and beta = 0 must ignore the NaN that C holds. Each product runs
// plain, with A packed once (PackedGemmA) and with B packed once (PackedGemmB).
TEST(Gemm, EdgeTilesWriteOnlyTheirWindow) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-1, 1);
  // Last tiles of 1 to 7 rows: the AVX-512 build has kernels of 2, 4, 6 and 8 rows for them; 1 to 3 rows in all are
  // matrix-vector products (with packed B, gemm_rows::RowsPackedB).
  const int64_t ms[] = {1, 2, 3, 4, 5, 8, 9, 10, 11, 14, 15, 23};
  const int64_t ns[] = {1, 15, 16, 17, 31, 33, 47, 48, 49, 95, 97};
  const int64_t ks[] = {1, 3, 257};
  const float kSentinel = 12345.0f;
  for (int64_t m : ms)
    for (int64_t n : ns)
      for (int64_t k : ks)
        for (float beta : {0.0f, 0.5f}) {
          const int64_t ldc = n + 5;
          std::vector<float> a(static_cast<size_t>(m * k)), b(static_cast<size_t>(k * n));
          std::vector<float> c(static_cast<size_t>(m * ldc), kSentinel);
          for (auto& v : a) v = u(rng);
          for (auto& v : b) v = u(rng);
          for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j) c[i * ldc + j] = beta == 0 ? std::nanf("") : u(rng);
          std::vector<float> ref = c;
          for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j) {
              double acc = 0;
              for (int64_t p = 0; p < k; ++p) acc += static_cast<double>(a[i * k + p]) * b[p * n + j];
              float& r = ref[i * ldc + j];
              r = static_cast<float>(0.7 * acc + (beta == 0 ? 0.0 : beta * static_cast<double>(r)));
            }
          const cpu::PackedGemmA pa(false, m, k, a.data(), k);
          const cpu::PackedGemmB pb(false, k, n, b.data(), n);
          for (int way = 0; way < 3; ++way) {
            std::vector<float> got = c;
            if (way == 0)
              cpu::Gemm(false, false, m, n, k, 0.7f, a.data(), k, b.data(), n, beta, got.data(), ldc, nullptr);
            if (way == 1) cpu::GemmPackedA(pa, a.data(), false, n, 0.7f, b.data(), n, beta, got.data(), ldc, nullptr);
            if (way == 2) cpu::GemmPackedB(pb, false, m, 0.7f, a.data(), k, b.data(), beta, got.data(), ldc, nullptr);
            for (size_t i = 0; i < ref.size(); ++i) {
              ASSERT_NEAR(got[i], ref[i], 1e-4) << m << "x" << n << "x" << k << " beta " << beta << " way " << way
                                                << " at row " << i / ldc << " col " << i % ldc;
            }
          }
        }
}

TEST(Gemm, BlockedDoubleAndBetaZeroIgnoresGarbage) {
  const int64_t m = 9, n = 11, k = 300;
  std::vector<double> a(m * k), b(k * n), ref(m * n, 0.0), got(m * n, std::nan(""));
  for (int64_t i = 0; i < m * k; ++i) a[i] = static_cast<double>(i % 7) - 3;
  for (int64_t i = 0; i < k * n; ++i) b[i] = static_cast<double>(i % 5) - 2;
  cpu::GemmReference<double>(false, false, m, n, k, 1.0, a.data(), k, b.data(), n, 0.0, ref.data(), n);
  cpu::Gemm(false, false, m, n, k, 1.0, a.data(), k, b.data(), n, 0.0, got.data(), n, nullptr);
  for (size_t i = 0; i < ref.size(); ++i) ASSERT_EQ(got[i], ref[i]);
}

}  // namespace onyx::test

#include <algorithm>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(MatMulInteger, PerRowAndPerColumnZeroPoints) {
  OpTest t("MatMulInteger", 10);
  t.AddInput<uint8_t>("A", {4, 3}, {11, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0});
  t.AddInput<uint8_t>("B", {3, 2}, {1, 4, 2, 5, 3, 6});
  t.AddInput<uint8_t>("a_zero_point", {4}, {12, 1, 2, 3});
  t.AddInput<uint8_t>("b_zero_point", {2}, {0, 1});
  t.AddOutput<int32_t>("Y", {4, 2}, {-38, -68, 22, 52, 10, 28, -2, 4});
  t.Run();
}

TEST(MatMulInteger, MixedSignsNoZeroPointsAndBroadcastBatch) {
  OpTest t("MatMulInteger", 10);
  t.AddInput<int8_t>("A", {2, 1, 2}, {-128, 127, 1, -1});
  t.AddInput<uint8_t>("B", {2, 2}, {255, 0, 1, 2});
  t.AddOutput<int32_t>("Y", {2, 1, 2}, {-32513, 254, 254, -2});
  t.Run();
}

TEST(MatMulInteger, VectorOperands) {
  OpTest t("MatMulInteger", 10);
  t.AddInput<uint8_t>("A", {3}, {1, 2, 3});
  t.AddInput<uint8_t>("B", {3}, {4, 5, 6});
  t.AddInput<uint8_t>("a_zero_point", {}, {1});
  t.AddOutput<int32_t>("Y", {}, {17});
  t.Run();
}

TEST(MatMulInteger, Errors) {
  OpTest t("MatMulInteger", 10);
  t.AddInput<uint8_t>("A", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<uint8_t>("B", {2, 2}, {1, 2, 3, 4});
  t.AddOutputUnchecked("y");
  t.RunExpectError("inner dims");
  OpTest z("MatMulInteger", 10);
  z.AddInput<uint8_t>("A", {2, 2}, {1, 2, 3, 4});
  z.AddInput<uint8_t>("B", {2, 2}, {1, 2, 3, 4});
  z.AddInput<uint8_t>("a_zero_point", {3}, {1, 2, 3});
  z.AddOutputUnchecked("y");
  z.RunExpectError("a_zero_point");
}

// Batches of A against one B run as one product of all their rows (3 x 17 = 51 here, which also crosses the AMX
// tile boundary); a B per batch, or one A broadcast over B's batches, run batch by batch. Every form against the
// int64 reference, with per-tensor and per-column zero points.
TEST(MatMulInteger, BatchesFoldedIntoOneProductAndNot) {
  const int64_t k = 40, n = 35, m = 17;
  struct Form {
    std::vector<int64_t> a_shape, b_shape;
    bool b_constant;
  };
  const Form forms[] = {
      {{3, m, k}, {k, n}, true},      // folded, B packed once
      {{3, m, k}, {1, k, n}, false},  // folded, B given at run time with a batch of one
      {{3, m, k}, {3, k, n}, false},  // a B per batch
      {{1, m, k}, {3, k, n}, false},  // A broadcast over B's batches
  };
  for (const Form& f : forms) {
    for (bool per_column : {false, true}) {
      const int64_t a_batches = f.a_shape[0];
      const int64_t b_batches = f.b_shape.size() == 3 ? f.b_shape[0] : 1;
      const int64_t batches = std::max(a_batches, b_batches);
      std::vector<uint8_t> a(static_cast<size_t>(a_batches * m * k));
      std::vector<int8_t> b(static_cast<size_t>(b_batches * k * n));
      for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<uint8_t>((i * 37 + 11) % 256);
      for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<int8_t>(static_cast<int>((i * 53 + 7) % 256) - 128);
      const uint8_t za = 131;
      std::vector<int8_t> zb(per_column ? static_cast<size_t>(n) : 1);
      for (size_t j = 0; j < zb.size(); ++j) zb[j] = static_cast<int8_t>(static_cast<int>(j % 7) - 3);
      std::vector<int32_t> y;
      for (int64_t t = 0; t < batches; ++t) {
        const int64_t ta = a_batches == 1 ? 0 : t, tb = b_batches == 1 ? 0 : t;
        for (int64_t i = 0; i < m; ++i) {
          for (int64_t j = 0; j < n; ++j) {
            int64_t acc = 0;
            for (int64_t l = 0; l < k; ++l) {
              acc += (int64_t{a[static_cast<size_t>((ta * m + i) * k + l)]} - za) *
                     (int64_t{b[static_cast<size_t>((tb * k + l) * n + j)]} - zb[per_column ? j : 0]);
            }
            y.push_back(static_cast<int32_t>(acc));
          }
        }
      }
      OpTest t("MatMulInteger", 10);
      t.AddInput<uint8_t>("A", f.a_shape, a);
      if (f.b_constant) {
        t.AddConstantInput<int8_t>("B", f.b_shape, b);
      } else {
        t.AddInput<int8_t>("B", f.b_shape, b);
      }
      t.AddInput<uint8_t>("a_zero_point", {}, {za});
      t.AddInput<int8_t>("b_zero_point", {static_cast<int64_t>(zb.size())}, zb);
      t.AddOutput<int32_t>("Y", {batches, m, n}, y);
      t.Run();
    }
  }
}

}  // namespace onyx::test

#include <random>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(MatMul, TwoDimensional) {
  OpTest t("MatMul", 13);
  t.AddInput<float>("A", {2, 3}, {1, 2, 3, 4, 5, 6});
  t.AddInput<float>("B", {3, 2}, {1, 0, 0, 1, 1, 1});
  t.AddOutput<float>("Y", {2, 2}, {4, 5, 10, 11});
  t.Run();
}

TEST(MatMul, VectorTimesVectorIsScalar) {
  OpTest t("MatMul", 1);
  t.AddInput<float>("A", {3}, {1, 2, 3});
  t.AddInput<float>("B", {3}, {4, 5, 6});
  t.AddOutput<float>("Y", {}, {32});
  t.Run();
}

TEST(MatMul, VectorOperandsDropTheirDims) {
  {
    OpTest t("MatMul", 13);
    t.AddInput<float>("A", {2}, {1, 2});
    t.AddInput<float>("B", {2, 2, 3}, {1, 2, 3, 4, 5, 6, 0, 1, 0, 1, 0, 1});
    t.AddOutput<float>("Y", {2, 3}, {9, 12, 15, 2, 1, 2});
    t.Run();
  }
  {
    OpTest t("MatMul", 13);
    t.AddInput<float>("A", {2, 1, 2}, {1, 2, 3, 4});
    t.AddInput<float>("B", {2}, {1, 1});
    t.AddOutput<float>("Y", {2, 1}, {3, 7});
    t.Run();
  }
}

TEST(MatMul, BatchBroadcasting) {
  // A [2,1,1,2] against B [3,2,1]: output [2,3,1,1].
  OpTest t("MatMul", 13);
  t.AddInput<float>("A", {2, 1, 1, 2}, {1, 2, 3, 4});
  t.AddInput<float>("B", {3, 2, 1}, {1, 0, 0, 1, 1, 1});
  t.AddOutput<float>("Y", {2, 3, 1, 1}, {1, 2, 3, 3, 4, 7});
  t.Run();
}

TEST(MatMul, SharedRightOperandAgainstReference) {
  // A [4, 5, 33] x B [33, 21] folds into one GEMM; compared with a plain loop.
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(-1, 1);
  const int64_t batch = 4, m = 5, k = 33, n = 21;
  std::vector<double> a(batch * m * k), b(k * n), y(batch * m * n, 0.0);
  for (auto& v : a) v = u(rng);
  for (auto& v : b) v = u(rng);
  for (int64_t i = 0; i < batch * m; ++i)
    for (int64_t j = 0; j < n; ++j)
      for (int64_t p = 0; p < k; ++p) y[i * n + j] += a[i * k + p] * b[p * n + j];
  OpTest t("MatMul", 13);
  t.AddInput<double>("A", {batch, m, k}, a);
  t.AddInput<double>("B", {k, n}, b);
  t.AddOutput<double>("Y", {batch, m, n}, y);
  t.Run();
}

TEST(MatMul, ConstantWeightsPackedOnceAgainstReference) {
  // B is a constant: packed at Init. Batches of A of several sizes, including fewer than four rows in all (the
  // few-rows path reads B unpacked) and a width that leaves a narrow last column panel.
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-1, 1);
  const int64_t k = 70, n = 53;
  std::vector<float> b(static_cast<size_t>(k * n));
  for (auto& v : b) v = u(rng);
  for (int64_t rows : {1, 3, 12, 300}) {
    std::vector<float> a(static_cast<size_t>(rows * k));
    for (auto& v : a) v = u(rng);
    std::vector<float> y(static_cast<size_t>(rows * n), 0.0f);
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double acc = 0;
        for (int64_t p = 0; p < k; ++p) acc += static_cast<double>(a[i * k + p]) * b[p * n + j];
        y[i * n + j] = static_cast<float>(acc);
      }
    OpTest t("MatMul", 13);
    const int64_t batch = rows % 3 == 0 ? 3 : 1;
    t.AddInput<float>("A", {batch, rows / batch, k}, a);
    t.AddConstantInput<float>("B", {k, n}, b);
    t.AddOutput<float>("Y", {batch, rows / batch, n}, y);
    t.Run();
  }
}

TEST(MatMul, IntegerTypes) {
  {
    OpTest t("MatMul", 13);
    t.AddInput<int64_t>("A", {1, 2}, {-3, 4});
    t.AddInput<int64_t>("B", {2, 1}, {5, 6});
    t.AddOutput<int64_t>("Y", {1, 1}, {9});
    t.Run();
  }
  {
    OpTest t("MatMul", 13);
    t.AddInput<uint32_t>("A", {1, 2}, {3, 4});
    t.AddInput<uint32_t>("B", {2, 2}, {5, 6, 7, 8});
    t.AddOutput<uint32_t>("Y", {1, 2}, {43, 50});
    t.Run();
  }
  {
    OpTest t("MatMul", 9);
    t.AddInput<int32_t>("A", {2, 1}, {2, -1});
    t.AddInput<int32_t>("B", {1, 2}, {3, 4});
    t.AddOutput<int32_t>("Y", {2, 2}, {6, 8, -3, -4});
    t.Run();
  }
}

TEST(MatMul, Float16) {
  auto h = [](float f) { return Float16{FloatToHalf(f)}; };
  OpTest t("MatMul", 13);
  t.AddInput<Float16>("A", {1, 2}, {h(1), h(2)});
  t.AddInput<Float16>("B", {2, 1}, {h(0.5f), h(0.25f)});
  t.AddOutput<Float16>("Y", {1, 1}, {h(1)});
  t.Run();
}

TEST(MatMul, InnerDimensionMismatchIsAnError) {
  OpTest t("MatMul", 13);
  t.AddInput<float>("A", {2, 3}, std::vector<float>(6, 1));
  t.AddInput<float>("B", {2, 3}, std::vector<float>(6, 1));
  t.AddOutputUnchecked("Y");
  t.RunExpectError("inner");
}

TEST(MatMul, BatchMismatchIsAnError) {
  OpTest t("MatMul", 13);
  t.AddInput<float>("A", {2, 1, 2}, std::vector<float>(4, 1));
  t.AddInput<float>("B", {3, 2, 1}, std::vector<float>(6, 1));
  t.AddOutputUnchecked("Y");
  t.RunExpectError("broadcast");
}

}  // namespace onyx::test

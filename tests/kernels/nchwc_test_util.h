// Helpers of the NCHWc kernel tests: random tensors and blocked layouts (the tests take the standard kernels, run
// with graph optimization disabled, as the reference).
#pragma once

#include <gtest/gtest.h>

#include <random>

#include "ep/cpu/kernels/nchwc/nchwc_util.h"
#include "framework/value_compare.h"
#include "kernels/nchwc_available.h"
#include "kernels/op_test.h"

namespace onyx::test::nchwc {

inline Tensor Random(const Shape& shape, uint32_t seed, float lo = -1, float hi = 1) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  Tensor t = Tensor::Create(DataType::kFloat, shape).take();
  for (float& v : t.mutable_values<float>()) v = dist(rng);
  return t;
}

inline Tensor Blocked(const Tensor& x) { return cpu::nchwc::ToBlocked(x).take(); }
inline Tensor Unblocked(const Tensor& y, int64_t channels) { return cpu::nchwc::FromBlocked(y, channels).take(); }

inline void ExpectClose(const Tensor& expected, const Tensor& actual, const std::string& what) {
  EXPECT_EQ(CompareValues(Value(expected), Value(actual), {1e-5, 1e-5}), "") << what;
}

}  // namespace onyx::test::nchwc

// com.microsoft QLinearSoftmax: the reference computes in double; the kernel in float, so a value on a rounding
// edge may land one step away. Also the opset < 13 semantics (the rows are everything from `axis` on).
#include <cmath>
#include <cstdlib>

#include "kernels/op_test.h"
#include "kernels/qlinear_test_util.h"

namespace onyx::test {
namespace {

// x viewed as [outer, len, inner]: softmax over len.
template <typename T>
void RunSoftmax(const Shape& shape, int64_t axis, int64_t opset, int64_t outer, int64_t len, int64_t inner, int zx,
                int zy) {
  const double sx = 0.0625, sy = 1.0 / 256;
  const std::vector<T> x = qref::Data<T>(static_cast<int>(outer * len * inner), 6);
  std::vector<T> expected(x.size());
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      auto idx = [&](int64_t k) { return static_cast<size_t>((o * len + k) * inner + i); };
      double mx = -1e9, sum = 0;
      for (int64_t k = 0; k < len; ++k) mx = std::max(mx, (x[idx(k)] - zx) * sx);
      for (int64_t k = 0; k < len; ++k) sum += std::exp((x[idx(k)] - zx) * sx - mx);
      for (int64_t k = 0; k < len; ++k) {
        expected[idx(k)] = qref::Quantize<T>(std::exp((x[idx(k)] - zx) * sx - mx) / sum, sy, zy);
      }
    }
  }
  OpTest t("QLinearSoftmax", 1, qref::kMs);
  t.AddAttr("axis", axis);
  t.AddAttr("opset", opset);
  t.AddInput<T>("X", shape, x);
  t.AddInput<float>("X_scale", {}, {static_cast<float>(sx)});
  t.AddInput<T>("x_zero_point", {}, {static_cast<T>(zx)});
  t.AddInput<float>("y_scale", {}, {static_cast<float>(sy)});
  t.AddInput<T>("y_zero_point", {}, {static_cast<T>(zy)});
  t.AddOutputUnchecked("Y");
  const std::vector<Value> out = t.RunAndGet();
  ASSERT_EQ(out.size(), 1u);
  const Tensor& y = out[0].tensor();
  ASSERT_EQ(y.shape(), shape);
  int exact = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    const int got = y.data<T>()[i], want = expected[i];
    EXPECT_LE(std::abs(got - want), 1) << "element " << i;
    exact += got == want;
  }
  EXPECT_GE(exact * 10, static_cast<int>(expected.size()) * 9);
}

TEST(QLinearSoftmax, Uint8LastAxis) { RunSoftmax<uint8_t>({3, 7}, -1, 13, 3, 7, 1, 100, 0); }
TEST(QLinearSoftmax, Int8MiddleAxis) { RunSoftmax<int8_t>({2, 5, 3}, 1, 13, 2, 5, 3, -3, -128); }
TEST(QLinearSoftmax, Opset12Flattens) { RunSoftmax<uint8_t>({2, 3, 4}, 1, 12, 2, 12, 1, 128, 0); }

}  // namespace
}  // namespace onyx::test

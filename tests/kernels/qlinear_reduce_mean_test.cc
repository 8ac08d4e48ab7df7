// com.microsoft QLinearReduceMean against exact sums: inner, outer and several axes, keepdims on and off.
#include "kernels/op_test.h"
#include "kernels/qlinear_test_util.h"

namespace onyx::test {
namespace {

template <typename T>
void RunReduceMean(const std::vector<int64_t>& axes, bool keepdims, int zx, int zy) {
  const int64_t d0 = 2, d1 = 3, d2 = 5;
  const double sx = 0.5, sy = 0.25;
  const std::vector<T> x = qref::Data<T>(static_cast<int>(d0 * d1 * d2), 9);
  bool r[3] = {false, false, false};
  for (int64_t a : axes) r[a < 0 ? a + 3 : a] = true;
  const int64_t o0 = r[0] ? 1 : d0, o1 = r[1] ? 1 : d1, o2 = r[2] ? 1 : d2;
  std::vector<double> sums(static_cast<size_t>(o0 * o1 * o2), 0.0);
  for (int64_t i = 0; i < d0; ++i) {
    for (int64_t j = 0; j < d1; ++j) {
      for (int64_t k = 0; k < d2; ++k) {
        const int64_t o = ((r[0] ? 0 : i) * o1 + (r[1] ? 0 : j)) * o2 + (r[2] ? 0 : k);
        sums[static_cast<size_t>(o)] += x[static_cast<size_t>((i * d1 + j) * d2 + k)] - zx;
      }
    }
  }
  const double count = static_cast<double>((d0 * d1 * d2) / (o0 * o1 * o2));
  std::vector<T> y;
  for (double s : sums) y.push_back(qref::Quantize<T>(s * sx / count, sy, zy));
  Shape out;
  const int64_t dims[3] = {d0, d1, d2};
  for (int a = 0; a < 3; ++a) {
    if (!r[a]) {
      out.push_back(dims[a]);
    } else if (keepdims) {
      out.push_back(1);
    }
  }
  OpTest t("QLinearReduceMean", 1, qref::kMs);
  t.AddAttr("axes", axes);
  t.AddAttr("keepdims", int64_t{keepdims ? 1 : 0});
  t.AddInput<T>("data", {d0, d1, d2}, x);
  t.AddInput<float>("data_scale", {}, {static_cast<float>(sx)});
  t.AddInput<T>("data_zero_point", {}, {static_cast<T>(zx)});
  t.AddInput<float>("reduced_scale", {}, {static_cast<float>(sy)});
  t.AddInput<T>("reduced_zero_point", {}, {static_cast<T>(zy)});
  t.AddOutput<T>("reduced", out, y);
  t.Run();
}

TEST(QLinearReduceMean, Uint8LastAxisKeep) { RunReduceMean<uint8_t>({-1}, true, 129, 3); }
TEST(QLinearReduceMean, Int8MiddleAxisDrop) { RunReduceMean<int8_t>({1}, false, -6, 9); }
TEST(QLinearReduceMean, Uint8OuterAndInner) { RunReduceMean<uint8_t>({0, 2}, false, 50, 128); }

}  // namespace
}  // namespace onyx::test

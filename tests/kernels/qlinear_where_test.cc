// com.microsoft QLinearWhere: three-way broadcast, each side requantized to the output's scale and zero point.
#include "kernels/op_test.h"
#include "kernels/qlinear_test_util.h"

namespace onyx::test {
namespace {

template <typename T>
void RunWhere(int zx, int zy, int zz) {
  const double sx = 0.5, sy = 0.125, sz = 0.25;
  const std::vector<bool> cond = {true, false, true};  // [3, 1]
  const std::vector<T> x = qref::Data<T>(4, 3);        // [1, 4]
  const std::vector<T> y = qref::Data<T>(12, 4);       // [3, 4]
  std::vector<T> z(12);
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 4; ++j) {
      const double v = cond[static_cast<size_t>(i)] ? (x[static_cast<size_t>(j)] - zx) * sx
                                                    : (y[static_cast<size_t>(i * 4 + j)] - zy) * sy;
      z[static_cast<size_t>(i * 4 + j)] = qref::Quantize<T>(v, sz, zz);
    }
  }
  OpTest t("QLinearWhere", 1, qref::kMs);
  t.AddInput<bool>("condition", {3, 1}, cond);
  t.AddInput<T>("X", {1, 4}, x);
  t.AddInput<float>("x_scale", {}, {static_cast<float>(sx)});
  t.AddInput<T>("x_zero_point", {}, {static_cast<T>(zx)});
  t.AddInput<T>("Y", {3, 4}, y);
  t.AddInput<float>("y_scale", {}, {static_cast<float>(sy)});
  t.AddInput<T>("y_zero_point", {}, {static_cast<T>(zy)});
  t.AddInput<float>("z_scale", {}, {static_cast<float>(sz)});
  t.AddInput<T>("z_zero_point", {}, {static_cast<T>(zz)});
  t.AddOutput<T>("Z", {3, 4}, z);
  t.Run();
}

TEST(QLinearWhere, Uint8) { RunWhere<uint8_t>(120, 9, 130); }
TEST(QLinearWhere, Int8) { RunWhere<int8_t>(-7, 12, 3); }

}  // namespace
}  // namespace onyx::test

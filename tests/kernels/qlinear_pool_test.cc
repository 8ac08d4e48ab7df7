// com.microsoft QLinearGlobalAveragePool and QLinearAveragePool against exact sums: NCHW and channels_last,
// padding counted or not, uint8 and int8.
#include "kernels/op_test.h"
#include "kernels/qlinear_test_util.h"

namespace onyx::test {
namespace {

template <typename T>
void AddPoolQParams(OpTest& t, double sx, int zx, double sy, int zy) {
  t.AddInput<float>("x_scale", {}, {static_cast<float>(sx)});
  t.AddInput<T>("x_zero_point", {}, {static_cast<T>(zx)});
  t.AddInput<float>("y_scale", {}, {static_cast<float>(sy)});
  t.AddInput<T>("y_zero_point", {}, {static_cast<T>(zy)});
}

template <typename T>
void RunGlobal(bool channels_last, int zx, int zy) {
  const int64_t n = 2, c = 3, h = 3, w = 5;
  const double sx = 0.5, sy = 0.25;
  const std::vector<T> x = qref::Data<T>(static_cast<int>(n * c * h * w), 5);
  std::vector<T> y(static_cast<size_t>(n * c));
  for (int64_t b = 0; b < n; ++b) {
    for (int64_t ch = 0; ch < c; ++ch) {
      double sum = 0;
      for (int64_t s = 0; s < h * w; ++s) {
        const int64_t idx = channels_last ? (b * h * w + s) * c + ch : (b * c + ch) * h * w + s;
        sum += x[static_cast<size_t>(idx)] - zx;
      }
      y[static_cast<size_t>(b * c + ch)] = qref::Quantize<T>(sum * sx / static_cast<double>(h * w), sy, zy);
    }
  }
  OpTest t("QLinearGlobalAveragePool", 1, qref::kMs);
  t.AddAttr("channels_last", int64_t{channels_last ? 1 : 0});
  t.AddInput<T>("X", channels_last ? Shape{n, h, w, c} : Shape{n, c, h, w}, x);
  AddPoolQParams<T>(t, sx, zx, sy, zy);
  t.AddOutput<T>("Y", channels_last ? Shape{n, 1, 1, c} : Shape{n, c, 1, 1}, y);
  t.Run();
}

TEST(QLinearGlobalAveragePool, Uint8Nchw) { RunGlobal<uint8_t>(false, 131, 7); }
TEST(QLinearGlobalAveragePool, Int8ChannelsLast) { RunGlobal<int8_t>(true, -9, 4); }

// A 3x3 window, stride 2, padding 1 on [1, 2, 5, 6].
template <typename T>
void RunAverage(bool include_pad, bool channels_last, int zx, int zy) {
  const int64_t c = 2, h = 5, w = 6, oh = 3, ow = 3;
  const double sx = 0.25, sy = 0.125;
  const std::vector<T> x = qref::Data<T>(static_cast<int>(c * h * w), 8);
  auto at = [&](int64_t ch, int64_t i, int64_t j) {
    return x[static_cast<size_t>(channels_last ? (i * w + j) * c + ch : (ch * h + i) * w + j)];
  };
  std::vector<T> y(static_cast<size_t>(c * oh * ow));
  for (int64_t ch = 0; ch < c; ++ch) {
    for (int64_t oi = 0; oi < oh; ++oi) {
      for (int64_t oj = 0; oj < ow; ++oj) {
        double sum = 0;
        int64_t valid = 0, padded = 0;
        for (int64_t ki = 0; ki < 3; ++ki) {
          for (int64_t kj = 0; kj < 3; ++kj) {
            const int64_t i = oi * 2 - 1 + ki, j = oj * 2 - 1 + kj;
            if (i >= -1 && i <= h && j >= -1 && j <= w) ++padded;
            if (i < 0 || i >= h || j < 0 || j >= w) continue;
            sum += at(ch, i, j) - zx;
            ++valid;
          }
        }
        const int64_t idx = channels_last ? (oi * ow + oj) * c + ch : (ch * oh + oi) * ow + oj;
        y[static_cast<size_t>(idx)] =
            qref::Quantize<T>(sum * sx / static_cast<double>(include_pad ? padded : valid), sy, zy);
      }
    }
  }
  OpTest t("QLinearAveragePool", 1, qref::kMs);
  t.AddAttr("kernel_shape", std::vector<int64_t>{3, 3});
  t.AddAttr("strides", std::vector<int64_t>{2, 2});
  t.AddAttr("pads", std::vector<int64_t>{1, 1, 1, 1});
  t.AddAttr("count_include_pad", int64_t{include_pad ? 1 : 0});
  t.AddAttr("channels_last", int64_t{channels_last ? 1 : 0});
  t.AddInput<T>("X", channels_last ? Shape{1, h, w, c} : Shape{1, c, h, w}, x);
  AddPoolQParams<T>(t, sx, zx, sy, zy);
  t.AddOutput<T>("Y", channels_last ? Shape{1, oh, ow, c} : Shape{1, c, oh, ow}, y);
  t.Run();
}

TEST(QLinearAveragePool, Uint8ExcludePad) { RunAverage<uint8_t>(false, false, 120, 10); }
TEST(QLinearAveragePool, Int8IncludePad) { RunAverage<int8_t>(true, false, 5, -3); }
TEST(QLinearAveragePool, Uint8ChannelsLast) { RunAverage<uint8_t>(false, true, 77, 200); }

}  // namespace
}  // namespace onyx::test

namespace onyx::test {

// A QLinearAveragePool window over each whole plane (resnet's final pool) takes a plain pass over the plane; the
// result is the walk's own float expression, checked exactly with a scale ratio that is not a power of two.
template <typename T>
void RunWholePlane(int zx, int zy) {
  const int64_t n = 2, c = 5, h = 7, w = 7;
  const float sx = 0.0371f, sy = 0.0219f;
  const std::vector<T> x = qref::Data<T>(static_cast<int>(n * c * h * w), 7);
  std::vector<T> y;
  for (int64_t p = 0; p < n * c; ++p) {
    int32_t sum = 0;
    for (int64_t s = 0; s < h * w; ++s) sum += static_cast<int32_t>(x[static_cast<size_t>(p * h * w + s)]) - zx;
    const float v = static_cast<float>(sum) * (sx / sy) / static_cast<float>(h * w);
    const float q = std::nearbyint(v) + static_cast<float>(zy);
    y.push_back(static_cast<T>(std::clamp(q, static_cast<float>(std::numeric_limits<T>::min()),
                                          static_cast<float>(std::numeric_limits<T>::max()))));
  }
  OpTest t("QLinearAveragePool", 1, qref::kMs);
  t.AddAttr("kernel_shape", std::vector<int64_t>{h, w});
  t.AddInput<T>("X", {n, c, h, w}, x);
  AddPoolQParams<T>(t, sx, zx, sy, zy);
  t.SetTolerance(0, 0);
  t.AddOutput<T>("Y", {n, c, 1, 1}, y);
  t.Run();
}

TEST(QLinearAveragePool, WholePlaneUint8) { RunWholePlane<uint8_t>(131, 9); }
TEST(QLinearAveragePool, WholePlaneInt8) { RunWholePlane<int8_t>(-7, 3); }

}  // namespace onyx::test

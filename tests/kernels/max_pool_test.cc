#include "kernels/op_test.h"

namespace onyx::test {

namespace {
std::vector<float> Iota(int n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[i] = static_cast<float>(i);
  return v;
}
}  // namespace

TEST(MaxPool, StridedWithIndices) {
  OpTest t("MaxPool", 12);
  t.AddInput<float>("X", {1, 1, 4, 4}, Iota(16));
  t.AddAttr("kernel_shape", std::vector<int64_t>{2, 2});
  t.AddAttr("strides", std::vector<int64_t>{2, 2});
  t.AddOutput<float>("Y", {1, 1, 2, 2}, {5, 7, 13, 15});
  t.AddOutput<int64_t>("Indices", {1, 1, 2, 2}, {5, 7, 13, 15});
  t.Run();
}

TEST(MaxPool, ColumnMajorIndices) {
  OpTest t("MaxPool", 8);
  t.AddInput<float>("X", {1, 1, 4, 4}, Iota(16));
  t.AddAttr("kernel_shape", std::vector<int64_t>{2, 2});
  t.AddAttr("strides", std::vector<int64_t>{2, 2});
  t.AddAttr("storage_order", int64_t{1});
  t.AddOutput<float>("Y", {1, 1, 2, 2}, {5, 7, 13, 15});
  t.AddOutput<int64_t>("Indices", {1, 1, 2, 2}, {5, 13, 7, 15});
  t.Run();
}

TEST(MaxPool, IndicesCountBatchAndChannel) {
  OpTest t("MaxPool", 12);
  t.AddInput<float>("X", {2, 1, 1, 2}, {1, 2, 4, 3});
  t.AddAttr("kernel_shape", std::vector<int64_t>{1, 2});
  t.AddOutput<float>("Y", {2, 1, 1, 1}, {2, 4});
  t.AddOutput<int64_t>("Indices", {2, 1, 1, 1}, {1, 2});
  t.Run();
}

TEST(MaxPool, CeilModeKeepsPartialWindow) {
  OpTest t("MaxPool", 10);
  t.AddInput<float>("X", {1, 1, 3, 3}, Iota(9));
  t.AddAttr("kernel_shape", std::vector<int64_t>{2, 2});
  t.AddAttr("strides", std::vector<int64_t>{2, 2});
  t.AddAttr("ceil_mode", int64_t{1});
  t.AddOutput<float>("Y", {1, 1, 2, 2}, {4, 5, 7, 8});
  t.Run();
}

TEST(MaxPool, Dilations) {
  OpTest t("MaxPool", 12);
  t.AddInput<float>("X", {1, 1, 4, 4}, Iota(16));
  t.AddAttr("kernel_shape", std::vector<int64_t>{2, 2});
  t.AddAttr("dilations", std::vector<int64_t>{2, 2});
  t.AddOutput<float>("Y", {1, 1, 2, 2}, {10, 11, 14, 15});
  t.Run();
}

TEST(MaxPool, PaddingIsIgnored) {
  OpTest t("MaxPool", 12);
  t.AddInput<double>("X", {1, 1, 2}, {-3, -4});
  t.AddAttr("kernel_shape", std::vector<int64_t>{2});
  t.AddAttr("pads", std::vector<int64_t>{1, 1});
  t.AddOutput<double>("Y", {1, 1, 3}, {-3, -3, -4});
  t.Run();
}

TEST(MaxPool, SameUpperAutoPad) {
  OpTest t("MaxPool", 12);
  t.AddInput<float>("X", {1, 1, 3}, {1, 3, 2});
  t.AddAttr("kernel_shape", std::vector<int64_t>{2});
  t.AddAttr("auto_pad", std::string("SAME_UPPER"));
  t.AddOutput<float>("Y", {1, 1, 3}, {3, 3, 2});
  t.Run();
}

TEST(MaxPool, Int8AndUint8) {
  {
    OpTest t("MaxPool", 12);
    t.AddInput<int8_t>("X", {1, 1, 4}, {-5, 3, -1, -7});
    t.AddAttr("kernel_shape", std::vector<int64_t>{2});
    t.AddOutput<int8_t>("Y", {1, 1, 3}, {3, 3, -1});
    t.Run();
  }
  {
    OpTest t("MaxPool", 12);
    t.AddInput<uint8_t>("X", {1, 1, 4}, {200, 3, 255, 1});
    t.AddAttr("kernel_shape", std::vector<int64_t>{2});
    t.AddOutput<uint8_t>("Y", {1, 1, 3}, {200, 255, 255});
    t.Run();
  }
}

TEST(MaxPool, MissingKernelShapeIsAnError) {
  OpTest t("MaxPool", 12);
  t.AddInput<float>("X", {1, 1, 4}, {1, 2, 3, 4});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("kernel_shape");
}

TEST(MaxPool, WindowLargerThanInputIsAnError) {
  OpTest t("MaxPool", 12);
  t.AddInput<float>("X", {1, 1, 2}, {1, 2});
  t.AddAttr("kernel_shape", std::vector<int64_t>{3});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("does not fit");
}

TEST(MaxPool, RankMismatchIsAnError) {
  OpTest t("MaxPool", 12);
  t.AddInput<float>("X", {1, 1, 2, 2}, {1, 2, 3, 4});
  t.AddAttr("kernel_shape", std::vector<int64_t>{2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("kernel");
}

}  // namespace onyx::test

namespace onyx::test {
namespace {

// A 2-D 8-bit MaxPool case against a direct walk of every window (first maximum for Indices).
struct Pool8Case {
  int64_t h, w, kh, kw, sh, sw, pt, pl, pb, pr, dh = 1, dw = 1, ceil = 0;
};

template <typename T>
void RunPool8(const Pool8Case& c, bool with_indices) {
  const int64_t n = 2, ch = 3;
  auto out_dim = [&](int64_t in, int64_t k, int64_t s, int64_t p0, int64_t p1, int64_t d) {
    const int64_t span = in + p0 + p1 - ((k - 1) * d + 1);
    int64_t o = (c.ceil ? (span + s - 1) / s : span / s) + 1;
    if (c.ceil && (o - 1) * s >= in + p0) --o;  // the last window must start inside the input or left padding
    return o;
  };
  const int64_t oh = out_dim(c.h, c.kh, c.sh, c.pt, c.pb, c.dh), ow = out_dim(c.w, c.kw, c.sw, c.pl, c.pr, c.dw);
  std::vector<T> x(static_cast<size_t>(n * ch * c.h * c.w));
  uint32_t seed = 12345;
  for (auto& v : x) {
    seed = seed * 1103515245u + 12345u;
    v = static_cast<T>(static_cast<uint8_t>(seed >> 16));
  }
  std::vector<T> y;
  std::vector<int64_t> ind;
  for (int64_t p = 0; p < n * ch; ++p) {
    for (int64_t r = 0; r < oh; ++r) {
      for (int64_t q = 0; q < ow; ++q) {
        T best = std::numeric_limits<T>::lowest();
        int64_t at = -1;
        for (int64_t i = 0; i < c.kh; ++i) {
          for (int64_t j = 0; j < c.kw; ++j) {
            const int64_t yy = r * c.sh - c.pt + i * c.dh, xx = q * c.sw - c.pl + j * c.dw;
            if (yy < 0 || yy >= c.h || xx < 0 || xx >= c.w) continue;
            const int64_t off = yy * c.w + xx;
            const T v = x[static_cast<size_t>(p * c.h * c.w + off)];
            if (at < 0 || v > best) {
              best = v;
              at = off;
            }
          }
        }
        y.push_back(best);
        ind.push_back(p * c.h * c.w + (at < 0 ? 0 : at));
      }
    }
  }
  OpTest t("MaxPool", 12);
  t.AddInput<T>("X", {n, ch, c.h, c.w}, x);
  t.AddAttr("kernel_shape", std::vector<int64_t>{c.kh, c.kw});
  t.AddAttr("strides", std::vector<int64_t>{c.sh, c.sw});
  t.AddAttr("pads", std::vector<int64_t>{c.pt, c.pl, c.pb, c.pr});
  t.AddAttr("dilations", std::vector<int64_t>{c.dh, c.dw});
  t.AddAttr("ceil_mode", c.ceil);
  t.AddOutput<T>("Y", {n, ch, oh, ow}, y);
  if (with_indices) t.AddOutput<int64_t>("Indices", {n, ch, oh, ow}, ind);
  t.Run();
}

const Pool8Case kPool8Cases[] = {
    {112, 112, 3, 3, 2, 2, 1, 1, 1, 1},  // resnet's stem pool
    {7, 9, 3, 3, 2, 2, 1, 1, 1, 1},
    {13, 17, 3, 3, 2, 2, 0, 0, 0, 0, 1, 1, 1},
    {5, 31, 2, 2, 2, 2, 0, 0, 0, 0},
    {6, 35, 3, 5, 1, 3, 1, 2, 0, 2},
    {9, 10, 4, 3, 3, 1, 2, 1, 1, 0},
    {1, 33, 1, 4, 1, 4, 0, 3, 0, 3},
    {11, 11, 5, 5, 1, 1, 2, 2, 2, 2},
    {8, 8, 3, 3, 2, 2, 1, 1, 1, 1, 2, 2},  // dilated: the generic walk
    {4, 4, 2, 3, 1, 2, 1, 2, 1, 2, 1, 1, 1},
    // 3 x 3, stride 2, unpadded (squeezenet's pools): blocks of 16 and of 8 outputs, a last block that ends at the
    // row's last column, and a plane too narrow for either.
    {111, 111, 3, 3, 2, 2, 0, 0, 0, 0},
    {27, 27, 3, 3, 2, 2, 0, 0, 0, 0},
    {9, 33, 3, 3, 2, 2, 0, 0, 0, 0},
    {6, 40, 3, 3, 2, 2, 0, 0, 0, 0},
    {5, 16, 3, 3, 2, 2, 0, 0, 0, 0},
    {7, 18, 3, 3, 2, 2, 0, 0, 0, 0, 1, 1, 1},
};

// Stride 1 with the output as wide as the input (the whole-plane path): Inception's 3 x 3 pools on planes of 27, 14
// and 7 columns, SPP's 5 x 5, pads that differ left and right, one-column and one-row planes, no vertical pads, and
// a window wider than the plane.
const Pool8Case kStride1Cases[] = {
    {27, 27, 3, 3, 1, 1, 1, 1, 1, 1}, {14, 14, 3, 3, 1, 1, 1, 1, 1, 1}, {7, 7, 3, 3, 1, 1, 1, 1, 1, 1},
    {13, 20, 5, 5, 1, 1, 2, 2, 2, 2}, {9, 6, 4, 4, 1, 1, 1, 1, 2, 2},  {5, 1, 3, 3, 1, 1, 1, 1, 1, 1},
    {1, 9, 3, 3, 1, 1, 1, 1, 1, 1},   {6, 8, 3, 3, 1, 1, 0, 1, 0, 1},  {4, 5, 7, 7, 1, 1, 3, 3, 3, 3},
};

}  // namespace

TEST(MaxPool, StrideOneSameWidthMatchesDirectWalk) {
  for (const auto& c : kStride1Cases) {
    RunPool8<uint8_t>(c, false);
    RunPool8<int8_t>(c, false);
    RunPool8<float>(c, false);
  }
}

TEST(MaxPool, EightBitRowsMatchDirectWalk) {
  for (const auto& c : kPool8Cases) {
    for (bool with_indices : {false, true}) {
      RunPool8<uint8_t>(c, with_indices);
      RunPool8<int8_t>(c, with_indices);
    }
  }
}

}  // namespace onyx::test

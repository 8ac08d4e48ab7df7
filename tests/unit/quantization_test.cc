// The quantizer's arithmetic: scales and zero points exactly as onnxruntime.quantization computes them (the
// expected values were printed by onnxruntime 1.32's quant_utils.compute_scale_zp), range collection and the
// choices of the entropy and percentile methods, weight quantization per channel, SQNR.
#include "onyx/quantization.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <vector>

#include "quantization/rewrite.h"

namespace onyx::quant {
namespace {

struct Case {
  float rmin, rmax;
  QType type;
  bool symmetric, reduce_range;
  uint32_t scale_bits;  // the float scale, bit for bit
  int32_t zero_point;
};

TEST(Quantization, ScaleAndZeroPointMatchOnnxruntime) {
  const Case cases[] = {
      {-1, 2, QType::kUint8, false, false, 1010876609u, 85},
      {-1, 2, QType::kInt8, false, false, 1010876609u, -43},
      {-1, 2, QType::kInt8, true, false, 1015087620u, 0},
      {-1, 2, QType::kUint8, true, false, 1015054465u, 128},
      {-1, 2, QType::kInt8, true, true, 1023410176u, 0},
      {0.5f, 2, QType::kUint8, false, false, 1006665857u, 0},  // the range is widened to hold 0
      {0, 0, QType::kInt8, false, false, 1065353216u, 0},      // empty range: scale 1
      {-0.3f, 7.1f, QType::kInt8, false, false, 1022212743u, -118},
  };
  for (const Case& c : cases) {
    QuantParams p = ComputeQuantParams(c.rmin, c.rmax, c.type, c.symmetric, c.reduce_range);
    EXPECT_EQ(std::bit_cast<uint32_t>(p.scale), c.scale_bits) << c.rmin << " " << c.rmax << " scale " << p.scale;
    EXPECT_EQ(p.zero_point, c.zero_point) << c.rmin << " " << c.rmax;
  }
  EXPECT_EQ(QRange(QType::kInt8, false, false), std::make_pair(-128, 127));
  EXPECT_EQ(QRange(QType::kInt8, true, false), std::make_pair(-127, 127));
  EXPECT_EQ(QRange(QType::kUint8, false, true), std::make_pair(0, 127));
}

TEST(Quantization, MinMaxCollectsOverBatches) {
  RangeCollector c;
  EXPECT_FALSE(c.seen());
  const std::vector<float> a = {0.5f, -1.5f, 2.0f}, b = {NAN, 3.25f, -0.5f};
  c.AddMinMax(a.data(), a.size());
  c.AddMinMax(b.data(), b.size());
  EXPECT_EQ(c.Range(Method::kMinMax, 99.999, 128), std::make_pair(-1.5f, 3.25f));
}

TEST(Quantization, PercentileDropsRareOutliers) {
  // 15984 values in [0, 1) and 16 at 100: 99.9 % of |x| lie below 1. 16000 values get the 1000 bins asked for.
  std::vector<float> x;
  for (int i = 0; i < 15984; ++i) x.push_back(static_cast<float>(i) / 15984.0f);
  for (int i = 0; i < 16; ++i) x.push_back(100.0f);
  RangeCollector c(1000);
  c.AddMinMax(x.data(), x.size());
  c.AddHistogram(x.data(), x.size());
  EXPECT_EQ(c.Range(Method::kMinMax, 0, 128), std::make_pair(0.0f, 100.0f));
  ASSERT_EQ(c.histogram().size(), 1000u);
  // Bins are 0.1 wide: the 99.8th percentile is the upper edge of the tenth bin.
  auto [lo, hi] = c.Range(Method::kPercentile, 99.8, 128);
  EXPECT_EQ(lo, 0.0f);
  EXPECT_FLOAT_EQ(hi, 1.0f);
  // At 100 % the outlier is kept.
  EXPECT_FLOAT_EQ(c.Range(Method::kPercentile, 100.0, 128).second, 100.0f);
  // A small tensor gets 128 bins, however many were asked for.
  RangeCollector small(2048);
  small.AddMinMax(x.data(), 100);
  small.AddHistogram(x.data(), 100);
  EXPECT_EQ(small.histogram().size(), 128u);
}

TEST(Quantization, EntropyClipsALongTailButNotAFlatDistribution) {
  // Flat over every bin: clipping anywhere loses mass, so the whole range is kept.
  std::vector<double> flat(512, 10.0);
  EXPECT_EQ(EntropyThresholdBins(flat, 128), 512u);
  // A decaying head over the first 128 bins and a thin tail of single values up to bin 511 (a Laplace-like
  // activation with a few outliers): resolving the head's shape is worth clipping the tail.
  std::vector<double> tail(512, 0.0);
  for (size_t i = 0; i < 128; ++i) tail[i] = std::round(10000.0 * std::exp(-static_cast<double>(i) / 16.0)) + 1;
  for (size_t i = 130; i < 512; i += 37) tail[i] = 1.0;
  const size_t t = EntropyThresholdBins(tail, 128);
  EXPECT_GE(t, 128u);
  EXPECT_LT(t, 400u);
}

TEST(Quantization, WeightsPerChannelAreSymmetricInt8) {
  // Channel 0 spans [-2, 1], channel 1 [-0.1, 0.4]; axis 0.
  Tensor w = Tensor::FromVector<float>({2, 2}, {1.0f, -2.0f, 0.4f, -0.1f});
  auto q = QuantizeWeight(w, 0, QType::kInt8, true, false);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q.value().scales.size(), 2u);
  EXPECT_FLOAT_EQ(q.value().scales[0], 4.0f / 254.0f);
  EXPECT_FLOAT_EQ(q.value().scales[1], 0.8f / 254.0f);
  EXPECT_EQ(q.value().zero_points, std::vector<int32_t>({0, 0}));
  const int8_t* d = q.value().data.data<int8_t>();
  EXPECT_EQ(d[0], 64);  // 1 / (2/127) = 63.5, rounded to even
  EXPECT_EQ(d[1], -127);
  EXPECT_EQ(d[2], 127);
  EXPECT_EQ(d[3], -32);  // -0.1 / (0.4/127) = -31.75
  // Per tensor: one scale over both channels.
  auto whole = QuantizeWeight(w, -1, QType::kInt8, true, false);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole.value().scales.size(), 1u);
  EXPECT_FLOAT_EQ(whole.value().scales[0], 4.0f / 254.0f);
}

TEST(Quantization, SqnrInDecibels) {
  const std::vector<float> ref = {3, 4}, q = {3, 3.5f};
  EXPECT_NEAR(Sqnr(ref.data(), q.data(), 2), 10.0 * std::log10(25.0 / 0.25), 1e-9);
  EXPECT_TRUE(std::isinf(Sqnr(ref.data(), ref.data(), 2)));
}

}  // namespace
}  // namespace onyx::quant

// com.microsoft DynamicQuantizeLSTM against the float LSTM run on the dequantized weights. The two differ only by
// the dynamic quantization of X and of the hidden state (a fraction of a percent here), while a wrong layout, gate
// order or direction would differ by far more. Bit-level agreement with onnxruntime is checked by
// tests/python/test_ort_quantization.py.
#include <cmath>

#include "kernels/op_test.h"
#include "kernels/qlinear_test_util.h"

namespace onyx::test {
namespace {

constexpr int64_t kSeq = 4, kBatch = 3, kInput = 5, kHidden = 3, kDirs = 2, kGates = 4 * kHidden;

std::vector<float> Wave(size_t n, float freq, float amp) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = amp * std::sin(static_cast<float>(i) * freq + 0.3f);
  return v;
}

template <typename T>
void RunAgainstFloat(bool per_column) {
  // Quantized weights [dirs, k, 4H] and their float equivalents in the ONNX LSTM layout [dirs, 4H, k].
  auto make = [&](int64_t k, int seed, std::vector<T>* q, std::vector<float>* scale, std::vector<T>* zp,
                  std::vector<float>* f) {
    *q = qref::Data<T>(static_cast<int>(kDirs * k * kGates), seed);
    const int64_t per = per_column ? kGates : 1;
    scale->clear();
    zp->clear();
    for (int64_t i = 0; i < kDirs * per; ++i) {
      scale->push_back(0.004f + 0.001f * static_cast<float>(i % 5));
      // onnxruntime requires zero points of int8 weights to be 0.
      zp->push_back(static_cast<T>(std::is_signed_v<T> ? 0 : 120 + i % 7));
    }
    f->assign(static_cast<size_t>(kDirs * kGates * k), 0.0f);
    for (int64_t d = 0; d < kDirs; ++d) {
      for (int64_t r = 0; r < k; ++r) {
        for (int64_t c = 0; c < kGates; ++c) {
          const size_t si = static_cast<size_t>(per_column ? d * kGates + c : d);
          const float v = static_cast<float>((*q)[static_cast<size_t>((d * k + r) * kGates + c)] - (*zp)[si]);
          (*f)[static_cast<size_t>((d * kGates + c) * k + r)] = v * (*scale)[si];
        }
      }
    }
  };
  std::vector<T> wq, rq, wz, rz;
  std::vector<float> ws, rs, wf, rf;
  make(kInput, 1, &wq, &ws, &wz, &wf);
  make(kHidden, 2, &rq, &rs, &rz, &rf);
  const std::vector<float> x = Wave(static_cast<size_t>(kSeq * kBatch * kInput), 0.7f, 1.5f);
  const std::vector<float> b = Wave(static_cast<size_t>(kDirs * 2 * kGates), 1.3f, 0.2f);
  const std::vector<int32_t> lens = {4, 2, 3};
  const std::vector<float> h0 = Wave(static_cast<size_t>(kDirs * kBatch * kHidden), 0.4f, 0.3f);
  const std::vector<float> c0 = Wave(static_cast<size_t>(kDirs * kBatch * kHidden), 0.9f, 0.3f);
  const Shape scale_shape = per_column ? Shape{kDirs, kGates} : Shape{kDirs};

  OpTest f("LSTM", 14);
  f.AddAttr("hidden_size", kHidden);
  f.AddAttr("direction", std::string("bidirectional"));
  f.AddInput<float>("X", {kSeq, kBatch, kInput}, x);
  f.AddInput<float>("W", {kDirs, kGates, kInput}, wf);
  f.AddInput<float>("R", {kDirs, kGates, kHidden}, rf);
  f.AddInput<float>("B", {kDirs, 2 * kGates}, b);
  f.AddInput<int32_t>("sequence_lens", {kBatch}, lens);
  f.AddInput<float>("initial_h", {kDirs, kBatch, kHidden}, h0);
  f.AddInput<float>("initial_c", {kDirs, kBatch, kHidden}, c0);
  for (const char* o : {"Y", "Y_h", "Y_c"}) f.AddOutputUnchecked(o);
  const std::vector<Value> want = f.RunAndGet();

  OpTest q("DynamicQuantizeLSTM", 1, qref::kMs);
  q.AddAttr("hidden_size", kHidden);
  q.AddAttr("direction", std::string("bidirectional"));
  q.AddInput<float>("X", {kSeq, kBatch, kInput}, x);
  q.AddConstantInput<T>("W", {kDirs, kInput, kGates}, wq);
  q.AddConstantInput<T>("R", {kDirs, kHidden, kGates}, rq);
  q.AddInput<float>("B", {kDirs, 2 * kGates}, b);
  q.AddInput<int32_t>("sequence_lens", {kBatch}, lens);
  q.AddInput<float>("initial_h", {kDirs, kBatch, kHidden}, h0);
  q.AddInput<float>("initial_c", {kDirs, kBatch, kHidden}, c0);
  q.AddMissingInput();
  q.AddConstantInput<float>("W_scale", scale_shape, ws);
  q.AddConstantInput<T>("W_zero_point", scale_shape, wz);
  q.AddConstantInput<float>("R_scale", scale_shape, rs);
  q.AddConstantInput<T>("R_zero_point", scale_shape, rz);
  for (const char* o : {"Y", "Y_h", "Y_c"}) q.AddOutputUnchecked(o);
  const std::vector<Value> got = q.RunAndGet();

  ASSERT_EQ(got.size(), 3u);
  for (size_t o = 0; o < 3; ++o) {
    const Tensor& g = got[o].tensor();
    const Tensor& w = want[o].tensor();
    ASSERT_EQ(g.shape(), w.shape()) << "output " << o;
    double worst = 0;
    for (int64_t i = 0; i < g.size(); ++i)
      worst = std::max(worst, std::abs(double{g.data<float>()[i]} - w.data<float>()[i]));
    EXPECT_LT(worst, 0.02) << "output " << o;
  }
  // Steps past a sequence's end stay zero in Y.
  const Tensor& y = got[0].tensor();
  for (int64_t d = 0; d < kDirs; ++d) {
    for (int64_t s = 2; s < kSeq; ++s) {
      for (int64_t j = 0; j < kHidden; ++j)
        EXPECT_EQ(y.data<float>()[((s * kDirs + d) * kBatch + 1) * kHidden + j], 0.0f);
    }
  }
}

TEST(DynamicQuantizeLSTM, Int8PerDirection) { RunAgainstFloat<int8_t>(false); }
TEST(DynamicQuantizeLSTM, Uint8PerColumn) { RunAgainstFloat<uint8_t>(true); }

TEST(DynamicQuantizeLSTM, WrongWeightShapeIsRefused) {
  OpTest q("DynamicQuantizeLSTM", 1, qref::kMs);
  q.AddAttr("hidden_size", int64_t{2});
  q.AddInput<float>("X", {1, 1, 3}, {1, 2, 3});
  q.AddInput<int8_t>("W", {1, 8, 3}, std::vector<int8_t>(24, 1));  // the ONNX LSTM layout, not this operator's
  q.AddInput<int8_t>("R", {1, 2, 8}, std::vector<int8_t>(16, 1));
  for (int i = 0; i < 5; ++i) q.AddMissingInput();
  q.AddInput<float>("W_scale", {1}, {1});
  q.AddInput<int8_t>("W_zero_point", {1}, {0});
  q.AddInput<float>("R_scale", {1}, {1});
  q.AddInput<int8_t>("R_zero_point", {1}, {0});
  q.AddOutputUnchecked("Y");
  q.RunExpectError("must be [1, 3, 8]");
}

}  // namespace
}  // namespace onyx::test

// Builders for the QDQ optimizer tests: models quantized the way onnxruntime's quantizer writes them
// (QuantizeLinear / DequantizeLinear around float operators), and a comparison in quantization steps.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "framework/kernel_registry.h"
#include "unit/optimizer_test_util.h"

namespace onyx::test {

inline int64_t Count(const std::vector<int64_t>& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

inline void AddScale(proto::GraphProto* g, const std::string& name, const std::vector<float>& v, bool scalar = true) {
  auto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(1);
  if (!scalar) t->add_dims(static_cast<int64_t>(v.size()));
  for (float x : v) t->add_float_data(x);
}

// An 8-bit (elem 2 = uint8, 3 = int8) or int32 (6) tensor.
inline void AddIntInit(proto::GraphProto* g, const std::string& name, int elem, const std::vector<int64_t>& dims,
                       const std::vector<int32_t>& v) {
  auto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(elem);
  for (int64_t d : dims) t->add_dims(d);
  for (int32_t x : v) t->add_int32_data(x);
}

inline void AddInt64Init(proto::GraphProto* g, const std::string& name, const std::vector<int64_t>& v) {
  auto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(7);
  t->add_dims(static_cast<int64_t>(v.size()));
  for (int64_t x : v) t->add_int64_data(x);
}

inline std::vector<int32_t> RandomInts(std::mt19937& rng, int64_t n, int lo, int hi) {
  std::uniform_int_distribution<int> dist(lo, hi);
  std::vector<int32_t> v(static_cast<size_t>(n));
  for (auto& x : v) x = dist(rng);
  return v;
}

// out = Q then DQ of `in` with a per-tensor scale and zero point of type `elem` (2 uint8, 3 int8); the quantized
// value is named out + "_q".
inline void AddQdq(proto::GraphProto* g, const std::string& in, const std::string& out, float scale, int zp,
                   int elem = 2) {
  AddScale(g, out + "_s", {scale});
  AddIntInit(g, out + "_z", elem, {}, {zp});
  AddNode(g, "QuantizeLinear", {in, out + "_s", out + "_z"}, {out + "_q"});
  AddNode(g, "DequantizeLinear", {out + "_q", out + "_s", out + "_z"}, {out});
}

// w = DQ(int8 constant of `dims`), per channel along `axis` when per_channel (scales in [0.002, 0.01]); the int8
// weights, scales and zero points are named w + "_q", w + "_s", w + "_z". Returns the scales.
inline std::vector<float> AddWeight(proto::GraphProto* g, const std::string& w, const std::vector<int64_t>& dims,
                                    std::mt19937& rng, bool per_channel, int64_t axis = 0) {
  AddIntInit(g, w + "_q", 3, dims, RandomInts(rng, Count(dims), -127, 127));
  const int64_t c = per_channel ? dims[static_cast<size_t>(axis)] : 1;
  std::uniform_real_distribution<float> dist(0.002f, 0.01f);
  std::vector<float> s(static_cast<size_t>(c));
  for (float& x : s) x = dist(rng);
  AddScale(g, w + "_s", s, !per_channel);
  if (per_channel) {
    AddIntInit(g, w + "_z", 3, {c}, std::vector<int32_t>(static_cast<size_t>(c), 0));
  } else {
    AddIntInit(g, w + "_z", 3, {}, {0});
  }
  auto* dq = AddNode(g, "DequantizeLinear", {w + "_q", w + "_s", w + "_z"}, {w});
  if (per_channel) SetIntAttr(dq, "axis", axis);
  return s;
}

// b = DQ(int32 constant) at scale x_scale * w_scale[m], as the quantizer writes a bias.
inline void AddQuantizedBias(proto::GraphProto* g, const std::string& b, float x_scale, const std::vector<float>& ws,
                             int64_t m, std::mt19937& rng) {
  AddIntInit(g, b + "_q", 6, {m}, RandomInts(rng, m, -2000, 2000));
  std::vector<float> s;
  for (int64_t i = 0; i < m; ++i) s.push_back(x_scale * ws[ws.size() == 1 ? 0 : static_cast<size_t>(i)]);
  AddScale(g, b + "_s", s, false);
  AddIntInit(g, b + "_z", 6, {m}, std::vector<int32_t>(static_cast<size_t>(m), 0));
  SetIntAttr(AddNode(g, "DequantizeLinear", {b + "_q", b + "_s", b + "_z"}, {b}), "axis", 0);
}

// Runs both sessions on the same random float inputs (uniform in [-1, 1]) and expects every output within
// `steps` quantization steps of `step`.
inline void ExpectWithinSteps(const Session& a, const Session& b, float step, float steps = 1.0f, int seed = 5) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<std::pair<std::string, Value>> feeds;
  for (const IoInfo& in : a.inputs()) {
    Shape shape;
    for (const ir::Dim& d : *in.type.shape) shape.push_back(d.known() ? d.value : 2);
    Tensor t = Tensor::Create(DataType::kFloat, shape).take();
    for (float& v : t.mutable_values<float>()) v = dist(rng);
    feeds.emplace_back(in.name, Value(t));
  }
  std::vector<Value> out_a, out_b;
  ASSERT_TRUE(a.Run(feeds, {}, &out_a).ok());
  ASSERT_TRUE(b.Run(feeds, {}, &out_b).ok());
  ASSERT_EQ(out_a.size(), out_b.size());
  for (size_t i = 0; i < out_a.size(); ++i) {
    const Tensor& ta = out_a[i].tensor();
    const Tensor& tb = out_b[i].tensor();
    ASSERT_EQ(ta.shape(), tb.shape());
    ASSERT_EQ(ta.type(), tb.type());
    auto at = [](const Tensor& t, int64_t k) -> float {
      switch (t.type()) {
        case DataType::kUint8:
          return t.data<uint8_t>()[k];
        case DataType::kInt8:
          return t.data<int8_t>()[k];
        default:
          return t.data<float>()[k];
      }
    };
    ASSERT_TRUE(ta.type() == DataType::kFloat || ta.type() == DataType::kUint8 || ta.type() == DataType::kInt8);
    // An 8-bit output (a quantized graph output) is counted in steps of 1.
    const float unit = ta.type() == DataType::kFloat ? step : 1.0f;
    float worst = 0;
    for (int64_t k = 0; k < ta.size(); ++k) worst = std::max(worst, std::fabs(at(ta, k) - at(tb, k)));
    EXPECT_LE(worst, unit * steps * 1.0001f) << "output " << i;
  }
}

inline bool HasCpuKernel(const std::string& domain, const std::string& op) {
  return KernelRegistryFor("CPU").FindByName(domain, op, 1) != nullptr;
}

}  // namespace onyx::test

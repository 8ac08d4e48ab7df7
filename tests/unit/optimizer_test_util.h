// Shared helpers of the optimizer tests: small models in code, sessions at a level, op counts, and the
// comparison of two sessions' outputs on the same random inputs.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "framework/value_compare.h"
#include "session/session.h"
#include "unit/test_models.h"

namespace onyx::test {

inline proto::TensorProto* AddFloatInit(proto::GraphProto* g, const std::string& name, const std::vector<int64_t>& dims,
                                        std::mt19937& rng, float lo = -1, float hi = 1) {
  auto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(1);
  int64_t n = 1;
  for (int64_t d : dims) {
    t->add_dims(d);
    n *= d;
  }
  std::uniform_real_distribution<float> dist(lo, hi);
  for (int64_t i = 0; i < n; ++i) t->add_float_data(dist(rng));
  return t;
}

inline proto::ModelProto BaseModel(int opset = 17) {
  proto::ModelProto m;
  m.set_ir_version(8);
  auto* op = m.add_opset_import();
  op->set_version(opset);
  m.mutable_graph()->set_name("g");
  return m;
}

inline std::unique_ptr<Session> Make(const proto::ModelProto& m, OptimizationLevel level, int threads = 1) {
  std::string bytes = test::Serialize(m);
  SessionOptions o;
  o.intra_op_threads = threads;
  o.optimization_level = level;
  auto s = Session::CreateFromBytes(bytes.data(), bytes.size(), o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? s.take() : nullptr;
}

inline std::map<std::string, int> OpCounts(const Session& s) {
  std::map<std::string, int> counts;
  for (const auto& n : s.model().graph->nodes()) counts[n->op_type()]++;
  return counts;
}

// Runs both sessions on the same random inputs and expects equal outputs (relative 1e-5).
inline void ExpectSameOutputs(const Session& a, const Session& b) {
  std::mt19937 rng(3);
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
  for (size_t i = 0; i < out_a.size(); ++i)
    EXPECT_EQ(CompareValues(out_a[i], out_b[i], {1e-5, 1e-6}), "") << "output " << i;
}

// Runs both sessions on `feeds` and expects every output equal (relative 1e-4, absolute 1e-5: rewrites that change
// the order of float sums).
inline void ExpectSameOutputsOn(const Session& want, const Session& got,
                                const std::vector<std::pair<std::string, Value>>& feeds) {
  std::vector<Value> a, b;
  ASSERT_TRUE(want.Run(feeds, {}, &a).ok());
  ASSERT_TRUE(got.Run(feeds, {}, &b).ok());
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(CompareValues(a[i], b[i], {1e-4, 1e-5}), "") << "output " << i;
}

// A float tensor of `shape` with values uniform in [-1, 1) from `seed`.
inline Tensor RandomFloats(const Shape& shape, uint32_t seed) {
  Tensor t = Tensor::Create(DataType::kFloat, shape).take();
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1, 1);
  for (float& v : t.mutable_values<float>()) v = dist(rng);
  return t;
}

}  // namespace onyx::test

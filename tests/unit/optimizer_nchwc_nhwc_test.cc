// TensorFlow exports keep NHWC at their edges: Transpose NHWC -> NCHW before the first convolution, NCHW -> NHWC after
// the last. In the blocked layout the first convolution reads the NHWC input itself (channels_last_input) and the last
// reorder writes NHWC (channels_last), so neither Transpose runs. Outputs equal the unoptimized graph's; a Transpose
// that others also read, or another permutation, stays.
#include <gtest/gtest.h>

#include <random>

#include "kernels/nchwc_available.h"
#include "unit/optimizer_test_util.h"

namespace onyx {
namespace {

using test::AddFloatInit;
using test::AddNode;
using test::BaseModel;
using test::Make;
using test::OpCounts;
using test::SetIntsAttr;
using test::SetTensorType;

struct Case {
  std::vector<int64_t> in_perm = {0, 3, 1, 2}, out_perm = {0, 2, 3, 1};
  bool input_transpose_also_output = false;
  int64_t channels = 3;
};

// x [1, 9, 11, C] (NHWC) -> Transpose -> Conv 3x3 (C -> 16) -> Relu -> Conv 1x1 (16 -> 10) -> Transpose -> y.
proto::ModelProto TfModel(const Case& c) {
  proto::ModelProto m = BaseModel(17);
  auto* g = m.mutable_graph();
  std::mt19937 rng(31);
  const bool nhwc = c.in_perm == std::vector<int64_t>{0, 3, 1, 2};
  SetTensorType(g->add_input(), "x", 1,
                nhwc ? std::vector<int64_t>{1, 9, 11, c.channels} : std::vector<int64_t>{1, 9, c.channels, 11});
  AddFloatInit(g, "w1", {16, c.channels, 3, 3}, rng);
  AddFloatInit(g, "b1", {16}, rng);
  AddFloatInit(g, "w2", {10, 16, 1, 1}, rng);
  SetIntsAttr(AddNode(g, "Transpose", {"x"}, {"xt"}), "perm", c.in_perm);
  SetIntsAttr(AddNode(g, "Conv", {"xt", "w1", "b1"}, {"a"}), "pads", {1, 1, 1, 1});
  AddNode(g, "Relu", {"a"}, {"r"});
  AddNode(g, "Conv", {"r", "w2"}, {"c"});
  SetIntsAttr(AddNode(g, "Transpose", {"c"}, {"y"}), "perm", c.out_perm);
  for (const char* out : {"y", "xt"}) {
    if (std::string(out) == "xt" && !c.input_transpose_also_output) continue;
    auto* vi = g->add_output();
    vi->set_name(out);
    vi->mutable_type()->mutable_tensor_type()->set_elem_type(1);
  }
  return m;
}

void ExpectSameOutputs(const Session& want, const Session& got, const Shape& x_shape) {
  test::ExpectSameOutputsOn(want, got, {{"x", Value(test::RandomFloats(x_shape, 8))}});
}

TEST(NchwcNhwcEdges, TransposesAtTheEdgesAreAbsorbed) {
  ONYX_SKIP_WITHOUT_NCHWC();
  for (int64_t channels : {3, 8, 11}) {  // a partial block, one whole block, a block and a partial one
    Case c;
    c.channels = channels;
    auto plain = Make(TfModel(c), OptimizationLevel::kDisabled);
    auto all = Make(TfModel(c), OptimizationLevel::kAll);
    ASSERT_TRUE(plain && all);
    auto counts = OpCounts(*all);
    EXPECT_EQ(counts["ReorderFromNchwc"], 1);
    // The input side is absorbed only where the kernel blocks an NCHW input itself (fewer than 8 channels).
    EXPECT_EQ(counts["Transpose"], channels < 8 ? 0 : 1) << channels << " channels";
    ExpectSameOutputs(*plain, *all, {1, 9, 11, channels});
  }
}

TEST(NchwcNhwcEdges, OtherPermutationsAndSharedTransposesStay) {
  ONYX_SKIP_WITHOUT_NCHWC();
  Case shared;  // the NCHW input is also a graph output
  shared.input_transpose_also_output = true;
  Case other;  // [0, 2, 1, 3] on both sides
  other.in_perm = other.out_perm = {0, 2, 1, 3};
  for (const Case& c : {shared, other}) {
    auto plain = Make(TfModel(c), OptimizationLevel::kDisabled);
    auto all = Make(TfModel(c), OptimizationLevel::kAll);
    ASSERT_TRUE(plain && all);
    EXPECT_EQ(OpCounts(*all)["Transpose"], c.input_transpose_also_output ? 1 : 2);
    const bool nhwc = c.in_perm == std::vector<int64_t>{0, 3, 1, 2};
    ExpectSameOutputs(*plain, *all, nhwc ? Shape{1, 9, 11, c.channels} : Shape{1, 9, c.channels, 11});
  }
}

}  // namespace
}  // namespace onyx

namespace onyx {
namespace {

// The attributes these changes added answer bad values with an error naming them, at session creation.
std::string CreationError(const std::string& op, const std::vector<std::pair<std::string, int64_t>>& attrs,
                          const std::vector<int64_t>& x_shape) {
  proto::ModelProto m = test::BaseModel(17);
  auto* opset = m.add_opset_import();
  opset->set_domain("com.onyx");
  opset->set_version(1);
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "x", 1, x_shape);
  std::vector<std::string> ins = {"x"};
  if (op == "NchwcConv") {
    std::mt19937 rng(2);
    test::AddFloatInit(g, "w", {8, 3, 3, 3}, rng);
    ins.push_back("w");
  }
  auto* n = test::AddNode(g, op, ins, {"y"});
  n->set_domain("com.onyx");
  for (const auto& [name, v] : attrs) test::SetIntAttr(n, name, v);
  auto* vi = g->add_output();
  vi->set_name("y");
  vi->mutable_type()->mutable_tensor_type()->set_elem_type(1);
  const std::string bytes = test::Serialize(m);
  SessionOptions o;
  o.optimization_level = OptimizationLevel::kDisabled;
  auto s = Session::CreateFromBytes(bytes.data(), bytes.size(), o);
  return s.ok() ? std::string() : s.status().message();
}

TEST(NchwcNhwcEdges, BadAttributesAreRefusedByName) {
  ONYX_SKIP_WITHOUT_NCHWC();
  std::string e = CreationError("ReorderFromNchwc", {{"channels", 8}, {"channels_last", 2}}, {1, 1, 4, 4, 8});
  EXPECT_NE(e.find("channels_last must be 0 or 1"), std::string::npos) << e;
  e = CreationError("NchwcConv", {{"channels_last_input", 3}}, {1, 4, 4, 3});
  EXPECT_NE(e.find("channels_last_input must be 0 or 1"), std::string::npos) << e;
  e = CreationError("NchwcUpsample", {{"scale_h", 0}, {"scale_w", 2}, {"channels", 8}}, {1, 1, 4, 4, 8});
  EXPECT_NE(e.find("scale_h (0)"), std::string::npos) << e;
  e = CreationError("NchwcDepthToSpace", {{"blocksize", 2}, {"channels", 12}}, {1, 6, 4, 4, 8});
  EXPECT_NE(e.find("channels (12)"), std::string::npos) << e;
}

}  // namespace
}  // namespace onyx

// QDQ propagation across element-moving operators, the near-misses every QDQ fusion refuses, and the
// com.microsoft fusions (checked end to end where the CPU registry has their kernels, and refused where not).
#include <gtest/gtest.h>

#include <functional>

#include "unit/optimizer_qdq_util.h"

namespace onyx {
namespace {

using test::AddIntInit;
using test::AddNode;
using test::AddQdq;
using test::AddScale;
using test::AddWeight;
using test::BaseModel;
using test::ExpectWithinSteps;
using test::HasCpuKernel;
using test::Make;
using test::OpCounts;
using test::SetIntAttr;
using test::SetIntsAttr;
using test::SetTensorType;
using Counts = std::map<std::string, int>;

void ExpectCounts(const proto::ModelProto& m, const Counts& expected, float step, float steps = 1.0f) {
  auto plain = Make(m, OptimizationLevel::kDisabled);
  auto opt = Make(m, OptimizationLevel::kExtended);
  ASSERT_TRUE(plain && opt);
  EXPECT_EQ(OpCounts(*opt), expected);
  ExpectWithinSteps(*plain, *opt, step, steps);
}

// X -> Q/DQ -> op -> Q/DQ(same parameters) -> Y: the DQ moves past op onto the 8-bit tensor, and the DQ -> Q pair
// it meets cancels, leaving Q -> op -> DQ (exact).
TEST(OptimizerQdqPropagation, DequantizeMovesAcrossShapeOperatorsAndMaxPool) {
  struct Case {
    std::string op;
    std::vector<int64_t> out;
  };
  for (const Case& c : std::vector<Case>{{"Transpose", {1, 6, 6, 4}},
                                         {"Reshape", {1, 144}},
                                         {"Flatten", {1, 144}},
                                         {"MaxPool", {1, 4, 3, 3}},
                                         {"Squeeze", {4, 6, 6}},
                                         {"Gather", {1, 2, 6, 6}},
                                         {"Slice", {1, 2, 6, 6}}}) {
    SCOPED_TRACE(c.op);
    proto::ModelProto m = BaseModel(13);
    auto* g = m.mutable_graph();
    SetTensorType(g->add_input(), "X", 1, {1, 4, 6, 6});
    AddQdq(g, "X", "x", 0.01f, 128);
    auto* n = AddNode(g, c.op, {"x"}, {"t"});
    if (c.op == "Transpose") SetIntsAttr(n, "perm", {0, 2, 3, 1});
    if (c.op == "MaxPool") {
      SetIntsAttr(n, "kernel_shape", {2, 2});
      SetIntsAttr(n, "strides", {2, 2});
    }
    if (c.op == "Reshape" || c.op == "Squeeze" || c.op == "Gather" || c.op == "Slice") {
      auto* t = g->add_initializer();
      t->set_name("arg");
      t->set_data_type(7);
      t->add_dims(c.op == "Reshape" || c.op == "Gather" ? 2 : 1);
      if (c.op == "Reshape") {
        t->add_int64_data(1);
        t->add_int64_data(144);
      } else if (c.op == "Gather") {
        t->add_int64_data(3);
        t->add_int64_data(1);
      } else {
        t->add_int64_data(c.op == "Squeeze" ? 0 : 1);
      }
      n->add_input("arg");
      if (c.op == "Gather") SetIntAttr(n, "axis", 1);
      if (c.op == "Slice") {
        test::AddInt64Init(g, "ends", {3});
        test::AddInt64Init(g, "axes", {1});
        n->add_input("ends");
        n->add_input("axes");
      }
    }
    AddScale(g, "ys", {0.01f});
    AddIntInit(g, "yz", 2, {}, {128});
    AddNode(g, "QuantizeLinear", {"t", "ys", "yz"}, {"tq"});
    AddNode(g, "DequantizeLinear", {"tq", "ys", "yz"}, {"Y"});
    SetTensorType(g->add_output(), "Y", 1, c.out);
    ExpectCounts(m, {{"QuantizeLinear", 1}, {c.op, 1}, {"DequantizeLinear", 1}}, 0.01f, 0.0f);
  }
}

TEST(OptimizerQdqPropagation, QuantizeMovesUpAcrossReshapeToReachTheProduct) {
  // DQ -> MatMul -> Reshape -> Q: the Q moves above the Reshape, and the MatMul fuses.
  std::mt19937 rng(5);
  proto::ModelProto m = BaseModel(13);
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {4, 16});
  AddQdq(g, "X", "x", 0.01f, 128);
  AddWeight(g, "w", {16, 8}, rng, false);
  AddNode(g, "MatMul", {"x", "w"}, {"c"});
  test::AddInt64Init(g, "shape", {2, 16});
  AddNode(g, "Reshape", {"c", "shape"}, {"r"});
  AddQdq(g, "r", "Y", 0.02f, 128);
  SetTensorType(g->add_output(), "Y", 1, {2, 16});
  ExpectCounts(m, {{"QuantizeLinear", 1}, {"QLinearMatMul", 1}, {"Reshape", 1}, {"DequantizeLinear", 1}}, 0.02f);
}

// X -> MaxPool -> Q/DQ -> Y (a float pool, as after LRN): the Q moves above the pool, which then pools bytes;
// exact, since Q with a positive scale never decreases. A pool whose indices are read stays float.
TEST(OptimizerQdqPropagation, QuantizeMovesUpAcrossMaxPool) {
  for (bool indices_read : {false, true}) {
    SCOPED_TRACE(indices_read);
    proto::ModelProto m = BaseModel(13);
    auto* g = m.mutable_graph();
    SetTensorType(g->add_input(), "X", 1, {1, 3, 7, 9});
    auto* pool = AddNode(g, "MaxPool", {"X"},
                         indices_read ? std::vector<std::string>{"p", "idx"} : std::vector<std::string>{"p"});
    SetIntsAttr(pool, "kernel_shape", {3, 3});
    SetIntsAttr(pool, "strides", {2, 2});
    SetIntsAttr(pool, "pads", {1, 1, 1, 1});
    AddQdq(g, "p", "Y", 0.003f, 7);
    SetTensorType(g->add_output(), "Y", 1, {1, 3, 4, 5});
    if (indices_read) SetTensorType(g->add_output(), "idx", 7, {1, 3, 4, 5});
    // (The outputs are compared where they are all quantized values; the indices are int64.)
    if (!indices_read) ExpectCounts(m, {{"QuantizeLinear", 1}, {"MaxPool", 1}, {"DequantizeLinear", 1}}, 0.003f, 0.0f);
    auto opt = Make(m, OptimizationLevel::kExtended);
    ASSERT_TRUE(opt);
    EXPECT_EQ(OpCounts(*opt), (Counts{{"QuantizeLinear", 1}, {"MaxPool", 1}, {"DequantizeLinear", 1}}));
    // Where the Q went: before the pool (the pool reads its output), or still after it.
    bool q_first = false;
    for (const auto& n : opt->model().graph->nodes()) {
      if (n->op_type() == "MaxPool")
        q_first = n->input(0)->producer() && n->input(0)->producer()->op_type() == "QuantizeLinear";
    }
    EXPECT_EQ(q_first, !indices_read);
  }
}

TEST(OptimizerQdqPropagation, NearMissesStay) {
  // A DQ read twice does not move (the other reader needs the float value here).
  {
    proto::ModelProto m = BaseModel(13);
    auto* g = m.mutable_graph();
    SetTensorType(g->add_input(), "X", 1, {2, 3});
    AddQdq(g, "X", "x", 0.01f, 128);
    SetIntsAttr(AddNode(g, "Transpose", {"x"}, {"t"}), "perm", {1, 0});
    AddQdq(g, "t", "Y", 0.01f, 128);
    AddNode(g, "Relu", {"x"}, {"Z"});
    SetTensorType(g->add_output(), "Y", 1, {3, 2});
    SetTensorType(g->add_output(), "Z", 1, {2, 3});
    ExpectCounts(m, {{"QuantizeLinear", 2}, {"DequantizeLinear", 2}, {"Transpose", 1}, {"Relu", 1}}, 0.01f, 0.0f);
  }
  // DQ -> Q of different types (a requantization) stays.
  {
    proto::ModelProto m = BaseModel(13);
    auto* g = m.mutable_graph();
    SetTensorType(g->add_input(), "X", 1, {2, 3});
    AddQdq(g, "X", "x", 0.01f, 128);
    AddQdq(g, "x", "Y", 0.01f, 0, 3);
    SetTensorType(g->add_output(), "Y", 1, {2, 3});
    ExpectCounts(m, {{"QuantizeLinear", 2}, {"DequantizeLinear", 2}}, 0.01f, 0.0f);
  }
}

// X -> Q/DQ -> Conv(DQ(w)) -> Q/DQ -> Y with one thing changed by `edit`; the Conv must stay float.
void ExpectConvNotFused(const std::function<void(proto::GraphProto*)>& edit, const Counts& expected) {
  std::mt19937 rng(6);
  proto::ModelProto m = BaseModel(13);
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {1, 4, 5, 5});
  AddQdq(g, "X", "x", 0.01f, 128);
  AddWeight(g, "w", {8, 4, 1, 1}, rng, true);
  AddNode(g, "Conv", {"x", "w"}, {"c"});
  AddQdq(g, "c", "Y", 0.05f, 128);
  SetTensorType(g->add_output(), "Y", 1, {1, 8, 5, 5});
  edit(g);
  ExpectCounts(m, expected, 0.05f);
}

TEST(OptimizerQdqFusion, NearMissesStayFloat) {
  const Counts unfused = {{"QuantizeLinear", 2}, {"DequantizeLinear", 2}, {"Conv", 1}};
  // The Q's output is also a graph output.
  ExpectConvNotFused(
      [](proto::GraphProto* g) {
        SetTensorType(g->add_output(), "Y_q", 2, {1, 8, 5, 5});
      },
      {{"QuantizeLinear", 2}, {"DequantizeLinear", 2}, {"Conv", 1}});
  // The float output has another reader.
  ExpectConvNotFused(
      [](proto::GraphProto* g) {
        AddNode(g, "Relu", {"c"}, {"Z"});
        SetTensorType(g->add_output(), "Z", 1, {1, 8, 5, 5});
      },
      {{"QuantizeLinear", 2}, {"DequantizeLinear", 2}, {"Conv", 1}, {"Relu", 1}});
  // Weights quantized along the wrong axis (per input channel).
  ExpectConvNotFused(
      [](proto::GraphProto* g) {
        for (auto& n : *g->mutable_node()) {
          if (n.output(0) == "w") n.mutable_attribute(0)->set_i(1);
        }
        for (auto& t : *g->mutable_initializer()) {
          if (t.name() == "w_s" || t.name() == "w_z") {
            while (t.float_data_size() > 4) t.mutable_float_data()->RemoveLast();
            while (t.int32_data_size() > 4) t.mutable_int32_data()->RemoveLast();
            t.set_dims(0, 4);
          }
        }
      },
      {{"QuantizeLinear", 2}, {"DequantizeLinear", 2}, {"Conv", 1}});
  // A per-channel activation scale.
  ExpectConvNotFused(
      [](proto::GraphProto* g) {
        for (auto& t : *g->mutable_initializer()) {
          if (t.name() == "x_s") {
            t.clear_float_data();
            t.add_dims(4);
            for (int i = 0; i < 4; ++i) t.add_float_data(0.01f * static_cast<float>(i + 1));
          }
          if (t.name() == "x_z") {
            t.clear_int32_data();
            t.add_dims(4);
            for (int i = 0; i < 4; ++i) t.add_int32_data(128);
          }
        }
        for (auto& n : *g->mutable_node()) {
          if (n.input(0) == "X" || n.output(0) == "x") SetIntAttr(&n, "axis", 1);
        }
      },
      unfused);
}

TEST(OptimizerQdqFusion, NonConstantScaleStaysFloat) {
  // Y_s is an initializer and a graph input: a feed may replace it, so it is no constant (counts only: random
  // feeds would give it negative values).
  std::mt19937 rng(6);
  proto::ModelProto m = BaseModel(13);
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {1, 4, 5, 5});
  SetTensorType(g->add_input(), "Y_s", 1, {});
  AddQdq(g, "X", "x", 0.01f, 128);
  AddWeight(g, "w", {8, 4, 1, 1}, rng, true);
  AddNode(g, "Conv", {"x", "w"}, {"c"});
  AddQdq(g, "c", "Y", 0.05f, 128);
  SetTensorType(g->add_output(), "Y", 1, {1, 8, 5, 5});
  auto opt = Make(m, OptimizationLevel::kExtended);
  ASSERT_TRUE(opt);
  EXPECT_EQ(OpCounts(*opt), (Counts{{"QuantizeLinear", 2}, {"DequantizeLinear", 2}, {"Conv", 1}}));
}

// A -> Q/DQ, B -> Q/DQ -> op -> Q/DQ -> Y for the com.microsoft fusions.
proto::ModelProto ElementwiseModel(const std::string& op, int b_elem = 2) {
  proto::ModelProto m = BaseModel(13);
  auto* g = m.mutable_graph();
  const bool unary = op != "Add" && op != "Mul" && op != "Concat";
  SetTensorType(g->add_input(), "A", 1, {1, 4, 3, 3});
  AddQdq(g, "A", "a", 0.01f, 128);
  std::vector<std::string> ins = {"a"};
  if (!unary) {
    SetTensorType(g->add_input(), "B", 1, {1, 4, 3, 3});
    AddQdq(g, "B", "b", 0.008f, b_elem == 2 ? 120 : 0, b_elem);
    ins.push_back("b");
  }
  auto* n = AddNode(g, op, ins, {"c"});
  std::vector<int64_t> out = {1, 4, 3, 3};
  if (op == "Concat") {
    SetIntAttr(n, "axis", 1);
    out[1] = 8;
  }
  if (op == "GlobalAveragePool") out = {1, 4, 1, 1};
  if (op == "AveragePool") {
    SetIntsAttr(n, "kernel_shape", {2, 2});
    out = {1, 4, 2, 2};
  }
  AddQdq(g, "c", "Y", op == "Softmax" || op == "Sigmoid" ? 1.0f / 256 : 0.02f,
         op == "Softmax" || op == "Sigmoid" ? 0 : 128);
  SetTensorType(g->add_output(), "Y", 1, out);
  return m;
}

TEST(OptimizerQdqFusion, ComMicrosoftFusionsFollowTheKernelRegistry) {
  const std::map<std::string, std::string> fused = {{"Add", "QLinearAdd"},
                                                    {"Mul", "QLinearMul"},
                                                    {"Concat", "QLinearConcat"},
                                                    {"AveragePool", "QLinearAveragePool"},
                                                    {"GlobalAveragePool", "QLinearGlobalAveragePool"},
                                                    {"Sigmoid", "QLinearSigmoid"},
                                                    {"LeakyRelu", "QLinearLeakyRelu"},
                                                    {"Softmax", "QLinearSoftmax"}};
  for (const auto& [op, q] : fused) {
    SCOPED_TRACE(op);
    const bool binary = op == "Add" || op == "Mul" || op == "Concat";
    const int inputs = binary ? 2 : 1;
    const float step = op == "Softmax" || op == "Sigmoid" ? 1.0f / 256 : 0.02f;
    if (HasCpuKernel("com.microsoft", q)) {
      ExpectCounts(ElementwiseModel(op), {{"QuantizeLinear", inputs}, {q, 1}, {"DequantizeLinear", 1}}, step);
    } else {
      ExpectCounts(ElementwiseModel(op), {{"QuantizeLinear", inputs + 1}, {"DequantizeLinear", inputs + 1}, {op, 1}},
                   step);
    }
  }
  // Mismatched 8-bit types (u8 and s8 operands) never fuse.
  ExpectCounts(ElementwiseModel("Add", 3), {{"QuantizeLinear", 3}, {"DequantizeLinear", 3}, {"Add", 1}}, 0.02f);
}

TEST(OptimizerQdqFusion, DynamicQuantizeMatMulFollowsTheKernelRegistry) {
  // quantize_dynamic's MatMul: DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul(Mul(a_scale, b_scale)).
  std::mt19937 rng(8);
  proto::ModelProto m = BaseModel(13);
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "X", 1, {3, 16});
  AddNode(g, "DynamicQuantizeLinear", {"X"}, {"xq", "xs", "xz"});
  AddIntInit(g, "w", 3, {16, 8}, test::RandomInts(rng, 128, -127, 127));
  AddIntInit(g, "wz", 3, {}, {0});
  AddScale(g, "ws", {0.004f});
  AddNode(g, "MatMulInteger", {"xq", "w", "xz", "wz"}, {"acc"});
  SetIntAttr(AddNode(g, "Cast", {"acc"}, {"accf"}), "to", 1);
  AddNode(g, "Mul", {"xs", "ws"}, {"scale"});
  AddNode(g, "Mul", {"accf", "scale"}, {"Y"});
  SetTensorType(g->add_output(), "Y", 1, {3, 8});
  Counts expected = {{"DynamicQuantizeLinear", 1}, {"MatMulInteger", 1}, {"Cast", 1}, {"Mul", 2}};
  if (HasCpuKernel("com.microsoft", "DynamicQuantizeMatMul") && HasCpuKernel("com.microsoft", "MatMulIntegerToFloat")) {
    expected = {{"DynamicQuantizeMatMul", 1}};
  } else if (HasCpuKernel("com.microsoft", "MatMulIntegerToFloat")) {
    expected = {{"DynamicQuantizeLinear", 1}, {"MatMulIntegerToFloat", 1}};
  }
  ExpectCounts(m, expected, 1e-4f);
}

}  // namespace
}  // namespace onyx

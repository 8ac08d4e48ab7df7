// Values of shape tensors followed by shape inference (src/ir/shape_values.cc): Reshape/Expand/ConstantOfShape
// targets computed at run time from Shape(x) get x's symbolic dims, so that models exported with dynamic axes
// have the shapes the optimizer's matchers need; data-dependent or doubtful dims stay unknown.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "format/model_loader.h"
#include "ir/shape_inference.h"
#include "unit/optimizer_test_util.h"

namespace onyx {
namespace {

using test::AddFloatInit;
using test::BaseModel;
using test::ExpectSameOutputs;
using test::Make;
using test::OpCounts;
using Counts = std::map<std::string, int>;

// ---- model building ----

proto::NodeProto* Node(proto::GraphProto* g, const std::string& op, const std::vector<std::string>& ins,
                       const std::string& out) {
  return test::AddNode(g, op, ins, {out});
}
void IntAttr(proto::NodeProto* n, const std::string& name, int64_t v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(proto::AttributeProto::INT);
  a->set_i(v);
}
void IntsAttr(proto::NodeProto* n, const std::string& name, const std::vector<int64_t>& v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(proto::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}
void FillInts(proto::TensorProto* t, const std::vector<int64_t>& v, bool scalar) {
  t->set_data_type(7);
  if (!scalar) t->add_dims(static_cast<int64_t>(v.size()));
  for (int64_t x : v) t->add_int64_data(x);
}
// An int64 initializer (1-D, or a scalar).
void Ints(proto::GraphProto* g, const std::string& name, const std::vector<int64_t>& v, bool scalar = false) {
  auto* t = g->add_initializer();
  t->set_name(name);
  FillInts(t, v, scalar);
}
// The same as a Constant node, as PyTorch exports it.
void ConstInts(proto::GraphProto* g, const std::string& name, const std::vector<int64_t>& v, bool scalar = false) {
  auto* a = Node(g, "Constant", {}, name)->add_attribute();
  a->set_name("value");
  a->set_type(proto::AttributeProto::TENSOR);
  FillInts(a->mutable_t(), v, scalar);
}
void Scalar(proto::GraphProto* g, const std::string& name, float v) {
  auto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(1);
  t->add_float_data(v);
}
// A graph output with only its element type declared, so that its shape is what inference finds.
void Output(proto::GraphProto* g, const std::string& name, int elem = 1) {
  auto* vi = g->add_output();
  vi->set_name(name);
  vi->mutable_type()->mutable_tensor_type()->set_elem_type(elem);
}
// X: float [batch, seq, hidden].
proto::ModelProto DynamicModel(int opset = 17, int64_t hidden = 768) {
  proto::ModelProto m = BaseModel(opset);
  test::SetTensorType(m.mutable_graph()->add_input(), "X", 1, {-1, -1, hidden}, {"batch", "seq"});
  return m;
}

// Builds a session without optimizing and returns the inferred type of `name` as "[batch,seq,12,64]".
std::string InferredShape(const proto::ModelProto& m, const std::string& name) {
  auto s = Make(m, OptimizationLevel::kDisabled);
  if (!s) return "<no session>";
  const ir::Value* v = s->model().graph->FindValue(name);
  return v ? v->type().ShapeString() : "<no value>";
}

// bsz1 = Unsqueeze(Gather(shape, 0)), seq1 = Unsqueeze(Gather(shape, 1)) with PyTorch's Constant nodes.
void AppendBatchSeq(proto::GraphProto* g, const std::string& shape, const std::string& p, int opset) {
  ConstInts(g, p + "i0", {0}, /*scalar=*/true);
  ConstInts(g, p + "i1", {1}, /*scalar=*/true);
  Node(g, "Gather", {shape, p + "i0"}, p + "bsz");
  Node(g, "Gather", {shape, p + "i1"}, p + "seq");
  for (const char* n : {"bsz", "seq"}) {
    if (opset >= 13) {
      ConstInts(g, p + n + "_axes", {0});
      Node(g, "Unsqueeze", {p + n, p + n + "_axes"}, p + n + "1");
    } else {
      IntsAttr(Node(g, "Unsqueeze", {p + n}, p + n + "1"), "axes", {0});
    }
  }
}

// ---- inference of values ----

TEST(ShapeValues, ShapeGatherUnsqueezeConcatGivesSymbolicReshape) {
  for (int opset : {11, 13, 17}) {
    SCOPED_TRACE("opset " + std::to_string(opset));
    proto::ModelProto m = DynamicModel(opset);
    auto* g = m.mutable_graph();
    Node(g, "Shape", {"X"}, "shape");
    AppendBatchSeq(g, "shape", "", opset);
    ConstInts(g, "heads", {12});
    Ints(g, "head_size", {64});
    IntAttr(Node(g, "Concat", {"bsz1", "seq1", "heads", "head_size"}, "target"), "axis", 0);
    Node(g, "Reshape", {"X", "target"}, "Y");
    Output(g, "Y");
    EXPECT_EQ(InferredShape(m, "Y"), "[batch,seq,12,64]");
    EXPECT_EQ(InferredShape(m, "target"), "[4]");
    EXPECT_EQ(InferredShape(m, "bsz"), "[]");
  }
}

TEST(ShapeValues, ShapeSliceConcatAndShapeStartEnd) {
  proto::ModelProto m = DynamicModel(17);
  auto* g = m.mutable_graph();
  Node(g, "Shape", {"X"}, "shape");
  Ints(g, "starts", {0});
  Ints(g, "ends", {2});
  Node(g, "Slice", {"shape", "starts", "ends"}, "bs");
  Ints(g, "hidden", {768});
  IntAttr(Node(g, "Concat", {"bs", "hidden"}, "target"), "axis", 0);
  Node(g, "Reshape", {"X", "target"}, "Y");
  Output(g, "Y");
  // Shape with start/end (opset 15) and a negative-step Slice: [768, seq] in reverse order of the last two.
  auto* tail = Node(g, "Shape", {"X"}, "tail");
  IntAttr(tail, "start", -2);
  Ints(g, "rs", {-1});
  Ints(g, "re", {-3});
  Ints(g, "raxes", {0});
  Ints(g, "rsteps", {-1});
  Node(g, "Slice", {"tail", "rs", "re", "raxes", "rsteps"}, "rev");
  Node(g, "ConstantOfShape", {"rev"}, "Z");
  Output(g, "Z");
  EXPECT_EQ(InferredShape(m, "Y"), "[batch,seq,768]");
  EXPECT_EQ(InferredShape(m, "Z"), "[768,seq]");
}

TEST(ShapeValues, ReshapeWithZeroAndMinusOne) {
  proto::ModelProto m = DynamicModel(17);
  auto* g = m.mutable_graph();
  Ints(g, "split", {0, 0, -1, 64});
  Node(g, "Reshape", {"X", "split"}, "Y");  // [batch, seq, 12, 64]
  Ints(g, "flat", {-1, 768});
  Node(g, "Reshape", {"X", "flat"}, "F");  // [batch*seq, 768]
  Ints(g, "merge", {0, -1});
  Node(g, "Reshape", {"Y", "merge"}, "M");  // [batch, seq*768]
  // Back from [batch, 768*seq] with the batch and sequence read from X: a 0 there would copy M's dim, which
  // is 0 whenever the symbol is, so the symbols are certain, and -1 is what is left of the size.
  Node(g, "Shape", {"X"}, "shape");
  AppendBatchSeq(g, "shape", "", 17);
  Ints(g, "rest", {-1});
  IntAttr(Node(g, "Concat", {"bsz1", "seq1", "rest"}, "target"), "axis", 0);
  Node(g, "Reshape", {"M", "target"}, "U");
  // From F = [batch*seq, 768] the seq would not be certain: with seq = 0 Reshape copies F's 768 there.
  Ints(g, "heads", {12, -1});
  IntAttr(Node(g, "Concat", {"bsz1", "seq1", "heads"}, "target4"), "axis", 0);
  Node(g, "Reshape", {"F", "target4"}, "V");
  for (const char* o : {"Y", "F", "M", "U", "V"}) Output(g, o);
  EXPECT_EQ(InferredShape(m, "Y"), "[batch,seq,12,64]");
  EXPECT_EQ(InferredShape(m, "F"), "[batch*seq,768]");
  EXPECT_EQ(InferredShape(m, "M"), "[batch,768*seq]");
  EXPECT_EQ(InferredShape(m, "U"), "[batch,seq,768]");
  EXPECT_EQ(InferredShape(m, "V"), "[batch,?,12,?]");
  // The symbolic shapes are also right at run time.
  auto s = Make(m, OptimizationLevel::kDisabled);
  ASSERT_TRUE(s);
  Tensor x = Tensor::Create(DataType::kFloat, {2, 3, 768}).take();
  std::vector<Value> outs;
  ASSERT_TRUE(s->Run({{"X", Value(x)}}, {}, &outs).ok());
  EXPECT_EQ(outs[0].tensor().shape(), (Shape{2, 3, 12, 64}));
  EXPECT_EQ(outs[1].tensor().shape(), (Shape{6, 768}));
  EXPECT_EQ(outs[2].tensor().shape(), (Shape{2, 3 * 768}));
  EXPECT_EQ(outs[3].tensor().shape(), (Shape{2, 3, 768}));
  EXPECT_EQ(outs[4].tensor().shape(), (Shape{2, 3, 12, 64}));
}

TEST(ShapeValues, ExpandAndConstantOfShapeFromShape) {
  proto::ModelProto m = DynamicModel(17);
  auto* g = m.mutable_graph();
  Node(g, "Shape", {"X"}, "shape");
  Node(g, "ConstantOfShape", {"shape"}, "zeros");
  std::mt19937 rng(1);
  AddFloatInit(g, "row", {1, 1, 768}, rng);
  Node(g, "Expand", {"row", "shape"}, "E");
  Ints(g, "ones", {1, 1});
  Node(g, "Concat", {"ones", "shape"}, "shape5");
  IntAttr(g->mutable_node(g->node_size() - 1), "axis", 0);
  Node(g, "Expand", {"X", "shape5"}, "E5");  // [1, 1, batch, seq, 768]
  Ints(g, "reps", {1, 2, 1});
  Node(g, "Tile", {"X", "reps"}, "T");  // [batch, 2*seq, 768]
  for (const char* o : {"zeros", "E", "E5", "T"}) Output(g, o);
  EXPECT_EQ(InferredShape(m, "zeros"), "[batch,seq,768]");
  EXPECT_EQ(InferredShape(m, "E"), "[batch,seq,768]");
  EXPECT_EQ(InferredShape(m, "E5"), "[1,1,batch,seq,768]");
  EXPECT_EQ(InferredShape(m, "T"), "[batch,2*seq,768]");
}

TEST(ShapeValues, CastMulAndDivOnPieces) {
  proto::ModelProto m = DynamicModel(17);
  auto* g = m.mutable_graph();
  Node(g, "Shape", {"X"}, "shape");
  AppendBatchSeq(g, "shape", "", 17);
  IntAttr(Node(g, "Cast", {"bsz"}, "bsz32"), "to", 6);
  IntAttr(Node(g, "Cast", {"bsz32"}, "bsz64"), "to", 7);
  Node(g, "Mul", {"bsz64", "seq"}, "rows");  // batch*seq
  ConstInts(g, "i2", {2}, true);
  Node(g, "Gather", {"shape", "i2"}, "hidden");  // 768
  ConstInts(g, "twelve", {12}, true);
  Node(g, "Div", {"hidden", "twelve"}, "head_size");  // 64
  ConstInts(g, "zero_axis", {0});
  Node(g, "Unsqueeze", {"rows", "zero_axis"}, "rows1");
  Node(g, "Unsqueeze", {"head_size", "zero_axis"}, "hs1");
  ConstInts(g, "twelve1", {12});
  IntAttr(Node(g, "Concat", {"rows1", "twelve1", "hs1"}, "target"), "axis", 0);
  Ints(g, "flat", {-1, 768});
  Node(g, "Reshape", {"X", "flat"}, "F");  // [batch*seq, 768]
  Node(g, "Reshape", {"F", "target"}, "Y");
  // Straight from X the product is not certain: with seq = 0 Reshape copies X's batch there.
  Node(g, "Reshape", {"X", "target"}, "YX");
  // A scalar made 1-D by Reshape and back by Squeeze.
  Ints(g, "one", {1});
  Node(g, "Reshape", {"head_size", "one"}, "hs_vec");
  Node(g, "Squeeze", {"hs_vec"}, "hs_scalar");
  Node(g, "Unsqueeze", {"hs_scalar", "zero_axis"}, "hs_again");
  Node(g, "ConstantOfShape", {"hs_again"}, "Z");
  Output(g, "Y");
  Output(g, "YX");
  Output(g, "Z");
  EXPECT_EQ(InferredShape(m, "Y"), "[batch*seq,12,64]");
  EXPECT_EQ(InferredShape(m, "YX"), "[?,12,64]");
  EXPECT_EQ(InferredShape(m, "Z"), "[64]");
}

TEST(ShapeValues, SymbolicArithmetic) {
  using ir::SymInt;
  const SymInt b = SymInt::Symbol("batch"), s = SymInt::Symbol("seq");
  EXPECT_EQ(ir::SymMul(b, s), SymInt::Symbol("batch*seq"));
  EXPECT_EQ(ir::SymMul(s, b), SymInt::Symbol("batch*seq"));  // one name per product
  EXPECT_EQ(ir::SymMul(SymInt::Known(12), ir::SymMul(s, b)), SymInt::Symbol("12*batch*seq"));
  EXPECT_EQ(ir::SymMul(SymInt::Known(0), SymInt::Unknown()), SymInt::Known(0));
  EXPECT_EQ(ir::SymMul(SymInt::Known(-1), b), SymInt::Unknown());
  EXPECT_EQ(ir::SymDiv(SymInt::Symbol("12*batch*seq"), SymInt::Known(4)), SymInt::Symbol("3*batch*seq"));
  EXPECT_EQ(ir::SymDiv(SymInt::Symbol("12*batch*seq"), SymInt::Symbol("batch")), SymInt::Symbol("12*seq"));
  EXPECT_EQ(ir::SymDiv(SymInt::Symbol("seq*12*batch"), SymInt::Symbol("12*seq*batch")), SymInt::Known(1));
  EXPECT_EQ(ir::SymDiv(SymInt::Symbol("12*batch"), SymInt::Known(5)), SymInt::Unknown());
  EXPECT_EQ(ir::SymDiv(b, s), SymInt::Unknown());
  EXPECT_EQ(ir::SymDiv(SymInt::Known(-7), SymInt::Known(2)), SymInt::Known(-3));  // truncation, as Div
  EXPECT_EQ(ir::SymDiv(SymInt::Known(7), SymInt::Known(0)), SymInt::Unknown());
  EXPECT_EQ(ir::SymAdd(b, SymInt::Known(0)), b);
  EXPECT_EQ(ir::SymAdd(b, SymInt::Known(1)), SymInt::Unknown());
  EXPECT_EQ(ir::SymSub(ir::SymMul(b, s), ir::SymMul(s, b)), SymInt::Known(0));
  EXPECT_EQ(ir::SymSub(b, s), SymInt::Unknown());
  EXPECT_EQ(ir::SymMul(SymInt::Known(INT64_MAX), SymInt::Known(2)), SymInt::Unknown());
  // A param that is not a product of names stays one opaque name.
  EXPECT_EQ(ir::SymMul(SymInt::Symbol("a**b"), SymInt::Known(2)), SymInt::Symbol("2*a**b"));
  EXPECT_EQ(ir::SymProduct({ir::Dim::Symbol("batch"), ir::Dim::Known(3), ir::Dim::Symbol("seq")}),
            SymInt::Symbol("3*batch*seq"));
  EXPECT_EQ(ir::SymProduct({ir::Dim::Symbol("batch"), ir::Dim{}}), SymInt::Unknown());
  EXPECT_TRUE(ir::ZeroImplies(b, ir::Dim::Symbol("batch*seq")));
  EXPECT_TRUE(ir::ZeroImplies(SymInt::Known(5), ir::Dim{}));
  EXPECT_FALSE(ir::ZeroImplies(b, ir::Dim::Symbol("seq")));
  EXPECT_FALSE(ir::ZeroImplies(ir::SymMul(b, s), ir::Dim::Symbol("batch")));
  EXPECT_FALSE(ir::ZeroImplies(b, ir::Dim::Known(4)));
}

// ---- what must stay unknown ----

TEST(ShapeValues, DataDependentShapeStaysUnknown) {
  proto::ModelProto m = DynamicModel(17);
  auto* g = m.mutable_graph();
  Node(g, "NonZero", {"X"}, "nz");  // int64 [3, count]
  Node(g, "Shape", {"nz"}, "nzshape");
  ConstInts(g, "i1", {1}, true);
  Node(g, "Gather", {"nzshape", "i1"}, "count");
  ConstInts(g, "axes", {0});
  Node(g, "Unsqueeze", {"count", "axes"}, "count1");
  Ints(g, "three", {3});
  IntAttr(Node(g, "Concat", {"count1", "three"}, "target"), "axis", 0);
  Node(g, "Reshape", {"nz", "target"}, "Y");
  Node(g, "ConstantOfShape", {"nzshape"}, "Z");
  Output(g, "Y", 7);
  Output(g, "Z");
  EXPECT_EQ(InferredShape(m, "Y"), "[?,3]");
  EXPECT_EQ(InferredShape(m, "Z"), "[3,?]");
}

TEST(ShapeValues, DoubtfulReshapesAreNotFixed) {
  proto::ModelProto m = DynamicModel(17);
  auto* g = m.mutable_graph();
  Node(g, "Shape", {"X"}, "shape");
  AppendBatchSeq(g, "shape", "", 17);
  // 12 x 60 does not make 768: the Reshape fails at run time; inference does not make it 64.
  Ints(g, "wrong", {12, 60});
  IntAttr(Node(g, "Concat", {"bsz1", "seq1", "wrong"}, "target"), "axis", 0);
  Node(g, "Reshape", {"X", "target"}, "Y");
  // Batch and sequence swapped: a batch of 0 would make Reshape copy X's dims instead, so neither is certain.
  Ints(g, "hidden", {768});
  IntAttr(Node(g, "Concat", {"seq1", "bsz1", "hidden"}, "swapped"), "axis", 0);
  Node(g, "Reshape", {"X", "swapped"}, "S");
  // The same with allowzero: a 0 is a 0 there, so the symbols hold.
  IntAttr(Node(g, "Reshape", {"X", "swapped"}, "SZ"), "allowzero", 1);
  // -1 where the known dims do not divide the size.
  Ints(g, "odd", {-1, 7});
  Node(g, "Reshape", {"X", "odd"}, "O");
  // An unknown (unnamed) dim stays unknown through the shape arithmetic.
  proto::ValueInfoProto* w = g->add_input();
  w->set_name("W");
  auto* wt = w->mutable_type()->mutable_tensor_type();
  wt->set_elem_type(1);
  wt->mutable_shape()->add_dim();
  wt->mutable_shape()->add_dim()->set_dim_value(4);
  Node(g, "Shape", {"W"}, "wshape");
  Node(g, "ConstantOfShape", {"wshape"}, "WZ");
  for (const char* o : {"Y", "S", "SZ", "O", "WZ"}) Output(g, o);
  EXPECT_EQ(InferredShape(m, "Y"), "[batch,seq,12,60]");
  EXPECT_EQ(InferredShape(m, "S"), "[?,?,768]");
  EXPECT_EQ(InferredShape(m, "SZ"), "[seq,batch,768]");
  EXPECT_EQ(InferredShape(m, "O"), "[?,7]");
  EXPECT_EQ(InferredShape(m, "WZ"), "[?,4]");
}

// ---- the optimizer sees the shapes: a dynamic-axes BERT layer fuses ----

constexpr int64_t kE = 16, kH = 4, kD = 4;

// Where the Reshape targets are computed from.
enum class ShapeSource {
  kInput,       // Shape(X) -> Gather -> Unsqueeze -> Concat (the shape read once from the block input)
  kSlice,       // Shape(X) -> Slice(0, 2) -> Concat
  kProjection,  // Shape of the tensor being reshaped, as torch.onnx exports `x.view(x.size()[:-1] + (H, D))`
};

// The Reshape target [batch, seq] + tail for the tensor `of`.
std::string ComputedTarget(proto::GraphProto* g, ShapeSource src, const std::string& of,
                           const std::vector<int64_t>& tail, const std::string& p) {
  const std::string shape = p + "shape";
  Node(g, "Shape", {src == ShapeSource::kProjection ? of : "X"}, shape);
  ConstInts(g, p + "tail", tail);
  if (src == ShapeSource::kSlice) {
    ConstInts(g, p + "starts", {0});
    ConstInts(g, p + "ends", {2});
    Node(g, "Slice", {shape, p + "starts", p + "ends"}, p + "bs");
    IntAttr(Node(g, "Concat", {p + "bs", p + "tail"}, p + "target"), "axis", 0);
  } else {
    AppendBatchSeq(g, shape, p, 17);
    IntAttr(Node(g, "Concat", {p + "bsz1", p + "seq1", p + "tail"}, p + "target"), "axis", 0);
  }
  return p + "target";
}

// BERT self-attention of X [batch, seq, E] with the heads split and merged by computed shapes, an additive
// mask [batch, 1, 1, seq], then the output projection, residual Add and LayerNormalization.
proto::ModelProto DynamicBertAttention(ShapeSource src, bool with_layer_norm) {
  std::mt19937 rng(21);
  proto::ModelProto m = DynamicModel(17, kE);
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "mask", 1, {-1, 1, 1, -1}, {"batch", "", "", "seq"});
  for (const char* n : {"q", "k", "v"}) {
    const std::string p = n;
    AddFloatInit(g, "W" + p, {kE, kE}, rng, -0.5f, 0.5f);
    AddFloatInit(g, "b" + p, {kE}, rng);
    Node(g, "MatMul", {"X", "W" + p}, p + "_mm");
    Node(g, "Add", {"b" + p, p + "_mm"}, p);
    Node(g, "Reshape", {p, ComputedTarget(g, src, p, {kH, kD}, p + "_")}, p + "4");
  }
  IntsAttr(Node(g, "Transpose", {"q4"}, "qh"), "perm", {0, 2, 1, 3});
  IntsAttr(Node(g, "Transpose", {"k4"}, "kt"), "perm", {0, 2, 3, 1});
  IntsAttr(Node(g, "Transpose", {"v4"}, "vh"), "perm", {0, 2, 1, 3});
  Node(g, "MatMul", {"qh", "kt"}, "qk");
  Scalar(g, "root", std::sqrt(static_cast<float>(kD)));
  Node(g, "Div", {"qk", "root"}, "scores");
  Node(g, "Add", {"scores", "mask"}, "masked");
  IntAttr(Node(g, "Softmax", {"masked"}, "probs"), "axis", -1);
  Node(g, "MatMul", {"probs", "vh"}, "ctx");
  IntsAttr(Node(g, "Transpose", {"ctx"}, "ctxt"), "perm", {0, 2, 1, 3});
  const std::string out = with_layer_norm ? "attn" : "Y";
  Node(g, "Reshape", {"ctxt", ComputedTarget(g, src, "ctxt", {kE}, "merge_")}, out);
  if (with_layer_norm) {
    AddFloatInit(g, "Wo", {kE, kE}, rng, -0.5f, 0.5f);
    AddFloatInit(g, "bo", {kE}, rng);
    Node(g, "MatMul", {"attn", "Wo"}, "o");
    Node(g, "Add", {"o", "bo"}, "ob");
    Node(g, "Add", {"ob", "X"}, "r");
    AddFloatInit(g, "gamma", {kE}, rng, 0.5f, 1.5f);
    AddFloatInit(g, "beta", {kE}, rng);
    IntAttr(Node(g, "LayerNormalization", {"r", "gamma", "beta"}, "Y"), "axis", -1);
  }
  Output(g, "Y");
  return m;
}

TEST(ShapeValues, DynamicBertAttentionFuses) {
  // kProjection is torch.onnx's form (Shape of the tensor being reshaped): FoldReshapeTargets makes those
  // targets constant, so the Shape readers go and the projections have one reader again.
  for (ShapeSource src : {ShapeSource::kInput, ShapeSource::kSlice, ShapeSource::kProjection}) {
    for (bool ln : {false, true}) {
      SCOPED_TRACE(testing::Message() << "source " << static_cast<int>(src) << " layer norm " << ln);
      auto m = DynamicBertAttention(src, ln);
      EXPECT_EQ(InferredShape(m, "q4"), "[batch,seq,4,4]");
      EXPECT_EQ(InferredShape(m, "Y"), "[batch,seq,16]");
      auto plain = Make(m, OptimizationLevel::kDisabled);
      auto fused = Make(m, OptimizationLevel::kExtended);
      ASSERT_TRUE(plain && fused);
      EXPECT_EQ(OpCounts(*fused), ln ? (Counts{{"Attention", 1}, {"MatMul", 1}, {"SkipLayerNormalization", 1}})
                                     : (Counts{{"Attention", 1}}));
      ExpectSameOutputs(*plain, *fused);
      EXPECT_EQ(fused->outputs()[0].type.ShapeString(), "[batch,seq,16]");
    }
  }
}

// A pass can ask for the values, e.g. to turn a computed Reshape target into a constant.
TEST(ShapeValues, ValuesAreAvailableToPasses) {
  auto m = DynamicBertAttention(ShapeSource::kProjection, false);
  std::string bytes = test::Serialize(m);
  auto model = format::LoadModelFromBytes(bytes.data(), bytes.size());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ir::Graph& g = *model.value()->graph;
  std::unordered_map<const ir::Value*, ir::ShapeValue> values;
  ASSERT_TRUE(ir::InferShapes(g, ir::InferOptions{.values = &values}).ok());
  auto it = values.find(g.FindValue("q_target"));
  ASSERT_NE(it, values.end());
  EXPECT_FALSE(it->second.scalar);
  EXPECT_EQ(it->second.elems, (std::vector<ir::SymInt>{ir::SymInt::Symbol("batch"), ir::SymInt::Symbol("seq"),
                                                       ir::SymInt::Known(kH), ir::SymInt::Known(kD)}));
  it = values.find(g.FindValue("q_bsz"));
  ASSERT_NE(it, values.end());
  EXPECT_TRUE(it->second.scalar);
  EXPECT_EQ(values.count(g.FindValue("X")), 0u);
}

// torch.onnx reads the shape of the tensor it reshapes: the shapes are inferred all the same, and every level
// gives the same outputs (with the fusions, see DynamicBertAttentionFuses).
TEST(ShapeValues, ShapeOfProjectionIsInferredAndRunsAtEveryLevel) {
  auto m = DynamicBertAttention(ShapeSource::kProjection, true);
  EXPECT_EQ(InferredShape(m, "q4"), "[batch,seq,4,4]");
  EXPECT_EQ(InferredShape(m, "attn"), "[batch,seq,16]");
  auto plain = Make(m, OptimizationLevel::kDisabled);
  ASSERT_TRUE(plain);
  for (OptimizationLevel level : {OptimizationLevel::kBasic, OptimizationLevel::kExtended, OptimizationLevel::kAll}) {
    auto opt = Make(m, level);
    ASSERT_TRUE(opt);
    ExpectSameOutputs(*plain, *opt);
    EXPECT_EQ(opt->outputs()[0].type.ShapeString(), "[batch,seq,16]");
  }
}

// A Reshape target that only constant folding works out (Abs is not shape arithmetic inference follows):
// the inference after optimizing gives the shape the first one could not, and keeps what it knew.
TEST(ShapeValues, ReinferenceAfterOptimizingFillsUnknownShapes) {
  proto::ModelProto m = DynamicModel(17, 16);
  auto* g = m.mutable_graph();
  Ints(g, "neg", {-2, -8});
  Node(g, "Abs", {"neg"}, "dims");
  Node(g, "Reshape", {"X", "dims"}, "Y");
  Output(g, "Y");
  Node(g, "Relu", {"X"}, "R");
  Output(g, "R");
  EXPECT_EQ(InferredShape(m, "Y"), "[?,?]");
  for (OptimizationLevel level : {OptimizationLevel::kBasic, OptimizationLevel::kAll}) {
    auto s = Make(m, level);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->outputs()[0].type.ShapeString(), "[2,8]");
    EXPECT_EQ(s->outputs()[1].type.ShapeString(), "[batch,seq,16]");
  }
}

}  // namespace
}  // namespace onyx

// Shape values through torch's expand(-1) idiom (Where(Equal(shape, -1), 1, shape)) and through a slice of a
// buffer up to a symbolic length (position_ids[:, :seq]), and the min(seq, N) dim that slice gives, which
// broadcasts against seq as seq. Near misses stay unknown.
#include <gtest/gtest.h>

#include "ir/derived_dim.h"
#include "ir/shape_inference.h"
#include "unit/optimizer_test_util.h"

namespace onyx {
namespace {

using test::BaseModel;
using test::Make;

proto::NodeProto* Node(proto::GraphProto* g, const std::string& op, const std::vector<std::string>& ins,
                       const std::string& out) {
  return test::AddNode(g, op, ins, {out});
}
void Ints(proto::GraphProto* g, const std::string& name, const std::vector<int64_t>& v, bool scalar = false,
          const std::vector<int64_t>& dims = {}) {
  auto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(7);
  if (!dims.empty()) {
    for (int64_t d : dims) t->add_dims(d);
  } else if (!scalar) {
    t->add_dims(static_cast<int64_t>(v.size()));
  }
  for (int64_t x : v) t->add_int64_data(x);
}
void Output(proto::GraphProto* g, const std::string& name, int elem) {
  auto* vi = g->add_output();
  vi->set_name(name);
  vi->mutable_type()->mutable_tensor_type()->set_elem_type(elem);
}
std::string InferredShape(const proto::ModelProto& m, const std::string& name) {
  auto s = Make(m, OptimizationLevel::kDisabled);
  if (!s) return "<no session>";
  const ir::Value* v = s->model().graph->FindValue(name);
  return v ? v->type().ShapeString() : "<no value>";
}

// ids: int64 [batch, seq]; shape = [batch, seq] as Concat(Unsqueeze(Gather(Shape))) like torch writes it.
proto::ModelProto IdsModel() {
  proto::ModelProto m = BaseModel(17);
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "ids", 7, {-1, -1}, {"batch", "seq"});
  Node(g, "Shape", {"ids"}, "shape");
  Ints(g, "i0", {0}, true);
  Ints(g, "i1", {1}, true);
  Ints(g, "axes0", {0});
  Node(g, "Gather", {"shape", "i0"}, "b");
  Node(g, "Gather", {"shape", "i1"}, "s");
  Node(g, "Unsqueeze", {"b", "axes0"}, "b1");
  Node(g, "Unsqueeze", {"s", "axes0"}, "s1");
  test::AddNode(g, "Concat", {"b1", "s1"}, {"bs"})->add_attribute()->set_name("axis");
  g->mutable_node(g->node_size() - 1)->mutable_attribute(0)->set_type(proto::AttributeProto::INT);
  return m;
}

// buffer [1, 32] sliced on axis 1 to `end`.
void AppendSlice(proto::GraphProto* g, const std::string& end, const std::string& out, int64_t start = 0,
                 int64_t step = 1) {
  std::vector<int64_t> zeros(32, 0);
  Ints(g, out + "_buf", zeros, false, {1, 32});
  Ints(g, out + "_start", {start});
  Ints(g, out + "_axes", {1});
  Ints(g, out + "_steps", {step});
  Node(g, "Slice", {out + "_buf", out + "_start", end, out + "_axes", out + "_steps"}, out);
}

TEST(ShapeValuesExpandSlice, TorchExpandMinusOneIdiomKeepsTheSymbols) {
  proto::ModelProto m = IdsModel();
  auto* g = m.mutable_graph();
  Ints(g, "minus1", {-1, -1});
  Ints(g, "one", {1, 1});
  Node(g, "Equal", {"bs", "minus1"}, "eq");
  Node(g, "Where", {"eq", "one", "bs"}, "target");
  AppendSlice(g, "s1", "tt");
  Node(g, "Expand", {"tt", "target"}, "E");
  Output(g, "E", 7);
  EXPECT_EQ(InferredShape(m, "tt"), "[1,min(seq,32)]");
  EXPECT_EQ(InferredShape(m, "E"), "[batch,seq]");
}

TEST(ShapeValuesExpandSlice, SlicedPositionsBroadcastAgainstTheSequence) {
  proto::ModelProto m = IdsModel();
  auto* g = m.mutable_graph();
  AppendSlice(g, "s1", "pos");
  Node(g, "Add", {"ids", "pos"}, "sum");  // [batch, seq] + [1, min(seq, 32)]
  Node(g, "Add", {"pos", "ids"}, "sum_swapped");
  Output(g, "sum", 7);
  Output(g, "sum_swapped", 7);
  EXPECT_EQ(InferredShape(m, "sum"), "[batch,seq]");
  EXPECT_EQ(InferredShape(m, "sum_swapped"), "[batch,seq]");
}

TEST(ShapeValuesExpandSlice, NearMissesStayUnknown) {
  proto::ModelProto m = IdsModel();
  auto* g = m.mutable_graph();
  AppendSlice(g, "s1", "from1", /*start=*/1);  // [1:seq]: seq - 1 elements at most, not min(seq, 32)
  AppendSlice(g, "s1", "stride2", 0, /*step=*/2);
  // Equal against a value that may be a size gives no certain answer, so neither does the Where.
  Ints(g, "three", {3, 3});
  Ints(g, "one", {1, 1});
  Node(g, "Equal", {"bs", "three"}, "eq");
  Node(g, "Where", {"eq", "one", "bs"}, "target");
  Node(g, "Expand", {"from1", "target"}, "E");
  // A batch-sized slice does not broadcast against seq.
  AppendSlice(g, "b1", "bpos");
  Node(g, "Add", {"ids", "bpos"}, "mixed");
  for (const char* o : {"from1", "stride2", "E", "mixed"}) Output(g, o, 7);
  EXPECT_EQ(InferredShape(m, "from1"), "[1,?]");
  EXPECT_EQ(InferredShape(m, "stride2"), "[1,?]");
  EXPECT_EQ(InferredShape(m, "E"), "[?,?]");
  EXPECT_EQ(InferredShape(m, "mixed"), "[batch,?]");
}

// tf2onnx's masked strided slice: ends of 1e9 (or INT64_MAX) on a symbolic dim keep it; a smaller end does not.
TEST(ShapeValuesExpandSlice, SliceToTheEndKeepsASymbolicDim) {
  proto::ModelProto m = IdsModel();
  auto* g = m.mutable_graph();
  Ints(g, "zeros2", {0, 0});
  Ints(g, "huge", {1000000000, 1000000000});
  Ints(g, "hundred", {100, 100});
  Ints(g, "axes01", {0, 1});
  Ints(g, "ones2", {1, 1});
  Node(g, "Slice", {"ids", "zeros2", "huge", "axes01", "ones2"}, "whole");
  Node(g, "Slice", {"ids", "zeros2", "hundred", "axes01", "ones2"}, "first100");
  Output(g, "whole", 7);
  Output(g, "first100", 7);
  EXPECT_EQ(InferredShape(m, "whole"), "[batch,seq]");
  EXPECT_EQ(InferredShape(m, "first100"), "[?,?]");
}

TEST(ShapeValuesExpandSlice, MinDimBroadcastsAsItsSymbol) {
  using ir::SymInt;
  // Through the public min dim and broadcasting.
  const ir::Dim seq = ir::Dim::Symbol("seq");
  const ir::Dim bound = ir::MinDim("seq", 512);
  auto ab = ir::BroadcastShapes({seq}, {bound});
  ASSERT_TRUE(ab.ok());
  EXPECT_EQ(ab.value()[0], seq);
  auto other = ir::BroadcastShapes({ir::Dim::Symbol("batch")}, {bound});
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other.value()[0].known());
  EXPECT_TRUE(other.value()[0].param.empty());
  // min(seq,512) is one opaque name to the symbolic product.
  EXPECT_EQ(ir::SymMul(SymInt::FromDim(bound), SymInt::Known(2)).param, "2*min(seq,512)");
}

}  // namespace
}  // namespace onyx

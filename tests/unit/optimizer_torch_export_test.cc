// A BERT layer as torch.onnx writes it with dynamic axes (batch and sequence symbolic): the embeddings with the
// token-type Where/Expand and the position-id Slice, head split and merge by Shape -> Gather -> Unsqueeze ->
// Concat -> Reshape, the extended mask, erf GELU, standard LayerNormalization. Both exporters' habits are
// built: the TorchScript one (scores divided by sqrt(D), K transposed once) and the dynamo one (Shape with
// start/end, sqrt of the scale multiplied into Q and into K transposed twice, opset 18). At the extended level
// the encoder must fuse completely and the shape arithmetic of the heads disappear; outputs stay the same.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "unit/optimizer_test_util.h"

namespace onyx {
namespace {

using test::AddFloatInit;
using test::BaseModel;
using test::Make;
using test::OpCounts;

constexpr int64_t kE = 16, kH = 4, kD = 4, kVocab = 20, kMaxPos = 32, kFf = 32;

struct Exporter {
  bool dynamo = false;
  bool probs_read = false;  // near miss: the attention probabilities are also an output
};

class Builder {
 public:
  Builder(proto::GraphProto* g, const Exporter& e) : g_(g), e_(e) {}

  proto::NodeProto* Op(const std::string& op, const std::vector<std::string>& ins, const std::string& out) {
    return test::AddNode(g_, op, ins, {out});
  }
  std::string Ints(const std::vector<int64_t>& v, bool scalar = false) {
    const std::string name = "c" + std::to_string(count_++);
    auto* t = g_->add_initializer();
    t->set_name(name);
    t->set_data_type(7);
    if (!scalar) t->add_dims(static_cast<int64_t>(v.size()));
    for (int64_t x : v) t->add_int64_data(x);
    return name;
  }
  std::string Float(float v) {
    const std::string name = "c" + std::to_string(count_++);
    auto* t = g_->add_initializer();
    t->set_name(name);
    t->set_data_type(1);
    t->add_float_data(v);
    return name;
  }
  static void Attr(proto::NodeProto* n, const std::string& name, int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(proto::AttributeProto::INT);
    a->set_i(v);
  }
  static void Perm(proto::NodeProto* n, const std::vector<int64_t>& perm) {
    auto* a = n->add_attribute();
    a->set_name("perm");
    a->set_type(proto::AttributeProto::INTS);
    for (int64_t x : perm) a->add_ints(x);
  }

  // Dim i of x as a 1-element int64 tensor, the way each exporter reads it.
  std::string Dim(const std::string& x, int64_t i, const std::string& p) {
    if (e_.dynamo) {
      auto* n = Op("Shape", {x}, p + "_dim" + std::to_string(i));
      Attr(n, "start", i);
      Attr(n, "end", i + 1);
      return p + "_dim" + std::to_string(i);
    }
    Op("Shape", {x}, p + "_shape" + std::to_string(i));
    Op("Gather", {p + "_shape" + std::to_string(i), Ints({i}, true)}, p + "_g" + std::to_string(i));
    Op("Unsqueeze", {p + "_g" + std::to_string(i), Ints({0})}, p + "_u" + std::to_string(i));
    return p + "_u" + std::to_string(i);
  }

  // x [B, S, E] -> [B, S, H, D] by a shape computed from x.
  std::string SplitHeads(const std::string& x, const std::string& p) {
    const std::string b = Dim(x, 0, p), s = Dim(x, 1, p);
    Op("Concat", {b, s, Ints({kH}), Ints({kD})}, p + "_target");
    Attr(g_->mutable_node(g_->node_size() - 1), "axis", 0);
    Op("Reshape", {x, p + "_target"}, p + "_4d");
    return p + "_4d";
  }

  std::string Linear(const std::string& x, int64_t in, int64_t out, const std::string& p, std::mt19937& rng) {
    AddFloatInit(g_, p + "_w", {in, out}, rng, -0.5f, 0.5f);
    AddFloatInit(g_, p + "_b", {out}, rng, -0.2f, 0.2f);
    Op("MatMul", {x, p + "_w"}, p + "_mm");
    Op("Add", {p + "_b", p + "_mm"}, p + "_out");  // torch puts the bias first
    return p + "_out";
  }

  std::string LayerNorm(const std::string& x, const std::string& p, std::mt19937& rng) {
    AddFloatInit(g_, p + "_gamma", {kE}, rng, 0.5f, 1.5f);
    AddFloatInit(g_, p + "_beta", {kE}, rng);
    auto* n = Op("LayerNormalization", {x, p + "_gamma", p + "_beta"}, p + "_out");
    Attr(n, "axis", -1);
    return p + "_out";
  }

 private:
  proto::GraphProto* g_;
  Exporter e_;
  int count_ = 0;
};

proto::ModelProto TorchBert(const Exporter& e) {
  std::mt19937 rng(5);
  proto::ModelProto m = BaseModel(e.dynamo ? 18 : 17);
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "input_ids", 7, {-1, -1}, {"batch", "sequence"});
  test::SetTensorType(g->add_input(), "attention_mask", 7, {-1, -1}, {"batch", "sequence"});
  Builder b(g, e);

  // Embeddings. position_ids and token_type_ids are buffers [1, max] sliced to the sequence length.
  AddFloatInit(g, "word", {kVocab, kE}, rng);
  AddFloatInit(g, "position", {kMaxPos, kE}, rng);
  AddFloatInit(g, "token_type", {2, kE}, rng);
  std::vector<int64_t> positions, zeros(kMaxPos, 0);
  for (int64_t i = 0; i < kMaxPos; ++i) positions.push_back(i);
  auto buffer = [&](const std::string& name, const std::vector<int64_t>& v) {
    auto* t = g->add_initializer();
    t->set_name(name);
    t->set_data_type(7);
    t->add_dims(1);
    t->add_dims(kMaxPos);
    for (int64_t x : v) t->add_int64_data(x);
  };
  buffer("position_ids", positions);
  buffer("token_type_ids", zeros);
  const std::string batch = b.Dim("input_ids", 0, "ids"), seq = b.Dim("input_ids", 1, "ids");
  b.Op("Slice", {"position_ids", b.Ints({0}), seq, b.Ints({1}), b.Ints({1})}, "pos_ids");
  b.Op("Slice", {"token_type_ids", b.Ints({0}), seq, b.Ints({1}), b.Ints({1})}, "tt_sliced");
  // expand(batch, seq), with torch's handling of -1 sizes: Where(Equal(shape, -1), 1, shape).
  b.Builder::Attr(b.Op("Concat", {batch, seq}, "tt_shape"), "axis", 0);
  b.Op("Reshape", {"tt_shape", b.Ints({-1})}, "tt_flat");
  b.Op("Shape", {"tt_flat"}, "tt_len");
  auto* ones = b.Op("ConstantOfShape", {"tt_len"}, "tt_ones");
  auto* value = ones->add_attribute();
  value->set_name("value");
  value->set_type(proto::AttributeProto::TENSOR);
  value->mutable_t()->set_data_type(7);
  value->mutable_t()->add_dims(1);
  value->mutable_t()->add_int64_data(1);
  b.Op("Mul", {"tt_ones", b.Ints({-1}, true)}, "tt_neg");
  b.Op("Equal", {"tt_shape", "tt_neg"}, "tt_eq");
  b.Op("Where", {"tt_eq", "tt_ones", "tt_shape"}, "tt_where");
  b.Op("Expand", {"tt_sliced", "tt_where"}, "tt_ids");
  b.Op("Gather", {"word", "input_ids"}, "word_e");
  b.Op("Gather", {"token_type", "tt_ids"}, "tt_e");
  b.Op("Add", {"word_e", "tt_e"}, "emb0");
  b.Op("Gather", {"position", "pos_ids"}, "pos_e");
  b.Op("Add", {"emb0", "pos_e"}, "emb1");
  const std::string h0 = b.LayerNorm("emb1", "emb_ln", rng);

  // The extended attention mask [B, 1, 1, S].
  b.Op("Unsqueeze", {"attention_mask", b.Ints({1})}, "mask3");
  b.Op("Unsqueeze", {"mask3", b.Ints({2})}, "mask4");
  b.Builder::Attr(b.Op("Cast", {"mask4"}, "maskf"), "to", 1);
  b.Op("Sub", {b.Float(1.0f), "maskf"}, "mask_inv");
  b.Op("Mul", {"mask_inv", b.Float(-3.4028234663852886e38f)}, "mask_add");

  // Self-attention.
  const std::string q = b.SplitHeads(b.Linear(h0, kE, kE, "q", rng), "qs");
  const std::string k = b.SplitHeads(b.Linear(h0, kE, kE, "k", rng), "ks");
  const std::string v = b.SplitHeads(b.Linear(h0, kE, kE, "v", rng), "vs");
  b.Perm(b.Op("Transpose", {q}, "qh"), {0, 2, 1, 3});
  b.Perm(b.Op("Transpose", {v}, "vh"), {0, 2, 1, 3});
  std::string scores;
  if (e.dynamo) {
    // sdpa decomposed: both operands scaled by sqrt(1/sqrt(D)).
    const float half_scale = std::sqrt(1.0f / std::sqrt(static_cast<float>(kD)));
    b.Perm(b.Op("Transpose", {k}, "kh"), {0, 2, 1, 3});
    b.Perm(b.Op("Transpose", {"kh"}, "kt"), {0, 1, 3, 2});
    b.Op("Mul", {"qh", b.Float(half_scale)}, "qh_s");
    b.Op("Mul", {"kt", b.Float(half_scale)}, "kt_s");
    b.Op("MatMul", {"qh_s", "kt_s"}, "scores");
    scores = "scores";
  } else {
    b.Perm(b.Op("Transpose", {k}, "kt"), {0, 2, 3, 1});
    b.Op("MatMul", {"qh", "kt"}, "qk");
    b.Op("Div", {"qk", b.Float(std::sqrt(static_cast<float>(kD)))}, "scores");
    scores = "scores";
  }
  b.Op("Add", {scores, "mask_add"}, "masked");
  b.Builder::Attr(b.Op("Softmax", {"masked"}, "probs"), "axis", -1);
  b.Op("MatMul", {"probs", "vh"}, "ctx");
  b.Perm(b.Op("Transpose", {"ctx"}, "ctx_t"), {0, 2, 1, 3});
  const std::string cb = b.Dim("ctx_t", 0, "ctx"), cs = b.Dim("ctx_t", 1, "ctx");
  b.Builder::Attr(b.Op("Concat", {cb, cs, b.Ints({kE})}, "ctx_target"), "axis", 0);
  b.Op("Reshape", {"ctx_t", "ctx_target"}, "ctx_merged");
  b.Op("Add", {b.Linear("ctx_merged", kE, kE, "o", rng), h0}, "res1");
  const std::string h1 = b.LayerNorm("res1", "ln1", rng);

  // Feed-forward with the erf GELU as transformers writes it.
  const std::string f1 = b.Linear(h1, kE, kFf, "f1", rng);
  b.Op("Div", {f1, b.Float(1.4142135381698608f)}, "g_div");
  b.Op("Erf", {"g_div"}, "g_erf");
  b.Op("Add", {"g_erf", b.Float(1.0f)}, "g_add");
  b.Op("Mul", {f1, "g_add"}, "g_mul");
  b.Op("Mul", {"g_mul", b.Float(0.5f)}, "gelu");
  b.Op("Add", {b.Linear("gelu", kFf, kE, "f2", rng), h1}, "res2");
  const std::string y = b.LayerNorm("res2", "ln2", rng);
  b.Op("Identity", {y}, "Y");
  test::SetTensorType(g->add_output(), "Y", 1, {-1, -1, kE}, {"batch", "sequence"});
  if (e.probs_read)
    test::SetTensorType(g->add_output(), "probs", 1, {-1, kH, -1, -1}, {"batch", "", "sequence", "sequence"});
  return m;
}

void ExpectSameOutputs(const Session& a, const Session& b) {
  for (auto [batch, seq] : {std::pair<int64_t, int64_t>{2, 5}, {1, 7}, {3, 1}}) {
    Tensor ids = Tensor::Create(DataType::kInt64, {batch, seq}).take();
    Tensor mask = Tensor::Create(DataType::kInt64, {batch, seq}).take();
    for (int64_t i = 0; i < ids.size(); ++i) {
      ids.data<int64_t>()[i] = (i * 7 + 3) % kVocab;
      mask.data<int64_t>()[i] = (i % seq) < seq - (i / seq) ? 1 : 0;  // padded rows, the first always full
    }
    const std::vector<std::pair<std::string, Value>> feeds = {{"input_ids", Value(ids)},
                                                              {"attention_mask", Value(mask)}};
    std::vector<Value> out_a, out_b;
    ASSERT_TRUE(a.Run(feeds, {}, &out_a).ok());
    ASSERT_TRUE(b.Run(feeds, {}, &out_b).ok());
    ASSERT_EQ(out_a.size(), out_b.size());
    for (size_t i = 0; i < out_a.size(); ++i) {
      EXPECT_EQ(CompareValues(out_a[i], out_b[i], {1e-4, 1e-5}), "") << "output " << i << " batch " << batch;
    }
  }
}

TEST(OptimizerTorchExport, BertLayerFusesWithDynamicAxes) {
  for (bool dynamo : {false, true}) {
    SCOPED_TRACE(dynamo ? "dynamo" : "torchscript");
    const proto::ModelProto m = TorchBert({.dynamo = dynamo});
    auto plain = Make(m, OptimizationLevel::kDisabled);
    auto fused = Make(m, OptimizationLevel::kExtended);
    ASSERT_TRUE(plain && fused);
    auto counts = OpCounts(*fused);
    EXPECT_EQ(counts["Attention"], 1);
    EXPECT_EQ(counts["SkipLayerNormalization"], 3);  // the embeddings' position Add, both residuals
    EXPECT_EQ(counts["BiasGelu"], 1);
    for (const char* gone : {"Softmax", "Transpose", "Reshape", "Erf", "Div", "LayerNormalization"}) {
      EXPECT_EQ(counts.count(gone), 0u) << gone;
    }
    // What is left of the shape arithmetic is the embeddings' (the sequence length the slices need).
    EXPECT_LE(counts["Concat"], 1);
    for (const auto& n : fused->model().graph->nodes()) {
      if (n->op_type() == "Shape") {
        EXPECT_EQ(n->input(0)->name(), "input_ids");
      }
    }
    // The encoder's output keeps its symbolic shape.
    const IoInfo& out = fused->outputs()[0];
    ASSERT_TRUE(out.type.shape.has_value());
    EXPECT_EQ((*out.type.shape)[0].param, "batch");
    EXPECT_EQ((*out.type.shape)[1].param, "sequence");
    ExpectSameOutputs(*plain, *fused);
  }
}

TEST(OptimizerTorchExport, ProbabilitiesReadElsewhereKeepTheAttentionUnfused) {
  const proto::ModelProto m = TorchBert({.probs_read = true});
  auto plain = Make(m, OptimizationLevel::kDisabled);
  auto fused = Make(m, OptimizationLevel::kExtended);
  ASSERT_TRUE(plain && fused);
  auto counts = OpCounts(*fused);
  EXPECT_EQ(counts.count("Attention"), 0u);
  EXPECT_EQ(counts["Softmax"], 1);
  EXPECT_EQ(counts["SkipLayerNormalization"], 3);  // the rest still fuses
  ExpectSameOutputs(*plain, *fused);
}

}  // namespace
}  // namespace onyx

// Builders shared by the transformer fusion tests (optimizer_{layer_norm,gelu,skip_layer_norm,attention}_test.cc):
// each pattern written out op by op the way exporters give it, and the checks that a model fuses (or not) and
// keeps its outputs. Functions are inline: each test file is its own translation unit.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "unit/optimizer_test_util.h"

namespace onyx::transformer_test {

using test::SetIntAttr;
using test::SetIntsAttr;

using test::AddFloatInit;
using test::BaseModel;
using test::ExpectSameOutputs;
using test::Make;
using test::OpCounts;
using Counts = std::map<std::string, int>;

// ---- model building ----

inline proto::NodeProto* Node(proto::GraphProto* g, const std::string& op, const std::vector<std::string>& ins,
                              const std::string& out) {
  return test::AddNode(g, op, ins, {out});
}
inline void Scalar(proto::GraphProto* g, const std::string& name, float v) {
  auto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(1);
  t->add_float_data(v);
}
inline void Ints(proto::GraphProto* g, const std::string& name, const std::vector<int64_t>& v) {
  auto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(7);
  t->add_dims(static_cast<int64_t>(v.size()));
  for (int64_t x : v) t->add_int64_data(x);
}
inline std::string DomainOf(const Session& s, const std::string& op) {
  for (const auto& n : s.model().graph->nodes()) {
    if (n->op_type() == op) return n->domain();
  }
  return "<none>";
}

// Builds the optimized and plain sessions, checks the optimized op counts, and compares outputs.
inline void ExpectFused(const proto::ModelProto& m, const Counts& expected) {
  auto plain = Make(m, OptimizationLevel::kDisabled);
  auto fused = Make(m, OptimizationLevel::kExtended);
  ASSERT_TRUE(plain && fused);
  EXPECT_EQ(OpCounts(*fused), expected);
  ExpectSameOutputs(*plain, *fused);
}

// Checks that the extended level leaves the given ops in place (the pattern was not fused).
inline void ExpectUnfused(const proto::ModelProto& m, const std::vector<std::string>& kept_ops,
                          const std::vector<std::string>& absent_ops) {
  auto plain = Make(m, OptimizationLevel::kDisabled);
  auto fused = Make(m, OptimizationLevel::kExtended);
  ASSERT_TRUE(plain && fused);
  auto counts = OpCounts(*fused);
  for (const auto& op : kept_ops) EXPECT_GT(counts[op], 0) << op << " should have been kept";
  for (const auto& op : absent_ops) EXPECT_EQ(counts.count(op), 0u) << op << " should not have been produced";
  ExpectSameOutputs(*plain, *fused);
}

// ---- LayerNorm ----

struct LnForm {
  int opset = 17;
  bool square_by_mul = false;  // Mul(d, d) instead of Pow(d, 2)
  bool reciprocal = false;     // Mul(d, Reciprocal(sqrt)) instead of Div
  bool two_subs = false;       // separate Sub nodes for the variance and the normalization
  bool gamma = true, beta = true;
  bool commuted = false;       // constants first in Add/Mul
  int axes = 1;                // number of trailing axes normalized
  bool non_last_axis = false;  // axes = [1] on a rank-3 input
  bool diff_is_output = false;
  float exponent = 2.0f;
};

// Appends the decomposed layer norm of `x` ([..., last] or [2,3,4,2]) writing `y`; constants prefixed by `p`.
inline void AppendLayerNorm(proto::GraphProto* g, const std::string& x, const std::string& y, const LnForm& f,
                            const std::string& p, int64_t rank, std::mt19937& rng, int64_t last = 8) {
  std::vector<int64_t> axes;
  if (f.non_last_axis) {
    axes = {1};
  } else {
    for (int i = f.axes; i > 0; --i) axes.push_back(-i);
  }
  auto reduce = [&](const std::string& in, const std::string& out) {
    if (f.opset >= 18) {
      Ints(g, out + "_axes", axes);
      Node(g, "ReduceMean", {in, out + "_axes"}, out);
    } else {
      SetIntsAttr(Node(g, "ReduceMean", {in}, out), "axes", axes);
    }
  };
  reduce(x, p + "mean");
  Node(g, "Sub", {x, p + "mean"}, p + "d");
  const std::string d2 = f.two_subs ? p + "d2" : p + "d";
  if (f.two_subs) Node(g, "Sub", {x, p + "mean"}, d2);
  if (f.square_by_mul) {
    Node(g, "Mul", {p + "d", p + "d"}, p + "sq");
  } else {
    Scalar(g, p + "two", f.exponent);
    Node(g, "Pow", {p + "d", p + "two"}, p + "sq");
  }
  reduce(p + "sq", p + "var");
  Scalar(g, p + "eps", 1e-5f);
  Node(g, "Add",
       f.commuted ? std::vector<std::string>{p + "eps", p + "var"} : std::vector<std::string>{p + "var", p + "eps"},
       p + "ve");
  Node(g, "Sqrt", {p + "ve"}, p + "sd");
  std::string cur = (f.gamma || f.beta) ? p + "n" : y;
  if (f.reciprocal) {
    Node(g, "Reciprocal", {p + "sd"}, p + "r");
    Node(g, "Mul", f.commuted ? std::vector<std::string>{p + "r", d2} : std::vector<std::string>{d2, p + "r"}, cur);
  } else {
    Node(g, "Div", {d2, p + "sd"}, cur);
  }
  std::vector<int64_t> norm_dims;
  for (int i = 0; i < f.axes; ++i) norm_dims.push_back(rank == 4 ? (i == 0 ? 2 : 4) : last);
  std::reverse(norm_dims.begin(), norm_dims.end());
  if (f.gamma) {
    AddFloatInit(g, p + "gamma", norm_dims, rng, 0.5f, 1.5f);
    const std::string out = f.beta ? p + "ng" : y;
    Node(g, "Mul", f.commuted ? std::vector<std::string>{p + "gamma", cur} : std::vector<std::string>{cur, p + "gamma"},
         out);
    cur = out;
  }
  if (f.beta) {
    AddFloatInit(g, p + "beta", norm_dims, rng);
    Node(g, "Add", f.commuted ? std::vector<std::string>{p + "beta", cur} : std::vector<std::string>{cur, p + "beta"},
         y);
  }
}

inline proto::ModelProto LayerNormModel(const LnForm& f) {
  std::mt19937 rng(11);
  proto::ModelProto m = BaseModel(f.opset);
  auto* g = m.mutable_graph();
  const std::vector<int64_t> shape = f.axes == 2 ? std::vector<int64_t>{2, 3, 4, 2} : std::vector<int64_t>{2, 3, 8};
  test::SetTensorType(g->add_input(), "X", 1, shape);
  AppendLayerNorm(g, "X", "Y", f, "", static_cast<int64_t>(shape.size()), rng);
  test::SetTensorType(g->add_output(), "Y", 1, shape);
  if (f.diff_is_output) test::SetTensorType(g->add_output(), "d", 1, shape);
  return m;
}

// ---- Gelu ----

struct GeluForm {
  bool tanh = false;
  int association = 0;     // 0: (x * (1 + e)) * 0.5;  1: (0.5 * (1 + e)) * x;  2: (0.5 * x) * (1 + e)
  bool mul_scale = false;  // x * (1/sqrt 2) instead of x / sqrt 2; Div(., 2) instead of Mul(., 0.5)
  bool commuted = false;
  bool cube_by_mul = false;
  float half = 0.5f;
  float sqrt2 = 1.4142135f;
  bool act_is_output = false;
  bool sum_op = false;    // Sum(1, act), as the ONNX function body of Gelu writes it
  bool jax_cube = false;  // 0.044715 x^3 as x * (x * (0.044715 * x)), as JAX/Flax exports write it
};

inline std::vector<std::string> Pair(bool swap, const std::string& a, const std::string& b) {
  return swap ? std::vector<std::string>{b, a} : std::vector<std::string>{a, b};
}

inline void AppendGelu(proto::GraphProto* g, const std::string& x, const std::string& y, const GeluForm& f,
                       const std::string& p) {
  const bool c = f.commuted;
  if (f.tanh && f.jax_cube) {
    Scalar(g, p + "k", 0.044715f);
    Node(g, "Mul", Pair(c, p + "k", x), p + "kx");
    Node(g, "Mul", Pair(c, x, p + "kx"), p + "kx2");
    Node(g, "Mul", Pair(!c, x, p + "kx2"), p + "kx3");
    Node(g, "Add", Pair(c, x, p + "kx3"), p + "inner");
    Scalar(g, p + "s2pi", 0.7978846f);
    Node(g, "Mul", Pair(!c, p + "inner", p + "s2pi"), p + "u");
    Node(g, "Tanh", {p + "u"}, p + "act");
  } else if (f.tanh) {
    if (f.cube_by_mul) {
      Node(g, "Mul", {x, x}, p + "x2");
      Node(g, "Mul", Pair(c, x, p + "x2"), p + "x3");
    } else {
      Scalar(g, p + "three", 3.0f);
      Node(g, "Pow", {x, p + "three"}, p + "x3");
    }
    Scalar(g, p + "k", 0.044715f);
    Node(g, "Mul", Pair(c, p + "x3", p + "k"), p + "kx3");
    Node(g, "Add", Pair(c, x, p + "kx3"), p + "inner");
    Scalar(g, p + "s2pi", 0.7978846f);
    Node(g, "Mul", Pair(!c, p + "inner", p + "s2pi"), p + "u");
    Node(g, "Tanh", {p + "u"}, p + "act");
  } else {
    if (f.mul_scale) {
      Scalar(g, p + "rsqrt2", 1.0f / f.sqrt2);
      Node(g, "Mul", Pair(c, x, p + "rsqrt2"), p + "z");
    } else {
      Scalar(g, p + "sqrt2", f.sqrt2);
      Node(g, "Div", {x, p + "sqrt2"}, p + "z");
    }
    Node(g, "Erf", {p + "z"}, p + "act");
  }
  Scalar(g, p + "one", 1.0f);
  Node(g, f.sum_op ? "Sum" : "Add", Pair(c, p + "act", p + "one"), p + "a");
  auto halve = [&](const std::string& in, const std::string& out) {
    if (f.mul_scale) {
      Scalar(g, p + "two", 1.0f / f.half);
      Node(g, "Div", {in, p + "two"}, out);
    } else {
      Scalar(g, p + "half", f.half);
      Node(g, "Mul", Pair(c, in, p + "half"), out);
    }
  };
  if (f.association == 0) {
    Node(g, "Mul", Pair(c, x, p + "a"), p + "xa");
    halve(p + "xa", y);
  } else if (f.association == 1) {
    halve(p + "a", p + "ha");
    Node(g, "Mul", Pair(c, p + "ha", x), y);
  } else {
    halve(x, p + "hx");
    Node(g, "Mul", Pair(!c, p + "hx", p + "a"), y);
  }
}

inline proto::ModelProto GeluModel(const GeluForm& f) {
  proto::ModelProto m = BaseModel();
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "X", 1, {2, 3, 8});
  AppendGelu(g, "X", "Y", f, "");
  test::SetTensorType(g->add_output(), "Y", 1, {2, 3, 8});
  if (f.act_is_output) test::SetTensorType(g->add_output(), "act", 1, {2, 3, 8});
  return m;
}

// ---- BiasGelu ----

// Y = Gelu(MatMul(X, W) + b), X [2,3,8], W [8,16]; the GELU written out, or the standard one (opset 20).
inline proto::ModelProto BiasGeluModel(bool standard_gelu, bool bias_constant = true, bool scalar_bias = false) {
  std::mt19937 rng(5);
  proto::ModelProto m = BaseModel(standard_gelu ? 20 : 17);
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "X", 1, {2, 3, 8});
  AddFloatInit(g, "W", {8, 16}, rng);
  if (!bias_constant) {
    test::SetTensorType(g->add_input(), "b", 1, {16});
  } else {
    AddFloatInit(g, "b", {scalar_bias ? 1 : 16}, rng);
  }
  Node(g, "MatMul", {"X", "W"}, "mm");
  Node(g, "Add", {"b", "mm"}, "h");
  if (standard_gelu) {
    Node(g, "Gelu", {"h"}, "Y");
  } else {
    AppendGelu(g, "h", "Y", GeluForm{}, "g_");
  }
  test::SetTensorType(g->add_output(), "Y", 1, {2, 3, 16});
  return m;
}

// ---- SkipLayerNorm ----

struct SkipForm {
  int opset = 17;
  bool decomposed = false;        // the LayerNorm written out (fused first by FuseLayerNorm)
  bool bias = false;              // A = MatMul(X, W) + bias before the residual Add
  bool sum_read = false;          // the residual sum is read again (pre-LN residual stream)
  bool skip_broadcast = false;    // skip is [3, 8], broadcast over the batch
  bool middle_broadcast = false;  // skip is [2, 1, 8]: not a trailing broadcast
  int64_t axis = -1;
};

inline proto::ModelProto SkipModel(const SkipForm& f) {
  std::mt19937 rng(9);
  proto::ModelProto m = BaseModel(f.opset);
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "A", 1, {2, 3, 8});
  std::vector<int64_t> skip_shape = {2, 3, 8};
  if (f.skip_broadcast) skip_shape = {3, 8};
  if (f.middle_broadcast) skip_shape = {2, 1, 8};
  test::SetTensorType(g->add_input(), "B", 1, skip_shape);
  std::string a = "A";
  if (f.bias) {
    AddFloatInit(g, "W", {8, 8}, rng);
    AddFloatInit(g, "bias", {8}, rng);
    Node(g, "MatMul", {"A", "W"}, "mm");
    Node(g, "Add", {"mm", "bias"}, "mmb");
    a = "mmb";
  }
  Node(g, "Add", {"B", a}, "s");
  if (f.decomposed) {
    LnForm ln;
    ln.opset = f.opset;
    AppendLayerNorm(g, "s", "Y", ln, "ln_", 3, rng);
  } else {
    AddFloatInit(g, "gamma", {8}, rng, 0.5f, 1.5f);
    AddFloatInit(g, "beta", {8}, rng);
    SetIntAttr(Node(g, "LayerNormalization", {"s", "gamma", "beta"}, "Y"), "axis", f.axis);
  }
  test::SetTensorType(g->add_output(), "Y", 1, {2, 3, 8});
  if (f.sum_read) {
    Node(g, "Relu", {"s"}, "Z");
    test::SetTensorType(g->add_output(), "Z", 1, {2, 3, 8});
  }
  return m;
}

// ---- Attention ----

constexpr int64_t kB = 2, kS = 4, kE = 16, kH = 4, kD = 4;

struct AttnForm {
  bool k_two_transposes = false;  // K: perm 0,2,1,3 then 0,1,3,2 instead of 0,2,3,1
  bool scale_on_q = false;        // Mul(Qh, 1/sqrt D) before the scores MatMul
  bool scale_by_mul = false;      // Mul(scores, 1/sqrt D) instead of Div(scores, sqrt D)
  int mask = 0;                   // 0: none; 1: float input [B,1,1,S]; 2: from an int64 [B,S] mask
  bool probs_read = false;        // the attention probabilities are also a graph output
  bool weights_input = false;     // Wq is a graph input
  bool softmax_axis2 = false;
  bool symbolic_batch = false;
};

inline void AppendAttention(proto::GraphProto* g, const std::string& x, const std::string& y, const AttnForm& f,
                            const std::string& p, std::mt19937& rng) {
  Ints(g, p + "split", {0, 0, kH, kD});
  for (const char* n : {"q", "k", "v"}) {
    const std::string w = p + "W" + n, b = p + "b" + n, proj = p + n;
    if (f.weights_input && std::string(n) == "q") {
      test::SetTensorType(g->add_input(), w, 1, {kE, kE});
    } else {
      AddFloatInit(g, w, {kE, kE}, rng, -0.5f, 0.5f);
    }
    AddFloatInit(g, b, {kE}, rng);
    Node(g, "MatMul", {x, w}, proj + "_mm");
    Node(g, "Add", Pair(std::string(n) == "k", proj + "_mm", b), proj);
    Node(g, "Reshape", {proj, p + "split"}, proj + "4");
  }
  SetIntsAttr(Node(g, "Transpose", {p + "q4"}, p + "qh"), "perm", {0, 2, 1, 3});
  SetIntsAttr(Node(g, "Transpose", {p + "v4"}, p + "vh"), "perm", {0, 2, 1, 3});
  if (f.k_two_transposes) {
    SetIntsAttr(Node(g, "Transpose", {p + "k4"}, p + "kh"), "perm", {0, 2, 1, 3});
    SetIntsAttr(Node(g, "Transpose", {p + "kh"}, p + "kt"), "perm", {0, 1, 3, 2});
  } else {
    SetIntsAttr(Node(g, "Transpose", {p + "k4"}, p + "kt"), "perm", {0, 2, 3, 1});
  }
  std::string q = p + "qh", scores = p + "scores";
  const float root = std::sqrt(static_cast<float>(kD));
  if (f.scale_on_q) {
    Scalar(g, p + "qscale", 1.0f / root);
    Node(g, "Mul", {p + "qh", p + "qscale"}, p + "qs");
    q = p + "qs";
  }
  Node(g, "MatMul", {q, p + "kt"}, p + "qk");
  if (f.scale_on_q) {
    scores = p + "qk";
  } else if (f.scale_by_mul) {
    Scalar(g, p + "sscale", 1.0f / root);
    Node(g, "Mul", {p + "sscale", p + "qk"}, scores);
  } else {
    Scalar(g, p + "root", root);
    Node(g, "Div", {p + "qk", p + "root"}, scores);
  }
  if (f.mask == 1) {
    test::SetTensorType(g->add_input(), "mask", 1, {f.symbolic_batch ? -1 : kB, 1, 1, kS}, {"batch"});
    Node(g, "Add", {scores, "mask"}, p + "masked");
    scores = p + "masked";
  } else if (f.mask == 2) {
    test::SetTensorType(g->add_input(), "M", 7, {kB, kS});
    Ints(g, p + "unsq", {1, 2});
    Node(g, "Unsqueeze", {"M", p + "unsq"}, p + "m4");
    SetIntAttr(Node(g, "Cast", {p + "m4"}, p + "mf"), "to", 1);
    Scalar(g, p + "mone", 1.0f);
    Node(g, "Sub", {p + "mone", p + "mf"}, p + "minv");
    Scalar(g, p + "big", -10000.0f);
    Node(g, "Mul", {p + "minv", p + "big"}, p + "madd");
    Node(g, "Add", {p + "madd", scores}, p + "masked");
    scores = p + "masked";
  }
  SetIntAttr(Node(g, "Softmax", {scores}, p + "probs"), "axis", f.softmax_axis2 ? 2 : -1);
  Node(g, "MatMul", {p + "probs", p + "vh"}, p + "ctx");
  SetIntsAttr(Node(g, "Transpose", {p + "ctx"}, p + "ctxt"), "perm", {0, 2, 1, 3});
  Ints(g, p + "merge", {0, 0, kE});
  Node(g, "Reshape", {p + "ctxt", p + "merge"}, y);
}

inline proto::ModelProto AttentionModel(const AttnForm& f) {
  std::mt19937 rng(21);
  proto::ModelProto m = BaseModel(17);
  auto* g = m.mutable_graph();
  const int64_t batch = f.symbolic_batch ? -1 : kB;
  test::SetTensorType(g->add_input(), "X", 1, {batch, kS, kE}, {"batch"});
  AppendAttention(g, "X", "Y", f, "", rng);
  test::SetTensorType(g->add_output(), "Y", 1, {batch, kS, kE}, {"batch"});
  if (f.probs_read) test::SetTensorType(g->add_output(), "probs", 1, {batch, kH, kS, kS}, {"batch"});
  return m;
}

// ExpectSameOutputs for models with int64 inputs too (fed 0 or 1, as attention masks are).
inline void ExpectSameOutputsMixed(const Session& a, const Session& b) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<std::pair<std::string, Value>> feeds;
  for (const IoInfo& in : a.inputs()) {
    Shape shape;
    for (const ir::Dim& d : *in.type.shape) shape.push_back(d.known() ? d.value : kB);
    Tensor t = Tensor::Create(in.type.elem_type, shape).take();
    if (in.type.elem_type == DataType::kInt64) {
      for (int64_t i = 0; i < t.size(); ++i) t.data<int64_t>()[i] = i % 3 == 2 ? 0 : 1;
    } else {
      for (float& v : t.mutable_values<float>()) v = dist(rng);
    }
    feeds.emplace_back(in.name, Value(t));
  }
  std::vector<Value> out_a, out_b;
  ASSERT_TRUE(a.Run(feeds, {}, &out_a).ok());
  ASSERT_TRUE(b.Run(feeds, {}, &out_b).ok());
  ASSERT_EQ(out_a.size(), out_b.size());
  for (size_t i = 0; i < out_a.size(); ++i)
    EXPECT_EQ(CompareValues(out_a[i], out_b[i], {1e-5, 1e-6}), "") << "output " << i;
}

// A BERT encoder layer: attention, output projection + residual + LayerNorm, GELU feed-forward + residual +
// LayerNorm, all written out op by op.
inline proto::ModelProto BertLayer() {
  std::mt19937 rng(33);
  proto::ModelProto m = BaseModel(17);
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "X", 1, {kB, kS, kE});
  AttnForm attn;
  attn.mask = 1;
  AppendAttention(g, "X", "attn", attn, "a_", rng);
  AddFloatInit(g, "Wo", {kE, kE}, rng, -0.5f, 0.5f);
  AddFloatInit(g, "bo", {kE}, rng);
  Node(g, "MatMul", {"attn", "Wo"}, "o");
  Node(g, "Add", {"o", "bo"}, "ob");
  Node(g, "Add", {"ob", "X"}, "r1");
  LnForm ln;
  ln.axes = 1;
  AppendLayerNorm(g, "r1", "h1", ln, "ln1_", 3, rng, kE);
  AddFloatInit(g, "W1", {kE, 32}, rng, -0.5f, 0.5f);
  AddFloatInit(g, "b1", {32}, rng);
  AddFloatInit(g, "W2", {32, kE}, rng, -0.5f, 0.5f);
  AddFloatInit(g, "b2", {kE}, rng);
  Node(g, "MatMul", {"h1", "W1"}, "f1");
  Node(g, "Add", {"f1", "b1"}, "f1b");
  AppendGelu(g, "f1b", "f1g", GeluForm{}, "gelu_");
  Node(g, "MatMul", {"f1g", "W2"}, "f2");
  Node(g, "Add", {"b2", "f2"}, "f2b");
  Node(g, "Add", {"h1", "f2b"}, "r2");
  AppendLayerNorm(g, "r2", "Y", ln, "ln2_", 3, rng, kE);
  test::SetTensorType(g->add_output(), "Y", 1, {kB, kS, kE});
  return m;
}

}  // namespace onyx::transformer_test

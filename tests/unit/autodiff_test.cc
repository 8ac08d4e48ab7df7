// Gradient (ai.onnx.preview.training) expansion: the gradients the backward nodes compute match central
// finite differences of the forward graph (in double), with the graph optimized and not.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

#include "session/session.h"
#include "unit/test_models.h"

namespace onyx {
namespace {

constexpr int kDouble = 11;

class GradTest {
 public:
  explicit GradTest(int opset = 17, int elem = kDouble) : elem_(elem) {
    m_.set_ir_version(8);
    auto* op = m_.add_opset_import();
    op->set_domain("");
    op->set_version(opset);
    op = m_.add_opset_import();
    op->set_domain("ai.onnx.preview.training");
    op->set_version(1);
    g()->set_name("grad_test");
  }
  proto::GraphProto* g() { return m_.mutable_graph(); }

  // A graph input with random values in [lo, hi]; a negative dim is symbolic (named by `params`) and is fed
  // with `runtime` dims when given.
  GradTest& Input(const std::string& name, const std::vector<int64_t>& shape, double lo = -1, double hi = 1,
                  const std::vector<std::string>& params = {}, std::vector<int64_t> runtime = {}) {
    test::SetTensorType(g()->add_input(), name, elem_, shape, params);
    if (runtime.empty()) runtime = shape;
    std::uniform_real_distribution<double> dist(lo, hi);
    int64_t n = 1;
    for (int64_t d : runtime) n *= d;
    std::vector<double> v(static_cast<size_t>(n));
    for (double& x : v) x = dist(rng_);
    feeds_[name] = {runtime, v};
    return *this;
  }
  GradTest& Const(const std::string& name, const std::vector<int64_t>& shape, const std::vector<double>& v) {
    auto* t = g()->add_initializer();
    t->set_name(name);
    t->set_data_type(kDouble);
    for (int64_t d : shape) t->add_dims(d);
    for (double x : v) t->add_double_data(x);
    return *this;
  }
  GradTest& Ints(const std::string& name, const std::vector<int64_t>& v) {
    auto* t = g()->add_initializer();
    t->set_name(name);
    t->set_data_type(7);
    t->add_dims(static_cast<int64_t>(v.size()));
    for (int64_t x : v) t->add_int64_data(x);
    return *this;
  }
  proto::NodeProto* Node(const std::string& op, const std::vector<std::string>& ins,
                         const std::vector<std::string>& outs) {
    return test::AddNode(g(), op, ins, outs);
  }

  // Adds Gradient(xs, zs, y) reading `values` (default: the xs and zs themselves), with outputs "d_<x>".
  proto::NodeProto* AddGradient(const std::string& y, const std::vector<std::string>& xs,
                                const std::vector<std::string>& zs = {}, std::vector<std::string> values = {},
                                const std::string& name = "grad") {
    if (values.empty()) {
      values = xs;
      values.insert(values.end(), zs.begin(), zs.end());
    }
    std::vector<std::string> outs;
    for (const auto& x : xs) outs.push_back("d_" + x);
    auto* n = test::AddNode(g(), "Gradient", values, outs, name);
    n->set_domain("ai.onnx.preview.training");
    auto* a = n->add_attribute();
    a->set_name("xs");
    a->set_type(proto::AttributeProto::STRINGS);
    for (const auto& x : xs) a->add_strings(x);
    a = n->add_attribute();
    a->set_name("y");
    a->set_type(proto::AttributeProto::STRING);
    a->set_s(y);
    if (!zs.empty()) {
      a = n->add_attribute();
      a->set_name("zs");
      a->set_type(proto::AttributeProto::STRINGS);
      for (const auto& z : zs) a->add_strings(z);
    }
    return n;
  }

  Result<std::unique_ptr<Session>> Make(OptimizationLevel level) {
    std::string bytes = test::Serialize(m_);
    SessionOptions o;
    o.intra_op_threads = 1;
    o.optimization_level = level;
    return Session::CreateFromBytes(bytes.data(), bytes.size(), o);
  }

  std::vector<std::pair<std::string, Value>> Feeds(const std::map<std::string, std::vector<double>>& override = {}) {
    std::vector<std::pair<std::string, Value>> feeds;
    for (const auto& [name, f] : feeds_) {
      auto it = override.find(name);
      feeds.emplace_back(name,
                         Value(Tensor::FromVector<double>(f.first, it == override.end() ? f.second : it->second)));
    }
    return feeds;
  }

  // Runs and returns the listed outputs as doubles.
  std::vector<std::vector<double>> Run(const Session& s, const std::vector<std::string>& names,
                                       const std::map<std::string, std::vector<double>>& override = {}) {
    std::vector<Value> outs;
    Status st = s.Run(Feeds(override), names, &outs);
    EXPECT_TRUE(st.ok()) << st.ToString();
    std::vector<std::vector<double>> r;
    for (const Value& v : outs) {
      auto vals = v.tensor().values<double>();
      r.emplace_back(vals.begin(), vals.end());
    }
    return r;
  }

  // Differentiates y with respect to xs (all graph inputs) and compares with finite differences of sum(y).
  void Check(const std::string& y, const std::vector<std::string>& xs, const std::vector<std::string>& zs = {}) {
    AddGradient(y, xs, zs);
    g()->add_output()->set_name(y);
    std::vector<std::string> names = {y};
    for (const auto& x : xs) {
      g()->add_output()->set_name("d_" + x);
      names.push_back("d_" + x);
    }
    for (OptimizationLevel level : {OptimizationLevel::kDisabled, OptimizationLevel::kAll}) {
      auto s = Make(level);
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      auto got = Run(*s.value(), names);
      if (::testing::Test::HasFailure() || got.size() != names.size()) return;
      for (size_t k = 0; k < xs.size(); ++k) {
        const std::vector<double>& base = feeds_[xs[k]].second;
        ASSERT_EQ(got[k + 1].size(), base.size()) << "gradient of " << xs[k];
        for (size_t i = 0; i < base.size(); ++i) {
          const double eps = 1e-6;
          std::vector<double> plus = base, minus = base;
          plus[i] += eps;
          minus[i] -= eps;
          double sp = 0, sm = 0;
          const auto yp = Run(*s.value(), {y}, {{xs[k], plus}});
          const auto ym = Run(*s.value(), {y}, {{xs[k], minus}});
          for (double v : yp.at(0)) sp += v;
          for (double v : ym.at(0)) sm += v;
          const double fd = (sp - sm) / (2 * eps);
          EXPECT_NEAR(got[k + 1][i], fd, 1e-6 + 1e-5 * std::abs(fd)) << "d" << y << "/d" << xs[k] << "[" << i << "]";
        }
      }
    }
  }

  // Session creation must fail with a message containing every fragment.
  void ExpectError(const std::vector<std::string>& fragments) {
    auto s = Make(OptimizationLevel::kDisabled);
    ASSERT_FALSE(s.ok());
    for (const auto& f : fragments) EXPECT_NE(s.status().message().find(f), std::string::npos) << s.status().message();
  }

  std::map<std::string, std::pair<std::vector<int64_t>, std::vector<double>>> feeds_;
  proto::ModelProto m_;

 private:
  int elem_;
  std::mt19937 rng_{42};
};

TEST(Autodiff, AddMulAnalytic) {
  // The conformance graph: d = (a + b) * a in float at opset 12, so dd/da = 2a + b and dd/db = a.
  GradTest t(12, 1);
  test::SetTensorType(t.g()->add_input(), "a", 1, {});
  test::SetTensorType(t.g()->add_input(), "b", 1, {});
  t.Node("Add", {"a", "b"}, {"c"});
  t.Node("Mul", {"c", "a"}, {"d"});
  t.AddGradient("d", {"a", "b"});
  for (const char* o : {"d", "d_a", "d_b"}) test::SetTensorType(t.g()->add_output(), o, 1, {});
  auto s = t.Make(OptimizationLevel::kAll);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  std::vector<Value> outs;
  ASSERT_TRUE(s.value()->Run({{"a", Value(Tensor::Scalar(3.0f))}, {"b", Value(Tensor::Scalar(5.0f))}}, {}, &outs).ok());
  EXPECT_FLOAT_EQ(outs[0].tensor().values<float>()[0], 24.0f);
  EXPECT_FLOAT_EQ(outs[1].tensor().values<float>()[0], 11.0f);
  EXPECT_FLOAT_EQ(outs[2].tensor().values<float>()[0], 3.0f);
  for (const auto& n : s.value()->model().graph->nodes()) EXPECT_NE(n->op_type(), "Gradient");
}

TEST(Autodiff, AddBroadcast) {
  for (int opset : {12, 17}) {
    GradTest t(opset);
    t.Input("A", {2, 3}).Input("B", {3});
    t.Node("Add", {"A", "B"}, {"Y"});
    t.Check("Y", {"A", "B"});
  }
}

TEST(Autodiff, MulBroadcastBothWays) {
  for (int opset : {12, 17}) {
    GradTest t(opset);
    t.Input("A", {2, 1}).Input("B", {1, 3});
    t.Node("Mul", {"A", "B"}, {"P"});
    t.Node("Mul", {"P", "P"}, {"Y"});  // P is read twice: its gradients add up
    t.Check("Y", {"A", "B"});
  }
}

TEST(Autodiff, SubDivNeg) {
  GradTest t;
  t.Input("A", {2, 3}).Input("B", {2, 1}).Input("C", {3}, 0.5, 2.0);
  t.Node("Sub", {"A", "B"}, {"s"});
  t.Node("Div", {"s", "C"}, {"q"});
  t.Node("Neg", {"q"}, {"Y"});
  t.Check("Y", {"A", "B", "C"});
}

TEST(Autodiff, ValueUsedTwiceAccumulates) {
  GradTest t;
  t.Input("X", {4});
  t.Node("Mul", {"X", "X"}, {"sq"});
  t.Node("Add", {"sq", "X"}, {"s"});
  t.Node("Tanh", {"X"}, {"th"});
  t.Node("Mul", {"s", "th"}, {"Y"});
  t.Check("Y", {"X"});
}

TEST(Autodiff, UnaryRules) {
  GradTest t;
  t.Input("X", {2, 3}, -2, 2).Input("P", {2, 3}, 0.5, 2);
  t.Node("Relu", {"X"}, {"r"});
  t.Node("Sigmoid", {"X"}, {"sg"});
  t.Node("Tanh", {"X"}, {"th"});
  t.Node("Exp", {"X"}, {"ex"});
  t.Node("Abs", {"X"}, {"ab"});
  t.Node("Identity", {"X"}, {"id"});
  t.Node("Log", {"P"}, {"lg"});
  t.Node("Sqrt", {"P"}, {"sq"});
  t.Node("Reciprocal", {"P"}, {"rc"});
  t.Node("Sum", {"r", "sg", "th", "ex", "ab", "id", "lg", "sq", "rc"}, {"s"});
  t.Node("Mul", {"s", "X"}, {"Y"});  // makes the seed non-uniform
  t.Check("Y", {"X", "P"});
}

TEST(Autodiff, MoreUnaryRules) {
  GradTest t;
  t.Input("X", {2, 3}, -2, 2);
  t.Const("lo", {}, {-0.5}).Const("hi", {}, {0.7});
  test::SetFloatAttr(t.Node("LeakyRelu", {"X"}, {"lr"}), "alpha", 0.2f);
  t.Node("Sin", {"X"}, {"sn"});
  t.Node("Cos", {"X"}, {"cs"});
  t.Node("Sign", {"X"}, {"sg"});
  t.Node("Clip", {"X", "lo", "hi"}, {"cl"});
  t.Node("Sum", {"lr", "sn", "cs", "sg", "cl"}, {"s"});
  t.Node("Mul", {"s", "X"}, {"Y"});
  t.Check("Y", {"X"});
}

TEST(Autodiff, SecondOrderThroughSliceMatMulTanh) {
  // The first expansion emits Pad, Gemm, Sub and Mul; the second Gradient differentiates through them.
  GradTest t;
  t.Input("X", {2, 3}).Input("W", {3, 2});
  t.Ints("starts", {1}).Ints("ends", {2}).Ints("axes", {1});
  t.Node("MatMul", {"X", "W"}, {"p"});
  t.Node("Tanh", {"p"}, {"th"});
  t.Node("Slice", {"th", "starts", "ends", "axes"}, {"sl"});
  t.Node("Mul", {"sl", "sl"}, {"y"});
  t.AddGradient("y", {"X"}, {"W"}, {}, "first")->set_output(0, "gx");
  t.Check("gx", {"X"}, {"W"});
}

TEST(Autodiff, PadConstantMode) {
  for (int opset : {9, 13, 18}) {
    GradTest t(opset);
    t.Input("X", {2, 3});
    auto* pad = t.Node("Pad", {"X"}, {"p"});
    if (opset < 11) {
      test::SetIntsAttr(pad, "pads", {1, 0, 0, 2});
    } else {
      t.Ints("pads", {1, 0, 0, 2});
      pad->add_input("pads");
    }
    t.Node("Sigmoid", {"p"}, {"Y"});
    t.Check("Y", {"X"});
  }
}

TEST(Autodiff, PowConstantAndVariableExponent) {
  GradTest t;
  t.Input("X", {2, 3}, 0.5, 2).Input("E", {3}, 0.5, 2);
  t.Const("three", {}, {3.0});
  t.Node("Pow", {"X", "three"}, {"c"});
  t.Node("Pow", {"X", "E"}, {"v"});
  t.Node("Add", {"c", "v"}, {"Y"});
  t.Check("Y", {"X", "E"});
}

TEST(Autodiff, MatMul2DAndBatched) {
  GradTest t;
  t.Input("A", {3, 4}).Input("B", {4, 2}).Input("C", {2, 3, 4}).Input("D", {2, 4, 2});
  t.Node("MatMul", {"A", "B"}, {"ab"});
  t.Node("MatMul", {"C", "D"}, {"cd"});
  t.Node("Add", {"cd", "ab"}, {"s"});
  t.Node("Sigmoid", {"s"}, {"Y"});
  t.Check("Y", {"A", "B", "C", "D"});
}

TEST(Autodiff, MatMulBroadcastBatchAndVectors) {
  GradTest t;
  t.Input("A", {1, 3, 4}).Input("B", {2, 4, 5}).Input("W", {5, 3}).Input("v", {3}).Input("u", {4});
  t.Node("MatMul", {"A", "B"}, {"ab"});    // [2,3,5]: A's batch dim broadcasts
  t.Node("MatMul", {"ab", "W"}, {"abw"});  // [2,3,3]: W 2-D against a batch
  t.Node("MatMul", {"abw", "v"}, {"m"});   // [2,3]: 1-D right operand
  t.Node("MatMul", {"u", "B"}, {"ub"});    // [2,5]: 1-D left operand
  t.Node("MatMul", {"v", "v"}, {"dot"});   // scalar
  t.Node("ReduceSum", {"ub"}, {"ubs"});
  t.Node("Mul", {"m", "ubs"}, {"p"});
  t.Node("Mul", {"p", "dot"}, {"Y"});
  t.Check("Y", {"A", "B", "W", "v", "u"});
}

TEST(Autodiff, GemmAttributes) {
  for (int opset : {9, 13}) {
    for (int ta : {0, 1}) {
      for (int tb : {0, 1}) {
        GradTest t(opset);
        t.Input("A", ta ? std::vector<int64_t>{4, 3} : std::vector<int64_t>{3, 4});
        t.Input("B", tb ? std::vector<int64_t>{2, 4} : std::vector<int64_t>{4, 2});
        t.Input("C", {2});
        auto* n = t.Node("Gemm", {"A", "B", "C"}, {"Y"});
        test::SetIntAttr(n, "transA", ta);
        test::SetIntAttr(n, "transB", tb);
        test::SetFloatAttr(n, "alpha", 0.5f);
        test::SetFloatAttr(n, "beta", 2.0f);
        t.Node("Mul", {"Y", "Y"}, {"Y2"});
        t.Check("Y2", {"A", "B", "C"});
      }
    }
  }
}

TEST(Autodiff, GemmScalarBiasAndNoBias) {
  GradTest t(13);
  t.Input("A", {3, 4}).Input("B", {4, 2}).Input("C", {1, 1});
  t.Node("Gemm", {"A", "B", "C"}, {"g1"});
  t.Node("Gemm", {"A", "B"}, {"g2"});
  t.Node("Mul", {"g1", "g2"}, {"Y"});
  t.Check("Y", {"A", "B", "C"});
}

TEST(Autodiff, ReduceSumAndMeanAxesAsAttribute) {
  for (int keep : {0, 1}) {
    GradTest t(12);
    t.Input("X", {2, 3, 4});
    auto* n = t.Node("ReduceSum", {"X"}, {"s"});
    test::SetIntsAttr(n, "axes", {-1, 0});
    test::SetIntAttr(n, "keepdims", keep);
    n = t.Node("ReduceMean", {"X"}, {"m"});
    test::SetIntsAttr(n, "axes", {1});
    test::SetIntAttr(n, "keepdims", keep);
    n = t.Node("ReduceMean", {"X"}, {"all"});  // every axis
    test::SetIntAttr(n, "keepdims", keep);
    t.Node("Mul", {"s", "s"}, {"s2"});
    t.Node("Mul", {"m", "m"}, {"m2"});
    t.Node("Mul", {"all", "all"}, {"a2"});
    t.Node("ReduceSum", {"s2"}, {"y1"});
    t.Node("ReduceSum", {"m2"}, {"y2"});
    t.Node("Sum", {"y1", "y2", "a2"}, {"Y"});
    t.Check("Y", {"X"});
  }
}

TEST(Autodiff, ReduceSumAndMeanAxesAsInput) {
  for (int keep : {0, 1}) {
    GradTest t(18);
    t.Input("X", {2, 3, 4});
    t.Ints("ax_s", {0, -1}).Ints("ax_m", {1});
    auto* n = t.Node("ReduceSum", {"X", "ax_s"}, {"s"});
    test::SetIntAttr(n, "keepdims", keep);
    n = t.Node("ReduceMean", {"X", "ax_m"}, {"m"});
    test::SetIntAttr(n, "keepdims", keep);
    t.Node("Mul", {"s", "s"}, {"s2"});
    t.Node("Mul", {"m", "m"}, {"m2"});
    t.Node("ReduceSum", {"s2"}, {"y1"});
    t.Node("ReduceSum", {"m2"}, {"y2"});
    t.Node("Add", {"y1", "y2"}, {"Y"});
    t.Check("Y", {"X"});
  }
}

TEST(Autodiff, ShapeOperators) {
  for (int opset : {12, 17}) {
    GradTest t(opset);
    t.Input("X", {2, 3, 4});
    if (opset >= 13) {
      t.Ints("shape", {4, 6}).Ints("ax0", {0}).Ints("ax1", {1});
      t.Node("Reshape", {"X", "shape"}, {"r"});
      t.Node("Unsqueeze", {"r", "ax0"}, {"u"});
      t.Node("Squeeze", {"u", "ax0"}, {"q"});
    } else {
      t.Ints("shape", {4, 6});
      t.Node("Reshape", {"X", "shape"}, {"r"});
      test::SetIntsAttr(t.Node("Unsqueeze", {"r"}, {"u"}), "axes", {0});
      test::SetIntsAttr(t.Node("Squeeze", {"u"}, {"q"}), "axes", {0});
    }
    test::SetIntsAttr(t.Node("Transpose", {"q"}, {"tr"}), "perm", {1, 0});
    t.Node("Transpose", {"X"}, {"rev"});    // default perm reverses
    t.Node("Flatten", {"rev"}, {"fl"});     // [4, 6]
    t.Node("MatMul", {"fl", "tr"}, {"p"});  // [4, 4]
    t.Node("Exp", {"p"}, {"Y"});
    t.Check("Y", {"X"});
  }
}

TEST(Autodiff, SoftmaxAndLogSoftmax) {
  for (int opset : {12, 13}) {
    GradTest t(opset);
    t.Input("X", {2, 3, 4}).Input("W", {2, 3, 4});
    test::SetIntAttr(t.Node("Softmax", {"X"}, {"s"}), "axis", 1);
    t.Node("LogSoftmax", {"X"}, {"l"});
    t.Node("Add", {"s", "l"}, {"a"});
    t.Node("Mul", {"a", "W"}, {"Y"});
    t.Check("Y", {"X"});
  }
}

TEST(Autodiff, ConcatSplitSlice) {
  for (int opset : {12, 13}) {
    GradTest t(opset);
    t.Input("A", {2, 3}).Input("B", {2, 2}).Input("W", {2, 5});
    test::SetIntAttr(t.Node("Concat", {"A", "B"}, {"c"}), "axis", -1);
    t.Node("Mul", {"c", "W"}, {"cw"});
    auto* split = t.Node("Split", {"cw"}, {"p0", "p1"});
    test::SetIntAttr(split, "axis", 1);
    if (opset >= 13) {
      t.Ints("sizes", {1, 4});
      split->add_input("sizes");
    } else {
      test::SetIntsAttr(split, "split", {1, 4});
    }
    t.Ints("starts", {1, -3}).Ints("ends", {2, 100}).Ints("axes", {0, 1});
    t.Node("Slice", {"p1", "starts", "ends", "axes"}, {"sl"});  // p0 gets no gradient: zeros
    t.Node("Tanh", {"sl"}, {"Y"});
    t.Check("Y", {"A", "B"});
  }
}

TEST(Autodiff, WhereExpandCast) {
  GradTest t;
  t.Input("A", {2, 3}).Input("B", {3});
  t.Ints("shape", {2, 3});
  t.Node("Greater", {"A", "B"}, {"mask"});
  t.Node("Where", {"mask", "A", "B"}, {"w"});
  t.Node("Expand", {"B", "shape"}, {"e"});
  test::SetIntAttr(t.Node("Cast", {"e"}, {"ed"}), "to", kDouble);
  t.Node("Mul", {"w", "ed"}, {"Y"});
  t.Check("Y", {"A", "B"});
}

TEST(Autodiff, SymbolicShapesUseRuntimeReduction) {
  // B's first dim is another symbol than A's, so which axes were broadcast is only known when running.
  GradTest t(17);
  t.Input("A", {-1, 3}, -1, 1, {"N"}, {2, 3}).Input("B", {-1, 3}, -1, 1, {"M"}, {1, 3});
  t.Node("Mul", {"A", "B"}, {"Y"});
  t.Check("Y", {"A", "B"});
}

TEST(Autodiff, SymbolicShapesNeedOpset13) {
  GradTest t(12);
  t.Input("A", {-1, 3}, -1, 1, {"N"}, {2, 3}).Input("B", {-1, 3}, -1, 1, {"M"}, {1, 3});
  t.Node("Mul", {"A", "B"}, {"Y"});
  t.AddGradient("Y", {"A", "B"});
  t.g()->add_output()->set_name("d_B");
  t.ExpectError({"'grad'", "undoing the broadcasting of '", "needs static shapes below ai.onnx opset 13"});
}

TEST(Autodiff, UnusedXGetsZeros) {
  GradTest t;
  t.Input("A", {2, 3}).Input("B", {4});
  t.Node("Exp", {"A"}, {"Y"});
  t.Check("Y", {"A", "B"});
  auto s = t.Make(OptimizationLevel::kDisabled);
  ASSERT_TRUE(s.ok());
  auto out = t.Run(*s.value(), {"d_B"});
  EXPECT_EQ(out[0], std::vector<double>(4, 0.0));
}

TEST(Autodiff, ZsAreHeldConstant) {
  // Z = 2X is named in zs, so Y = Z * X differentiates as if Z did not depend on X: dY/dX = Z.
  GradTest t;
  t.Input("X", {3});
  t.Const("two", {}, {2.0});
  t.Node("Mul", {"X", "two"}, {"Z"});
  t.Node("Mul", {"Z", "X"}, {"Y"});
  t.AddGradient("Y", {"X"}, {"Z"});
  t.g()->add_output()->set_name("d_X");
  auto s = t.Make(OptimizationLevel::kAll);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto out = t.Run(*s.value(), {"d_X"});
  const auto& x = t.feeds_["X"].second;
  for (size_t i = 0; i < x.size(); ++i) EXPECT_DOUBLE_EQ(out[0][i], 2 * x[i]);
}

TEST(Autodiff, YIsAnX) {
  GradTest t;
  t.Input("X", {3});
  t.Node("Exp", {"X"}, {"Y"});
  t.AddGradient("X", {"X"});
  t.g()->add_output()->set_name("Y");
  t.g()->add_output()->set_name("d_X");
  auto s = t.Make(OptimizationLevel::kAll);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(t.Run(*s.value(), {"d_X"})[0], std::vector<double>(3, 1.0));
}

TEST(Autodiff, GradientAtOtherValuesRecomputesForward) {
  // The inputs are where to differentiate: d(X*X*W)/dX at X1, not at X, is 2*X1*W.
  GradTest t;
  t.Input("X", {3}).Input("X1", {3}).Input("W", {3});
  t.Node("Mul", {"X", "X"}, {"sq"});
  t.Node("Mul", {"sq", "W"}, {"Y"});
  t.AddGradient("Y", {"X"}, {"W"}, {"X1", "W"});
  t.g()->add_output()->set_name("d_X");
  auto s = t.Make(OptimizationLevel::kAll);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto out = t.Run(*s.value(), {"d_X"});
  const auto& x1 = t.feeds_["X1"].second;
  const auto& w = t.feeds_["W"].second;
  for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(out[0][i], 2 * x1[i] * w[i], 1e-12);
}

TEST(Autodiff, SecondOrderThroughExpandedGradient) {
  // Y = X^3; the first Gradient gives 3X^2 and the second differentiates that expansion: 6X.
  GradTest t;
  t.Input("X", {4});
  t.Const("three", {}, {3.0});
  t.Node("Pow", {"X", "three"}, {"Y"});
  t.AddGradient("Y", {"X"}, {}, {}, "g1");
  auto* second = t.AddGradient("d_X", {"X"}, {}, {}, "g2");
  second->set_output(0, "dd_X");
  t.g()->add_output()->set_name("d_X");
  t.g()->add_output()->set_name("dd_X");
  auto s = t.Make(OptimizationLevel::kAll);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto out = t.Run(*s.value(), {"d_X", "dd_X"});
  const auto& x = t.feeds_["X"].second;
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_NEAR(out[0][i], 3 * x[i] * x[i], 1e-12);
    EXPECT_NEAR(out[1][i], 6 * x[i], 1e-12);
  }
}

TEST(Autodiff, OperatorWithoutRuleIsNamed) {
  GradTest t;
  t.Input("X", {1, 1, 4, 4}).Input("W", {1, 1, 3, 3});
  t.Node("Conv", {"X", "W"}, {"c"});
  t.g()->mutable_node(0)->set_name("conv1");
  t.Node("Relu", {"c"}, {"Y"});
  t.AddGradient("Y", {"X"}, {}, {}, "g");
  t.g()->add_output()->set_name("d_X");
  t.ExpectError({"'g'", "no gradient rule for operator 'Conv' (node 'conv1') on the path from 'X' to 'Y'"});
}

TEST(Autodiff, OperatorOffThePathNeedsNoRule) {
  // Erf (no rule) reads only W, a z, and K, neither an x: it is on no path from X to Y.
  GradTest t;
  t.Input("X", {2, 2}).Input("W", {2, 2}).Input("K", {2});
  t.Node("Erf", {"W"}, {"ew"});
  t.Node("Erf", {"K"}, {"ek"});
  t.Node("Mul", {"X", "ew"}, {"p"});
  t.Node("Mul", {"p", "ek"}, {"Y"});
  t.Check("Y", {"X"}, {"W"});
}

TEST(Autodiff, UnknownNamesAndTypes) {
  {
    GradTest t;
    t.Input("X", {3});
    t.Node("Exp", {"X"}, {"Y"});
    t.AddGradient("nope", {"X"});
    t.g()->add_output()->set_name("d_X");
    t.ExpectError({"'grad'", "y 'nope' is not a value of the graph"});
  }
  {
    GradTest t;
    t.Input("X", {3});
    t.Node("Exp", {"X"}, {"Y"});
    t.AddGradient("Y", {"Q"}, {}, {"X"});
    t.g()->add_output()->set_name("d_Q");
    t.ExpectError({"x 'Q' is not a value of the graph"});
  }
  {
    GradTest t;
    test::SetTensorType(t.g()->add_input(), "I", 7, {3});
    t.Input("X", {3});
    t.Node("Exp", {"X"}, {"Y"});
    t.AddGradient("Y", {"I"});
    t.g()->add_output()->set_name("d_I");
    t.ExpectError({"x 'I'", "tensor(int64)", "floating-point"});
  }
  {
    GradTest t;
    t.Input("X", {3});
    t.Node("Exp", {"X"}, {"Y"});
    t.AddGradient("Y", {"X"}, {}, {"X", "X"});
    t.g()->add_output()->set_name("d_X");
    t.ExpectError({"has 2 inputs, but 'xs' and 'zs' name 1"});
  }
}

TEST(Autodiff, GradientInSubgraphIsRefused) {
  GradTest t;
  t.Input("X", {3});
  test::SetTensorType(t.g()->add_input(), "cond", 9, {});
  auto* n = t.Node("If", {"cond"}, {"Y"});
  for (const char* branch : {"then_branch", "else_branch"}) {
    auto* a = n->add_attribute();
    a->set_name(branch);
    a->set_type(proto::AttributeProto::GRAPH);
    auto* body = a->mutable_g();
    body->set_name(branch);
    test::AddNode(body, "Exp", {"X"}, {"e"});
    auto* grad = test::AddNode(body, "Gradient", {"X"}, {"de"}, "inner");
    grad->set_domain("ai.onnx.preview.training");
    auto* xs = grad->add_attribute();
    xs->set_name("xs");
    xs->set_type(proto::AttributeProto::STRINGS);
    xs->add_strings("X");
    auto* y = grad->add_attribute();
    y->set_name("y");
    y->set_type(proto::AttributeProto::STRING);
    y->set_s("e");
    test::SetTensorType(body->add_output(), "de", kDouble, {3});
  }
  t.g()->add_output()->set_name("Y");
  t.ExpectError({"subgraph holds a Gradient node"});
}

}  // namespace
}  // namespace onyx

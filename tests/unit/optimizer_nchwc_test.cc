// The NchwcLayout pass (level all): a conv chain runs blocked between one pair of reorders with the outputs of
// the unoptimized graph; convolutions it cannot or should not take are left alone; the rewritten model saves
// and loads back.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <thread>

#include "ep/cpu/ukernels/float_nchwc__avx2.h"
#include "format/model_loader.h"
#include "kernels/nchwc_test_util.h"
#include "unit/optimizer_test_util.h"

namespace onyx {
namespace {

using test::AddFloatInit;
using test::AddNode;
using test::BaseModel;
using test::ExpectSameOutputs;
using test::Make;
using test::OpCounts;
using test::SetFloatAttr;
using test::SetIntAttr;
using test::SetIntsAttr;
using test::SetTensorType;

proto::NodeProto* AddConv(proto::GraphProto* g, const std::string& x, const std::string& w, const std::string& b,
                          const std::string& y, int64_t pad) {
  auto* n = AddNode(g, "Conv", b.empty() ? std::vector<std::string>{x, w} : std::vector<std::string>{x, w, b}, {y});
  SetIntsAttr(n, "pads", {pad, pad, pad, pad});
  return n;
}

// conv(3->16) - relu - conv(16->16) - add(residual) - maxpool - globalavgpool - flatten - gemm
proto::ModelProto ChainModel() {
  proto::ModelProto m = BaseModel(17);
  auto* g = m.mutable_graph();
  std::mt19937 rng(11);
  SetTensorType(g->add_input(), "X", 1, {1, 3, 16, 16});
  SetTensorType(g->add_output(), "Y", 1, {1, 10});
  AddFloatInit(g, "W1", {16, 3, 3, 3}, rng);
  AddFloatInit(g, "B1", {16}, rng);
  AddFloatInit(g, "W2", {16, 16, 3, 3}, rng, -0.2f, 0.2f);
  AddFloatInit(g, "B2", {16}, rng);
  AddFloatInit(g, "G", {16, 10}, rng);
  AddConv(g, "X", "W1", "B1", "c1", 1);
  AddNode(g, "Relu", {"c1"}, {"r1"});
  AddConv(g, "r1", "W2", "B2", "c2", 1);
  AddNode(g, "Add", {"c2", "r1"}, {"s"});
  auto* mp = AddNode(g, "MaxPool", {"s"}, {"p"});
  SetIntsAttr(mp, "kernel_shape", {2, 2});
  SetIntsAttr(mp, "strides", {2, 2});
  AddNode(g, "GlobalAveragePool", {"p"}, {"gp"});
  AddNode(g, "Flatten", {"gp"}, {"f"});
  AddNode(g, "Gemm", {"f", "G"}, {"Y"});
  return m;
}

TEST(OptimizerNchwc, ConvChainRunsBlocked) {
  ONYX_SKIP_WITHOUT_NCHWC();
  const proto::ModelProto m = ChainModel();
  auto ref = Make(m, OptimizationLevel::kDisabled);
  auto ext = Make(m, OptimizationLevel::kExtended);
  auto all = Make(m, OptimizationLevel::kAll);
  ASSERT_TRUE(ref && ext && all);
  EXPECT_EQ(OpCounts(*ext).count("NchwcConv"), 0u);
  const std::map<std::string, int> expected = {
      {"NchwcConv", 2},        {"NchwcMaxPool", 1}, {"NchwcGlobalAveragePool", 1},
      {"ReorderFromNchwc", 1}, {"Flatten", 1},      {"Gemm", 1}};
  EXPECT_EQ(OpCounts(*all), expected);  // the 3-channel input goes into the first conv as NCHW
  ExpectSameOutputs(*ref, *all);
}

// The weights and biases the pass packed are gone from the session's graph: nothing reads them, and kept they
// would hold a second copy of every weight in memory for the session's life.
TEST(OptimizerNchwc, PackedSourcesAreDropped) {
  ONYX_SKIP_WITHOUT_NCHWC();
  auto all = Make(ChainModel(), OptimizationLevel::kAll);
  ASSERT_TRUE(all);
  const ir::Graph& g = *all->model().graph;
  ASSERT_FALSE(g.initializers().empty());
  for (const ir::Value* v : g.initializers()) {
    EXPECT_FALSE(v->consumers().empty()) << v->name() << " is a constant nothing reads";
    EXPECT_NE(v->name(), "W1");
    EXPECT_NE(v->name(), "W2");
  }
}

TEST(OptimizerNchwc, OddChannelsAndGraphOutputInsideChain) {
  ONYX_SKIP_WITHOUT_NCHWC();
  proto::ModelProto m = BaseModel(17);
  auto* g = m.mutable_graph();
  std::mt19937 rng(5);
  SetTensorType(g->add_input(), "X", 1, {2, 13, 9, 9});
  SetTensorType(g->add_output(), "Y", 1, {2, 21, 9, 9});
  SetTensorType(g->add_output(), "Mid", 1, {2, 13, 9, 9});
  AddFloatInit(g, "W1", {13, 1, 3, 3}, rng);
  AddFloatInit(g, "W2", {21, 13, 1, 1}, rng);
  AddFloatInit(g, "S", {1, 13, 1, 1}, rng);
  auto* dw = AddConv(g, "X", "W1", "", "d", 1);
  auto* a = dw->add_attribute();
  a->set_name("group");
  a->set_type(proto::AttributeProto::INT);
  a->set_i(13);
  AddNode(g, "Relu", {"d"}, {"r"});  // keeps the Mul from being folded into the weights
  AddNode(g, "Mul", {"r", "S"}, {"Mid"});
  AddConv(g, "Mid", "W2", "", "c", 0);
  AddNode(g, "Sigmoid", {"c"}, {"Y"});
  auto ref = Make(m, OptimizationLevel::kDisabled);
  auto all = Make(m, OptimizationLevel::kAll);
  ASSERT_TRUE(ref && all);
  auto counts = OpCounts(*all);
  EXPECT_EQ(counts["NchwcConv"], 2);
  EXPECT_EQ(counts["ReorderToNchwc"], 1);
  EXPECT_EQ(counts["ReorderFromNchwc"], 2);  // Y and the graph output Mid
  EXPECT_EQ(counts["Mul"], 1);               // on blocked tensors, with the scale re-laid out
  ExpectSameOutputs(*ref, *all);
}

void AddInt64Init(proto::GraphProto* g, const std::string& name, const std::vector<int64_t>& values) {
  auto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(7);
  t->add_dims(static_cast<int64_t>(values.size()));
  for (int64_t v : values) t->add_int64_data(v);
}

// A ShuffleNet unit: grouped 1x1 convolutions whose groups do not fill blocks (12 channels), the channel
// shuffle (Reshape, Transpose, Reshape) and a depthwise convolution all stay blocked; a shuffle with another
// permutation does not become NchwcChannelShuffle.
TEST(OptimizerNchwc, ShuffleUnitRunsBlocked) {
  ONYX_SKIP_WITHOUT_NCHWC();
  for (bool shuffle : {true, false}) {
    proto::ModelProto m = BaseModel(17);
    auto* g = m.mutable_graph();
    std::mt19937 rng(8);
    SetTensorType(g->add_input(), "X", 1, {2, 48, 10, 10});
    SetTensorType(g->add_output(), "Y", 1, {2, 48, 10, 10});
    AddFloatInit(g, "W1", {48, 12, 1, 1}, rng);
    AddFloatInit(g, "W2", {48, 1, 3, 3}, rng);
    AddFloatInit(g, "W3", {48, 12, 1, 1}, rng);
    AddInt64Init(g, "split", {2, 4, 12, 10, 10});
    AddInt64Init(g, "merge", {2, 48, 10, 10});
    SetIntAttr(AddConv(g, "X", "W1", "", "c1", 0), "group", 4);
    AddNode(g, "Relu", {"c1"}, {"r1"});
    AddNode(g, "Reshape", {"r1", "split"}, {"s1"});
    SetIntsAttr(AddNode(g, "Transpose", {"s1"}, {"s2"}), "perm",
                shuffle ? std::vector<int64_t>{0, 2, 1, 3, 4} : std::vector<int64_t>{0, 1, 2, 4, 3});
    AddNode(g, "Reshape", {"s2", "merge"}, {"s3"});
    SetIntAttr(AddConv(g, "s3", "W2", "", "c2", 1), "group", 48);
    SetIntAttr(AddConv(g, "c2", "W3", "", "c3", 0), "group", 4);
    AddNode(g, "Add", {"c3", "X"}, {"Y"});
    auto ref = Make(m, OptimizationLevel::kDisabled);
    auto all = Make(m, OptimizationLevel::kAll);
    ASSERT_TRUE(ref && all);
    auto counts = OpCounts(*all);
    EXPECT_EQ(counts["NchwcConv"], 3);
    EXPECT_EQ(counts["NchwcChannelShuffle"], shuffle ? 1 : 0);
    EXPECT_EQ(counts["Transpose"], shuffle ? 0 : 1);
    EXPECT_EQ(counts["ReorderToNchwc"], shuffle ? 1 : 2);
    ExpectSameOutputs(*ref, *all);
  }
}

// GoogLeNet's stem: LRN between convolutions (12 channels: the last block padded) and the max pool after it stay
// blocked, with one reorder at the end.
TEST(OptimizerNchwc, LrnStaysBlocked) {
  ONYX_SKIP_WITHOUT_NCHWC();
  proto::ModelProto m = BaseModel(17);
  auto* g = m.mutable_graph();
  std::mt19937 rng(5);
  SetTensorType(g->add_input(), "X", 1, {1, 3, 16, 16});
  SetTensorType(g->add_output(), "Y", 1, {1, 16, 8, 8});
  AddFloatInit(g, "W1", {12, 3, 3, 3}, rng);
  AddFloatInit(g, "B1", {12}, rng);
  AddFloatInit(g, "W2", {16, 12, 3, 3}, rng);
  AddConv(g, "X", "W1", "B1", "c1", 1);
  AddNode(g, "Sigmoid", {"c1"}, {"r1"});  // padding lanes of 0.5, not 0: the sums must leave them out
  auto* lrn = AddNode(g, "LRN", {"r1"}, {"l1"});
  SetIntAttr(lrn, "size", 5);
  SetFloatAttr(lrn, "alpha", 0.5f);
  auto* mp = AddNode(g, "MaxPool", {"l1"}, {"p"});
  SetIntsAttr(mp, "kernel_shape", {2, 2});
  SetIntsAttr(mp, "strides", {2, 2});
  AddConv(g, "p", "W2", "", "Y", 1);
  auto ref = Make(m, OptimizationLevel::kDisabled);
  auto all = Make(m, OptimizationLevel::kAll);
  ASSERT_TRUE(ref && all);
  const std::map<std::string, int> expected = {
      {"NchwcConv", 2}, {"NchwcLrn", 1}, {"NchwcMaxPool", 1}, {"ReorderFromNchwc", 1}};
  EXPECT_EQ(OpCounts(*all), expected);
  ExpectSameOutputs(*ref, *all);
}

// Weights and bias that are also graph inputs (initializers a run may override, as IR 3 exports list them) run
// blocked: the kernel packs their initial values once, on the first run that uses them (several runs at once on a
// fresh session too), and whatever a run feeds when it feeds something.
TEST(OptimizerNchwc, OverridableWeightsRunBlocked) {
  ONYX_SKIP_WITHOUT_NCHWC();
  proto::ModelProto m = BaseModel(17);
  auto* g = m.mutable_graph();
  std::mt19937 rng(9);
  SetTensorType(g->add_input(), "X", 1, {1, 16, 8, 8});
  SetTensorType(g->add_input(), "W", 1, {24, 16, 3, 3});
  SetTensorType(g->add_input(), "B", 1, {24});
  SetTensorType(g->add_output(), "Y", 1, {1, 24, 8, 8});
  AddFloatInit(g, "W", {24, 16, 3, 3}, rng);
  AddFloatInit(g, "B", {24}, rng);
  AddConv(g, "X", "W", "B", "c", 1);
  AddNode(g, "Relu", {"c"}, {"Y"});
  auto ref = Make(m, OptimizationLevel::kDisabled);
  auto all = Make(m, OptimizationLevel::kAll);
  ASSERT_TRUE(ref && all);
  EXPECT_EQ(OpCounts(*all)["NchwcConv"], 1);
  Tensor x = Tensor::Create(DataType::kFloat, {1, 16, 8, 8}).take();
  Tensor w = Tensor::Create(DataType::kFloat, {24, 16, 3, 3}).take();
  std::uniform_real_distribution<float> dist(-1, 1);
  for (float& v : x.mutable_values<float>()) v = dist(rng);
  for (float& v : w.mutable_values<float>()) v = dist(rng);
  {  // four first runs at once, on the initial weights
    std::vector<Value> expected;
    ASSERT_TRUE(ref->Run({{"X", Value(x)}}, {}, &expected).ok());
    std::vector<std::vector<Value>> got(4);
    std::vector<int> ok(4, 0);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < got.size(); ++t) {
      threads.emplace_back([&, t] { ok[t] = all->Run({{"X", Value(x)}}, {}, &got[t]).ok() ? 1 : 0; });
    }
    for (std::thread& t : threads) t.join();
    for (size_t t = 0; t < got.size(); ++t) {
      ASSERT_EQ(ok[t], 1) << "thread " << t;
      ASSERT_EQ(got[t].size(), 1u);
      EXPECT_EQ(CompareValues(expected[0], got[t][0], {1e-5, 1e-4}), "") << "thread " << t;
    }
  }
  ExpectSameOutputs(*ref, *all);  // the initial weights
  const std::vector<std::pair<std::string, Value>> feeds = {{"X", Value(x)}, {"W", Value(w)}};
  for (int run = 0; run < 2; ++run) {  // fed weights, then the initial ones again
    std::vector<Value> a, b;
    ASSERT_TRUE(ref->Run(run == 0 ? feeds : std::vector<std::pair<std::string, Value>>{feeds[0]}, {}, &a).ok());
    ASSERT_TRUE(all->Run(run == 0 ? feeds : std::vector<std::pair<std::string, Value>>{feeds[0]}, {}, &b).ok());
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(CompareValues(a[0], b[0], {1e-5, 1e-4}), "") << "run " << run;  // sums of 144 terms near 1
  }
}

TEST(OptimizerNchwc, LeavesOtherConvsAlone) {
  ONYX_SKIP_WITHOUT_NCHWC();
  std::mt19937 rng(3);
  {  // weights fed at run time whose shape is not known
    proto::ModelProto m = BaseModel(17);
    auto* g = m.mutable_graph();
    SetTensorType(g->add_input(), "X", 1, {1, 8, 6, 6});
    auto* w = g->add_input();
    w->set_name("W");
    w->mutable_type()->mutable_tensor_type()->set_elem_type(1);
    auto* ws = w->mutable_type()->mutable_tensor_type()->mutable_shape();
    ws->add_dim()->set_dim_param("m");
    for (int64_t d : {8, 3, 3}) ws->add_dim()->set_dim_value(d);
    SetTensorType(g->add_output(), "Y", 1, {1, 8, 4, 4});
    AddNode(g, "Conv", {"X", "W"}, {"Y"});
    auto all = Make(m, OptimizationLevel::kAll);
    ASSERT_TRUE(all);
    EXPECT_EQ(OpCounts(*all), (std::map<std::string, int>{{"Conv", 1}}));
  }
  {  // 1-D convolution
    proto::ModelProto m = BaseModel(17);
    auto* g = m.mutable_graph();
    SetTensorType(g->add_input(), "X", 1, {1, 8, 10});
    SetTensorType(g->add_output(), "Y", 1, {1, 8, 8});
    AddFloatInit(g, "W", {8, 8, 3}, rng);
    AddNode(g, "Conv", {"X", "W"}, {"Y"});
    auto all = Make(m, OptimizationLevel::kAll);
    ASSERT_TRUE(all);
    EXPECT_EQ(OpCounts(*all), (std::map<std::string, int>{{"Conv", 1}}));
  }
  {  // float64
    proto::ModelProto m = BaseModel(17);
    auto* g = m.mutable_graph();
    SetTensorType(g->add_input(), "X", 11, {1, 8, 6, 6});
    SetTensorType(g->add_output(), "Y", 11, {1, 8, 4, 4});
    auto* w = g->add_initializer();
    w->set_name("W");
    w->set_data_type(11);
    for (int64_t d : {8, 8, 3, 3}) w->add_dims(d);
    for (int i = 0; i < 8 * 8 * 9; ++i) w->add_double_data(0.01 * (i % 7));
    AddNode(g, "Conv", {"X", "W"}, {"Y"});
    auto all = Make(m, OptimizationLevel::kAll);
    ASSERT_TRUE(all);
    EXPECT_EQ(OpCounts(*all), (std::map<std::string, int>{{"Conv", 1}}));
  }
}

// On several threads the AVX-512 convolutions pad their input per task, each thread into a band of rows of its own,
// and pools share out chunks of rows: padded convolutions of many widths and heights (rows shared out unevenly,
// chunks of one row), a batch, strides, the first convolution's NCHW input with pads and without, each followed by
// a 3x3 max pool, a padded 3x3 and a strided 1x1 convolution (gathered per task), against the unoptimized graph
// on one thread.
TEST(OptimizerNchwc, PaddedConvsAndPoolsOnSeveralThreads) {
  ONYX_SKIP_WITHOUT_NCHWC();
  struct Shape4 {
    int64_t n, c, hw, k, s, pad;
  };
  for (const Shape4& e : std::vector<Shape4>{{1, 3, 31, 7, 2, 3},
                                             {2, 3, 17, 3, 2, 0},
                                             {1, 16, 27, 3, 1, 1},
                                             {2, 24, 13, 3, 1, 1},
                                             {1, 64, 7, 3, 1, 1},
                                             {1, 8, 5, 5, 1, 2},
                                             {1, 16, 40, 3, 2, 1}}) {
    proto::ModelProto m = BaseModel(17);
    auto* g = m.mutable_graph();
    std::mt19937 rng(static_cast<uint32_t>(e.c * 100 + e.hw));
    SetTensorType(g->add_input(), "X", 1, {e.n, e.c, e.hw, e.hw});
    const int64_t out = (((e.hw + 2 * e.pad - e.k) / e.s + 1 - 3) / 2 + 1 - 1) / 2 + 1;
    SetTensorType(g->add_output(), "Y", 1, {e.n, 24, out, out});
    AddFloatInit(g, "W1", {32, e.c, e.k, e.k}, rng, -0.2f, 0.2f);
    AddFloatInit(g, "B1", {32}, rng);
    AddFloatInit(g, "W2", {48, 32, 3, 3}, rng, -0.2f, 0.2f);
    AddFloatInit(g, "W3", {24, 48, 1, 1}, rng, -0.2f, 0.2f);
    SetIntsAttr(AddConv(g, "X", "W1", "B1", "c1", e.pad), "strides", {e.s, e.s});
    AddNode(g, "Relu", {"c1"}, {"r1"});
    auto* mp = AddNode(g, "MaxPool", {"r1"}, {"p1"});
    SetIntsAttr(mp, "kernel_shape", {3, 3});
    SetIntsAttr(mp, "strides", {2, 2});
    AddConv(g, "p1", "W2", "", "c2", 1);
    SetIntsAttr(AddConv(g, "c2", "W3", "", "Y", 0), "strides", {2, 2});
    auto ref = Make(m, OptimizationLevel::kDisabled);
    ASSERT_TRUE(ref);
    const Tensor x = test::nchwc::Random({e.n, e.c, e.hw, e.hw}, 7);
    std::vector<Value> expected;
    ASSERT_TRUE(ref->Run({{"X", Value(x)}}, {}, &expected).ok());
    for (int threads : {1, 2, 3}) {
      auto all = Make(m, OptimizationLevel::kAll, threads);
      ASSERT_TRUE(all);
      EXPECT_EQ(OpCounts(*all)["NchwcConv"], 3);
      EXPECT_EQ(OpCounts(*all)["NchwcMaxPool"], 1);
      SCOPED_TRACE("c" + std::to_string(e.c) + " " + std::to_string(e.hw) + "x" + std::to_string(e.hw) + " k" +
                   std::to_string(e.k) + " on " + std::to_string(threads) + " threads");
      std::vector<Value> actual;
      ASSERT_TRUE(all->Run({{"X", Value(x)}}, {}, &actual).ok());
      ASSERT_EQ(actual.size(), 1u);
      // Sums of up to 1568 products in another order: the blocked kernels differ from the reference by rounding.
      EXPECT_EQ(CompareValues(expected[0], actual[0], {1e-4, 1e-5}), "");
    }
  }
}

TEST(OptimizerNchwc, SavedModelLoadsBack) {
  ONYX_SKIP_WITHOUT_NCHWC();
  const proto::ModelProto m = ChainModel();
  const std::string bytes = test::Serialize(m);
  const std::string path = testing::TempDir() + "/onyx_nchwc_optimized.onnx";
  SessionOptions o;
  o.intra_op_threads = 1;
  o.optimization_level = OptimizationLevel::kAll;
  o.optimized_model_path = path;
  auto saved = Session::CreateFromBytes(bytes.data(), bytes.size(), o);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  SessionOptions plain;
  plain.intra_op_threads = 1;
  plain.optimization_level = OptimizationLevel::kDisabled;
  auto loaded = Session::Create(path, plain);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(OpCounts(*loaded.value())["NchwcConv"], 2);
  auto ref = Make(m, OptimizationLevel::kDisabled);
  ASSERT_TRUE(ref);
  ExpectSameOutputs(*ref, *loaded.value());
  std::remove(path.c_str());
}

// The pass packs each convolution's weights once, in the form the tiles that will run it read: pairs of output blocks
// ([pairs, Cb, KH, KW, 8, 16] with out_blocks) where the AVX-512 tiles run, 8 x 8 blocks elsewhere, so the kernel
// uses the constant as it is instead of repacking it into a second copy. Either form saved runs under the other
// tiles too (the kernel converts it once): a saved model still runs on any processor with AVX2.
TEST(OptimizerNchwc, WeightsPackedOnceForTheTilesThatRun) {
  ONYX_SKIP_WITHOUT_NCHWC();
  const proto::ModelProto m = ChainModel();
  const std::string bytes = test::Serialize(m);
  auto ref = Make(m, OptimizationLevel::kDisabled);
  ASSERT_TRUE(ref);
  for (bool avx512 : {true, false}) {
    SCOPED_TRACE(avx512 ? "saved with AVX-512 (if the CPU has it)" : "saved with AVX-512 off");
    cpu::nchwc::SetAvx512Enabled(avx512);
    const bool pairs = cpu::nchwc::UseAvx512();
    const std::string path = testing::TempDir() + "/onyx_nchwc_packing.onnx";
    SessionOptions o;
    o.intra_op_threads = 1;
    o.optimization_level = OptimizationLevel::kAll;
    o.optimized_model_path = path;
    auto saved = Session::CreateFromBytes(bytes.data(), bytes.size(), o);
    cpu::nchwc::SetAvx512Enabled(true);
    ASSERT_TRUE(saved.ok()) << saved.status().ToString();
    std::ifstream f(path, std::ios::binary);
    const std::string file((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    proto::ModelProto opt;
    ASSERT_TRUE(format::ParseModelProto(file.data(), file.size(), &opt).ok());
    std::map<std::string, const proto::TensorProto*> inits;
    for (const auto& t : opt.graph().initializer()) inits[t.name()] = &t;
    int convs = 0;
    for (const auto& n : opt.graph().node()) {
      if (n.op_type() != "NchwcConv") continue;
      ++convs;
      ASSERT_TRUE(inits.count(n.input(1))) << n.name();
      const proto::TensorProto& w = *inits[n.input(1)];
      ASSERT_EQ(w.dims_size(), 6) << n.name();
      EXPECT_EQ(w.dims(5), pairs ? 16 : 8) << n.name();
      bool has_out_blocks = false;
      for (const auto& a : n.attribute()) has_out_blocks |= a.name() == "out_blocks" && a.i() == 2;
      EXPECT_EQ(has_out_blocks, pairs) << n.name();
    }
    EXPECT_EQ(convs, 2);
    for (bool run_avx512 : {true, false}) {
      cpu::nchwc::SetAvx512Enabled(run_avx512);
      SessionOptions plain;
      plain.intra_op_threads = 1;
      plain.optimization_level = OptimizationLevel::kDisabled;
      auto loaded = Session::Create(path, plain);
      ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
      ExpectSameOutputs(*ref, *loaded.value());
      cpu::nchwc::SetAvx512Enabled(true);
    }
    std::remove(path.c_str());
  }
}

}  // namespace
}  // namespace onyx

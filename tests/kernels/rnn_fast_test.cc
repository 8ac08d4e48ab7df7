// The fast float path of LSTM, GRU and RNN (kernels/rnn/rnn_fast.cc) against the plain reference: the same
// node run in double takes the reference path, so each case runs twice and the float outputs must match the
// double ones. The cases cover what the fast path handles itself: both directions, both layouts, sequence
// lengths, initial states, peepholes, clip, input_forget, linear_before_reset, the small-batch GEMV and the
// large-batch GEMM, hidden sizes that leave vector tails, and weights that are constants (arranged at kernel
// creation) or graph inputs (arranged per run).
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "ep/cpu/kernels/nn/gemm_util.h"
#include "ep/cpu/ukernels/float_rnn_cell.h"
#include "kernels/op_test.h"

namespace onyx::test {

namespace {

struct RnnCase {
  std::string op = "LSTM";
  int64_t seq = 5, batch = 2, input = 7, hidden = 20;
  std::string direction = "forward";
  int64_t layout = 0;
  bool bias = true, lens = false, initial = false, peepholes = false, constant = true;
  float clip = 0;
  int64_t input_forget = 0, linear_before_reset = 0;
  std::vector<std::string> activations;  // empty: the defaults
};

int64_t Gates(const std::string& op) { return op == "LSTM" ? 4 : op == "GRU" ? 3 : 1; }

std::vector<float> Random(size_t n, uint32_t seed, float scale) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-scale, scale);
  std::vector<float> v(n);
  for (float& f : v) f = u(rng);
  return v;
}

template <typename T>
std::vector<T> As(const std::vector<float>& v) {
  return std::vector<T>(v.begin(), v.end());
}

template <typename T>
std::vector<Value> RunCase(const RnnCase& c) {
  const int64_t dirs = c.direction == "bidirectional" ? 2 : 1;
  const int64_t G = Gates(c.op) * c.hidden;
  const Shape x_shape = c.layout == 0 ? Shape{c.seq, c.batch, c.input} : Shape{c.batch, c.seq, c.input};
  const Shape state = c.layout == 0 ? Shape{dirs, c.batch, c.hidden} : Shape{c.batch, dirs, c.hidden};
  const size_t state_n = static_cast<size_t>(dirs * c.batch * c.hidden);
  OpTest t(c.op, 22);
  t.AddInput<T>("X", x_shape, As<T>(Random(static_cast<size_t>(c.seq * c.batch * c.input), 1, 1.5f)));
  auto weight = [&](const std::string& name, const Shape& shape, uint32_t seed) {
    size_t n = 1;
    for (int64_t d : shape) n *= static_cast<size_t>(d);
    const std::vector<T> v = As<T>(Random(n, seed, 0.6f));
    if (c.constant) {
      t.AddConstantInput<T>(name, shape, v);
    } else {
      t.AddInput<T>(name, shape, v);
    }
  };
  weight("W", {dirs, G, c.input}, 2);
  weight("R", {dirs, G, c.hidden}, 3);
  if (c.bias) {
    weight("B", {dirs, 2 * G}, 4);
  } else if (c.lens || c.initial || c.peepholes) {
    t.AddMissingInput();
  }
  if (c.lens) {
    std::vector<int32_t> lens(static_cast<size_t>(c.batch));
    for (int64_t b = 0; b < c.batch; ++b)
      lens[static_cast<size_t>(b)] = static_cast<int32_t>((c.seq - b % 3) > 0 ? c.seq - b % 3 : 0);
    if (c.batch > 2) lens[2] = 0;  // a sequence that never starts
    t.AddInput<int32_t>("sequence_lens", {c.batch}, lens);
  } else if (c.initial || c.peepholes) {
    t.AddMissingInput();
  }
  if (c.initial) {
    t.AddInput<T>("initial_h", state, As<T>(Random(state_n, 5, 0.8f)));
    if (c.op == "LSTM") t.AddInput<T>("initial_c", state, As<T>(Random(state_n, 6, 0.8f)));
  } else if (c.peepholes) {
    t.AddMissingInput();
    t.AddMissingInput();
  }
  if (c.peepholes) weight("P", {dirs, 3 * c.hidden}, 7);
  t.AddAttr("hidden_size", c.hidden);
  t.AddAttr("direction", c.direction);
  t.AddAttr("layout", c.layout);
  if (c.clip > 0) t.AddAttr("clip", c.clip);
  if (c.op == "LSTM" && c.input_forget) t.AddAttr("input_forget", c.input_forget);
  if (c.op == "GRU" && c.linear_before_reset) t.AddAttr("linear_before_reset", c.linear_before_reset);
  if (!c.activations.empty()) t.AddAttr("activations", c.activations);
  t.AddOutputUnchecked("Y");
  t.AddOutputUnchecked("Y_h");
  if (c.op == "LSTM") t.AddOutputUnchecked("Y_c");
  return t.RunAndGet();
}

void ExpectFastMatchesReference(const RnnCase& c) {
  const std::vector<Value> fast = RunCase<float>(c);
  const std::vector<Value> ref = RunCase<double>(c);
  ASSERT_EQ(fast.size(), ref.size());
  for (size_t o = 0; o < fast.size(); ++o) {
    const Tensor& f = fast[o].tensor();
    const Tensor& r = ref[o].tensor();
    ASSERT_EQ(f.shape(), r.shape()) << "output " << o;
    int64_t bad = 0;
    for (int64_t i = 0; i < f.size(); ++i) {
      const double want = r.data<double>()[i], got = f.data<float>()[i];
      if (std::fabs(got - want) > 2e-5 + 1e-4 * std::fabs(want) && bad++ < 5) {
        ADD_FAILURE() << c.op << " output " << o << " element " << i << ": fast " << got << ", reference " << want;
      }
    }
  }
}

}  // namespace

TEST(RnnFast, LstmOptionsAgainstReference) {
  for (const char* dir : {"forward", "reverse", "bidirectional"}) {
    for (int64_t layout : {0, 1}) {
      for (bool constant : {true, false}) {
        RnnCase c;
        c.direction = dir;
        c.layout = layout;
        c.constant = constant;
        c.lens = c.initial = c.peepholes = true;
        c.batch = 3;
        SCOPED_TRACE(std::string(dir) + " layout " + std::to_string(layout) + (constant ? " constant" : " fed"));
        ExpectFastMatchesReference(c);
        c.lens = c.initial = c.peepholes = false;
        c.bias = false;
        ExpectFastMatchesReference(c);
      }
    }
  }
}

TEST(RnnFast, LstmClipInputForgetAndBatchSizes) {
  for (int64_t batch : {1, 2, 4, 5, 8, 11}) {
    for (int64_t hidden : {1, 16, 20, 64}) {
      RnnCase c;
      c.batch = batch;
      c.hidden = hidden;
      c.clip = 0.7f;
      c.input_forget = 1;
      c.lens = true;
      c.direction = "bidirectional";
      SCOPED_TRACE("batch " + std::to_string(batch) + " hidden " + std::to_string(hidden));
      ExpectFastMatchesReference(c);
    }
  }
}

TEST(RnnFast, GruOptionsAgainstReference) {
  for (const char* dir : {"forward", "reverse", "bidirectional"}) {
    for (int64_t lbr : {0, 1}) {
      for (int64_t batch : {1, 3, 9}) {
        RnnCase c;
        c.op = "GRU";
        c.direction = dir;
        c.linear_before_reset = lbr;
        c.batch = batch;
        c.lens = c.initial = true;
        c.layout = batch % 2;
        c.constant = batch != 3;
        c.clip = batch == 9 ? 0.9f : 0.0f;
        SCOPED_TRACE(std::string(dir) + " lbr " + std::to_string(lbr) + " batch " + std::to_string(batch));
        ExpectFastMatchesReference(c);
      }
    }
  }
}

TEST(RnnFast, RnnActivationsAgainstReference) {
  for (const char* act : {"Tanh", "Sigmoid", "Relu"}) {
    for (int64_t batch : {2, 8}) {
      RnnCase c;
      c.op = "RNN";
      c.direction = "bidirectional";
      c.activations = {act};
      c.batch = batch;
      c.hidden = 33;
      c.lens = c.initial = true;
      SCOPED_TRACE(std::string(act) + " batch " + std::to_string(batch));
      ExpectFastMatchesReference(c);
    }
  }
}

// A bidirectional node long enough that its directions run on two threads (OpTest runs on one): the outputs
// must be those of the one-thread run, bit for bit.
TEST(RnnFast, DirectionsOnTwoThreadsMatchOneThread) {
  for (const char* op : {"LSTM", "GRU", "RNN"}) {
    const int64_t seq = 9, batch = 3, input = 10, hidden = 80, G = Gates(op) * hidden;
    std::vector<std::vector<Value>> results;
    for (int threads : {1, 2}) {
      auto model = std::make_unique<ir::Model>();
      model->metadata.ir_version = 10;
      model->metadata.opsets[""] = 22;
      model->graph = std::make_shared<ir::Graph>();
      ir::Graph& g = *model->graph;
      g.set_name("two_threads");
      g.set_opsets(std::make_shared<ir::OpsetMap>(model->metadata.opsets));
      ASSERT_TRUE(g.AddInput("X", ir::Type::Tensor(DataType::kFloat, ir::ToSymShape({seq, batch, input}))).ok());
      auto constant = [&](const std::string& name, const Shape& shape, uint32_t seed) {
        size_t n = 1;
        for (int64_t d : shape) n *= static_cast<size_t>(d);
        ASSERT_TRUE(g.AddInitializer(name, Tensor::FromVector<float>(shape, Random(n, seed, 0.5f))).ok());
      };
      constant("W", {2, G, input}, 2);
      constant("R", {2, G, hidden}, 3);
      constant("B", {2, 2 * G}, 4);
      std::map<std::string, ir::Attribute> attrs;
      attrs["direction"].name = "direction";
      attrs["direction"].type = ir::AttrType::kString;
      attrs["direction"].s = "bidirectional";
      attrs["hidden_size"].name = "hidden_size";
      attrs["hidden_size"].type = ir::AttrType::kInt;
      attrs["hidden_size"].i = hidden;
      g.AddNode("rnn", op, "", 22, {"X", "W", "R", "B"}, {"Y", "Y_h"}, attrs);
      ASSERT_TRUE(g.AddOutput("Y", ir::Type()).ok());
      ASSERT_TRUE(g.AddOutput("Y_h", ir::Type()).ok());
      SessionOptions options;
      options.intra_op_threads = threads;
      auto session = Session::CreateFromModel(std::move(model), options);
      ASSERT_TRUE(session.ok()) << session.status().ToString();
      std::vector<Value> out;
      const Value x(
          Tensor::FromVector<float>({seq, batch, input}, Random(static_cast<size_t>(seq * batch * input), 1, 1.0f)));
      Status st = session.value()->Run({{"X", x}}, {}, &out);
      ASSERT_TRUE(st.ok()) << st.ToString();
      results.push_back(std::move(out));
    }
    for (size_t o = 0; o < results[0].size(); ++o) {
      EXPECT_EQ(CompareValues(results[0][o], results[1][o], 0.0, 0.0), "") << op << " output " << o;
    }
  }
}

// Activations the fast path does not vectorize take the reference path in float too.
TEST(RnnFast, OtherActivationsStillMatch) {
  RnnCase c;
  c.activations = {"HardSigmoid", "Softsign", "Tanh"};
  ExpectFastMatchesReference(c);
  c.op = "GRU";
  c.activations = {"Sigmoid", "Relu"};
  ExpectFastMatchesReference(c);
}

// The vector sigmoid and tanh of every instruction-set build against the C library, over the range where
// they change and out to where they saturate, near zero included (relative accuracy there too).
TEST(RnnFast, VectorActivationsAreAccurate) {
  std::vector<float> x;
  for (float v = -30.0f; v <= 30.0f; v += 0.0137f) x.push_back(v);
  for (float v = 1e-6f; v < 0.5f; v *= 1.3f) {
    x.push_back(v);
    x.push_back(-v);
  }
  x.push_back(0.0f);
  x.push_back(100.0f);
  x.push_back(-100.0f);
  std::vector<const cpu::RnnCellKernels*> builds = {&cpu::RnnCellKernelsPortable()};
#if ONYX_X86
  if (cpu::HasAvx2()) builds.push_back(&cpu::RnnCellKernelsAvx2());
  if (cpu::HasAvx512()) builds.push_back(&cpu::RnnCellKernelsAvx512());
#endif
  for (const cpu::RnnCellKernels* k : builds) {
    std::vector<float> s(x.size()), th(x.size());
    k->activate(cpu::RnnVecAct::kSigmoid, x.data(), nullptr, s.data(), static_cast<int64_t>(x.size()), 0.0f);
    k->activate(cpu::RnnVecAct::kTanh, x.data(), nullptr, th.data(), static_cast<int64_t>(x.size()), 0.0f);
    double worst_s = 0, worst_t = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      const double xs = x[i];
      const double want_s = 1.0 / (1.0 + std::exp(-xs)), want_t = std::tanh(xs);
      worst_s = std::max(worst_s, std::fabs(s[i] - want_s) / std::max(want_s, 1e-30));
      worst_t = std::max(worst_t, std::fabs(th[i] - want_t) / std::max(std::fabs(want_t), 1e-30));
    }
    EXPECT_LT(worst_s, 1e-6) << "sigmoid, worst relative error";
    EXPECT_LT(worst_t, 1e-6) << "tanh, worst relative error";
  }
}

// The GEMV against a plain loop, for row counts and widths that reach every tile, the partial last panel
// included.
TEST(RnnFast, GemvMatchesPlainProduct) {
  std::vector<const cpu::RnnCellKernels*> builds = {&cpu::RnnCellKernelsPortable()};
#if ONYX_X86
  if (cpu::HasAvx2()) builds.push_back(&cpu::RnnCellKernelsAvx2());
  if (cpu::HasAvx512()) builds.push_back(&cpu::RnnCellKernelsAvx512());
#endif
  for (const cpu::RnnCellKernels* kern : builds) {
    for (int64_t rows : {1, 2, 3, 4, 7}) {
      for (int64_t n : {1, 15, 16, 40, 64, 129, 256}) {
        const int64_t k = 19;
        const std::vector<float> a = Random(static_cast<size_t>(rows * k), 11, 1.0f);
        const std::vector<float> r = Random(static_cast<size_t>(n * k), 12, 1.0f);  // row j: output column j
        const std::vector<float> init = Random(static_cast<size_t>(rows * n), 13, 1.0f);
        std::vector<float> panels(static_cast<size_t>((n + kern->panel - 1) / kern->panel * kern->panel * k));
        kern->pack_panels(r.data(), n, k, panels.data());
        std::vector<float> out(static_cast<size_t>(rows * n) + 1, 42.0f);  // one past the end: must stay
        std::vector<const float*> a_rows, init_rows;
        std::vector<float*> out_rows;
        for (int64_t i = 0; i < rows; ++i) {
          a_rows.push_back(a.data() + i * k);
          init_rows.push_back(i % 2 ? nullptr : init.data() + i * n);
          out_rows.push_back(out.data() + i * n);
        }
        kern->gemv(rows, a_rows.data(), init_rows.data(), out_rows.data(), n, k, panels.data());
        for (int64_t i = 0; i < rows; ++i) {
          for (int64_t j = 0; j < n; ++j) {
            double want = i % 2 ? 0.0 : init[static_cast<size_t>(i * n + j)];
            for (int64_t p = 0; p < k; ++p) {
              want += double(a[static_cast<size_t>(i * k + p)]) * r[static_cast<size_t>(j * k + p)];
            }
            ASSERT_NEAR(out[static_cast<size_t>(i * n + j)], want, 1e-4) << "rows " << rows << " n " << n;
          }
        }
        EXPECT_EQ(out.back(), 42.0f) << "wrote past the last row, rows " << rows << " n " << n;
      }
    }
  }
}

}  // namespace onyx::test

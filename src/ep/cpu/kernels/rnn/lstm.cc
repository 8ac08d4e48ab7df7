// LSTM, gate order i, o, f, c. Float nodes with the default activations take the fast path (rnn_fast.h), with
// W and R arranged once here when they are constants. RunLstm below is the plain reference: it serves double,
// half types and the other activations, and the tests compare the fast path against it. It too makes the
// input projection of every time step one GEMM up front; each step then adds one [batch, H] x [H, 4H] product
// and applies the gates element by element.
#include <algorithm>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/gemm_util.h"
#include "ep/cpu/kernels/rnn/rnn_fast.h"
#include "ep/cpu/kernels/rnn/rnn_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

namespace {

template <typename T>
struct LstmArgs {
  const T *x, *w, *r, *b, *p, *h0, *c0;
  T *y, *yh, *yc;
};

template <typename T>
inline T Clip(T v, float clip) {
  return clip > 0 ? std::clamp(v, static_cast<T>(-clip), static_cast<T>(clip)) : v;
}

template <typename T>
void RunLstm(const RnnAttrs& a, bool input_forget, const RnnDims& d, const std::vector<int64_t>& lens,
             const LstmArgs<T>& io, ThreadPool* pool) {
  const int64_t H = d.hidden, G = 4 * H, batch = d.batch, dirs = a.num_directions;
  std::vector<T> xw(static_cast<size_t>(d.seq * batch * G)), gates(static_cast<size_t>(batch * G));
  std::vector<T> h(static_cast<size_t>(batch * H)), c(static_cast<size_t>(batch * H)), bias(static_cast<size_t>(G));
  for (int64_t dir = 0; dir < dirs; ++dir) {
    const bool reverse = a.direction == RnnAttrs::Direction::kReverse || dir == 1;
    const Activation& f = a.act(dir, 0, 3);
    const Activation& g = a.act(dir, 1, 3);
    const Activation& hact = a.act(dir, 2, 3);
    Gemm(false, true, d.seq * batch, G, d.input, T(1), io.x, d.input, io.w + dir * G * d.input, d.input, T(0),
         xw.data(), G, pool);
    for (int64_t j = 0; j < G; ++j) bias[j] = io.b ? io.b[dir * 2 * G + j] + io.b[dir * 2 * G + G + j] : T(0);
    const T* pi = io.p ? io.p + dir * 3 * H : nullptr;
    const T* po = pi ? pi + H : nullptr;
    const T* pf = pi ? pi + 2 * H : nullptr;
    for (int64_t i = 0; i < batch * H; ++i) {
      h[i] = io.h0 ? io.h0[dir * batch * H + i] : T(0);
      c[i] = io.c0 ? io.c0[dir * batch * H + i] : T(0);
    }
    const T* rd = io.r + dir * G * H;
    for (int64_t s = 0; s < d.seq; ++s) {
      Gemm(false, true, batch, G, H, T(1), h.data(), H, rd, H, T(0), gates.data(), G, pool);
      for (int64_t bi = 0; bi < batch; ++bi) {
        const int64_t len = lens[bi];
        if (s >= len) continue;
        const int64_t t = reverse ? len - 1 - s : s;
        const T* gr = gates.data() + bi * G;
        const T* xr = xw.data() + (t * batch + bi) * G;
        T* hb = h.data() + bi * H;
        T* cb = c.data() + bi * H;
        for (int64_t j = 0; j < H; ++j) {
          const T c_prev = cb[j];
          const T it = f(Clip(gr[j] + xr[j] + bias[j] + (pi ? pi[j] * c_prev : T(0)), a.clip));
          const T ft =
              input_forget
                  ? T(1) - it
                  : f(Clip(gr[2 * H + j] + xr[2 * H + j] + bias[2 * H + j] + (pf ? pf[j] * c_prev : T(0)), a.clip));
          const T ct = g(Clip(gr[3 * H + j] + xr[3 * H + j] + bias[3 * H + j], a.clip));
          const T c_new = ft * c_prev + it * ct;
          const T ot = f(Clip(gr[H + j] + xr[H + j] + bias[H + j] + (po ? po[j] * c_new : T(0)), a.clip));
          cb[j] = c_new;
          hb[j] = ot * hact(c_new);
        }
        if (io.y) std::copy(hb, hb + H, io.y + ((t * dirs + dir) * batch + bi) * H);
      }
    }
    if (io.yh) std::copy(h.begin(), h.end(), io.yh + dir * batch * H);
    if (io.yc) std::copy(c.begin(), c.end(), io.yc + dir * batch * H);
  }
}

class LstmKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(attrs_.Init(info, {"Sigmoid", "Tanh", "Tanh"}));
    int64_t input_forget = 0;
    ONYX_RETURN_IF_ERROR(info.GetInt("input_forget", &input_forget, int64_t{0}));
    input_forget_ = input_forget != 0;
    fast_ = RnnFastActivations(RnnKind::kLstm, attrs_);
    if (fast_) PrepareConstantRnnWeights(info, RnnKind::kLstm, false, attrs_.num_directions, &weights_);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    RnnDims d;
    std::vector<int64_t> lens;
    ONYX_RETURN_IF_ERROR(CheckRnnInputs(ctx, attrs_, 4, &d, &lens, {5, 6}));
    if (const Tensor* p = ctx.input(7)) {
      if (p->type() != ctx.input(0)->type() || p->shape() != Shape{attrs_.num_directions, 3 * d.hidden})
        return ctx.Error("P ", p->Describe(), " must be [", attrs_.num_directions, ",", 3 * d.hidden, "]");
    }
    if (fast_ && ctx.input(0)->type() == DataType::kFloat) {
      RnnFastOptions opts;
      opts.kind = RnnKind::kLstm;
      opts.input_forget = input_forget_;
      return RunRnnFast(ctx, attrs_, opts, d, lens, &weights_);
    }
    std::vector<Tensor> in, out;
    ONYX_RETURN_IF_ERROR(PrepareRnnInputs(ctx, attrs_, d, &in));
    ONYX_RETURN_IF_ERROR(AllocateRnnOutputs(ctx, attrs_, d, in[0].type(), 2, &out));
    auto ptr = [](auto tag, const std::vector<Tensor>& v, size_t i) {
      using T = decltype(tag);
      return i < v.size() && v[i].defined() ? v[i].data<T>() : static_cast<const T*>(nullptr);
    };
    auto mut = [](auto tag, std::vector<Tensor>& v, size_t i) {
      using T = decltype(tag);
      return v[i].defined() ? v[i].data<T>() : static_cast<T*>(nullptr);
    };
    Status st = Dispatch<float, double>(
        in[0].type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          LstmArgs<T> io{ptr(tag, in, 0), ptr(tag, in, 1), ptr(tag, in, 2),  ptr(tag, in, 3),  ptr(tag, in, 7),
                         ptr(tag, in, 5), ptr(tag, in, 6), mut(tag, out, 0), mut(tag, out, 1), mut(tag, out, 2)};
          RunLstm<T>(attrs_, input_forget_, d, lens, io, ctx.thread_pool());
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    return FinishRnnOutputs(ctx, attrs_, d, out);
  }

 private:
  RnnAttrs attrs_;
  bool input_forget_ = false;
  bool fast_ = false;
  RnnWeights weights_;
};

}  // namespace

ONYX_REGISTER_KERNEL(LstmKernel, KernelDef("CPU", "", "LSTM").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "LSTM", InferRnn);

}  // namespace onyx::cpu

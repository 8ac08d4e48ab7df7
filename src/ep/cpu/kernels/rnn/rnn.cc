// RNN (the simple recurrent unit): H_t = f(X_t W^T + H_{t-1} R^T + Wb + Rb). Float nodes whose f is Tanh,
// Sigmoid or Relu take the fast path (rnn_fast.h), with W and R arranged once here when they are constants;
// RunRnn below is the plain reference for the rest and for the tests' comparison.
#include <algorithm>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/gemm_util.h"
#include "ep/cpu/kernels/rnn/rnn_fast.h"
#include "ep/cpu/kernels/rnn/rnn_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

namespace {

template <typename T>
void RunRnn(const RnnAttrs& a, const RnnDims& d, const std::vector<int64_t>& lens, const T* x, const T* w, const T* r,
            const T* b, const T* h0, T* y, T* yh, ThreadPool* pool) {
  const int64_t H = d.hidden, batch = d.batch, dirs = a.num_directions;
  std::vector<T> xw(static_cast<size_t>(d.seq * batch * H)), hr(static_cast<size_t>(batch * H)),
      h(static_cast<size_t>(batch * H));
  for (int64_t dir = 0; dir < dirs; ++dir) {
    const bool reverse = a.direction == RnnAttrs::Direction::kReverse || dir == 1;
    const Activation& f = a.act(dir, 0, 1);
    const T* bd = b ? b + dir * 2 * H : nullptr;
    Gemm(false, true, d.seq * batch, H, d.input, T(1), x, d.input, w + dir * H * d.input, d.input, T(0), xw.data(), H,
         pool);
    for (int64_t i = 0; i < batch * H; ++i) h[i] = h0 ? h0[dir * batch * H + i] : T(0);
    for (int64_t s = 0; s < d.seq; ++s) {
      Gemm(false, true, batch, H, H, T(1), h.data(), H, r + dir * H * H, H, T(0), hr.data(), H, pool);
      for (int64_t bi = 0; bi < batch; ++bi) {
        if (s >= lens[bi]) continue;
        const int64_t t = reverse ? lens[bi] - 1 - s : s;
        const T* xr = xw.data() + (t * batch + bi) * H;
        T* hb = h.data() + bi * H;
        for (int64_t j = 0; j < H; ++j) {
          T v = xr[j] + hr[bi * H + j] + (bd ? bd[j] + bd[H + j] : T(0));
          if (a.clip > 0) v = std::clamp(v, static_cast<T>(-a.clip), static_cast<T>(a.clip));
          hb[j] = f(v);
        }
        if (y) std::copy(hb, hb + H, y + ((t * dirs + dir) * batch + bi) * H);
      }
    }
    if (yh) std::copy(h.begin(), h.end(), yh + dir * batch * H);
  }
}

class RnnKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(attrs_.Init(info, {"Tanh"}));
    fast_ = RnnFastActivations(RnnKind::kRnn, attrs_, &act_);
    if (fast_) PrepareConstantRnnWeights(info, RnnKind::kRnn, false, attrs_.num_directions, &weights_);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    RnnDims d;
    std::vector<int64_t> lens;
    ONYX_RETURN_IF_ERROR(CheckRnnInputs(ctx, attrs_, 1, &d, &lens, {5}));
    if (fast_ && ctx.input(0)->type() == DataType::kFloat) {
      RnnFastOptions opts;
      opts.kind = RnnKind::kRnn;
      opts.rnn_act = act_;
      return RunRnnFast(ctx, attrs_, opts, d, lens, &weights_);
    }
    std::vector<Tensor> in, out;
    ONYX_RETURN_IF_ERROR(PrepareRnnInputs(ctx, attrs_, d, &in));
    ONYX_RETURN_IF_ERROR(AllocateRnnOutputs(ctx, attrs_, d, in[0].type(), 1, &out));
    Status st = Dispatch<float, double>(
        in[0].type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          auto get = [&](size_t i) { return i < in.size() && in[i].defined() ? in[i].data<T>() : nullptr; };
          RunRnn<T>(attrs_, d, lens, get(0), get(1), get(2), get(3), get(5),
                    out[0].defined() ? out[0].data<T>() : nullptr, out[1].defined() ? out[1].data<T>() : nullptr,
                    ctx.thread_pool());
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    return FinishRnnOutputs(ctx, attrs_, d, out);
  }

 private:
  RnnAttrs attrs_;
  bool fast_ = false;
  RnnVecAct act_ = RnnVecAct::kTanh;
  RnnWeights weights_;
};

}  // namespace

ONYX_REGISTER_KERNEL(RnnKernel, KernelDef("CPU", "", "RNN").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "RNN", InferRnn);

}  // namespace onyx::cpu

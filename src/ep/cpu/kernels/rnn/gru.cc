// GRU, gate order z, r, h. Float nodes with the default activations take the fast path (rnn_fast.h), with W
// and R arranged once here when they are constants. RunGru below is the plain reference (double, half types,
// other activations, and the tests' comparison): the input projection of all steps is one GEMM; each step
// multiplies the hidden state by R once for z and r, and once more for h (after the reset gate when
// linear_before_reset is 0).
#include <algorithm>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/gemm_util.h"
#include "ep/cpu/kernels/rnn/rnn_fast.h"
#include "ep/cpu/kernels/rnn/rnn_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

namespace {

template <typename T>
inline T Clip(T v, float clip) {
  return clip > 0 ? std::clamp(v, static_cast<T>(-clip), static_cast<T>(clip)) : v;
}

template <typename T>
void RunGru(const RnnAttrs& a, bool linear_before_reset, const RnnDims& d, const std::vector<int64_t>& lens, const T* x,
            const T* w, const T* r, const T* b, const T* h0, T* y, T* yh, ThreadPool* pool) {
  const int64_t H = d.hidden, G = 3 * H, batch = d.batch, dirs = a.num_directions;
  std::vector<T> xw(static_cast<size_t>(d.seq * batch * G)), zr(static_cast<size_t>(batch * 2 * H)),
      hh(static_cast<size_t>(batch * H)), rh(static_cast<size_t>(batch * H)), h(static_cast<size_t>(batch * H));
  for (int64_t dir = 0; dir < dirs; ++dir) {
    const bool reverse = a.direction == RnnAttrs::Direction::kReverse || dir == 1;
    const Activation& f = a.act(dir, 0, 2);
    const Activation& g = a.act(dir, 1, 2);
    const T* rd = r + dir * G * H;
    const T* wb = b ? b + dir * 2 * G : nullptr;
    const T* rb = b ? wb + G : nullptr;
    Gemm(false, true, d.seq * batch, G, d.input, T(1), x, d.input, w + dir * G * d.input, d.input, T(0), xw.data(), G,
         pool);
    for (int64_t i = 0; i < batch * H; ++i) h[i] = h0 ? h0[dir * batch * H + i] : T(0);
    for (int64_t s = 0; s < d.seq; ++s) {
      Gemm(false, true, batch, 2 * H, H, T(1), h.data(), H, rd, H, T(0), zr.data(), 2 * H, pool);
      // z and r first: the h gate needs r for every batch entry before its
      // matrix product.
      for (int64_t bi = 0; bi < batch; ++bi) {
        if (s >= lens[bi]) continue;
        const int64_t t = reverse ? lens[bi] - 1 - s : s;
        const T* xr = xw.data() + (t * batch + bi) * G;
        T* zrb = zr.data() + bi * 2 * H;
        for (int64_t j = 0; j < 2 * H; ++j) {
          zrb[j] = f(Clip(zrb[j] + xr[j] + (wb ? wb[j] + rb[j] : T(0)), a.clip));
        }
        for (int64_t j = 0; j < H; ++j) rh[bi * H + j] = zrb[H + j] * h[bi * H + j];
      }
      if (linear_before_reset) {
        Gemm(false, true, batch, H, H, T(1), h.data(), H, rd + 2 * H * H, H, T(0), hh.data(), H, pool);
      } else {
        Gemm(false, true, batch, H, H, T(1), rh.data(), H, rd + 2 * H * H, H, T(0), hh.data(), H, pool);
      }
      for (int64_t bi = 0; bi < batch; ++bi) {
        if (s >= lens[bi]) continue;
        const int64_t t = reverse ? lens[bi] - 1 - s : s;
        const T* xr = xw.data() + (t * batch + bi) * G;
        const T* zrb = zr.data() + bi * 2 * H;
        T* hb = h.data() + bi * H;
        for (int64_t j = 0; j < H; ++j) {
          const T rbh = rb ? rb[2 * H + j] : T(0);
          const T wbh = wb ? wb[2 * H + j] : T(0);
          const T rec = linear_before_reset ? zrb[H + j] * (hh[bi * H + j] + rbh) : hh[bi * H + j] + rbh;
          const T ht = g(Clip(xr[2 * H + j] + wbh + rec, a.clip));
          const T z = zrb[j];
          hb[j] = (T(1) - z) * ht + z * hb[j];
        }
        if (y) std::copy(hb, hb + H, y + ((t * dirs + dir) * batch + bi) * H);
      }
    }
    if (yh) std::copy(h.begin(), h.end(), yh + dir * batch * H);
  }
}

class GruKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(attrs_.Init(info, {"Sigmoid", "Tanh"}));
    int64_t lbr = 0;
    ONYX_RETURN_IF_ERROR(info.GetInt("linear_before_reset", &lbr, int64_t{0}));
    linear_before_reset_ = lbr != 0;
    fast_ = RnnFastActivations(RnnKind::kGru, attrs_);
    if (fast_) PrepareConstantRnnWeights(info, RnnKind::kGru, linear_before_reset_, attrs_.num_directions, &weights_);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    RnnDims d;
    std::vector<int64_t> lens;
    ONYX_RETURN_IF_ERROR(CheckRnnInputs(ctx, attrs_, 3, &d, &lens, {5}));
    if (fast_ && ctx.input(0)->type() == DataType::kFloat) {
      RnnFastOptions opts;
      opts.kind = RnnKind::kGru;
      opts.linear_before_reset = linear_before_reset_;
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
          RunGru<T>(attrs_, linear_before_reset_, d, lens, get(0), get(1), get(2), get(3), get(5),
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
  bool linear_before_reset_ = false;
  bool fast_ = false;
  RnnWeights weights_;
};

}  // namespace

ONYX_REGISTER_KERNEL(GruKernel, KernelDef("CPU", "", "GRU").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "GRU", InferRnn);

}  // namespace onyx::cpu

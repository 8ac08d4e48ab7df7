// com.microsoft DynamicQuantizeLSTM (onnxruntime contrib operator, written by onnxruntime's quantize_dynamic for
// LSTM): an LSTM whose weights W [dirs, input, 4H] and R [dirs, H, 4H] are 8-bit, with scales and zero points per
// direction or per direction and column. As in onnxruntime, every product quantizes its float operand dynamically
// (uint8, per tensor: all of X at once for the input projection, the hidden state at each step) and accumulates in
// int32, scaled back to float by a_scale * w_scale[col]. The gates (order i, o, f, c), peepholes, clip and
// activations are those of the ONNX LSTM. Inputs: X, W, R, B, sequence_lens, initial_h, initial_c, P, W_scale,
// W_zero_point, R_scale, R_zero_point.
//
// The integer products are exact, so the result follows onnxruntime's to the last bits of the activations (ours
// are vmath's, onnxruntime's MLAS's rational approximations). Where a hidden value lies within such a last-bit
// difference of a rounding edge of its dynamic quantization, the two engines quantize it one step apart and the
// recurrence carries that on (tashkeel_rawi_v2_int8, known_failures_models.txt).
#include <algorithm>
#include <vector>

#include "ep/cpu/cpu_isa.h"
#include "ep/cpu/kernels/quant/quant_gemm.h"
#include "ep/cpu/kernels/rnn/rnn_util.h"
#include "ep/cpu/ukernels/float_lstm_rows.h"
#include "ep/cpu/ukernels/float_vmath.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::quant {

namespace {

struct BaselineTag {};

// The step's element loops at the widest vectors the processor allows (compiled at the baseline they ran at half
// the width of AVX2).
const ukernels::LstmRowOps& RowOps() {
#if ONYX_X86
  static const ukernels::LstmRowOps& ops =
      HasAvx2() ? ukernels::LstmRowsAvx2() : ukernels::lstm_rows::Ops<BaselineTag>();
  return ops;
#else
  return ukernels::lstm_rows::Ops<BaselineTag>();
#endif
}

// One direction's weights [k, 4H] packed for the 8-bit GEMM, with the zero point and scale of each of the 4H columns
// (one zero point when they are all the same).
struct QuantWeights {
  QgemmPackedB b;
  std::vector<int32_t> zero;
  std::vector<float> scale;
};

// Weights w [dirs, k, cols] with scale/zero point [dirs] or [dirs, cols], split per direction.
Status PrepareWeights(const Tensor& w, const Tensor& scale, const Tensor* zp, int64_t dirs, int64_t k, int64_t cols,
                      const char* what, std::vector<QuantWeights>* out, const std::string& node) {
  auto fail = [&](const std::string& msg) { return InvalidArgument(node, ": ", what, msg); };
  if (!Is8Bit(w.type()) || w.shape() != Shape{dirs, k, cols}) {
    return fail(MakeString(" must be uint8 or int8 of shape [", dirs, ", ", k, ", ", cols, "], got ", w.Describe()));
  }
  const bool per_col = scale.size() == dirs * cols;
  if (scale.type() != DataType::kFloat || (scale.size() != dirs && !per_col)) {
    return fail(MakeString(" scale must be float [", dirs, "] or [", dirs, ", ", cols, "], got ", scale.Describe()));
  }
  if (zp != nullptr && (zp->type() != w.type() || zp->size() != scale.size())) {
    return fail(
        MakeString(" zero point must be ", DataTypeName(w.type()), " shaped like its scale, got ", zp->Describe()));
  }
  out->assign(static_cast<size_t>(dirs), {});
  for (int64_t d = 0; d < dirs; ++d) {
    QuantWeights& q = (*out)[static_cast<size_t>(d)];
    q.scale.resize(static_cast<size_t>(cols));
    q.zero.resize(static_cast<size_t>(per_col ? cols : 1));
    for (int64_t c = 0; c < cols; ++c) {
      const int64_t si = per_col ? d * cols + c : d;
      q.scale[static_cast<size_t>(c)] = scale.data<float>()[si];
      if (c < static_cast<int64_t>(q.zero.size())) q.zero[static_cast<size_t>(c)] = zp == nullptr ? 0 : Load8(*zp, si);
    }
    q.b.Pack(static_cast<const uint8_t*>(w.raw()) + d * k * cols, w.type() == DataType::kInt8, k, cols, cols);
  }
  return Status::Ok();
}

// out[m, cols] = dynamic-quantized a[m, k] x weights, scaled back to float in the GEMM's epilogue.
void DynamicProduct(const float* a, int64_t m, int64_t k, const QuantWeights& w, int64_t cols, float* out,
                    std::vector<uint8_t>* a_buf, std::vector<float>* scale_buf, ThreadPool* pool) {
  const QParams ap = DynamicU8Params(a, m * k);
  a_buf->resize(static_cast<size_t>(m * k));
  scale_buf->resize(static_cast<size_t>(cols));
  QuantizeFloats(a, m * k, ap.scale, ap.zero_point, /*out_signed=*/false, a_buf->data());
  RowOps().scale(ap.scale, w.scale.data(), cols, scale_buf->data());
  QgemmArgs q;
  q.m = m;
  q.a = a_buf->data();
  q.lda = k;
  q.a_zero = &ap.zero_point;
  q.b = &w.b;
  q.b_zero = w.zero.data();
  q.b_zero_per_col = w.zero.size() > 1;
  q.epilogue.kind = QgemmEpilogue::kFloat;
  q.epilogue.out = out;
  q.epilogue.out_row = cols;
  q.epilogue.scale = scale_buf->data();
  Qgemm(q, pool);
}

float Clip(float v, float clip) { return clip > 0 ? std::clamp(v, -clip, clip) : v; }

void ApplyActivation(const Activation& act, float* x, int64_t n) {
  if (act.kind == Activation::Kind::kSigmoid) {
    vmath::Sigmoid(x, x, n);
  } else if (act.kind == Activation::Kind::kTanh) {
    vmath::Tanh(x, x, n);
  } else {
    for (int64_t i = 0; i < n; ++i) x[i] = act(x[i]);
  }
}

class DynamicQuantizeLstmKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(attrs_.Init(info, {"Sigmoid", "Tanh", "Tanh"}));
    if (attrs_.layout != 0) return info.Error("layout is not an attribute of DynamicQuantizeLSTM");
    int64_t input_forget = 0;
    ONYX_RETURN_IF_ERROR(info.GetInt("input_forget", &input_forget, int64_t{0}));
    input_forget_ = input_forget != 0;
    const Tensor* w = info.constant_input(1);
    const Tensor* r = info.constant_input(2);
    const Tensor* ws = info.constant_input(8);
    const Tensor* rs = info.constant_input(10);
    const bool zps_const =
        (!info.has_input(9) || info.constant_input(9)) && (!info.has_input(11) || info.constant_input(11));
    if (w && r && ws && rs && zps_const && w->rank() == 3 && r->rank() == 3) {
      const int64_t dirs = w->dim(0), input = w->dim(1), g = w->dim(2), h = r->dim(1);
      Status a = PrepareWeights(*w, *ws, info.constant_input(9), dirs, input, g, "W", &w_, info.node().Describe());
      Status b = PrepareWeights(*r, *rs, info.constant_input(11), dirs, h, g, "R", &r_, info.node().Describe());
      if (!a.ok()) return a;
      if (!b.ok()) return b;
      prepared_ = true;
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* w = ctx.input(1);
    const Tensor* r = ctx.input(2);
    if (x == nullptr || w == nullptr || r == nullptr || ctx.input(8) == nullptr || ctx.input(10) == nullptr) {
      return ctx.Error("inputs X, W, R, W_scale and R_scale are required");
    }
    if (x->type() != DataType::kFloat || x->rank() != 3)
      return ctx.Error("X must be float [seq, batch, input], got ", x->Describe());
    const int64_t dirs = attrs_.num_directions;
    RnnDims d;
    d.seq = x->dim(0);
    d.batch = x->dim(1);
    d.input = x->dim(2);
    d.hidden = attrs_.hidden_size > 0 ? attrs_.hidden_size : (r->rank() == 3 ? r->dim(1) : 0);
    const int64_t H = d.hidden, G = 4 * H;
    if (w->shape() != Shape{dirs, d.input, G} || r->shape() != Shape{dirs, H, G}) {
      return ctx.Error("W ", w->Describe(), " and R ", r->Describe(), " must be [", dirs, ", ", d.input, ", ", G,
                       "] and [", dirs, ", ", H, ", ", G, "]");
    }
    std::vector<QuantWeights> w_local, r_local;
    const std::vector<QuantWeights>* wq = &w_;
    const std::vector<QuantWeights>* rq = &r_;
    if (!prepared_) {
      ONYX_RETURN_IF_ERROR(
          PrepareWeights(*w, *ctx.input(8), ctx.input(9), dirs, d.input, G, "W", &w_local, ctx.node().Describe()));
      ONYX_RETURN_IF_ERROR(
          PrepareWeights(*r, *ctx.input(10), ctx.input(11), dirs, H, G, "R", &r_local, ctx.node().Describe()));
      wq = &w_local;
      rq = &r_local;
    }
    const float* b = nullptr;
    if (const Tensor* bt = ctx.input(3)) {
      if (bt->type() != DataType::kFloat || bt->shape() != Shape{dirs, 2 * G}) {
        return ctx.Error("B must be float [", dirs, ", ", 2 * G, "], got ", bt->Describe());
      }
      b = bt->data<float>();
    }
    std::vector<int64_t> lens(static_cast<size_t>(d.batch), d.seq);
    if (const Tensor* sl = ctx.input(4)) {
      if (sl->type() != DataType::kInt32 || sl->shape() != Shape{d.batch}) {
        return ctx.Error("sequence_lens must be int32 [", d.batch, "], got ", sl->Describe());
      }
      for (int64_t i = 0; i < d.batch; ++i) {
        const int32_t v = sl->data<int32_t>()[i];
        if (v < 0 || v > d.seq) return ctx.Error("sequence_lens[", i, "] = ", v, " is outside [0, ", d.seq, "]");
        lens[static_cast<size_t>(i)] = v;
      }
    }
    const float* init[2] = {nullptr, nullptr};
    for (int s = 0; s < 2; ++s) {
      if (const Tensor* t = ctx.input(5 + static_cast<size_t>(s))) {
        if (t->type() != DataType::kFloat || t->shape() != Shape{dirs, d.batch, H}) {
          return ctx.Error(s == 0 ? "initial_h" : "initial_c", " must be float [", dirs, ", ", d.batch, ", ", H,
                           "], got ", t->Describe());
        }
        init[s] = t->data<float>();
      }
    }
    const float* peep = nullptr;
    if (const Tensor* p = ctx.input(7)) {
      if (p->type() != DataType::kFloat || p->shape() != Shape{dirs, 3 * H}) {
        return ctx.Error("P must be float [", dirs, ", ", 3 * H, "], got ", p->Describe());
      }
      peep = p->data<float>();
    }
    std::vector<Tensor> out;
    ONYX_RETURN_IF_ERROR(AllocateRnnOutputs(ctx, attrs_, d, DataType::kFloat, 2, &out));
    float* y = out[0].defined() ? out[0].data<float>() : nullptr;
    float* yh = out[1].defined() ? out[1].data<float>() : nullptr;
    float* yc = out[2].defined() ? out[2].data<float>() : nullptr;
    const int64_t batch = d.batch, xw_size = d.seq * batch * G;
    // The input projections of every direction first, each a product over the whole sequence on the pool.
    std::vector<float> xw_all(static_cast<size_t>(dirs * xw_size));
    {
      std::vector<uint8_t> a_buf;
      std::vector<float> scale_buf;
      for (int64_t dir = 0; dir < dirs; ++dir) {
        DynamicProduct(x->data<float>(), d.seq * batch, d.input, (*wq)[static_cast<size_t>(dir)], G,
                       xw_all.data() + dir * xw_size, &a_buf, &scale_buf, ctx.thread_pool());
      }
    }
    // Then the recurrences, the two directions of a bidirectional layer side by side on the pool: a step's
    // product is too small to split, so this is where a second thread helps (their own products run inline then).
    const ukernels::LstmRowOps& rows = RowOps();
    auto recur = [&](int64_t dir) {
      std::vector<float> gates(static_cast<size_t>(batch * G));
      std::vector<float> h(static_cast<size_t>(batch * H)), c(static_cast<size_t>(batch * H)),
          bias(static_cast<size_t>(G));
      std::vector<uint8_t> a_buf;
      std::vector<float> scale_buf;
      std::vector<float> pre_buf(static_cast<size_t>(G));
      const float* xw = xw_all.data() + dir * xw_size;
      const bool reverse = attrs_.direction == RnnAttrs::Direction::kReverse || dir == 1;
      const Activation& f = attrs_.act(dir, 0, 3);
      const Activation& g = attrs_.act(dir, 1, 3);
      const Activation& hact = attrs_.act(dir, 2, 3);
      const QuantWeights& rd = (*rq)[static_cast<size_t>(dir)];
      for (int64_t j = 0; j < G; ++j)
        bias[static_cast<size_t>(j)] = b ? b[dir * 2 * G + j] + b[dir * 2 * G + G + j] : 0.0f;
      const float* pi = peep ? peep + dir * 3 * H : nullptr;
      const float* po = pi ? pi + H : nullptr;
      const float* pf = pi ? pi + 2 * H : nullptr;
      for (int64_t i = 0; i < batch * H; ++i) {
        h[static_cast<size_t>(i)] = init[0] ? init[0][dir * batch * H + i] : 0.0f;
        c[static_cast<size_t>(i)] = init[1] ? init[1][dir * batch * H + i] : 0.0f;
      }
      for (int64_t s = 0; s < d.seq; ++s) {
        DynamicProduct(h.data(), batch, H, rd, G, gates.data(), &a_buf, &scale_buf, ctx.thread_pool());
        for (int64_t bi = 0; bi < batch; ++bi) {
          const int64_t len = lens[static_cast<size_t>(bi)];
          if (s >= len) continue;
          const int64_t t = reverse ? len - 1 - s : s;
          const float* gr = gates.data() + bi * G;
          const float* xr = xw + (t * batch + bi) * G;
          float* hb = h.data() + bi * H;
          float* cb = c.data() + bi * H;
          // Pre-activations of the gates i, f, c~ in a row of `pre` [i | o | f | c~], then the activations over
          // whole spans (vectorized for the default sigmoid and tanh).
          const float clip = attrs_.clip;
          float* pre = pre_buf.data();
          // Without peepholes and clip (what quantize_dynamic's LSTMs have) the loops are plain sums, which
          // vectorize; the per-element choices of the general form kept them scalar.
          const bool plain = pi == nullptr && !(clip > 0);
          if (plain) {
            rows.sum3(gr, xr, bias.data(), H, pre);
            rows.sum3(gr + 2 * H, xr + 2 * H, bias.data() + 2 * H, 2 * H, pre + 2 * H);
          } else {
            for (int64_t j = 0; j < H; ++j) {
              const float c_prev = cb[j];
              pre[j] = Clip(gr[j] + xr[j] + bias[j] + (pi ? pi[j] * c_prev : 0.0f), clip);
              pre[2 * H + j] =
                  Clip(gr[2 * H + j] + xr[2 * H + j] + bias[2 * H + j] + (pf ? pf[j] * c_prev : 0.0f), clip);
              pre[3 * H + j] = Clip(gr[3 * H + j] + xr[3 * H + j] + bias[3 * H + j], clip);
            }
          }
          ApplyActivation(f, pre, H);
          if (input_forget_) {
            for (int64_t j = 0; j < H; ++j) pre[2 * H + j] = 1.0f - pre[j];
          } else {
            ApplyActivation(f, pre + 2 * H, H);
          }
          ApplyActivation(g, pre + 3 * H, H);
          if (plain) {
            rows.cell(pre, pre + 2 * H, pre + 3 * H, H, cb, hb);
            rows.sum3(gr + H, xr + H, bias.data() + H, H, pre + H);
          } else {
            for (int64_t j = 0; j < H; ++j) {
              cb[j] = pre[2 * H + j] * cb[j] + pre[j] * pre[3 * H + j];
              pre[H + j] = Clip(gr[H + j] + xr[H + j] + bias[H + j] + (po ? po[j] * cb[j] : 0.0f), clip);
              hb[j] = cb[j];
            }
          }
          ApplyActivation(f, pre + H, H);
          ApplyActivation(hact, hb, H);
          rows.mul(pre + H, H, hb);
          if (y) std::copy(hb, hb + H, y + ((t * dirs + dir) * batch + bi) * H);
        }
      }
      if (yh) std::copy(h.begin(), h.end(), yh + dir * batch * H);
      if (yc) std::copy(c.begin(), c.end(), yc + dir * batch * H);
    };
    ThreadPool::For(
        ctx.thread_pool(), dirs,
        [&](int64_t d0, int64_t d1) {
          for (int64_t dir = d0; dir < d1; ++dir) recur(dir);
        },
        1);
    return FinishRnnOutputs(ctx, attrs_, d, out);
  }

 private:
  RnnAttrs attrs_;
  bool input_forget_ = false;
  bool prepared_ = false;
  std::vector<QuantWeights> w_, r_;  // per direction, when W, R and their scales and zero points are constants
};

Status InferDynamicQuantizeLstm(ir::InferenceContext& ctx) {
  const ir::SymShape* x = ctx.input_shape(0);
  const std::string dir = ctx.attr_string("direction", "forward");
  const int64_t dirs = dir == "bidirectional" ? 2 : 1;
  int64_t hidden = ctx.attr_int("hidden_size", 0);
  const ir::SymShape* r = ctx.input_shape(2);
  ir::Dim hd = hidden > 0 ? ir::Dim::Known(hidden) : (r && r->size() == 3 ? (*r)[1] : ir::Dim{});
  if (x == nullptr || x->size() != 3) {
    for (size_t o = 0; o < 3; ++o) ctx.SetOutput(o, DataType::kFloat, std::nullopt);
    return Status::Ok();
  }
  ctx.SetOutput(0, DataType::kFloat, ir::SymShape{(*x)[0], ir::Dim::Known(dirs), (*x)[1], hd});
  ctx.SetOutput(1, DataType::kFloat, ir::SymShape{ir::Dim::Known(dirs), (*x)[1], hd});
  ctx.SetOutput(2, DataType::kFloat, ir::SymShape{ir::Dim::Known(dirs), (*x)[1], hd});
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(DynamicQuantizeLstmKernel,
                     KernelDef("CPU", kMsDomain, "DynamicQuantizeLSTM").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE(kMsDomain, "DynamicQuantizeLSTM", InferDynamicQuantizeLstm);

}  // namespace onyx::cpu::quant

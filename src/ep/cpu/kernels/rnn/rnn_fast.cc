#include "ep/cpu/kernels/rnn/rnn_fast.h"

#include <algorithm>
#include <cstring>

#include "common/thread_pool.h"
#include "ep/cpu/cpu_isa.h"

namespace onyx::cpu {

const RnnCellKernels& RnnCells() {
#if ONYX_X86
  static const RnnCellKernels& kernels = HasAvx512() ? RnnCellKernelsAvx512()
                                         : HasAvx2() ? RnnCellKernelsAvx2()
                                                     : RnnCellKernelsPortable();
#else
  static const RnnCellKernels& kernels = RnnCellKernelsPortable();
#endif
  return kernels;
}

void BuildRnnWeights(RnnKind kind, bool linear_before_reset, int64_t dirs, int64_t hidden, int64_t input,
                     const float* w, const float* r, const float* b, bool pack_w, RnnWeights* out) {
  const int64_t H = hidden, G = RnnGates(kind) * H;
  out->dirs = dirs;
  out->hidden = H;
  out->input = input;
  // W is [dirs * G, input] row-major: its transpose is the right-hand side of one GEMM for both directions.
  out->w_packed = pack_w ? PackedGemmB(true, input, dirs * G, w, input) : PackedGemmB();
  const RnnCellKernels& cells = RnnCells();
  const int64_t P = cells.panel;
  const int64_t n_main = kind == RnnKind::kGru ? 2 * H : G, n_h = kind == RnnKind::kGru ? H : 0;
  out->panel_main = (n_main + P - 1) / P * P * H;
  out->panel_h = (n_h + P - 1) / P * P * H;
  out->panels.assign(static_cast<size_t>(dirs * (out->panel_main + out->panel_h)), 0.0f);
  for (int64_t d = 0; d < dirs; ++d) {
    const float* rd = r + d * G * H;
    float* dst = out->panels.data() + d * (out->panel_main + out->panel_h);
    cells.pack_panels(rd, n_main, H, dst);
    if (n_h > 0) cells.pack_panels(rd + 2 * H * H, n_h, H, dst + out->panel_main);
  }
  out->bias.assign(static_cast<size_t>(dirs * G), 0.0f);
  out->rb_h.clear();
  if (kind == RnnKind::kGru && linear_before_reset) out->rb_h.assign(static_cast<size_t>(dirs * H), 0.0f);
  if (b != nullptr) {
    for (int64_t d = 0; d < dirs; ++d) {
      const float* wb = b + d * 2 * G;
      const float* rb = wb + G;
      for (int64_t g = 0; g < G; ++g) {
        // GRU with linear_before_reset: the h gate's recurrent bias sits inside r * (...), not with the input.
        const bool inside_reset = kind == RnnKind::kGru && linear_before_reset && g >= 2 * H;
        out->bias[static_cast<size_t>(d * G + g)] = wb[g] + (inside_reset ? 0.0f : rb[g]);
        if (inside_reset) out->rb_h[static_cast<size_t>(d * H + g - 2 * H)] = rb[g];
      }
    }
  }
  out->ready = true;
}

void PrepareConstantRnnWeights(const KernelInfo& info, RnnKind kind, bool linear_before_reset, int64_t num_directions,
                               RnnWeights* out) {
  out->ready = false;
  // Only true constants: an initializer that is also a graph input can be fed another value at run time.
  auto constant = [&](size_t i) -> const Tensor* {
    const ir::Value* v = i < info.input_count() ? info.node().input(i) : nullptr;
    if (v == nullptr || v->is_graph_input()) return nullptr;
    const Tensor* t = info.constant_input(i);
    return t && t->type() == DataType::kFloat ? t : nullptr;
  };
  const Tensor* w = constant(1);
  const Tensor* r = constant(2);
  const Tensor* b = constant(3);
  if (!w || !r || (info.has_input(3) && !b)) return;
  if (w->rank() != 3 || r->rank() != 3) return;
  const int64_t H = r->dim(2), G = RnnGates(kind) * H, dirs = num_directions;
  if (w->shape() != Shape{dirs, G, w->dim(2)} || r->shape() != Shape{dirs, G, H}) return;
  if (b && b->shape() != Shape{dirs, 2 * G}) return;
  BuildRnnWeights(kind, linear_before_reset, dirs, H, w->dim(2), w->data<float>(), r->data<float>(),
                  b ? b->data<float>() : nullptr, /*pack_w=*/true, out);
}

bool RnnFastActivations(RnnKind kind, const RnnAttrs& attrs, RnnVecAct* rnn_act) {
  using K = Activation::Kind;
  for (int64_t d = 0; d < attrs.num_directions; ++d) {
    switch (kind) {
      case RnnKind::kLstm:
        if (attrs.act(d, 0, 3).kind != K::kSigmoid || attrs.act(d, 1, 3).kind != K::kTanh ||
            attrs.act(d, 2, 3).kind != K::kTanh)
          return false;
        break;
      case RnnKind::kGru:
        if (attrs.act(d, 0, 2).kind != K::kSigmoid || attrs.act(d, 1, 2).kind != K::kTanh) return false;
        break;
      case RnnKind::kRnn: {
        const K k = attrs.act(d, 0, 1).kind;
        const RnnVecAct a = k == K::kTanh      ? RnnVecAct::kTanh
                            : k == K::kSigmoid ? RnnVecAct::kSigmoid
                                               : RnnVecAct::kRelu;
        if (k != K::kTanh && k != K::kSigmoid && k != K::kRelu) return false;
        if (d > 0 && a != *rnn_act) return false;  // one function for both directions
        *rnn_act = a;
        break;
      }
    }
  }
  return true;
}

namespace {

// Where things sit for the node's layout (0: time-major, 1: batch-major).
struct RnnLayout {
  bool batch_major;
  int64_t seq, batch, dirs, hidden;
  int64_t x_row(int64_t t, int64_t b) const { return batch_major ? b * seq + t : t * batch + b; }
  int64_t y_offset(int64_t t, int64_t dir, int64_t b) const {
    return (batch_major ? (b * seq + t) * dirs + dir : (t * dirs + dir) * batch + b) * hidden;
  }
  int64_t state_offset(int64_t dir, int64_t b) const {
    return (batch_major ? b * dirs + dir : dir * batch + b) * hidden;
  }
};

// Floats of per-direction scratch per batch row: the states and the step's products and gates.
int64_t ScratchPerRow(RnnKind kind, int64_t H) {
  switch (kind) {
    case RnnKind::kLstm:
      return 6 * H;  // h, c, 4H gates
    case RnnKind::kGru:
      return 7 * H;  // h, 3H products, 2H activated z and r, r * h
    case RnnKind::kRnn:
      return 2 * H;  // h, the product
  }
  return 0;
}

}  // namespace

Status RunRnnFast(KernelContext& ctx, const RnnAttrs& attrs, const RnnFastOptions& opts, const RnnDims& d,
                  const std::vector<int64_t>& lens, const RnnWeights* weights) {
  const RnnKind kind = opts.kind;
  const int64_t H = d.hidden, G = RnnGates(kind) * H, I = d.input, seq = d.seq, batch = d.batch;
  const int64_t dirs = attrs.num_directions, ldx = dirs * G;
  const RnnLayout at{attrs.layout == 1, seq, batch, dirs, H};
  const float* x = ctx.input(0)->data<float>();
  const float* w = ctx.input(1)->data<float>();
  const float* r = ctx.input(2)->data<float>();
  const Tensor* b_in = ctx.input(3);
  const Tensor* h0_in = ctx.input(5);
  const Tensor* c0_in = kind == RnnKind::kLstm ? ctx.input(6) : nullptr;
  const Tensor* p_in = kind == RnnKind::kLstm ? ctx.input(7) : nullptr;
  const float* h0 = h0_in ? h0_in->data<float>() : nullptr;
  const float* c0 = c0_in ? c0_in->data<float>() : nullptr;
  const float* peep = p_in ? p_in->data<float>() : nullptr;

  RnnWeights local;
  const RnnWeights* wts = weights;
  if (wts == nullptr || !wts->ready || wts->hidden != H || wts->input != I || wts->dirs != dirs) {
    BuildRnnWeights(kind, opts.linear_before_reset, dirs, H, I, w, r, b_in ? b_in->data<float>() : nullptr,
                    /*pack_w=*/false, &local);
    wts = &local;
  }

  // Outputs, in the node's layout. Y keeps zeros past a sequence's length, so it is cleared only when some
  // sequence is shorter than the rest.
  const bool full = std::all_of(lens.begin(), lens.end(), [&](int64_t l) { return l == seq; });
  const Shape y_shape = at.batch_major ? Shape{batch, seq, dirs, H} : Shape{seq, dirs, batch, H};
  const Shape state_shape = at.batch_major ? Shape{batch, dirs, H} : Shape{dirs, batch, H};
  float *y = nullptr, *yh = nullptr, *yc = nullptr;
  if (ctx.output_requested(0)) {
    ONYX_ASSIGN_OR_RETURN(Tensor * t, full ? ctx.OutputForOverwrite(0, DataType::kFloat, y_shape)
                                           : ctx.Output(0, DataType::kFloat, y_shape));
    y = t->data<float>();
  }
  if (ctx.output_requested(1)) {
    ONYX_ASSIGN_OR_RETURN(Tensor * t, ctx.OutputForOverwrite(1, DataType::kFloat, state_shape));
    yh = t->data<float>();
  }
  if (kind == RnnKind::kLstm && ctx.output_requested(2)) {
    ONYX_ASSIGN_OR_RETURN(Tensor * t, ctx.OutputForOverwrite(2, DataType::kFloat, state_shape));
    yc = t->data<float>();
  }
  if (batch == 0 || H == 0) return Status::Ok();

  // The input projection of every step and direction, biases folded in.
  ThreadPool* pool = ctx.thread_pool();
  const int64_t rows = seq * batch;
  ONYX_ASSIGN_OR_RETURN(Tensor xw_t, ctx.Allocate(DataType::kFloat, Shape{std::max<int64_t>(rows, 1), ldx}, false));
  float* xw = xw_t.data<float>();
  if (rows > 0) {
    if (!wts->w_packed.empty()) {
      GemmPackedB(wts->w_packed, false, rows, 1.0f, x, I, w, 0.0f, xw, ldx, pool);
    } else {
      Gemm(false, true, rows, ldx, I, 1.0f, x, I, w, I, 0.0f, xw, ldx, pool);
    }
    const float* bias = wts->bias.data();
    for (int64_t i = 0; i < rows; ++i) {
      float* row = xw + i * ldx;
      for (int64_t j = 0; j < ldx; ++j) row[j] += bias[j];
    }
  }

  const int64_t per_row = ScratchPerRow(kind, H);
  ONYX_ASSIGN_OR_RETURN(Tensor scratch_t, ctx.Allocate(DataType::kFloat, Shape{dirs, batch, per_row}));
  float* scratch = scratch_t.data<float>();
  const RnnCellKernels& cells = RnnCells();

  auto run_direction = [&](int64_t dir) {
    const bool reverse = attrs.direction == RnnAttrs::Direction::kReverse || dir == 1;
    float* h = scratch + dir * batch * per_row;
    float* c = h + batch * H;  // LSTM
    float* work = kind == RnnKind::kLstm ? c + batch * H : h + batch * H;
    for (int64_t bi = 0; bi < batch; ++bi) {
      float* hb = h + bi * H;
      if (h0) {
        std::memcpy(hb, h0 + at.state_offset(dir, bi), sizeof(float) * static_cast<size_t>(H));
      } else {
        std::fill(hb, hb + H, 0.0f);
      }
      if (kind == RnnKind::kLstm) {
        float* cb = c + bi * H;
        if (c0) {
          std::memcpy(cb, c0 + at.state_offset(dir, bi), sizeof(float) * static_cast<size_t>(H));
        } else {
          std::fill(cb, cb + H, 0.0f);
        }
      }
    }
    const float* pi = peep ? peep + dir * 3 * H : nullptr;
    std::vector<int64_t> act_b(static_cast<size_t>(batch)), act_t(static_cast<size_t>(batch));
    std::vector<const float*> a_rows(static_cast<size_t>(batch)), init_rows(static_cast<size_t>(batch));
    std::vector<float*> out_rows(static_cast<size_t>(batch));
    // The product h x R^T (or with GRU, a part of it) for the active rows.
    auto product = [&](int64_t n_act, const float* lhs, const float* panels, int64_t n, const float* const* init,
                       float* out, int64_t ldo) {
      for (int64_t i = 0; i < n_act; ++i) {
        a_rows[i] = lhs + act_b[i] * H;
        out_rows[i] = out + act_b[i] * ldo;
      }
      cells.gemv(n_act, a_rows.data(), init, out_rows.data(), n, H, panels);
    };
    for (int64_t s = 0; s < seq; ++s) {
      int64_t n_act = 0;
      for (int64_t bi = 0; bi < batch; ++bi) {
        if (s >= lens[bi]) continue;
        act_b[n_act] = bi;
        act_t[n_act] = reverse ? lens[bi] - 1 - s : s;
        init_rows[n_act] = xw + at.x_row(act_t[n_act], bi) * ldx + dir * G;
        ++n_act;
      }
      if (n_act == 0) break;  // every sequence has ended
      switch (kind) {
        case RnnKind::kLstm: {
          // The GEMV starts from the input projection.
          product(n_act, h, wts->main_panels(dir), G, init_rows.data(), work, G);
          for (int64_t i = 0; i < n_act; ++i) {
            const int64_t bi = act_b[i];
            cells.lstm_row(LstmRow{work + bi * G, c + bi * H, h + bi * H, pi, pi ? pi + H : nullptr,
                                   pi ? pi + 2 * H : nullptr, H, attrs.clip, opts.input_forget});
          }
          break;
        }
        case RnnKind::kGru: {
          // work per row: [batch, 3H] products, then [batch, 2H] activated z and r, then [batch, H] r * h.
          float* prod = work;
          float* zr = prod + batch * 3 * H;
          float* rh = zr + batch * 2 * H;
          product(n_act, h, wts->main_panels(dir), 2 * H, nullptr, prod, 3 * H);
          for (int64_t i = 0; i < n_act; ++i) {
            const int64_t bi = act_b[i];
            cells.activate(RnnVecAct::kSigmoid, prod + bi * 3 * H, init_rows[i], zr + bi * 2 * H, 2 * H, attrs.clip);
          }
          const float* lhs = h;
          if (!opts.linear_before_reset) {
            for (int64_t i = 0; i < n_act; ++i) {
              const int64_t bi = act_b[i];
              const float* rg = zr + bi * 2 * H + H;
              const float* hb = h + bi * H;
              float* out = rh + bi * H;
              for (int64_t j = 0; j < H; ++j) out[j] = rg[j] * hb[j];
            }
            lhs = rh;
          }
          product(n_act, lhs, wts->h_panels(dir), H, nullptr, prod + 2 * H, 3 * H);
          const float* rb_h = opts.linear_before_reset ? wts->rb_h.data() + dir * H : nullptr;
          for (int64_t i = 0; i < n_act; ++i) {
            const int64_t bi = act_b[i];
            cells.gru_row(GruRow{zr + bi * 2 * H, init_rows[i] + 2 * H, prod + bi * 3 * H + 2 * H, rb_h, h + bi * H, H,
                                 attrs.clip, opts.linear_before_reset});
          }
          break;
        }
        case RnnKind::kRnn: {
          product(n_act, h, wts->main_panels(dir), H, nullptr, work, H);
          for (int64_t i = 0; i < n_act; ++i) {
            const int64_t bi = act_b[i];
            cells.activate(opts.rnn_act, work + bi * H, init_rows[i], h + bi * H, H, attrs.clip);
          }
          break;
        }
      }
      if (y) {
        for (int64_t i = 0; i < n_act; ++i) {
          std::memcpy(y + at.y_offset(act_t[i], dir, act_b[i]), h + act_b[i] * H,
                      sizeof(float) * static_cast<size_t>(H));
        }
      }
    }
    for (int64_t bi = 0; bi < batch; ++bi) {
      if (yh) std::memcpy(yh + at.state_offset(dir, bi), h + bi * H, sizeof(float) * static_cast<size_t>(H));
      if (yc) std::memcpy(yc + at.state_offset(dir, bi), c + bi * H, sizeof(float) * static_cast<size_t>(H));
    }
  };

  // The two directions are independent: on two threads when the recurrence is long enough to pay for it.
  const double recurrent_work = static_cast<double>(seq) * static_cast<double>(batch) * static_cast<double>(G * H);
  if (dirs == 2 && pool != nullptr && pool->threads() > 1 && recurrent_work >= 131072.0) {
    ThreadPool::For(
        pool, 2,
        [&](int64_t begin, int64_t end) {
          for (int64_t dir = begin; dir < end; ++dir) run_direction(dir);
        },
        1);
  } else {
    for (int64_t dir = 0; dir < dirs; ++dir) run_direction(dir);
  }
  return Status::Ok();
}

}  // namespace onyx::cpu

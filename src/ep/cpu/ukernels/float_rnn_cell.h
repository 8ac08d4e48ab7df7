// Inner loops of the recurrent operators (kernels/rnn/rnn_fast.cc): the per-step product of the hidden state
// with the recurrent weights, and the gate arithmetic of LSTM, GRU and RNN cells, vectorized. One source
// (float_rnn_cell_impl.h) is built three times: float_rnn_cell.cc (portable), float_rnn_cell__avx2.cc and
// float_rnn_cell__avx512.cc, chosen at run time (kernels/rnn/rnn_fast.cc).
#pragma once

#include <cstdint>

#include "ep/cpu/isa_built.h"

namespace onyx::cpu {

// The activations the cells compute with vectors.
enum class RnnVecAct { kSigmoid, kTanh, kRelu };

// One batch row of an LSTM step, H elements per gate. Pre-activations are pre[g*H + j] in the operator's gate
// order i, o, f, c; c is updated in place and h written.
struct LstmRow {
  const float* pre;
  float* c;
  float* h;
  const float *peep_i, *peep_o, *peep_f;  // all null without peepholes
  int64_t hidden;
  float clip;  // 0: none
  bool input_forget;
};

// One batch row of a GRU step's candidate and new state, gate order z, r, h:
//   h' = (1 - z) * tanh(clip(x_h + rec)) + z * h, rec = r * (s_h + rb_h) when linear_before_reset, else s_h
// where zr holds the activated z and r gates, x the input projection (bias folded in) and s_h the recurrent
// product of the h gate.
struct GruRow {
  const float* zr;
  const float* x_h;
  const float* s_h;
  const float* rb_h;  // linear_before_reset only
  float* h;
  int64_t hidden;
  float clip;
  bool linear_before_reset;
};

struct RnnCellKernels {
  // The GEMV reads its right-hand side in panels of this many columns, made by pack_panels.
  int64_t panel;
  // Arranges R [n, k] row-major, whose row j holds what output column j needs (B = R^T), into panels:
  // ceil(n / panel) * panel * k floats at dst.
  void (*pack_panels)(const float* r, int64_t n, int64_t k, float* dst);
  // out[r][0:n] = init[r][0:n] (0 where init is null or init[r] is) + a[r][0:k] x B[k, n] for r < rows, B in
  // panels. Meant for a few rows: the recurrent step of a small batch, reading B as one stream per panel.
  void (*gemv)(int64_t rows, const float* const* a, const float* const* init, float* const* out, int64_t n, int64_t k,
               const float* panels);
  void (*lstm_row)(const LstmRow& row);
  // out[j] = act(clip(pre[j] + add[j])) (add may be null) for j < n.
  void (*activate)(RnnVecAct act, const float* pre, const float* add, float* out, int64_t n, float clip);
  void (*gru_row)(const GruRow& row);
};

const RnnCellKernels& RnnCellKernelsPortable();                   // float_rnn_cell.cc: 128-bit vectors, any processor
const RnnCellKernels& RnnCellKernelsAvx2();                       // only where cpu::HasAvx2()
ONYX_AVX512_KERNEL const RnnCellKernels& RnnCellKernelsAvx512();  // only where cpu::HasAvx512()

}  // namespace onyx::cpu

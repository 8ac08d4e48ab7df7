// The fast float path of LSTM, GRU and RNN, shared by the three kernels:
//   - the input projection of every time step and both directions is one GEMM (X x W^T, W packed once when it
//     is a constant), with the biases folded in;
//   - each step multiplies the hidden state by R^T with the GEMV of ukernels/float_rnn_cell.h, R arranged in
//     panels once (the packed GEMM was no faster even at 64 rows: it repacks h every step, and R streams from
//     L2 either way);
//   - the gates are computed with vector sigmoid and tanh, fused per batch row;
//   - the two directions of a bidirectional node run on two threads when the work pays for the hand-off;
//   - X, the initial states and the outputs are read and written in the node's layout directly.
// It takes float tensors and the default activations (RNN: Tanh, Sigmoid or Relu); everything else goes to
// each kernel's reference path, which the tests compare this one against.
#pragma once

#include <cstdint>
#include <vector>

#include "ep/cpu/kernels/nn/gemm_util.h"
#include "ep/cpu/kernels/rnn/rnn_util.h"
#include "ep/cpu/ukernels/float_rnn_cell.h"

namespace onyx::cpu {

enum class RnnKind { kLstm, kGru, kRnn };

inline int64_t RnnGates(RnnKind kind) { return kind == RnnKind::kLstm ? 4 : kind == RnnKind::kGru ? 3 : 1; }

// W, R and B arranged for the fast path: made once at kernel creation from constant inputs, or per run.
struct RnnWeights {
  int64_t dirs = 0, hidden = 0, input = 0;
  bool ready = false;
  PackedGemmB w_packed;  // op(B) = W^T [input, dirs * G]; empty when made per run (the GEMM packs as it goes)
  // Per direction, R in the GEMV's panels (RnnCellKernels::pack_panels): all G columns; with GRU the z and r
  // columns, then the h columns apart, since the h gate multiplies another left-hand side when
  // linear_before_reset is 0.
  std::vector<float> panels;
  int64_t panel_main = 0, panel_h = 0;  // floats per direction of each part
  const float* main_panels(int64_t dir) const { return panels.data() + dir * (panel_main + panel_h); }
  const float* h_panels(int64_t dir) const { return main_panels(dir) + panel_main; }
  std::vector<float> bias;  // [dirs, G]: added to the input projection (GRU: the h gate's recurrent bias
                            // only when linear_before_reset is 0)
  std::vector<float> rb_h;  // GRU with linear_before_reset: [dirs, H], the h gate's recurrent bias
};

// Arranges W [dirs, G, input], R [dirs, G, H] and B [dirs, 2G] (null: zero). `pack_w` packs W for the GEMM
// (worth it when the weights are reused run after run).
void BuildRnnWeights(RnnKind kind, bool linear_before_reset, int64_t dirs, int64_t hidden, int64_t input,
                     const float* w, const float* r, const float* b, bool pack_w, RnnWeights* out);

// Reads the constant W, R and B of a recurrent node at kernel creation; leaves `out` not ready when they are
// not all constant float tensors of consistent shapes (the kernel then arranges them per run).
void PrepareConstantRnnWeights(const KernelInfo& info, RnnKind kind, bool linear_before_reset, int64_t num_directions,
                               RnnWeights* out);

// Whether the fast path computes these activations (per direction: LSTM f, g, h; GRU f, g; RNN f, which it
// stores in *rnn_act; LSTM and GRU may pass null).
bool RnnFastActivations(RnnKind kind, const RnnAttrs& attrs, RnnVecAct* rnn_act = nullptr);

struct RnnFastOptions {
  RnnKind kind = RnnKind::kLstm;
  bool input_forget = false;             // LSTM
  bool linear_before_reset = false;      // GRU
  RnnVecAct rnn_act = RnnVecAct::kTanh;  // RNN
};

// Runs a checked float node (CheckRnnInputs done) and writes its outputs. `weights` may be null or not ready:
// then W, R and B are arranged from the inputs for this run.
Status RunRnnFast(KernelContext& ctx, const RnnAttrs& attrs, const RnnFastOptions& opts, const RnnDims& dims,
                  const std::vector<int64_t>& lens, const RnnWeights* weights);

// The instruction-set build of the cell ukernels this processor runs.
const RnnCellKernels& RnnCells();

}  // namespace onyx::cpu

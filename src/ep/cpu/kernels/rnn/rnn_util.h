// Shared by LSTM, GRU and RNN: attributes (direction, hidden_size, activations,
// clip, layout), input validation, and the layout-1 (batch-major) transposes.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "framework/op_kernel.h"
#include "framework/tensor.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

struct Activation {
  enum class Kind {
    kSigmoid,
    kTanh,
    kRelu,
    kAffine,
    kLeakyRelu,
    kThresholdedRelu,
    kScaledTanh,
    kHardSigmoid,
    kElu,
    kSoftsign,
    kSoftplus
  };
  Kind kind = Kind::kSigmoid;
  float alpha = 0, beta = 0;

  template <typename T>
  T operator()(T x) const {
    const T a = static_cast<T>(alpha), b = static_cast<T>(beta);
    switch (kind) {
      case Kind::kSigmoid:
        return x >= 0 ? T(1) / (T(1) + std::exp(-x)) : std::exp(x) / (T(1) + std::exp(x));
      case Kind::kTanh:
        return std::tanh(x);
      case Kind::kRelu:
        return x > 0 ? x : T(0);
      case Kind::kAffine:
        return a * x + b;
      case Kind::kLeakyRelu:
        return x >= 0 ? x : a * x;
      case Kind::kThresholdedRelu:
        return x > a ? x : T(0);
      case Kind::kScaledTanh:
        return a * std::tanh(b * x);
      case Kind::kHardSigmoid:
        return std::max(T(0), std::min(T(1), a * x + b));
      case Kind::kElu:
        return x >= 0 ? x : a * (std::exp(x) - T(1));
      case Kind::kSoftsign:
        return x / (T(1) + std::abs(x));
      case Kind::kSoftplus:
        return std::log1p(std::exp(-std::abs(x))) + std::max(x, T(0));
    }
    return x;
  }
};

// The attributes every recurrent operator shares, read and checked once.
struct RnnAttrs {
  enum class Direction { kForward, kReverse, kBidirectional };
  Direction direction = Direction::kForward;
  int64_t num_directions = 1;
  int64_t hidden_size = 0;  // 0 when absent: taken from R
  int64_t layout = 0;
  float clip = 0;  // 0: no clipping
  // per direction, `per_direction` functions each
  std::vector<Activation> activations;

  // `defaults` are the activation names used when the attribute is absent (e.g.
  // Sigmoid, Tanh, Tanh).
  Status Init(const KernelInfo& info, const std::vector<std::string>& defaults);
  const Activation& act(int64_t dir, size_t i, size_t per_direction) const {
    return activations[static_cast<size_t>(dir) * per_direction + i];
  }
};

// Checked dimensions of a recurrent node's inputs (X, W, R, B, sequence_lens,
// initial_h).
struct RnnDims {
  int64_t seq = 0, batch = 0, input = 0, hidden = 0;
};

// Validates X, W, R, B, sequence_lens and initial_h (and initial_c for LSTM via
// `extra_state`) for an operator with `gates` gates; fills the dims and the
// per-batch sequence lengths (checked against seq).
Status CheckRnnInputs(KernelContext& ctx, const RnnAttrs& attrs, int64_t gates, RnnDims* dims,
                      std::vector<int64_t>* seq_lens, const std::vector<int>& state_inputs);

// Swaps the two leading axes of a [d0, d1, inner] array into [d1, d0, inner].
template <typename T>
void SwapLeadingAxes(const T* in, T* out, int64_t d0, int64_t d1, int64_t inner) {
  for (int64_t i = 0; i < d0; ++i) {
    for (int64_t j = 0; j < d1; ++j) {
      const T* src = in + (i * d1 + j) * inner;
      T* dst = out + (j * d0 + i) * inner;
      for (int64_t k = 0; k < inner; ++k) dst[k] = src[k];
    }
  }
}

// The inputs as the kernels compute them: half types widened to float, X and
// the initial states moved to layout 0 (time-major). Index i holds input i;
// omitted inputs are left undefined.
Status PrepareRnnInputs(KernelContext& ctx, const RnnAttrs& attrs, const RnnDims& dims, std::vector<Tensor>* in);

// Zeroed layout-0 scratch outputs in the compute type: Y [seq, dirs, batch, H]
// and `states` tensors [dirs, batch, H] (Y_h, Y_c); undefined where the output
// is not requested.
Status AllocateRnnOutputs(KernelContext& ctx, const RnnAttrs& attrs, const RnnDims& dims, DataType compute_type,
                          size_t states, std::vector<Tensor>* out);

// Writes the scratch outputs to the real ones, in the model's layout and
// element type.
Status FinishRnnOutputs(KernelContext& ctx, const RnnAttrs& attrs, const RnnDims& dims, const std::vector<Tensor>& out);

// Output shapes for layout 0/1: Y [seq, dirs, batch, H] / [batch, seq, dirs,
// H]; Y_h and Y_c [dirs, batch, H] / [batch, dirs, H].
Status InferRnn(ir::InferenceContext& ctx);

}  // namespace onyx::cpu

// The recurrent-cell ukernels with 256-bit vectors (this file is compiled for x86-64-v3: AVX2 + FMA), called only
// after cpu::HasAvx2().
#include "ep/cpu/ukernels/float_rnn_cell_impl.h"

namespace onyx::cpu {

namespace {
typedef float V8 __attribute__((vector_size(32)));
}  // namespace

const RnnCellKernels& RnnCellKernelsAvx2() {
  // 16 registers: 8 accumulators (one or two rows of panels of four vectors) leave room for the operands.
  static const RnnCellKernels kernels = rnn_cell::MakeRnnCellKernels<V8, 32, 8>();
  return kernels;
}

}  // namespace onyx::cpu

// The portable build of the recurrent-cell ukernels: 128-bit GCC vectors (SSE2 on x86-64, NEON on AArch64), what
// a processor without AVX2 runs.
#include "ep/cpu/ukernels/float_rnn_cell_impl.h"

namespace onyx::cpu {

namespace {
typedef float V4 __attribute__((vector_size(16)));
}  // namespace

const RnnCellKernels& RnnCellKernelsPortable() {
  // 16 registers on SSE2 (32 on NEON): 8 accumulators leave room for the operands.
  static const RnnCellKernels kernels = rnn_cell::MakeRnnCellKernels<V4, 16, 8>();
  return kernels;
}

}  // namespace onyx::cpu

// The recurrent-cell ukernels with 512-bit vectors (this file alone is compiled with AVX-512 enabled; see
// CMakeLists.txt), called only after a run-time check of the processor.
#include "ep/cpu/ukernels/float_rnn_cell_impl.h"

#if !defined(__AVX512F__)
#error "float_rnn_cell__avx512.cc must be compiled with AVX-512 enabled"
#endif

namespace onyx::cpu {

namespace {
typedef float V16 __attribute__((vector_size(64)));
}  // namespace

const RnnCellKernels& RnnCellKernelsAvx512() {
  // 32 registers: 16 accumulators (one to four rows of panels of four vectors), the operands besides.
  static const RnnCellKernels kernels = rnn_cell::MakeRnnCellKernels<V16, 64, 16>();
  return kernels;
}

}  // namespace onyx::cpu

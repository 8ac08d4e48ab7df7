// DynamicQuantizeLSTM's element loops (float_lstm_rows.h) compiled for AVX2 (this file alone; see CMakeLists.txt).
#include "ep/cpu/ukernels/float_lstm_rows.h"

#if !defined(__AVX2__)
#error "float_lstm_rows__avx2.cc must be compiled with AVX2 enabled"
#endif

namespace onyx::cpu::ukernels {

namespace {
struct Avx2Tag {};
}  // namespace

const LstmRowOps& LstmRowsAvx2() { return lstm_rows::Ops<Avx2Tag>(); }

}  // namespace onyx::cpu::ukernels

// Off x86, the NCHWc kernels (src/ep/cpu/kernels/nchwc/) never run: the layout pass writes them only where
// cpu::HasAvx2(), and each kernel's Init refuses to start without it (nchwc::CheckAvx2), so a model that names them
// gets a clear error. Their files still compile everywhere, which keeps the operators' schemas and the error; these
// definitions stand in for the AVX2 and AVX-512 loops (float_nchwc_*__avx2.cc, __avx512.cc), which are x86 code.
#include "ep/cpu/cpu_isa.h"

#if !ONYX_X86
#include <cstdlib>

#include "ep/cpu/ukernels/float_nchwc__avx2.h"
#include "ep/cpu/ukernels/float_nchwc_pool__avx2.h"

namespace onyx::cpu::nchwc {

namespace {
[[noreturn]] void Unreachable() { std::abort(); }
}  // namespace

void ConvBlocks_Avx2(const ConvImage&, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t) { Unreachable(); }
void ConvPairs_Avx512(const ConvImage&, const PairConv&, const PairUnit&, int64_t, int64_t, int64_t, int64_t) {
  Unreachable();
}
void DepthwiseBlock_Avx2(const ConvImage&, int64_t, int64_t, int64_t) { Unreachable(); }
void DepthwiseRows_Avx512(const ConvImage&, int64_t, int64_t, int64_t) { Unreachable(); }
void ReorderToBlock_Avx2(const float*, int64_t, int64_t, int64_t, float*) { Unreachable(); }
void ReorderFromBlock_Avx2(const float*, int64_t, int64_t, float*, int64_t) { Unreachable(); }
void PixelsToBlock_Avx2(const float*, int64_t, int64_t, int64_t, float*) { Unreachable(); }
void GatherLanes_Avx2(const float*, const int32_t*, int64_t, float*) { Unreachable(); }
void DivideByPower_Avx2(const float*, const float*, float*, int64_t, float) { Unreachable(); }
void LrnBlock_Avx2(const LrnGeometry&, const float*, int64_t, int64_t, int64_t, float*, float*) { Unreachable(); }
void PoolPlane_Avx2(const PoolGeometry&, bool, bool, const float*, float*, int64_t, int64_t) { Unreachable(); }
void GlobalAveragePlane_Avx2(const float*, int64_t, float*) { Unreachable(); }

}  // namespace onyx::cpu::nchwc
#endif

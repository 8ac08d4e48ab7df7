// Int16Gemv's packing and its portable loop, which takes the columns the AVX2 build (int16_gemv__avx2.cc, where the
// processor has it) leaves.
#include "ep/cpu/ukernels/int16_gemv.h"

#include <cstddef>

#include "ep/cpu/cpu_isa.h"

namespace onyx::cpu::ukernels {

Int16PairsB PackInt16Pairs(const int32_t* b, int64_t k, int64_t n) {
  Int16PairsB p;
  p.k = k;
  p.n = n;
  const int64_t pairs = (k + 1) / 2;
  p.data.assign(static_cast<size_t>(pairs * n * 2), 0);
  for (int64_t l = 0; l < k; ++l) {
    for (int64_t j = 0; j < n; ++j) {
      p.data[static_cast<size_t>(((l / 2) * n + j) * 2 + l % 2)] = static_cast<int16_t>(b[l * n + j]);
    }
  }
  return p;
}

void Int16Gemv(const int32_t* a, const Int16PairsB& b, int32_t* out) {
  const int64_t n = b.n, pairs = (b.k + 1) / 2;
  const int16_t* d = b.data.data();
  auto a_at = [&](int64_t l) { return l < b.k ? a[l] : 0; };
  int64_t j0 = 0;
#if ONYX_X86
  if (HasAvx2()) j0 = Int16GemvColumnsAvx2(a, b, out);
#endif
  for (; j0 < n; ++j0) {
    int32_t s = 0;
    for (int64_t p = 0; p < pairs; ++p) {
      const int16_t* e = d + (p * n + j0) * 2;
      s += a_at(2 * p) * e[0] + a_at(2 * p + 1) * e[1];
    }
    out[j0] = s;
  }
}

}  // namespace onyx::cpu::ukernels

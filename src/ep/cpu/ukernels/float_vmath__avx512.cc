// float_vmath.h with 512-bit vectors (this file alone is compiled with AVX-512 enabled; see CMakeLists.txt).
#include "ep/cpu/ukernels/float_vmath_impl.h"

#if !defined(__AVX512F__)
#error "float_vmath__avx512.cc must be compiled with AVX-512 enabled"
#endif

namespace onyx::cpu::vmath {
namespace {
struct Lanes16 {
  typedef float V __attribute__((vector_size(64)));
  typedef int32_t I __attribute__((vector_size(64)));
  static constexpr int kLanes = 16;
};
}  // namespace

const Table& TableAvx512() {
  static const Table table = impl::Math<Lanes16>::MakeTable("avx512");
  return table;
}

}  // namespace onyx::cpu::vmath

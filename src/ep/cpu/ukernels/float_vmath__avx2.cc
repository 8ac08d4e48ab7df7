// float_vmath.h with 256-bit vectors and FMA (the build's baseline, x86-64-v3, has both).
#include "ep/cpu/ukernels/float_vmath_impl.h"

#if !defined(__AVX2__) || !defined(__FMA__)
#error "float_vmath__avx2.cc must be compiled with AVX2 and FMA enabled"
#endif

namespace onyx::cpu::vmath {
namespace {
struct Lanes8 {
  typedef float V __attribute__((vector_size(32)));
  typedef int32_t I __attribute__((vector_size(32)));
  static constexpr int kLanes = 8;
};
}  // namespace

const Table& TableAvx2() {
  static const Table table = impl::Math<Lanes8>::MakeTable("avx2");
  return table;
}

}  // namespace onyx::cpu::vmath

// Which vector instruction sets the CPU kernels may use. The library is compiled for the architecture's baseline
// (x86-64 without AVX, or AArch64); kernels built for more (ukernels/*__avx2.cc, *__avx512.cc, ...; functions
// between ONYX_TARGET_AVX2_BEGIN and _END) run only after one of these checks. Each check is what the processor has
// (CPUID, read once) capped by the environment variable ONYX_ISA:
//   ONYX_ISA=portable   the portable kernels only (what a processor without AVX2 runs; on AArch64, no SDOT)
//   ONYX_ISA=avx2       at most AVX2 + FMA (and AVX-VNNI): no AVX-512, no AMX
//   ONYX_ISA=avx512     at most AVX-512 (with VNNI and AMX where present): the default, which is the best available
// A level the processor lacks gives the best it has; an unknown value is reported once on stderr and ignored.
#pragma once

namespace onyx::cpu {

enum class IsaLevel : int { kPortable = 0, kAvx2 = 1, kAvx512 = 2 };

// The processor's best level capped by ONYX_ISA.
IsaLevel MaxIsaLevel();
const char* IsaLevelName(IsaLevel level);

// AVX2, FMA and F16C (x86-64-v3's vector part), at level avx2 or above.
bool HasAvx2();
// AVX-VNNI (the 256-bit VEX form), at level avx2 or above.
bool HasAvxVnni();
// AVX-512 F, VL, BW and DQ, at level avx512.
bool HasAvx512();
// The above and AVX512-VNNI.
bool HasAvx512Vnni();
// The above and AVX512-VBMI.
bool HasAvx512Vbmi();
// AArch64's dot-product instructions (SDOT/UDOT, FEAT_DotProd; Linux's HWCAP_ASIMDDP), at any level but portable.
bool HasNeonDot();

}  // namespace onyx::cpu

// Code between these compiles for AVX2 + FMA + F16C (GCC and Clang), for calling only after HasAvx2(): the way
// to keep a short vector loop inside its kernel file instead of a ukernels/*__avx2.cc of its own. Templates and
// lambdas defined between them are compiled for AVX2 too; standard headers must be included before, so that
// their inline functions stay baseline code (the linker keeps one copy of each).
#if defined(__x86_64__) || defined(__i386__)
#define ONYX_X86 1
#if defined(__clang__)
// Clang ignores GCC's target pragmas (and -Werror makes that an error): its own pragma gives every function
// declared in between, lambdas included, the target attribute.
#define ONYX_TARGET_AVX2_BEGIN                                                                              \
  _Pragma("clang attribute push(__attribute__((target(\"avx2,fma,f16c,bmi,bmi2,lzcnt,popcnt\"))), \
          apply_to = function)")
#define ONYX_TARGET_AVX2_END _Pragma("clang attribute pop")
#else
#define ONYX_TARGET_AVX2_BEGIN \
  _Pragma("GCC push_options") _Pragma("GCC target(\"avx2,fma,f16c,bmi,bmi2,lzcnt,popcnt\")")
#define ONYX_TARGET_AVX2_END _Pragma("GCC pop_options")
#endif
#else
#define ONYX_X86 0
#endif

#include "ep/cpu/cpu_isa.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

#if defined(__aarch64__) && defined(__linux__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

#include "ep/cpu/isa_built.h"

namespace onyx::cpu {

namespace {

struct Features {
  bool avx2 = false, avxvnni = false, avx512 = false, avx512vnni = false, avx512vbmi = false;
  bool neondot = false;
};

#if ONYX_X86
bool CpuidAvxVnni() {
  // GCC 12's __builtin_cpu_supports does not know "avxvnni": CPUID leaf 7 sub-leaf 1, EAX bit 4.
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  __asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0));
  if (eax < 7) return false;
  __asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(7), "c"(1));
  return (eax & (1u << 4)) != 0;
}

bool CpuidF16c() {
  // Clang 14's __builtin_cpu_supports does not know "f16c": CPUID leaf 1, ECX bit 29.
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  __asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(1), "c"(0));
  return (ecx & (1u << 29)) != 0;
}
#endif

Features Detect() {
  Features f;
#if ONYX_X86
  __builtin_cpu_init();
  f.avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && CpuidF16c();
  f.avxvnni = f.avx2 && CpuidAvxVnni();
  f.avx512 = f.avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
             __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
  f.avx512vnni = f.avx512 && __builtin_cpu_supports("avx512vnni");
  f.avx512vbmi = f.avx512 && __builtin_cpu_supports("avx512vbmi");
#elif defined(__aarch64__) && defined(__linux__)
  f.neondot = (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) != 0;
#endif
  return f;
}

IsaLevel Requested() {
  const char* env = std::getenv("ONYX_ISA");
  if (env == nullptr || *env == '\0') return IsaLevel::kAvx512;
  for (IsaLevel l : {IsaLevel::kPortable, IsaLevel::kAvx2, IsaLevel::kAvx512}) {
    if (std::strcmp(env, IsaLevelName(l)) == 0) return l;
  }
  // Read before any session exists (a kernel's first call), so stderr rather than a Status.
  std::fprintf(stderr, "onyx: ignoring ONYX_ISA=%s (expected portable, avx2 or avx512)\n", env);
  return IsaLevel::kAvx512;
}

// The detected features with those above the requested level cleared.
const Features& Allowed() {
  static const Features allowed = [] {
    Features f = Detect();
    // A minimal build without the AVX-512 kernels (ONYX_ISA_BUILT, isa_built.h) never reports more than it has.
    const IsaLevel cap = std::min(Requested(), static_cast<IsaLevel>(ONYX_ISA_BUILT));
    if (cap < IsaLevel::kAvx512) f.avx512 = f.avx512vnni = f.avx512vbmi = false;
    if (cap < IsaLevel::kAvx2) f.avx2 = f.avxvnni = f.neondot = false;
    return f;
  }();
  return allowed;
}

}  // namespace

IsaLevel MaxIsaLevel() {
  const Features& f = Allowed();
  return f.avx512 ? IsaLevel::kAvx512 : f.avx2 ? IsaLevel::kAvx2 : IsaLevel::kPortable;
}

const char* IsaLevelName(IsaLevel level) {
  switch (level) {
    case IsaLevel::kAvx2:
      return "avx2";
    case IsaLevel::kAvx512:
      return "avx512";
    default:
      return "portable";
  }
}

bool HasAvx2() { return Allowed().avx2; }
bool HasAvxVnni() { return Allowed().avxvnni; }
bool HasAvx512() { return Allowed().avx512; }
bool HasAvx512Vnni() { return Allowed().avx512vnni; }
bool HasAvx512Vbmi() { return Allowed().avx512vbmi; }
bool HasNeonDot() { return Allowed().neondot; }

}  // namespace onyx::cpu

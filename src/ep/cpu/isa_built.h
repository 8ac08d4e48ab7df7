// The highest instruction-set level whose kernels this build has (cpu_isa.h's IsaLevel as a number): 2 (AVX-512)
// except in a minimal build configured with ONYX_MINIMAL_ISA=avx2 (cmake/OnyxMinimal.cmake, docs/EDGE.md), which
// leaves the AVX-512 float kernels out of the static link. cpu_isa.cc's checks then never report AVX-512, and those
// kernels' entry points are declared weak (ONYX_AVX512_KERNEL): a weak reference does not pull the kernel's object
// from the archive, and nothing calls it. A header of its own, so that the full build's many includers of cpu_isa.h
// do not depend on it.
#pragma once

#ifndef ONYX_ISA_BUILT
#define ONYX_ISA_BUILT 2
#endif
#if ONYX_ISA_BUILT < 2
#define ONYX_AVX512_KERNEL [[gnu::weak]]
#else
#define ONYX_AVX512_KERNEL
#endif

// The NCHWc kernels and the layout pass that uses them need AVX2 (src/ep/cpu/kernels/nchwc/nchwc_util.h): where the
// processor lacks it, on other architectures and under ONYX_ISA=portable the pass leaves graphs in the plain layout
// and the kernels refuse to run (NchwcRefusal.WithoutAvx2 checks that). Their tests skip there, saying so.
#pragma once

#include <gtest/gtest.h>

#include "ep/cpu/cpu_isa.h"

#define ONYX_SKIP_WITHOUT_NCHWC()                                                                          \
  do {                                                                                                     \
    if (!::onyx::cpu::HasAvx2()) {                                                                         \
      GTEST_SKIP() << "the NCHWc kernels need AVX2, which this processor (or ONYX_ISA) does not offer";    \
    }                                                                                                      \
  } while (0)

// HannWindow (opset 17): w[n] = 0.5 - 0.5 cos(2 pi n / N).
#include <numbers>

#include "ep/cpu/kernels/signal/window_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

namespace {

double Hann(double n, double N) { return 0.5 - 0.5 * std::cos(2 * std::numbers::pi * n / N); }

class HannWindowKernel : public window::WindowKernel {
 public:
  HannWindowKernel() : WindowKernel(Hann) {}
};

}  // namespace

ONYX_REGISTER_KERNEL(HannWindowKernel, KernelDef("CPU", "", "HannWindow").Versions(17));
ONYX_REGISTER_SHAPE_INFERENCE("", "HannWindow", window::InferWindow);

}  // namespace onyx::cpu

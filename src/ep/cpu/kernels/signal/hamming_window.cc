// HammingWindow (opset 17): w[n] = 25/46 - 21/46 cos(2 pi n / N).
#include <numbers>

#include "ep/cpu/kernels/signal/window_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

namespace {

double Hamming(double n, double N) { return 25.0 / 46.0 - 21.0 / 46.0 * std::cos(2 * std::numbers::pi * n / N); }

class HammingWindowKernel : public window::WindowKernel {
 public:
  HammingWindowKernel() : WindowKernel(Hamming) {}
};

}  // namespace

ONYX_REGISTER_KERNEL(HammingWindowKernel, KernelDef("CPU", "", "HammingWindow").Versions(17));
ONYX_REGISTER_SHAPE_INFERENCE("", "HammingWindow", window::InferWindow);

}  // namespace onyx::cpu

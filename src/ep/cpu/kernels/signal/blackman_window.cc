// BlackmanWindow (opset 17): w[n] = 0.42 - 0.5 cos(2 pi n / N) + 0.08 cos(4 pi n / N).
#include <numbers>

#include "ep/cpu/kernels/signal/window_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

namespace {

double Blackman(double n, double N) {
  const double a = 2 * std::numbers::pi * n / N;
  return 0.42 - 0.5 * std::cos(a) + 0.08 * std::cos(2 * a);
}

class BlackmanWindowKernel : public window::WindowKernel {
 public:
  BlackmanWindowKernel() : WindowKernel(Blackman) {}
};

}  // namespace

ONYX_REGISTER_KERNEL(BlackmanWindowKernel, KernelDef("CPU", "", "BlackmanWindow").Versions(17));
ONYX_REGISTER_SHAPE_INFERENCE("", "BlackmanWindow", window::InferWindow);

}  // namespace onyx::cpu

// Mod: element-wise remainder with numpy broadcasting. fmod=0 (integers only) takes the divisor's sign like
// Python's %; fmod=1 takes the dividend's sign like C's fmod. A zero integer divisor is an error.
#include <cmath>

#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct ModOp {
  Status Init(const KernelInfo& info) {
    ONYX_RETURN_IF_ERROR(info.GetInt("fmod", &fmod_, 0));
    if (fmod_ != 0 && fmod_ != 1) return info.Error("attribute fmod must be 0 or 1, got ", fmod_);
    return Status::Ok();
  }

  template <typename C>
  C operator()(C a, C b) const {
    if constexpr (std::is_floating_point_v<C>) {
      return std::fmod(a, b);
    } else {
      if constexpr (std::is_signed_v<C>) {
        if (b == -1) return C{0};  // min % -1 would trap
      }
      C r = static_cast<C>(a % b);
      if constexpr (std::is_signed_v<C>) {
        if (fmod_ == 0 && r != 0 && ((r < 0) != (b < 0))) r = static_cast<C>(r + b);
      }
      return r;
    }
  }

  template <typename T>
  Status Check(const KernelContext& ctx, const Tensor& a, const Tensor& b) const {
    if constexpr (std::is_integral_v<T>) {
      for (T v : b.values<T>()) {
        if (v == 0) return ctx.Error("integer modulo by zero (input 1 holds a 0)");
      }
    } else {
      if (fmod_ == 0) return ctx.Error("fmod must be 1 for floating-point inputs");
    }
    return Status::Ok();
  }

  int64_t fmod_ = 0;
};

using ModKernel = BinaryKernel<ModOp, ONYX_ALL_NUMERIC_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(ModKernel, KernelDef("CPU", "", "Mod").Versions(10).Types(0, types::Numeric()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Mod", ir::InferElementwise);

}  // namespace onyx::cpu

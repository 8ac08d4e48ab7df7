// BitShift: shifts unsigned integers left or right (attribute direction) with numpy broadcasting; shifting
// by the bit width or more gives 0 instead of undefined behaviour.
#include "ep/cpu/kernels/math/broadcast.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

struct BitShiftOp {
  Status Init(const KernelInfo& info) {
    std::string direction;
    ONYX_RETURN_IF_ERROR(info.GetString("direction", &direction, std::string()));
    if (direction != "LEFT" && direction != "RIGHT") {
      return info.Error("attribute direction must be \"LEFT\" or \"RIGHT\", got \"", direction, "\"");
    }
    left_ = direction == "LEFT";
    return Status::Ok();
  }

  template <typename C>
  C operator()(C a, C b) const {
    if (b >= static_cast<C>(sizeof(C) * 8)) return C{0};
    return static_cast<C>(left_ ? a << b : a >> b);
  }

  bool left_ = true;
};

using BitShiftKernel = BinaryKernel<BitShiftOp, ONYX_UNSIGNED_INT_TYPES>;

}  // namespace

ONYX_REGISTER_KERNEL(BitShiftKernel,
                     KernelDef("CPU", "", "BitShift")
                         .Versions(11)
                         .Types(0, {DataType::kUint8, DataType::kUint16, DataType::kUint32, DataType::kUint64}));
ONYX_REGISTER_SHAPE_INFERENCE("", "BitShift", ir::InferElementwise);

}  // namespace onyx::cpu

// EyeLike: a 2-D tensor of the input's shape with ones on the k-th diagonal; the type is 'dtype' or the
// input's.
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class EyeLikeKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("k", &k_, 0));
    if (info.has_attr("dtype")) {
      int64_t dt = 0;
      ONYX_RETURN_IF_ERROR(info.GetInt("dtype", &dt));
      if (dt > INT32_MAX || !IsValidDataType(static_cast<int32_t>(dt)))
        return info.Error("dtype ", dt, " is not a data type");
      dtype_ = static_cast<DataType>(dt);
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'input' is missing");
    if (x->rank() != 2) return ctx.Error("input must be 2-D, got ", x->Describe());
    const DataType type = dtype_ != DataType::kUndefined ? dtype_ : x->type();
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, type, x->shape()));
    const int64_t rows = x->dim(0), cols = x->dim(1);
    return Dispatch<ONYX_NUMERIC_TYPES, Float16, BFloat16, bool>(
        type,
        [&](auto tag) -> Status {
          using T = decltype(tag);
          T one;
          if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>)
            one = FromFloat<T>(1.0f);
          else
            one = static_cast<T>(1);
          T* out = y->data<T>();
          if (k_ <= -rows || k_ >= cols) return Status::Ok();  // no diagonal inside (also keeps i + k_ in range)
          for (int64_t i = std::max<int64_t>(0, -k_); i < rows && i + k_ < cols; ++i) out[i * cols + i + k_] = one;
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  int64_t k_ = 0;
  DataType dtype_ = DataType::kUndefined;
};

Status InferEyeLike(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  if (const ir::Attribute* a = ctx.attr("dtype"); a && a->type == ir::AttrType::kInt) {
    if (a->i > INT32_MAX || !IsValidDataType(static_cast<int32_t>(a->i)))
      return ctx.Error("dtype ", a->i, " is not a data type");
    t = static_cast<DataType>(a->i);
  }
  const ir::SymShape* s = ctx.input_shape(0);
  SetOutputIfKnown(ctx, 0, t, s ? std::optional<ir::SymShape>(*s) : std::nullopt);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(EyeLikeKernel, KernelDef("CPU", "", "EyeLike").Versions(9));
ONYX_REGISTER_SHAPE_INFERENCE("", "EyeLike", InferEyeLike);

}  // namespace onyx::cpu

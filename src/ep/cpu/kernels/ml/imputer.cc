// Imputer: replaces elements equal to the replaced value (NaN matches NaN) with the imputed value of their
// feature (the last axis), or with the single imputed value for every feature.
#include <cmath>
#include <type_traits>
#include <vector>

#include "ep/cpu/kernels/dispatch.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class ImputerKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetFloats("imputed_value_floats", &imputed_floats_, std::vector<float>{}));
    ONYX_RETURN_IF_ERROR(info.GetInts("imputed_value_int64s", &imputed_ints_, std::vector<int64_t>{}));
    ONYX_RETURN_IF_ERROR(info.GetFloat("replaced_value_float", &replaced_float_, 0.0f));
    ONYX_RETURN_IF_ERROR(info.GetInt("replaced_value_int64", &replaced_int_, int64_t{0}));
    if (imputed_floats_.empty() == imputed_ints_.empty()) {
      return info.Error("exactly one of 'imputed_value_floats' and 'imputed_value_int64s' must be set");
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input X is missing");
    const bool is_float = x->type() == DataType::kFloat || x->type() == DataType::kDouble;
    if (is_float && imputed_floats_.empty()) {
      return ctx.Error("input ", x->Describe(), " is floating point but only 'imputed_value_int64s' is set");
    }
    if (!is_float && imputed_ints_.empty()) {
      return ctx.Error("input ", x->Describe(), " is integer but only 'imputed_value_floats' is set");
    }
    const int64_t f = x->rank() == 0 ? 1 : x->dim(x->rank() - 1);
    const size_t count = is_float ? imputed_floats_.size() : imputed_ints_.size();
    if (count != 1 && static_cast<int64_t>(count) != f) {
      return ctx.Error("the imputed values have ", count, " entries; expected 1 or the feature count ", f, " of input ",
                       x->Describe());
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), x->shape()));
    return Dispatch<float, double, int32_t, int64_t>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* in = x->data<T>();
          T* out = y->data<T>();
          for (int64_t i = 0; i < x->size(); ++i) {
            const size_t j = count == 1 ? 0 : static_cast<size_t>(i % f);
            out[i] = in[i];
            if constexpr (std::is_floating_point_v<T>) {
              const bool hit =
                  std::isnan(replaced_float_) ? std::isnan(in[i]) : in[i] == static_cast<T>(replaced_float_);
              if (hit) out[i] = static_cast<T>(imputed_floats_[j]);
            } else {
              if (static_cast<int64_t>(in[i]) == replaced_int_) out[i] = static_cast<T>(imputed_ints_[j]);
            }
          }
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  std::vector<float> imputed_floats_;
  std::vector<int64_t> imputed_ints_;
  float replaced_float_ = 0;
  int64_t replaced_int_ = 0;
};

ONYX_REGISTER_KERNEL(ImputerKernel,
                     KernelDef("CPU", "ai.onnx.ml", "Imputer")
                         .Versions(1)
                         .Types(0, {DataType::kFloat, DataType::kDouble, DataType::kInt32, DataType::kInt64}));
ONYX_REGISTER_SHAPE_INFERENCE("ai.onnx.ml", "Imputer", ir::InferSameAsInput);

}  // namespace
}  // namespace onyx::cpu

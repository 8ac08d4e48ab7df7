// Range: start, start + delta, ... up to limit (exclusive). Float16/bfloat16 (opset 27) compute in float.
#include <cmath>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

template <typename T>
double AsDouble(T v) {
  if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>)
    return ToFloat(v);
  else
    return static_cast<double>(v);
}

class RangeKernel final : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    const Tensor* start = ctx.input(0);
    const Tensor* limit = ctx.input(1);
    const Tensor* delta = ctx.input(2);
    if (!start || !limit || !delta) return ctx.Error("inputs 'start', 'limit' and 'delta' are required");
    for (const Tensor* t : {start, limit, delta}) {
      if (t->size() != 1) return ctx.Error("'start', 'limit' and 'delta' must be scalars, got ", t->Describe());
      if (t->type() != start->type())
        return ctx.Error("inputs have different types: ", t->Describe(), " and ", start->Describe());
    }
    return Dispatch<float, double, int16_t, int32_t, int64_t, Float16, BFloat16>(
        start->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T s = start->data<T>()[0], l = limit->data<T>()[0], d = delta->data<T>()[0];
          int64_t count = 0;
          if constexpr (std::is_integral_v<T>) {
            if (d == 0) return ctx.Error("delta is 0");
            int64_t span = 0;
            if (__builtin_sub_overflow(static_cast<int64_t>(l), static_cast<int64_t>(s), &span)) {
              return ctx.Error("the range from ", static_cast<int64_t>(s), " to ", static_cast<int64_t>(l),
                               " is too long");
            }
            const int64_t step = d;
            if ((span > 0 && step > 0) || (span < 0 && step < 0)) count = span / step + (span % step != 0 ? 1 : 0);
          } else {
            const double ds = AsDouble(s), dl = AsDouble(l), dd = AsDouble(d);
            if (dd == 0 || std::isnan(dd)) return ctx.Error("delta is ", dd);
            const double c = std::ceil((dl - ds) / dd);
            if (std::isnan(c) || c > 1e12)
              return ctx.Error("the range from ", ds, " to ", dl, " by ", dd, " is too long");
            count = c > 0 ? static_cast<int64_t>(c) : 0;
          }
          ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, start->type(), {count}));
          T* out = y->data<T>();
          for (int64_t i = 0; i < count; ++i) {
            if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>) {
              out[i] = FromFloat<T>(ToFloat(s) + static_cast<float>(i) * ToFloat(d));
            } else {
              out[i] = static_cast<T>(s + static_cast<T>(i) * d);
            }
          }
          return Status::Ok();
        },
        ctx.node());
  }
};

Status InferRange(ir::InferenceContext& ctx) {
  SetOutputIfKnown(ctx, 0, ctx.input_elem_type(0), ir::SymShape(1));
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(RangeKernel, KernelDef("CPU", "", "Range").Versions(11));
ONYX_REGISTER_SHAPE_INFERENCE("", "Range", InferRange);

}  // namespace onyx::cpu

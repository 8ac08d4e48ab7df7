// Clip: limits values to [min, max]. Below opset 11 the bounds are float attributes; from 11 on they are
// optional scalar inputs 1 and 2 of the input's type. An omitted bound leaves that side open.
#include <limits>

#include "ep/cpu/kernels/math/unary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class ClipKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    bounds_from_inputs_ = info.opset() >= 11;
    if (!bounds_from_inputs_) {
      ONYX_RETURN_IF_ERROR(info.GetFloat("min", &min_attr_, -std::numeric_limits<float>::infinity()));
      ONYX_RETURN_IF_ERROR(info.GetFloat("max", &max_attr_, std::numeric_limits<float>::infinity()));
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 0 is missing or not a tensor");
    return Dispatch<ONYX_ALL_NUMERIC_TYPES>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          using C = ComputeType<T>;
          C lo = std::numeric_limits<C>::lowest(), hi = std::numeric_limits<C>::max();
          if (!bounds_from_inputs_) {
            lo = static_cast<C>(min_attr_);
            hi = static_cast<C>(max_attr_);
          } else {
            ONYX_RETURN_IF_ERROR(Bound<T>(ctx, 1, &lo));
            ONYX_RETURN_IF_ERROR(Bound<T>(ctx, 2, &hi));
          }
          // NaN stays NaN; when min > max every value becomes max (as numpy.clip does).
          return RunUnary<T>(
              ctx, *x, [lo, hi](C v) { return v < lo ? (lo > hi ? hi : lo) : (v > hi ? hi : v); }, kCheapGrain);
        },
        ctx.node());
  }

 private:
  template <typename T>
  static Status Bound(const KernelContext& ctx, size_t i, ComputeType<T>* out) {
    const Tensor* b = ctx.input(i);
    if (b == nullptr) return Status::Ok();
    if (b->type() != DataTypeOf<T>::value) {
      return ctx.Error("input ", i, " has type ", DataTypeName(b->type()), ", expected ",
                       DataTypeName(DataTypeOf<T>::value));
    }
    if (b->size() != 1) return ctx.Error("input ", i, " must be a scalar, got shape ", ShapeToString(b->shape()));
    *out = Load(*b->data<T>());
    return Status::Ok();
  }

  bool bounds_from_inputs_ = true;
  float min_attr_ = 0, max_attr_ = 0;
};

}  // namespace

ONYX_REGISTER_KERNEL(ClipKernel, KernelDef("CPU", "", "Clip").Versions(1).Types(0, types::Numeric()));
ONYX_REGISTER_SHAPE_INFERENCE("", "Clip", ir::InferSameAsInput);

}  // namespace onyx::cpu

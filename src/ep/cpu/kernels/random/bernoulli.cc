// Bernoulli: y[i] = 1 with probability p[i] (the input), else 0, in the dtype (default: the input's type).
// Probabilities outside [0, 1] and NaN are rejected: they have no meaning as probabilities.
#include "ep/cpu/kernels/random/random_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

template <typename T>
double AsDouble(T v) {
  if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>) {
    return ToFloat(v);
  } else {
    return static_cast<double>(v);
  }
}

class BernoulliKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(source_.Init(info));
    return rng::ReadDtype(info,
                          {DataType::kFloat, DataType::kDouble, DataType::kFloat16, DataType::kBFloat16,
                           DataType::kUint8, DataType::kUint16, DataType::kUint32, DataType::kUint64, DataType::kInt8,
                           DataType::kInt16, DataType::kInt32, DataType::kInt64, DataType::kBool},
                          &dtype_);
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input is required");
    if (!rng::IsRealType(x->type())) return ctx.Error("input type ", DataTypeName(x->type()), " is not a float type");
    const int64_t n = x->size();
    std::vector<double> p(static_cast<size_t>(n));
    Status widened = Dispatch<float, double, Float16, BFloat16>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* xs = x->data<T>();
          for (int64_t i = 0; i < n; ++i) p[static_cast<size_t>(i)] = AsDouble(xs[i]);
          return Status::Ok();
        },
        ctx.node());
    if (!widened.ok()) return widened;
    for (double v : p) {
      if (!(v >= 0.0 && v <= 1.0)) return ctx.Error("probability ", v, " is outside [0, 1]");
    }
    std::vector<uint8_t> draws(static_cast<size_t>(n));
    source_.Use([&](std::mt19937_64& engine) {
      std::uniform_real_distribution<double> uniform(0.0, 1.0);
      for (size_t i = 0; i < draws.size(); ++i) draws[i] = uniform(engine) < p[i] ? 1 : 0;
    });
    const DataType out_type = dtype_.value_or(x->type());
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, out_type, x->shape()));
    return Dispatch<float, double, Float16, BFloat16, uint8_t, uint16_t, uint32_t, uint64_t, int8_t, int16_t, int32_t,
                    int64_t, bool>(
        out_type,
        [&](auto tag) -> Status {
          using T = decltype(tag);
          T* out = y->data<T>();
          for (int64_t i = 0; i < n; ++i) {
            if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>) {
              out[i] = FromFloat<T>(draws[static_cast<size_t>(i)] ? 1.0f : 0.0f);
            } else {
              out[i] = static_cast<T>(draws[static_cast<size_t>(i)]);
            }
          }
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  rng::RandomSource source_;
  std::optional<DataType> dtype_;
};

}  // namespace

ONYX_REGISTER_KERNEL(BernoulliKernel, KernelDef("CPU", "", "Bernoulli").Versions(15));
ONYX_REGISTER_SHAPE_INFERENCE("", "Bernoulli", rng::InferLikeInput);

}  // namespace onyx::cpu

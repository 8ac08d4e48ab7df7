// Multinomial: for each row of unnormalized log-probabilities [batch, classes], draws sample_size class
// indices (int32 by default, or int64 by dtype).
#include <algorithm>
#include <cmath>
#include <limits>

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

class MultinomialKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(source_.Init(info));
    ONYX_RETURN_IF_ERROR(info.GetInt("sample_size", &sample_size_, 1));
    if (sample_size_ < 0) return info.Error("sample_size must be >= 0, got ", sample_size_);
    std::optional<DataType> dtype;
    ONYX_RETURN_IF_ERROR(rng::ReadDtype(info, {DataType::kInt32, DataType::kInt64}, &dtype));
    out_type_ = dtype.value_or(DataType::kInt32);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input is required");
    if (x->rank() != 2) return ctx.Error("input must be 2-D [batch_size, class_size], got ", x->Describe());
    if (!rng::IsRealType(x->type())) return ctx.Error("input type ", DataTypeName(x->type()), " is not a float type");
    const int64_t batch = x->dim(0), classes = x->dim(1);
    if (classes == 0 && batch > 0 && sample_size_ > 0) return ctx.Error("cannot sample from zero classes");
    std::vector<double> logits(static_cast<size_t>(x->size()));
    Status widened = Dispatch<float, double, Float16, BFloat16>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* xs = x->data<T>();
          for (int64_t i = 0; i < x->size(); ++i) logits[static_cast<size_t>(i)] = AsDouble(xs[i]);
          return Status::Ok();
        },
        ctx.node());
    if (!widened.ok()) return widened;
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, out_type_, {batch, sample_size_}));
    std::vector<int64_t> picks(static_cast<size_t>(batch * sample_size_));
    std::vector<double> cumulative(static_cast<size_t>(classes));
    for (int64_t b = 0; b < batch; ++b) {
      const double* row = logits.data() + b * classes;
      double mx = -std::numeric_limits<double>::infinity();
      for (int64_t c = 0; c < classes; ++c) mx = std::max(mx, row[c]);
      double total = 0.0;
      for (int64_t c = 0; c < classes; ++c) {
        total += std::isfinite(mx) ? std::exp(row[c] - mx) : 0.0;
        cumulative[static_cast<size_t>(c)] = total;
      }
      if (!(total > 0.0) || !std::isfinite(total)) {
        return ctx.Error("row ", b, " has no finite positive probability mass");
      }
      source_.Use([&](std::mt19937_64& engine) {
        std::uniform_real_distribution<double> uniform(0.0, total);
        for (int64_t s = 0; s < sample_size_; ++s) {
          const double u = uniform(engine);
          auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
          const int64_t c = std::min<int64_t>(it - cumulative.begin(), classes - 1);
          picks[static_cast<size_t>(b * sample_size_ + s)] = c;
        }
      });
    }
    for (size_t i = 0; i < picks.size(); ++i) {
      if (out_type_ == DataType::kInt32) {
        y->data<int32_t>()[i] = static_cast<int32_t>(picks[i]);
      } else {
        y->data<int64_t>()[i] = picks[i];
      }
    }
    return Status::Ok();
  }

 private:
  rng::RandomSource source_;
  int64_t sample_size_ = 1;
  DataType out_type_ = DataType::kInt32;
};

Status InferMultinomial(ir::InferenceContext& ctx) {
  const int64_t dtype = ctx.attr_int("dtype", static_cast<int64_t>(DataType::kInt32));
  if (dtype != static_cast<int64_t>(DataType::kInt32) && dtype != static_cast<int64_t>(DataType::kInt64)) {
    return Status::Ok();
  }
  ir::SymShape out(2);
  if (const ir::SymShape* s = ctx.input_shape(0); s && s->size() == 2) out[0] = (*s)[0];
  out[1] = ir::Dim::Known(ctx.attr_int("sample_size", 1));
  ctx.SetOutput(0, static_cast<DataType>(dtype), out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(MultinomialKernel, KernelDef("CPU", "", "Multinomial").Versions(7));
ONYX_REGISTER_SHAPE_INFERENCE("", "Multinomial", InferMultinomial);

}  // namespace onyx::cpu

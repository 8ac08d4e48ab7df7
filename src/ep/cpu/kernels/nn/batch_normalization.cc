// BatchNormalization. Inference folds the statistics into one scale and shift
// per channel. Training mode (opset 14+ training_mode=1, or older versions
// asked for their statistics outputs) normalizes with the batch's own
// statistics and outputs the updated running ones.
#include <cmath>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

// y = x * a[p] + b[p], where p is the channel (per-channel parameters) or the
// channel and spatial position.
template <typename T>
void Affine(const T* x, T* y, int64_t batch, int64_t channels, int64_t spatial, bool per_element,
            const std::vector<double>& a, const std::vector<double>& b, ThreadPool* pool) {
  ThreadPool::For(pool, batch * channels, static_cast<double>(spatial) * kCheapNsPerElement,
                  [&](int64_t begin, int64_t end) {
                    for (int64_t p = begin; p < end; ++p) {
                      const int64_t c = p % channels;
                      const T* xp = x + p * spatial;
                      T* yp = y + p * spatial;
                      if (per_element) {
                        for (int64_t s = 0; s < spatial; ++s) {
                          const size_t i = static_cast<size_t>(c * spatial + s);
                          yp[s] = static_cast<T>(xp[s] * static_cast<T>(a[i]) + static_cast<T>(b[i]));
                        }
                      } else {
                        const T ac = static_cast<T>(a[c]), bc = static_cast<T>(b[c]);
                        for (int64_t s = 0; s < spatial; ++s) yp[s] = xp[s] * ac + bc;
                      }
                    }
                  });
}

// Per-channel (or per-element) mean and biased variance over the batch.
template <typename T>
void BatchStats(const T* x, int64_t batch, int64_t channels, int64_t spatial, bool per_element,
                std::vector<double>* mean, std::vector<double>* var) {
  const size_t params = static_cast<size_t>(per_element ? channels * spatial : channels);
  mean->assign(params, 0.0);
  var->assign(params, 0.0);
  const double count = static_cast<double>(per_element ? batch : batch * spatial);
  for (int pass = 0; pass < 2; ++pass) {
    for (int64_t n = 0; n < batch; ++n) {
      for (int64_t c = 0; c < channels; ++c) {
        const T* xp = x + (n * channels + c) * spatial;
        for (int64_t s = 0; s < spatial; ++s) {
          const size_t i = static_cast<size_t>(per_element ? c * spatial + s : c);
          const double v = static_cast<double>(xp[s]);
          if (pass == 0) {
            (*mean)[i] += v;
          } else {
            const double dv = v - (*mean)[i];
            (*var)[i] += dv * dv;
          }
        }
      }
    }
    for (size_t i = 0; i < params; ++i) {
      if (pass == 0) {
        (*mean)[i] /= count;
      } else {
        (*var)[i] /= count;
      }
    }
  }
}

class BatchNormalizationKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetFloat("epsilon", &epsilon_, 1e-5f));
    ONYX_RETURN_IF_ERROR(info.GetFloat("momentum", &momentum_, 0.9f));
    if (epsilon_ < 0) return info.Error("epsilon must not be negative, got ", epsilon_);
    int64_t flag = 0;
    if (info.opset() >= 14) {
      ONYX_RETURN_IF_ERROR(info.GetInt("training_mode", &flag, int64_t{0}));
      training_ = flag != 0;
    } else {
      // Before opset 14 training was signalled by is_test=0 (opsets 1 and 6)
      // and by asking for the statistics.
      if (info.opset() < 7) {
        ONYX_RETURN_IF_ERROR(info.GetInt("is_test", &flag, int64_t{0}));
      }
      bool any_stats = false;
      for (size_t i = 1; i < info.output_count(); ++i) any_stats = any_stats || info.node().output(i) != nullptr;
      training_ = any_stats && flag == 0;
    }
    if (info.opset() < 9) {
      ONYX_RETURN_IF_ERROR(info.GetInt("spatial", &spatial_, int64_t{1}));
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* params[4] = {ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4)};
    static const char* kNames[4] = {"scale", "B", "input_mean", "input_var"};
    if (!x) return ctx.Error("input X is required");
    if (x->rank() < 1) return ctx.Error("X must have rank >= 1, got ", x->Describe());
    const int64_t batch = x->dim(0);
    const int64_t channels = x->rank() >= 2 ? x->dim(1) : 1;
    int64_t spatial = 1;
    for (int64_t i = 2; i < x->rank(); ++i) spatial *= x->dim(i);
    bool per_element = false;
    for (int i = 0; i < 4; ++i) {
      if (!params[i]) return ctx.Error("input ", kNames[i], " is required");
      if (!IsFloatingPoint(params[i]->type()))
        return ctx.Error(kNames[i], " must be a floating-point tensor, got ", params[i]->Describe());
      if (params[i]->size() == channels) continue;
      // spatial=0 (opsets before 9): one parameter per channel and position.
      if (spatial_ == 0 && params[i]->size() == channels * spatial) {
        per_element = true;
        continue;
      }
      return ctx.Error(kNames[i], " ", params[i]->Describe(), " does not have one value per channel of X ",
                       x->Describe());
    }
    for (int i = 0; i < 4; ++i) {
      if (per_element && params[i]->size() != channels * spatial)
        return ctx.Error("with spatial=0 every parameter must have C*D1*...*Dn values");
    }
    const std::vector<double> scale = ToDoubleVector(*params[0]), bias = ToDoubleVector(*params[1]);
    std::vector<double> mean = ToDoubleVector(*params[2]), var = ToDoubleVector(*params[3]);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), x->shape()));
    ONYX_ASSIGN_OR_RETURN(Tensor xc, AsComputeTensor(ctx, *x));
    ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
    std::vector<double> batch_mean, batch_var;
    if (training_) {
      Status stats = Dispatch<float, double>(
          xc.type(),
          [&](auto tag) -> Status {
            using T = decltype(tag);
            BatchStats(xc.data<T>(), batch, channels, spatial, per_element, &batch_mean, &batch_var);
            return Status::Ok();
          },
          ctx.node());
      if (!stats.ok()) return stats;
    }
    const std::vector<double>& use_mean = training_ ? batch_mean : mean;
    const std::vector<double>& use_var = training_ ? batch_var : var;
    std::vector<double> a(scale.size()), b(scale.size());
    for (size_t i = 0; i < scale.size(); ++i) {
      a[i] = scale[i] / std::sqrt(use_var[i] + static_cast<double>(epsilon_));
      b[i] = bias[i] - use_mean[i] * a[i];
    }
    Status st = Dispatch<float, double>(
        xc.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          Affine(xc.data<T>(), yc.data<T>(), batch, channels, spatial, per_element, a, b, ctx.thread_pool());
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    return WriteStatistics(ctx, mean, var, batch_mean, batch_var);
  }

 private:
  Status WriteStatistics(KernelContext& ctx, const std::vector<double>& mean, const std::vector<double>& var,
                         const std::vector<double>& batch_mean, const std::vector<double>& batch_var) const {
    const double m = momentum_;
    for (size_t o = 1; o < ctx.output_count() && o <= 4; ++o) {
      if (!ctx.output_requested(o)) continue;
      std::vector<double> v = o % 2 == 1 ? mean : var;
      if (training_) {
        const std::vector<double>& cur = o % 2 == 1 ? batch_mean : batch_var;
        if (o <= 2) {
          for (size_t i = 0; i < v.size(); ++i) v[i] = v[i] * m + cur[i] * (1 - m);
        } else {
          v = cur;
        }
      }
      const Tensor* like = ctx.input(o % 2 == 1 ? 3 : 4);
      ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(o, like->type(), like->shape()));
      FromDoubleVector(v, out);
    }
    return Status::Ok();
  }

  float epsilon_ = 1e-5f, momentum_ = 0.9f;
  int64_t spatial_ = 1;
  bool training_ = false;
};

Status InferBatchNormalization(ir::InferenceContext& ctx) {
  ctx.CopyInputToOutput(0, 0);
  for (size_t o = 1; o < ctx.output_count() && o <= 4; ++o) ctx.CopyInputToOutput(o % 2 == 1 ? 3 : 4, o);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(BatchNormalizationKernel,
                     KernelDef("CPU", "", "BatchNormalization").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "BatchNormalization", InferBatchNormalization);

}  // namespace onyx::cpu

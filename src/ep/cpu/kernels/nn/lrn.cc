// LRN: local response normalization across channels.
#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/cpu_isa.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "ep/cpu/ukernels/float_nchwc__avx2.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

// y = x / base^beta, with the exponents networks use (AlexNet's and GoogLeNet's 0.75, 0.5, 1) as square roots and a
// division: several times faster than pow, and as exact to within an ulp or two.
template <typename T>
void DivideByPower(const T* x, const T* base, T* y, int64_t n, T beta) {
  if constexpr (std::is_same_v<T, float>) {
    if ((beta == 0.75f || beta == 0.5f || beta == 1.0f) && HasAvx2())
      return nchwc::DivideByPower_Avx2(x, base, y, n, beta);
  }
  if (beta == T(0.75)) {
    for (int64_t s = 0; s < n; ++s) {
      const T r = std::sqrt(base[s]);
      y[s] = x[s] / (r * std::sqrt(r));
    }
  } else if (beta == T(0.5)) {
    for (int64_t s = 0; s < n; ++s) y[s] = x[s] / std::sqrt(base[s]);
  } else if (beta == T(1)) {
    for (int64_t s = 0; s < n; ++s) y[s] = x[s] / base[s];
  } else {
    for (int64_t s = 0; s < n; ++s) y[s] = x[s] / std::pow(base[s], beta);
  }
}

// Each plane's squares are summed plane by plane over its window of channels (contiguous loops the compiler
// vectorizes), into a buffer of one plane's chunk.
template <typename T>
void LrnPlanes(const T* x, T* y, int64_t batch, int64_t channels, int64_t spatial, int64_t size, T alpha, T beta,
               T bias, ThreadPool* pool) {
  const int64_t before = (size - 1) / 2, after = size - 1 - before;
  const T scale = alpha / static_cast<T>(size);
  constexpr int64_t kChunk = 1024;
  ThreadPool::For(pool, batch * channels,
                  static_cast<double>(spatial) * (static_cast<double>(size) * kCheapNsPerElement + kCostlyNsPerElement),
                  [&](int64_t begin, int64_t end) {
                    std::vector<T> base(static_cast<size_t>(std::min(spatial, kChunk)));
                    for (int64_t p = begin; p < end; ++p) {
                      const int64_t n = p / channels, c = p % channels;
                      const int64_t c0 = std::max<int64_t>(0, c - before), c1 = std::min(channels - 1, c + after);
                      const T* xn = x + n * channels * spatial;
                      for (int64_t s0 = 0; s0 < spatial; s0 += kChunk) {
                        const int64_t len = std::min(kChunk, spatial - s0);
                        T* b = base.data();
                        std::fill(b, b + len, T(0));
                        for (int64_t i = c0; i <= c1; ++i) {
                          const T* xi = xn + i * spatial + s0;
                          for (int64_t s = 0; s < len; ++s) b[s] += xi[s] * xi[s];
                        }
                        for (int64_t s = 0; s < len; ++s) b[s] = bias + scale * b[s];
                        DivideByPower(xn + c * spatial + s0, b, y + p * spatial + s0, len, beta);
                      }
                    }
                  });
}

class LrnKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetFloat("alpha", &alpha_, 1e-4f));
    ONYX_RETURN_IF_ERROR(info.GetFloat("beta", &beta_, 0.75f));
    ONYX_RETURN_IF_ERROR(info.GetFloat("bias", &bias_, 1.0f));
    if (!info.has_attr("size")) return info.Error("attribute size is required");
    ONYX_RETURN_IF_ERROR(info.GetInt("size", &size_));
    if (size_ <= 0) return info.Error("size must be positive, got ", size_);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) return ctx.Error("input X is required");
    if (x->rank() < 2) return ctx.Error("X must have rank >= 2 (N, C, ...), got ", x->Describe());
    int64_t spatial = 1;
    for (int64_t i = 2; i < x->rank(); ++i) spatial *= x->dim(i);
    // Every element is written below: no zero-fill first (1.4% of Inception v1 QDQ at one thread).
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, x->type(), x->shape()));
    if (y->size() == 0) return Status::Ok();
    ONYX_ASSIGN_OR_RETURN(Tensor xc, AsComputeTensor(ctx, *x));
    ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
    Status st = Dispatch<float, double>(
        xc.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          LrnPlanes<T>(xc.data<T>(), yc.data<T>(), x->dim(0), x->dim(1), spatial, size_, alpha_, beta_, bias_,
                       ctx.thread_pool());
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    return Status::Ok();
  }

 private:
  float alpha_ = 1e-4f, beta_ = 0.75f, bias_ = 1.0f;
  int64_t size_ = 1;
};

}  // namespace

ONYX_REGISTER_KERNEL(LrnKernel, KernelDef("CPU", "", "LRN").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "LRN", ir::InferSameAsInput);

}  // namespace onyx::cpu

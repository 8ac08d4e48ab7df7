// Onyx's fused operators (domain com.onyx, written by the optimizer's extended level): FusedConv, FusedGemm
// and FusedMatMul run the standard kernel and then, in one pass over its output in place, scale it (FusedMatMul's
// alpha), add a residual (FusedConv's optional 4th input Z, same shape as the output) and apply an activation,
// saving passes over memory and nodes. Schema: the base operator's inputs, outputs and attributes, plus
//   activation: string, "" (none, the default), Relu, LeakyRelu, Sigmoid, HardSigmoid, Tanh, Clip, HardSwish,
//     Silu (x * Sigmoid(x))
//   activation_params: floats — LeakyRelu [alpha]; HardSigmoid [alpha, beta]; Clip [min, max]
//   alpha: float (FusedMatMul only, default 1)
// (see docs/FUSED_OPERATORS.md).
#include <algorithm>
#include <cmath>

#include "common/thread_pool.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

enum class Activation { kNone, kRelu, kLeakyRelu, kSigmoid, kHardSigmoid, kTanh, kClip, kHardSwish, kSilu };

// y = act(alpha * y + z) over n values in place.
template <Activation A, bool kResidual>
void Epilogue(float* y, const float* z, int64_t n, float alpha, float p0, float p1) {
  for (int64_t i = 0; i < n; ++i) {
    float x = y[i] * alpha;
    if constexpr (kResidual) x += z[i];
    if constexpr (A == Activation::kRelu) x = x > 0.0f ? x : 0.0f;
    if constexpr (A == Activation::kLeakyRelu) x = x < 0 ? p0 * x : x;
    if constexpr (A == Activation::kSigmoid) x = 1.0f / (1.0f + std::exp(-x));
    if constexpr (A == Activation::kHardSigmoid) x = std::clamp(p0 * x + p1, 0.0f, 1.0f);
    if constexpr (A == Activation::kTanh) x = std::tanh(x);
    if constexpr (A == Activation::kClip) x = std::clamp(x, p0, p1);
    if constexpr (A == Activation::kHardSwish) x = x * std::clamp(x / 6.0f + 0.5f, 0.0f, 1.0f);
    if constexpr (A == Activation::kSilu) x = x / (1.0f + std::exp(-x));
    y[i] = x;
  }
}

class FusedActivationKernel : public OpKernel {
 public:
  explicit FusedActivationKernel(const char* base_op) : base_op_(base_op) {}

  Status Init(const KernelInfo& info) override {
    // The newest registered version of the base operator: fused nodes carry no opset of their own.
    const KernelEntry* entry = KernelRegistryFor("CPU").FindByName("", base_op_, kMaxOpset);
    if (entry == nullptr) return info.Error("no CPU kernel for ", base_op_);
    inner_ = entry->factory();
    ONYX_RETURN_IF_ERROR(inner_->Init(info));
    std::string name;
    ONYX_RETURN_IF_ERROR(info.GetString("activation", &name, std::string()));
    ONYX_RETURN_IF_ERROR(info.GetFloats("activation_params", &params_, std::vector<float>{}));
    if (base_op_ == std::string("MatMul")) ONYX_RETURN_IF_ERROR(info.GetFloat("alpha", &alpha_, 1.0f));
    has_residual_ = base_op_ == std::string("Conv") && info.has_input(3);
    struct Known {
      const char* name;
      Activation a;
      size_t params;
    };
    static const Known kKnown[] = {{"", Activation::kNone, 0},
                                   {"Relu", Activation::kRelu, 0},
                                   {"LeakyRelu", Activation::kLeakyRelu, 1},
                                   {"Sigmoid", Activation::kSigmoid, 0},
                                   {"HardSigmoid", Activation::kHardSigmoid, 2},
                                   {"Tanh", Activation::kTanh, 0},
                                   {"Clip", Activation::kClip, 2},
                                   {"HardSwish", Activation::kHardSwish, 0},
                                   {"Silu", Activation::kSilu, 0}};
    for (const Known& k : kKnown) {
      if (name == k.name) {
        if (params_.size() != k.params) {
          return info.Error("activation ", name, " takes ", k.params, " activation_params, got ", params_.size());
        }
        activation_ = k.a;
        return Status::Ok();
      }
    }
    return info.Error("unknown activation '", name, "'");
  }

  Status Compute(KernelContext& ctx) const override {
    ONYX_RETURN_IF_ERROR(inner_->Compute(ctx));
    Tensor* y = ctx.output_tensor(0);
    if (y == nullptr || y->type() != DataType::kFloat) return ctx.Error("fused activation needs a float output");
    float* data = y->data<float>();
    const float* z = nullptr;
    if (has_residual_) {
      const Tensor* zt = ctx.input(3);
      if (zt == nullptr || zt->type() != DataType::kFloat || zt->shape() != y->shape()) {
        return ctx.Error("the residual input Z must be a float tensor of the output's shape ",
                         ShapeToString(y->shape()));
      }
      z = zt->data<float>();
    }
    const float alpha = alpha_;
    const Activation act = activation_;
    const float p0 = params_.empty() ? 0.0f : params_[0], p1 = params_.size() < 2 ? 0.0f : params_[1];
    const bool residual = z != nullptr;
    ThreadPool::For(
        ctx.thread_pool(), y->size(),
        [&](int64_t begin, int64_t end) {
          // One loop per activation (and with/without residual), each simple enough to vectorize.
          auto run = [&]<Activation A>() {
            if (residual) {
              Epilogue<A, true>(data + begin, z + begin, end - begin, alpha, p0, p1);
            } else {
              Epilogue<A, false>(data + begin, nullptr, end - begin, alpha, p0, p1);
            }
          };
          switch (act) {
            case Activation::kNone:
              run.template operator()<Activation::kNone>();
              break;
            case Activation::kRelu:
              run.template operator()<Activation::kRelu>();
              break;
            case Activation::kLeakyRelu:
              run.template operator()<Activation::kLeakyRelu>();
              break;
            case Activation::kSigmoid:
              run.template operator()<Activation::kSigmoid>();
              break;
            case Activation::kHardSigmoid:
              run.template operator()<Activation::kHardSigmoid>();
              break;
            case Activation::kTanh:
              run.template operator()<Activation::kTanh>();
              break;
            case Activation::kClip:
              run.template operator()<Activation::kClip>();
              break;
            case Activation::kHardSwish:
              run.template operator()<Activation::kHardSwish>();
              break;
            case Activation::kSilu:
              run.template operator()<Activation::kSilu>();
              break;
          }
        },
        1 << 14);
    return Status::Ok();
  }

 private:
  const char* base_op_;
  std::unique_ptr<OpKernel> inner_;
  Activation activation_ = Activation::kRelu;
  std::vector<float> params_;
  float alpha_ = 1.0f;
  bool has_residual_ = false;
};

struct FusedConv : FusedActivationKernel {
  FusedConv() : FusedActivationKernel("Conv") {}
};
struct FusedGemm : FusedActivationKernel {
  FusedGemm() : FusedActivationKernel("Gemm") {}
};
struct FusedMatMul : FusedActivationKernel {
  FusedMatMul() : FusedActivationKernel("MatMul") {}
};

ONYX_REGISTER_KERNEL(FusedConv, KernelDef("CPU", "com.onyx", "FusedConv").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_KERNEL(FusedGemm, KernelDef("CPU", "com.onyx", "FusedGemm").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_KERNEL(FusedMatMul, KernelDef("CPU", "com.onyx", "FusedMatMul").Versions(1).Types(0, {DataType::kFloat}));

}  // namespace
}  // namespace onyx::cpu

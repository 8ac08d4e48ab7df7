// Shared pieces of the random operators. Each node owns one generator: seeded from the `seed` attribute when
// given (so a fresh session replays the same sequence); otherwise from the process-wide default seed when one
// was set (common/random_seed.h, onnxruntime.set_seed), mixed with the node's name so that two nodes draw
// different sequences; otherwise from the system's entropy. Successive Runs continue the sequence; the
// generator is guarded by a mutex because Compute may run on several threads.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <optional>
#include <random>
#include <vector>

#include "common/random_seed.h"
#include "ep/cpu/kernels/dispatch.h"
#include "framework/op_kernel.h"
#include "framework/tensor.h"
#include "ir/shape_inference.h"

namespace onyx::cpu::rng {

// The type of a node's `seed` attribute: float in the Random* operators, int in Dropout.
enum class SeedAttr { kFloat, kInt };

class RandomSource {
 public:
  Status Init(const KernelInfo& info, SeedAttr seed_type = SeedAttr::kFloat) {
    if (info.has_attr("seed") && seed_type == SeedAttr::kInt) {
      int64_t seed = 0;
      ONYX_RETURN_IF_ERROR(info.GetInt("seed", &seed));
      engine_.seed(static_cast<uint64_t>(seed));
    } else if (info.has_attr("seed")) {
      float seed = 0.0f;
      ONYX_RETURN_IF_ERROR(info.GetFloat("seed", &seed));
      // The float's bits, so that seeds such as 0.5 and 0.25 give different sequences.
      uint32_t bits = 0;
      std::memcpy(&bits, &seed, sizeof(bits));
      engine_.seed(bits);
    } else if (std::optional<int64_t> seed = DefaultRandomSeed()) {
      engine_.seed(DerivedRandomSeed(*seed, info.node().name()));
    } else {
      std::random_device rd;
      engine_.seed((static_cast<uint64_t>(rd()) << 32) ^ rd());
    }
    return Status::Ok();
  }

  // Runs fn(engine) with the generator locked.
  template <typename Fn>
  void Use(Fn&& fn) const {
    std::lock_guard<std::mutex> lock(mutex_);
    fn(engine_);
  }

 private:
  mutable std::mutex mutex_;
  mutable std::mt19937_64 engine_;
};

inline bool IsRealType(DataType t) {
  return t == DataType::kFloat || t == DataType::kDouble || t == DataType::kFloat16 || t == DataType::kBFloat16;
}

// Reads the optional `dtype` attribute: nullopt when absent; an error when it is not one of `allowed`.
inline Status ReadDtype(const KernelInfo& info, const std::vector<DataType>& allowed, std::optional<DataType>* out) {
  if (!info.has_attr("dtype")) return Status::Ok();
  int64_t v = 0;
  ONYX_RETURN_IF_ERROR(info.GetInt("dtype", &v));
  for (DataType t : allowed) {
    if (static_cast<int64_t>(t) == v) {
      *out = t;
      return Status::Ok();
    }
  }
  return info.Error("dtype ", v, " is not supported");
}

enum class Distribution { kNormal, kUniform };

// Fills a float/double/float16/bfloat16 tensor: normal(a = mean, b = scale) or uniform [a = low, b = high).
inline Status FillRandom(KernelContext& ctx, Tensor* y, Distribution dist, double a, double b,
                         const RandomSource& source) {
  return Dispatch<float, double, Float16, BFloat16>(
      y->type(),
      [&](auto tag) -> Status {
        using T = decltype(tag);
        T* out = y->data<T>();
        const int64_t n = y->size();
        source.Use([&](std::mt19937_64& engine) {
          // std::normal_distribution needs a positive deviation; a zero one is the constant mean.
          std::normal_distribution<double> normal(a, b > 0 ? b : 1.0);
          std::uniform_real_distribution<double> uniform(a, b);
          for (int64_t i = 0; i < n; ++i) {
            double v = a;
            if (dist == Distribution::kUniform) {
              v = uniform(engine);
            } else if (b > 0) {
              v = normal(engine);
            }
            if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>) {
              out[i] = FromFloat<T>(static_cast<float>(v));
            } else {
              out[i] = static_cast<T>(v);
            }
          }
        });
        return Status::Ok();
      },
      ctx.node());
}

// Shape inference of the *Like operators and Bernoulli: input 0's shape, `dtype` or else input 0's type.
inline Status InferLikeInput(ir::InferenceContext& ctx) {
  DataType type = ctx.input_elem_type(0);
  const int64_t dtype = ctx.attr_int("dtype", 0);
  if (dtype != 0 && IsValidDataType(static_cast<int32_t>(dtype))) type = static_cast<DataType>(dtype);
  if (type == DataType::kUndefined) return Status::Ok();
  const ir::SymShape* shape = ctx.input_shape(0);
  ctx.SetOutput(0, type, shape ? std::optional<ir::SymShape>(*shape) : std::nullopt);
  return Status::Ok();
}

// Shape inference of RandomNormal and RandomUniform: the `shape` and `dtype` attributes.
inline Status InferFromAttributes(ir::InferenceContext& ctx) {
  const int64_t dtype = ctx.attr_int("dtype", static_cast<int64_t>(DataType::kFloat));
  if (!IsValidDataType(static_cast<int32_t>(dtype))) return Status::Ok();
  const std::vector<int64_t> shape = ctx.attr_ints("shape");
  for (int64_t d : shape) {
    if (d < 0) return ctx.Error("shape has a negative dim ", d);
  }
  ctx.SetOutput(0, static_cast<DataType>(dtype), ir::ToSymShape(shape));
  return Status::Ok();
}

// The kernel of the four generator operators: `kLike` takes its shape (and default type) from input 0.
template <Distribution D, bool kLike>
class RandomKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(source_.Init(info));
    ONYX_RETURN_IF_ERROR(
        ReadDtype(info, {DataType::kFloat, DataType::kDouble, DataType::kFloat16, DataType::kBFloat16}, &dtype_));
    if constexpr (D == Distribution::kNormal) {
      ONYX_RETURN_IF_ERROR(info.GetFloat("mean", &a_, 0.0f));
      ONYX_RETURN_IF_ERROR(info.GetFloat("scale", &b_, 1.0f));
      if (!(b_ >= 0.0f) || !std::isfinite(b_) || !std::isfinite(a_)) {
        return info.Error("scale must be >= 0 and finite and mean finite, got mean ", a_, ", scale ", b_);
      }
    } else {
      ONYX_RETURN_IF_ERROR(info.GetFloat("low", &a_, 0.0f));
      ONYX_RETURN_IF_ERROR(info.GetFloat("high", &b_, 1.0f));
      if (!(a_ <= b_) || !std::isfinite(a_) || !std::isfinite(b_)) {
        return info.Error("low must not exceed high and both must be finite, got low ", a_, ", high ", b_);
      }
    }
    if constexpr (!kLike) {
      ONYX_RETURN_IF_ERROR(info.GetInts("shape", &shape_));
      for (int64_t d : shape_) {
        if (d < 0) return info.Error("shape has a negative dim ", d);
      }
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    Shape shape = shape_;
    DataType type = dtype_.value_or(DataType::kFloat);
    if constexpr (kLike) {
      const Tensor* x = ctx.input(0);
      if (x == nullptr) return ctx.Error("input is required");
      shape = x->shape();
      if (!dtype_) {
        if (!IsRealType(x->type())) {
          return ctx.Error("input type ", DataTypeName(x->type()), " is not a float type and dtype is not given");
        }
        type = x->type();
      }
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, type, shape));
    return FillRandom(ctx, y, D, a_, b_, source_);
  }

 private:
  RandomSource source_;
  std::optional<DataType> dtype_;
  float a_ = 0.0f, b_ = 1.0f;
  Shape shape_;
};

}  // namespace onyx::cpu::rng

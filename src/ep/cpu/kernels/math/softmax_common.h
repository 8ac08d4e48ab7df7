// Shared core of Softmax, LogSoftmax and Hardmax. Below opset 13 the input is coerced to 2-D at `axis`
// (default 1) and the op runs over each row of the flattened trailing dims; from 13 on it runs along the one
// dim `axis` (default -1). Both reduce to [outer, d, inner] blocks; float16/bfloat16 compute in float.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "ep/cpu/kernels/math/broadcast.h"
#include "ep/cpu/ukernels/float_vmath.h"

namespace onyx::cpu {

enum class SoftmaxMode { kSoftmax, kLogSoftmax, kHardmax };

// One [d, inner] block: x and y point at its first element; `scratch` holds 2*inner values when inner > 1.
template <SoftmaxMode M, typename C>
void SoftmaxBlock(const C* x, C* y, int64_t d, int64_t inner, C* scratch) {
  if constexpr (M == SoftmaxMode::kSoftmax && std::is_same_v<C, float>) {
    if (inner == 1 && d > 0) {
      vmath::SoftmaxRow(x, y, d);
      return;
    }
  }
  if (inner == 1) {
    C mx = x[0];
    int64_t arg = 0;
    for (int64_t j = 1; j < d; ++j) {
      if (x[j] > mx) {
        mx = x[j];
        arg = j;
      }
    }
    if constexpr (M == SoftmaxMode::kHardmax) {
      for (int64_t j = 0; j < d; ++j) y[j] = j == arg ? C{1} : C{0};
      return;
    }
    C sum = 0;
    for (int64_t j = 0; j < d; ++j) {
      C e = std::exp(x[j] - mx);
      if constexpr (M == SoftmaxMode::kSoftmax) y[j] = e;
      sum += e;
    }
    if constexpr (M == SoftmaxMode::kSoftmax) {
      const C scale = C{1} / sum;
      for (int64_t j = 0; j < d; ++j) y[j] *= scale;
    } else {
      // (x - max) - log(sum), not x - (max + log(sum)): the latter loses the small part next to a big max.
      const C log_sum = std::log(sum);
      for (int64_t j = 0; j < d; ++j) y[j] = (x[j] - mx) - log_sum;
    }
    return;
  }
  // Strided along the axis: keep per-column running values so every inner loop is contiguous.
  C* mx = scratch;
  C* acc = scratch + inner;
  std::copy(x, x + inner, mx);
  if constexpr (M == SoftmaxMode::kHardmax) {
    std::fill(acc, acc + inner, C{0});  // index of the first maximum, per column
    for (int64_t j = 1; j < d; ++j) {
      const C* row = x + j * inner;
      for (int64_t i = 0; i < inner; ++i) {
        if (row[i] > mx[i]) {
          mx[i] = row[i];
          acc[i] = static_cast<C>(j);
        }
      }
    }
    for (int64_t j = 0; j < d; ++j) {
      for (int64_t i = 0; i < inner; ++i) y[j * inner + i] = acc[i] == static_cast<C>(j) ? C{1} : C{0};
    }
    return;
  }
  for (int64_t j = 1; j < d; ++j) {
    const C* row = x + j * inner;
    for (int64_t i = 0; i < inner; ++i) mx[i] = std::max(mx[i], row[i]);
  }
  std::fill(acc, acc + inner, C{0});
  for (int64_t j = 0; j < d; ++j) {
    const C* row = x + j * inner;
    C* out = y + j * inner;
    for (int64_t i = 0; i < inner; ++i) {
      C e = std::exp(row[i] - mx[i]);
      if constexpr (M == SoftmaxMode::kSoftmax) out[i] = e;
      acc[i] += e;
    }
  }
  if constexpr (M == SoftmaxMode::kSoftmax) {
    for (int64_t i = 0; i < inner; ++i) acc[i] = C{1} / acc[i];
    for (int64_t j = 0; j < d; ++j) {
      for (int64_t i = 0; i < inner; ++i) y[j * inner + i] *= acc[i];
    }
  } else {
    for (int64_t i = 0; i < inner; ++i) acc[i] = std::log(acc[i]);
    for (int64_t j = 0; j < d; ++j) {
      for (int64_t i = 0; i < inner; ++i) y[j * inner + i] = (x[j * inner + i] - mx[i]) - acc[i];
    }
  }
}

template <SoftmaxMode M, typename C>
void SoftmaxRun(const C* x, C* y, int64_t outer, int64_t d, int64_t inner, ThreadPool* pool) {
  if (d == 0) return;
  const int64_t block = d * inner;
  ThreadPool::For(
      pool, outer,
      [&](int64_t begin, int64_t end) {
        std::vector<C> scratch(inner > 1 ? static_cast<size_t>(2 * inner) : 0);
        for (int64_t o = begin; o < end; ++o) SoftmaxBlock<M>(x + o * block, y + o * block, d, inner, scratch.data());
      },
      std::max<int64_t>(1, kCostlyGrain / std::max<int64_t>(1, block)));
}

template <SoftmaxMode M>
class SoftmaxKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    coerce_2d_ = info.opset() < 13;
    return info.GetInt("axis", &axis_, coerce_2d_ ? 1 : -1);
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 0 is missing or not a tensor");
    const Shape& shape = x->shape();
    const int64_t rank = static_cast<int64_t>(shape.size());
    int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
    // Coercion to 2-D accepts axis == rank (every dim in the outer part); a scalar is one row of one.
    const int64_t hi = coerce_2d_ ? rank : rank - 1;
    if (rank > 0 && (axis < 0 || axis > hi)) {
      return ctx.Error("axis ", axis_, " is out of range for input of shape ", ShapeToString(shape));
    }
    int64_t outer = 1, d = 1, inner = 1;
    for (int64_t i = 0; i < rank; ++i) {
      int64_t v = shape[static_cast<size_t>(i)];
      if (i < axis) {
        outer *= v;
      } else if (i == axis || coerce_2d_) {
        d *= v;
      } else {
        inner *= v;
      }
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, x->type(), shape));
    return Dispatch<ONYX_ALL_FLOAT_TYPES>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          if constexpr (kIsHalf<T>) {
            const int64_t n = x->size();
            std::vector<float> in(static_cast<size_t>(n)), out(static_cast<size_t>(n));
            const T* src = x->data<T>();
            for (int64_t i = 0; i < n; ++i) in[static_cast<size_t>(i)] = Load(src[i]);
            SoftmaxRun<M>(in.data(), out.data(), outer, d, inner, ctx.thread_pool());
            T* dst = y->data<T>();
            for (int64_t i = 0; i < n; ++i) dst[i] = Store<T>(out[static_cast<size_t>(i)]);
          } else {
            SoftmaxRun<M>(x->data<T>(), y->data<T>(), outer, d, inner, ctx.thread_pool());
          }
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  bool coerce_2d_ = false;
  int64_t axis_ = -1;
};

}  // namespace onyx::cpu

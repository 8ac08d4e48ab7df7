// com.microsoft QLinearAveragePool and QLinearGlobalAveragePool (onnxruntime contrib operators): average pools over
// 8-bit tensors with per-tensor scales and zero points. The taps are summed exactly in int32 (centered on the
// input zero point, so padding counts as a real zero) and the one rounding is the requantization of the mean:
//   y = round(sum(x - zx) * sx / (count * sy)) + zy
// channels_last=1 takes [N, spatial..., C] instead of [N, C, spatial...]. Both share this file (one geometry of
// planes and the same requantization).
#include <vector>

#include "ep/cpu/kernels/nn/conv_pool_attrs.h"
#include "ep/cpu/kernels/nn/pool_util.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "ep/cpu/kernels/quant/qlinear_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::quant {

namespace {

// [N, spatial, C] <-> [N, C, spatial] for the channels_last layout.
// The sum of n 8-bit values (callers keep n < 2^23, so it fits int32), as a plain function so that it vectorizes.
template <typename T>
int32_t SumBytes(const T* __restrict x, int64_t n) {
  int32_t sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += x[i];
  return sum;
}

template <typename T>
void SwapChannels(const T* in, T* out, int64_t n, int64_t a, int64_t b) {
  for (int64_t i = 0; i < n; ++i) {
    const T* src = in + i * a * b;
    T* dst = out + i * a * b;
    for (int64_t x = 0; x < a; ++x) {
      for (int64_t y = 0; y < b; ++y) dst[y * a + x] = src[x * b + y];
    }
  }
}

Status ReadPoolParams(const KernelContext& ctx, const Tensor** x, QParams* xp, QParams* yp) {
  *x = ctx.input(0);
  if (*x == nullptr) return ctx.Error("input X is required");
  if (!Is8Bit((*x)->type())) return ctx.Error("X must be uint8 or int8, got ", (*x)->Describe());
  if ((*x)->rank() < 3) return ctx.Error("X must have rank >= 3, got ", (*x)->Describe());
  ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 1, 2, (*x)->type(), "X", xp));
  return ReadQParams(ctx, 3, 4, (*x)->type(), "Y", yp);
}

class QLinearGlobalAveragePoolKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return info.GetInt("channels_last", &channels_last_, int64_t{0}); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = nullptr;
    QParams xp, yp;
    ONYX_RETURN_IF_ERROR(ReadPoolParams(ctx, &x, &xp, &yp));
    const int64_t rank = x->rank(), n = x->dim(0);
    const int64_t c = channels_last_ ? x->dim(rank - 1) : x->dim(1);
    const int64_t spatial = n * c == 0 ? 0 : x->size() / (n * c);
    Shape out_shape(static_cast<size_t>(rank), 1);
    out_shape[0] = n;
    out_shape[channels_last_ ? static_cast<size_t>(rank - 1) : 1] = c;
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, x->type(), out_shape));
    if (y->size() == 0) return Status::Ok();
    const float mult = spatial > 0 ? xp.scale / (yp.scale * static_cast<float>(spatial)) : 0.0f;
    auto run = [&](auto tag) {
      using T = decltype(tag);
      const T* xs = x->data<T>();
      T* ys = y->data<T>();
      const int64_t bias = -static_cast<int64_t>(xp.zero_point) * spatial;
      if (!channels_last_) {
        ThreadPool::For(ctx.thread_pool(), n * c, kCheapNsPerElement * static_cast<double>(spatial),
                        [&](int64_t begin, int64_t end) {
                          for (int64_t p = begin; p < end; ++p) {
                            const T* src = xs + p * spatial;
                            int32_t sum = 0;
                            for (int64_t i = 0; i < spatial; ++i) sum += src[i];
                            ys[p] = RoundToQ<T>(static_cast<float>(sum + bias) * mult, yp.zero_point);
                          }
                        });
        return;
      }
      ThreadPool::For(
          ctx.thread_pool(), n, kCheapNsPerElement * static_cast<double>(spatial * c), [&](int64_t begin, int64_t end) {
            std::vector<int32_t> sums(static_cast<size_t>(c));
            for (int64_t b = begin; b < end; ++b) {
              std::fill(sums.begin(), sums.end(), 0);
              const T* src = xs + b * spatial * c;
              for (int64_t i = 0; i < spatial; ++i) {
                for (int64_t ch = 0; ch < c; ++ch) sums[static_cast<size_t>(ch)] += src[i * c + ch];
              }
              for (int64_t ch = 0; ch < c; ++ch) {
                ys[b * c + ch] =
                    RoundToQ<T>(static_cast<float>(sums[static_cast<size_t>(ch)] + bias) * mult, yp.zero_point);
              }
            }
          });
    };
    if (x->type() == DataType::kInt8) {
      run(int8_t{});
    } else {
      run(uint8_t{});
    }
    return Status::Ok();
  }

 private:
  int64_t channels_last_ = 0;
};

Status InferQLinearGlobalAveragePool(ir::InferenceContext& ctx) {
  const ir::SymShape* x = ctx.input_shape(0);
  if (x == nullptr || x->size() < 3) {
    ctx.SetOutput(0, ctx.input_elem_type(0), std::nullopt);
    return Status::Ok();
  }
  const bool last = ctx.attr_int("channels_last", 0) != 0;
  ir::SymShape out(x->size(), ir::Dim::Known(1));
  out[0] = (*x)[0];
  const size_t ch = last ? x->size() - 1 : 1;
  out[ch] = (*x)[ch];
  ctx.SetOutput(0, ctx.input_elem_type(0), out);
  return Status::Ok();
}

class QLinearAveragePoolKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(attrs_.Init(info, /*is_pool=*/true));
    ONYX_RETURN_IF_ERROR(info.GetInt("count_include_pad", &count_include_pad_, int64_t{0}));
    return info.GetInt("channels_last", &channels_last_, int64_t{0});
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = nullptr;
    QParams xp, yp;
    ONYX_RETURN_IF_ERROR(ReadPoolParams(ctx, &x, &xp, &yp));
    const int64_t rank = x->rank();
    // The pool runs on [N, C, spatial...]; channels_last input is viewed in that order through a transposed copy.
    Tensor nchw;
    const Tensor* src = x;
    const int64_t n = x->dim(0), c = channels_last_ ? x->dim(rank - 1) : x->dim(1);
    const int64_t spatial = n * c == 0 ? 0 : x->size() / (n * c);
    if (channels_last_) {
      Shape s = {n, c};
      for (int64_t d = 1; d < rank - 1; ++d) s.push_back(x->dim(d));
      ONYX_ASSIGN_OR_RETURN(nchw, ctx.Allocate(x->type(), s, false));
      SwapChannels(static_cast<const uint8_t*>(x->raw()), static_cast<uint8_t*>(nchw.raw()), n, spatial, c);
      src = &nchw;
    }
    Shape out_shape;
    Window3 w;
    ONYX_RETURN_IF_ERROR(ResolvePoolWindow(ctx, attrs_, *src, &out_shape, &w));
    Tensor y_nchw;
    Tensor* y = nullptr;
    if (channels_last_) {
      ONYX_ASSIGN_OR_RETURN(y_nchw, ctx.Allocate(x->type(), out_shape, false));
      y = &y_nchw;
    } else {
      ONYX_ASSIGN_OR_RETURN(y, ctx.OutputForOverwrite(0, x->type(), out_shape));
    }
    const float ratio = xp.scale / yp.scale;
    const bool include_pad = count_include_pad_ != 0;
    auto run = [&](auto tag) {
      using T = decltype(tag);
      const T* xs = src->template data<T>();
      T* ys = y->template data<T>();
      const int64_t in_size = w.in_size(), out_size = w.out_size();
      const int32_t zx = xp.zero_point;
      if (IsWholePlaneWindow(w) && in_size < (int64_t{1} << 23)) {
        // The same integer sum and the same float expression as the walk below, over the contiguous plane.
        ThreadPool::For(
            ctx.thread_pool(), n * c,
            [&](int64_t begin, int64_t end) {
              for (int64_t p = begin; p < end; ++p) {
                const int32_t sum = SumBytes(xs + p * in_size, in_size) - zx * static_cast<int32_t>(in_size);
                ys[p] = RoundToQ<T>(static_cast<float>(sum) * ratio / static_cast<float>(in_size), yp.zero_point);
              }
            },
            16);
        return;
      }
      ForEachWindow(n * c, w, ctx.thread_pool(), [&](int64_t p, int64_t o, const WindowTaps& t) {
        const T* plane = xs + p * in_size;
        int32_t sum = 0;
        ForEachTap(w, t, [&](int64_t off) { sum += static_cast<int32_t>(plane[off]) - zx; });
        const int64_t count = include_pad ? t.padded_count : t.valid_count();
        ys[p * out_size + o] =
            count > 0 ? RoundToQ<T>(static_cast<float>(sum) * ratio / static_cast<float>(count), yp.zero_point)
                      : static_cast<T>(yp.zero_point);
      });
    };
    if (x->type() == DataType::kInt8) {
      run(int8_t{});
    } else {
      run(uint8_t{});
    }
    if (channels_last_) {
      Shape s = {n};
      for (size_t d = 2; d < out_shape.size(); ++d) s.push_back(out_shape[d]);
      s.push_back(c);
      ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.OutputForOverwrite(0, x->type(), s));
      SwapChannels(static_cast<const uint8_t*>(y->raw()), static_cast<uint8_t*>(out->raw()), n, c,
                   n * c == 0 ? 0 : y->size() / (n * c));
    }
    return Status::Ok();
  }

 private:
  ConvPoolAttrs attrs_;
  int64_t count_include_pad_ = 0;
  int64_t channels_last_ = 0;
};

Status InferQLinearAveragePool(ir::InferenceContext& ctx) {
  if (ctx.attr_int("channels_last", 0) != 0) {
    ctx.SetOutput(0, ctx.input_elem_type(0), std::nullopt);
    return Status::Ok();
  }
  return InferPool(ctx);
}

}  // namespace

ONYX_REGISTER_KERNEL(
    QLinearGlobalAveragePoolKernel,
    KernelDef("CPU", kMsDomain, "QLinearGlobalAveragePool").Versions(1).Types(0, {DataType::kUint8, DataType::kInt8}));
ONYX_REGISTER_SHAPE_INFERENCE(kMsDomain, "QLinearGlobalAveragePool", InferQLinearGlobalAveragePool);
ONYX_REGISTER_KERNEL(
    QLinearAveragePoolKernel,
    KernelDef("CPU", kMsDomain, "QLinearAveragePool").Versions(1).Types(0, {DataType::kUint8, DataType::kInt8}));
ONYX_REGISTER_SHAPE_INFERENCE(kMsDomain, "QLinearAveragePool", InferQLinearAveragePool);

}  // namespace onyx::cpu::quant

// QuantizeLinear: y = saturate(round_half_even(x / scale) + zero_point), per tensor, per axis or blocked. The
// division runs in the precision of the scale's type (or the `precision` attribute); float8 and float4 targets
// convert the value with the `saturate` rule instead of rounding to an integer.
#include <cmath>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "ep/cpu/kernels/quant/int8_gemm.h"
#include "ep/cpu/kernels/quant/quant_common.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

bool IsQuantTarget(DataType t) {
  switch (t) {
    case DataType::kInt8:
    case DataType::kUint8:
    case DataType::kInt16:
    case DataType::kUint16:
    case DataType::kInt4:
    case DataType::kUint4:
    case DataType::kInt2:
    case DataType::kUint2:
    case DataType::kFloat8E4M3FN:
    case DataType::kFloat8E4M3FNUZ:
    case DataType::kFloat8E5M2:
    case DataType::kFloat8E5M2FNUZ:
    case DataType::kFloat4E2M1:
      return true;
    default:
      return false;
  }
}

template <typename T>
inline float AsFloat(T v) {
  if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>) {
    return ToFloat(v);
  } else {
    return static_cast<float>(v);
  }
}

class QuantizeLinearKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("axis", &axis_, 1));
    ONYX_RETURN_IF_ERROR(info.GetInt("block_size", &block_size_, 0));
    ONYX_RETURN_IF_ERROR(info.GetInt("output_dtype", &output_dtype_, 0));
    ONYX_RETURN_IF_ERROR(info.GetInt("precision", &precision_, 0));
    int64_t saturate = 1;
    ONYX_RETURN_IF_ERROR(info.GetInt("saturate", &saturate, 1));
    saturate_ = saturate != 0;
    if (block_size_ < 0) return info.Error("block_size must be >= 0, got ", block_size_);
    if (output_dtype_ != 0 && (!IsValidDataType(static_cast<int32_t>(output_dtype_)) ||
                               !IsQuantTarget(static_cast<DataType>(output_dtype_)))) {
      return info.Error("output_dtype ", output_dtype_, " is not a quantized type");
    }
    if (precision_ != 0) {
      const auto p = static_cast<DataType>(precision_);
      if (p != DataType::kFloat && p != DataType::kFloat16 && p != DataType::kBFloat16 && p != DataType::kInt32) {
        return info.Error("precision ", precision_, " must be float, float16, bfloat16 or int32");
      }
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* scale = ctx.input(1);
    const Tensor* zp = ctx.input(2);
    if (x == nullptr || scale == nullptr) return ctx.Error("inputs x and y_scale are required");
    DataType out_type = output_dtype_ != 0 ? static_cast<DataType>(output_dtype_) : DataType::kUint8;
    if (zp != nullptr) {
      if (output_dtype_ != 0 && zp->type() != out_type) {
        return ctx.Error("output_dtype ", DataTypeName(out_type), " differs from the zero point's type ",
                         DataTypeName(zp->type()));
      }
      out_type = zp->type();
      if (!IsQuantTarget(out_type)) return ctx.Error("zero point type ", DataTypeName(out_type), " is not supported");
    }
    if (!quant::IsScaleType(scale->type())) {
      return ctx.Error("y_scale type ", DataTypeName(scale->type()), " is not supported");
    }
    quant::Granularity g;
    ONYX_RETURN_IF_ERROR(quant::ResolveGranularity(ctx, x->shape(), scale->shape(), zp, axis_, block_size_, &g));
    const DataType precision = precision_ != 0 ? static_cast<DataType>(precision_) : scale->type();
    const std::vector<float> scales = quant::LoadScales(*scale);
    // float to 8 bits, per tensor or per axis: the vectorized core (the division is float's either way).
    const bool fast = x->type() == DataType::kFloat && precision == DataType::kFloat &&
                      (out_type == DataType::kUint8 || out_type == DataType::kInt8) &&
                      g.kind != quant::Granularity::kBlocked;
    // Packed outputs are written a few bits at a time into zeroed bytes; the fast path writes every byte.
    ONYX_ASSIGN_OR_RETURN(Tensor * y,
                          fast ? ctx.OutputForOverwrite(0, out_type, x->shape()) : ctx.Output(0, out_type, x->shape()));
    if (fast) {
      const bool out_signed = out_type == DataType::kInt8;
      auto zero = [&](int64_t i) -> int32_t {
        if (zp == nullptr) return 0;
        return out_signed ? zp->data<int8_t>()[i] : zp->data<uint8_t>()[i];
      };
      const float* xs = x->data<float>();
      auto* out = static_cast<uint8_t*>(y->raw());
      if (g.kind == quant::Granularity::kPerTensor) {
        ThreadPool::For(ctx.thread_pool(), x->size(), kCheapNsPerElement, [&](int64_t b, int64_t e) {
          quant::QuantizeFloats(xs + b, e - b, scales[0], zero(0), out_signed, out + b);
        });
      } else {
        ThreadPool::For(ctx.thread_pool(), g.outer * g.axis_dim, kCheapNsPerElement * static_cast<double>(g.inner),
                        [&](int64_t b, int64_t e) {
                          for (int64_t r = b; r < e; ++r) {
                            const int64_t d = r % g.axis_dim;
                            quant::QuantizeFloats(xs + r * g.inner, g.inner, scales[static_cast<size_t>(d)], zero(d),
                                                  out_signed, out + r * g.inner);
                          }
                        });
      }
      return Status::Ok();
    }
    return Dispatch<float, Float16, BFloat16, int32_t, double>(
        x->type(),
        [&](auto xtag) -> Status {
          using X = decltype(xtag);
          const X* xs = x->data<X>();
          return quant::DispatchQuantized(out_type, ctx.node(), [&](auto codec) -> Status {
            using C = decltype(codec);
            Run<X, C>(xs, scales, zp, precision, g, y, ctx.thread_pool());
            return Status::Ok();
          });
        },
        ctx.node());
  }

 private:
  template <typename X, typename C>
  void Run(const X* xs, const std::vector<float>& scales, const Tensor* zp, DataType precision,
           const quant::Granularity& g, Tensor* y, ThreadPool* pool) const {
    // Zero points as the value they add: integers for integer targets, floats for float8/float4.
    std::vector<float> zps(scales.size(), 0.0f);
    if (zp != nullptr) {
      for (size_t k = 0; k < zps.size(); ++k) zps[k] = static_cast<float>(C::Load(zp->raw(), static_cast<int64_t>(k)));
    }
    void* out = y->raw();
    const bool saturate = saturate_;
    const int64_t rows = g.outer * g.axis_dim;
    auto body = [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) {
        const int64_t o = r / g.axis_dim, d = r % g.axis_dim;
        for (int64_t i = 0; i < g.inner; ++i) {
          const int64_t idx = r * g.inner + i;
          const int64_t s = g.ScaleIndex(o, d, i);
          const float xv = quant::RoundToPrecision(AsFloat(xs[idx]), precision);
          const float q = quant::RoundToPrecision(xv / scales[static_cast<size_t>(s)], precision);
          if constexpr (C::kIsFloat) {
            C::Store(out, idx, q + zps[static_cast<size_t>(s)], saturate);
          } else {
            C::Store(out, idx, quant::RoundClamp(std::nearbyint(q) + zps[static_cast<size_t>(s)], C::kMin, C::kMax));
          }
        }
      }
    };
    // Packed outputs share bytes between neighbours, so they are written by one thread.
    if constexpr (C::kPacked) {
      body(0, rows);
    } else {
      ThreadPool::For(pool, rows, body, std::max<int64_t>(1, (int64_t{1} << 14) / std::max<int64_t>(1, g.inner)));
    }
  }

  int64_t axis_ = 1, block_size_ = 0, output_dtype_ = 0, precision_ = 0;
  bool saturate_ = true;
};

Status InferQuantizeLinear(ir::InferenceContext& ctx) {
  DataType out = DataType::kUint8;
  const int64_t output_dtype = ctx.attr_int("output_dtype", 0);
  if (ctx.has_input(2) && ctx.input_elem_type(2) != DataType::kUndefined) {
    out = ctx.input_elem_type(2);
  } else if (ctx.has_input(2)) {
    if (output_dtype == 0) return Status::Ok();  // the zero point's type decides, and it is not known yet
    out = static_cast<DataType>(output_dtype);
  } else if (output_dtype != 0 && IsValidDataType(static_cast<int32_t>(output_dtype))) {
    out = static_cast<DataType>(output_dtype);
  }
  const ir::SymShape* shape = ctx.input_shape(0);
  ctx.SetOutput(0, out, shape ? std::optional<ir::SymShape>(*shape) : std::nullopt);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(QuantizeLinearKernel, KernelDef("CPU", "", "QuantizeLinear").Versions(10));
ONYX_REGISTER_SHAPE_INFERENCE("", "QuantizeLinear", InferQuantizeLinear);
// onnxruntime's com.microsoft QuantizeLinear (its QDQ format with use_qdq_contrib_ops): the opset-10 semantics (axis,
// per-tensor or per-axis scale), which the standard kernel implements.
ONYX_REGISTER_KERNEL(QuantizeLinearKernel, KernelDef("CPU", "com.microsoft", "QuantizeLinear").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("com.microsoft", "QuantizeLinear", InferQuantizeLinear);

}  // namespace onyx::cpu

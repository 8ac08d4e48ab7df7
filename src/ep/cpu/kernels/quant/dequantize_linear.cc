// DequantizeLinear: y = (x - zero_point) * scale, per tensor, per axis or blocked. The output type is the
// scale's type unless `output_dtype` says otherwise (opset 23+); float8e8m0 scales produce float.
#include "common/thread_pool.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "ep/cpu/kernels/quant/int8_gemm.h"
#include "ep/cpu/kernels/quant/quant_common.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

bool IsRealOutput(DataType t) { return t == DataType::kFloat || t == DataType::kFloat16 || t == DataType::kBFloat16; }

// A float8e8m0 scale has no arithmetic type of its own; its values come out as float.
DataType OutputTypeFor(DataType scale_type, int64_t output_dtype) {
  if (output_dtype != 0) return static_cast<DataType>(output_dtype);
  return scale_type == DataType::kFloat8E8M0 ? DataType::kFloat : scale_type;
}

class DequantizeLinearKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("axis", &axis_, 1));
    ONYX_RETURN_IF_ERROR(info.GetInt("block_size", &block_size_, 0));
    ONYX_RETURN_IF_ERROR(info.GetInt("output_dtype", &output_dtype_, 0));
    if (block_size_ < 0) return info.Error("block_size must be >= 0, got ", block_size_);
    if (output_dtype_ != 0 && (!IsValidDataType(static_cast<int32_t>(output_dtype_)) ||
                               !IsRealOutput(static_cast<DataType>(output_dtype_)))) {
      return info.Error("output_dtype ", output_dtype_, " must be float, float16 or bfloat16");
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* scale = ctx.input(1);
    const Tensor* zp = ctx.input(2);
    if (x == nullptr || scale == nullptr) return ctx.Error("inputs x and x_scale are required");
    if (zp != nullptr && zp->type() != x->type()) {
      return ctx.Error("zero point type ", DataTypeName(zp->type()), " differs from x type ", DataTypeName(x->type()));
    }
    if (!quant::IsScaleType(scale->type())) {
      return ctx.Error("x_scale type ", DataTypeName(scale->type()), " is not supported");
    }
    const DataType out_type = OutputTypeFor(scale->type(), output_dtype_);
    if (!IsRealOutput(out_type) && out_type != DataType::kDouble) {
      return ctx.Error("output type ", DataTypeName(out_type), " is not supported");
    }
    quant::Granularity g;
    ONYX_RETURN_IF_ERROR(quant::ResolveGranularity(ctx, x->shape(), scale->shape(), zp, axis_, block_size_, &g));
    const std::vector<float> scales = quant::LoadScales(*scale);
    // Every element is written: no need to zero the output first.
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, out_type, x->shape()));
    // 8 bits to float, per tensor or per axis: the vectorized core ((x - zp) is exact in float, so one float
    // product rounds as the double one below does).
    if ((x->type() == DataType::kUint8 || x->type() == DataType::kInt8) && out_type == DataType::kFloat &&
        g.kind != quant::Granularity::kBlocked) {
      const bool in_signed = x->type() == DataType::kInt8;
      auto zero = [&](int64_t i) -> int32_t {
        if (zp == nullptr) return 0;
        return in_signed ? zp->data<int8_t>()[i] : zp->data<uint8_t>()[i];
      };
      const auto* in = static_cast<const uint8_t*>(x->raw());
      float* out = y->data<float>();
      if (g.kind == quant::Granularity::kPerTensor) {
        ThreadPool::For(ctx.thread_pool(), x->size(), kCheapNsPerElement, [&](int64_t b, int64_t e) {
          quant::DequantizeBytes(in + b, in_signed, e - b, scales[0], zero(0), out + b);
        });
      } else {
        ThreadPool::For(ctx.thread_pool(), g.outer * g.axis_dim, kCheapNsPerElement * static_cast<double>(g.inner),
                        [&](int64_t b, int64_t e) {
                          for (int64_t r = b; r < e; ++r) {
                            const int64_t d = r % g.axis_dim;
                            quant::DequantizeBytes(in + r * g.inner, in_signed, g.inner, scales[static_cast<size_t>(d)],
                                                   zero(d), out + r * g.inner);
                          }
                        });
      }
      return Status::Ok();
    }
    return quant::DispatchQuantized(x->type(), ctx.node(), [&](auto codec) -> Status {
      using C = decltype(codec);
      using V = std::conditional_t<C::kIsFloat, float, int64_t>;
      std::vector<V> zps(scales.size(), V{0});
      if (zp != nullptr) {
        for (size_t k = 0; k < zps.size(); ++k) zps[k] = static_cast<V>(C::Load(zp->raw(), static_cast<int64_t>(k)));
      }
      const void* in = x->raw();
      const int64_t rows = g.outer * g.axis_dim;
      // Writes to the output never share bytes (it is a real type), so every input codec can run in parallel.
      ThreadPool::For(
          ctx.thread_pool(), rows,
          [&](int64_t begin, int64_t end) {
            for (int64_t r = begin; r < end; ++r) {
              const int64_t o = r / g.axis_dim, d = r % g.axis_dim;
              for (int64_t i = 0; i < g.inner; ++i) {
                const int64_t idx = r * g.inner + i;
                const auto s = static_cast<size_t>(g.ScaleIndex(o, d, i));
                const V centered = static_cast<V>(C::Load(in, idx)) - zps[s];
                // int32 inputs may exceed float's 24-bit mantissa: multiply in double then round once.
                quant::StoreReal(y, idx, static_cast<float>(static_cast<double>(centered) * scales[s]));
              }
            }
          },
          std::max<int64_t>(1, (int64_t{1} << 14) / std::max<int64_t>(1, g.inner)));
      return Status::Ok();
    });
  }

 private:
  int64_t axis_ = 1, block_size_ = 0, output_dtype_ = 0;
};

Status InferDequantizeLinear(ir::InferenceContext& ctx) {
  const DataType scale_type = ctx.input_elem_type(1);
  const int64_t output_dtype = ctx.attr_int("output_dtype", 0);
  if (output_dtype == 0 && scale_type == DataType::kUndefined) return Status::Ok();
  const ir::SymShape* shape = ctx.input_shape(0);
  ctx.SetOutput(0, OutputTypeFor(scale_type, output_dtype), shape ? std::optional<ir::SymShape>(*shape) : std::nullopt);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(DequantizeLinearKernel, KernelDef("CPU", "", "DequantizeLinear").Versions(10));
ONYX_REGISTER_SHAPE_INFERENCE("", "DequantizeLinear", InferDequantizeLinear);
// onnxruntime's com.microsoft DequantizeLinear (its QDQ format with use_qdq_contrib_ops): the opset-10 semantics (axis,
// per-tensor or per-axis scale), which the standard kernel implements.
ONYX_REGISTER_KERNEL(DequantizeLinearKernel, KernelDef("CPU", "com.microsoft", "DequantizeLinear").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("com.microsoft", "DequantizeLinear", InferDequantizeLinear);

}  // namespace onyx::cpu

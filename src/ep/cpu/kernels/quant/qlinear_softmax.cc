// com.microsoft QLinearSoftmax (onnxruntime contrib operator): softmax of a dequantized 8-bit tensor, quantized
// again. exp((x - max) * scale) depends only on the 8-bit distance max - x, so it comes from a 256-entry table; the
// sum and the division stay in float. The `opset` attribute chooses the axis semantics: before 13 the input is
// flattened to [outer, everything from axis on] and each row is one softmax; from 13 the softmax runs along `axis`
// alone.
#include <cmath>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "ep/cpu/kernels/quant/qlinear_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::quant {

namespace {

class QLinearSoftmaxKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("axis", &axis_, int64_t{-1}));
    return info.GetInt("opset", &opset_, int64_t{13});
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input X is required");
    if (!Is8Bit(x->type())) return ctx.Error("X must be uint8 or int8, got ", x->Describe());
    QParams xp, yp;
    ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 1, 2, x->type(), "X", &xp));
    ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 3, 4, x->type(), "Y", &yp));
    const int64_t rank = x->rank();
    const int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
    if (rank == 0 || axis < 0 || axis >= rank) return ctx.Error("axis ", axis_, " is out of range for rank ", rank);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, x->type(), x->shape()));
    if (x->size() == 0) return Status::Ok();
    // The softmax runs over `len` elements `stride` apart, for outer * inner independent rows.
    int64_t outer = 1, len = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= x->dim(d);
    if (opset_ < 13) {
      for (int64_t d = axis; d < rank; ++d) len *= x->dim(d);
    } else {
      len = x->dim(axis);
      for (int64_t d = axis + 1; d < rank; ++d) inner *= x->dim(d);
    }
    std::array<float, 256> exp_table;
    for (int d = 0; d < 256; ++d) exp_table[static_cast<size_t>(d)] = std::exp(-static_cast<float>(d) * xp.scale);
    const float inv_y = 1.0f / yp.scale;
    auto run = [&](auto tag) {
      using T = decltype(tag);
      const T* xs = x->data<T>();
      T* ys = y->data<T>();
      ThreadPool::For(ctx.thread_pool(), outer * inner, kCostlyNsPerElement * static_cast<double>(len),
                      [&](int64_t begin, int64_t end) {
                        std::vector<float> e(static_cast<size_t>(len));
                        for (int64_t r = begin; r < end; ++r) {
                          const int64_t base = (r / inner) * len * inner + r % inner;
                          const T* xr = xs + base;
                          T* yr = ys + base;
                          int32_t mx = xr[0];
                          for (int64_t k = 1; k < len; ++k) mx = std::max<int32_t>(mx, xr[k * inner]);
                          float sum = 0;
                          for (int64_t k = 0; k < len; ++k) {
                            const float v = exp_table[static_cast<size_t>(mx - xr[k * inner])];
                            e[static_cast<size_t>(k)] = v;
                            sum += v;
                          }
                          const float m = inv_y / sum;
                          for (int64_t k = 0; k < len; ++k) {
                            yr[k * inner] = RoundToQ<T>(e[static_cast<size_t>(k)] * m, yp.zero_point);
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
  int64_t axis_ = -1;
  int64_t opset_ = 13;
};

}  // namespace

ONYX_REGISTER_KERNEL(
    QLinearSoftmaxKernel,
    KernelDef("CPU", kMsDomain, "QLinearSoftmax").Versions(1).Types(0, {DataType::kUint8, DataType::kInt8}));
ONYX_REGISTER_SHAPE_INFERENCE(kMsDomain, "QLinearSoftmax", InferQUnary);

}  // namespace onyx::cpu::quant

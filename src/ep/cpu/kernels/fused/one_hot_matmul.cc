// com.onyx:OneHotMatMul (written by the FuseOneHotMatMul pass, see docs/FUSED_OPERATORS.md): an embedding lookup that
// an exporter wrote as a one-hot matrix times a weight matrix (jax2tf writes jax.nn.one_hot(x, K) @ W as
// MatMul(Cast(Equal(x[..., None], arange(K))), W)). Y[..., :] is row I[..., 0] of W, or zeros where the index is
// outside [0, K): a copy of one row per index instead of building the [..., K] one-hot tensor and multiplying it.
#include <cstring>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu::fused {
namespace {

class OneHotMatMulKernel : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    const Tensor* idx = ctx.input(0);
    const Tensor* w = ctx.input(1);
    if (!idx || !w) return ctx.Error("inputs I and W are required");
    if ((idx->type() != DataType::kInt32 && idx->type() != DataType::kInt64) || idx->rank() < 1 ||
        idx->dim(idx->rank() - 1) != 1) {
      return ctx.Error("I must be int32 or int64 with a last dim of 1, got ", idx->Describe());
    }
    if (w->type() != DataType::kFloat || w->rank() != 2)
      return ctx.Error("W must be float [K, N], got ", w->Describe());
    const int64_t k = w->dim(0), n = w->dim(1);
    Shape out = idx->shape();
    out.back() = n;
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kFloat, out));
    const int64_t rows = idx->size();
    if (rows == 0 || n == 0) return Status::Ok();
    const float* wd = w->data<float>();
    float* yd = y->data<float>();
    const size_t row_bytes = static_cast<size_t>(n) * sizeof(float);
    auto copy_rows = [&](auto* ids) {
      ThreadPool::For(ctx.thread_pool(), rows, static_cast<double>(row_bytes) * kCopyNsPerByte,
                      [&](int64_t begin, int64_t end) {
                        for (int64_t r = begin; r < end; ++r) {
                          const int64_t v = static_cast<int64_t>(ids[r]);
                          if (v >= 0 && v < k) {
                            std::memcpy(yd + r * n, wd + v * n, row_bytes);
                          } else {
                            std::memset(yd + r * n, 0, row_bytes);
                          }
                        }
                      });
    };
    if (idx->type() == DataType::kInt32) {
      copy_rows(idx->data<int32_t>());
    } else {
      copy_rows(idx->data<int64_t>());
    }
    return Status::Ok();
  }
};

Status InferOneHotMatMul(ir::InferenceContext& ctx) {
  const ir::SymShape* is = ctx.input_shape(0);
  const ir::SymShape* ws = ctx.input_shape(1);
  if (!is || is->empty() || !ws || ws->size() != 2) {
    ctx.SetOutput(0, DataType::kFloat, std::nullopt);
    return Status::Ok();
  }
  ir::SymShape out = *is;
  out.back() = (*ws)[1];
  ctx.SetOutput(0, DataType::kFloat, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(OneHotMatMulKernel, KernelDef("CPU", "com.onyx", "OneHotMatMul")
                                             .Versions(1)
                                             .Types(0, {DataType::kInt32, DataType::kInt64})
                                             .Types(1, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "OneHotMatMul", InferOneHotMatMul);

}  // namespace onyx::cpu::fused

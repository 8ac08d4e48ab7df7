// Gemm: Y = alpha * op(A) * op(B) + beta * C, with C broadcast to [M, N]
// (optional from opset 11).
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/gemm_util.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

// Integer Gemm in the unsigned counterpart type, so that overflow wraps instead
// of being undefined.
template <typename T>
void IntegerGemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, T alpha, const T* a, const T* b, T* y) {
  using U = std::make_unsigned_t<T>;
  const int64_t lda = ta ? m : k, ldb = tb ? k : n;
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      U acc = 0;
      for (int64_t p = 0; p < k; ++p) {
        acc +=
            static_cast<U>(ta ? a[p * lda + i] : a[i * lda + p]) * static_cast<U>(tb ? b[j * ldb + p] : b[p * ldb + j]);
      }
      y[i * n + j] = static_cast<T>(static_cast<U>(y[i * n + j]) + static_cast<U>(alpha) * acc);
    }
  }
}

class GemmKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    int64_t ta = 0, tb = 0;
    ONYX_RETURN_IF_ERROR(info.GetInt("transA", &ta, int64_t{0}));
    ONYX_RETURN_IF_ERROR(info.GetInt("transB", &tb, int64_t{0}));
    ONYX_RETURN_IF_ERROR(info.GetFloat("alpha", &alpha_, 1.0f));
    ONYX_RETURN_IF_ERROR(info.GetFloat("beta", &beta_, 1.0f));
    trans_a_ = ta != 0;
    trans_b_ = tb != 0;
    // A constant 2-D float B (weights) is packed once, here; not an initializer that is also a graph input.
    const ir::Value* bv = info.node().input(1);
    const Tensor* b = bv && !bv->is_graph_input() ? info.constant_input(1) : nullptr;
    if (b && b->type() == DataType::kFloat && b->rank() == 2) {
      const int64_t k = trans_b_ ? b->dim(1) : b->dim(0), n = trans_b_ ? b->dim(0) : b->dim(1);
      packed_b_ = PackedGemmB(trans_b_, k, n, b->data<float>(), b->dim(1));
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* a = ctx.input(0);
    const Tensor* b = ctx.input(1);
    const Tensor* c = ctx.input(2);
    if (!a || !b) return ctx.Error("inputs A and B are required");
    if (a->rank() != 2 || b->rank() != 2)
      return ctx.Error("A ", a->Describe(), " and B ", b->Describe(), " must be 2-D");
    if (a->type() != b->type() || (c && c->type() != a->type()))
      return ctx.Error("A, B and C must have the same element type");
    const int64_t m = trans_a_ ? a->dim(1) : a->dim(0), k = trans_a_ ? a->dim(0) : a->dim(1);
    const int64_t kb = trans_b_ ? b->dim(1) : b->dim(0), n = trans_b_ ? b->dim(0) : b->dim(1);
    if (k != kb)
      return ctx.Error("inner dimensions differ: A ", a->Describe(), (trans_a_ ? " (transposed)" : ""), " and B ",
                       b->Describe(), (trans_b_ ? " (transposed)" : ""));
    int64_t c_rows = 1, c_cols = 1;
    if (c) {
      if (c->rank() > 2) return ctx.Error("C ", c->Describe(), " must have rank <= 2");
      c_cols = c->rank() >= 1 ? c->dim(c->rank() - 1) : 1;
      c_rows = c->rank() == 2 ? c->dim(0) : 1;
      if ((c_rows != 1 && c_rows != m) || (c_cols != 1 && c_cols != n))
        return ctx.Error("C ", c->Describe(), " does not broadcast to [", m, ",", n, "]");
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, a->type(), {m, n}));
    if (y->size() == 0) return Status::Ok();
    ONYX_ASSIGN_OR_RETURN(Tensor ac, AsComputeTensor(ctx, *a));
    ONYX_ASSIGN_OR_RETURN(Tensor bc, AsComputeTensor(ctx, *b));
    Tensor cc;
    if (c) {
      ONYX_ASSIGN_OR_RETURN(cc, AsComputeTensor(ctx, *c));
    }
    ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
    const bool use_c = c && beta_ != 0.0f;
    Status st = Dispatch<float, double, int32_t, int64_t, uint32_t, uint64_t>(
        ac.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          T* yp = yc.data<T>();
          if (use_c) {
            const T* cp = cc.data<T>();
            const T beta = static_cast<T>(beta_);
            for (int64_t i = 0; i < m; ++i) {
              for (int64_t j = 0; j < n; ++j) {
                yp[i * n + j] = beta * cp[(c_rows == 1 ? 0 : i) * c_cols + (c_cols == 1 ? 0 : j)];
              }
            }
          }
          if constexpr (std::is_same_v<T, float>) {
            if (!packed_b_.empty() && packed_b_.k() == k && packed_b_.n() == n && b->type() == DataType::kFloat) {
              GemmPackedB(packed_b_, trans_a_, m, alpha_, ac.data<float>(), trans_a_ ? m : k, bc.data<float>(),
                          use_c ? 1.0f : 0.0f, yp, n, ctx.thread_pool());
              return Status::Ok();
            }
          }
          if constexpr (std::is_floating_point_v<T>) {
            Gemm(trans_a_, trans_b_, m, n, k, static_cast<T>(alpha_), ac.data<T>(), trans_a_ ? m : k, bc.data<T>(),
                 trans_b_ ? k : n, use_c ? T(1) : T(0), yp, n, ctx.thread_pool());
          } else {
            IntegerGemm<T>(trans_a_, trans_b_, m, n, k, static_cast<T>(alpha_), ac.data<T>(), bc.data<T>(), yp);
          }
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    return Status::Ok();
  }

 private:
  bool trans_a_ = false, trans_b_ = false;
  float alpha_ = 1.0f, beta_ = 1.0f;
  PackedGemmB packed_b_;
};

Status InferGemm(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  if (t == DataType::kUndefined) return Status::Ok();
  const ir::SymShape* a = ctx.input_shape(0);
  const ir::SymShape* b = ctx.input_shape(1);
  if (!a || !b) {
    ctx.SetOutput(0, t, ir::SymShape(2));
    return Status::Ok();
  }
  if (a->size() != 2 || b->size() != 2) return ctx.Error("A and B must be 2-D");
  const bool ta = ctx.attr_int("transA", 0) != 0, tb = ctx.attr_int("transB", 0) != 0;
  const ir::Dim& ka = (*a)[ta ? 0 : 1];
  const ir::Dim& kb = (*b)[tb ? 1 : 0];
  if (ka.known() && kb.known() && ka.value != kb.value)
    return ctx.Error("inner dimensions differ: ", ka.value, " vs ", kb.value);
  ctx.SetOutput(0, t, ir::SymShape{(*a)[ta ? 1 : 0], (*b)[tb ? 0 : 1]});
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(GemmKernel,
                     KernelDef("CPU", "", "Gemm")
                         .Versions(1)
                         .Types(0, {DataType::kFloat, DataType::kDouble, DataType::kFloat16, DataType::kBFloat16,
                                    DataType::kInt32, DataType::kInt64, DataType::kUint32, DataType::kUint64}));
ONYX_REGISTER_SHAPE_INFERENCE("", "Gemm", InferGemm);

}  // namespace onyx::cpu

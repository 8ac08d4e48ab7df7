// com.microsoft QGemm (onnxruntime contrib operator): Gemm of 8-bit A and B with an int32 bias C quantized with
// scale alpha * a_scale * b_scale and zero point 0:
//   Y = alpha * a_scale * b_scale[j] * ((A - a_zp) x (B - b_zp[j]) + C)
// Y is float when y_scale is absent, otherwise quantized with y_scale and y_zero_point (whose type it takes). B's
// scale and zero point may be per column. A constant B is centered once, when the kernel is made.
// Inputs: A, a_scale, a_zero_point, B, b_scale, b_zero_point, C, y_scale, y_zero_point.
#include <vector>

#include "ep/cpu/kernels/quant/quant_gemm.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::quant {

namespace {

class QGemmKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetFloat("alpha", &alpha_, 1.0f));
    int64_t ta = 0, tb = 0;
    ONYX_RETURN_IF_ERROR(info.GetInt("transA", &ta, int64_t{0}));
    ONYX_RETURN_IF_ERROR(info.GetInt("transB", &tb, int64_t{0}));
    trans_a_ = ta != 0;
    trans_b_ = tb != 0;
    const Tensor* b = info.constant_input(3);
    const bool zp_const = !info.has_input(5) || info.constant_input(5) != nullptr;
    if (b != nullptr && zp_const && b->rank() == 2 && Is8Bit(b->type())) {
      const Tensor* zp = info.constant_input(5);
      if (zp == nullptr || (zp->type() == b->type() && (zp->size() == 1 || zp->size() == b->dim(trans_b_ ? 0 : 1)))) {
        const int64_t k = trans_b_ ? b->dim(1) : b->dim(0), n = trans_b_ ? b->dim(0) : b->dim(1);
        b_ = PrepareB(CenterB2D(*b, zp, trans_b_), k, n);
        b_prepared_ = true;
      }
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* a = ctx.input(0);
    const Tensor* a_scale = ctx.input(1);
    const Tensor* b = ctx.input(3);
    const Tensor* b_scale = ctx.input(4);
    const Tensor* b_zp = ctx.input(5);
    const Tensor* c = ctx.input(6);
    const Tensor* y_scale = ctx.input(7);
    if (a == nullptr || b == nullptr || a_scale == nullptr || b_scale == nullptr) {
      return ctx.Error("inputs A, a_scale, B and b_scale are required");
    }
    if (!Is8Bit(a->type()) || !Is8Bit(b->type())) {
      return ctx.Error("A and B must be uint8 or int8, got ", a->Describe(), " and ", b->Describe());
    }
    if (a->rank() != 2 || b->rank() != 2) {
      return ctx.Error("A and B must be 2-D, got ", a->Describe(), " and ", b->Describe());
    }
    const int64_t m = trans_a_ ? a->dim(1) : a->dim(0), k = trans_a_ ? a->dim(0) : a->dim(1);
    const int64_t n = trans_b_ ? b->dim(0) : b->dim(1);
    if ((trans_b_ ? b->dim(1) : b->dim(0)) != k) {
      return ctx.Error("inner dims differ: A ", a->Describe(), ", B ", b->Describe());
    }
    QParams ap;
    ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 1, 2, a->type(), "A", &ap));
    if (b_scale->type() != DataType::kFloat || (b_scale->size() != 1 && b_scale->size() != n)) {
      return ctx.Error("b_scale must be float with 1 or ", n, " elements, got ", b_scale->Describe());
    }
    if (b_zp != nullptr && (b_zp->type() != b->type() || (b_zp->size() != 1 && b_zp->size() != n))) {
      return ctx.Error("b_zero_point must be ", DataTypeName(b->type()), " with 1 or ", n, " elements, got ",
                       b_zp->Describe());
    }
    int64_t c_rows = 1, c_cols = 1;
    if (c != nullptr) {
      if (c->type() != DataType::kInt32 || c->rank() > 2)
        return ctx.Error("C must be int32 of rank <= 2, got ", c->Describe());
      c_cols = c->rank() >= 1 ? c->dim(c->rank() - 1) : 1;
      c_rows = c->rank() == 2 ? c->dim(0) : 1;
      if ((c_cols != 1 && c_cols != n) || (c_rows != 1 && c_rows != m)) {
        return ctx.Error("C ", c->Describe(), " does not broadcast to [", m, ", ", n, "]");
      }
    }
    // A as [m, k] int32, centered.
    std::vector<int32_t> ac(static_cast<size_t>(m * k));
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t l = 0; l < k; ++l) {
        ac[static_cast<size_t>(i * k + l)] = Load8(*a, trans_a_ ? l * m + i : i * k + l) - ap.zero_point;
      }
    }
    std::vector<int32_t> acc(static_cast<size_t>(m * n));
    if (b_prepared_) {
      PreparedProduct(ac.data(), m, b_, acc.data(), ctx.thread_pool());
    } else {
      const std::vector<int32_t> bc = CenterB2D(*b, b_zp, trans_b_);
      CenteredProduct(PlainPlan(m, k, n), ac.data(), bc.data(), acc.data(), ctx.thread_pool());
    }
    const std::vector<float> sb = PerColumn(*b_scale, n);
    const int32_t* cs = c != nullptr ? c->data<int32_t>() : nullptr;
    auto bias = [&](int64_t i, int64_t j) {
      return cs == nullptr ? 0 : cs[(c_rows == 1 ? 0 : i) * c_cols + (c_cols == 1 ? 0 : j)];
    };
    if (y_scale == nullptr) {
      ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kFloat, {m, n}));
      float* ys = y->data<float>();
      for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < n; ++j) {
          const float mult = alpha_ * ap.scale * sb[static_cast<size_t>(j)];
          ys[i * n + j] = static_cast<float>(acc[static_cast<size_t>(i * n + j)] + bias(i, j)) * mult;
        }
      }
      return Status::Ok();
    }
    const Tensor* y_zp = ctx.input(8);
    const DataType out_type = y_zp != nullptr ? y_zp->type() : DataType::kUint8;
    if (!Is8Bit(out_type)) return ctx.Error("y_zero_point must be uint8 or int8, got ", y_zp->Describe());
    QParams yp;
    ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 7, 8, out_type, "Y", &yp));
    std::vector<float> mult(static_cast<size_t>(n));
    for (int64_t j = 0; j < n; ++j)
      mult[static_cast<size_t>(j)] = alpha_ * ap.scale * sb[static_cast<size_t>(j)] / yp.scale;
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, out_type, {m, n}));
    auto run = [&](auto tag) {
      using T = decltype(tag);
      T* ys = y->data<T>();
      for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < n; ++j) {
          ys[i * n + j] = RoundToQ<T>(
              static_cast<float>(acc[static_cast<size_t>(i * n + j)] + bias(i, j)) * mult[static_cast<size_t>(j)],
              yp.zero_point);
        }
      }
    };
    if (out_type == DataType::kInt8) {
      run(int8_t{});
    } else {
      run(uint8_t{});
    }
    return Status::Ok();
  }

 private:
  float alpha_ = 1.0f;
  bool trans_a_ = false, trans_b_ = false;
  bool b_prepared_ = false;
  PreparedB b_;  // [k, n] centered, when B (and its zero point) are constants
};

Status InferQGemm(ir::InferenceContext& ctx) {
  const DataType type = !ctx.has_input(7)  ? DataType::kFloat
                        : ctx.has_input(8) ? ctx.input_elem_type(8)
                                           : DataType::kUint8;
  const ir::SymShape* a = ctx.input_shape(0);
  const ir::SymShape* b = ctx.input_shape(3);
  if (a == nullptr || b == nullptr || a->size() != 2 || b->size() != 2) {
    ctx.SetOutput(0, type, std::nullopt);
    return Status::Ok();
  }
  const bool ta = ctx.attr_int("transA", 0) != 0, tb = ctx.attr_int("transB", 0) != 0;
  ctx.SetOutput(0, type, ir::SymShape{(*a)[ta ? 1 : 0], (*b)[tb ? 0 : 1]});
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(QGemmKernel,
                     KernelDef("CPU", kMsDomain, "QGemm").Versions(1).Types(0, {DataType::kUint8, DataType::kInt8}));
ONYX_REGISTER_SHAPE_INFERENCE(kMsDomain, "QGemm", InferQGemm);

}  // namespace onyx::cpu::quant

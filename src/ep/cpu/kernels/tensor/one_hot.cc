// OneHot: for each index, a vector of length 'depth' holding values[1] at the index and values[0] elsewhere,
// inserted as a new axis. Negative indices count from the end (opset 11); out-of-range ones give all-off.
#include <cmath>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

// Reads any numeric tensor as doubles (indices and depth may be of any numeric type).
Result<std::vector<double>> ReadAsDoubles(const Tensor& t, const ir::Node& node) {
  std::vector<double> out(static_cast<size_t>(t.size()));
  ONYX_RETURN_IF_ERROR((Dispatch<ONYX_NUMERIC_TYPES, Float16, BFloat16>(
      t.type(),
      [&](auto tag) -> Status {
        using T = decltype(tag);
        const T* p = t.data<T>();
        for (int64_t i = 0; i < t.size(); ++i) {
          if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>)
            out[static_cast<size_t>(i)] = ToFloat(p[i]);
          else
            out[static_cast<size_t>(i)] = static_cast<double>(p[i]);
        }
        return Status::Ok();
      },
      node)));
  return out;
}

class OneHotKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return info.GetInt("axis", &axis_, -1); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* indices = ctx.input(0);
    const Tensor* depth_t = ctx.input(1);
    const Tensor* values = ctx.input(2);
    if (!indices || !depth_t || !values) return ctx.Error("inputs 'indices', 'depth' and 'values' are required");
    if (depth_t->size() != 1) return ctx.Error("'depth' must hold one value, got ", depth_t->Describe());
    if (values->size() != 2) return ctx.Error("'values' must hold two values, got ", values->Describe());
    ONYX_ASSIGN_OR_RETURN(std::vector<double> depth_v, ReadAsDoubles(*depth_t, ctx.node()));
    if (!(depth_v[0] >= 1) || depth_v[0] > 1e12) return ctx.Error("depth ", depth_v[0], " must be positive");
    const int64_t depth = static_cast<int64_t>(depth_v[0]);
    ONYX_ASSIGN_OR_RETURN(std::vector<double> idx, ReadAsDoubles(*indices, ctx.node()));
    const int64_t out_rank = indices->rank() + 1;
    int64_t axis = axis_;
    if (!NormalizeAxis(&axis, out_rank))
      return ctx.Error("axis ", axis_, " is out of range for output rank ", out_rank);
    Shape out_shape = indices->shape();
    out_shape.insert(out_shape.begin() + axis, depth);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, values->type(), out_shape));
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= indices->dim(d);
    for (int64_t d = axis; d < indices->rank(); ++d) inner *= indices->dim(d);
    return DispatchByWidth(
        values->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T off = values->data<T>()[0], on = values->data<T>()[1];
          T* out = y->data<T>();
          std::fill_n(out, y->size(), off);
          for (int64_t o = 0; o < outer; ++o) {
            for (int64_t i = 0; i < inner; ++i) {
              double v = std::trunc(idx[static_cast<size_t>(o * inner + i)]);
              if (v < 0) v += static_cast<double>(depth);
              // Written so that NaN (which fails every comparison) selects nothing, as an index out of range does.
              if (!(v >= 0 && v < static_cast<double>(depth))) continue;
              out[(o * depth + static_cast<int64_t>(v)) * inner + i] = on;
            }
          }
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  int64_t axis_ = -1;
};

Status InferOneHot(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(2);
  const ir::SymShape* in = ctx.input_shape(0);
  if (!in) {
    SetOutputIfKnown(ctx, 0, t, std::nullopt);
    return Status::Ok();
  }
  const int64_t out_rank = static_cast<int64_t>(in->size()) + 1;
  int64_t axis = ctx.attr_int("axis", -1);
  if (!NormalizeAxis(&axis, out_rank)) return ctx.Error("axis ", axis, " is out of range");
  ir::SymShape out = *in;
  ir::Dim depth;
  if (std::optional<std::vector<int64_t>> d = ConstantInts(ctx, 1); d && d->size() == 1)
    depth = ir::Dim::Known((*d)[0]);
  out.insert(out.begin() + axis, depth);
  SetOutputIfKnown(ctx, 0, t, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(OneHotKernel, KernelDef("CPU", "", "OneHot").Versions(9));
ONYX_REGISTER_SHAPE_INFERENCE("", "OneHot", InferOneHot);

}  // namespace onyx::cpu

// Shared core of NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss: the input is viewed as [N, C, D]
// (D the product of the trailing dims) and the target as [N, D]. Values are computed in double and stored in
// the input's type; float16/bfloat16 are widened first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ep/cpu/kernels/dispatch.h"
#include "framework/op_kernel.h"
#include "framework/tensor.h"
#include "ir/shape_inference.h"

namespace onyx::cpu::loss {

enum class Reduction { kNone, kSum, kMean };

struct LossAttrs {
  Reduction reduction = Reduction::kMean;
  std::optional<int64_t> ignore_index;

  Status Init(const KernelInfo& info) {
    std::string r;
    ONYX_RETURN_IF_ERROR(info.GetString("reduction", &r, std::string("mean")));
    if (r == "none") {
      reduction = Reduction::kNone;
    } else if (r == "sum") {
      reduction = Reduction::kSum;
    } else if (r == "mean") {
      reduction = Reduction::kMean;
    } else {
      return info.Error("reduction must be none, sum or mean, got '", r, "'");
    }
    if (info.has_attr("ignore_index")) {
      int64_t v = 0;
      ONYX_RETURN_IF_ERROR(info.GetInt("ignore_index", &v));
      ignore_index = v;
    }
    return Status::Ok();
  }
};

inline bool IsLossType(DataType t) {
  return t == DataType::kFloat || t == DataType::kDouble || t == DataType::kFloat16 || t == DataType::kBFloat16;
}

template <typename T>
inline double ToDouble(T v) {
  if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>) {
    return ToFloat(v);
  } else {
    return static_cast<double>(v);
  }
}

// A float-typed tensor as doubles.
inline Result<std::vector<double>> Widen(const KernelContext& ctx, const Tensor& t) {
  std::vector<double> out(static_cast<size_t>(t.size()));
  Status st = Dispatch<float, double, Float16, BFloat16>(
      t.type(),
      [&](auto tag) -> Status {
        using T = decltype(tag);
        const T* p = t.data<T>();
        for (int64_t i = 0; i < t.size(); ++i) out[static_cast<size_t>(i)] = ToDouble(p[i]);
        return Status::Ok();
      },
      ctx.node());
  if (!st.ok()) return st;
  return out;
}

// Writes doubles into a float-typed tensor of the same element count.
inline void Narrow(const std::vector<double>& v, Tensor* t) {
  for (size_t i = 0; i < v.size(); ++i) {
    switch (t->type()) {
      case DataType::kFloat:
        t->data<float>()[i] = static_cast<float>(v[i]);
        break;
      case DataType::kDouble:
        t->data<double>()[i] = v[i];
        break;
      case DataType::kFloat16:
        t->data<Float16>()[i].bits = FloatToHalf(static_cast<float>(v[i]));
        break;
      case DataType::kBFloat16:
        t->data<BFloat16>()[i].bits = FloatToBFloat16(static_cast<float>(v[i]));
        break;
      default:
        break;
    }
  }
}

// Checks the shapes of input [N, C, d...], target [N, d...] and weight [C]; sets n, c, d.
inline Status CheckLossShapes(const KernelContext& ctx, const Tensor& input, const Tensor& target, const Tensor* weight,
                              int64_t* n, int64_t* c, int64_t* d) {
  if (input.rank() < 2) return ctx.Error("input must have rank >= 2 (N, C, ...), got ", input.Describe());
  if (target.type() != DataType::kInt32 && target.type() != DataType::kInt64) {
    return ctx.Error("target must be int32 or int64, got ", DataTypeName(target.type()));
  }
  Shape want = {input.dim(0)};
  want.insert(want.end(), input.shape().begin() + 2, input.shape().end());
  if (target.shape() != want) {
    return ctx.Error("target shape ", ShapeToString(target.shape()), " must be ", ShapeToString(want), " for input ",
                     ShapeToString(input.shape()));
  }
  *n = input.dim(0);
  *c = input.dim(1);
  *d = 1;
  for (int64_t i = 2; i < input.rank(); ++i) *d *= input.dim(i);
  if (weight != nullptr && (weight->rank() != 1 || weight->dim(0) != *c || weight->type() != input.type())) {
    return ctx.Error("weight must be 1-D of ", *c, " values of the input's type, got ", weight->Describe());
  }
  return Status::Ok();
}

// The negative log-likelihood of log-probabilities `logp` [N, C, D] for `target` [N, D], with optional class
// weights, written to output 0 (shape of target for 'none', a scalar otherwise) in type `type`.
inline Status NllFromLogProb(KernelContext& ctx, const LossAttrs& attrs, const std::vector<double>& logp,
                             const Tensor& target, const std::vector<double>* weight, int64_t n, int64_t c, int64_t d,
                             DataType type) {
  const int64_t samples = n * d;
  std::vector<double> losses(static_cast<size_t>(samples), 0.0);
  double weight_sum = 0.0, loss_sum = 0.0;
  for (int64_t s = 0; s < samples; ++s) {
    const int64_t label = target.type() == DataType::kInt32 ? target.data<int32_t>()[s] : target.data<int64_t>()[s];
    if (attrs.ignore_index && label == *attrs.ignore_index) continue;
    if (label < 0 || label >= c) {
      return ctx.Error("target value ", label, " at position ", s, " is outside [0, ", c, ")");
    }
    const double w = weight ? (*weight)[static_cast<size_t>(label)] : 1.0;
    const int64_t nn = s / d, dd = s % d;
    const double l = -logp[static_cast<size_t>((nn * c + label) * d + dd)] * w;
    losses[static_cast<size_t>(s)] = l;
    loss_sum += l;
    weight_sum += w;
  }
  if (attrs.reduction == Reduction::kNone) {
    ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(0, type, target.shape()));
    Narrow(losses, out);
    return Status::Ok();
  }
  ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(0, type, {}));
  // With every sample ignored the mean is 0/0: NaN, as the definition gives.
  const double v = attrs.reduction == Reduction::kSum ? loss_sum : loss_sum / weight_sum;
  Narrow({v}, out);
  return Status::Ok();
}

// Shape inference: output 0 is target's shape for 'none', a scalar otherwise; output `log_prob` (when given)
// is input 0's type and shape.
inline Status InferLoss(ir::InferenceContext& ctx, bool has_log_prob) {
  const DataType type = ctx.input_elem_type(0);
  if (type == DataType::kUndefined) return Status::Ok();
  if (ctx.attr_string("reduction", "mean") == "none") {
    const ir::SymShape* t = ctx.input_shape(1);
    ctx.SetOutput(0, type, t ? std::optional<ir::SymShape>(*t) : std::nullopt);
  } else {
    ctx.SetOutput(0, type, ir::SymShape{});
  }
  if (has_log_prob && ctx.output_count() > 1) ctx.CopyInputToOutput(0, 1);
  return Status::Ok();
}

}  // namespace onyx::cpu::loss

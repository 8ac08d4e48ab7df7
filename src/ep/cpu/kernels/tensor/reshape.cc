// Reshape: a view of the input with another shape. Opset 1-4 take the shape as an attribute, 5+ as an input;
// 14 adds allowzero (a 0 in the shape is a real zero dim instead of "copy the input's dim").
#include "common/checked_math.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

// Resolves 0 and -1 entries of a requested shape against the input shape; the error text says why not.
Result<Shape> ResolveReshape(const Shape& in, const std::vector<int64_t>& requested, bool allowzero) {
  Shape out(requested.size());
  int64_t infer_at = -1, known = 1;
  for (size_t i = 0; i < requested.size(); ++i) {
    int64_t d = requested[i];
    if (d == -1) {
      if (infer_at >= 0) return InvalidArgument("more than one -1 in the requested shape");
      infer_at = static_cast<int64_t>(i);
      continue;
    }
    if (d == 0 && !allowzero) {
      if (i >= in.size()) {
        return InvalidArgument("a 0 at position ", i, " copies an input dim, but the input has rank ", in.size());
      }
      d = in[i];
    }
    if (d < 0) return InvalidArgument("invalid dim ", requested[i], " in the requested shape");
    out[i] = d;
    if (!CheckedMul(known, d, &known)) return InvalidArgument("the requested shape is too large");
  }
  int64_t total = 1;
  if (!CheckedElementCount(in, &total)) return InvalidArgument("invalid input shape");
  if (infer_at >= 0) {
    if (known == 0) {
      if (total != 0) return InvalidArgument("cannot infer the -1 dim: the other dims multiply to 0");
      out[static_cast<size_t>(infer_at)] = 0;
    } else {
      if (total % known != 0) {
        return InvalidArgument("cannot infer the -1 dim: ", total, " elements are not a multiple of ", known);
      }
      out[static_cast<size_t>(infer_at)] = total / known;
    }
  } else if (known != total) {
    return InvalidArgument("the requested shape has ", known, " elements but the input has ", total);
  }
  return out;
}

class ReshapeKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("allowzero", &allowzero_, 0));
    if (info.opset() < 5) {
      if (!info.has_attr("shape")) return info.Error("the 'shape' attribute is required before opset 5");
      ONYX_RETURN_IF_ERROR(info.GetInts("shape", &attr_shape_));
    }
    if (allowzero_ != 0 && allowzero_ != 1) return info.Error("allowzero must be 0 or 1, got ", allowzero_);
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'data' is missing");
    std::vector<int64_t> requested = attr_shape_;
    if (ctx.node().opset() >= 5) {
      const Tensor* s = ctx.input(1);
      if (s == nullptr) return ctx.Error("input 'shape' is missing");
      if (s->type() != DataType::kInt64) return ctx.Error("input 'shape' must be int64, got ", s->Describe());
      ONYX_ASSIGN_OR_RETURN(requested, ReadInt64s(*s, ctx.node(), "input 'shape'"));
    }
    if (allowzero_) {
      bool has_zero = false, has_minus1 = false;
      for (int64_t d : requested) {
        has_zero |= d == 0;
        has_minus1 |= d == -1;
      }
      if (has_zero && has_minus1) return ctx.Error("with allowzero=1 the shape may not hold both 0 and -1");
    }
    Result<Shape> out = ResolveReshape(x->shape(), requested, allowzero_ != 0);
    if (!out.ok()) {
      return ctx.Error("cannot reshape ", x->Describe(), " to ", ShapeToString(requested), ": ",
                       out.status().message());
    }
    return ctx.SetOutput(0, Value(x->Reshaped(out.take())));
  }

 private:
  int64_t allowzero_ = 0;
  std::vector<int64_t> attr_shape_;
};

// The requested shape may be a value worked out by inference ([batch, seq, 12, 64] from Shape, Gather and
// Concat), with symbols for dims only known at run time. A requested 0 copies the input's dim; a symbolic one
// is taken as it is only where a 0 at run time would copy a dim that is then 0 too (ir::ZeroImplies).
Status InferReshape(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  std::optional<ir::ShapeValue> requested;
  if (ctx.node().opset() < 5) {
    requested = ir::ShapeValue{};
    for (int64_t d : ctx.attr_ints("shape")) requested->elems.push_back(ir::SymInt::Known(d));
  } else {
    requested = ctx.input_value(1);
  }
  const bool allowzero = ctx.attr_int("allowzero", 0) != 0;
  if (!requested || requested->scalar) {
    const ir::SymShape* s = ctx.input_shape(1);
    // The rank comes from a dim the file declares: a huge one (fuzzed: 2^27) would allocate gigabytes of dims,
    // so past 1,024 (the C API's rank limit) the shape is left unknown, as an unknown dim leaves it.
    if (s && s->size() == 1 && (*s)[0].known() && (*s)[0].value >= 0 && (*s)[0].value <= 1024) {
      SetOutputIfKnown(ctx, 0, t, ir::SymShape(static_cast<size_t>((*s)[0].value)));
    } else {
      SetOutputIfKnown(ctx, 0, t, std::nullopt);
    }
    return Status::Ok();
  }
  const std::vector<ir::SymInt>& req = requested->elems;
  ir::SymShape out(req.size());
  const ir::SymShape* in = ctx.input_shape(0);
  int64_t infer_at = -1;
  bool others_certain = true;  // every dim but the -1 one is known or a symbol
  for (size_t i = 0; i < req.size(); ++i) {
    const ir::SymInt& d = req[i];
    if (d.known() && d.value == -1) {
      if (infer_at >= 0) return ctx.Error("more than one -1 in the requested shape");
      infer_at = static_cast<int64_t>(i);
      continue;
    }
    if (d.known() && d.value == 0 && !allowzero) {
      if (in && i < in->size()) out[i] = (*in)[i];
    } else if (d.known() && d.value >= 0) {
      out[i] = ir::Dim::Known(d.value);
    } else if (d.known()) {
      return ctx.Error("invalid dim ", d.value, " in the requested shape");
    } else if (d.symbolic() && (allowzero || (in && (i >= in->size() || ir::ZeroImplies(d, (*in)[i]))))) {
      out[i] = d.ToDim();
    }
    if (!out[i].known() && out[i].param.empty()) others_certain = false;
  }
  if (infer_at >= 0 && in && others_certain) {
    ir::SymShape others = out;
    others.erase(others.begin() + infer_at);
    const ir::SymInt total = ir::SymProduct(*in), rest = ir::SymProduct(others);
    // Plain integers must divide exactly (SymDiv truncates them, as Div does); products only divide exactly.
    const bool exact = !(total.known() && rest.known()) || (rest.value != 0 && total.value % rest.value == 0);
    if (exact) out[static_cast<size_t>(infer_at)] = ir::SymDiv(total, rest).ToDim();
  }
  SetOutputIfKnown(ctx, 0, t, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(ReshapeKernel, KernelDef("CPU", "", "Reshape").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Reshape", InferReshape);

}  // namespace onyx::cpu

// ConvTranspose: per image and group, col = W_g^T * X_g (one GEMM), then col2im
// scatters the columns into the output, which starts as the bias.
#include <algorithm>

#include "common/checked_math.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/conv_pool_attrs.h"
#include "ep/cpu/kernels/nn/gemm_util.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ep/cpu/kernels/nn/im2col.h"
#include "framework/kernel_registry.h"
#include "ir/derived_dim.h"

namespace onyx::cpu {

namespace {

struct TransposeAttrs {
  std::string auto_pad = "NOTSET";
  std::vector<int64_t> kernel_shape, strides, dilations, pads, output_padding, output_shape;
  int64_t group = 1;
};

// Output spatial dims and begin pads for input dims `in` and kernel `kernel`.
Status ResolveTranspose(const TransposeAttrs& a, const std::vector<int64_t>& in, const std::vector<int64_t>& kernel,
                        std::vector<int64_t>* out, std::vector<int64_t>* pad_begin) {
  const size_t rank = in.size();
  auto at = [&](const std::vector<int64_t>& v, size_t i, int64_t def) { return v.empty() ? def : v[i]; };
  for (const auto* v : {&a.strides, &a.dilations, &a.output_padding})
    if (!v->empty() && v->size() != rank)
      return InvalidArgument("an attribute has ", v->size(), " values for ", rank, " spatial axes");
  if (!a.pads.empty() && a.pads.size() != 2 * rank)
    return InvalidArgument("pads has ", a.pads.size(), " values for ", rank, " spatial axes");
  std::vector<int64_t> target;
  if (!a.output_shape.empty()) {
    if (a.output_shape.size() == rank) {
      target = a.output_shape;
    } else if (a.output_shape.size() == rank + 2) {
      target.assign(a.output_shape.begin() + 2, a.output_shape.end());
    } else {
      return InvalidArgument("output_shape has ", a.output_shape.size(), " values for ", rank, " spatial axes");
    }
  }
  out->assign(rank, 0);
  pad_begin->assign(rank, 0);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t s = at(a.strides, i, 1), d = at(a.dilations, i, 1), op = at(a.output_padding, i, 0);
    const int64_t full = s * (in[i] - 1) + op + (kernel[i] - 1) * d + 1;
    const bool same = a.auto_pad == "SAME_UPPER" || a.auto_pad == "SAME_LOWER";
    if (!target.empty() || same) {
      const int64_t want = !target.empty() ? target[i] : in[i] * s;
      // A negative total (output_shape beyond the full output) extends the
      // output with bias-only positions.
      const int64_t total = full - want;
      const int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2);
      (*pad_begin)[i] = a.auto_pad == "SAME_UPPER" ? half : total - half;
      (*out)[i] = want;
    } else if (a.auto_pad == "VALID") {
      (*out)[i] = full;
    } else {
      const int64_t pb = at(a.pads, i, 0), pe = a.pads.empty() ? 0 : a.pads[i + rank];
      (*pad_begin)[i] = pb;
      (*out)[i] = full - pb - pe;
    }
    if ((*out)[i] <= 0) return InvalidArgument("output dim ", i, " would be ", (*out)[i]);
  }
  return Status::Ok();
}

template <typename T>
Status RunConvTranspose(KernelContext& ctx, int64_t batch, int64_t c, int64_t m, int64_t group, const Window3& w,
                        const T* x, const T* wt, const T* bias, T* y) {
  // In Window3 terms the (large) output is the image and the (small) input
  // holds the window positions.
  const int64_t cg = c / group, mg = m / group, ks = w.kernel_size();
  const int64_t in_size = w.out_size(), out_size = w.in_size();
  int64_t col_elems = 0;
  if (!CheckedMul(mg * ks, in_size, &col_elems)) return ctx.Error("column buffer size overflows");
  ONYX_ASSIGN_OR_RETURN(Tensor col, ctx.Allocate(DataTypeOf<T>::value, {col_elems}));
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t g = 0; g < group; ++g) {
      const T* xg = x + (n * c + g * cg) * in_size;
      T* yg = y + (n * m + g * mg) * out_size;
      for (int64_t j = 0; j < mg; ++j)
        std::fill(yg + j * out_size, yg + (j + 1) * out_size, bias ? bias[g * mg + j] : T(0));
      Gemm(true, false, mg * ks, in_size, cg, T(1), wt + g * cg * mg * ks, mg * ks, xg, in_size, T(0), col.data<T>(),
           in_size, ctx.thread_pool());
      Col2Im(col.data<T>(), mg, w, yg, ctx.thread_pool());
    }
  }
  return Status::Ok();
}

class ConvTransposeKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetString("auto_pad", &a_.auto_pad, std::string("NOTSET")));
    if (a_.auto_pad != "NOTSET" && a_.auto_pad != "VALID" && a_.auto_pad != "SAME_UPPER" && a_.auto_pad != "SAME_LOWER")
      return info.Error("auto_pad '", a_.auto_pad, "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
    for (auto [name, v] : {std::pair{"kernel_shape", &a_.kernel_shape},
                           {"strides", &a_.strides},
                           {"dilations", &a_.dilations},
                           {"pads", &a_.pads},
                           {"output_padding", &a_.output_padding},
                           {"output_shape", &a_.output_shape}}) {
      ONYX_RETURN_IF_ERROR(info.GetInts(name, v, std::vector<int64_t>{}));
    }
    ONYX_RETURN_IF_ERROR(info.GetInt("group", &a_.group, int64_t{1}));
    if (a_.group <= 0) return info.Error("group must be positive, got ", a_.group);
    for (int64_t v : a_.strides)
      if (v <= 0) return info.Error("strides must be positive");
    for (int64_t v : a_.dilations)
      if (v <= 0) return info.Error("dilations must be positive");
    for (int64_t v : a_.pads)
      if (v < 0) return info.Error("pads must not be negative");
    for (int64_t v : a_.output_padding)
      if (v < 0) return info.Error("output_padding must not be negative");
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* w = ctx.input(1);
    const Tensor* b = ctx.input(2);
    if (!x || !w) return ctx.Error("inputs X and W are required");
    if (x->rank() < 3 || w->rank() != x->rank())
      return ctx.Error("X ", x->Describe(), " and W ", w->Describe(), " must have the same rank >= 3");
    if (w->type() != x->type() || (b && b->type() != x->type()))
      return ctx.Error("X, W and B must have the same element type");
    const int64_t batch = x->dim(0), c = x->dim(1), m = w->dim(1) * a_.group;
    if (w->dim(0) != c || c % a_.group != 0)
      return ctx.Error("W ", w->Describe(), " must have X's ", c, " channels first, divisible by group ", a_.group);
    if (b && (b->rank() != 1 || b->dim(0) != m)) return ctx.Error("B ", b->Describe(), " must hold ", m, " values");
    std::vector<int64_t> in(x->shape().begin() + 2, x->shape().end()), kernel(w->shape().begin() + 2, w->shape().end());
    if (!a_.kernel_shape.empty() && a_.kernel_shape != kernel)
      return ctx.Error("kernel_shape differs from W's spatial dims ", ShapeToString(kernel));
    std::vector<int64_t> out, pad_begin;
    Status st = ResolveTranspose(a_, in, kernel, &out, &pad_begin);
    if (!st.ok()) return ctx.Error(st.message());
    WindowGeometry g;
    g.in = out;
    g.out = in;
    g.kernel = kernel;
    g.stride = a_.strides.empty() ? std::vector<int64_t>(in.size(), 1) : a_.strides;
    g.dilation = a_.dilations.empty() ? std::vector<int64_t>(in.size(), 1) : a_.dilations;
    g.pad_begin = pad_begin;
    g.pad_end.assign(in.size(), 0);
    Window3 w3;
    if (!ToWindow3(g, &w3)) return NotImplemented(ctx.node().Describe(), ": more than 3 spatial axes");
    Shape out_shape = {batch, m};
    out_shape.insert(out_shape.end(), out.begin(), out.end());
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), out_shape));
    if (y->size() == 0) return Status::Ok();
    ONYX_ASSIGN_OR_RETURN(Tensor xc, AsComputeTensor(ctx, *x));
    ONYX_ASSIGN_OR_RETURN(Tensor wc, AsComputeTensor(ctx, *w));
    Tensor bc;
    if (b) {
      ONYX_ASSIGN_OR_RETURN(bc, AsComputeTensor(ctx, *b));
    }
    ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
    st = Dispatch<float, double>(
        xc.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          return RunConvTranspose<T>(ctx, batch, c, m, a_.group, w3, xc.data<T>(), wc.data<T>(),
                                     b ? bc.data<T>() : nullptr, yc.data<T>());
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    return Status::Ok();
  }

 private:
  TransposeAttrs a_;
};

Status InferConvTranspose(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  if (t == DataType::kUndefined) return Status::Ok();
  const ir::SymShape* x = ctx.input_shape(0);
  const ir::SymShape* w = ctx.input_shape(1);
  if (!x || x->size() < 3) {
    ctx.SetOutput(0, t, x ? std::optional<ir::SymShape>(ir::SymShape(x->size())) : std::nullopt);
    return Status::Ok();
  }
  TransposeAttrs a;
  a.auto_pad = ctx.attr_string("auto_pad", "NOTSET");
  a.kernel_shape = ctx.attr_ints("kernel_shape");
  a.strides = ctx.attr_ints("strides");
  a.dilations = ctx.attr_ints("dilations");
  a.pads = ctx.attr_ints("pads");
  a.output_padding = ctx.attr_ints("output_padding");
  a.output_shape = ctx.attr_ints("output_shape");
  const int64_t group = ctx.attr_int("group", 1);
  ir::SymShape out(x->size());
  out[0] = (*x)[0];
  if (w && w->size() == x->size() && (*w)[1].known()) out[1] = ir::Dim::Known((*w)[1].value * group);
  std::vector<int64_t> in, kernel = a.kernel_shape;
  bool known = true;
  for (size_t i = 2; i < x->size(); ++i) {
    known = known && (*x)[i].known();
    in.push_back((*x)[i].value);
    if (a.kernel_shape.empty()) {
      if (w && w->size() == x->size() && (*w)[i].known()) {
        kernel.push_back((*w)[i].value);
      } else {
        known = false;
      }
    }
  }
  std::vector<int64_t> dims, pads;
  if (known && kernel.size() == in.size() && ResolveTranspose(a, in, kernel, &dims, &pads).ok()) {
    for (size_t i = 0; i < dims.size(); ++i) out[i + 2] = ir::Dim::Known(dims[i]);
  } else if (kernel.size() == in.size() && a.output_shape.empty()) {
    // Symbolic input lengths give lengths named after them (ir::AffineDim): stride * in + (output_padding + span -
    // stride - pads), or stride * in with auto_pad SAME.
    const size_t rank = in.size();
    auto at = [&](const std::vector<int64_t>& v, size_t i, int64_t def) { return v.size() == rank ? v[i] : def; };
    const bool same = a.auto_pad == "SAME_UPPER" || a.auto_pad == "SAME_LOWER";
    for (size_t i = 0; i < rank; ++i) {
      const ir::Dim& d = (*x)[i + 2];
      const int64_t s = at(a.strides, i, 1), dl = at(a.dilations, i, 1), op = at(a.output_padding, i, 0);
      const int64_t pads_sum = a.pads.size() == 2 * rank && a.auto_pad != "VALID" ? a.pads[i] + a.pads[i + rank] : 0;
      const int64_t offset = same ? 0 : op + (kernel[i] - 1) * dl + 1 - s - pads_sum;
      out[i + 2] = ir::AffineDim(d, s, offset, 1);
    }
  }
  ctx.SetOutput(0, t, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(ConvTransposeKernel, KernelDef("CPU", "", "ConvTranspose").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "ConvTranspose", InferConvTranspose);

}  // namespace onyx::cpu

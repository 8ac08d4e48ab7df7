// Slice: a strided window of the input. Opset 1 reads starts/ends/axes from attributes; opset 10+ from
// inputs, with optional axes and steps (negative steps walk backwards). Starts and ends are clamped.
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"
#include "ir/derived_dim.h"

namespace onyx::cpu {
namespace {

struct SliceParams {
  Shape out_shape;
  int64_t base = 0;
  std::vector<int64_t> strides;  // in input elements, per output dim
};

// Clamps a start or end per the spec and returns the resolved window of each axis.
Result<SliceParams> ComputeSlice(const Shape& in, const std::vector<int64_t>& starts, const std::vector<int64_t>& ends,
                                 std::vector<int64_t> axes, std::vector<int64_t> steps) {
  const int64_t rank = static_cast<int64_t>(in.size());
  if (starts.size() != ends.size()) {
    return InvalidArgument("starts has ", starts.size(), " values but ends has ", ends.size());
  }
  if (axes.empty()) {
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  }
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (axes.size() != starts.size() || steps.size() != starts.size()) {
    return InvalidArgument("starts, ends, axes and steps must have the same length");
  }
  SliceParams p;
  p.out_shape = in;
  std::vector<int64_t> in_strides = ContiguousStrides(in);
  p.strides = in_strides;
  std::vector<bool> seen(in.size(), false);
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t axis = axes[i];
    if (!NormalizeAxis(&axis, rank)) return InvalidArgument("axis ", axes[i], " is out of range for rank ", rank);
    if (seen[static_cast<size_t>(axis)]) return InvalidArgument("axis ", axes[i], " is repeated");
    seen[static_cast<size_t>(axis)] = true;
    const int64_t dim = in[static_cast<size_t>(axis)];
    if (steps[i] == 0) return InvalidArgument("step 0 on axis ", axes[i]);
    // A step longer than the dim takes at most the first element, as a step of exactly the dim does; clamping it
    // keeps the count and stride arithmetic below in range (a model or a feed may say INT64_MIN).
    const int64_t longest = std::max<int64_t>(dim, 1);
    const int64_t step = std::clamp<int64_t>(steps[i], -longest, longest);
    int64_t start = starts[i], end = ends[i];
    if (start < 0) start = start < -dim ? -1 : start + dim;  // avoids overflow near INT64_MIN
    if (end < 0) end = end < -dim ? -1 : end + dim;
    int64_t count;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
      count = end > start ? (end - start + step - 1) / step : 0;
    } else if (dim == 0) {
      count = 0;
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
      count = start > end ? (start - end + (-step) - 1) / (-step) : 0;
    }
    p.out_shape[static_cast<size_t>(axis)] = count;
    if (count > 0) p.base += start * in_strides[static_cast<size_t>(axis)];
    p.strides[static_cast<size_t>(axis)] = in_strides[static_cast<size_t>(axis)] * step;
  }
  return p;
}

// The window is x itself (every axis whole and walked forwards; a step on an axis of size 1 changes nothing).
bool IsWhole(const Shape& in, const SliceParams& p) {
  if (p.base != 0 || p.out_shape != in) return false;
  const std::vector<int64_t> contiguous = ContiguousStrides(in);
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] > 1 && p.strides[i] != contiguous[i]) return false;
  }
  return true;
}

class SliceKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if (info.opset() < 10) {
      if (!info.has_attr("starts") || !info.has_attr("ends")) {
        return info.Error("the 'starts' and 'ends' attributes are required before opset 10");
      }
      ONYX_RETURN_IF_ERROR(info.GetInts("starts", &starts_));
      ONYX_RETURN_IF_ERROR(info.GetInts("ends", &ends_));
      ONYX_RETURN_IF_ERROR(info.GetInts("axes", &axes_, std::vector<int64_t>{}));
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'data' is missing");
    std::vector<int64_t> starts = starts_, ends = ends_, axes = axes_, steps;
    if (ctx.node().opset() >= 10) {
      const Tensor* s = ctx.input(1);
      const Tensor* e = ctx.input(2);
      if (s == nullptr || e == nullptr) return ctx.Error("inputs 'starts' and 'ends' are required");
      ONYX_ASSIGN_OR_RETURN(starts, ReadInt64s(*s, ctx.node(), "input 'starts'"));
      ONYX_ASSIGN_OR_RETURN(ends, ReadInt64s(*e, ctx.node(), "input 'ends'"));
      if (const Tensor* a = ctx.input(3)) {
        ONYX_ASSIGN_OR_RETURN(axes, ReadInt64s(*a, ctx.node(), "input 'axes'"));
      }
      if (const Tensor* st = ctx.input(4)) {
        ONYX_ASSIGN_OR_RETURN(steps, ReadInt64s(*st, ctx.node(), "input 'steps'"));
      }
    }
    Result<SliceParams> p = ComputeSlice(x->shape(), starts, ends, axes, steps);
    if (!p.ok()) return ctx.Error("cannot slice ", x->Describe(), ": ", p.status().message());
    const SliceParams& sp = p.value();
    if (IsWhole(x->shape(), sp)) return ctx.SetOutput(0, Value(*x));  // a window over all of x: share its buffer
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, x->type(), sp.out_shape));
    if (y->size() == 0) return Status::Ok();
    if (IsSubByte(x->type())) {
      ONYX_ASSIGN_OR_RETURN(Tensor in, UnpackSubByte(*x));
      ONYX_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DataType::kUint8, sp.out_shape));
      StridedCopy(ctx.thread_pool(), in.data<uint8_t>(), sp.base, out.data<uint8_t>(), sp.out_shape, sp.strides);
      PackSubByte(out, y);
      return Status::Ok();
    }
    return DispatchByWidth(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          StridedCopy(ctx.thread_pool(), x->data<T>(), sp.base, y->data<T>(), sp.out_shape, sp.strides);
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  std::vector<int64_t> starts_, ends_, axes_;
};

// x[..., :n] with n a symbol (torch's position_ids[:, :seq_len], the end read from Shape(input_ids)): the sliced
// dim is n itself when x's dim is n, and min(n, N) against a known size N (ir::MinDim), which broadcasts
// against n as n. Only a single axis with start 0 and step 1 is followed; anything else stays unknown.
std::optional<ir::SymShape> SymbolicPrefix(const ir::InferenceContext& ctx, const ir::SymShape& in) {
  if (ctx.node().opset() < 10 || !ctx.has_input(3)) return std::nullopt;
  std::optional<ir::ShapeValue> starts = ctx.input_value(1), ends = ctx.input_value(2);
  std::optional<std::vector<int64_t>> axes = ConstantInts(ctx, 3);
  std::optional<std::vector<int64_t>> steps = std::vector<int64_t>{1};
  if (ctx.has_input(4)) steps = ConstantInts(ctx, 4);
  if (!starts || !ends || !axes || !steps || starts->elems.size() != 1 || ends->elems.size() != 1 ||
      axes->size() != 1 || steps->size() != 1 || (*steps)[0] != 1) {
    return std::nullopt;
  }
  const ir::SymInt& start = starts->elems[0];
  const ir::SymInt& end = ends->elems[0];
  int64_t a = (*axes)[0];
  if (!start.known() || start.value != 0 || !end.symbolic() || !NormalizeAxis(&a, static_cast<int64_t>(in.size()))) {
    return std::nullopt;
  }
  ir::SymShape out = in;
  const ir::Dim& d = in[static_cast<size_t>(a)];
  if (!d.known() && d.param == end.param) return out;
  if (!d.known() || d.value < 1) return std::nullopt;
  out[static_cast<size_t>(a)] = ir::MinDim(end.param, d.value);
  return out;
}

Status InferSlice(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  const ir::SymShape* in = ctx.input_shape(0);
  if (!in) {
    SetOutputIfKnown(ctx, 0, t, std::nullopt);
    return Status::Ok();
  }
  std::optional<std::vector<int64_t>> starts, ends, axes = std::vector<int64_t>{}, steps = std::vector<int64_t>{};
  if (ctx.node().opset() < 10) {
    starts = ctx.attr_ints("starts");
    ends = ctx.attr_ints("ends");
    axes = ctx.attr_ints("axes");
  } else {
    starts = ConstantInts(ctx, 1);
    ends = ConstantInts(ctx, 2);
    if (ctx.has_input(3)) axes = ConstantInts(ctx, 3);
    if (ctx.has_input(4)) steps = ConstantInts(ctx, 4);
  }
  if (!starts || !ends || !steps) {
    if (std::optional<ir::SymShape> prefix = SymbolicPrefix(ctx, *in)) {
      SetOutputIfKnown(ctx, 0, t, std::move(prefix));
      return Status::Ok();
    }
    ir::SymShape out(in->size());
    // With known axes, the dims not sliced keep their size.
    if (axes) {
      std::vector<bool> sliced(in->size(), axes->empty());
      for (int64_t a : *axes) {
        if (NormalizeAxis(&a, static_cast<int64_t>(in->size()))) sliced[static_cast<size_t>(a)] = true;
      }
      for (size_t d = 0; d < in->size(); ++d) {
        if (!sliced[d]) out[d] = (*in)[d];
      }
    }
    SetOutputIfKnown(ctx, 0, t, out);
    return Status::Ok();
  }
  if (!axes) {
    SetOutputIfKnown(ctx, 0, t, ir::SymShape(in->size()));
    return Status::Ok();
  }
  // Resolve each sliced axis whose dim is known; the others stay unknown.
  ir::SymShape out = *in;
  std::vector<int64_t> ax = *axes;
  if (ax.empty()) {
    for (size_t i = 0; i < starts->size(); ++i) ax.push_back(static_cast<int64_t>(i));
  }
  for (size_t i = 0; i < ax.size() && i < starts->size() && i < ends->size(); ++i) {
    int64_t a = ax[i];
    if (!NormalizeAxis(&a, static_cast<int64_t>(in->size()))) return ctx.Error("axis ", ax[i], " is out of range");
    const ir::Dim& d = (*in)[static_cast<size_t>(a)];
    if (!d.known()) {
      // [0:end) with an end of 1e9 or more and step 1 keeps the whole dim: exporters write "to the end" so
      // (INT64_MAX, INT32_MAX, tf2onnx's 1e9 for masked ends), and no dim of a tensor in memory reaches it.
      const int64_t step = steps->empty() ? 1 : (*steps)[i];
      const bool whole = step == 1 && (*starts)[i] == 0 && (*ends)[i] >= 1000000000;
      out[static_cast<size_t>(a)] = whole ? d : ir::Dim{};
      continue;
    }
    std::vector<int64_t> st = steps->empty() ? std::vector<int64_t>{1} : std::vector<int64_t>{(*steps)[i]};
    Result<SliceParams> p = ComputeSlice({d.value}, {(*starts)[i]}, {(*ends)[i]}, {0}, st);
    if (!p.ok()) return ctx.Error(p.status().message());
    out[static_cast<size_t>(a)] = ir::Dim::Known(p.value().out_shape[0]);
  }
  SetOutputIfKnown(ctx, 0, t, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(SliceKernel, KernelDef("CPU", "", "Slice").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Slice", InferSlice);

}  // namespace onyx::cpu

// Concat: joins tensors along one axis. The axis is required from opset 4 (opset 1 defaults it to 1);
// negative axes count from the end (opset 11).
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class ConcatKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if (info.opset() >= 4 && !info.has_attr("axis")) return info.Error("the 'axis' attribute is required");
    return info.GetInt("axis", &axis_, 1);
  }

  Status Compute(KernelContext& ctx) const override {
    std::vector<const Tensor*> inputs;
    for (size_t i = 0; i < ctx.input_count(); ++i) {
      const Tensor* t = ctx.input(i);
      if (t == nullptr) return ctx.Error("input ", i, " is missing");
      inputs.push_back(t);
    }
    if (inputs.empty()) return ctx.Error("needs at least one input");
    const Tensor& first = *inputs[0];
    int64_t axis = axis_;
    if (!NormalizeAxis(&axis, first.rank()))
      return ctx.Error("axis ", axis_, " is out of range for ", first.Describe());
    Shape out_shape = first.shape();
    out_shape[static_cast<size_t>(axis)] = 0;
    for (size_t i = 0; i < inputs.size(); ++i) {
      const Tensor& t = *inputs[i];
      if (t.type() != first.type()) {
        return ctx.Error("input ", i, " is ", t.Describe(), " but input 0 is ", first.Describe());
      }
      bool same = t.rank() == first.rank();
      for (int64_t d = 0; same && d < t.rank(); ++d) same = d == axis || t.dim(d) == first.dim(d);
      if (!same) {
        return ctx.Error("input ", i, " ", t.Describe(), " does not match input 0 ", first.Describe(), " outside axis ",
                         axis);
      }
      out_shape[static_cast<size_t>(axis)] += t.dim(axis);
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, first.type(), out_shape));  // every element is copied
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= out_shape[static_cast<size_t>(d)];
    for (size_t d = static_cast<size_t>(axis) + 1; d < out_shape.size(); ++d) inner *= out_shape[d];
    const int64_t out_row = out_shape[static_cast<size_t>(axis)] * inner;
    return DispatchByWidth(
        first.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          T* out = y->data<T>();
          // Output row o is the inputs' rows o side by side; input i fills columns [start[i], start[i + 1]).
          std::vector<int64_t> start(inputs.size() + 1, 0);
          for (size_t i = 0; i < inputs.size(); ++i) start[i + 1] = start[i] + inputs[i]->dim(axis) * inner;
          // One parallel copy over the whole output (rather than one per input), so that a concatenation along
          // the outermost axis that matters, with one row per input, still splits.
          ThreadPool::For(
              ctx.thread_pool(), outer * out_row, kCopyNsPerByte * sizeof(T), [&](int64_t begin, int64_t end) {
                for (int64_t e = begin; e < end;) {
                  const int64_t o = e / out_row, col = e % out_row;
                  const size_t i =
                      static_cast<size_t>(std::upper_bound(start.begin(), start.end(), col) - start.begin()) - 1;
                  const int64_t row = start[i + 1] - start[i];
                  const int64_t len = std::min(end - e, start[i + 1] - col);
                  CopyElements(inputs[i]->data<T>() + o * row + (col - start[i]), out + e, len);
                  e += len;
                }
              });
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  int64_t axis_ = 1;
};

Status InferConcat(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  const ir::SymShape* first = ctx.input_shape(0);
  if (!first) {
    SetOutputIfKnown(ctx, 0, t, std::nullopt);
    return Status::Ok();
  }
  int64_t axis = ctx.attr_int("axis", 1);
  if (!NormalizeAxis(&axis, static_cast<int64_t>(first->size()))) return ctx.Error("axis ", axis, " is out of range");
  ir::SymShape out = *first;
  int64_t total = 0;
  bool total_known = true;
  for (size_t i = 0; i < ctx.input_count(); ++i) {
    const ir::SymShape* s = ctx.input_shape(i);
    if (!s) {
      total_known = false;
      continue;
    }
    if (s->size() != first->size()) return ctx.Error("input ", i, " has rank ", s->size(), ", input 0 ", first->size());
    for (size_t d = 0; d < s->size(); ++d) {
      if (static_cast<int64_t>(d) == axis) continue;
      if (!out[d].known() && (*s)[d].known()) out[d] = (*s)[d];
    }
    const ir::Dim& a = (*s)[static_cast<size_t>(axis)];
    if (a.known())
      total += a.value;
    else
      total_known = false;
  }
  out[static_cast<size_t>(axis)] = total_known ? ir::Dim::Known(total) : ir::Dim{};
  SetOutputIfKnown(ctx, 0, t, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(ConcatKernel, KernelDef("CPU", "", "Concat").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Concat", InferConcat);

}  // namespace onyx::cpu

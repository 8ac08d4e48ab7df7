// Split: cuts a tensor along an axis into parts. Part sizes come from the 'split' attribute (opsets 1-12;
// opset 1 also accepts a second input) or the 'split' input (13+); otherwise the parts are equal, and at
// opset 18 'num_outputs' allows a smaller last part.
#include "common/checked_math.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

// The part sizes, or an error message.
Result<std::vector<int64_t>> SplitSizes(int64_t dim, size_t outputs, const std::vector<int64_t>* split,
                                        int64_t num_outputs) {
  std::vector<int64_t> sizes;
  if (split != nullptr) {
    int64_t sum = 0;
    for (int64_t s : *split) {
      if (s < 0) return InvalidArgument("negative split size ", s);
      // Sizes come from an input: two large ones must not overflow the sum (UBSan, found by the run fuzz target).
      if (!CheckedAdd(sum, s, &sum) || sum > dim) {
        return InvalidArgument("'split' sizes sum to more than the axis's ", dim);
      }
    }
    if (split->size() != outputs)
      return InvalidArgument("'split' has ", split->size(), " sizes for ", outputs, " outputs");
    if (sum != dim) return InvalidArgument("'split' sizes sum to ", sum, " but the axis has ", dim);
    return *split;
  }
  if (outputs == 0) return InvalidArgument("no outputs");
  const int64_t n = static_cast<int64_t>(outputs);
  if (num_outputs > 0) {
    if (num_outputs != n) return InvalidArgument("num_outputs is ", num_outputs, " but the node has ", n, " outputs");
    const int64_t chunk = (dim + n - 1) / n;
    for (int64_t i = 0; i < n; ++i) sizes.push_back(std::max<int64_t>(0, std::min(chunk, dim - i * chunk)));
    return sizes;
  }
  if (dim % n != 0) return InvalidArgument("an axis of ", dim, " cannot be split into ", n, " equal parts");
  sizes.assign(outputs, dim / n);
  return sizes;
}

class SplitKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("axis", &axis_, 0));
    if (info.opset() < 13 && info.has_attr("split")) {
      has_split_ = true;
      ONYX_RETURN_IF_ERROR(info.GetInts("split", &split_));
    }
    if (info.opset() >= 18) {
      ONYX_RETURN_IF_ERROR(info.GetInt("num_outputs", &num_outputs_, 0));
      if (info.has_attr("num_outputs") && num_outputs_ < 1) return info.Error("num_outputs must be positive");
      if (info.has_attr("num_outputs") && info.has_input(1)) {
        return info.Error("'split' and 'num_outputs' may not both be given");
      }
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'input' is missing");
    int64_t axis = axis_;
    if (!NormalizeAxis(&axis, x->rank())) return ctx.Error("axis ", axis_, " is out of range for ", x->Describe());
    std::vector<int64_t> split = split_;
    bool has_split = has_split_;
    if ((ctx.node().opset() >= 13 || ctx.node().opset() == 1) && ctx.input(1) != nullptr) {
      ONYX_ASSIGN_OR_RETURN(split, ReadInt64s(*ctx.input(1), ctx.node(), "input 'split'"));
      has_split = true;
    }
    Result<std::vector<int64_t>> sizes =
        SplitSizes(x->dim(axis), ctx.output_count(), has_split ? &split : nullptr, num_outputs_);
    if (!sizes.ok()) return ctx.Error("cannot split ", x->Describe(), ": ", sizes.status().message());
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= x->dim(d);
    for (int64_t d = axis + 1; d < x->rank(); ++d) inner *= x->dim(d);
    const int64_t in_row = x->dim(axis) * inner;
    return DispatchByWidth(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          int64_t column = 0;
          for (size_t o = 0; o < sizes.value().size(); ++o) {
            const int64_t part = sizes.value()[o];
            const int64_t row = part * inner;
            if (ctx.output_requested(o)) {
              Shape shape = x->shape();
              shape[static_cast<size_t>(axis)] = part;
              ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(o, x->type(), shape));
              const T* in = x->data<T>() + column;
              T* out = y->data<T>();
              ThreadPool::For(
                  ctx.thread_pool(), outer,
                  [&](int64_t b, int64_t e) {
                    for (int64_t i = b; i < e; ++i) CopyElements(in + i * in_row, out + i * row, row);
                  },
                  std::max<int64_t>(1, 16384 / std::max<int64_t>(row, 1)));
            }
            column += row;
          }
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  int64_t axis_ = 0, num_outputs_ = 0;
  bool has_split_ = false;
  std::vector<int64_t> split_;
};

Status InferSplit(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  const ir::SymShape* in = ctx.input_shape(0);
  const size_t n = ctx.output_count();
  auto unknown = [&]() {
    for (size_t o = 0; o < n; ++o)
      SetOutputIfKnown(ctx, o, t, in ? std::optional<ir::SymShape>(ir::SymShape(in->size())) : std::nullopt);
    return Status::Ok();
  };
  if (!in) return unknown();
  int64_t axis = ctx.attr_int("axis", 0);
  if (!NormalizeAxis(&axis, static_cast<int64_t>(in->size()))) return ctx.Error("axis ", axis, " is out of range");
  const int64_t opset = ctx.node().opset();
  std::optional<std::vector<int64_t>> split;
  if (opset < 13 && ctx.attr("split")) split = ctx.attr_ints("split");
  if ((opset >= 13 || opset == 1) && ctx.has_input(1)) {
    split = ConstantInts(ctx, 1);
    if (!split) return unknown();
  }
  const ir::Dim& d = (*in)[static_cast<size_t>(axis)];
  std::vector<int64_t> sizes;
  if (split) {
    sizes = *split;
  } else {
    if (!d.known()) return unknown();
    Result<std::vector<int64_t>> r = SplitSizes(d.value, n, nullptr, opset >= 18 ? ctx.attr_int("num_outputs", 0) : 0);
    if (!r.ok()) return ctx.Error(r.status().message());
    sizes = r.take();
  }
  if (sizes.size() != n) return ctx.Error("'split' has ", sizes.size(), " sizes for ", n, " outputs");
  for (size_t o = 0; o < n; ++o) {
    ir::SymShape s = *in;
    s[static_cast<size_t>(axis)] = ir::Dim::Known(sizes[o]);
    SetOutputIfKnown(ctx, o, t, s);
  }
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(SplitKernel, KernelDef("CPU", "", "Split").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Split", InferSplit);

}  // namespace onyx::cpu

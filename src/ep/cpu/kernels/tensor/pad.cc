// Pad: grows (or, with negative pads, crops) each axis. Modes: constant, reflect, edge, and wrap (opset 19).
// Pads come from an attribute before opset 11 ('paddings' at opset 1, 'pads' at 2) and an input after, with
// an optional 'constant_value' input and (opset 18) an 'axes' input naming which axes the pads cover.
#include "common/checked_math.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

enum class PadMode { kConstant, kReflect, kEdge, kWrap };

// The input index an output index reads along one axis, or -1 for the constant.
int64_t MapIndex(int64_t x, int64_t n, PadMode mode) {
  if (x >= 0 && x < n) return x;
  switch (mode) {
    case PadMode::kConstant:
      return -1;
    case PadMode::kEdge:
      return x < 0 ? 0 : n - 1;
    case PadMode::kWrap:
      return ((x % n) + n) % n;
    case PadMode::kReflect: {
      if (n == 1) return 0;
      const int64_t period = 2 * (n - 1);
      int64_t r = ((x % period) + period) % period;
      return r < n ? r : period - r;
    }
  }
  return -1;
}

// Writes the float 'value' attribute of opsets 1-10 as one element of the data's type into *out.
Status FloatToElement(float v, DataType type, Tensor* out, const ir::Node& node) {
  return Dispatch<float, double, Float16, BFloat16, ONYX_INT_TYPES, bool>(
      type,
      [&](auto tag) -> Status {
        using T = decltype(tag);
        if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>) {
          out->data<T>()[0] = FromFloat<T>(v);
        } else {
          out->data<T>()[0] = static_cast<T>(v);
        }
        return Status::Ok();
      },
      node);
}

class PadKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    std::string mode;
    ONYX_RETURN_IF_ERROR(info.GetString("mode", &mode, "constant"));
    if (mode == "constant")
      mode_ = PadMode::kConstant;
    else if (mode == "reflect")
      mode_ = PadMode::kReflect;
    else if (mode == "edge")
      mode_ = PadMode::kEdge;
    else if (mode == "wrap" && info.opset() >= 19)
      mode_ = PadMode::kWrap;
    else
      return info.Error("unsupported mode '", mode, "'");
    if (info.opset() < 11) {
      const char* name = info.opset() < 2 ? "paddings" : "pads";
      if (!info.has_attr(name)) return info.Error("the '", name, "' attribute is required");
      ONYX_RETURN_IF_ERROR(info.GetInts(name, &attr_pads_));
      ONYX_RETURN_IF_ERROR(info.GetFloat("value", &attr_value_, 0.0f));
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'data' is missing");
    const int64_t rank = x->rank();
    std::vector<int64_t> pads = attr_pads_;
    std::vector<int64_t> axes;
    if (ctx.node().opset() >= 11) {
      const Tensor* p = ctx.input(1);
      if (p == nullptr) return ctx.Error("input 'pads' is required");
      ONYX_ASSIGN_OR_RETURN(pads, ReadInt64s(*p, ctx.node(), "input 'pads'"));
      if (const Tensor* a = ctx.input(3)) {
        ONYX_ASSIGN_OR_RETURN(axes, ReadInt64s(*a, ctx.node(), "input 'axes'"));
      }
    }
    if (axes.empty() && !(ctx.node().opset() >= 18 && ctx.input(3) != nullptr)) {
      for (int64_t d = 0; d < rank; ++d) axes.push_back(d);
    }
    if (pads.size() != 2 * axes.size()) {
      return ctx.Error("'pads' has ", pads.size(), " values, expected ", 2 * axes.size(), " for ", x->Describe());
    }
    std::vector<int64_t> begin(static_cast<size_t>(rank), 0), end(static_cast<size_t>(rank), 0);
    for (size_t i = 0; i < axes.size(); ++i) {
      int64_t a = axes[i];
      if (!NormalizeAxis(&a, rank)) return ctx.Error("axis ", axes[i], " is out of range for ", x->Describe());
      begin[static_cast<size_t>(a)] = pads[i];
      end[static_cast<size_t>(a)] = pads[i + axes.size()];
    }
    Shape out_shape(static_cast<size_t>(rank));
    for (size_t d = 0; d < out_shape.size(); ++d) {
      const int64_t n = x->shape()[d];
      if (!CheckedAdd(n, begin[d], &out_shape[d]) || !CheckedAdd(out_shape[d], end[d], &out_shape[d])) {
        return ctx.Error("pads ", ShapeToString(pads), " overflow for ", x->Describe());
      }
      if (out_shape[d] < 0) return ctx.Error("pads ", ShapeToString(pads), " crop more than ", x->Describe(), " holds");
      if (n == 0 && out_shape[d] > 0 && mode_ != PadMode::kConstant) {
        return ctx.Error("cannot pad an empty axis in this mode: ", x->Describe());
      }
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), out_shape));
    if (y->size() == 0) return Status::Ok();
    // Built after the output exists, so each map is no longer than the (allocated) output.
    std::vector<std::vector<int64_t>> maps(static_cast<size_t>(rank));
    for (size_t d = 0; d < out_shape.size(); ++d) {
      maps[d].resize(static_cast<size_t>(out_shape[d]));
      for (int64_t o = 0; o < out_shape[d]; ++o)
        maps[d][static_cast<size_t>(o)] = MapIndex(o - begin[d], x->shape()[d], mode_);
    }

    // The constant as one element of the data's type.
    ONYX_ASSIGN_OR_RETURN(Tensor value, Tensor::Create(x->type(), {}));
    if (ctx.node().opset() < 11) {
      ONYX_RETURN_IF_ERROR(FloatToElement(attr_value_, x->type(), &value, ctx.node()));
    } else if (const Tensor* c = ctx.input(2); c != nullptr && c->size() > 0) {
      if (c->type() != x->type())
        return ctx.Error("'constant_value' ", c->Describe(), " does not match ", x->Describe());
      value = c->Clone();
    }

    const Tensor* src = x;
    Tensor unpacked_in, unpacked_out;
    Tensor* dst = y;
    if (IsSubByte(x->type())) {
      ONYX_ASSIGN_OR_RETURN(unpacked_in, UnpackSubByte(*x));
      ONYX_ASSIGN_OR_RETURN(unpacked_out, Tensor::Create(DataType::kUint8, out_shape));
      ONYX_ASSIGN_OR_RETURN(value, UnpackSubByte(value.Reshaped({1})));
      src = &unpacked_in;
      dst = &unpacked_out;
    }
    ONYX_RETURN_IF_ERROR(DispatchByWidth(
        src->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          Fill<T>(ctx.thread_pool(), src->data<T>(), src->shape(), value.data<T>()[0], maps, dst->data<T>(), out_shape);
          return Status::Ok();
        },
        ctx.node()));
    if (dst != y) PackSubByte(*dst, y);
    return Status::Ok();
  }

 private:
  template <typename T>
  static void Fill(ThreadPool* pool, const T* in, const Shape& in_shape, const T& value,
                   const std::vector<std::vector<int64_t>>& maps, T* out, const Shape& out_shape) {
    const size_t rank = out_shape.size();
    if (rank == 0) {
      out[0] = in[0];
      return;
    }
    const std::vector<int64_t> in_strides = ContiguousStrides(in_shape);
    const int64_t inner = out_shape.back();
    const std::vector<int64_t>& last = maps.back();
    int64_t rows = 1;
    for (size_t d = 0; d + 1 < rank; ++d) rows *= out_shape[d];
    ThreadPool::For(
        pool, rows,
        [&](int64_t b, int64_t e) {
          for (int64_t row = b; row < e; ++row) {
            T* o = out + row * inner;
            int64_t rem = row, offset = 0;
            bool fill = false;
            for (size_t d = rank - 1; d-- > 0;) {
              int64_t src = maps[d][static_cast<size_t>(rem % out_shape[d])];
              rem /= out_shape[d];
              if (src < 0)
                fill = true;
              else
                offset += src * in_strides[d];
            }
            if (fill) {
              std::fill_n(o, inner, value);
              continue;
            }
            const T* i = in + offset;
            for (int64_t j = 0; j < inner; ++j) {
              int64_t s = last[static_cast<size_t>(j)];
              o[j] = s < 0 ? value : i[s];
            }
          }
        },
        std::max<int64_t>(1, 4096 / std::max<int64_t>(inner, 1)));
  }

  PadMode mode_ = PadMode::kConstant;
  std::vector<int64_t> attr_pads_;
  float attr_value_ = 0.0f;
};

Status InferPad(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  const ir::SymShape* in = ctx.input_shape(0);
  if (!in) {
    SetOutputIfKnown(ctx, 0, t, std::nullopt);
    return Status::Ok();
  }
  const int64_t rank = static_cast<int64_t>(in->size());
  std::optional<std::vector<int64_t>> pads, axes;
  if (ctx.node().opset() < 11) {
    pads = ctx.attr_ints(ctx.node().opset() < 2 ? "paddings" : "pads");
  } else {
    pads = ConstantInts(ctx, 1);
    if (ctx.has_input(3)) axes = ConstantInts(ctx, 3);
  }
  if (!axes && !(ctx.node().opset() >= 18 && ctx.has_input(3))) {
    axes = std::vector<int64_t>{};
    for (int64_t d = 0; d < rank; ++d) axes->push_back(d);
  }
  if (!pads || !axes || pads->size() != 2 * axes->size()) {
    SetOutputIfKnown(ctx, 0, t, ir::SymShape(in->size()));
    return Status::Ok();
  }
  ir::SymShape out = *in;
  for (size_t i = 0; i < axes->size(); ++i) {
    int64_t a = (*axes)[i];
    if (!NormalizeAxis(&a, rank)) return ctx.Error("axis ", (*axes)[i], " is out of range");
    ir::Dim& d = out[static_cast<size_t>(a)];
    const int64_t delta = (*pads)[i] + (*pads)[i + axes->size()];
    if (d.known())
      d = ir::Dim::Known(d.value + delta);
    else if (delta != 0)
      d = ir::Dim{};
  }
  SetOutputIfKnown(ctx, 0, t, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(PadKernel, KernelDef("CPU", "", "Pad").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Pad", InferPad);

}  // namespace onyx::cpu

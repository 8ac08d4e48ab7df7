// MaxUnpool: scatters X into a zeroed output at the flat positions that
// MaxPool's Indices recorded.
#include <cstring>
#include <vector>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

class MaxUnpoolKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInts("kernel_shape", &kernel_, std::vector<int64_t>{}));
    ONYX_RETURN_IF_ERROR(info.GetInts("strides", &strides_, std::vector<int64_t>{}));
    ONYX_RETURN_IF_ERROR(info.GetInts("pads", &pads_, std::vector<int64_t>{}));
    if (kernel_.empty()) return info.Error("attribute kernel_shape is required");
    const size_t rank = kernel_.size();
    if ((!strides_.empty() && strides_.size() != rank) || (!pads_.empty() && pads_.size() != 2 * rank))
      return info.Error("strides and pads must match kernel_shape's ", rank, " axes");
    for (int64_t v : kernel_)
      if (v <= 0) return info.Error("kernel_shape values must be positive");
    for (int64_t v : strides_)
      if (v <= 0) return info.Error("strides must be positive");
    for (int64_t v : pads_)
      if (v < 0) return info.Error("pads must not be negative");
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* ind = ctx.input(1);
    const Tensor* shape_in = ctx.input(2);
    if (!x || !ind) return ctx.Error("inputs X and I are required");
    const size_t rank = kernel_.size();
    if (x->rank() != static_cast<int64_t>(rank) + 2)
      return ctx.Error("X ", x->Describe(), " must have ", rank + 2, " dims for kernel_shape");
    if (ind->type() != DataType::kInt64 || ind->shape() != x->shape())
      return ctx.Error("I ", ind->Describe(), " must be int64 with X's shape ", ShapeToString(x->shape()));
    Shape out = {x->dim(0), x->dim(1)};
    for (size_t i = 0; i < rank; ++i) {
      const int64_t s = strides_.empty() ? 1 : strides_[i];
      const int64_t p = pads_.empty() ? 0 : pads_[i] + pads_[i + rank];
      out.push_back((x->dim(static_cast<int64_t>(i) + 2) - 1) * s + kernel_[i] - p);
    }
    if (shape_in) {
      if (shape_in->type() != DataType::kInt64 || shape_in->size() != static_cast<int64_t>(rank) + 2)
        return ctx.Error("output_shape ", shape_in->Describe(), " must be int64 with ", rank + 2, " values");
      out.assign(shape_in->data<int64_t>(), shape_in->data<int64_t>() + rank + 2);
      if (out[0] != x->dim(0) || out[1] != x->dim(1)) return ctx.Error("output_shape must keep X's N and C");
    }
    for (int64_t d : out)
      if (d < 0) return ctx.Error("output shape ", ShapeToString(out), " has a negative dim");
    // Indices count positions in the default output; an explicit output_shape
    // moves them to its own layout.
    Shape default_shape = {x->dim(0), x->dim(1)};
    for (size_t i = 0; i < rank; ++i) {
      const int64_t s = strides_.empty() ? 1 : strides_[i];
      const int64_t p = pads_.empty() ? 0 : pads_[i] + pads_[i + rank];
      default_shape.push_back((x->dim(static_cast<int64_t>(i) + 2) - 1) * s + kernel_[i] - p);
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), out));
    const int64_t total = y->size(), n = x->size();
    std::vector<int64_t> idx(ind->data<int64_t>(), ind->data<int64_t>() + n);
    if (default_shape != out) {
      int64_t plane_in = 1, plane_out = 1;
      for (size_t i = 2; i < out.size(); ++i) {
        plane_in *= default_shape[i];
        plane_out *= out[i];
      }
      for (int64_t& v : idx) {
        if (v < 0 || plane_in <= 0) continue;  // rejected below
        int64_t within = v % plane_in, moved = 0, stride = 1;
        const int64_t nc = v / plane_in;
        for (size_t i = out.size(); i-- > 2;) {
          const int64_t coord = within % default_shape[i];
          within /= default_shape[i];
          if (coord >= out[i]) return ctx.Error("index ", v, " in I falls outside output_shape ", ShapeToString(out));
          moved += coord * stride;
          stride *= out[i];
        }
        v = nc * plane_out + moved;
      }
    }
    for (int64_t i = 0; i < n; ++i) {
      if (idx[i] < 0 || idx[i] >= total)
        return ctx.Error("index ", idx[i], " in I is outside the output's ", total, " elements");
    }
    // Copy element bytes: no arithmetic, so every element type works the same
    // way.
    const int64_t width = DataTypeBits(x->type()) / 8;
    const char* src = static_cast<const char*>(x->raw());
    char* dst = static_cast<char*>(y->raw());
    for (int64_t i = 0; i < n; ++i) std::memcpy(dst + idx[i] * width, src + i * width, static_cast<size_t>(width));
    return Status::Ok();
  }

 private:
  std::vector<int64_t> kernel_, strides_, pads_;
};

Status InferMaxUnpool(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  if (t == DataType::kUndefined) return Status::Ok();
  const ir::SymShape* x = ctx.input_shape(0);
  if (!x || ctx.has_input(2)) {
    ctx.SetOutput(0, t, x ? std::optional<ir::SymShape>(ir::SymShape(x->size())) : std::nullopt);
    return Status::Ok();
  }
  const auto kernel = ctx.attr_ints("kernel_shape"), strides = ctx.attr_ints("strides"), pads = ctx.attr_ints("pads");
  const size_t rank = kernel.size();
  if (x->size() != rank + 2) return Status::Ok();
  ir::SymShape out = {(*x)[0], (*x)[1]};
  for (size_t i = 0; i < rank; ++i) {
    const ir::Dim& d = (*x)[i + 2];
    const int64_t s = strides.size() == rank ? strides[i] : 1;
    const int64_t p = pads.size() == 2 * rank ? pads[i] + pads[i + rank] : 0;
    out.push_back(d.known() ? ir::Dim::Known((d.value - 1) * s + kernel[i] - p) : ir::Dim{});
  }
  ctx.SetOutput(0, t, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(MaxUnpoolKernel, KernelDef("CPU", "", "MaxUnpool").Versions(9).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "MaxUnpool", InferMaxUnpool);

}  // namespace onyx::cpu

// CenterCropPad (opset 18): crops or zero-pads the chosen axes to the requested extents around the center.
// A crop starts at floor((in - out) / 2); a pad puts floor((out - in) / 2) before and the rest after.
#include <algorithm>
#include <complex>
#include <string>
#include <vector>

#include "ep/cpu/kernels/dispatch.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

// Copies the overlap of input and output, where output index j on axis d reads input index j + offset[d].
template <typename T>
void CopyWindow(const T* x, T* y, const Shape& in, const Shape& out, const std::vector<int64_t>& offset) {
  const size_t r = in.size();
  std::vector<int64_t> in_stride(r, 1), out_stride(r, 1);
  for (size_t d = r; d-- > 1;) {
    in_stride[d - 1] = in_stride[d] * in[d];
    out_stride[d - 1] = out_stride[d] * out[d];
  }
  // Output range on each axis that maps inside the input.
  std::vector<int64_t> lo(r), hi(r);
  for (size_t d = 0; d < r; ++d) {
    lo[d] = std::max<int64_t>(0, -offset[d]);
    hi[d] = std::min<int64_t>(out[d], in[d] - offset[d]);
    if (lo[d] >= hi[d]) return;
  }
  if (r == 0) {
    y[0] = x[0];
    return;
  }
  std::vector<int64_t> j(lo.begin(), lo.end());
  while (true) {
    int64_t src = 0, dst = 0;
    for (size_t d = 0; d < r; ++d) {
      src += (j[d] + offset[d]) * in_stride[d];
      dst += j[d] * out_stride[d];
    }
    for (int64_t k = 0; k < hi[r - 1] - lo[r - 1]; ++k) y[dst + k] = x[src + k];
    size_t d = r - 1;
    while (d-- > 0) {
      if (++j[d] < hi[d]) break;
      j[d] = lo[d];
    }
    if (d == static_cast<size_t>(-1)) break;
  }
}

class CenterCropPadKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return info.GetInts("axes", &axes_, std::vector<int64_t>{}); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* shape = ctx.input(1);
    if (!x || !shape) return ctx.Error("inputs input_data and shape are required");
    if (shape->rank() != 1 || (shape->type() != DataType::kInt64 && shape->type() != DataType::kInt32)) {
      return ctx.Error("shape must be a 1-D int32 or int64 tensor, got ", shape->Describe());
    }
    const int64_t r = x->rank();
    std::vector<int64_t> axes = axes_;
    if (axes.empty()) {
      for (int64_t d = 0; d < r; ++d) axes.push_back(d);
    }
    if (static_cast<int64_t>(axes.size()) != shape->size()) {
      return ctx.Error("shape has ", shape->size(), " values but ", axes.size(), " axes are given");
    }
    Shape out = x->shape();
    std::vector<int64_t> offset(static_cast<size_t>(r), 0);
    std::vector<bool> seen(static_cast<size_t>(r), false);
    for (size_t i = 0; i < axes.size(); ++i) {
      int64_t a = axes[i];
      if (a < -r || a >= r) return ctx.Error("axis ", a, " is out of range for ", x->Describe());
      if (a < 0) a += r;
      if (seen[a]) return ctx.Error("axis ", a, " is repeated");
      seen[a] = true;
      const int64_t target = shape->type() == DataType::kInt64 ? shape->data<int64_t>()[i] : shape->data<int32_t>()[i];
      if (target < 0) return ctx.Error("shape values must be non-negative, got ", target);
      const int64_t in = x->dim(a);
      out[a] = target;
      offset[a] = target <= in ? (in - target) / 2 : -((target - in) / 2);
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), out));
    if (y->size() == 0 || x->size() == 0) return Status::Ok();
    return Dispatch<float, double, Float16, BFloat16, int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t,
                    uint64_t, bool, std::string, std::complex<float>, std::complex<double>>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          CopyWindow<T>(x->data<T>(), y->data<T>(), x->shape(), out, offset);
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  std::vector<int64_t> axes_;
};

Status InferCenterCropPad(ir::InferenceContext& ctx) {
  const DataType type = ctx.input_elem_type(0);
  const ir::SymShape* in = ctx.input_shape(0);
  if (!in) {
    ctx.SetOutput(0, type, std::nullopt);
    return Status::Ok();
  }
  ir::SymShape out = *in;
  const Tensor* shape = ctx.input_constant(1);
  const int64_t r = static_cast<int64_t>(in->size());
  std::vector<int64_t> axes = ctx.attr_ints("axes");
  if (axes.empty()) {
    for (int64_t d = 0; d < r; ++d) axes.push_back(d);
  }
  for (int64_t& a : axes) {
    if (a < -r || a >= r) return ctx.Error("axis ", a, " is out of range for rank ", r);
    if (a < 0) a += r;
  }
  const bool known = shape && shape->rank() == 1 && static_cast<size_t>(shape->size()) == axes.size() &&
                     (shape->type() == DataType::kInt64 || shape->type() == DataType::kInt32);
  for (size_t i = 0; i < axes.size(); ++i) {
    if (!known) {
      out[axes[i]] = ir::Dim{};
      continue;
    }
    const int64_t v = shape->type() == DataType::kInt64 ? shape->data<int64_t>()[i] : shape->data<int32_t>()[i];
    out[axes[i]] = v >= 0 ? ir::Dim::Known(v) : ir::Dim{};
  }
  ctx.SetOutput(0, type, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(CenterCropPadKernel, KernelDef("CPU", "", "CenterCropPad").Versions(18));
ONYX_REGISTER_SHAPE_INFERENCE("", "CenterCropPad", InferCenterCropPad);

}  // namespace onyx::cpu

// StringConcat: element-wise concatenation of two string tensors, with numpy broadcasting.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class StringConcatKernel final : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* y = ctx.input(1);
    if (x == nullptr || y == nullptr || x->type() != DataType::kString || y->type() != DataType::kString) {
      return ctx.Error("both inputs must be string tensors");
    }
    const size_t rank = std::max(x->shape().size(), y->shape().size());
    Shape out_shape(rank);
    std::vector<int64_t> xs(rank, 0), ys(rank, 0);  // strides, 0 where broadcast
    int64_t x_stride = 1, y_stride = 1;
    for (size_t i = rank; i-- > 0;) {
      const size_t xo = rank - x->shape().size(), yo = rank - y->shape().size();
      const int64_t dx = i >= xo ? x->shape()[i - xo] : 1;
      const int64_t dy = i >= yo ? y->shape()[i - yo] : 1;
      if (dx != dy && dx != 1 && dy != 1) {
        return ctx.Error("shapes ", ShapeToString(x->shape()), " and ", ShapeToString(y->shape()), " do not broadcast");
      }
      out_shape[i] = dx == 1 ? dy : dx;
      xs[i] = dx == 1 ? 0 : x_stride;
      ys[i] = dy == 1 ? 0 : y_stride;
      x_stride *= dx;
      y_stride *= dy;
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(0, DataType::kString, out_shape));
    const std::string* xv = x->data<std::string>();
    const std::string* yv = y->data<std::string>();
    std::string* dst = out->data<std::string>();
    // Concatenation is the one way a model makes strings grow (a chain of them doubles a string per node):
    // measure before building. Sizes are below 2^62 each, so the sums cannot overflow.
    auto walk = [&](auto&& visit) {
      std::vector<int64_t> idx(rank, 0);
      int64_t xi = 0, yi = 0;
      for (int64_t n = 0; n < out->size(); ++n) {
        visit(n, xv[xi], yv[yi]);
        for (size_t d = rank; d-- > 0;) {
          xi += xs[d];
          yi += ys[d];
          if (++idx[d] < out_shape[d]) break;
          xi -= xs[d] * out_shape[d];
          yi -= ys[d] * out_shape[d];
          idx[d] = 0;
        }
      }
    };
    int64_t longest = 0, total = 0;
    walk([&](int64_t, const std::string& a, const std::string& b) {
      const auto len = static_cast<int64_t>(a.size() + b.size());
      longest = std::max(longest, len);
      total = total > INT64_MAX - len ? INT64_MAX : total + len;
    });
    ONYX_RETURN_IF_ERROR(ctx.CheckStringBytes(longest, total));
    walk([&](int64_t n, const std::string& a, const std::string& b) {
      dst[n].reserve(a.size() + b.size());
      dst[n] = a;
      dst[n] += b;
    });
    return Status::Ok();
  }
};

Status InferStringConcat(ir::InferenceContext& ctx) {
  const ir::SymShape* a = ctx.input_shape(0);
  const ir::SymShape* b = ctx.input_shape(1);
  std::optional<ir::SymShape> shape;
  if (a && b) {
    ONYX_ASSIGN_OR_RETURN(ir::SymShape s, ir::BroadcastShapes(*a, *b));
    shape = std::move(s);
  }
  ctx.SetOutput(0, DataType::kString, shape);
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(StringConcatKernel, KernelDef("CPU", "", "StringConcat").Versions(20));
ONYX_REGISTER_SHAPE_INFERENCE("", "StringConcat", InferStringConcat);

}  // namespace
}  // namespace onyx::cpu

// AffineGrid (opset 20): the sampling grid for GridSample from affine matrices theta, (N, 2, 3) for 2-D or
// (N, 3, 4) for 3-D, and the target size (N, C, H, W) or (N, C, D, H, W). Output (N, H, W, 2) or
// (N, D, H, W, 3) with coordinates listed x first.
#include <vector>

#include "common/checked_math.h"
#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

// Normalized position of sample i of n along one axis.
double BaseCoordinate(int64_t i, int64_t n, bool align_corners) {
  if (align_corners) return n == 1 ? -1.0 : -1.0 + 2.0 * static_cast<double>(i) / static_cast<double>(n - 1);
  return -1.0 + (2.0 * static_cast<double>(i) + 1.0) / static_cast<double>(n);
}

class AffineGridKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    int64_t align = 0;
    ONYX_RETURN_IF_ERROR(info.GetInt("align_corners", &align, 0));
    align_corners_ = align != 0;
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* theta = ctx.input(0);
    const Tensor* size = ctx.input(1);
    if (!theta || !size) return ctx.Error("inputs theta and size are required");
    if (size->type() != DataType::kInt64 || size->rank() != 1 || (size->size() != 4 && size->size() != 5)) {
      return ctx.Error("size must be int64 [N, C, H, W] or [N, C, D, H, W], got ", size->Describe());
    }
    const auto sz = size->values<int64_t>();
    const int64_t r = size->size() - 2;  // spatial rank: 2 or 3
    const int64_t n = sz[0];
    if (theta->rank() != 3 || theta->dim(0) != n || theta->dim(1) != r || theta->dim(2) != r + 1) {
      return ctx.Error("theta must have shape (", n, ", ", r, ", ", r + 1, "), got ", theta->Describe());
    }
    for (int64_t v : sz) {
      if (v < 0) return ctx.Error("size values must be non-negative, got ", v);
    }
    Shape out_shape = {n};
    for (int64_t d = 2; d < size->size(); ++d) out_shape.push_back(sz[d]);
    out_shape.push_back(r);
    int64_t count = 0;
    if (!CheckedElementCount(out_shape, &count)) return ctx.Error("output size overflows");
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, theta->type(), out_shape));
    if (count == 0) return Status::Ok();
    const std::vector<double> th = ToDoubleVector(*theta);
    std::vector<double> out(static_cast<size_t>(count));
    // Spatial sizes ordered (D,) H, W; the base point is (x, y[, z]) with x along W.
    const int64_t depth = r == 3 ? sz[2] : 1, height = sz[size->size() - 2], width = sz[size->size() - 1];
    const int64_t points = depth * height * width;
    ThreadPool::For(
        ctx.thread_pool(), n * points,
        [&](int64_t begin, int64_t end) {
          for (int64_t bp = begin; bp < end; ++bp) {
            const int64_t b = bp / points, p = bp % points;
            const int64_t w = p % width, h = (p / width) % height, d = p / (width * height);
            double base[4] = {BaseCoordinate(w, width, align_corners_), BaseCoordinate(h, height, align_corners_), 0,
                              0};
            if (r == 3) base[2] = BaseCoordinate(d, depth, align_corners_);
            base[r] = 1.0;
            const double* t = th.data() + b * r * (r + 1);
            for (int64_t i = 0; i < r; ++i) {
              double acc = 0;
              for (int64_t k = 0; k <= r; ++k) acc += t[i * (r + 1) + k] * base[k];
              out[static_cast<size_t>(bp * r + i)] = acc;
            }
          }
        },
        64);
    FromDoubleVector(out, y);
    return Status::Ok();
  }

 private:
  bool align_corners_ = false;
};

Status InferAffineGrid(ir::InferenceContext& ctx) {
  const DataType type = ctx.input_elem_type(0);
  const Tensor* size = ctx.input_constant(1);
  if (size && size->type() == DataType::kInt64 && (size->size() == 4 || size->size() == 5)) {
    const auto sz = size->values<int64_t>();
    ir::SymShape out = {ir::Dim::Known(sz[0])};
    for (int64_t d = 2; d < size->size(); ++d) out.push_back(ir::Dim::Known(sz[d]));
    out.push_back(ir::Dim::Known(size->size() - 2));
    ctx.SetOutput(0, type, out);
    return Status::Ok();
  }
  const ir::SymShape* s = ctx.input_shape(1);
  if (s && s->size() == 1 && ((*s)[0].value == 4 || (*s)[0].value == 5)) {
    ir::SymShape out(static_cast<size_t>((*s)[0].value));
    out.back() = ir::Dim::Known((*s)[0].value - 2);
    ctx.SetOutput(0, type, out);
    return Status::Ok();
  }
  ctx.SetOutput(0, type, std::nullopt);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(AffineGridKernel, KernelDef("CPU", "", "AffineGrid").Versions(20).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "AffineGrid", InferAffineGrid);

}  // namespace onyx::cpu

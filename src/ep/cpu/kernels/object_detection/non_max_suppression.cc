// NonMaxSuppression (opsets 10, 11): per batch and class, greedily keeps the highest-scoring boxes and drops
// those overlapping a kept box by IoU > iou_threshold. Boxes are corners [y1, x1, y2, x2] (either diagonal)
// or, with center_point_box = 1, [x_center, y_center, width, height]. Output: selected (batch, class, box)
// triples, batch-major, then class, then selection order.
#include <algorithm>
#include <cmath>
#include <vector>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

struct Box {
  double y1, x1, y2, x2, area;
};

double IntersectionOverUnion(const Box& a, const Box& b) {
  const double ih = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
  const double iw = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
  if (ih <= 0 || iw <= 0 || a.area <= 0 || b.area <= 0) return 0.0;
  const double inter = ih * iw;
  return inter / (a.area + b.area - inter);
}

// Reads an optional scalar (or one-element) input.
template <typename T>
Status ScalarInput(const KernelContext& ctx, size_t i, const char* name, T* out) {
  const Tensor* t = ctx.input(i);
  if (!t) return Status::Ok();
  if (t->size() == 0) return Status::Ok();
  if (t->size() != 1) return ctx.Error(name, " must hold one value, got ", t->Describe());
  if constexpr (std::is_integral_v<T>) {
    if (t->type() != DataType::kInt64) return ctx.Error(name, " must be int64, got ", t->Describe());
    *out = t->data<int64_t>()[0];
  } else {
    if (!IsFloatingPoint(t->type())) return ctx.Error(name, " must be floating point, got ", t->Describe());
    *out = ToDoubleVector(*t)[0];
  }
  return Status::Ok();
}

class NonMaxSuppressionKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("center_point_box", &center_point_box_, 0));
    if (center_point_box_ != 0 && center_point_box_ != 1) {
      return info.Error("center_point_box must be 0 or 1, got ", center_point_box_);
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* boxes = ctx.input(0);
    const Tensor* scores = ctx.input(1);
    if (!boxes || !scores) return ctx.Error("inputs boxes and scores are required");
    if (boxes->rank() != 3 || boxes->dim(2) != 4) {
      return ctx.Error("boxes must be (num_batches, spatial_dimension, 4), got ", boxes->Describe());
    }
    if (scores->rank() != 3 || scores->dim(0) != boxes->dim(0) || scores->dim(2) != boxes->dim(1)) {
      return ctx.Error("scores must be (num_batches, num_classes, spatial_dimension) matching boxes ",
                       boxes->Describe(), ", got ", scores->Describe());
    }
    if (!IsFloatingPoint(boxes->type()) || !IsFloatingPoint(scores->type())) {
      return ctx.Error("boxes and scores must be floating point");
    }
    int64_t max_per_class = 0;
    double iou_threshold = 0.0, score_threshold = 0.0;
    ONYX_RETURN_IF_ERROR(ScalarInput(ctx, 2, "max_output_boxes_per_class", &max_per_class));
    ONYX_RETURN_IF_ERROR(ScalarInput(ctx, 3, "iou_threshold", &iou_threshold));
    const bool has_score_threshold = ctx.input(4) && ctx.input(4)->size() > 0;
    ONYX_RETURN_IF_ERROR(ScalarInput(ctx, 4, "score_threshold", &score_threshold));
    if (iou_threshold < 0 || iou_threshold > 1) {
      return ctx.Error("iou_threshold must be within [0, 1], got ", iou_threshold);
    }
    const int64_t batches = boxes->dim(0), spatial = boxes->dim(1), classes = scores->dim(1);
    std::vector<int64_t> selected;  // triples
    if (max_per_class > 0 && spatial > 0) {
      const std::vector<double> b = ToDoubleVector(*boxes);
      const std::vector<double> s = ToDoubleVector(*scores);
      std::vector<Box> all(static_cast<size_t>(batches * spatial));
      for (size_t i = 0; i < all.size(); ++i) {
        const double* v = &b[i * 4];
        Box& box = all[i];
        if (center_point_box_) {
          box.x1 = v[0] - v[2] / 2;
          box.x2 = v[0] + v[2] / 2;
          box.y1 = v[1] - v[3] / 2;
          box.y2 = v[1] + v[3] / 2;
        } else {
          box.y1 = std::min(v[0], v[2]);
          box.y2 = std::max(v[0], v[2]);
          box.x1 = std::min(v[1], v[3]);
          box.x2 = std::max(v[1], v[3]);
        }
        box.area = (box.y2 - box.y1) * (box.x2 - box.x1);
      }
      std::vector<int64_t> order, kept;
      for (int64_t n = 0; n < batches; ++n) {
        const Box* bx = all.data() + n * spatial;
        for (int64_t c = 0; c < classes; ++c) {
          const double* sc = s.data() + (n * classes + c) * spatial;
          order.clear();
          for (int64_t i = 0; i < spatial; ++i) {
            if (!has_score_threshold || sc[i] > score_threshold) order.push_back(i);
          }
          // Highest score first; equal scores keep the lower box index first.
          std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t z) { return sc[a] > sc[z]; });
          kept.clear();
          for (int64_t i : order) {
            if (static_cast<int64_t>(kept.size()) >= max_per_class) break;
            bool suppressed = false;
            for (int64_t k : kept) {
              if (IntersectionOverUnion(bx[i], bx[k]) > iou_threshold) {
                suppressed = true;
                break;
              }
            }
            if (suppressed) continue;
            kept.push_back(i);
            selected.insert(selected.end(), {n, c, i});
          }
        }
      }
    }
    const int64_t count = static_cast<int64_t>(selected.size() / 3);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kInt64, Shape{count, 3}));
    std::copy(selected.begin(), selected.end(), y->data<int64_t>());
    return Status::Ok();
  }

 private:
  int64_t center_point_box_ = 0;
};

Status InferNonMaxSuppression(ir::InferenceContext& ctx) {
  ctx.SetOutput(0, DataType::kInt64, ir::SymShape{ir::Dim{}, ir::Dim::Known(3)});
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(NonMaxSuppressionKernel, KernelDef("CPU", "", "NonMaxSuppression").Versions(10));
ONYX_REGISTER_SHAPE_INFERENCE("", "NonMaxSuppression", InferNonMaxSuppression);

}  // namespace onyx::cpu

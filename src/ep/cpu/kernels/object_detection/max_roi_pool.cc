// MaxRoiPool (opsets 1, 22): max-pools each region of interest [batch_index, x1, y1, x2, y2] of X (N, C, H, W)
// into a pooled_shape grid. Regions are scaled by spatial_scale and rounded to whole pixels; bins are split
// with floor/ceil so that they cover the region, and an empty bin gives 0.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

int64_t RoundToPixel(double v) {
  if (std::isnan(v)) return 0;
  return static_cast<int64_t>(std::clamp(std::round(v), -1e15, 1e15));
}

class MaxRoiPoolKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if (!info.has_attr("pooled_shape")) return info.Error("attribute pooled_shape is required");
    ONYX_RETURN_IF_ERROR(info.GetInts("pooled_shape", &pooled_));
    if (pooled_.size() != 2 || pooled_[0] <= 0 || pooled_[1] <= 0) {
      return info.Error("pooled_shape must be two positive values");
    }
    ONYX_RETURN_IF_ERROR(info.GetFloat("spatial_scale", &spatial_scale_, 1.0f));
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* rois = ctx.input(1);
    if (!x || !rois) return ctx.Error("inputs X and rois are required");
    if (x->rank() != 4) return ctx.Error("X must be 4-D (N, C, H, W), got ", x->Describe());
    if (rois->rank() != 2 || rois->dim(1) != 5) return ctx.Error("rois must be (num_rois, 5), got ", rois->Describe());
    if (!IsFloatingPoint(rois->type())) return ctx.Error("rois must be floating point");
    const int64_t num_rois = rois->dim(0), channels = x->dim(1), height = x->dim(2), width = x->dim(3);
    const int64_t ph_n = pooled_[0], pw_n = pooled_[1];
    const std::vector<double> r = ToDoubleVector(*rois);
    for (int64_t n = 0; n < num_rois; ++n) {
      const double b = r[n * 5];
      if (!(b >= 0) || b >= static_cast<double>(x->dim(0))) {
        return ctx.Error("rois[", n, "] has batch index ", b, " out of range for X ", x->Describe());
      }
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), Shape{num_rois, channels, ph_n, pw_n}));
    if (y->size() == 0) return Status::Ok();
    ONYX_ASSIGN_OR_RETURN(Tensor xc, AsComputeTensor(ctx, *x));
    ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
    Status st = Dispatch<float, double>(
        xc.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* xd = xc.data<T>();
          T* yd = yc.data<T>();
          ThreadPool::For(
              ctx.thread_pool(), num_rois * channels,
              [&](int64_t begin, int64_t end) {
                for (int64_t nc = begin; nc < end; ++nc) {
                  const int64_t n = nc / channels, c = nc % channels;
                  const double* roi = &r[n * 5];
                  const int64_t batch = static_cast<int64_t>(roi[0]);
                  const int64_t x1 = RoundToPixel(roi[1] * spatial_scale_), y1 = RoundToPixel(roi[2] * spatial_scale_);
                  const int64_t x2 = RoundToPixel(roi[3] * spatial_scale_), y2 = RoundToPixel(roi[4] * spatial_scale_);
                  const double roi_h = static_cast<double>(std::max<int64_t>(y2 - y1 + 1, 1));
                  const double roi_w = static_cast<double>(std::max<int64_t>(x2 - x1 + 1, 1));
                  const double bin_h = roi_h / static_cast<double>(ph_n), bin_w = roi_w / static_cast<double>(pw_n);
                  const T* plane = xd + (batch * channels + c) * height * width;
                  T* out = yd + nc * ph_n * pw_n;
                  for (int64_t ph = 0; ph < ph_n; ++ph) {
                    const int64_t h0 =
                        std::clamp<int64_t>(static_cast<int64_t>(std::floor(ph * bin_h)) + y1, 0, height);
                    const int64_t h1 =
                        std::clamp<int64_t>(static_cast<int64_t>(std::ceil((ph + 1) * bin_h)) + y1, 0, height);
                    for (int64_t pw = 0; pw < pw_n; ++pw) {
                      const int64_t w0 =
                          std::clamp<int64_t>(static_cast<int64_t>(std::floor(pw * bin_w)) + x1, 0, width);
                      const int64_t w1 =
                          std::clamp<int64_t>(static_cast<int64_t>(std::ceil((pw + 1) * bin_w)) + x1, 0, width);
                      if (h1 <= h0 || w1 <= w0) {
                        out[ph * pw_n + pw] = T(0);
                        continue;
                      }
                      T m = std::numeric_limits<T>::lowest();
                      for (int64_t h = h0; h < h1; ++h) {
                        for (int64_t w = w0; w < w1; ++w) m = std::max(m, plane[h * width + w]);
                      }
                      out[ph * pw_n + pw] = m;
                    }
                  }
                }
              },
              1);
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    return Status::Ok();
  }

 private:
  std::vector<int64_t> pooled_;
  float spatial_scale_ = 1.0f;
};

Status InferMaxRoiPool(ir::InferenceContext& ctx) {
  const DataType type = ctx.input_elem_type(0);
  const ir::SymShape* x = ctx.input_shape(0);
  const ir::SymShape* rois = ctx.input_shape(1);
  const std::vector<int64_t> pooled = ctx.attr_ints("pooled_shape");
  ir::SymShape out(4);
  if (rois && !rois->empty()) out[0] = (*rois)[0];
  if (x && x->size() == 4) out[1] = (*x)[1];
  if (pooled.size() == 2) {
    out[2] = ir::Dim::Known(pooled[0]);
    out[3] = ir::Dim::Known(pooled[1]);
  }
  ctx.SetOutput(0, type, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(MaxRoiPoolKernel, KernelDef("CPU", "", "MaxRoiPool").Versions(1).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "MaxRoiPool", InferMaxRoiPool);

}  // namespace onyx::cpu

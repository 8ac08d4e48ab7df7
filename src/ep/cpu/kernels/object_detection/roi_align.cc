// RoiAlign (opsets 10, 16, 22): pools each region of interest of X (N, C, H, W) into an
// output_height x output_width grid by bilinear sampling, averaging ("avg") or taking the maximum ("max").
// Opset 10 has no coordinate_transformation_mode and behaves as output_half_pixel; from 16 the default is
// half_pixel. Max mode takes, per sample point, the largest of the four weighted corner values, and then the
// largest over the samples of a bin: that is what the specification's reference (and ONNX Runtime) compute.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

// One axis of a bilinear sample: the two neighbouring positions and their weights. A sample more than one
// pixel outside the plane reads nothing.
// Positions are computed in the element type (float for float data): samples that land exactly on the border
// fall inside or outside depending on that rounding, and the reference computes in the element type too.
template <typename C>
struct AxisSample {
  int64_t lo = 0, hi = 0;
  C w_lo = 0, w_hi = 0;
  bool valid = false;
};

template <typename C>
AxisSample<C> MakeAxisSample(C v, int64_t size) {
  AxisSample<C> s;
  if (!(v >= C(-1) && v <= static_cast<C>(size))) return s;  // also rejects NaN
  s.valid = true;
  v = std::max(v, C(0));
  s.lo = static_cast<int64_t>(v);
  if (s.lo >= size - 1) {
    s.lo = s.hi = size - 1;
    v = static_cast<C>(s.lo);
  } else {
    s.hi = s.lo + 1;
  }
  s.w_hi = v - static_cast<C>(s.lo);
  s.w_lo = 1 - s.w_hi;
  return s;
}

class RoiAlignKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    std::string mode, coord;
    ONYX_RETURN_IF_ERROR(info.GetString("mode", &mode, std::string("avg")));
    if (mode != "avg" && mode != "max") return info.Error("mode must be avg or max, got '", mode, "'");
    max_mode_ = mode == "max";
    ONYX_RETURN_IF_ERROR(info.GetInt("output_height", &out_h_, 1));
    ONYX_RETURN_IF_ERROR(info.GetInt("output_width", &out_w_, 1));
    ONYX_RETURN_IF_ERROR(info.GetInt("sampling_ratio", &sampling_ratio_, 0));
    ONYX_RETURN_IF_ERROR(info.GetFloat("spatial_scale", &spatial_scale_, 1.0f));
    if (out_h_ <= 0 || out_w_ <= 0) return info.Error("output_height and output_width must be positive");
    if (sampling_ratio_ < 0) return info.Error("sampling_ratio must be >= 0, got ", sampling_ratio_);
    ONYX_RETURN_IF_ERROR(info.GetString("coordinate_transformation_mode", &coord,
                                        std::string(info.opset() < 16 ? "output_half_pixel" : "half_pixel")));
    if (coord != "half_pixel" && coord != "output_half_pixel") {
      return info.Error("coordinate_transformation_mode must be half_pixel or output_half_pixel, got '", coord, "'");
    }
    half_pixel_ = coord == "half_pixel";
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* rois = ctx.input(1);
    const Tensor* batch_indices = ctx.input(2);
    if (!x || !rois || !batch_indices) return ctx.Error("inputs X, rois and batch_indices are required");
    if (x->rank() != 4) return ctx.Error("X must be 4-D (N, C, H, W), got ", x->Describe());
    if (rois->rank() != 2 || rois->dim(1) != 4) return ctx.Error("rois must be (num_rois, 4), got ", rois->Describe());
    if (!IsFloatingPoint(rois->type())) return ctx.Error("rois must be floating point, got ", rois->Describe());
    if (batch_indices->rank() != 1 || batch_indices->dim(0) != rois->dim(0) ||
        (batch_indices->type() != DataType::kInt64 && batch_indices->type() != DataType::kInt32)) {
      return ctx.Error("batch_indices must be 1-D int64 with one entry per roi, got ", batch_indices->Describe());
    }
    const int64_t num_rois = rois->dim(0), channels = x->dim(1), height = x->dim(2), width = x->dim(3);
    std::vector<int64_t> batch(static_cast<size_t>(num_rois));
    for (int64_t i = 0; i < num_rois; ++i) {
      batch[i] = batch_indices->type() == DataType::kInt64 ? batch_indices->data<int64_t>()[i]
                                                           : batch_indices->data<int32_t>()[i];
      if (batch[i] < 0 || batch[i] >= x->dim(0)) {
        return ctx.Error("batch_indices[", i, "] = ", batch[i], " is out of range for X ", x->Describe());
      }
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), Shape{num_rois, channels, out_h_, out_w_}));
    if (y->size() == 0) return Status::Ok();
    if (height == 0 || width == 0) return ctx.Error("X has an empty spatial axis: ", x->Describe());
    const std::vector<double> boxes = ToDoubleVector(*rois);
    ONYX_ASSIGN_OR_RETURN(Tensor xc, AsComputeTensor(ctx, *x));
    ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
    Status st = Dispatch<float, double>(
        xc.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          Pool<T>(xc.data<T>(), yc.data<T>(), boxes, batch, channels, height, width, ctx.thread_pool());
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    return Status::Ok();
  }

 private:
  template <typename T>
  void Pool(const T* x, T* y, const std::vector<double>& boxes, const std::vector<int64_t>& batch, int64_t channels,
            int64_t height, int64_t width, ThreadPool* pool) const {
    const T offset = half_pixel_ ? T(0.5) : T(0);
    const T scale = static_cast<T>(spatial_scale_);
    const int64_t num_rois = static_cast<int64_t>(batch.size());
    ThreadPool::For(
        pool, num_rois,
        [&](int64_t begin, int64_t end) {
          std::vector<AxisSample<T>> ys, xs;
          for (int64_t n = begin; n < end; ++n) {
            const double* b = &boxes[static_cast<size_t>(n * 4)];
            const T start_w = static_cast<T>(b[0]) * scale - offset, start_h = static_cast<T>(b[1]) * scale - offset;
            const T end_w = static_cast<T>(b[2]) * scale - offset, end_h = static_cast<T>(b[3]) * scale - offset;
            T roi_w = end_w - start_w, roi_h = end_h - start_h;
            if (!half_pixel_) {
              roi_w = std::max(roi_w, T(1));
              roi_h = std::max(roi_h, T(1));
            }
            const T bin_h = roi_h / static_cast<T>(out_h_), bin_w = roi_w / static_cast<T>(out_w_);
            // Bounded so that an absurd box cannot ask for an absurd number of samples.
            const auto adaptive = [](T bin) {
              const double c = std::ceil(static_cast<double>(bin));
              return std::isnan(c) ? int64_t{0} : static_cast<int64_t>(std::clamp(c, 0.0, 1e4));
            };
            const int64_t grid_h = sampling_ratio_ > 0 ? sampling_ratio_ : adaptive(bin_h);
            const int64_t grid_w = sampling_ratio_ > 0 ? sampling_ratio_ : adaptive(bin_w);
            const double count = static_cast<double>(std::max<int64_t>(grid_h * grid_w, 1));
            // Sample rows and columns separately: a 2-D sample is the product of one of each.
            ys.clear();
            xs.clear();
            for (int64_t ph = 0; ph < out_h_; ++ph) {
              for (int64_t iy = 0; iy < grid_h; ++iy) {
                ys.push_back(MakeAxisSample<T>(start_h + static_cast<T>(ph) * bin_h +
                                                   (static_cast<T>(iy) + T(0.5)) * bin_h / static_cast<T>(grid_h),
                                               height));
              }
            }
            for (int64_t pw = 0; pw < out_w_; ++pw) {
              for (int64_t ix = 0; ix < grid_w; ++ix) {
                xs.push_back(MakeAxisSample<T>(start_w + static_cast<T>(pw) * bin_w +
                                                   (static_cast<T>(ix) + T(0.5)) * bin_w / static_cast<T>(grid_w),
                                               width));
              }
            }
            for (int64_t c = 0; c < channels; ++c) {
              const T* plane = x + (batch[n] * channels + c) * height * width;
              T* out = y + (n * channels + c) * out_h_ * out_w_;
              for (int64_t ph = 0; ph < out_h_; ++ph) {
                for (int64_t pw = 0; pw < out_w_; ++pw) {
                  double acc = 0;
                  bool first = true;
                  for (int64_t iy = 0; iy < grid_h; ++iy) {
                    const AxisSample<T>& sy = ys[ph * grid_h + iy];
                    for (int64_t ix = 0; ix < grid_w; ++ix) {
                      const AxisSample<T>& sx = xs[pw * grid_w + ix];
                      double v[4] = {0, 0, 0, 0};
                      if (sy.valid && sx.valid) {
                        const T* rlo = plane + sy.lo * width;
                        const T* rhi = plane + sy.hi * width;
                        v[0] = static_cast<double>(sy.w_lo * sx.w_lo) * static_cast<double>(rlo[sx.lo]);
                        v[1] = static_cast<double>(sy.w_lo * sx.w_hi) * static_cast<double>(rlo[sx.hi]);
                        v[2] = static_cast<double>(sy.w_hi * sx.w_lo) * static_cast<double>(rhi[sx.lo]);
                        v[3] = static_cast<double>(sy.w_hi * sx.w_hi) * static_cast<double>(rhi[sx.hi]);
                      }
                      if (max_mode_) {
                        const double m = std::max(std::max(v[0], v[1]), std::max(v[2], v[3]));
                        acc = first ? m : std::max(acc, m);
                        first = false;
                      } else {
                        acc += v[0] + v[1] + v[2] + v[3];
                      }
                    }
                  }
                  out[ph * out_w_ + pw] = static_cast<T>(max_mode_ ? acc : acc / count);
                }
              }
            }
          }
        },
        1);
  }

  bool max_mode_ = false, half_pixel_ = true;
  int64_t out_h_ = 1, out_w_ = 1, sampling_ratio_ = 0;
  float spatial_scale_ = 1.0f;
};

Status InferRoiAlign(ir::InferenceContext& ctx) {
  const DataType type = ctx.input_elem_type(0);
  const ir::SymShape* x = ctx.input_shape(0);
  const ir::SymShape* rois = ctx.input_shape(1);
  ir::SymShape out(4);
  if (rois && !rois->empty()) out[0] = (*rois)[0];
  if (x && x->size() == 4) out[1] = (*x)[1];
  out[2] = ir::Dim::Known(ctx.attr_int("output_height", 1));
  out[3] = ir::Dim::Known(ctx.attr_int("output_width", 1));
  ctx.SetOutput(0, type, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(RoiAlignKernel, KernelDef("CPU", "", "RoiAlign").Versions(10).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "RoiAlign", InferRoiAlign);

}  // namespace onyx::cpu

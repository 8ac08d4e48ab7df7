// STFT (opset 17): short-time Fourier transform of signals (batch, length, 1 or 2). Frames of frame_length
// samples start every frame_step samples (as many as fit), are multiplied by the window when one is given,
// and transformed. Output (batch, frames, bins, 2) with bins = frame_length / 2 + 1 when onesided (the
// default, real signals only) and frame_length otherwise.
#include <algorithm>
#include <vector>

#include "common/checked_math.h"
#include "common/thread_pool.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ep/cpu/kernels/signal/fft.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

Status ReadIntScalar(const Tensor& t, const char* name, int64_t* out) {
  if (t.size() != 1 || (t.type() != DataType::kInt64 && t.type() != DataType::kInt32)) {
    return InvalidArgument(name, " must be a single int32 or int64 value, got ", t.Describe());
  }
  *out = t.type() == DataType::kInt64 ? t.data<int64_t>()[0] : t.data<int32_t>()[0];
  return Status::Ok();
}

class StftKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    int64_t onesided = 1;
    ONYX_RETURN_IF_ERROR(info.GetInt("onesided", &onesided, 1));
    onesided_ = onesided != 0;
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* signal = ctx.input(0);
    const Tensor* step_t = ctx.input(1);
    const Tensor* window = ctx.input(2);
    const Tensor* length_t = ctx.input(3);
    if (!signal || !step_t) return ctx.Error("inputs signal and frame_step are required");
    if (signal->rank() != 3 || (signal->dim(2) != 1 && signal->dim(2) != 2)) {
      return ctx.Error("signal must be (batch, length, 1 or 2), got ", signal->Describe());
    }
    if (!IsFloatingPoint(signal->type())) return ctx.Error("signal must be floating point");
    int64_t step = 0, frame_length = -1;
    Status st = ReadIntScalar(*step_t, "frame_step", &step);
    if (!st.ok()) return ctx.Error(st.message());
    if (step <= 0) return ctx.Error("frame_step must be positive, got ", step);
    if (length_t) {
      st = ReadIntScalar(*length_t, "frame_length", &frame_length);
      if (!st.ok()) return ctx.Error(st.message());
    }
    if (window) {
      if (window->rank() != 1 || !IsFloatingPoint(window->type())) {
        return ctx.Error("window must be a 1-D floating-point tensor, got ", window->Describe());
      }
      if (frame_length >= 0 && window->dim(0) != frame_length) {
        return ctx.Error("window has ", window->dim(0), " samples but frame_length is ", frame_length);
      }
      frame_length = window->dim(0);
    }
    if (frame_length <= 0) return ctx.Error("frame_length or window must give a positive frame length");
    const bool complex_in = signal->dim(2) == 2;
    if (onesided_ && complex_in) return ctx.Error("onesided output needs a real signal");
    const int64_t batch = signal->dim(0), length = signal->dim(1);
    if (frame_length > length) {
      return ctx.Error("frame_length ", frame_length, " is longer than the signal ", signal->Describe());
    }
    const int64_t frames = (length - frame_length) / step + 1;
    const int64_t bins = onesided_ ? frame_length / 2 + 1 : frame_length;
    const Shape out_shape = {batch, frames, bins, 2};
    int64_t count = 0;
    if (!CheckedElementCount(out_shape, &count)) return ctx.Error("output size overflows");
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, signal->type(), out_shape));
    if (count == 0) return Status::Ok();
    const std::vector<double> x = ToDoubleVector(*signal);
    const std::vector<double> w = window ? ToDoubleVector(*window) : std::vector<double>(frame_length, 1.0);
    std::vector<double> out(static_cast<size_t>(count));
    const fft::Plan plan(frame_length);
    const int64_t channels = signal->dim(2);
    ThreadPool::For(
        ctx.thread_pool(), batch * frames,
        [&](int64_t begin, int64_t end) {
          std::vector<fft::Complex> line(static_cast<size_t>(frame_length)), scratch;
          for (int64_t bf = begin; bf < end; ++bf) {
            const int64_t b = bf / frames, f = bf % frames;
            const double* src = &x[static_cast<size_t>((b * length + f * step) * channels)];
            for (int64_t t = 0; t < frame_length; ++t) {
              line[t] = fft::Complex(src[t * channels], complex_in ? src[t * channels + 1] : 0.0) * w[t];
            }
            plan.Run(line.data(), false, &scratch);
            double* dst = &out[static_cast<size_t>(bf * bins * 2)];
            for (int64_t k = 0; k < bins; ++k) {
              dst[2 * k] = line[k].real();
              dst[2 * k + 1] = line[k].imag();
            }
          }
        },
        1);
    FromDoubleVector(out, y);
    return Status::Ok();
  }

 private:
  bool onesided_ = true;
};

Status InferStft(ir::InferenceContext& ctx) {
  const DataType type = ctx.input_elem_type(0);
  const ir::SymShape* s = ctx.input_shape(0);
  ir::SymShape out(4);
  out[3] = ir::Dim::Known(2);
  if (s && s->size() == 3) out[0] = (*s)[0];
  int64_t frame_length = -1, step = -1;
  if (const Tensor* l = ctx.input_constant(3); l && !ReadIntScalar(*l, "frame_length", &frame_length).ok()) {
    frame_length = -1;
  }
  if (frame_length < 0) {
    const ir::SymShape* w = ctx.input_shape(2);
    if (w && w->size() == 1 && (*w)[0].known()) frame_length = (*w)[0].value;
  }
  if (const Tensor* st = ctx.input_constant(1); st && !ReadIntScalar(*st, "frame_step", &step).ok()) step = -1;
  if (frame_length > 0) {
    out[2] = ir::Dim::Known(ctx.attr_int("onesided", 1) ? frame_length / 2 + 1 : frame_length);
    if (step > 0 && s && s->size() == 3 && (*s)[1].known() && (*s)[1].value >= frame_length) {
      out[1] = ir::Dim::Known(((*s)[1].value - frame_length) / step + 1);
    }
  }
  ctx.SetOutput(0, type, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(StftKernel, KernelDef("CPU", "", "STFT").Versions(17).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "STFT", InferStft);

}  // namespace onyx::cpu

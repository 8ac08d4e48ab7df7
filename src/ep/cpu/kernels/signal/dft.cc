// DFT (opsets 17, 20): the discrete Fourier transform along one signal axis of a real ([..., 1]) or complex
// ([..., 2]) input. onesided=1 gives the half spectrum of a real signal (forward) or rebuilds a real signal
// from a half spectrum (inverse, IRFFT). dft_length zero-pads or truncates the signal. The axis is an
// attribute (default 1) at opset 17 and the optional third input (default -2) from opset 20.
#include <algorithm>
#include <complex>
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

class DftKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    opset_ = info.opset();
    int64_t inverse = 0, onesided = 0;
    ONYX_RETURN_IF_ERROR(info.GetInt("inverse", &inverse, 0));
    ONYX_RETURN_IF_ERROR(info.GetInt("onesided", &onesided, 0));
    if (opset_ < 20) ONYX_RETURN_IF_ERROR(info.GetInt("axis", &axis_, 1));
    inverse_ = inverse != 0;
    onesided_ = onesided != 0;
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) return ctx.Error("input is required");
    const int64_t r = x->rank();
    if (r < 2 || (x->dim(r - 1) != 1 && x->dim(r - 1) != 2)) {
      return ctx.Error("input must end with a dimension of 1 (real) or 2 (complex), got ", x->Describe());
    }
    if (!IsFloatingPoint(x->type())) return ctx.Error("input must be floating point, got ", x->Describe());
    const bool complex_in = x->dim(r - 1) == 2;
    int64_t axis = opset_ < 20 ? axis_ : -2;
    if (opset_ >= 20 && ctx.input(2)) {
      Status st = ReadIntScalar(*ctx.input(2), "axis", &axis);
      if (!st.ok()) return ctx.Error(st.message());
    }
    if (axis < -r || axis > r - 2 || axis == -1) {
      return ctx.Error("axis ", axis, " is out of range for ", x->Describe(), " (the last axis holds re/im)");
    }
    if (axis < 0) axis += r;
    const int64_t in_len = x->dim(axis);
    const bool irfft = inverse_ && onesided_;
    int64_t n = irfft ? 2 * (in_len - 1) : in_len;
    if (ctx.input(1)) {
      Status st = ReadIntScalar(*ctx.input(1), "dft_length", &n);
      if (!st.ok()) return ctx.Error(st.message());
      if (n <= 0) return ctx.Error("dft_length must be positive, got ", n);
    }
    if (n <= 0) return ctx.Error("the DFT length is ", n, " for input ", x->Describe());
    // The plan needs about 100 bytes per point; longer transforms are not a real use.
    if (n > (int64_t{1} << 30)) return ctx.Error("dft_length ", n, " is too large");
    const int64_t out_len = (onesided_ && !inverse_) ? n / 2 + 1 : n;
    Shape out_shape = x->shape();
    out_shape[axis] = out_len;
    out_shape[r - 1] = irfft ? 1 : 2;
    int64_t out_count = 0;
    if (!CheckedElementCount(out_shape, &out_count)) return ctx.Error("output size overflows");
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), out_shape));
    if (out_count == 0) return Status::Ok();

    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= x->dim(d);
    for (int64_t d = axis + 1; d < r - 1; ++d) inner *= x->dim(d);
    const int64_t in_c = x->dim(r - 1), out_c = out_shape[r - 1];
    const std::vector<double> in = ToDoubleVector(*x);
    std::vector<double> out(static_cast<size_t>(out_count));
    const fft::Plan plan(n);
    const double scale = inverse_ ? 1.0 / static_cast<double>(n) : 1.0;
    ThreadPool::For(
        ctx.thread_pool(), outer * inner,
        [&](int64_t begin, int64_t end) {
          std::vector<fft::Complex> line(static_cast<size_t>(n)), scratch;
          for (int64_t li = begin; li < end; ++li) {
            const int64_t o = li / inner, i = li % inner;
            std::fill(line.begin(), line.end(), fft::Complex(0, 0));
            auto at = [&](int64_t k) {
              const double* p = &in[static_cast<size_t>(((o * in_len + k) * inner + i) * in_c)];
              return fft::Complex(p[0], complex_in ? p[1] : 0.0);
            };
            if (irfft) {
              // Rebuild the full spectrum from its first n/2 + 1 bins by conjugate symmetry.
              const int64_t half = std::min(in_len, n / 2 + 1);
              for (int64_t k = 0; k < half; ++k) {
                line[k] = at(k);
                if (k > 0 && n - k != k && n - k < n) line[n - k] = std::conj(line[k]);
              }
            } else {
              for (int64_t k = 0; k < std::min(in_len, n); ++k) line[k] = at(k);
            }
            plan.Run(line.data(), inverse_, &scratch);
            for (int64_t k = 0; k < out_len; ++k) {
              double* p = &out[static_cast<size_t>(((o * out_len + k) * inner + i) * out_c)];
              p[0] = line[k].real() * scale;
              if (out_c == 2) p[1] = line[k].imag() * scale;
            }
          }
        },
        1);
    FromDoubleVector(out, y);
    return Status::Ok();
  }

 private:
  int64_t opset_ = 20;
  int64_t axis_ = 1;
  bool inverse_ = false, onesided_ = false;
};

Status InferDft(ir::InferenceContext& ctx) {
  const DataType type = ctx.input_elem_type(0);
  const ir::SymShape* in = ctx.input_shape(0);
  if (!in || in->size() < 2) {
    ctx.SetOutput(0, type, std::nullopt);
    return Status::Ok();
  }
  const int64_t r = static_cast<int64_t>(in->size());
  const int64_t opset = ctx.node().opset();
  const bool inverse = ctx.attr_int("inverse", 0) != 0, onesided = ctx.attr_int("onesided", 0) != 0;
  ir::SymShape out = *in;
  out[r - 1] = ir::Dim::Known(inverse && onesided ? 1 : 2);
  int64_t axis = opset < 20 ? ctx.attr_int("axis", 1) : -2;
  bool axis_known = true;
  if (opset >= 20 && ctx.has_input(2)) {
    const Tensor* a = ctx.input_constant(2);
    axis_known = a && ReadIntScalar(*a, "axis", &axis).ok();
  }
  if (!axis_known || axis < -r || axis > r - 2 || axis == -1) {
    // The transformed axis is unknown: only the rank is certain.
    for (int64_t d = 0; d < r - 1; ++d) out[d] = ir::Dim{};
    ctx.SetOutput(0, type, out);
    return Status::Ok();
  }
  if (axis < 0) axis += r;
  int64_t n = -1;
  if (ctx.has_input(1)) {
    const Tensor* l = ctx.input_constant(1);
    if (!l || !ReadIntScalar(*l, "dft_length", &n).ok()) n = -1;
  } else if ((*in)[axis].known()) {
    n = inverse && onesided ? 2 * ((*in)[axis].value - 1) : (*in)[axis].value;
  }
  out[axis] = n > 0 ? ir::Dim::Known(onesided && !inverse ? n / 2 + 1 : n) : ir::Dim{};
  ctx.SetOutput(0, type, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(DftKernel, KernelDef("CPU", "", "DFT").Versions(17).Types(0, types::Float()));
ONYX_REGISTER_SHAPE_INFERENCE("", "DFT", InferDft);

}  // namespace onyx::cpu

// Conv: im2col + packed GEMM per image and group; depthwise convolutions (one
// input and one output channel per group) run as a direct loop, where a matrix
// product of one row would waste the GEMM.
#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

#include "common/checked_math.h"
#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/conv_pool_attrs.h"
#include "ep/cpu/kernels/nn/gemm_util.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ep/cpu/kernels/nn/im2col.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

namespace {

struct ConvDims {
  int64_t batch, in_channels, out_channels, group;
  Window3 w;
};

// One output plane of a depthwise convolution: every output element is a short
// dot product.
template <typename T>
void DepthwisePlane(const T* x, const T* k, T bias, T* y, const Window3& w) {
  for (int64_t od = 0; od < w.out[0]; ++od) {
    for (int64_t oh = 0; oh < w.out[1]; ++oh) {
      for (int64_t ow = 0; ow < w.out[2]; ++ow) {
        T acc = bias;
        for (int64_t kd = 0; kd < w.kernel[0]; ++kd) {
          const int64_t id = od * w.stride[0] - w.pad[0] + kd * w.dilation[0];
          if (id < 0 || id >= w.in[0]) continue;
          for (int64_t kh = 0; kh < w.kernel[1]; ++kh) {
            const int64_t ih = oh * w.stride[1] - w.pad[1] + kh * w.dilation[1];
            if (ih < 0 || ih >= w.in[1]) continue;
            const T* xrow = x + (id * w.in[1] + ih) * w.in[2];
            const T* krow = k + (kd * w.kernel[1] + kh) * w.kernel[2];
            for (int64_t kw = 0; kw < w.kernel[2]; ++kw) {
              const int64_t iw = ow * w.stride[2] - w.pad[2] + kw * w.dilation[2];
              if (iw >= 0 && iw < w.in[2]) acc += xrow[iw] * krow[kw];
            }
          }
        }
        y[(od * w.out[1] + oh) * w.out[2] + ow] = acc;
      }
    }
  }
}

// The same for the common 2-D case without dilation. Border columns (whose windows reach into the padding)
// sum their valid taps one by one; interior columns need no bounds checks: with stride 1 eight neighbouring
// outputs are summed at once in a vector register over the whole window (unaligned loads of the input row),
// with a larger stride each tap adds a strided row segment to the interior of the output row.
template <typename T>
void DepthwisePlane2D(const T* x, const T* k, T bias, T* y, const Window3& w) {
  const int64_t ih = w.in[1], iw = w.in[2], oh = w.out[1], ow = w.out[2];
  const int64_t kh = w.kernel[1], kw = w.kernel[2], sh = w.stride[1], sw = w.stride[2];
  const int64_t ph = w.pad[1], pw = w.pad[2];
  int64_t c0 = 0, c1 = 0;
  w.InteriorColumns(&c0, &c1);
  for (int64_t r = 0; r < oh; ++r) {
    T* yr = y + r * ow;
    const int64_t h0 = r * sh - ph;
    const int64_t k_lo = std::max<int64_t>(0, -h0), k_hi = std::min<int64_t>(kh, ih - h0);
    auto column = [&](int64_t c, int64_t j_lo, int64_t j_hi) {
      const int64_t w0 = c * sw - pw;
      T acc = bias;
      for (int64_t i = k_lo; i < k_hi; ++i) {
        const T* xr = x + (h0 + i) * iw + w0;
        const T* kr = k + i * kw;
        for (int64_t j = j_lo; j < j_hi; ++j) acc += xr[j] * kr[j];
      }
      yr[c] = acc;
    };
    auto border = [&](int64_t c) {
      const int64_t w0 = c * sw - pw;
      column(c, std::max<int64_t>(0, -w0), std::min<int64_t>(kw, iw - w0));
    };
    if (sw == 1 && std::is_same_v<T, float>) {
      for (int64_t c = 0; c < c0; ++c) border(c);
      int64_t c = c0;
      if constexpr (std::is_same_v<T, float>) {
        // 8 columns as two 128-bit vectors (SSE2, NEON): a 256-bit GCC vector on those targets was kept in memory
        // across the taps (a store and reload per multiply-add).
        typedef float V __attribute__((vector_size(16)));
        constexpr int64_t kL = 4;
        for (; c + 2 * kL <= c1; c += 2 * kL) {
          V acc0 = V{} + bias, acc1 = acc0;
          for (int64_t i = k_lo; i < k_hi; ++i) {
            const float* xr = x + (h0 + i) * iw + c - pw;
            const float* kr = k + i * kw;
            for (int64_t j = 0; j < kw; ++j) {
              V x0, x1;
              std::memcpy(&x0, xr + j, sizeof(V));
              std::memcpy(&x1, xr + j + kL, sizeof(V));
              acc0 += kr[j] * x0;
              acc1 += kr[j] * x1;
            }
          }
          std::memcpy(yr + c, &acc0, sizeof(V));
          std::memcpy(yr + c + kL, &acc1, sizeof(V));
        }
      }
      for (; c < c1; ++c) column(c, 0, kw);
      for (c = std::max(c0, c1); c < ow; ++c) border(c);
      continue;
    }
    // Strided: each tap adds a scaled, strided input row segment to the whole interior of the output row.
    for (int64_t c = c0; c < c1; ++c) yr[c] = bias;
    for (int64_t i = k_lo; i < k_hi; ++i) {
      const T* xr = x + (h0 + i) * iw;
      for (int64_t j = 0; j < kw; ++j) {
        const T kv = k[i * kw + j];
        const T* xj = xr + j - pw;
        for (int64_t c = c0; c < c1; ++c) yr[c] += kv * xj[c * sw];
      }
    }
    for (int64_t c = 0; c < c0; ++c) border(c);
    for (int64_t c = std::max(c0, c1); c < ow; ++c) border(c);
  }
}

template <typename T>
Status RunConv(KernelContext& ctx, const ConvDims& d, const T* x, const T* wt, const T* bias, T* y,
               const std::vector<PackedGemmA>* packed = nullptr) {
  const Window3& w = d.w;
  const int64_t cg = d.in_channels / d.group, mg = d.out_channels / d.group;
  const int64_t in_size = w.in_size(), out_size = w.out_size(), ks = w.kernel_size();
  ThreadPool* pool = ctx.thread_pool();
  if (cg == 1 && mg == 1) {
    const bool plane2d = w.in[0] == 1 && w.kernel[0] == 1 && w.out[0] == 1 && w.dilation[1] == 1 && w.dilation[2] == 1;
    ThreadPool::For(pool, d.batch * d.out_channels, static_cast<double>(out_size * ks) * kSmallProductNsPerMac,
                    [&](int64_t begin, int64_t end) {
                      for (int64_t p = begin; p < end; ++p) {
                        const int64_t c = p % d.out_channels;
                        if (plane2d) {
                          DepthwisePlane2D(x + p * in_size, wt + c * ks, bias ? bias[c] : T(0), y + p * out_size, w);
                        } else {
                          DepthwisePlane(x + p * in_size, wt + c * ks, bias ? bias[c] : T(0), y + p * out_size, w);
                        }
                      }
                    });
    return Status::Ok();
  }
  const int64_t kdim = cg * ks;
  const bool pointwise = ks == 1 && in_size == out_size && w.stride[0] == 1 && w.stride[1] == 1 && w.stride[2] == 1 &&
                         w.pad[0] == 0 && w.pad[1] == 0 && w.pad[2] == 0;
  Tensor col;
  if (!pointwise) {
    int64_t col_elems = 0;
    if (!CheckedMul(kdim, out_size, &col_elems)) return ctx.Error("im2col buffer size overflows");
    ONYX_ASSIGN_OR_RETURN(col, ctx.Allocate(DataTypeOf<T>::value, {col_elems}, /*zero=*/false));
  }
  for (int64_t n = 0; n < d.batch; ++n) {
    for (int64_t g = 0; g < d.group; ++g) {
      const T* xg = x + (n * d.in_channels + g * cg) * in_size;
      T* yg = y + (n * d.out_channels + g * mg) * out_size;
      const T* b = xg;
      if (!pointwise) {
        Im2Col(xg, cg, w, col.data<T>(), pool);
        b = col.data<T>();
      }
      if (bias) {
        for (int64_t m = 0; m < mg; ++m) std::fill(yg + m * out_size, yg + (m + 1) * out_size, bias[g * mg + m]);
      }
      if constexpr (std::is_same_v<T, float>) {
        if (packed && static_cast<size_t>(g) < packed->size() && (*packed)[g].m() == mg && (*packed)[g].k() == kdim) {
          GemmPackedA((*packed)[g], wt + g * mg * kdim, false, out_size, 1.0f, b, out_size, bias ? 1.0f : 0.0f, yg,
                      out_size, pool);
          continue;
        }
      }
      Gemm(false, false, mg, out_size, kdim, T(1), wt + g * mg * kdim, kdim, b, out_size, bias ? T(1) : T(0), yg,
           out_size, pool);
    }
  }
  return Status::Ok();
}

class ConvKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(attrs_.Init(info, /*is_pool=*/false));
    ONYX_RETURN_IF_ERROR(info.GetInt("group", &group_, int64_t{1}));
    if (group_ <= 0) return info.Error("group must be positive, got ", group_);
    // Constant float weights are packed for the GEMM once, here, instead of on every run (Compute checks the
    // shapes still agree before using them).
    // Only a true constant: an initializer that is also a graph input can be fed a different value at run time.
    const Tensor* w =
        info.node().input(1) && !info.node().input(1)->is_graph_input() ? info.constant_input(1) : nullptr;
    if (w && w->type() == DataType::kFloat && w->rank() >= 3 && w->dim(0) % group_ == 0 && w->dim(0) > group_) {
      const int64_t mg = w->dim(0) / group_, kdim = w->size() / w->dim(0);
      for (int64_t g = 0; g < group_; ++g)
        packed_.emplace_back(false, mg, kdim, w->data<float>() + g * mg * kdim, kdim);
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* w = ctx.input(1);
    const Tensor* b = ctx.input(2);
    if (!x || !w) return ctx.Error("inputs X and W are required");
    if (x->rank() < 3) return ctx.Error("X must have rank >= 3 (N, C, spatial...), got ", x->Describe());
    if (w->rank() != x->rank()) return ctx.Error("W ", w->Describe(), " must have the rank of X ", x->Describe());
    if (w->type() != x->type() || (b && b->type() != x->type()))
      return ctx.Error("X, W and B must have the same element type");
    ConvDims d;
    d.batch = x->dim(0);
    d.in_channels = x->dim(1);
    d.out_channels = w->dim(0);
    d.group = group_;
    if (d.in_channels % group_ != 0 || w->dim(1) * group_ != d.in_channels)
      return ctx.Error("X has ", d.in_channels, " channels but W ", w->Describe(), " with group ", group_, " expects ",
                       w->dim(1) * group_);
    if (d.out_channels % group_ != 0)
      return ctx.Error("W's ", d.out_channels, " output channels are not divisible by group ", group_);
    if (b && (b->rank() != 1 || b->dim(0) != d.out_channels))
      return ctx.Error("B ", b->Describe(), " must be 1-D with ", d.out_channels, " values");
    std::vector<int64_t> in(x->shape().begin() + 2, x->shape().end());
    std::vector<int64_t> kernel(w->shape().begin() + 2, w->shape().end());
    if (!attrs_.kernel_shape().empty() && attrs_.kernel_shape() != kernel)
      return ctx.Error("kernel_shape ", ShapeToString(attrs_.kernel_shape()), " differs from W's spatial dims ",
                       ShapeToString(kernel));
    WindowGeometry g;
    Status st = attrs_.Resolve(in, kernel, &g);
    if (!st.ok()) return ctx.Error(st.message());
    if (!ToWindow3(g, &d.w)) return NotImplemented(ctx.node().Describe(), ": Conv over more than 3 spatial axes");
    Shape out_shape = {d.batch, d.out_channels};
    out_shape.insert(out_shape.end(), g.out.begin(), g.out.end());
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, x->type(), out_shape));
    if (y->size() == 0) return Status::Ok();
    if (IsHalfType(x->type())) {
      ONYX_ASSIGN_OR_RETURN(Tensor xf, WidenToFloat(ctx, *x));
      ONYX_ASSIGN_OR_RETURN(Tensor wf, WidenToFloat(ctx, *w));
      Tensor bf;
      if (b) {
        ONYX_ASSIGN_OR_RETURN(bf, WidenToFloat(ctx, *b));
      }
      ONYX_ASSIGN_OR_RETURN(Tensor yf, ctx.Allocate(DataType::kFloat, out_shape, /*zero=*/false));
      ONYX_RETURN_IF_ERROR(
          RunConv<float>(ctx, d, xf.data<float>(), wf.data<float>(), b ? bf.data<float>() : nullptr, yf.data<float>()));
      NarrowFromFloat(yf, y);
      return Status::Ok();
    }
    return Dispatch<float, double>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          return RunConv<T>(ctx, d, x->data<T>(), w->data<T>(), b ? b->data<T>() : nullptr, y->data<T>(),
                            packed_.empty() ? nullptr : &packed_);
        },
        ctx.node());
  }

 private:
  ConvPoolAttrs attrs_;
  int64_t group_ = 1;
  std::vector<PackedGemmA> packed_;
};

Status InferConv(ir::InferenceContext& ctx) {
  auto attrs = ConvPoolAttrs::FromNode(ctx, false);
  if (!attrs) return Status::Ok();
  std::vector<int64_t> kernel = attrs->kernel_shape();
  ir::Dim channels;
  if (const ir::SymShape* ws = ctx.input_shape(1)) {
    if (!ws->empty()) channels = (*ws)[0];
    if (kernel.empty() && ws->size() >= 3) {
      for (size_t i = 2; i < ws->size(); ++i) {
        if (!(*ws)[i].known()) {
          kernel.clear();
          break;
        }
        kernel.push_back((*ws)[i].value);
      }
    }
  }
  InferWindowedOutput(ctx, *attrs, kernel, channels, 0, ctx.input_elem_type(0));
  return Status::Ok();
}

const std::vector<DataType> kConvTypes = {DataType::kFloat, DataType::kDouble, DataType::kFloat16, DataType::kBFloat16};

}  // namespace

ONYX_REGISTER_KERNEL(ConvKernel, KernelDef("CPU", "", "Conv").Versions(1).Types(0, kConvTypes));
ONYX_REGISTER_SHAPE_INFERENCE("", "Conv", InferConv);

}  // namespace onyx::cpu

// GridSample (opsets 16, 20, 22): samples X (N, C, D1..Dr) at the normalized positions of grid
// (N, O1..Ok, r), whose last axis lists coordinates innermost axis first (x, y, z). Nearest, N-linear and
// N-cubic interpolation; zeros, border and reflection padding. Opset 16 names the modes bilinear/bicubic and
// takes 4-D input only; later opsets say linear/cubic and take any rank.
#include <algorithm>
#include <array>
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

enum class SampleMode { kNearest, kLinear, kCubic };
enum class Padding { kZeros, kBorder, kReflection };

// Taps of one spatial axis for one sample point: input positions (-1 when the tap reads zero padding) and
// weights.
template <typename C>
struct AxisTaps {
  int count = 0;
  std::array<int64_t, 4> index{};
  std::array<C, 4> weight{};
};

template <typename C>
C Reflect(C x, C lo, C hi) {
  const C range = hi - lo;
  if (!(range > 0)) return lo;
  if (x < lo) {
    const C dx = lo - x;
    const C n = std::floor(dx / range);
    const C r = dx - n * range;
    return std::fmod(n, C(2)) == 0 ? lo + r : hi - r;
  }
  if (x > hi) {
    const C dx = x - hi;
    const C n = std::floor(dx / range);
    const C r = dx - n * range;
    return std::fmod(n, C(2)) == 0 ? hi - r : lo + r;
  }
  return x;
}

template <typename C>
void CubicCoefficients(C t, C* w) {
  constexpr C a = C(-0.75);
  const C t1 = t + 1, t2 = 1 - t, t3 = 2 - t;
  w[0] = ((a * t1 - 5 * a) * t1 + 8 * a) * t1 - 4 * a;
  w[1] = ((a + 2) * t - (a + 3)) * t * t + 1;
  w[2] = ((a + 2) * t2 - (a + 3)) * t2 * t2 + 1;
  w[3] = ((a * t3 - 5 * a) * t3 + 8 * a) * t3 - 4 * a;
}

struct Options {
  SampleMode mode = SampleMode::kLinear;
  Padding padding = Padding::kZeros;
  bool align_corners = false;
};

// Resolves an integer tap position against the padding mode; -1 means "reads zero".
template <typename C>
int64_t ResolveTap(int64_t i, int64_t size, C lo, C hi, Padding padding) {
  if (i >= 0 && i < size) return i;
  switch (padding) {
    case Padding::kZeros:
      return -1;
    case Padding::kBorder:
      return std::clamp<int64_t>(i, 0, size - 1);
    case Padding::kReflection:
      return std::clamp<int64_t>(static_cast<int64_t>(Reflect<C>(static_cast<C>(i), lo, hi)), 0, size - 1);
  }
  return -1;
}

template <typename C>
AxisTaps<C> MakeTaps(C g, int64_t size, const Options& o) {
  const C sz = static_cast<C>(size);
  C x = o.align_corners ? (g + 1) / 2 * (sz - 1) : ((g + 1) * sz - 1) / 2;
  const C lo = o.align_corners ? C(0) : C(-0.5);
  const C hi = o.align_corners ? sz - 1 : sz - C(0.5);
  // Keeps non-finite or absurd coordinates from reaching integer conversions; they sample padding anyway.
  if (std::isnan(x)) x = lo - 4;
  x = std::clamp<C>(x, C(-1e9), C(1e9));
  if (o.mode == SampleMode::kNearest) x = std::nearbyint(x);  // ties to even, as PyTorch does
  if (x < lo || x > hi) {
    if (o.padding == Padding::kBorder) x = std::clamp<C>(x, 0, sz - 1);
    if (o.padding == Padding::kReflection) x = Reflect<C>(x, lo, hi);
  }
  AxisTaps<C> t;
  if (o.mode == SampleMode::kNearest) {
    t.count = 1;
    t.index[0] = ResolveTap<C>(static_cast<int64_t>(x), size, lo, hi, o.padding);
    t.weight[0] = 1;
    return t;
  }
  const C x0 = std::floor(x);
  const C f = x - x0;
  const int64_t i0 = static_cast<int64_t>(x0);
  if (o.mode == SampleMode::kLinear) {
    t.count = 2;
    t.weight[0] = 1 - f;
    t.weight[1] = f;
    for (int k = 0; k < 2; ++k) t.index[k] = ResolveTap<C>(i0 + k, size, lo, hi, o.padding);
  } else {
    t.count = 4;
    CubicCoefficients<C>(f, t.weight.data());
    for (int k = 0; k < 4; ++k) t.index[k] = ResolveTap<C>(i0 - 1 + k, size, lo, hi, o.padding);
  }
  return t;
}

template <typename T, typename C>
void Sample(const T* x, const C* grid, T* y, int64_t batch, int64_t channels, const Shape& in_dims, int64_t points,
            const Options& o, ThreadPool* pool) {
  const size_t r = in_dims.size();
  int64_t plane = 1;
  for (int64_t d : in_dims) plane *= d;
  std::vector<int64_t> stride(r, 1);
  for (size_t d = r; d-- > 1;) stride[d - 1] = stride[d] * in_dims[d];
  ThreadPool::For(
      pool, batch * points,
      [&](int64_t begin, int64_t end) {
        std::vector<AxisTaps<C>> taps(r);
        std::vector<int64_t> offsets, next_off;
        std::vector<C> weights, next_w;
        for (int64_t bp = begin; bp < end; ++bp) {
          const int64_t n = bp / points, p = bp % points;
          const C* g = grid + bp * static_cast<int64_t>(r);
          for (size_t d = 0; d < r; ++d) taps[d] = MakeTaps<C>(g[r - 1 - d], in_dims[d], o);
          // Every combination of one tap per axis (zero-padding taps drop out).
          offsets.assign(1, 0);
          weights.assign(1, C(1));
          for (size_t d = 0; d < r; ++d) {
            next_off.clear();
            next_w.clear();
            for (size_t c = 0; c < offsets.size(); ++c) {
              for (int k = 0; k < taps[d].count; ++k) {
                if (taps[d].index[k] < 0) continue;
                next_off.push_back(offsets[c] + taps[d].index[k] * stride[d]);
                next_w.push_back(weights[c] * taps[d].weight[k]);
              }
            }
            offsets.swap(next_off);
            weights.swap(next_w);
          }
          for (int64_t c = 0; c < channels; ++c) {
            const T* xc = x + (n * channels + c) * plane;
            C acc = 0;
            for (size_t k = 0; k < offsets.size(); ++k) {
              if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>) {
                acc += weights[k] * static_cast<C>(ToFloat(xc[offsets[k]]));
              } else {
                acc += weights[k] * static_cast<C>(xc[offsets[k]]);
              }
            }
            T* out = y + (n * channels + c) * points + p;
            if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>) {
              *out = FromFloat<T>(static_cast<float>(acc));
            } else if constexpr (std::is_integral_v<T>) {
              *out = static_cast<T>(std::nearbyint(acc));
            } else {
              *out = static_cast<T>(acc);
            }
          }
        }
      },
      4);
}

class GridSampleKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    opset_ = info.opset();
    std::string mode, padding;
    int64_t align = 0;
    ONYX_RETURN_IF_ERROR(info.GetString("mode", &mode, std::string(opset_ < 20 ? "bilinear" : "linear")));
    ONYX_RETURN_IF_ERROR(info.GetString("padding_mode", &padding, std::string("zeros")));
    ONYX_RETURN_IF_ERROR(info.GetInt("align_corners", &align, 0));
    // Both spellings are accepted at every opset: the meaning never changed, only the names.
    if (mode == "bilinear" || mode == "linear") {
      opt_.mode = SampleMode::kLinear;
    } else if (mode == "nearest") {
      opt_.mode = SampleMode::kNearest;
    } else if (mode == "bicubic" || mode == "cubic") {
      opt_.mode = SampleMode::kCubic;
    } else {
      return info.Error("mode must be linear, nearest or cubic, got '", mode, "'");
    }
    if (padding == "zeros") {
      opt_.padding = Padding::kZeros;
    } else if (padding == "border") {
      opt_.padding = Padding::kBorder;
    } else if (padding == "reflection") {
      opt_.padding = Padding::kReflection;
    } else {
      return info.Error("padding_mode must be zeros, border or reflection, got '", padding, "'");
    }
    opt_.align_corners = align != 0;
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* grid = ctx.input(1);
    if (!x || !grid) return ctx.Error("inputs X and grid are required");
    if (x->rank() < 3) return ctx.Error("X must have rank >= 3 (N, C, spatial...), got ", x->Describe());
    if (opset_ < 20 && x->rank() != 4)
      return ctx.Error("opset ", opset_, " GridSample takes 4-D X, got ", x->Describe());
    const int64_t r = x->rank() - 2;
    if (grid->rank() != r + 2 || grid->dim(0) != x->dim(0) || grid->dim(grid->rank() - 1) != r) {
      return ctx.Error("grid must have shape (N, out spatial..., ", r, ") for X ", x->Describe(), ", got ",
                       grid->Describe());
    }
    if (!IsFloatingPoint(grid->type())) return ctx.Error("grid must be floating point, got ", grid->Describe());
    Shape out_shape = {x->dim(0), x->dim(1)};
    int64_t points = 1;
    for (int64_t d = 1; d <= r; ++d) {
      out_shape.push_back(grid->dim(d));
      points *= grid->dim(d);
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), out_shape));
    if (y->size() == 0) return Status::Ok();
    const Shape in_dims(x->shape().begin() + 2, x->shape().end());
    for (int64_t d : in_dims) {
      if (d == 0) return ctx.Error("cannot sample from X with an empty spatial axis: ", x->Describe());
    }
    // Coordinates are computed in double for double data and in float otherwise.
    const bool use_double = x->type() == DataType::kDouble;
    const std::vector<double> g = ToDoubleVector(*grid);
    std::vector<float> gf;
    if (!use_double) gf.assign(g.begin(), g.end());
    const int64_t batch = x->dim(0), channels = x->dim(1);
    return Dispatch<float, double, Float16, BFloat16, int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t,
                    uint64_t>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          if constexpr (std::is_same_v<T, double>) {
            Sample<T, double>(x->data<T>(), g.data(), y->data<T>(), batch, channels, in_dims, points, opt_,
                              ctx.thread_pool());
          } else {
            Sample<T, float>(x->data<T>(), gf.data(), y->data<T>(), batch, channels, in_dims, points, opt_,
                             ctx.thread_pool());
          }
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  int64_t opset_ = 22;
  Options opt_;
};

Status InferGridSample(ir::InferenceContext& ctx) {
  const DataType type = ctx.input_elem_type(0);
  const ir::SymShape* x = ctx.input_shape(0);
  const ir::SymShape* grid = ctx.input_shape(1);
  if (!x || !grid || grid->size() < 2) {
    ctx.SetOutput(0, type, x ? std::optional<ir::SymShape>(ir::SymShape(x->size())) : std::nullopt);
    return Status::Ok();
  }
  if (x->size() != grid->size()) return ctx.Error("X and grid must have the same rank");
  ir::SymShape out = {(*x)[0], (*x)[1]};
  for (size_t d = 1; d + 1 < grid->size(); ++d) out.push_back((*grid)[d]);
  if (!out[0].known()) out[0] = (*grid)[0];
  ctx.SetOutput(0, type, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(GridSampleKernel, KernelDef("CPU", "", "GridSample").Versions(16));
ONYX_REGISTER_SHAPE_INFERENCE("", "GridSample", InferGridSample);

}  // namespace onyx::cpu

#include "ep/cpu/kernels/image/resize_common.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <type_traits>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"

namespace onyx::cpu::resize {

Status ParseMode(const std::string& s, Mode* out) {
  if (s == "nearest") {
    *out = Mode::kNearest;
  } else if (s == "linear" || s == "bilinear") {  // "bilinear" is Upsample-1's spelling
    *out = Mode::kLinear;
  } else if (s == "cubic") {
    *out = Mode::kCubic;
  } else {
    return InvalidArgument("mode must be nearest, linear or cubic, got '", s, "'");
  }
  return Status::Ok();
}

Status ParseCoordMode(const std::string& s, CoordMode* out) {
  static const std::pair<const char*, CoordMode> kNames[] = {
      {"half_pixel", CoordMode::kHalfPixel},
      {"half_pixel_symmetric", CoordMode::kHalfPixelSymmetric},
      {"pytorch_half_pixel", CoordMode::kPytorchHalfPixel},
      {"align_corners", CoordMode::kAlignCorners},
      {"asymmetric", CoordMode::kAsymmetric},
      {"tf_half_pixel_for_nn", CoordMode::kTfHalfPixelForNn},
      {"tf_crop_and_resize", CoordMode::kTfCropAndResize},
  };
  for (const auto& [name, mode] : kNames) {
    if (s == name) {
      *out = mode;
      return Status::Ok();
    }
  }
  return InvalidArgument("unknown coordinate_transformation_mode '", s, "'");
}

Status ParseNearestMode(const std::string& s, NearestMode* out) {
  if (s == "round_prefer_floor") {
    *out = NearestMode::kRoundPreferFloor;
  } else if (s == "round_prefer_ceil") {
    *out = NearestMode::kRoundPreferCeil;
  } else if (s == "floor") {
    *out = NearestMode::kFloor;
  } else if (s == "ceil") {
    *out = NearestMode::kCeil;
  } else {
    return InvalidArgument("unknown nearest_mode '", s, "'");
  }
  return Status::Ok();
}

namespace {

// The sampling plan of one axis: for output position j, taps input positions index[j*taps + t] (already
// clamped into range) with weight[j*taps + t].
struct AxisPlan {
  int64_t in = 0, out = 0, taps = 1;
  std::vector<int64_t> index;
  std::vector<double> weight;
  std::vector<uint8_t> outside;  // tf_crop_and_resize: the output takes extrapolation_value
  bool any_outside = false;
  bool identity = false;
};

double SourceCoordinate(const Options& o, const AxisSpec& s, int64_t in, int64_t j) {
  const double y = static_cast<double>(j);
  const double in_d = static_cast<double>(in);
  switch (o.coord) {
    case CoordMode::kHalfPixel:
      return (y + 0.5) / s.scale - 0.5;
    case CoordMode::kHalfPixelSymmetric: {
      const double adjustment = static_cast<double>(s.out) / s.out_width;
      const double center = in_d / 2;
      return center * (1 - adjustment) + (y + 0.5) / s.scale - 0.5;
    }
    case CoordMode::kPytorchHalfPixel:
      return s.out > 1 ? (y + 0.5) / s.scale - 0.5 : 0.0;
    case CoordMode::kAlignCorners:
      return s.out_width == 1 ? 0.0 : y * (in_d - 1) / (s.out_width - 1);
    case CoordMode::kAsymmetric:
      return y / s.scale;
    case CoordMode::kTfHalfPixelForNn:
      return (y + 0.5) / s.scale;
    case CoordMode::kTfCropAndResize: {
      const double span = s.roi_end - s.roi_start;
      const double x = s.out_width == 1 ? span * (in_d - 1) / 2 : y * span * (in_d - 1) / (s.out_width - 1);
      return x + s.roi_start * (in_d - 1);
    }
  }
  return 0.0;
}

double CubicKernel(double x, double a) {
  x = std::fabs(x);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0.0;
}

int64_t NearestIndex(const Options& o, double x, double scale) {
  const double fl = std::floor(x);
  const double r = x - fl;
  double v = fl;
  if (r != 0) {
    switch (o.nearest) {
      case NearestMode::kRoundPreferFloor:
        v = r <= 0.5 ? fl : fl + 1;
        break;
      case NearestMode::kRoundPreferCeil:
        v = r < 0.5 ? fl : fl + 1;
        break;
      case NearestMode::kFloor:
        break;
      case NearestMode::kCeil:
        v = fl + 1;
        break;
      case NearestMode::kLegacy:
        v = scale < 1 ? std::ceil(x) : std::trunc(x);
        break;
    }
  }
  // Coordinates far outside (absurd scales) must not overflow the conversion; they clamp anyway.
  v = std::clamp(v, -1.0, 9.0e18);
  return static_cast<int64_t>(v);
}

AxisPlan MakePlan(const Options& o, const AxisSpec& s, int64_t in) {
  AxisPlan p;
  p.in = in;
  p.out = s.out;
  p.outside.assign(static_cast<size_t>(s.out), 0);
  const bool filtered = o.mode != Mode::kNearest;
  const double support = o.mode == Mode::kCubic ? 2.0 : 1.0;
  // Antialiasing widens the filter by 1/scale when shrinking, so every input sample contributes.
  const double filter_scale = filtered && o.antialias ? std::min(s.scale, 1.0) : 1.0;
  const int64_t first = filtered ? static_cast<int64_t>(std::floor(-support / filter_scale)) + 1 : 0;
  p.taps = filtered ? 2 - 2 * first : 1;
  p.index.resize(static_cast<size_t>(s.out * p.taps));
  p.weight.resize(static_cast<size_t>(s.out * p.taps));
  std::vector<double> w(static_cast<size_t>(p.taps));
  for (int64_t j = 0; j < s.out; ++j) {
    double x = SourceCoordinate(o, s, in, j);
    // A NaN roi gives NaN positions: extrapolate them (tf_crop_and_resize) or read the first sample.
    const bool bad = std::isnan(x);
    if (bad) x = 0;
    if (o.coord == CoordMode::kTfCropAndResize && (bad || x < 0 || x > static_cast<double>(in - 1))) {
      p.outside[static_cast<size_t>(j)] = 1;
      p.any_outside = true;
    }
    int64_t* idx = &p.index[static_cast<size_t>(j * p.taps)];
    double* wt = &p.weight[static_cast<size_t>(j * p.taps)];
    if (!filtered) {
      idx[0] = std::clamp<int64_t>(NearestIndex(o, x, s.scale), 0, in - 1);
      wt[0] = 1.0;
      continue;
    }
    const double base = std::floor(std::clamp(x, -1.0e15, 1.0e15));
    const double r = x - base;
    double sum = 0;
    for (int64_t t = 0; t < p.taps; ++t) {
      const double d = (static_cast<double>(first + t) - r) * filter_scale;
      w[t] = o.mode == Mode::kCubic ? CubicKernel(d, o.cubic_a) : std::max(0.0, 1.0 - std::fabs(d));
      sum += w[t];
    }
    if (o.antialias && sum != 0) {
      for (double& v : w) v /= sum;
    }
    const int64_t b = static_cast<int64_t>(base);
    if (o.exclude_outside) {
      sum = 0;
      for (int64_t t = 0; t < p.taps; ++t) {
        const int64_t i = b + first + t;
        if (i < 0 || i >= in) w[t] = 0;
        sum += w[t];
      }
      if (sum != 0) {
        for (double& v : w) v /= sum;
      }
    }
    for (int64_t t = 0; t < p.taps; ++t) {
      idx[t] = std::clamp<int64_t>(b + first + t, 0, in - 1);
      wt[t] = w[t];
    }
  }
  if (s.out == in && !p.any_outside) {
    // An axis that maps every output onto the same input position with weight 1 needs no pass.
    p.identity = true;
    for (int64_t j = 0; j < s.out && p.identity; ++j) {
      double on = 0, off = 0;
      for (int64_t t = 0; t < p.taps; ++t) {
        (p.index[j * p.taps + t] == j ? on : off) += std::fabs(p.weight[j * p.taps + t]);
      }
      p.identity = on == 1.0 && off == 0.0;
    }
  }
  return p;
}

template <typename T>
T FromDouble(double v) {
  if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>) {
    return FromFloat<T>(static_cast<float>(v));
  } else if constexpr (std::is_same_v<T, bool>) {
    return v != 0;
  } else if constexpr (std::is_integral_v<T>) {
    if (std::isnan(v)) return T(0);
    v = std::nearbyint(v);
    if (v <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
    if (v >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
    return static_cast<T>(v);
  } else {
    return static_cast<T>(v);
  }
}

template <typename T>
double ToDouble(T v) {
  if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>) {
    return static_cast<double>(ToFloat(v));
  } else {
    return static_cast<double>(v);
  }
}

// Offsets of each output position along every axis into the input, in elements; used by the nearest path,
// which gathers in one pass.
template <typename T>
void GatherNearest(const T* x, T* y, const Shape& in_shape, const std::vector<AxisPlan>& plans, T extrapolation,
                   ThreadPool* pool) {
  const size_t rank = in_shape.size();
  std::vector<int64_t> in_stride(rank, 1);
  for (size_t d = rank; d-- > 1;) in_stride[d - 1] = in_stride[d] * in_shape[d];
  std::vector<std::vector<int64_t>> offset(rank);
  bool any_outside = false;
  for (size_t d = 0; d < rank; ++d) {
    offset[d].resize(static_cast<size_t>(plans[d].out));
    for (int64_t j = 0; j < plans[d].out; ++j) offset[d][j] = plans[d].index[j * plans[d].taps] * in_stride[d];
    any_outside = any_outside || plans[d].any_outside;
  }
  const int64_t last_out = rank ? plans[rank - 1].out : 1;
  int64_t rows = 1;
  for (size_t d = 0; d + 1 < rank; ++d) rows *= plans[d].out;
  ThreadPool::For(
      pool, rows,
      [&](int64_t begin, int64_t end) {
        for (int64_t row = begin; row < end; ++row) {
          int64_t base = 0, rem = row;
          bool row_outside = false;
          for (size_t d = rank - 1; d-- > 0;) {
            const int64_t j = rem % plans[d].out;
            rem /= plans[d].out;
            base += offset[d][j];
            if (any_outside && plans[d].outside[j]) row_outside = true;
          }
          T* yr = y + row * last_out;
          const int64_t* off = offset[rank - 1].data();
          const uint8_t* out_flags = plans[rank - 1].outside.data();
          for (int64_t j = 0; j < last_out; ++j) {
            yr[j] = (row_outside || (any_outside && out_flags[j])) ? extrapolation : x[base + off[j]];
          }
        }
      },
      16);
}

// Resamples one axis: x is [outer, in, inner], y is [outer, out, inner].
template <typename C>
void ResampleAxis(const C* x, C* y, int64_t outer, int64_t inner, const AxisPlan& p, ThreadPool* pool) {
  std::vector<C> w(p.weight.begin(), p.weight.end());
  const int64_t taps = p.taps, in = p.in, out = p.out;
  ThreadPool::For(
      pool, outer * out,
      [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
          const int64_t o = r / out, j = r % out;
          const C* xo = x + o * in * inner;
          C* yr = y + r * inner;
          const int64_t* idx = &p.index[j * taps];
          const C* wt = &w[j * taps];
          if (inner == 1) {
            C acc = 0;
            for (int64_t t = 0; t < taps; ++t) acc += wt[t] * xo[idx[t]];
            *yr = acc;
            continue;
          }
          std::fill(yr, yr + inner, C(0));
          for (int64_t t = 0; t < taps; ++t) {
            const C wk = wt[t];
            if (wk == 0) continue;
            const C* xs = xo + idx[t] * inner;
            for (int64_t i = 0; i < inner; ++i) yr[i] += wk * xs[i];
          }
        }
      },
      std::max<int64_t>(1, 4096 / std::max<int64_t>(1, inner * taps)));
}

// Filtered (linear/cubic) resize in compute type C, axis by axis.
template <typename C>
Status RunFiltered(KernelContext& ctx, const Options& o, const Tensor& xc, const std::vector<AxisPlan>& plans,
                   Tensor* yc) {
  const size_t rank = plans.size();
  Shape cur = xc.shape();
  // Shrinking axes first keeps the intermediate tensors small.
  std::vector<size_t> order;
  for (size_t d = 0; d < rank; ++d) {
    if (!plans[d].identity) order.push_back(d);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return static_cast<double>(plans[a].out) / static_cast<double>(plans[a].in) <
           static_cast<double>(plans[b].out) / static_cast<double>(plans[b].in);
  });
  Tensor src = xc.Reshaped(cur);
  if (order.empty()) {
    std::copy(xc.data<C>(), xc.data<C>() + xc.size(), yc->data<C>());
  }
  for (size_t k = 0; k < order.size(); ++k) {
    const size_t d = order[k];
    Shape next = cur;
    next[d] = plans[d].out;
    Tensor dst;
    if (k + 1 == order.size()) {
      dst = yc->Reshaped(next);
    } else {
      ONYX_ASSIGN_OR_RETURN(dst, ctx.Allocate(DataTypeOf<C>::value, next));
    }
    int64_t outer = 1, inner = 1;
    for (size_t i = 0; i < d; ++i) outer *= cur[i];
    for (size_t i = d + 1; i < rank; ++i) inner *= cur[i];
    ResampleAxis<C>(src.data<C>(), dst.data<C>(), outer, inner, plans[d], ctx.thread_pool());
    src = dst;
    cur = next;
  }
  bool any_outside = false;
  for (const AxisPlan& p : plans) any_outside = any_outside || p.any_outside;
  if (any_outside) {
    C* y = yc->data<C>();
    const int64_t n = yc->size();
    std::vector<int64_t> pos(rank, 0);
    for (int64_t e = 0; e < n; ++e) {
      bool out = false;
      for (size_t d = 0; d < rank; ++d) out = out || plans[d].outside[pos[d]];
      if (out) y[e] = static_cast<C>(o.extrapolation_value);
      for (size_t d = rank; d-- > 0;) {
        if (++pos[d] < plans[d].out) break;
        pos[d] = 0;
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status Run(KernelContext& ctx, const Options& o, const Tensor& x, const std::vector<AxisSpec>& specs, Tensor* y) {
  const size_t rank = static_cast<size_t>(x.rank());
  if (specs.size() != rank) return ctx.Error("internal: resize plan rank mismatch");
  if (y->size() == 0) return Status::Ok();
  if (rank == 0) return ctx.Error("X must have rank >= 1");
  std::vector<AxisPlan> plans;
  plans.reserve(rank);
  for (size_t d = 0; d < rank; ++d) {
    if (x.dim(d) == 0)
      return ctx.Error("cannot resize an empty axis ", d, " of X ", x.Describe(), " to a non-empty output");
    plans.push_back(MakePlan(o, specs[d], x.dim(d)));
  }
  if (o.mode == Mode::kNearest) {
    return Dispatch<float, double, Float16, BFloat16, int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t,
                    uint64_t, bool>(
        x.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          GatherNearest<T>(x.data<T>(), y->data<T>(), x.shape(), plans, FromDouble<T>(o.extrapolation_value),
                           ctx.thread_pool());
          return Status::Ok();
        },
        ctx.node());
  }
  // Filtered modes compute in double for double input and in float otherwise.
  const DataType ct = x.type() == DataType::kDouble ? DataType::kDouble : DataType::kFloat;
  Tensor xc, yc;
  if (x.type() == ct) {
    xc = x.Reshaped(x.shape());
    yc = y->Reshaped(y->shape());
  } else {
    ONYX_ASSIGN_OR_RETURN(xc, ctx.Allocate(ct, x.shape()));
    ONYX_ASSIGN_OR_RETURN(yc, ctx.Allocate(ct, y->shape()));
    Status st = Dispatch<Float16, BFloat16, int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t>(
        x.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* in = x.data<T>();
          float* out = xc.data<float>();
          for (int64_t i = 0; i < x.size(); ++i) out[i] = static_cast<float>(ToDouble<T>(in[i]));
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
  }
  if (ct == DataType::kDouble) {
    ONYX_RETURN_IF_ERROR(RunFiltered<double>(ctx, o, xc, plans, &yc));
  } else {
    ONYX_RETURN_IF_ERROR(RunFiltered<float>(ctx, o, xc, plans, &yc));
  }
  if (x.type() == ct) return Status::Ok();
  return Dispatch<Float16, BFloat16, int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t>(
      x.type(),
      [&](auto tag) -> Status {
        using T = decltype(tag);
        const float* in = yc.data<float>();
        T* out = y->data<T>();
        for (int64_t i = 0; i < y->size(); ++i) out[i] = FromDouble<T>(in[i]);
        return Status::Ok();
      },
      ctx.node());
}

}  // namespace onyx::cpu::resize

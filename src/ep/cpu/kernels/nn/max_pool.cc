// MaxPool with the optional Indices output (flat indices into X, row- or
// column-major within each plane).
#include <algorithm>
#include <limits>
#include <type_traits>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "ep/cpu/cpu_isa.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ep/cpu/kernels/nn/pool_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {

#if ONYX_X86
ONYX_TARGET_AVX2_BEGIN
namespace {

template <typename T>
__m256i Max32(__m256i a, __m256i b) {
  return std::is_signed_v<T> ? _mm256_max_epi8(a, b) : _mm256_max_epu8(a, b);
}
template <typename T>
__m128i Max16(__m128i a, __m128i b) {
  return std::is_signed_v<T> ? _mm_max_epi8(a, b) : _mm_max_epu8(a, b);
}

// MaxOf (below) for n >= 16 with AVX2; only after cpu::HasAvx2().
template <typename T>
void MaxOfAvx2(const T* const* srcs, int64_t count, T* dst, int64_t n) {
  int64_t c = 0;
  auto v32 = [&](int64_t at) {
    __m256i acc = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(srcs[0] + at));
    for (int64_t t = 1; t < count; ++t) {
      acc = Max32<T>(acc, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(srcs[t] + at)));
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + at), acc);
  };
  if (n >= 32) {
    for (; c + 32 <= n; c += 32) v32(c);
    if (c < n) v32(n - 32);
    return;
  }
  if (n >= 16) {
    auto v16 = [&](int64_t at) {
      __m128i acc = _mm_loadu_si128(reinterpret_cast<const __m128i*>(srcs[0] + at));
      for (int64_t t = 1; t < count; ++t) {
        acc = Max16<T>(acc, _mm_loadu_si128(reinterpret_cast<const __m128i*>(srcs[t] + at)));
      }
      _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + at), acc);
    };
    v16(0);
    v16(n - 16);
  }
}

// SplitPhases (below) for stride 2 and len >= 16 with AVX2; only after cpu::HasAvx2().
template <typename T>
void SplitPhasesAvx2(const T* src, int64_t len, T* dst) {
  // Within each 128-bit lane: the 8 even bytes, then the 8 odd ones; then the lanes' halves regrouped.
  const __m256i shuffle = _mm256_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15,  //
                                           0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
  auto v16 = [&](int64_t i) {  // a plain copy, so a last block overlapping the previous one is harmless
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + 2 * i));
    const __m256i g = _mm256_permute4x64_epi64(_mm256_shuffle_epi8(v, shuffle), 0xD8);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), _mm256_castsi256_si128(g));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + len + i), _mm256_extracti128_si256(g, 1));
  };
  int64_t i = 0;
  for (; i + 16 <= len; i += 16) v16(i);
  if (i < len) v16(len - 16);
}

// 3 x 3 windows of stride 2 inside the plane (no padding reached; the first pools of image models): output row r is
// over input rows 2r..2r+2; with v0 and v1 their maximum from columns 2o and 2o + 1, output o + i is
// max(v0[2i], v1[2i], v1[2i + 1]), taken at the even bytes and packed. Blocks of 16 (or 8) outputs, the last one
// overlapping the previous, read nothing past column 2 * ow, inside the row. False when the plane is too narrow.
// Only after cpu::HasAvx2().
template <typename T>
bool MaxPool3x3S2PlaneAvx2(const T* xp, T* yp, const Window3& w) {
  const int64_t iw = w.in[2], oh = w.out[1], ow = w.out[2];
  if (ow < 8) return false;
  const __m256i even = _mm256_set1_epi16(0x00ff);
  for (int64_t r = 0; r < oh; ++r) {
    const T* a = xp + 2 * r * iw;
    const T* b = a + iw;
    const T* c = b + iw;
    T* yr = yp + r * ow;
    if (ow >= 16) {
      auto block = [&](int64_t o) {
        auto col = [&](int64_t at) {
          auto ld = [&](const T* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + at)); };
          return Max32<T>(Max32<T>(ld(a), ld(b)), ld(c));
        };
        const __m256i v0 = col(2 * o), v1 = col(2 * o + 1);
        const __m256i m = _mm256_and_si256(Max32<T>(Max32<T>(v0, v1), _mm256_srli_epi16(v1, 8)), even);
        const __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi16(m, m), 0x08);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(yr + o), _mm256_castsi256_si128(packed));
      };
      int64_t o = 0;
      for (; o + 16 <= ow; o += 16) block(o);
      if (o < ow) block(ow - 16);
    } else {
      const __m128i even16 = _mm_set1_epi16(0x00ff);
      auto block = [&](int64_t o) {
        auto col = [&](int64_t at) {
          auto ld = [&](const T* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at)); };
          return Max16<T>(Max16<T>(ld(a), ld(b)), ld(c));
        };
        const __m128i v0 = col(2 * o), v1 = col(2 * o + 1);
        const __m128i m = _mm_and_si128(Max16<T>(Max16<T>(v0, v1), _mm_srli_epi16(v1, 8)), even16);
        _mm_storel_epi64(reinterpret_cast<__m128i*>(yr + o), _mm_packus_epi16(m, m));
      };
      block(0);
      block(ow - 8);
    }
  }
  return true;
}
}  // namespace
ONYX_TARGET_AVX2_END
#endif

namespace {

// dst[c] = max over t < count of srcs[t][c], for c < n. Each block of 32 is combined in a register and stored
// once (passes that reload what the previous pass stored stall on store forwarding); the last partial block is
// redone as a full one ending at n, reading only the sources, so nothing past n is read or written.
template <typename T>
void MaxOf(const T* const* srcs, int64_t count, T* dst, int64_t n) {
  int64_t c = 0;
#if ONYX_X86
  if (n >= 16 && HasAvx2()) return MaxOfAvx2(srcs, count, dst, n);
#endif
  for (; c < n; ++c) {
    T m = srcs[0][c];
    for (int64_t t = 1; t < count; ++t) m = srcs[t][c] > m ? srcs[t][c] : m;
    dst[c] = m;
  }
}

// dst[f * len + i] = src[i * stride + f] for i < len: the framed row split by column phase (src holds
// len * stride bytes).
template <typename T>
void SplitPhases(const T* src, int64_t stride, int64_t len, T* dst) {
#if ONYX_X86
  if (stride == 2 && len >= 16 && HasAvx2()) return SplitPhasesAvx2(src, len, dst);
#endif
  for (int64_t f = 0; f < stride; ++f) {
    for (int64_t i = 0; i < len; ++i) dst[f * len + i] = src[i * stride + f];
  }
}

// 8-bit planes in the row-pool geometry (at most two spatial axes, no dilation): for each output row the kernel
// rows' maximum is taken over whole input rows into a buffer framed by the type's lowest value (standing in for
// the padding, which a maximum never picks over a real value), and that buffer is split by column phase (one
// array per residue modulo the stride), so that every kernel column is a plain contiguous maximum. The result
// equals the generic walk's: the maximum of the valid taps, the lowest value when there are none.
template <typename T>
void MaxPoolRows8Plane(const T* xp, T* yp, const Window3& w, T* row, T* phases, const T** taps) {
  const int64_t ih = w.in[1], iw = w.in[2], oh = w.out[1], ow = w.out[2];
  const int64_t kh = w.kernel[1], kw = w.kernel[2], sh = w.stride[1], sw = w.stride[2], ph = w.pad[1], pw = w.pad[2];
  const int64_t span = std::max<int64_t>(pw + iw, (ow - 1) * sw + kw);
  const int64_t phase_len = (span + sw - 1) / sw;
  const T lowest = std::numeric_limits<T>::lowest();
  for (int64_t r = 0; r < oh; ++r) {
    T* yr = yp + r * ow;
    const int64_t h0 = r * sh - ph;
    const int64_t k_lo = std::max<int64_t>(0, -h0), k_hi = std::min<int64_t>(kh, ih - h0);
    if (k_lo >= k_hi) {
      std::fill(yr, yr + ow, lowest);
      continue;
    }
    for (int64_t k = k_lo; k < k_hi; ++k) taps[k - k_lo] = xp + (h0 + k) * iw;
    MaxOf(taps, k_hi - k_lo, row + pw, iw);
    const T* src = row;
    if (sw > 1) {
      SplitPhases(row, sw, phase_len, phases);
      src = phases;
    }
    // Output column c, kernel column j reads framed column c * sw + j: phase j % sw, index c + j / sw.
    for (int64_t j = 0; j < kw; ++j) taps[j] = src + (j % sw) * phase_len + j / sw;
    MaxOf(taps, kw, yr, ow);
  }
}

#if ONYX_X86
bool Is3x3S2Inside(const Window3& w) {
  return w.kernel[1] == 3 && w.kernel[2] == 3 && w.stride[1] == 2 && w.stride[2] == 2 && w.pad[1] == 0 &&
         w.pad[2] == 0 && (w.out[1] - 1) * 2 + 3 <= w.in[1] && (w.out[2] - 1) * 2 + 3 <= w.in[2] && w.out[2] >= 8;
}
#endif

template <typename T>
void MaxPoolRows8(const T* x, T* y, int64_t planes, const Window3& w, ThreadPool* pool) {
#if ONYX_X86
  if (HasAvx2() && Is3x3S2Inside(w)) {
    const double cost = static_cast<double>(w.out[1] * 6 * w.out[2]);
    ThreadPool::For(pool, planes, cost * kCheapNsPerElement / 16, [&](int64_t begin, int64_t end) {
      for (int64_t p = begin; p < end; ++p) MaxPool3x3S2PlaneAvx2(x + p * w.in_size(), y + p * w.out_size(), w);
    });
    return;
  }
#endif
  const int64_t span = std::max<int64_t>(w.pad[2] + w.in[2], (w.out[2] - 1) * w.stride[2] + w.kernel[2]);
  const size_t buf = static_cast<size_t>((span + w.stride[2] - 1) / w.stride[2] * w.stride[2]);
  const double cost = static_cast<double>(w.out[1] * (w.kernel[1] * w.in[2] + w.kernel[2] * w.out[2]));
  ThreadPool::For(pool, planes, cost * kCheapNsPerElement / 8, [&](int64_t begin, int64_t end) {
    std::vector<T> row(buf, std::numeric_limits<T>::lowest()), phases(buf);
    std::vector<const T*> taps(static_cast<size_t>(std::max(w.kernel[1], w.kernel[2])));
    for (int64_t p = begin; p < end; ++p) {
      MaxPoolRows8Plane(x + p * w.in_size(), y + p * w.out_size(), w, row.data(), phases.data(), taps.data());
    }
  });
}

// Stride 1 in both axes with the output as wide as the input (Inception's 3x3 pools beside its convolutions, the
// 5x5 pools of YOLO's SPP): whole planes at once instead of row by row, which on the small planes of a network's
// later stages (27 and 14 columns) were too short for vectors. The kernel rows' maximum is taken over the plane
// flattened (each tap one long contiguous pass), then the kernel columns' the same way with the plane shifted by
// the tap's offset; only the columns within the padding's reach of a row's ends, where a shifted pass wraps into the
// neighbouring row, are redone tap by tap. Equal to the generic walk: the maximum of the valid taps (a maximum never
// picks the lowest value, standing in for the padding, over a real one).
bool IsStride1SameWidth(const Window3& w) {
  return IsRowPool2D(w) && w.stride[1] == 1 && w.stride[2] == 1 && w.out[2] == w.in[2] && w.out[1] >= 1 &&
         w.kernel[1] >= 1 && w.kernel[2] >= 1;
}

template <typename T>
void MaxInto(T* dst, const T* src, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i] = src[i] > dst[i] ? src[i] : dst[i];
}

template <typename T>
void MaxPoolStride1Plane(const T* xp, T* yp, const Window3& w, T* v) {
  const int64_t ih = w.in[1], iw = w.in[2], oh = w.out[1];
  const int64_t kh = w.kernel[1], kw = w.kernel[2], ph = w.pad[1], pw = w.pad[2];
  const T lowest = std::numeric_limits<T>::lowest();
  std::fill(v, v + oh * iw, lowest);
  for (int64_t t = 0; t < kh; ++t) {  // rows r whose tap row r - ph + t is inside the input
    const int64_t r0 = std::max<int64_t>(0, ph - t), r1 = std::min<int64_t>(oh, ih + ph - t);
    if (r0 < r1) MaxInto(v + r0 * iw, xp + (r0 - ph + t) * iw, (r1 - r0) * iw);
  }
  const int64_t n = oh * iw;
  std::fill(yp, yp + n, lowest);
  for (int64_t u = 0; u < kw; ++u) {
    const int64_t shift = u - pw;  // output column c reads column c + shift
    const int64_t i0 = std::max<int64_t>(0, -shift), i1 = n - std::max<int64_t>(0, shift);
    if (i0 < i1) MaxInto(yp + i0, v + i0 + shift, i1 - i0);
  }
  // Columns c < pw and c >= iw - (kw - 1 - pw) reached across a row end above: redone from their valid taps.
  const int64_t left = std::min(iw, pw), right = std::max(left, iw - std::max<int64_t>(0, kw - 1 - pw));
  for (int64_t r = 0; r < oh; ++r) {
    const T* vr = v + r * iw;
    T* yr = yp + r * iw;
    auto redo = [&](int64_t c) {
      T m = lowest;
      for (int64_t u = 0; u < kw; ++u) {
        const int64_t col = c - pw + u;
        if (col >= 0 && col < iw && vr[col] > m) m = vr[col];
      }
      yr[c] = m;
    };
    for (int64_t c = 0; c < left; ++c) redo(c);
    for (int64_t c = right; c < iw; ++c) redo(c);
  }
}

template <typename T>
void MaxPoolPlanes(const T* x, T* y, int64_t* indices, int64_t planes, const Window3& w, bool column_major,
                   ThreadPool* pool) {
  if (!indices && IsStride1SameWidth(w)) {
    const double cost = static_cast<double>(w.out[1] * w.in[2] * (w.kernel[1] + w.kernel[2] + 2));
    ThreadPool::For(pool, planes, cost * kCheapNsPerElement / 4, [&](int64_t begin, int64_t end) {
      std::vector<T> v(static_cast<size_t>(w.out[1] * w.in[2]));
      for (int64_t p = begin; p < end; ++p) MaxPoolStride1Plane(x + p * w.in_size(), y + p * w.out_size(), w, v.data());
    });
    return;
  }
  if constexpr (sizeof(T) == 1) {
    if (!indices && IsRowPool2D(w)) {
      MaxPoolRows8(x, y, planes, w, pool);
      return;
    }
  }
  if (!indices && IsRowPool2D(w)) {
    RowPool2D<T>(
        x, y, planes, w, pool, std::numeric_limits<T>::lowest(), [](T a, T b) { return b > a ? b : a; },
        [](int64_t, T*) {});
    return;
  }
  const int64_t in_size = w.in_size(), out_size = w.out_size();
  ForEachWindow(planes, w, pool, [&](int64_t p, int64_t o, const WindowTaps& t) {
    const T* xp = x + p * in_size;
    T best = std::numeric_limits<T>::lowest();
    int64_t best_at = -1;
    ForEachTap(w, t, [&](int64_t off) {
      if (best_at < 0 || xp[off] > best) {
        best = xp[off];
        best_at = off;
      }
    });
    y[p * out_size + o] = best;
    if (indices) {
      int64_t idx = best_at < 0 ? 0 : best_at;
      if (column_major && best_at >= 0) {
        const int64_t i2 = best_at % w.in[2], i1 = (best_at / w.in[2]) % w.in[1], i0 = best_at / (w.in[1] * w.in[2]);
        // Column-major over the real spatial axes: the last axis
        // varies slowest. Leading widened axes have size 1.
        idx = (i2 * w.in[1] + i1) * w.in[0] + i0;
      }
      indices[p * out_size + o] = p * in_size + idx;
    }
  });
}

class MaxPoolKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(attrs_.Init(info, /*is_pool=*/true));
    ONYX_RETURN_IF_ERROR(info.GetInt("storage_order", &storage_order_, int64_t{0}));
    if (storage_order_ != 0 && storage_order_ != 1) return info.Error("storage_order must be 0 or 1");
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) return ctx.Error("input X is required");
    Shape out_shape;
    Window3 w;
    ONYX_RETURN_IF_ERROR(ResolvePoolWindow(ctx, attrs_, *x, &out_shape, &w));
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, x->type(), out_shape));
    int64_t* indices = nullptr;
    if (ctx.output_requested(1)) {
      ONYX_ASSIGN_OR_RETURN(Tensor * ind, ctx.OutputForOverwrite(1, DataType::kInt64, out_shape));
      indices = ind->data<int64_t>();
    }
    if (y->size() == 0) return Status::Ok();
    const int64_t planes = x->dim(0) * x->dim(1);
    ONYX_ASSIGN_OR_RETURN(Tensor xc, AsComputeTensor(ctx, *x));
    ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
    Status st = Dispatch<float, double, int8_t, uint8_t>(
        xc.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          MaxPoolPlanes(xc.data<T>(), yc.data<T>(), indices, planes, w, storage_order_ == 1, ctx.thread_pool());
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    return Status::Ok();
  }

 private:
  ConvPoolAttrs attrs_;
  int64_t storage_order_ = 0;
};

}  // namespace

ONYX_REGISTER_KERNEL(MaxPoolKernel, KernelDef("CPU", "", "MaxPool")
                                        .Versions(1)
                                        .Types(0, {DataType::kFloat, DataType::kDouble, DataType::kFloat16,
                                                   DataType::kBFloat16, DataType::kInt8, DataType::kUint8}));
ONYX_REGISTER_SHAPE_INFERENCE("", "MaxPool", InferPool);

}  // namespace onyx::cpu

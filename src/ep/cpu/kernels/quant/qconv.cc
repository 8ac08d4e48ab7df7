#include "ep/cpu/kernels/quant/qconv.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "ep/cpu/kernels/parallel_cost.h"
#include "ep/cpu/ukernels/int8_gemm_isa.h"

namespace onyx::cpu::quant {

namespace {

constexpr int64_t kChannelsLastMin = 8;

// a[o][(k0, k1, k2, c)] = xt[i(o, k)][c] for a channels-last input xt [in pixels, channels], `pad` outside it:
// output pixels [p_begin, p_end) (o0, o1, o2 flattened), each a row of row_stride bytes.
void GatherChannelsLast(const uint8_t* xt, int64_t channels, const Window3& w, uint8_t pad, int64_t p_begin,
                        int64_t p_end, int64_t row_stride, uint8_t* a) {
  const int64_t row_len = w.kernel_size() * channels;
  int64_t o2 = p_begin % w.out[2], orow = p_begin / w.out[2];
  for (int64_t p = p_begin; p < p_end; ++p) {
    const int64_t o0 = orow / w.out[1], o1 = orow % w.out[1];
    uint8_t* dst = a + p * row_stride;
    // The GEMM reads whole groups of K: zeros past the taps (none when the taps fill the row, as 64 channels
    // and more do: a call per pixel for nothing).
    if (row_stride > row_len) std::memset(dst + row_len, 0, static_cast<size_t>(row_stride - row_len));
    for (int64_t k0 = 0; k0 < w.kernel[0]; ++k0) {
      const int64_t i0 = o0 * w.stride[0] - w.pad[0] + k0 * w.dilation[0];
      for (int64_t k1 = 0; k1 < w.kernel[1]; ++k1) {
        const int64_t i1 = o1 * w.stride[1] - w.pad[1] + k1 * w.dilation[1];
        const bool row_in = i0 >= 0 && i0 < w.in[0] && i1 >= 0 && i1 < w.in[1];
        // Taps next to each other in the input row: one copy for the whole run.
        const int64_t first = o2 * w.stride[2] - w.pad[2];
        if (row_in && w.dilation[2] == 1 && first >= 0 && first + w.kernel[2] <= w.in[2]) {
          const size_t bytes = static_cast<size_t>(w.kernel[2] * channels);
          std::memcpy(dst, xt + ((i0 * w.in[1] + i1) * w.in[2] + first) * channels, bytes);
          dst += bytes;
          continue;
        }
        for (int64_t k2 = 0; k2 < w.kernel[2]; ++k2, dst += channels) {
          const int64_t i2 = o2 * w.stride[2] - w.pad[2] + k2 * w.dilation[2];
          if (row_in && i2 >= 0 && i2 < w.in[2]) {
            std::memcpy(dst, xt + ((i0 * w.in[1] + i1) * w.in[2] + i2) * channels, static_cast<size_t>(channels));
          } else {
            std::memset(dst, pad, static_cast<size_t>(channels));
          }
        }
      }
    }
    if (++o2 == w.out[2]) {
      o2 = 0;
      ++orow;
    }
  }
}

// col[(c, k0, k1, k2), o] = x[c, i(o, k)], `pad` (the zero point's byte) outside the input, for channels
// [c_begin, c_end).
void Im2ColBytes(const uint8_t* x, int64_t c_begin, int64_t c_end, const Window3& w, uint8_t pad, uint8_t* col) {
  const int64_t out_size = w.out_size(), in_size = w.in_size();
  uint8_t* dst = col + c_begin * w.kernel_size() * out_size;
  for (int64_t c = c_begin; c < c_end; ++c) {
    const uint8_t* xc = x + c * in_size;
    for (int64_t k0 = 0; k0 < w.kernel[0]; ++k0) {
      for (int64_t k1 = 0; k1 < w.kernel[1]; ++k1) {
        for (int64_t k2 = 0; k2 < w.kernel[2]; ++k2, dst += out_size) {
          uint8_t* d = dst;
          // Output columns whose input column is inside the row.
          const int64_t off2 = k2 * w.dilation[2] - w.pad[2];
          int64_t lo = 0, hi = w.out[2];
          while (lo < hi && lo * w.stride[2] + off2 < 0) ++lo;
          while (hi > lo && (hi - 1) * w.stride[2] + off2 >= w.in[2]) --hi;
          for (int64_t o0 = 0; o0 < w.out[0]; ++o0) {
            const int64_t i0 = o0 * w.stride[0] - w.pad[0] + k0 * w.dilation[0];
            for (int64_t o1 = 0; o1 < w.out[1]; ++o1, d += w.out[2]) {
              const int64_t i1 = o1 * w.stride[1] - w.pad[1] + k1 * w.dilation[1];
              if (i0 < 0 || i0 >= w.in[0] || i1 < 0 || i1 >= w.in[1]) {
                std::memset(d, pad, static_cast<size_t>(w.out[2]));
                continue;
              }
              const uint8_t* xr = xc + (i0 * w.in[1] + i1) * w.in[2];
              std::memset(d, pad, static_cast<size_t>(lo));
              if (w.stride[2] == 1) {
                if (hi > lo) std::memcpy(d + lo, xr + lo + off2, static_cast<size_t>(hi - lo));
              } else if (w.stride[2] == 2) {
                // A constant stride, which the compiler vectorizes (the first layers of image models).
                for (int64_t o2 = lo; o2 < hi; ++o2) d[o2] = xr[o2 * 2 + off2];
              } else {
                for (int64_t o2 = lo; o2 < hi; ++o2) d[o2] = xr[o2 * w.stride[2] + off2];
              }
              std::memset(d + hi, pad, static_cast<size_t>(w.out[2] - hi));
            }
          }
        }
      }
    }
  }
}

// One channel of a depthwise convolution (one input and one output channel per group): int32 sums of the
// centered products over the window, then the epilogue.
void DepthwiseChannel(const IntConvDims& d, const QConvArgs& a, int64_t n, int64_t m, std::vector<int32_t>& acc,
                      std::vector<int32_t>& wc) {
  const Window3& w = d.w;
  const int64_t ks = w.kernel_size(), out_size = w.out_size(), in_size = w.in_size();
  const auto* x = static_cast<const uint8_t*>(a.x) + (n * d.in_channels + m) * in_size;
  const uint8_t* wr = a.w->raw.data() + m * ks;
  const bool w_signed = a.w->type == DataType::kInt8;
  const int32_t wz = a.w_zero == nullptr ? 0 : a.w_zero[a.w_zero_per_channel ? m : 0];
  for (int64_t i = 0; i < ks; ++i) {
    wc[static_cast<size_t>(i)] = (w_signed ? static_cast<int8_t>(wr[i]) : static_cast<int32_t>(wr[i])) - wz;
  }
  std::fill(acc.begin(), acc.end(), 0);
  int64_t kidx = 0;
  for (int64_t k0 = 0; k0 < w.kernel[0]; ++k0) {
    for (int64_t k1 = 0; k1 < w.kernel[1]; ++k1) {
      for (int64_t k2 = 0; k2 < w.kernel[2]; ++k2, ++kidx) {
        const int32_t wv = wc[static_cast<size_t>(kidx)];
        if (wv == 0) continue;
        const int64_t off2 = k2 * w.dilation[2] - w.pad[2];
        int64_t lo = 0, hi = w.out[2];
        while (lo < hi && lo * w.stride[2] + off2 < 0) ++lo;
        while (hi > lo && (hi - 1) * w.stride[2] + off2 >= w.in[2]) --hi;
        for (int64_t o0 = 0; o0 < w.out[0]; ++o0) {
          const int64_t i0 = o0 * w.stride[0] - w.pad[0] + k0 * w.dilation[0];
          if (i0 < 0 || i0 >= w.in[0]) continue;
          for (int64_t o1 = 0; o1 < w.out[1]; ++o1) {
            const int64_t i1 = o1 * w.stride[1] - w.pad[1] + k1 * w.dilation[1];
            if (i1 < 0 || i1 >= w.in[1]) continue;
            const uint8_t* xr = x + (i0 * w.in[1] + i1) * w.in[2] + off2;
            int32_t* ar = acc.data() + (o0 * w.out[1] + o1) * w.out[2];
            const int64_t s = w.stride[2];
            // Centering x is left to the end: sum wv * x here, minus x_zero * sum wv over the taps that hit.
            if (a.x_signed) {
              const auto* xs = reinterpret_cast<const int8_t*>(xr);
              for (int64_t o2 = lo; o2 < hi; ++o2) ar[o2] += wv * (xs[o2 * s] - a.x_zero);
            } else {
              for (int64_t o2 = lo; o2 < hi; ++o2) ar[o2] += wv * (static_cast<int32_t>(xr[o2 * s]) - a.x_zero);
            }
          }
        }
      }
    }
  }
  const int64_t base = (n * d.out_channels + m) * out_size;
  if (a.kind == QgemmEpilogue::kInt32) {
    int32_t* y = static_cast<int32_t*>(a.y) + base;
    const int32_t b = a.bias ? a.bias[m] : 0;
    for (int64_t i = 0; i < out_size; ++i) y[i] = acc[static_cast<size_t>(i)] + b;
    return;
  }
  std::vector<float> scale(static_cast<size_t>(out_size), a.scale[m]);
  std::vector<int32_t> bias;
  if (a.bias) bias.assign(static_cast<size_t>(out_size), a.bias[m]);
  RequantizeRow(acc.data(), a.bias ? bias.data() : nullptr, scale.data(), a.y_zero, a.kind == QgemmEpilogue::kInt8,
                out_size, static_cast<uint8_t*>(a.y) + base);
}

}  // namespace

bool IsDepthwise(const IntConvDims& d) { return d.group > 1 && d.group == d.in_channels && d.group == d.out_channels; }

void QConvWeights::Pack(const Tensor& w, int64_t group_count) {
  shape = w.shape();
  type = w.type();
  group = group_count;
  b.clear();
  raw.clear();
  const int64_t m = w.dim(0), mg = m / group_count, kdim = m == 0 ? 0 : w.size() / m;
  const auto* bytes = static_cast<const uint8_t*>(w.raw());
  if (group_count > 1 && group_count == m && kdim == w.size() / m && w.dim(1) == 1) {
    raw.assign(bytes, bytes + w.size());
    return;
  }
  b.resize(static_cast<size_t>(group_count));
  const int64_t cg = w.dim(1), ks = cg == 0 ? 1 : kdim / cg;
  channels_last = cg >= kChannelsLastMin && ks > 1;
  std::vector<uint8_t> reordered;
  if (channels_last) {
    reordered.resize(static_cast<size_t>(w.size()));
    for (int64_t j = 0; j < m; ++j) {
      for (int64_t c = 0; c < cg; ++c) {
        for (int64_t t = 0; t < ks; ++t)
          reordered[static_cast<size_t>(j * kdim + t * cg + c)] = bytes[j * kdim + c * ks + t];
      }
    }
    bytes = reordered.data();
  }
  for (int64_t g = 0; g < group_count; ++g) {
    // B = W_g^T: B[kk][j] = w[(g * mg + j) * kdim + kk].
    b[static_cast<size_t>(g)].Pack(bytes + g * mg * kdim, type == DataType::kInt8, kdim, mg, kdim, /*trans=*/true);
  }
}

void QConv(const IntConvDims& d, const QConvArgs& a, ThreadPool* pool) {
  const Window3& win = d.w;
  const int64_t out_size = win.out_size(), in_size = win.in_size();
  const int64_t cg = d.in_channels / d.group, mg = d.out_channels / d.group;
  const size_t out_bytes = a.kind == QgemmEpilogue::kInt32 ? 4 : 1;
  if (!a.w->raw.empty()) {
    ThreadPool::For(
        pool, d.batch * d.out_channels, kSmallProductNsPerMac * static_cast<double>(out_size * win.kernel_size()),
        [&](int64_t begin, int64_t end) {
          std::vector<int32_t> acc(static_cast<size_t>(out_size)), wc(static_cast<size_t>(win.kernel_size()));
          for (int64_t p = begin; p < end; ++p) DepthwiseChannel(d, a, p / d.out_channels, p % d.out_channels, acc, wc);
        });
    return;
  }
  const bool pointwise = win.kernel_size() == 1 && win.stride[0] == 1 && win.stride[1] == 1 && win.stride[2] == 1 &&
                         win.pad[0] == 0 && win.pad[1] == 0 && win.pad[2] == 0 && win.out_size() == in_size;
  const bool channels_last = !pointwise && a.w->channels_last;
  // Channels-last rows are gathered straight into the GEMM's layout for A (int8 moved to uint8 by the
  // transpose), so Qgemm does not copy them again.
  const QgemmPackedA layout =
      channels_last ? QgemmPackedALayout(a.w->b[0], out_size) : QgemmPackedA{cg * win.kernel_size(), out_size};
  uint8_t* col = pointwise ? nullptr : ScratchBytes(1, layout.rows * layout.stride);
  uint8_t* xt = channels_last ? ScratchBytes(2, cg * in_size) : nullptr;
  const uint8_t flip = a.x_signed ? 0x80 : 0;
  const uint8_t pad_byte = static_cast<uint8_t>(a.x_zero);
  auto gather_rows = [&](int64_t p0, int64_t p1) {
    GatherChannelsLast(xt, cg, win, static_cast<uint8_t>(pad_byte ^ flip), p0, p1, layout.stride, col);
  };
  const ThreadPool::RangeFn gather(gather_rows);
  for (int64_t n = 0; n < d.batch; ++n) {
    for (int64_t g = 0; g < d.group; ++g) {
      const auto* xg = static_cast<const uint8_t*>(a.x) + (n * d.in_channels + g * cg) * in_size;
      QgemmArgs q;
      q.m = out_size;
      q.a_signed = a.x_signed;
      q.a_trans = true;
      if (pointwise) {
        q.a = xg;
        q.lda = in_size;
      } else if (channels_last) {
        // In runs of input pixels, split over the pool: on one thread this copy was the serial part of a layer.
        constexpr int64_t kRun = 256;
        ThreadPool::For(pool, (in_size + kRun - 1) / kRun, kCopyNsPerByte * static_cast<double>(kRun * cg),
                        [&](int64_t b0, int64_t b1) {
                          const int64_t p0 = b0 * kRun, p1 = std::min(in_size, b1 * kRun);
                          TransposeBytes(xg + p0, in_size, cg, p1 - p0, xt + p0 * cg, cg, flip);
                        });
        // The rows are gathered inside the product's tasks, a block at a time (Qgemm's a_fill).
        q.a = col;
        q.a_trans = false;
        q.a_packed = true;
        q.lda = layout.stride;
        q.a_fill = &gather;
      } else {
        ThreadPool::For(pool, cg, kCopyNsPerByte * static_cast<double>(win.kernel_size() * out_size),
                        [&](int64_t c0, int64_t c1) { Im2ColBytes(xg, c0, c1, win, pad_byte, col); });
        q.a = col;
        q.lda = out_size;
      }
      q.a_zero = &a.x_zero;
      q.b = &a.w->b[static_cast<size_t>(g)];
      q.b_zero = a.w_zero == nullptr ? nullptr : a.w_zero + (a.w_zero_per_channel ? g * mg : 0);
      q.b_zero_per_col = a.w_zero_per_channel;
      QgemmEpilogue& ep = q.epilogue;
      ep.kind = a.kind;
      ep.out = static_cast<uint8_t*>(a.y) + ((n * d.out_channels + g * mg) * out_size) * out_bytes;
      ep.out_row = 1;
      ep.out_col = out_size;
      ep.bias = a.bias ? a.bias + g * mg : nullptr;
      ep.scale = a.scale ? a.scale + g * mg : nullptr;
      ep.zero_point = a.y_zero;
      Qgemm(q, pool);
    }
  }
}

}  // namespace onyx::cpu::quant

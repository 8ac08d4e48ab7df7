#include "ep/cpu/kernels/nn/im2col.h"

#include <algorithm>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/parallel_cost.h"

namespace onyx::cpu {

namespace {

// Calls fn(col_row_pointer_offset, x_plane_offset, ow_range...) for each output
// row of one col row. Kept as a template so Im2Col and Col2Im share the index
// arithmetic.
template <typename Fn>
void ForEachColRow(int64_t r, const Window3& w, Fn&& fn) {
  const int64_t ks = w.kernel_size();
  const int64_t c = r / ks, rem = r % ks;
  const int64_t kd = rem / (w.kernel[1] * w.kernel[2]);
  const int64_t kh = (rem / w.kernel[2]) % w.kernel[1];
  const int64_t kw = rem % w.kernel[2];
  const int64_t plane = c * w.in_size();
  const int64_t iw0 = kw * w.dilation[2] - w.pad[2];
  for (int64_t od = 0; od < w.out[0]; ++od) {
    const int64_t id = od * w.stride[0] - w.pad[0] + kd * w.dilation[0];
    for (int64_t oh = 0; oh < w.out[1]; ++oh) {
      const int64_t ih = oh * w.stride[1] - w.pad[1] + kh * w.dilation[1];
      const int64_t col_off = (od * w.out[1] + oh) * w.out[2];
      const bool inside = id >= 0 && id < w.in[0] && ih >= 0 && ih < w.in[1];
      fn(col_off, inside ? plane + (id * w.in[1] + ih) * w.in[2] : -1, iw0);
    }
  }
}

}  // namespace

template <typename T>
void Im2Col(const T* x, int64_t channels, const Window3& w, T* col, ThreadPool* pool) {
  const int64_t rows = channels * w.kernel_size();
  const int64_t out_size = w.out_size();
  const int64_t ow_n = w.out[2], sw = w.stride[2], in_w = w.in[2];
  ThreadPool::For(
      pool, rows, static_cast<double>(out_size * sizeof(T)) * kCopyNsPerByte, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
          T* dst = col + r * out_size;
          ForEachColRow(r, w, [&](int64_t col_off, int64_t x_off, int64_t iw0) {
            T* drow = dst + col_off;
            if (x_off < 0) {
              std::fill(drow, drow + ow_n, T(0));
              return;
            }
            const T* xrow = x + x_off;
            if (sw == 1) {
              // Contiguous run: zeros, a copy, zeros.
              const int64_t lo = std::clamp<int64_t>(-iw0, 0, ow_n);
              const int64_t hi = std::clamp<int64_t>(in_w - iw0, lo, ow_n);
              std::fill(drow, drow + lo, T(0));
              std::copy(xrow + iw0 + lo, xrow + iw0 + hi, drow + lo);
              std::fill(drow + hi, drow + ow_n, T(0));
              return;
            }
            for (int64_t ow = 0; ow < ow_n; ++ow) {
              const int64_t iw = iw0 + ow * sw;
              drow[ow] = iw >= 0 && iw < in_w ? xrow[iw] : T(0);
            }
          });
        }
      });
}

template <typename T>
void Col2Im(const T* col, int64_t channels, const Window3& w, T* x, ThreadPool* pool) {
  const int64_t ks = w.kernel_size();
  const int64_t out_size = w.out_size();
  const int64_t ow_n = w.out[2], sw = w.stride[2], in_w = w.in[2];
  // Parallel over channels: the rows of one channel write to the same plane, so
  // they stay on one thread.
  ThreadPool::For(
      pool, channels, static_cast<double>(ks * out_size) * kCheapNsPerElement, [&](int64_t begin, int64_t end) {
        for (int64_t c = begin; c < end; ++c) {
          for (int64_t r = c * ks; r < (c + 1) * ks; ++r) {
            const T* src = col + r * out_size;
            ForEachColRow(r, w, [&](int64_t col_off, int64_t x_off, int64_t iw0) {
              if (x_off < 0) return;
              const T* srow = src + col_off;
              T* xrow = x + x_off;
              for (int64_t ow = 0; ow < ow_n; ++ow) {
                const int64_t iw = iw0 + ow * sw;
                if (iw >= 0 && iw < in_w) xrow[iw] += srow[ow];
              }
            });
          }
        }
      });
}

template void Im2Col<float>(const float*, int64_t, const Window3&, float*, ThreadPool*);
template void Im2Col<double>(const double*, int64_t, const Window3&, double*, ThreadPool*);
template void Col2Im<float>(const float*, int64_t, const Window3&, float*, ThreadPool*);
template void Col2Im<double>(const double*, int64_t, const Window3&, double*, ThreadPool*);

}  // namespace onyx::cpu

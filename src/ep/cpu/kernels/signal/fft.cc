#include "ep/cpu/kernels/signal/fft.h"

#include <cmath>
#include <numbers>

namespace onyx::cpu::fft {

namespace {

bool IsPowerOfTwo(int64_t n) { return n > 0 && (n & (n - 1)) == 0; }

}  // namespace

Plan::Plan(int64_t n) : n_(n) {
  if (n <= 1) return;
  bluestein_ = !IsPowerOfTwo(n);
  m_ = 1;
  if (bluestein_) {
    while (m_ < 2 * n - 1) m_ <<= 1;
  } else {
    m_ = n;
  }
  twiddle_.resize(static_cast<size_t>(m_ / 2));
  for (int64_t k = 0; k < m_ / 2; ++k) {
    const double a = -2.0 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(m_);
    twiddle_[k] = Complex(std::cos(a), std::sin(a));
  }
  int bits = 0;
  while ((int64_t{1} << bits) < m_) ++bits;
  bitrev_.resize(static_cast<size_t>(m_));
  for (int64_t i = 0; i < m_; ++i) {
    int64_t r = 0;
    for (int b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
    bitrev_[i] = r;
  }
  if (!bluestein_) return;
  chirp_.resize(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) {
    // k^2 mod 2n keeps the angle small and exact for large k.
    const int64_t k2 = (k * k) % (2 * n);
    const double a = -std::numbers::pi * static_cast<double>(k2) / static_cast<double>(n);
    chirp_[k] = Complex(std::cos(a), std::sin(a));
  }
  chirp_fft_.assign(static_cast<size_t>(m_), Complex(0, 0));
  chirp_fft_[0] = std::conj(chirp_[0]);
  for (int64_t k = 1; k < n; ++k) chirp_fft_[k] = chirp_fft_[m_ - k] = std::conj(chirp_[k]);
  Radix2(chirp_fft_.data(), false);
}

void Plan::Radix2(Complex* data, bool inverse) const {
  for (int64_t i = 0; i < m_; ++i) {
    if (i < bitrev_[i]) std::swap(data[i], data[bitrev_[i]]);
  }
  for (int64_t len = 2; len <= m_; len <<= 1) {
    const int64_t half = len / 2, step = m_ / len;
    for (int64_t start = 0; start < m_; start += len) {
      for (int64_t k = 0; k < half; ++k) {
        Complex w = twiddle_[k * step];
        if (inverse) w = std::conj(w);
        const Complex u = data[start + k], v = data[start + k + half] * w;
        data[start + k] = u + v;
        data[start + k + half] = u - v;
      }
    }
  }
}

void Plan::Run(Complex* data, bool inverse, std::vector<Complex>* scratch) const {
  if (n_ <= 1) return;
  if (!bluestein_) {
    Radix2(data, inverse);
    return;
  }
  // X[k] = conj(c[k]) ... with c[k] = e^{-pi i k^2/n}: X = c . ((x . c) (*) conj(c)). The inverse transform is
  // the conjugate of the forward transform of the conjugate.
  std::vector<Complex>& a = *scratch;
  a.assign(static_cast<size_t>(m_), Complex(0, 0));
  for (int64_t k = 0; k < n_; ++k) a[k] = (inverse ? std::conj(data[k]) : data[k]) * chirp_[k];
  Radix2(a.data(), false);
  for (int64_t k = 0; k < m_; ++k) a[k] *= chirp_fft_[k];
  Radix2(a.data(), true);
  const double scale = 1.0 / static_cast<double>(m_);
  for (int64_t k = 0; k < n_; ++k) {
    const Complex v = a[k] * scale * chirp_[k];
    data[k] = inverse ? std::conj(v) : v;
  }
}

}  // namespace onyx::cpu::fft

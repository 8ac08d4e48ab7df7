// Discrete Fourier transform of any length in double precision: iterative radix-2 for powers of two,
// Bluestein's chirp-z (which turns any length into a power-of-two convolution) otherwise. A plan is built
// once per length and is read-only afterwards, so several threads may run it at once.
#pragma once

#include <complex>
#include <cstdint>
#include <vector>

namespace onyx::cpu::fft {

using Complex = std::complex<double>;

class Plan {
 public:
  explicit Plan(int64_t n);
  int64_t size() const { return n_; }
  // Transforms data[0..n) in place: forward uses e^{-2 pi i k m / n}, inverse e^{+2 pi i k m / n}. The inverse
  // is not scaled by 1/n. `scratch` is reused between calls by the same thread.
  void Run(Complex* data, bool inverse, std::vector<Complex>* scratch) const;

 private:
  void Radix2(Complex* data, bool inverse) const;

  int64_t n_ = 0;
  int64_t m_ = 0;                 // power-of-two length of the radix-2 transform (n itself, or Bluestein's)
  std::vector<Complex> twiddle_;  // e^{-2 pi i k / m}, k < m / 2
  std::vector<int64_t> bitrev_;
  bool bluestein_ = false;
  std::vector<Complex> chirp_;      // e^{-pi i k^2 / n}, k < n
  std::vector<Complex> chirp_fft_;  // forward FFT (length m) of the conjugate chirp, wrapped
};

}  // namespace onyx::cpu::fft

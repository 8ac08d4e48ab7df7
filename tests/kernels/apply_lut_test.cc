// ApplyLut (the 8-bit table lookup behind the requantizing and unary QLinear operators) against a plain lookup:
// lengths around the 64-byte blocks of the vector path, and in place.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "ep/cpu/kernels/quant/qlinear_common.h"

namespace onyx::cpu::quant {
namespace {

TEST(ApplyLut, MatchesPlainLookup) {
  Lut lut{};
  for (int v = 0; v < 256; ++v) lut[static_cast<size_t>(v)] = static_cast<uint8_t>((v * 73 + 41) ^ (v >> 3));
  for (int64_t n : {0, 1, 15, 16, 63, 64, 65, 127, 128, 200, 1031}) {
    std::vector<uint8_t> in(static_cast<size_t>(n)), out(static_cast<size_t>(n), 0xAA), want(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) in[static_cast<size_t>(i)] = static_cast<uint8_t>(i * 37 + i / 256);
    for (int64_t i = 0; i < n; ++i) want[static_cast<size_t>(i)] = lut[in[static_cast<size_t>(i)]];
    ApplyLut(lut, in.data(), out.data(), n);
    EXPECT_EQ(out, want) << "n = " << n;
    ApplyLut(lut, in.data(), in.data(), n);
    EXPECT_EQ(in, want) << "in place, n = " << n;
  }
}

}  // namespace
}  // namespace onyx::cpu::quant

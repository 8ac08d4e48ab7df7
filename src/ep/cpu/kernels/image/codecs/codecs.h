// Image codecs behind ImageDecoder. Each decoder takes the encoded bytes (untrusted) and produces 8-bit
// samples, rows top to bottom, channels interleaved: 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA). A
// decoder never aborts or prints: a corrupt, truncated or unsupported stream gives a Status whose message the
// kernel prefixes with the node.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/checked_math.h"
#include "common/status.h"

namespace onyx::cpu::codecs {

struct DecodedImage {
  int64_t height = 0;
  int64_t width = 0;
  int channels = 0;
  std::vector<uint8_t> pixels;
};

// Largest decoded image we agree to allocate: an 8-byte header may claim gigapixels.
inline constexpr int64_t kMaxDecodedBytes = int64_t{1} << 31;

// Checks the dimensions (positive, within kMaxDecodedBytes) and sizes image->pixels.
inline Status AllocateImage(const char* format, int64_t height, int64_t width, int channels, DecodedImage* image) {
  int64_t bytes = 0;
  if (height <= 0 || width <= 0 || channels <= 0 || !CheckedMul(height, width, &bytes) ||
      !CheckedMul(bytes, channels, &bytes)) {
    return InvalidArgument(format, ": invalid image dimensions ", width, "x", height, "x", channels);
  }
  if (bytes > kMaxDecodedBytes) {
    return InvalidArgument(format, ": image of ", width, "x", height, "x", channels, " exceeds the limit of ",
                           kMaxDecodedBytes, " bytes");
  }
  image->height = height;
  image->width = width;
  image->channels = channels;
  image->pixels.assign(static_cast<size_t>(bytes), 0);
  return Status::Ok();
}

// Replaces 4-channel CMYK samples by RGB with Pillow's conversion, round(255 * (1 - c) * (1 - k)). Inverted
// samples store 255 - value.
inline void CmykToRgb(bool inverted, DecodedImage* image) {
  const size_t pixels = static_cast<size_t>(image->height * image->width);
  uint8_t* p = image->pixels.data();
  for (size_t i = 0; i < pixels; ++i) {  // writes stay behind reads, so in place is safe
    const int k = inverted ? p[4 * i + 3] : 255 - p[4 * i + 3];
    for (int c = 0; c < 3; ++c) {
      const int v = inverted ? p[4 * i + c] : 255 - p[4 * i + c];
      p[3 * i + c] = static_cast<uint8_t>((v * k + 127) / 255);
    }
  }
  image->channels = 3;
  image->pixels.resize(pixels * 3);
}

Status DecodeBmp(std::span<const uint8_t> data, DecodedImage* image);
Status DecodePnm(std::span<const uint8_t> data, DecodedImage* image);
Status DecodeJpeg(std::span<const uint8_t> data, DecodedImage* image);
Status DecodePng(std::span<const uint8_t> data, DecodedImage* image);
Status DecodeWebp(std::span<const uint8_t> data, DecodedImage* image);
Status DecodeTiff(std::span<const uint8_t> data, DecodedImage* image);
Status DecodeJpeg2000(std::span<const uint8_t> data, DecodedImage* image);

}  // namespace onyx::cpu::codecs

// Netpbm PBM/PGM/PPM (P1 to P6), our own parser: a text header, then raw or decimal samples. Samples are scaled
// from 0..maxval to 0..255 as Pillow scales them; raw samples above maxval are clamped (Pillow) and plain
// ones are an error (Pillow). Bitmaps (P1, P4) store 1 for black.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "ep/cpu/kernels/image/codecs/codecs.h"

namespace onyx::cpu::codecs {

namespace {

class Scanner {
 public:
  explicit Scanner(std::span<const uint8_t> data) : d_(data) {}
  std::span<const uint8_t> rest() const { return d_.subspan(pos_); }
  void Advance(size_t n) { pos_ += n; }

  // Skips whitespace and '#' comments (to the end of the line).
  void SkipSpace() {
    while (pos_ < d_.size()) {
      if (d_[pos_] == '#') {
        while (pos_ < d_.size() && d_[pos_] != '\n' && d_[pos_] != '\r') ++pos_;
      } else if (std::isspace(d_[pos_])) {
        ++pos_;
      } else {
        return;
      }
    }
  }
  // A decimal number up to `limit`, after optional whitespace.
  Status Number(const char* what, int64_t limit, int64_t* out) {
    SkipSpace();
    if (pos_ >= d_.size()) return InvalidArgument("PNM: the stream ends before the ", what);
    if (!std::isdigit(d_[pos_])) return InvalidArgument("PNM: invalid character in the ", what);
    int64_t v = 0;
    while (pos_ < d_.size() && std::isdigit(d_[pos_])) {
      v = v * 10 + (d_[pos_++] - '0');
      if (v > limit) return InvalidArgument("PNM: ", what, " is larger than ", limit);
    }
    if (pos_ < d_.size() && !std::isspace(d_[pos_]) && d_[pos_] != '#') {
      return InvalidArgument("PNM: invalid character after the ", what);
    }
    *out = v;
    return Status::Ok();
  }
  // One plain bitmap pixel: '0' or '1', whitespace optional between them.
  Status Bit(int64_t* out) {
    SkipSpace();
    if (pos_ >= d_.size()) return InvalidArgument("PNM: the stream ends before the image data is complete");
    const uint8_t c = d_[pos_++];
    if (c != '0' && c != '1') return InvalidArgument("PNM: invalid bitmap value '", static_cast<char>(c), "'");
    *out = c - '0';
    return Status::Ok();
  }

 private:
  std::span<const uint8_t> d_;
  size_t pos_ = 0;
};

// Pillow's round(v / maxval * 255) in doubles, ties to even: integer rounding would differ where the double
// product falls just below a half (30 / 100 * 255 = 76.49999...).
uint8_t Scale(int64_t v, int64_t maxval) {
  return static_cast<uint8_t>(std::nearbyint(static_cast<double>(v) / static_cast<double>(maxval) * 255.0));
}

}  // namespace

Status DecodePnm(std::span<const uint8_t> data, DecodedImage* image) {
  if (data.size() < 2 || data[0] != 'P' || data[1] < '1' || data[1] > '6') {
    return InvalidArgument("PNM: missing signature");
  }
  const int kind = data[1] - '0';
  const bool bitmap = kind == 1 || kind == 4, plain = kind <= 3;
  const int channels = kind == 3 || kind == 6 ? 3 : 1;
  Scanner s(data);
  s.Advance(2);
  if (s.rest().empty() || !(std::isspace(s.rest()[0]) || s.rest()[0] == '#')) {
    return InvalidArgument("PNM: invalid character after the signature");
  }
  int64_t width = 0, height = 0, maxval = 1;
  ONYX_RETURN_IF_ERROR(s.Number("width", kMaxDecodedBytes, &width));
  ONYX_RETURN_IF_ERROR(s.Number("height", kMaxDecodedBytes, &height));
  if (!bitmap) {
    ONYX_RETURN_IF_ERROR(s.Number("maximum value", 65535, &maxval));
    if (maxval == 0) return InvalidArgument("PNM: the maximum value must be positive");
  }
  ONYX_RETURN_IF_ERROR(AllocateImage("PNM", height, width, channels, image));
  uint8_t* out = image->pixels.data();
  const size_t samples = image->pixels.size();

  if (plain) {
    for (size_t i = 0; i < samples; ++i) {
      int64_t v = 0;
      if (bitmap) {
        ONYX_RETURN_IF_ERROR(s.Bit(&v));
        out[i] = v ? 0 : 255;
        continue;
      }
      ONYX_RETURN_IF_ERROR(s.Number("sample", maxval, &v));
      out[i] = Scale(v, maxval);
    }
    return Status::Ok();
  }

  // Raw: exactly one whitespace byte separates the header from the samples.
  if (s.rest().empty() || !std::isspace(s.rest()[0])) {
    return InvalidArgument("PNM: the stream ends before the image data is complete");
  }
  s.Advance(1);
  const std::span<const uint8_t> raster = s.rest();
  if (bitmap) {
    const size_t row_bytes = static_cast<size_t>((width + 7) / 8);
    if (raster.size() / row_bytes < static_cast<size_t>(height)) {
      return InvalidArgument("PNM: the stream ends before the image data is complete");
    }
    for (int64_t y = 0; y < height; ++y) {
      const uint8_t* row = raster.data() + y * row_bytes;
      for (int64_t x = 0; x < width; ++x) *out++ = (row[x / 8] >> (7 - x % 8)) & 1 ? 0 : 255;
    }
    return Status::Ok();
  }
  const size_t bytes_per_sample = maxval < 256 ? 1 : 2;
  if (raster.size() / bytes_per_sample < samples) {
    return InvalidArgument("PNM: the stream ends before the image data is complete");
  }
  for (size_t i = 0; i < samples; ++i) {
    const int64_t v = bytes_per_sample == 1 ? raster[i] : (raster[2 * i] << 8) | raster[2 * i + 1];
    out[i] = Scale(std::min(v, maxval), maxval);
  }
  return Status::Ok();
}

}  // namespace onyx::cpu::codecs

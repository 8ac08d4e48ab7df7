// BMP, our own parser (the format is a header over raw or run-length-coded rows). It reads what Pillow reads:
// core (OS/2 1.x) and info headers of 40 to 124 bytes; 1/2/4/8-bit palettes, 16/24/32-bit pixels with default or
// explicit bit fields, RLE8 and RLE4. Every field is untrusted: sizes are checked before use and every read is
// bounds-checked. The result is always RGB; alpha is dropped, as ImageDecoder drops it.
#include <algorithm>
#include <bit>
#include <cstring>
#include <vector>

#include "ep/cpu/kernels/image/codecs/codecs.h"

namespace onyx::cpu::codecs {

namespace {

enum Compression : uint32_t { kRgb = 0, kRle8 = 1, kRle4 = 2, kBitfields = 3, kAlphaBitfields = 6 };

uint32_t U16(const uint8_t* p) { return p[0] | (p[1] << 8); }
uint32_t U32(const uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24); }

struct Header {
  int64_t width = 0, height = 0;  // height > 0 when rows are stored bottom-up
  uint32_t bits = 0, compression = kRgb, colors_used = 0;
  uint32_t masks[3] = {0, 0, 0};  // red, green, blue
  size_t palette_offset = 0, palette_entry = 4;
};

// One color channel of a bit-field pixel, scaled to 8 bits the way Pillow scales (truncating).
struct Field {
  uint32_t mask = 0, shift = 0, max = 0;
  static Result<Field> Make(uint32_t mask) {
    Field f;
    if (mask == 0) return f;
    f.mask = mask;
    f.shift = static_cast<uint32_t>(std::countr_zero(mask));
    const uint32_t v = mask >> f.shift;
    if ((v & (v + 1)) != 0) return InvalidArgument("BMP: bit field mask ", mask, " is not contiguous");
    f.max = v;
    return f;
  }
  uint8_t Get(uint32_t pixel) const {
    return max == 0 ? 0 : static_cast<uint8_t>(uint64_t{(pixel & mask) >> shift} * 255 / max);
  }
};

Status ReadHeader(std::span<const uint8_t> d, Header* h) {
  if (d.size() < 18) return InvalidArgument("BMP: truncated header");
  const uint32_t size = U32(&d[14]);
  if (size != 12 && (size < 40 || size > 124)) return InvalidArgument("BMP: unsupported header size ", size);
  if (d.size() < 14 + static_cast<size_t>(size)) return InvalidArgument("BMP: truncated header");
  const uint8_t* p = &d[18];
  if (size == 12) {
    h->width = U16(p);
    h->height = U16(p + 2);
    h->bits = U16(p + 6);
    h->palette_entry = 3;
  } else {
    h->width = static_cast<int32_t>(U32(p));
    h->height = static_cast<int32_t>(U32(p + 4));
    h->bits = U16(p + 10);
    h->compression = U32(p + 12);
    h->colors_used = U32(p + 28);
  }
  h->palette_offset = 14 + size;
  if (h->compression == kBitfields || h->compression == kAlphaBitfields) {
    const uint8_t* m = p + 36;  // in the header when it is long enough, else right after it
    if (size < 52) {
      const size_t extra = h->compression == kAlphaBitfields ? 16 : 12;
      if (d.size() < h->palette_offset + extra) return InvalidArgument("BMP: truncated bit field masks");
      m = &d[h->palette_offset];
      h->palette_offset += extra;
    }
    for (int c = 0; c < 3; ++c) h->masks[c] = U32(m + 4 * c);
  } else if (h->bits == 16) {
    h->masks[0] = 0x7C00, h->masks[1] = 0x03E0, h->masks[2] = 0x001F;
  } else if (h->bits == 32) {
    h->masks[0] = 0xFF0000, h->masks[1] = 0xFF00, h->masks[2] = 0xFF;
  }
  if (h->width <= 0 || h->height == 0 || h->height == INT32_MIN) {
    return InvalidArgument("BMP: invalid dimensions ", h->width, "x", h->height);
  }
  const uint32_t b = h->bits, c = h->compression;
  const bool valid = (c == kRgb && (b == 1 || b == 2 || b == 4 || b == 8 || b == 16 || b == 24 || b == 32)) ||
                     (c == kRle8 && b == 8) || (c == kRle4 && b == 4) ||
                     ((c == kBitfields || c == kAlphaBitfields) && (b == 16 || b == 32));
  if (!valid) return InvalidArgument("BMP: unsupported combination of ", b, " bits and compression ", c);
  if ((c == kRle8 || c == kRle4) && h->height < 0) return InvalidArgument("BMP: run-length data must be bottom-up");
  return Status::Ok();
}

// Expands run-length-coded indices (RLE8, or RLE4 with two pixels a byte) into `indices`, row 0 at the bottom.
// As in Pillow, a run stops at the end of its row while literal pixels continue on the next one, and skipped
// pixels keep index 0. A stream that stops early leaves the rest at 0 (where Pillow fails).
void DecodeRle(std::span<const uint8_t> s, bool four_bits, int64_t width, int64_t height, uint8_t* indices) {
  const int64_t total = width * height;
  int64_t pos = 0;  // row-major position, bottom row first
  size_t i = 0;
  while (i + 1 < s.size() && pos < total) {
    const uint32_t n = s[i], v = s[i + 1];
    i += 2;
    if (n > 0) {  // a run of n pixels
      const int64_t count = std::min<int64_t>(n, width - pos % width);
      for (int64_t k = 0; k < count; ++k) indices[pos++] = four_bits ? ((k & 1) ? v & 0xF : v >> 4) : v;
    } else if (v == 0) {  // end of row
      if (pos % width != 0) pos += width - pos % width;
    } else if (v == 1) {  // end of bitmap
      break;
    } else if (v == 2) {  // move right and up
      if (i + 1 >= s.size()) break;
      pos += s[i] + int64_t{s[i + 1]} * width;
      i += 2;
    } else {  // v literal pixels, padded to an even number of bytes
      const size_t bytes = four_bits ? (v + 1) / 2 : v;
      if (s.size() - i < bytes) break;
      for (uint32_t k = 0; k < v && pos < total; ++k) {
        indices[pos++] = four_bits ? ((k & 1) ? s[i + k / 2] & 0xF : s[i + k / 2] >> 4) : s[i + k];
      }
      i += bytes + (bytes & 1);
    }
  }
}

}  // namespace

Status DecodeBmp(std::span<const uint8_t> data, DecodedImage* image) {
  if (data.size() < 14 || data[0] != 'B' || data[1] != 'M') return InvalidArgument("BMP: missing signature");
  Header h;
  ONYX_RETURN_IF_ERROR(ReadHeader(data, &h));
  const bool bottom_up = h.height > 0;
  const int64_t width = h.width, height = bottom_up ? h.height : -h.height;
  ONYX_RETURN_IF_ERROR(AllocateImage("BMP", height, width, 3, image));

  // The palette: BGR(X) entries; an index past its end reads black.
  std::vector<uint8_t> palette;
  if (h.bits <= 8) {
    const uint32_t full = 1u << h.bits;
    const uint32_t colors = h.colors_used > 0 && h.colors_used <= full ? h.colors_used : full;
    const size_t bytes = static_cast<size_t>(colors) * h.palette_entry;
    if (data.size() < h.palette_offset || data.size() - h.palette_offset < bytes) {
      return InvalidArgument("BMP: truncated palette");
    }
    palette.assign(256 * 3, 0);
    for (uint32_t i = 0; i < colors; ++i) {
      const uint8_t* e = &data[h.palette_offset + static_cast<size_t>(i) * h.palette_entry];
      palette[3 * i] = e[2], palette[3 * i + 1] = e[1], palette[3 * i + 2] = e[0];
    }
    h.palette_offset += bytes;
  }
  const uint32_t declared_offset = U32(&data[10]);
  const size_t offset = declared_offset != 0 ? declared_offset : h.palette_offset;
  if (offset > data.size()) return InvalidArgument("BMP: pixel data offset ", offset, " is past the end");
  const std::span<const uint8_t> pixels = data.subspan(offset);
  uint8_t* out = image->pixels.data();
  auto out_row = [&](int64_t stored_row) {
    return out + static_cast<size_t>(bottom_up ? height - 1 - stored_row : stored_row) * width * 3;
  };

  if (h.compression == kRle8 || h.compression == kRle4) {
    std::vector<uint8_t> indices(static_cast<size_t>(width * height), 0);
    DecodeRle(pixels, h.compression == kRle4, width, height, indices.data());
    for (int64_t y = 0; y < height; ++y) {
      uint8_t* o = out_row(y);
      for (int64_t x = 0; x < width; ++x) std::memcpy(o + 3 * x, &palette[3 * indices[y * width + x]], 3);
    }
    return Status::Ok();
  }

  // Rows are padded to 4 bytes; width <= 2^31 and bits <= 32 keep this within int64.
  const int64_t stride = (width * h.bits + 31) / 32 * 4;
  int64_t needed = 0;
  if (!CheckedMul(stride, height, &needed) || needed > static_cast<int64_t>(pixels.size())) {
    return InvalidArgument("BMP: truncated pixel data (", pixels.size(), " bytes for ", width, "x", height, ")");
  }
  Field fields[3];
  for (int c = 0; c < 3; ++c) {
    ONYX_ASSIGN_OR_RETURN(fields[c], Field::Make(h.masks[c]));
  }
  for (int64_t y = 0; y < height; ++y) {
    const uint8_t* row = pixels.data() + y * stride;
    uint8_t* o = out_row(y);
    for (int64_t x = 0; x < width; ++x, o += 3) {
      if (h.bits <= 8) {
        const int64_t bit = x * h.bits;
        const uint32_t index = (row[bit / 8] >> (8 - h.bits - bit % 8)) & ((1u << h.bits) - 1);
        std::memcpy(o, &palette[3 * index], 3);
      } else if (h.bits == 24) {
        o[0] = row[3 * x + 2], o[1] = row[3 * x + 1], o[2] = row[3 * x];
      } else {
        const uint32_t p = h.bits == 16 ? U16(row + 2 * x) : U32(row + 4 * x);
        for (int c = 0; c < 3; ++c) o[c] = fields[c].Get(p);
      }
    }
  }
  return Status::Ok();
}

}  // namespace onyx::cpu::codecs

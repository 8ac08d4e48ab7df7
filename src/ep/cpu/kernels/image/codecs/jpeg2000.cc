// JPEG 2000 (JP2 files and raw J2K codestreams) through OpenJPEG, which applies the inverse component transform,
// JP2 palettes and channel definitions itself. Samples of other precisions are shifted to 8 bits and signed ones
// offset by half their range, as Pillow does; 1 to 4 components map to gray, gray+alpha, RGB and RGBA.
#include <openjpeg.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "ep/cpu/kernels/image/codecs/codecs.h"

namespace onyx::cpu::codecs {

namespace {

constexpr uint8_t kJp2Signature[] = {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A};

struct Source {
  const uint8_t* data;
  uint64_t size;
  uint64_t offset;
  char message[256];
};

void OnError(const char* message, void* user) {
  auto* src = static_cast<Source*>(user);
  if (src->message[0] == '\0') std::snprintf(src->message, sizeof(src->message), "%s", message);
}
void OnIgnoredMessage(const char*, void*) {}

OPJ_SIZE_T Read(void* out, OPJ_SIZE_T n, void* user) {
  auto* src = static_cast<Source*>(user);
  if (src->offset >= src->size) return static_cast<OPJ_SIZE_T>(-1);  // OpenJPEG's end-of-stream
  const uint64_t count = std::min<uint64_t>(n, src->size - src->offset);
  std::memcpy(out, src->data + src->offset, count);
  src->offset += count;
  return count;
}
OPJ_OFF_T Skip(OPJ_OFF_T n, void* user) {
  auto* src = static_cast<Source*>(user);
  const int64_t target = std::clamp<int64_t>(static_cast<int64_t>(src->offset) + n, 0, static_cast<int64_t>(src->size));
  const int64_t moved = target - static_cast<int64_t>(src->offset);
  src->offset = static_cast<uint64_t>(target);
  return moved;
}
OPJ_BOOL Seek(OPJ_OFF_T position, void* user) {
  auto* src = static_cast<Source*>(user);
  if (position < 0 || static_cast<uint64_t>(position) > src->size) return OPJ_FALSE;
  src->offset = static_cast<uint64_t>(position);
  return OPJ_TRUE;
}

// Owns the OpenJPEG objects so that every return path releases them.
struct Decoder {
  opj_codec_t* codec = nullptr;
  opj_stream_t* stream = nullptr;
  opj_image_t* image = nullptr;
  ~Decoder() {
    if (image) opj_image_destroy(image);
    if (stream) opj_stream_destroy(stream);
    if (codec) opj_destroy_codec(codec);
  }
};

Status Error(const Source& src, const char* what) {
  if (src.message[0] != '\0') return InvalidArgument("JPEG 2000: ", what, ": ", src.message);
  return InvalidArgument("JPEG 2000: ", what);
}

uint8_t To8Bit(int32_t v, const opj_image_comp_t& comp) {
  int64_t x = v;
  if (comp.sgnd) x += int64_t{1} << (comp.prec - 1);
  x = comp.prec > 8 ? x >> (comp.prec - 8) : x << (8 - comp.prec);
  return static_cast<uint8_t>(std::clamp<int64_t>(x, 0, 255));
}

// Checks each component's precision and sampling, and bounds the int32 planes OpenJPEG allocates for them. After
// decoding, the planes must also be present.
Status CheckComponents(const opj_image_t& img, bool decoded) {
  int64_t samples = 0;
  for (uint32_t c = 0; c < img.numcomps; ++c) {
    const opj_image_comp_t& comp = img.comps[c];
    if (comp.prec < 1 || comp.prec > 16 || comp.dx == 0 || comp.dy == 0) {
      return InvalidArgument("JPEG 2000: unsupported component ", c, " (", comp.prec, " bits)");
    }
    if (decoded && (!comp.data || comp.w == 0 || comp.h == 0)) {
      return InvalidArgument("JPEG 2000: component ", c, " was not decoded");
    }
    const int64_t w = (int64_t{img.x1} - img.x0 + comp.dx - 1) / comp.dx;
    const int64_t h = (int64_t{img.y1} - img.y0 + comp.dy - 1) / comp.dy;
    int64_t plane = 0;
    if (!CheckedMul(w, h, &plane) || !CheckedAdd(samples, plane, &samples) || samples > kMaxDecodedBytes / 4) {
      return InvalidArgument("JPEG 2000: image exceeds the size limit");
    }
  }
  return Status::Ok();
}

uint8_t Clamp8(double v) { return static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L)); }

}  // namespace

Status DecodeJpeg2000(std::span<const uint8_t> data, DecodedImage* image) {
  Source src{data.data(), data.size(), 0, {}};
  const bool jp2 = data.size() >= sizeof(kJp2Signature) && std::memcmp(data.data(), kJp2Signature, 12) == 0;
  Decoder dec;
  dec.codec = opj_create_decompress(jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
  if (!dec.codec) return InvalidArgument("JPEG 2000: cannot create a decoder");
  opj_set_error_handler(dec.codec, OnError, &src);
  opj_set_warning_handler(dec.codec, OnIgnoredMessage, &src);
  opj_set_info_handler(dec.codec, OnIgnoredMessage, &src);
  opj_dparameters_t params;
  opj_set_default_decoder_parameters(&params);
  if (!opj_setup_decoder(dec.codec, &params)) return Error(src, "cannot set up the decoder");
  dec.stream = opj_stream_create(std::min<size_t>(data.size(), OPJ_J2K_STREAM_CHUNK_SIZE), OPJ_TRUE);
  if (!dec.stream) return InvalidArgument("JPEG 2000: cannot create a stream");
  opj_stream_set_user_data(dec.stream, &src, nullptr);
  opj_stream_set_user_data_length(dec.stream, data.size());
  opj_stream_set_read_function(dec.stream, Read);
  opj_stream_set_skip_function(dec.stream, Skip);
  opj_stream_set_seek_function(dec.stream, Seek);
  if (!opj_read_header(dec.stream, dec.codec, &dec.image) || !dec.image) return Error(src, "cannot read the header");

  // OpenJPEG holds every component as int32 while decoding: bound that before it allocates.
  const opj_image_t& img = *dec.image;
  if (img.numcomps < 1 || img.x1 <= img.x0 || img.y1 <= img.y0) return Error(src, "empty image");
  ONYX_RETURN_IF_ERROR(CheckComponents(img, false));
  if (!opj_decode(dec.codec, dec.stream, dec.image) || !opj_end_decompress(dec.codec, dec.stream)) {
    return Error(src, "cannot decode the image data");
  }
  // A JP2 palette or channel definition may have changed the components.
  const uint32_t n = img.numcomps;
  if (n < 1 || n > 4) return InvalidArgument("JPEG 2000: unsupported layout of ", n, " components");
  ONYX_RETURN_IF_ERROR(CheckComponents(img, true));
  ONYX_RETURN_IF_ERROR(AllocateImage("JPEG 2000", img.y1 - img.y0, img.x1 - img.x0, static_cast<int>(n), image));

  // A subsampled component's sample covers dx by dy points of the reference grid.
  uint8_t* out = image->pixels.data();
  for (int64_t y = 0; y < image->height; ++y) {
    for (int64_t x = 0; x < image->width; ++x) {
      for (uint32_t c = 0; c < n; ++c) {
        const opj_image_comp_t& comp = img.comps[c];
        const int64_t cx = std::clamp<int64_t>((img.x0 + x) / comp.dx - comp.x0, 0, comp.w - 1);
        const int64_t cy = std::clamp<int64_t>((img.y0 + y) / comp.dy - comp.y0, 0, comp.h - 1);
        *out++ = To8Bit(comp.data[cy * comp.w + cx], comp);
      }
    }
  }
  if (img.color_space == OPJ_CLRSPC_SYCC && n >= 3) {
    // Full-range YCbCr (JFIF equations); OpenJPEG leaves this conversion to the application.
    const size_t pixels = static_cast<size_t>(image->height * image->width);
    uint8_t* p = image->pixels.data();
    for (size_t i = 0; i < pixels; ++i, p += n) {
      const double yy = p[0], cb = p[1] - 128.0, cr = p[2] - 128.0;
      p[0] = Clamp8(yy + 1.402 * cr);
      p[1] = Clamp8(yy - 0.344136 * cb - 0.714136 * cr);
      p[2] = Clamp8(yy + 1.772 * cb);
    }
  } else if (img.color_space == OPJ_CLRSPC_CMYK || img.color_space == OPJ_CLRSPC_EYCC) {
    return InvalidArgument("JPEG 2000: CMYK and e-YCC images are not supported");
  }
  return Status::Ok();
}

}  // namespace onyx::cpu::codecs

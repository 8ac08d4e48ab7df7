// TIFF through libtiff, first image of the file. 8-bit contiguous gray, RGB(A) and CMYK strips are read as stored,
// as Pillow reads them (no premultiplied alpha, no orientation applied, Pillow's CMYK conversion); every other
// layout (palette, bilevel, 16-bit, YCbCr, separate planes, tiles) goes through libtiff's RGBA conversion.
#include <tiffio.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <vector>

#include "ep/cpu/kernels/image/codecs/codecs.h"

namespace onyx::cpu::codecs {

namespace {

struct Source {
  const uint8_t* data;
  uint64_t size;
  uint64_t offset;
  char message[256];
};

// Per-handle handlers (libtiff >= 4.5): the process-wide ones print to stderr and are not ours to change.
int OnError(TIFF*, void* user, const char* module, const char* fmt, va_list args) {
  auto* src = static_cast<Source*>(user);
  if (src->message[0] == '\0') std::vsnprintf(src->message, sizeof(src->message), fmt, args);
  return 1;
}
int OnWarning(TIFF*, void*, const char*, const char*, va_list) { return 1; }

tmsize_t Read(thandle_t handle, void* out, tmsize_t n) {
  auto* src = static_cast<Source*>(handle);
  if (n <= 0 || src->offset >= src->size) return 0;
  const uint64_t count = std::min<uint64_t>(static_cast<uint64_t>(n), src->size - src->offset);
  std::memcpy(out, src->data + src->offset, count);
  src->offset += count;
  return static_cast<tmsize_t>(count);
}
tmsize_t Write(thandle_t, void*, tmsize_t) { return -1; }
toff_t Seek(thandle_t handle, toff_t offset, int whence) {
  auto* src = static_cast<Source*>(handle);
  uint64_t base = 0;
  if (whence == SEEK_CUR) base = src->offset;
  if (whence == SEEK_END) base = src->size;
  if (offset > UINT64_MAX - base) return static_cast<toff_t>(-1);
  src->offset = base + offset;  // past the end is allowed, reads there return nothing
  return src->offset;
}
int Close(thandle_t) { return 0; }
toff_t Size(thandle_t handle) { return static_cast<Source*>(handle)->size; }
int Map(thandle_t, void**, toff_t*) { return 0; }
void Unmap(thandle_t, void*, toff_t) {}

Status Error(const Source& src, const char* what) {
  if (src.message[0] != '\0') return InvalidArgument("TIFF: ", what, ": ", src.message);
  return InvalidArgument("TIFF: ", what);
}

// 8-bit contiguous gray(+alpha) or RGB(+alpha) in strips: the samples as stored.
bool IsPlainLayout(TIFF* tif, uint16_t* samples, bool* cmyk) {
  uint16_t bits = 0, format = 0, planar = 0, photometric = 0, compression = 0, inkset = 0;
  TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bits);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, samples);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &format);
  TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
  TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &compression);
  TIFFGetFieldDefaulted(tif, TIFFTAG_INKSET, &inkset);
  if (!TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric)) return false;
  if (TIFFIsTiled(tif) || bits != 8 || format != SAMPLEFORMAT_UINT || planar != PLANARCONFIG_CONTIG ||
      compression == COMPRESSION_OJPEG) {
    return false;
  }
  *cmyk = photometric == PHOTOMETRIC_SEPARATED && inkset == INKSET_CMYK && *samples == 4;
  return (photometric == PHOTOMETRIC_MINISBLACK && (*samples == 1 || *samples == 2)) ||
         (photometric == PHOTOMETRIC_RGB && (*samples == 3 || *samples == 4)) || *cmyk;
}

Status ReadPlain(TIFF* tif, const Source& src, uint16_t samples, DecodedImage* image) {
  const uint32_t width = static_cast<uint32_t>(image->width);
  if (TIFFScanlineSize64(tif) != static_cast<uint64_t>(width) * samples) {
    return Error(src, "unexpected scanline size");
  }
  const size_t stride = static_cast<size_t>(width) * samples;
  for (int64_t y = 0; y < image->height; ++y) {
    if (TIFFReadScanline(tif, image->pixels.data() + static_cast<size_t>(y) * stride, static_cast<uint32_t>(y), 0) <
        0) {
      return Error(src, "cannot read the image data");
    }
  }
  return Status::Ok();
}

Status ReadRgba(TIFF* tif, const Source& src, DecodedImage* image) {
  char reason[1024] = {};
  if (!TIFFRGBAImageOK(tif, reason)) return InvalidArgument("TIFF: unsupported image: ", reason);
  std::vector<uint32_t> raster(static_cast<size_t>(image->width * image->height));
  if (!TIFFReadRGBAImageOriented(tif, static_cast<uint32_t>(image->width), static_cast<uint32_t>(image->height),
                                 raster.data(), ORIENTATION_TOPLEFT, 1)) {
    return Error(src, "cannot read the image data");
  }
  uint8_t* out = image->pixels.data();
  for (uint32_t p : raster) {
    *out++ = static_cast<uint8_t>(TIFFGetR(p));
    *out++ = static_cast<uint8_t>(TIFFGetG(p));
    *out++ = static_cast<uint8_t>(TIFFGetB(p));
    *out++ = static_cast<uint8_t>(TIFFGetA(p));
  }
  return Status::Ok();
}

}  // namespace

Status DecodeTiff(std::span<const uint8_t> data, DecodedImage* image) {
  Source src{data.data(), data.size(), 0, {}};
  TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
  if (!options) return InvalidArgument("TIFF: cannot create a decoder");
  TIFFOpenOptionsSetErrorHandlerExtR(options, OnError, &src);
  TIFFOpenOptionsSetWarningHandlerExtR(options, OnWarning, &src);
  TIFFOpenOptionsSetMaxSingleMemAlloc(options, static_cast<tmsize_t>(kMaxDecodedBytes));
  // "m": no memory mapping, every read goes through Read.
  TIFF* tif = TIFFClientOpenExt("encoded_stream", "rm", &src, Read, Write, Seek, Close, Size, Map, Unmap, options);
  TIFFOpenOptionsFree(options);
  if (!tif) return Error(src, "not a readable TIFF stream");
  uint32_t width = 0, height = 0;
  Status status;
  if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &width) || !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &height)) {
    status = Error(src, "missing image dimensions");
  } else {
    uint16_t samples = 0;
    bool cmyk = false;
    const bool plain = IsPlainLayout(tif, &samples, &cmyk);
    status = AllocateImage("TIFF", height, width, plain ? samples : 4, image);
    if (status.ok()) status = plain ? ReadPlain(tif, src, samples, image) : ReadRgba(tif, src, image);
    if (status.ok() && cmyk) CmykToRgb(/*inverted=*/false, image);
  }
  TIFFClose(tif);
  return status;
}

}  // namespace onyx::cpu::codecs

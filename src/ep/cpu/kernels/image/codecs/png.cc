// PNG through libpng, with only the transformations that keep Pillow's values: palettes expand to RGB, 1/2/4-bit
// gray scales to 8 bits, 16-bit samples keep their high byte (Pillow's "RGB;16B"). No gamma correction, which
// Pillow does not apply either; a tRNS chunk is ignored since ImageDecoder drops alpha.
#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>

#include "ep/cpu/kernels/image/codecs/codecs.h"

namespace onyx::cpu::codecs {

namespace {

struct Source {
  const uint8_t* data;
  size_t size;
  size_t offset;
  char message[256];
};

// libpng's default error handler prints and longjmps; ours records the message and longjmps.
[[noreturn]] void OnError(png_structp png, png_const_charp message) {
  auto* src = static_cast<Source*>(png_get_error_ptr(png));
  std::snprintf(src->message, sizeof(src->message), "%s", message);
  png_longjmp(png, 1);
}
void OnWarning(png_structp, png_const_charp) {}

void Read(png_structp png, png_bytep out, png_size_t length) {
  auto* src = static_cast<Source*>(png_get_io_ptr(png));
  if (length > src->size - src->offset) png_error(png, "the stream ends before the image data is complete");
  std::memcpy(out, src->data + src->offset, length);
  src->offset += length;
}

// Runs the libpng calls. An error longjmps back into this frame, so only trivially destructible locals live
// here. Returns false when libpng reported an error (message in src).
bool RunDecoder(png_structp png, png_infop info, Source* src, png_bytepp* rows, DecodedImage* image, Status* status) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_read_fn(png, src, Read);
  png_read_info(png, info);
  const png_uint_32 width = png_get_image_width(png, info);
  const png_uint_32 height = png_get_image_height(png, info);
  const int color_type = png_get_color_type(png, info);
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color_type == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_bit_depth(png, info) == 16) png_set_strip_16(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  const int channels = png_get_channels(png, info);
  if (png_get_bit_depth(png, info) != 8 || channels < 1 || channels > 4) {
    *status = InvalidArgument("PNG: unsupported sample layout");
    return true;
  }
  *status = AllocateImage("PNG", height, width, channels, image);
  if (!status->ok()) return true;
  if (png_get_rowbytes(png, info) != static_cast<size_t>(width) * channels) {
    *status = InvalidArgument("PNG: unexpected row size");
    return true;
  }
  *rows = static_cast<png_bytepp>(png_malloc(png, sizeof(png_bytep) * height));
  for (png_uint_32 y = 0; y < height; ++y)
    (*rows)[y] = image->pixels.data() + static_cast<size_t>(y) * width * channels;
  // No png_read_end: like Pillow, we accept a stream whose chunks after the image data are missing.
  png_read_image(png, *rows);
  return true;
}

}  // namespace

Status DecodePng(std::span<const uint8_t> data, DecodedImage* image) {
  Source src{data.data(), data.size(), 0, {}};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, OnError, OnWarning);
  if (!png) return InvalidArgument("PNG: cannot create a decoder");
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    return InvalidArgument("PNG: cannot create a decoder");
  }
  Status status;
  png_bytepp rows = nullptr;
  const bool ran = RunDecoder(png, info, &src, &rows, image, &status);
  if (rows) png_free(png, rows);
  png_destroy_read_struct(&png, &info, nullptr);
  if (!ran) return InvalidArgument("PNG: ", src.message);
  return status;
}

}  // namespace onyx::cpu::codecs

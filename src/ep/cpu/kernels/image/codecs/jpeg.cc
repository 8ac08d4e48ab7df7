// JPEG through libjpeg-turbo with its default settings (accurate integer IDCT, "fancy" chroma upsampling),
// which are what the ImageDecoder specification describes and what Pillow uses.
#include <csetjmp>
#include <cstddef>

// jpeglib.h uses FILE without including stdio.h, so cstdio must come first.
// clang-format off
#include <cstdio>
#include <jerror.h>
#include <jpeglib.h>
// clang-format on

#include "ep/cpu/kernels/image/codecs/codecs.h"

namespace onyx::cpu::codecs {

namespace {

struct ErrorManager {
  jpeg_error_mgr pub;  // first, so that a j_common_ptr's err converts to ours
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  bool truncated;
};

// libjpeg's default error_exit calls exit(): we jump back to the decoder instead.
[[noreturn]] void OnError(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

// libjpeg's default prints warnings to stderr. We print nothing; a stream that ends early, which libjpeg only
// warns about (and pads with gray), is an error for us as it is for Pillow.
void OnMessage(j_common_ptr cinfo, int level) {
  if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) reinterpret_cast<ErrorManager*>(cinfo->err)->truncated = true;
}

// Runs the libjpeg calls. An error longjmps back into this frame, so only trivially destructible locals live
// here (the Status is the caller's). Returns false when libjpeg reported an error (message in err).
bool RunDecoder(jpeg_decompress_struct* cinfo, ErrorManager* err, const uint8_t* data, size_t size, DecodedImage* image,
                Status* status) {
  if (setjmp(err->jump)) return false;
  jpeg_create_decompress(cinfo);
  jpeg_mem_src(cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(cinfo, TRUE);
  int channels = 3;
  switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE:
      cinfo->out_color_space = JCS_GRAYSCALE;
      channels = 1;
      break;
    case JCS_CMYK:
    case JCS_YCCK:
      cinfo->out_color_space = JCS_CMYK;
      channels = 4;
      break;
    default:
      cinfo->out_color_space = JCS_RGB;
      break;
  }
  *status = AllocateImage("JPEG", cinfo->image_height, cinfo->image_width, channels, image);
  if (!status->ok()) return true;
  jpeg_start_decompress(cinfo);
  if (static_cast<int64_t>(cinfo->output_width) != image->width ||
      static_cast<int64_t>(cinfo->output_height) != image->height || cinfo->output_components != channels) {
    *status = InvalidArgument("JPEG: unexpected output geometry");
    return true;
  }
  const size_t stride = static_cast<size_t>(image->width) * channels;
  while (cinfo->output_scanline < cinfo->output_height) {
    JSAMPROW row = image->pixels.data() + cinfo->output_scanline * stride;
    if (jpeg_read_scanlines(cinfo, &row, 1) != 1) {
      *status = InvalidArgument("JPEG: truncated image data");
      return true;
    }
  }
  jpeg_finish_decompress(cinfo);
  return true;
}

}  // namespace

Status DecodeJpeg(std::span<const uint8_t> data, DecodedImage* image) {
  jpeg_decompress_struct cinfo{};
  ErrorManager err{};
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = OnError;
  err.pub.emit_message = OnMessage;
  Status status;
  const bool ran = RunDecoder(&cinfo, &err, data.data(), data.size(), image, &status);
  jpeg_destroy_decompress(&cinfo);
  if (!ran) return InvalidArgument("JPEG: ", err.message);
  ONYX_RETURN_IF_ERROR(status);
  if (err.truncated) return InvalidArgument("JPEG: the stream ends before the image data is complete");
  // Adobe's convention, inverted CMYK, which Pillow assumes for every CMYK JPEG.
  if (image->channels == 4) CmykToRgb(/*inverted=*/true, image);
  return Status::Ok();
}

}  // namespace onyx::cpu::codecs

// WebP (lossy and lossless, still images) through libwebp with its default "fancy" upsampling, as Pillow decodes.
#include <webp/decode.h>

#include "ep/cpu/kernels/image/codecs/codecs.h"

namespace onyx::cpu::codecs {

namespace {

const char* Describe(VP8StatusCode code) {
  switch (code) {
    case VP8_STATUS_OUT_OF_MEMORY:
      return "out of memory";
    case VP8_STATUS_INVALID_PARAM:
      return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR:
      return "corrupt bitstream";
    case VP8_STATUS_UNSUPPORTED_FEATURE:
      return "unsupported feature";
    case VP8_STATUS_SUSPENDED:
    case VP8_STATUS_USER_ABORT:
      return "decoding interrupted";
    case VP8_STATUS_NOT_ENOUGH_DATA:
      return "the stream ends before the image data is complete";
    default:
      return "decoding failed";
  }
}

}  // namespace

Status DecodeWebp(std::span<const uint8_t> data, DecodedImage* image) {
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) return InvalidArgument("WebP: incompatible libwebp version");
  VP8StatusCode code = WebPGetFeatures(data.data(), data.size(), &config.input);
  if (code != VP8_STATUS_OK) return InvalidArgument("WebP: ", Describe(code));
  if (config.input.has_animation) return InvalidArgument("WebP: animated images are not supported");
  const int channels = config.input.has_alpha ? 4 : 3;
  ONYX_RETURN_IF_ERROR(AllocateImage("WebP", config.input.height, config.input.width, channels, image));
  config.output.colorspace = channels == 4 ? MODE_RGBA : MODE_RGB;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = image->pixels.data();
  config.output.u.RGBA.stride = static_cast<int>(image->width * channels);
  config.output.u.RGBA.size = image->pixels.size();
  code = WebPDecode(data.data(), data.size(), &config);
  WebPFreeDecBuffer(&config.output);
  if (code != VP8_STATUS_OK) return InvalidArgument("WebP: ", Describe(code));
  return Status::Ok();
}

}  // namespace onyx::cpu::codecs

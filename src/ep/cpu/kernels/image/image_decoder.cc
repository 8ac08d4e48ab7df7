// ImageDecoder (opset 20): decodes one encoded image into uint8 height x width x channels, as RGB, BGR or
// Grayscale (one channel). The format is recognized from its first bytes: BMP, JPEG, JPEG 2000, PNG, PNM, TIFF or
// WebP. The specification's expected values come from Pillow, so the decoders and the gray conversion follow it;
// alpha is dropped. A stream that cannot be decoded is an error naming the node (docs/decisions/0006-image-codecs.md).
#include <cstring>
#include <initializer_list>
#include <span>
#include <string>

#include "ep/cpu/kernels/image/codecs/codecs.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

using codecs::DecodedImage;

enum class PixelFormat { kRgb, kBgr, kGray };

Result<PixelFormat> ParsePixelFormat(const std::string& s) {
  if (s == "RGB") return PixelFormat::kRgb;
  if (s == "BGR") return PixelFormat::kBgr;
  if (s == "Grayscale") return PixelFormat::kGray;
  return InvalidArgument("pixel_format must be RGB, BGR or Grayscale, got '", s, "'");
}

struct Codec {
  const char* name;
  Status (*decode)(std::span<const uint8_t>, DecodedImage*);
};

bool StartsWith(std::span<const uint8_t> d, std::initializer_list<uint8_t> prefix) {
  return d.size() >= prefix.size() && std::memcmp(d.data(), prefix.begin(), prefix.size()) == 0;
}

// The format from its signature; null when none matches.
const Codec* Recognize(std::span<const uint8_t> d) {
  static const Codec kJpeg{"JPEG", codecs::DecodeJpeg}, kPng{"PNG", codecs::DecodePng}, kBmp{"BMP", codecs::DecodeBmp},
      kJpeg2000{"JPEG 2000", codecs::DecodeJpeg2000}, kTiff{"TIFF", codecs::DecodeTiff},
      kWebp{"WebP", codecs::DecodeWebp}, kPnm{"PNM", codecs::DecodePnm};
  if (StartsWith(d, {0xFF, 0xD8, 0xFF})) return &kJpeg;
  if (StartsWith(d, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) return &kPng;
  if (StartsWith(d, {'B', 'M'})) return &kBmp;
  if (StartsWith(d, {0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, 0x87, 0x0A}) ||
      StartsWith(d, {0xFF, 0x4F, 0xFF, 0x51})) {
    return &kJpeg2000;
  }
  // Classic and BigTIFF, either byte order.
  if (StartsWith(d, {'I', 'I', 42, 0}) || StartsWith(d, {'M', 'M', 0, 42}) || StartsWith(d, {'I', 'I', 43, 0}) ||
      StartsWith(d, {'M', 'M', 0, 43})) {
    return &kTiff;
  }
  if (StartsWith(d, {'R', 'I', 'F', 'F'}) && d.size() >= 12 && std::memcmp(d.data() + 8, "WEBP", 4) == 0) return &kWebp;
  if (d.size() >= 2 && d[0] == 'P' && d[1] >= '1' && d[1] <= '6') return &kPnm;
  return nullptr;
}

// Pillow's "L" conversion: ITU-R 601-2 luma in 16-bit fixed point, rounded.
uint8_t Luma(const uint8_t* rgb) {
  return static_cast<uint8_t>((rgb[0] * 19595 + rgb[1] * 38470 + rgb[2] * 7471 + 0x8000) >> 16);
}

void Convert(const DecodedImage& in, PixelFormat format, uint8_t* out) {
  const size_t pixels = static_cast<size_t>(in.height * in.width);
  const size_t c = static_cast<size_t>(in.channels);
  const uint8_t* p = in.pixels.data();
  const bool gray_in = c <= 2;  // gray, or gray + alpha
  for (size_t i = 0; i < pixels; ++i, p += c) {
    if (format == PixelFormat::kGray) {
      *out++ = gray_in ? p[0] : Luma(p);
    } else if (gray_in) {
      out[0] = out[1] = out[2] = p[0];
      out += 3;
    } else {
      const bool bgr = format == PixelFormat::kBgr;
      out[0] = p[bgr ? 2 : 0];
      out[1] = p[1];
      out[2] = p[bgr ? 0 : 2];
      out += 3;
    }
  }
}

class ImageDecoderKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    std::string s;
    ONYX_RETURN_IF_ERROR(info.GetString("pixel_format", &s, std::string("RGB")));
    Result<PixelFormat> format = ParsePixelFormat(s);
    if (!format.ok()) return info.Error(format.status().message());
    format_ = format.value();
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* in = ctx.input(0);
    if (!in) return ctx.Error("input encoded_stream is required");
    if (in->type() != DataType::kUint8 || in->rank() != 1) {
      return ctx.Error("encoded_stream must be a 1-D uint8 tensor, got ", in->Describe());
    }
    if (in->size() == 0) return ctx.Error("encoded_stream is empty");
    const std::span<const uint8_t> data(in->data<uint8_t>(), static_cast<size_t>(in->size()));
    const Codec* codec = Recognize(data);
    if (!codec) return ctx.Error("encoded_stream is not a BMP, JPEG, JPEG 2000, PNG, PNM, TIFF or WebP image");
    DecodedImage image;
    const Status status = codec->decode(data, &image);
    if (!status.ok()) return ctx.Error("cannot decode the ", codec->name, " image: ", status.message());
    const int64_t channels = format_ == PixelFormat::kGray ? 1 : 3;
    ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(0, DataType::kUint8, {image.height, image.width, channels}));
    Convert(image, format_, out->data<uint8_t>());
    return Status::Ok();
  }

 private:
  PixelFormat format_ = PixelFormat::kRgb;
};

// Height and width depend on the bytes; the channel count on the attribute.
Status InferImageDecoder(ir::InferenceContext& ctx) {
  const DataType type = ctx.input_elem_type(0);
  if (type != DataType::kUndefined && type != DataType::kUint8) {
    return ctx.Error("encoded_stream must be uint8, got ", DataTypeName(type));
  }
  const ir::SymShape* shape = ctx.input_shape(0);
  if (shape && shape->size() != 1) return ctx.Error("encoded_stream must be 1-D, got rank ", shape->size());
  Result<PixelFormat> format = ParsePixelFormat(ctx.attr_string("pixel_format", "RGB"));
  if (!format.ok()) return ctx.Error(format.status().message());
  const int64_t channels = format.value() == PixelFormat::kGray ? 1 : 3;
  ctx.SetOutput(0, DataType::kUint8, ir::SymShape{ir::Dim{}, ir::Dim{}, ir::Dim::Known(channels)});
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(ImageDecoderKernel, KernelDef("CPU", "", "ImageDecoder").Versions(20));
ONYX_REGISTER_SHAPE_INFERENCE("", "ImageDecoder", InferImageDecoder);

}  // namespace onyx::cpu

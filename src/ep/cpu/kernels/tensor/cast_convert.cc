#include "ep/cpu/kernels/tensor/cast_convert.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"

namespace onyx::cpu {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// ---- float8 ----

struct Float8Spec {
  int mantissa_bits;
  int bias;
  bool fnuz;         // one NaN (0x80), no infinity, no negative zero
  bool has_inf;      // E5M2: IEEE-like infinities
  uint8_t max_code;  // largest finite positive code
};

Float8Spec SpecOf(DataType t) {
  switch (t) {
    case DataType::kFloat8E4M3FN:
      return {3, 7, false, false, 0x7e};
    case DataType::kFloat8E4M3FNUZ:
      return {3, 8, true, false, 0x7f};
    case DataType::kFloat8E5M2:
      return {2, 15, false, true, 0x7b};
    default:
      return {2, 16, true, false, 0x7f};  // E5M2FNUZ
  }
}

float DecodeFloat8(uint8_t v, const Float8Spec& s) {
  const bool negative = (v & 0x80) != 0;
  const int magnitude = v & 0x7f;
  if (s.fnuz) {
    if (v == 0x80) return kNaN;
  } else if (s.has_inf) {
    if ((magnitude >> 2) == 0x1f) return (magnitude & 3) ? (negative ? -kNaN : kNaN) : (negative ? -kInf : kInf);
  } else if (magnitude == 0x7f) {
    return negative ? -kNaN : kNaN;
  }
  const int exponent = magnitude >> s.mantissa_bits;
  const int mantissa = magnitude & ((1 << s.mantissa_bits) - 1);
  float value = exponent == 0 ? std::ldexp(static_cast<float>(mantissa), 1 - s.bias - s.mantissa_bits)
                              : std::ldexp(static_cast<float>((1 << s.mantissa_bits) + mantissa),
                                           exponent - s.bias - s.mantissa_bits);
  return negative ? -value : value;
}

using Table256 = std::array<float, 256>;

const Table256& Float8Table(DataType t) {
  static const auto make = [](DataType type) {
    Table256 table{};
    Float8Spec s = SpecOf(type);
    for (int i = 0; i < 256; ++i) table[static_cast<size_t>(i)] = DecodeFloat8(static_cast<uint8_t>(i), s);
    return table;
  };
  static const Table256 e4m3fn = make(DataType::kFloat8E4M3FN), e4m3fnuz = make(DataType::kFloat8E4M3FNUZ),
                        e5m2 = make(DataType::kFloat8E5M2), e5m2fnuz = make(DataType::kFloat8E5M2FNUZ);
  switch (t) {
    case DataType::kFloat8E4M3FN:
      return e4m3fn;
    case DataType::kFloat8E4M3FNUZ:
      return e4m3fnuz;
    case DataType::kFloat8E5M2:
      return e5m2;
    default:
      return e5m2fnuz;
  }
}

// Rounds |a| to the nearest of table[0..max_code] (ascending), ties to the even code. Returns max_code + 1
// when the value rounds past the largest finite one (the caller saturates or overflows).
int RoundToTable(float a, const float* table, int max_code) {
  int lo = 0, hi = max_code;
  while (lo < hi) {
    int mid = (lo + hi + 1) / 2;
    if (table[mid] <= a)
      lo = mid;
    else
      hi = mid - 1;
  }
  const double below = table[lo];
  const double above = lo < max_code ? table[lo + 1] : 2.0 * table[max_code] - table[max_code - 1];
  const double d_below = static_cast<double>(a) - below, d_above = above - static_cast<double>(a);
  if (d_below < d_above) return lo;
  if (d_above < d_below) return lo + 1;
  return (lo & 1) ? lo + 1 : lo;
}

constexpr std::array<float, 8> kFloat4Values = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f};

// ---- conversions between the plain C++ types ----

template <typename D, typename S>
inline D ConvertPlain(S s) {
  if constexpr (std::is_same_v<D, bool>) {
    return s != S(0);
  } else if constexpr (std::is_floating_point_v<S> && std::is_integral_v<D>) {
    // Out-of-range float to integer is undefined in C++; go through int64 (wrapping, as the hardware does
    // for narrower types) and keep values the int64 cannot hold in range.
    if (std::isnan(s)) return static_cast<D>(std::numeric_limits<int64_t>::min());
    if constexpr (std::is_same_v<D, uint64_t>) {
      if (s >= static_cast<S>(18446744073709551615.0)) return std::numeric_limits<uint64_t>::max();
      if (s >= static_cast<S>(9223372036854775808.0)) return static_cast<uint64_t>(s);
    }
    if (s >= static_cast<S>(9223372036854775807.0)) return static_cast<D>(std::numeric_limits<int64_t>::max());
    if (s <= static_cast<S>(-9223372036854775808.0)) return static_cast<D>(std::numeric_limits<int64_t>::min());
    return static_cast<D>(static_cast<int64_t>(s));
  } else {
    return static_cast<D>(s);
  }
}

#define ONYX_PLAIN_TYPES float, double, int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t, bool

bool IsPlain(DataType t) {
  switch (t) {
    case DataType::kFloat:
    case DataType::kDouble:
    case DataType::kInt8:
    case DataType::kInt16:
    case DataType::kInt32:
    case DataType::kInt64:
    case DataType::kUint8:
    case DataType::kUint16:
    case DataType::kUint32:
    case DataType::kUint64:
    case DataType::kBool:
      return true;
    default:
      return false;
  }
}

bool IsSmallFloat(DataType t) {
  return t == DataType::kFloat16 || t == DataType::kBFloat16 || t == DataType::kFloat8E4M3FN ||
         t == DataType::kFloat8E4M3FNUZ || t == DataType::kFloat8E5M2 || t == DataType::kFloat8E5M2FNUZ ||
         t == DataType::kFloat4E2M1 || t == DataType::kFloat8E8M0;
}

constexpr int64_t kBlock = 16384;

Status PlainToPlain(const Tensor& in, Tensor* out, ThreadPool* pool, const ir::Node& node) {
  return Dispatch<ONYX_PLAIN_TYPES>(
      in.type(),
      [&](auto stag) -> Status {
        using S = decltype(stag);
        return Dispatch<ONYX_PLAIN_TYPES>(
            out->type(),
            [&](auto dtag) -> Status {
              using D = decltype(dtag);
              const S* src = in.data<S>();
              D* dst = out->data<D>();
              ThreadPool::For(
                  pool, in.size(),
                  [&](int64_t b, int64_t e) {
                    if constexpr (std::is_same_v<S, bool> && !std::is_same_v<D, bool>) {
                      // Read as bytes: GCC keeps a loop over bool loads scalar (a one-hot mask cast to float,
                      // 1.6 million elements in magika, ran one element per iteration).
                      const auto* bytes = reinterpret_cast<const uint8_t*>(src);
                      for (int64_t i = b; i < e; ++i) dst[i] = bytes[i] != 0 ? D(1) : D(0);
                    } else {
                      for (int64_t i = b; i < e; ++i) dst[i] = ConvertPlain<D>(src[i]);
                    }
                  },
                  kBlock);
              return Status::Ok();
            },
            node);
      },
      node);
}

// Decodes a small float type (16-bit, 8-bit, 4-bit) into a float tensor.
void SmallFloatToFloat(const Tensor& in, float* dst, ThreadPool* pool) {
  const DataType t = in.type();
  const auto* bytes = static_cast<const uint8_t*>(in.raw());
  ThreadPool::For(
      pool, in.size(),
      [&](int64_t b, int64_t e) {
        if (t == DataType::kFloat16) {
          const auto* h = static_cast<const uint16_t*>(in.raw());
          for (int64_t i = b; i < e; ++i) dst[i] = HalfToFloat(h[i]);
        } else if (t == DataType::kBFloat16) {
          const auto* h = static_cast<const uint16_t*>(in.raw());
          for (int64_t i = b; i < e; ++i) dst[i] = BFloat16ToFloat(h[i]);
        } else if (t == DataType::kFloat4E2M1) {
          for (int64_t i = b; i < e; ++i) dst[i] = Float4ToFloat(static_cast<uint8_t>(bytes[i / 2] >> ((i % 2) * 4)));
        } else if (t == DataType::kFloat8E8M0) {
          for (int64_t i = b; i < e; ++i) dst[i] = E8M0ToFloat(bytes[i]);
        } else {
          const Table256& table = Float8Table(t);
          for (int64_t i = b; i < e; ++i) dst[i] = table[bytes[i]];
        }
      },
      t == DataType::kFloat4E2M1 ? std::numeric_limits<int64_t>::max() : kBlock);
}

// Encodes floats into a small float type.
void FloatToSmallFloat(const float* src, Tensor* out, const CastOptions& options, ThreadPool* pool) {
  const DataType t = out->type();
  auto* bytes = static_cast<uint8_t*>(out->raw());
  if (t == DataType::kFloat4E2M1) {  // two per byte: not split across threads
    std::memset(bytes, 0, static_cast<size_t>(out->bytes()));
    for (int64_t i = 0; i < out->size(); ++i)
      bytes[i / 2] = static_cast<uint8_t>(bytes[i / 2] | FloatToFloat4(src[i]) << ((i % 2) * 4));
    return;
  }
  ThreadPool::For(
      pool, out->size(),
      [&](int64_t b, int64_t e) {
        if (t == DataType::kFloat16) {
          auto* h = static_cast<uint16_t*>(out->raw());
          for (int64_t i = b; i < e; ++i) h[i] = FloatToHalf(src[i]);
        } else if (t == DataType::kBFloat16) {
          auto* h = static_cast<uint16_t*>(out->raw());
          for (int64_t i = b; i < e; ++i) h[i] = FloatToBFloat16(src[i]);
        } else if (t == DataType::kFloat8E8M0) {
          for (int64_t i = b; i < e; ++i) bytes[i] = FloatToE8M0(src[i], options.saturate, options.e8m0_rounding);
        } else {
          for (int64_t i = b; i < e; ++i) bytes[i] = FloatToFloat8(src[i], t, options.saturate);
        }
      },
      kBlock);
}

// ---- strings ----

bool EqualsIgnoreCase(const std::string& a, const char* b) {
  size_t n = std::strlen(b);
  if (a.size() != n) return false;
  for (size_t i = 0; i < n; ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

Result<double> ParseDouble(const std::string& s, const ir::Node& node) {
  if (EqualsIgnoreCase(s, "inf") || EqualsIgnoreCase(s, "+inf")) return std::numeric_limits<double>::infinity();
  if (EqualsIgnoreCase(s, "-inf")) return -std::numeric_limits<double>::infinity();
  if (EqualsIgnoreCase(s, "nan")) return std::numeric_limits<double>::quiet_NaN();
  const char* begin = s.c_str();
  char* end = nullptr;
  double v = std::strtod(begin, &end);
  while (end && *end && std::isspace(static_cast<unsigned char>(*end))) ++end;
  if (end == begin || (end && *end != '\0')) {
    return InvalidArgument(node.Describe(), ": cannot cast the string '", s, "' to a number");
  }
  return v;
}

template <typename T>
std::string FormatNumber(T v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v ? "True" : "False";
  } else if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof(buf), v);
    std::string s(buf, r.ptr);
    if (s.find_first_of(".e") == std::string::npos) s += ".0";
    return s;
  } else {
    return std::to_string(v);
  }
}

// Parses strings into a plain tensor of type `to` (bool, an integer type via int64, or double).
Status ParseStrings(const Tensor& in, Tensor* out, const ir::Node& node) {
  const std::string* src = in.data<std::string>();
  for (int64_t i = 0; i < in.size(); ++i) {
    const std::string& s = src[i];
    if (out->type() == DataType::kBool) {
      if (EqualsIgnoreCase(s, "true")) {
        out->data<bool>()[i] = true;
      } else if (EqualsIgnoreCase(s, "false") || s.empty()) {
        out->data<bool>()[i] = false;
      } else {
        ONYX_ASSIGN_OR_RETURN(double d, ParseDouble(s, node));
        out->data<bool>()[i] = d != 0;
      }
    } else if (out->type() == DataType::kInt64) {
      int64_t v = 0;
      auto r = std::from_chars(s.data(), s.data() + s.size(), v);
      if (r.ec != std::errc() || r.ptr != s.data() + s.size()) {
        ONYX_ASSIGN_OR_RETURN(double d, ParseDouble(s, node));
        v = ConvertPlain<int64_t>(d);
      }
      out->data<int64_t>()[i] = v;
    } else {
      ONYX_ASSIGN_OR_RETURN(out->data<double>()[i], ParseDouble(s, node));
    }
  }
  return Status::Ok();
}

// Converts any input into an equivalent plain tensor (float for small floats, int8/uint8 for packed integers,
// parsed numbers for strings), choosing what loses nothing on the way to `to`.
Result<Tensor> ToPlain(const Tensor& in, DataType to, const ir::Node& node, ThreadPool* pool) {
  const DataType t = in.type();
  if (IsPlain(t)) return in;
  if (IsSmallFloat(t)) {
    ONYX_ASSIGN_OR_RETURN(Tensor f, Tensor::Create(DataType::kFloat, in.shape()));
    SmallFloatToFloat(in, f.data<float>(), pool);
    return f;
  }
  if (IsSubByte(t)) {
    const bool is_signed = t == DataType::kInt4 || t == DataType::kInt2;
    ONYX_ASSIGN_OR_RETURN(Tensor u, UnpackSubByte(in));
    if (!is_signed) return u;
    // Sign-extend in place: the unpacked bytes become int8 values.
    Tensor out(DataType::kInt8, in.shape(), u.buffer(), u.offset());
    const int sign = 1 << (DataTypeBits(t) - 1);
    auto* p = out.data<int8_t>();
    for (int64_t i = 0; i < out.size(); ++i) p[i] = static_cast<int8_t>(((p[i] & 0xff) ^ sign) - sign);
    return out;
  }
  if (t == DataType::kString) {
    DataType parsed = to == DataType::kBool ? DataType::kBool : IsInteger(to) ? DataType::kInt64 : DataType::kDouble;
    ONYX_ASSIGN_OR_RETURN(Tensor p, Tensor::Create(parsed, in.shape()));
    ONYX_RETURN_IF_ERROR(ParseStrings(in, &p, node));
    return p;
  }
  return NotImplemented(node.Describe(), ": cannot cast from ", DataTypeName(t));
}

}  // namespace

float Float8ToFloat(uint8_t v, DataType type) { return Float8Table(type)[v]; }

uint8_t FloatToFloat8(float f, DataType type, bool saturate) {
  const Float8Spec s = SpecOf(type);
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  const uint8_t sign = (bits >> 31) ? 0x80 : 0;
  const uint8_t nan = s.fnuz ? 0x80 : static_cast<uint8_t>(sign | (s.has_inf ? 0x7e : 0x7f));
  if (std::isnan(f)) return nan;
  const uint8_t overflow =
      saturate ? static_cast<uint8_t>(sign | s.max_code) : (s.has_inf ? static_cast<uint8_t>(sign | 0x7c) : nan);
  if (std::isinf(f)) return overflow;
  int code = RoundToTable(std::fabs(f), Float8Table(type).data(), s.max_code);
  if (code > s.max_code) return overflow;
  if (code == 0 && s.fnuz) return 0;
  return static_cast<uint8_t>(sign | code);
}

float Float4ToFloat(uint8_t v) {
  float m = kFloat4Values[v & 7];
  return (v & 8) ? -m : m;
}

uint8_t FloatToFloat4(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  const uint8_t sign = (bits >> 31) ? 8 : 0;
  if (std::isnan(f)) return sign ? 0 : 8;  // what the ONNX reference produces for NaN (no NaN in this format)
  if (std::isinf(f)) return static_cast<uint8_t>(sign | 7);
  int code = RoundToTable(std::fabs(f), kFloat4Values.data(), 7);
  return static_cast<uint8_t>(sign | std::min(code, 7));
}

float E8M0ToFloat(uint8_t v) { return v == 0xff ? kNaN : std::ldexp(1.0f, static_cast<int>(v) - 127); }

uint8_t FloatToE8M0(float f, bool saturate, E8M0Rounding rounding) {
  // The float32 exponent field has the same bias as E8M0, so the code is that field, rounded by the mantissa.
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  const uint32_t exponent = (bits >> 23) & 0xff, mantissa = bits & 0x7fffff;
  if (exponent == 0xff) return 0xff;
  uint32_t code = exponent;
  if (rounding == E8M0Rounding::kUp) {
    if (mantissa != 0) ++code;
  } else if (rounding == E8M0Rounding::kNearest) {
    if (exponent == 0 ? mantissa >= 0x600000 : mantissa >= 0x400000) ++code;
  }
  if (code >= 0xff) return saturate ? 0xfe : 0xff;
  return static_cast<uint8_t>(code);
}

Status CastTensor(const Tensor& in, Tensor* out, const CastOptions& options, ThreadPool* pool, const ir::Node& node) {
  const DataType to = out->type();
  if (in.size() == 0) return Status::Ok();
  if (in.type() == to) {
    if (to == DataType::kString) {
      CopyElements(in.data<std::string>(), out->data<std::string>(), in.size());
    } else {
      std::memcpy(out->raw(), in.raw(), static_cast<size_t>(in.bytes()));
    }
    return Status::Ok();
  }
  if (to == DataType::kFloat && IsSmallFloat(in.type())) {
    SmallFloatToFloat(in, out->data<float>(), pool);
    return Status::Ok();
  }
  ONYX_ASSIGN_OR_RETURN(Tensor plain, ToPlain(in, to, node, pool));
  if (IsPlain(to)) return PlainToPlain(plain, out, pool, node);
  if (IsSmallFloat(to)) {
    if (plain.type() != DataType::kFloat) {
      ONYX_ASSIGN_OR_RETURN(Tensor f, Tensor::Create(DataType::kFloat, in.shape()));
      ONYX_RETURN_IF_ERROR(PlainToPlain(plain, &f, pool, node));
      plain = f;
    }
    FloatToSmallFloat(plain.data<float>(), out, options, pool);
    return Status::Ok();
  }
  if (IsSubByte(to)) {  // packed integers keep the low bits, as narrowing integer casts do
    ONYX_ASSIGN_OR_RETURN(Tensor wide, Tensor::Create(DataType::kInt64, in.shape()));
    ONYX_RETURN_IF_ERROR(PlainToPlain(plain, &wide, pool, node));
    ONYX_ASSIGN_OR_RETURN(Tensor bytes, Tensor::Create(DataType::kUint8, in.shape()));
    for (int64_t i = 0; i < wide.size(); ++i) bytes.data<uint8_t>()[i] = static_cast<uint8_t>(wide.data<int64_t>()[i]);
    PackSubByte(bytes, out);
    return Status::Ok();
  }
  if (to == DataType::kString) {
    // Numbers to text need std::to_chars's tables for floating point (about 0.13 MB of a static program): a minimal
    // build without strings leaves them out.
    if constexpr (!TypeBuilt<std::string>()) {
      return Status(StatusCode::kNotImplemented,
                    MakeString(node.Describe(), ": element type string is left out of this minimal build (its "
                                                "operator list's types do not name it)"));
    } else {
      return Dispatch<ONYX_PLAIN_TYPES>(
        plain.type(),
        [&](auto tag) -> Status {
          using S = decltype(tag);
          const S* src = plain.data<S>();
          std::string* dst = out->data<std::string>();
          for (int64_t i = 0; i < plain.size(); ++i) dst[i] = FormatNumber(src[i]);
          return Status::Ok();
        },
        node);
    }
  }
  return NotImplemented(node.Describe(), ": cannot cast to ", DataTypeName(to));
}

}  // namespace onyx::cpu

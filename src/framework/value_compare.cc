#include "framework/value_compare.h"

#include <algorithm>
#include <cmath>

namespace onyx {

double ElementAsDouble(const Tensor& t, int64_t i) {
  switch (t.type()) {
    case DataType::kFloat: return t.data<float>()[i];
    case DataType::kDouble: return t.data<double>()[i];
    case DataType::kFloat16: return HalfToFloat(t.data<uint16_t>()[i]);
    case DataType::kBFloat16: return BFloat16ToFloat(t.data<uint16_t>()[i]);
    case DataType::kInt8: return t.data<int8_t>()[i];
    case DataType::kInt16: return t.data<int16_t>()[i];
    case DataType::kInt32: return t.data<int32_t>()[i];
    case DataType::kInt64: return static_cast<double>(t.data<int64_t>()[i]);
    case DataType::kUint8: return t.data<uint8_t>()[i];
    case DataType::kUint16: return t.data<uint16_t>()[i];
    case DataType::kUint32: return t.data<uint32_t>()[i];
    case DataType::kUint64: return static_cast<double>(t.data<uint64_t>()[i]);
    case DataType::kBool: return t.data<bool>()[i] ? 1 : 0;
    default: return 0;
  }
}

namespace {
// "0x" and the byte in lower-case hexadecimal, without leading zeros (as a stream's std::hex prints it).
std::string HexByte(unsigned byte) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "0x";
  if (byte >= 16) out += kHex[(byte >> 4) & 15];
  out += kHex[byte & 15];
  return out;
}
}  // namespace

std::string FormatElements(const Tensor& t, int64_t max_count) {
  std::string out;
  int64_t n = std::min(t.size(), max_count);
  for (int64_t i = 0; i < n; ++i) {
    if (i) out += ", ";
    if (t.type() == DataType::kString) {
      out += MakeString('"', t.data<std::string>()[i], '"');
    } else if (t.type() == DataType::kComplex64) {
      out += MakeString(t.data<float>()[2 * i], "+", t.data<float>()[2 * i + 1], "i");
    } else if (t.type() == DataType::kComplex128) {
      out += MakeString(t.data<double>()[2 * i], "+", t.data<double>()[2 * i + 1], "i");
    } else if (IsFloatingPoint(t.type()) && DataTypeBits(t.type()) >= 16) {
      out += MakeString(ElementAsDouble(t, i));
    } else if (DataTypeBits(t.type()) >= 8) {
      out += MakeString(static_cast<int64_t>(ElementAsDouble(t, i)));
    } else {
      out += HexByte(t.data<uint8_t>()[i / 2]);
    }
  }
  if (t.size() > n) out += ", ...";
  return out;
}

namespace {

std::string CompareTensors(const Tensor& e, const Tensor& a, const CompareOptions& o) {
  if (e.type() != a.type()) {
    return MakeString("type ", DataTypeName(e.type()), " expected, got ", DataTypeName(a.type()));
  }
  if (e.shape() != a.shape()) return MakeString("shape ", ShapeToString(e.shape()), " expected, got ", ShapeToString(a.shape()));
  const int64_t n = e.size();
  switch (e.type()) {
    case DataType::kString:
      for (int64_t i = 0; i < n; ++i) {
        if (e.data<std::string>()[i] != a.data<std::string>()[i]) {
          return MakeString("index ", i, ": expected \"", e.data<std::string>()[i], "\", got \"", a.data<std::string>()[i], "\"");
        }
      }
      return {};
    case DataType::kFloat:
    case DataType::kDouble:
    case DataType::kFloat16:
    case DataType::kBFloat16:
      for (int64_t i = 0; i < n; ++i) {
        double x = ElementAsDouble(e, i), y = ElementAsDouble(a, i);
        if (std::isnan(x) && std::isnan(y)) continue;
        if (std::isinf(x) || std::isinf(y)) {
          if (x == y) continue;
        } else if (std::fabs(x - y) <= o.atol + o.rtol * std::fabs(x)) {
          continue;
        }
        return MakeString("index ", i, ": expected ", x, ", got ", y);
      }
      return {};
    case DataType::kComplex64:
    case DataType::kComplex128:
      for (int64_t i = 0; i < 2 * n; ++i) {
        double x = e.type() == DataType::kComplex64 ? e.data<float>()[i] : e.data<double>()[i];
        double y = a.type() == DataType::kComplex64 ? a.data<float>()[i] : a.data<double>()[i];
        if ((std::isnan(x) && std::isnan(y)) || std::fabs(x - y) <= o.atol + o.rtol * std::fabs(x)) continue;
        return MakeString("index ", i / 2, ": expected ", x, ", got ", y, (i % 2 ? " (imaginary)" : " (real)"));
      }
      return {};
    default: {
      // Integers, bools, float8 and packed types: bytes must match exactly.
      const auto* x = static_cast<const uint8_t*>(e.raw());
      const auto* y = static_cast<const uint8_t*>(a.raw());
      int64_t bytes = e.bytes();
      int bits = DataTypeBits(e.type());
      for (int64_t b = 0; b < bytes; ++b) {
        if (x[b] == y[b]) continue;
        if (bits >= 8) {
          int64_t i = b / (bits / 8);
          return MakeString("index ", i, ": expected ", static_cast<int64_t>(ElementAsDouble(e, i)), ", got ",
                            static_cast<int64_t>(ElementAsDouble(a, i)));
        }
        return MakeString("byte ", b, ": expected ", HexByte(x[b]), ", got ", HexByte(y[b]));
      }
      return {};
    }
  }
}

}  // namespace

std::string CompareValues(const Value& expected, const Value& actual, const CompareOptions& o) {
  if (expected.kind() != actual.kind()) {
    return MakeString(expected.Describe(), " expected, got ", actual.Describe());
  }
  switch (expected.kind()) {
    case Value::Kind::kNone: return {};
    case Value::Kind::kTensor: return CompareTensors(expected.tensor(), actual.tensor(), o);
    case Value::Kind::kSequence: {
      const auto& e = expected.sequence().items;
      const auto& a = actual.sequence().items;
      if (e.size() != a.size()) return MakeString("sequence of ", e.size(), " expected, got ", a.size());
      for (size_t i = 0; i < e.size(); ++i) {
        std::string d = CompareValues(e[i], a[i], o);
        if (!d.empty()) return MakeString("sequence item ", i, ": ", d);
      }
      return {};
    }
    case Value::Kind::kOptional:
      if (expected.has_element() != actual.has_element()) {
        return MakeString(expected.Describe(), " expected, got ", actual.Describe());
      }
      return expected.has_element() ? CompareValues(expected.optional_element(), actual.optional_element(), o)
                                     : std::string();
    case Value::Kind::kMap: {
      const auto& e = expected.map();
      const auto& a = actual.map();
      if (e.int_keys != a.int_keys || e.string_keys != a.string_keys) return "map keys differ";
      for (size_t i = 0; i < e.values.size() && i < a.values.size(); ++i) {
        std::string d = CompareValues(e.values[i], a.values[i], o);
        if (!d.empty()) return MakeString("map value ", i, ": ", d);
      }
      return {};
    }
  }
  return {};
}

}  // namespace onyx

// Element types: the numbering is ONNX's TensorProto.DataType, so values cross the file format as is.
#pragma once

#include <complex>
#include <cstdint>
#include <cstring>
#include <string>

namespace onyx {

enum class DataType : int32_t {
  kUndefined = 0,
  kFloat = 1,
  kUint8 = 2,
  kInt8 = 3,
  kUint16 = 4,
  kInt16 = 5,
  kInt32 = 6,
  kInt64 = 7,
  kString = 8,
  kBool = 9,
  kFloat16 = 10,
  kDouble = 11,
  kUint32 = 12,
  kUint64 = 13,
  kComplex64 = 14,
  kComplex128 = 15,
  kBFloat16 = 16,
  kFloat8E4M3FN = 17,
  kFloat8E4M3FNUZ = 18,
  kFloat8E5M2 = 19,
  kFloat8E5M2FNUZ = 20,
  kUint4 = 21,
  kInt4 = 22,
  kFloat4E2M1 = 23,
  kFloat8E8M0 = 24,
  kUint2 = 25,
  kInt2 = 26,
};

inline constexpr int32_t kMaxDataType = 26;

bool IsValidDataType(int32_t raw);
// ONNX's spelling ("float", "int64", "float16", ...), as used in 'tensor(float)'.
const char* DataTypeName(DataType t);
// Bits per element: 4 for int4/uint4/float4, 2 for int2/uint2; 0 for string (held as std::string).
int DataTypeBits(DataType t);
bool IsSubByte(DataType t);
bool IsFloatingPoint(DataType t);  // float, double, float16, bfloat16, float8s
bool IsInteger(DataType t);
// Bytes needed for n elements (packed sub-byte types round up); for strings, n * sizeof(std::string).
int64_t StorageBytes(DataType t, int64_t n);

// 16-bit floats held as their bits; conversion helpers below.
struct Float16 {
  uint16_t bits = 0;
};
struct BFloat16 {
  uint16_t bits = 0;
};

float HalfToFloat(uint16_t h);
uint16_t FloatToHalf(float f);
inline float BFloat16ToFloat(uint16_t b) {
  uint32_t u = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}
uint16_t FloatToBFloat16(float f);  // round to nearest even, NaN kept

// Maps a C++ type to its DataType.
template <typename T>
struct DataTypeOf;
#define ONYX_DATA_TYPE_OF(T, E) \
  template <>                   \
  struct DataTypeOf<T> {        \
    static constexpr DataType value = DataType::E; \
  }
ONYX_DATA_TYPE_OF(float, kFloat);
ONYX_DATA_TYPE_OF(double, kDouble);
ONYX_DATA_TYPE_OF(int8_t, kInt8);
ONYX_DATA_TYPE_OF(int16_t, kInt16);
ONYX_DATA_TYPE_OF(int32_t, kInt32);
ONYX_DATA_TYPE_OF(int64_t, kInt64);
ONYX_DATA_TYPE_OF(uint8_t, kUint8);
ONYX_DATA_TYPE_OF(uint16_t, kUint16);
ONYX_DATA_TYPE_OF(uint32_t, kUint32);
ONYX_DATA_TYPE_OF(uint64_t, kUint64);
ONYX_DATA_TYPE_OF(bool, kBool);
ONYX_DATA_TYPE_OF(std::string, kString);
ONYX_DATA_TYPE_OF(Float16, kFloat16);
ONYX_DATA_TYPE_OF(BFloat16, kBFloat16);
ONYX_DATA_TYPE_OF(std::complex<float>, kComplex64);
ONYX_DATA_TYPE_OF(std::complex<double>, kComplex128);
#undef ONYX_DATA_TYPE_OF

}  // namespace onyx

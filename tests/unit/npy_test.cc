// ReadNpyFile: files are written byte by byte here, so the tests do not depend on numpy being present.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "format/tensor_proto.h"

namespace onyx {
namespace {

namespace fs = std::filesystem;

class NpyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("onyx_npy_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Builds a .npy file: magic, version, little-endian header length, the dict padded with spaces to a
  // multiple of 64 and ended by '\n' (as numpy writes it), then `data`.
  std::string Write(const std::string& name, const std::string& dict, const std::string& data, int major = 1) {
    std::string header = dict;
    size_t prefix = 6 + 2 + (major == 1 ? 2 : 4);
    while ((prefix + header.size() + 1) % 64 != 0) header.push_back(' ');
    header.push_back('\n');
    std::string bytes = "\x93NUMPY";
    bytes.push_back(static_cast<char>(major));
    bytes.push_back(0);
    uint32_t len = static_cast<uint32_t>(header.size());
    for (int i = 0; i < (major == 1 ? 2 : 4); ++i) bytes.push_back(static_cast<char>((len >> (8 * i)) & 0xff));
    bytes += header;
    bytes += data;
    return WriteRaw(name, bytes);
  }
  std::string WriteRaw(const std::string& name, const std::string& bytes) {
    std::string path = (dir_ / name).string();
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
  }
  template <typename T>
  static std::string Bytes(const std::vector<T>& values) {
    std::string s(values.size() * sizeof(T), '\0');
    if (!values.empty()) std::memcpy(s.data(), values.data(), s.size());
    return s;
  }
  static std::string Dict(const std::string& descr, const std::string& shape, bool fortran = false) {
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape +
           ", }";
  }
  void ExpectError(const std::string& path, const std::string& substring) {
    auto r = format::ReadNpyFile(path);
    ASSERT_FALSE(r.ok()) << "expected an error containing '" << substring << "'";
    EXPECT_NE(r.status().message().find(substring), std::string::npos) << r.status().message();
  }

  fs::path dir_;
};

TEST_F(NpyTest, Float32Matrix) {
  std::vector<float> v = {1.5f, -2.f, 3.25f, 0.f, 1e-3f, 7.f};
  auto r = format::ReadNpyFile(Write("a.npy", Dict("<f4", "(2, 3)"), Bytes(v)));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Tensor& t = r.value();
  EXPECT_EQ(t.type(), DataType::kFloat);
  EXPECT_EQ(t.shape(), (Shape{2, 3}));
  for (size_t i = 0; i < v.size(); ++i) EXPECT_EQ(t.data<float>()[i], v[i]);
}

TEST_F(NpyTest, EveryIntegerType) {
  auto check = [&](const std::string& descr, DataType type, const std::string& data, size_t elem) {
    auto r = format::ReadNpyFile(Write(descr.substr(1) + ".npy", Dict(descr, "(3,)"), data));
    ASSERT_TRUE(r.ok()) << descr << ": " << r.status().message();
    EXPECT_EQ(r.value().type(), type) << descr;
    EXPECT_EQ(r.value().shape(), (Shape{3}));
    EXPECT_EQ(std::memcmp(r.value().raw(), data.data(), 3 * elem), 0) << descr;
  };
  check("|i1", DataType::kInt8, Bytes<int8_t>({-1, 2, -128}), 1);
  check("<i2", DataType::kInt16, Bytes<int16_t>({-1, 300, -32768}), 2);
  check("<i4", DataType::kInt32, Bytes<int32_t>({-1, 70000, 5}), 4);
  check("<i8", DataType::kInt64, Bytes<int64_t>({-1, int64_t{1} << 40, 5}), 8);
  check("|u1", DataType::kUint8, Bytes<uint8_t>({0, 200, 255}), 1);
  check("<u2", DataType::kUint16, Bytes<uint16_t>({0, 60000, 1}), 2);
  check("<u4", DataType::kUint32, Bytes<uint32_t>({0, 4000000000u, 1}), 4);
  check("<u8", DataType::kUint64, Bytes<uint64_t>({0, ~uint64_t{0}, 1}), 8);
}

TEST_F(NpyTest, FloatTypes) {
  auto r16 = format::ReadNpyFile(Write("h.npy", Dict("<f2", "(2,)"), Bytes<uint16_t>({0x3c00, 0xc000})));
  ASSERT_TRUE(r16.ok()) << r16.status().message();
  EXPECT_EQ(r16.value().type(), DataType::kFloat16);
  EXPECT_EQ(HalfToFloat(r16.value().data<uint16_t>()[0]), 1.0f);
  EXPECT_EQ(HalfToFloat(r16.value().data<uint16_t>()[1]), -2.0f);

  auto r64 = format::ReadNpyFile(Write("d.npy", Dict("<f8", "(1, 2)"), Bytes<double>({0.1, -1e300})));
  ASSERT_TRUE(r64.ok()) << r64.status().message();
  EXPECT_EQ(r64.value().type(), DataType::kDouble);
  EXPECT_EQ(r64.value().shape(), (Shape{1, 2}));
  EXPECT_EQ(r64.value().data<double>()[0], 0.1);
  EXPECT_EQ(r64.value().data<double>()[1], -1e300);
}

TEST_F(NpyTest, BoolNonzeroBytesAreTrue) {
  auto r = format::ReadNpyFile(Write("b.npy", Dict("|b1", "(4,)"), std::string("\x00\x01\x02\x00", 4)));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().type(), DataType::kBool);
  const bool* b = r.value().data<bool>();
  EXPECT_FALSE(b[0]);
  EXPECT_TRUE(b[1]);
  EXPECT_TRUE(b[2]);
  EXPECT_FALSE(b[3]);
}

TEST_F(NpyTest, ScalarAndEmpty) {
  auto scalar = format::ReadNpyFile(Write("s.npy", Dict("<i8", "()"), Bytes<int64_t>({42})));
  ASSERT_TRUE(scalar.ok()) << scalar.status().message();
  EXPECT_TRUE(scalar.value().shape().empty());
  EXPECT_EQ(scalar.value().data<int64_t>()[0], 42);

  auto empty = format::ReadNpyFile(Write("e.npy", Dict("<f4", "(0, 3)"), ""));
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_EQ(empty.value().shape(), (Shape{0, 3}));
  EXPECT_EQ(empty.value().size(), 0);
}

TEST_F(NpyTest, Version2HeaderAndKeyOrder) {
  // Keys in another order, double quotes and no trailing comma are all valid Python literals.
  std::string dict = "{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<i4\"}";
  auto r = format::ReadNpyFile(Write("v2.npy", dict, Bytes<int32_t>({7, -7}), 2));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().data<int32_t>()[0], 7);
  EXPECT_EQ(r.value().data<int32_t>()[1], -7);
}

TEST_F(NpyTest, FortranOrderIsRefused) {
  ExpectError(Write("f.npy", Dict("<f4", "(2, 2)", true), Bytes<float>({1, 2, 3, 4})), "Fortran");
}

TEST_F(NpyTest, BigEndianIsRefused) {
  ExpectError(Write("be.npy", Dict(">f4", "(2,)"), Bytes<float>({1, 2})), "big-endian");
}

TEST_F(NpyTest, ObjectArraysAreRefused) {
  ExpectError(Write("o.npy", Dict("|O", "(1,)"), std::string(8, '\0')), "object arrays");
}

TEST_F(NpyTest, UnsupportedDtypes) {
  ExpectError(Write("u.npy", Dict("<U3", "(1,)"), std::string(12, '\0')), "string arrays");
  ExpectError(Write("x.npy", Dict("<m8", "(1,)"), std::string(8, '\0')), "unsupported dtype");
  ExpectError(
      Write("st.npy", "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", std::string(4, '\0')),
      "structured");
}

TEST_F(NpyTest, TruncatedData) {
  ExpectError(Write("t.npy", Dict("<f4", "(2, 3)"), Bytes<float>({1, 2, 3})), "truncated data");
}

TEST_F(NpyTest, ExtraDataIsAMismatch) {
  ExpectError(Write("m.npy", Dict("<f4", "(2,)"), Bytes<float>({1, 2, 3})), "header/shape mismatch");
}

TEST_F(NpyTest, TruncatedHeader) {
  std::string path = Write("h.npy", Dict("<f4", "(2,)"), Bytes<float>({1, 2}));
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ExpectError(WriteRaw("h2.npy", bytes.substr(0, 30)), "truncated header");
  ExpectError(WriteRaw("h3.npy", bytes.substr(0, 5)), "too short");
}

TEST_F(NpyTest, BadMagicAndVersion) {
  ExpectError(WriteRaw("bad.npy", "PK\x03\x04 this is a zip file, not npy"), "bad magic");
  std::string path = Write("v9.npy", Dict("<f4", "(1,)"), Bytes<float>({1}), 1);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  bytes[6] = 9;
  ExpectError(WriteRaw("v9b.npy", bytes), "version");
}

TEST_F(NpyTest, MalformedHeaders) {
  ExpectError(Write("m1.npy", "{'descr': '<f4', 'shape': (2,), }", Bytes<float>({1, 2})), "lacks");
  ExpectError(Write("m2.npy", "{'descr': '<f4' 'fortran_order': False}", ""), "malformed header");
  ExpectError(Write("m3.npy", Dict("<f4", "(2, x)"), ""), "malformed header");
  ExpectError(Write("m4.npy", Dict("<f4", "(-2,)"), ""), "invalid shape");
  ExpectError(Write("m5.npy", Dict("<f4", "(99999999999, 99999999999)"), ""), "invalid shape");
  ExpectError(Write("m6.npy", "not a dict", ""), "malformed header");
}

TEST_F(NpyTest, MissingFile) { ExpectError((dir_ / "nope.npy").string(), "no such file"); }

}  // namespace
}  // namespace onyx

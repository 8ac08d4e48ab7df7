// MakeString (common/status.h) writes its parts as std::ostream does by default: error messages read the same as when
// they were built with a string stream, which the minimal build no longer links (docs/EDGE.md, "Sizes").
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <typeinfo>

#include "common/status.h"

namespace onyx {
namespace {

template <typename T>
std::string Streamed(const T& v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

template <typename T>
void ExpectSame(const T& v) {
  EXPECT_EQ(MakeString(v), Streamed(v)) << "for a value of type " << typeid(T).name();
}

enum Plain { kPlainA = 3, kPlainB = -7 };

TEST(MakeStringTest, IntegersAsAStreamWritesThem) {
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{42}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max()}) {
    ExpectSame(v);
  }
  ExpectSame(std::numeric_limits<uint64_t>::max());
  ExpectSame(size_t{123456789});
  ExpectSame(static_cast<short>(-300));
  ExpectSame(static_cast<unsigned short>(65535));
  ExpectSame(std::numeric_limits<int>::min());
  ExpectSame(std::numeric_limits<unsigned>::max());
}

TEST(MakeStringTest, FloatingPointAsAStreamWritesIt) {
  for (double v : {0.0, -0.0, 1.0, -2.5, 0.1, 1e-5, 1.0 / 3.0, 123456.0, 1234567.0, 1e100, 5e-324,
                   std::numeric_limits<double>::max(), std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity()}) {
    ExpectSame(v);
  }
  for (float v : {0.5f, 3.14159265f, -1e-7f, 16777216.0f, std::numeric_limits<float>::min()}) ExpectSame(v);
  ExpectSame(1.5L);
  EXPECT_EQ(MakeString(std::nan("")), Streamed(std::nan("")));
  EXPECT_EQ(MakeString(0.1), "0.1");
  EXPECT_EQ(MakeString(1234567.0), "1.23457e+06");
}

TEST(MakeStringTest, CharactersBoolsEnumsAndStrings) {
  ExpectSame('x');
  ExpectSame(static_cast<int8_t>('A'));  // a stream writes int8_t and uint8_t as characters
  ExpectSame(static_cast<uint8_t>('z'));
  ExpectSame(true);
  ExpectSame(false);
  ExpectSame(kPlainA);
  ExpectSame(kPlainB);
  const char* text = "text";
  ExpectSame(text);
  ExpectSame(std::string("a string"));
  ExpectSame(std::string_view("a view"));
  const char* null_text = nullptr;
  EXPECT_EQ(MakeString("[", null_text, "]"), "[]");  // a stream writes nothing (and sets badbit)
  char buffer[] = "mutable";
  EXPECT_EQ(MakeString(buffer), "mutable");
}

TEST(MakeStringTest, PartsInOrder) {
  EXPECT_EQ(MakeString("node '", std::string("conv1"), "': got ", 3, " dims, expected ", 4u, " (scale ", 0.25, ")"),
            "node 'conv1': got 3 dims, expected 4 (scale 0.25)");
  EXPECT_EQ(MakeString(), "");
  EXPECT_EQ(InvalidArgument("bad ", 1.5f).message(), "bad 1.5");
}

}  // namespace
}  // namespace onyx

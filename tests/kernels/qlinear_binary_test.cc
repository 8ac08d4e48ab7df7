// com.microsoft QLinearAdd and QLinearMul against the double reference, with broadcasting, nonzero zero points,
// uint8 and int8.
#include <type_traits>

#include "kernels/op_test.h"
#include "kernels/qlinear_test_util.h"

namespace onyx::test {
namespace {

template <typename T>
void RunBinary(const char* op, bool mul, const Shape& as, const Shape& bs, const Shape& cs, int za, int zb, int zc) {
  const double sa = 0.25, sb = 0.5, sc = mul ? 2.0 : 0.125;
  int64_t na = 1, nb = 1, nc = 1;
  for (int64_t d : as) na *= d;
  for (int64_t d : bs) nb *= d;
  for (int64_t d : cs) nc *= d;
  const std::vector<T> a = qref::Data<T>(static_cast<int>(na), 1), b = qref::Data<T>(static_cast<int>(nb), 2);
  // Output index -> input indices for the numpy broadcast of a [.., n] and b (same rank here).
  std::vector<T> c(static_cast<size_t>(nc));
  for (int64_t o = 0; o < nc; ++o) {
    int64_t rem = o, ia = 0, ib = 0, stride_a = 1, stride_b = 1;
    for (size_t d = cs.size(); d-- > 0;) {
      const int64_t idx = rem % cs[d];
      rem /= cs[d];
      ia += (as[d] == 1 ? 0 : idx) * stride_a;
      ib += (bs[d] == 1 ? 0 : idx) * stride_b;
      stride_a *= as[d];
      stride_b *= bs[d];
    }
    const double ra = (a[static_cast<size_t>(ia)] - za) * sa, rb = (b[static_cast<size_t>(ib)] - zb) * sb;
    c[static_cast<size_t>(o)] = qref::Quantize<T>(mul ? ra * rb : ra + rb, sc, zc);
  }
  OpTest t(op, 1, qref::kMs);
  t.AddInput<T>("A", as, a);
  t.AddInput<float>("A_scale", {}, {static_cast<float>(sa)});
  t.AddInput<T>("A_zero_point", {}, {static_cast<T>(za)});
  t.AddInput<T>("B", bs, b);
  t.AddInput<float>("B_scale", {}, {static_cast<float>(sb)});
  t.AddInput<T>("B_zero_point", {}, {static_cast<T>(zb)});
  t.AddInput<float>("C_scale", {}, {static_cast<float>(sc)});
  t.AddInput<T>("C_zero_point", {}, {static_cast<T>(zc)});
  t.AddOutput<T>("C", cs, c);
  t.Run();
}

TEST(QLinearAdd, Uint8Broadcast) {
  RunBinary<uint8_t>("QLinearAdd", false, {2, 3, 5}, {1, 3, 1}, {2, 3, 5}, 130, 7, 121);
}
TEST(QLinearAdd, Int8SameShape) { RunBinary<int8_t>("QLinearAdd", false, {7}, {7}, {7}, -3, 11, 5); }
TEST(QLinearAdd, Int8ScalarSide) { RunBinary<int8_t>("QLinearAdd", false, {1, 1}, {3, 5}, {3, 5}, 2, -9, -1); }
TEST(QLinearMul, Uint8Broadcast) { RunBinary<uint8_t>("QLinearMul", true, {3, 1}, {1, 9}, {3, 9}, 128, 100, 60); }
TEST(QLinearMul, Int8) { RunBinary<int8_t>("QLinearMul", true, {2, 5}, {2, 5}, {2, 5}, 4, -6, 3); }

// The vector paths (same shape, a per-channel or scalar operand on either side, odd lengths for the scalar tail)
// against the kernel's float formula evaluated one element at a time, with scales that are not powers of two so
// that a change of rounding or contraction shows.
template <typename T>
void RunFloatFormula(bool mul, const Shape& a_shape, const Shape& b_shape, const Shape& cs, float c_scale = 0.0f) {
  // The reference indexes both operands at the output's rank (numpy aligns the trailing axes).
  Shape as(cs.size() - a_shape.size(), 1), bs(cs.size() - b_shape.size(), 1);
  as.insert(as.end(), a_shape.begin(), a_shape.end());
  bs.insert(bs.end(), b_shape.begin(), b_shape.end());
  const float sa = 0.0371f, sb = 0.0619f, sc = c_scale != 0.0f ? c_scale : mul ? 0.173f : 0.0523f;
  const int za = std::is_signed_v<T> ? -3 : 131, zb = std::is_signed_v<T> ? 17 : 77, zc = std::is_signed_v<T> ? 5 : 120;
  int64_t na = 1, nb = 1, nc = 1;
  for (int64_t d : as) na *= d;
  for (int64_t d : bs) nb *= d;
  for (int64_t d : cs) nc *= d;
  const std::vector<T> a = qref::Data<T>(static_cast<int>(na), 3), b = qref::Data<T>(static_cast<int>(nb), 5);
  const float ra = sa / sc, rb = sb / sc, m = sa * sb / sc;
  std::vector<T> c(static_cast<size_t>(nc));
  for (int64_t o = 0; o < nc; ++o) {
    int64_t rem = o, ia = 0, ib = 0, stride_a = 1, stride_b = 1;
    for (size_t d = cs.size(); d-- > 0;) {
      const int64_t idx = rem % cs[d];
      rem /= cs[d];
      ia += (as[d] == 1 ? 0 : idx) * stride_a;
      ib += (bs[d] == 1 ? 0 : idx) * stride_b;
      stride_a *= as[d];
      stride_b *= bs[d];
    }
    const float dx = static_cast<float>(a[static_cast<size_t>(ia)]) - static_cast<float>(za);
    const float dy = static_cast<float>(b[static_cast<size_t>(ib)]) - static_cast<float>(zb);
    const float v = mul ? dx * dy * m : std::fma(dx, ra, dy * rb);
    const float q = std::nearbyint(v) + static_cast<float>(zc);
    c[static_cast<size_t>(o)] = static_cast<T>(std::clamp(q, static_cast<float>(std::numeric_limits<T>::min()),
                                                          static_cast<float>(std::numeric_limits<T>::max())));
  }
  OpTest t(mul ? "QLinearMul" : "QLinearAdd", 1, qref::kMs);
  t.AddInput<T>("A", a_shape, a);
  t.AddInput<float>("A_scale", {}, {sa});
  t.AddInput<T>("A_zero_point", {}, {static_cast<T>(za)});
  t.AddInput<T>("B", b_shape, b);
  t.AddInput<float>("B_scale", {}, {sb});
  t.AddInput<T>("B_zero_point", {}, {static_cast<T>(zb)});
  t.AddInput<float>("C_scale", {}, {sc});
  t.AddInput<T>("C_zero_point", {}, {static_cast<T>(zc)});
  t.SetTolerance(0, 0);
  t.AddOutput<T>("C", cs, c);
  t.Run();
}

template <typename T>
void RunFloatFormulaShapes(bool mul) {
  RunFloatFormula<T>(mul, {3, 1031}, {3, 1031}, {3, 1031});                // same shape, 16-wide + tail
  RunFloatFormula<T>(mul, {1, 24, 7, 9}, {1, 24, 1, 1}, {1, 24, 7, 9});    // per-channel B
  RunFloatFormula<T>(mul, {1, 24, 1, 1}, {1, 24, 5, 13}, {1, 24, 5, 13});  // per-channel A
  RunFloatFormula<T>(mul, {1}, {2, 259}, {2, 259});                        // scalar A
  RunFloatFormula<T>(mul, {2, 259}, {1}, {2, 259});                        // scalar B
  RunFloatFormula<T>(mul, {3, 1, 33}, {1, 5, 1}, {3, 5, 33});              // both broadcast
  RunFloatFormula<T>(mul, {15}, {15}, {15});                               // shorter than a vector
}

// A tiny output scale: sums far past int16 (the 64-wide loop narrows through saturating 16-bit packs), and one so
// tiny that the ratios could overflow int32 (the clamping loop instead).
template <typename T>
void RunFloatFormulaScales(bool mul) {
  for (float sc : {1e-4f, 1e-6f, 1e-11f}) RunFloatFormula<T>(mul, {2, 203}, {2, 203}, {2, 203}, sc);
}

TEST(QLinearAdd, SaturatingScalesMatchFloatFormula) {
  RunFloatFormulaScales<uint8_t>(false);
  RunFloatFormulaScales<int8_t>(false);
}
TEST(QLinearMul, SaturatingScalesMatchFloatFormula) {
  RunFloatFormulaScales<uint8_t>(true);
  RunFloatFormulaScales<int8_t>(true);
}

TEST(QLinearAdd, VectorPathsMatchFloatFormulaUint8) { RunFloatFormulaShapes<uint8_t>(false); }
TEST(QLinearAdd, VectorPathsMatchFloatFormulaInt8) { RunFloatFormulaShapes<int8_t>(false); }
TEST(QLinearMul, VectorPathsMatchFloatFormulaUint8) { RunFloatFormulaShapes<uint8_t>(true); }
TEST(QLinearMul, VectorPathsMatchFloatFormulaInt8) { RunFloatFormulaShapes<int8_t>(true); }

TEST(QLinearAdd, MismatchedTypesAreRefused) {
  OpTest t("QLinearAdd", 1, qref::kMs);
  t.AddInput<uint8_t>("A", {2}, {1, 2});
  t.AddInput<float>("A_scale", {}, {1});
  t.AddInput<uint8_t>("A_zero_point", {}, {0});
  t.AddInput<int8_t>("B", {2}, {1, 2});
  t.AddInput<float>("B_scale", {}, {1});
  t.AddInput<int8_t>("B_zero_point", {}, {0});
  t.AddInput<float>("C_scale", {}, {1});
  t.AddInput<uint8_t>("C_zero_point", {}, {0});
  t.AddOutputUnchecked("C");
  t.RunExpectError("must both be uint8 or both int8");
}

TEST(QLinearMul, NonPositiveScaleIsRefused) {
  OpTest t("QLinearMul", 1, qref::kMs);
  t.AddInput<uint8_t>("A", {2}, {1, 2});
  t.AddInput<float>("A_scale", {}, {0});
  t.AddInput<uint8_t>("A_zero_point", {}, {0});
  t.AddInput<uint8_t>("B", {2}, {1, 2});
  t.AddInput<float>("B_scale", {}, {1});
  t.AddInput<uint8_t>("B_zero_point", {}, {0});
  t.AddInput<float>("C_scale", {}, {1});
  t.AddInput<uint8_t>("C_zero_point", {}, {0});
  t.AddOutputUnchecked("C");
  t.RunExpectError("positive");
}

}  // namespace
}  // namespace onyx::test

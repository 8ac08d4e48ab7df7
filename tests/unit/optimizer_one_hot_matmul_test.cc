// FuseOneHotMatMul: MatMul(Cast<float>(Equal(I, arange(K))), W) becomes com.onyx:OneHotMatMul(I, W) with the
// unoptimized graph's outputs, out-of-range indices included (their rows are zeros), for int32 and int64 indices and
// the range on either side of Equal; near misses (a range with a gap, an infinite weight, indices whose last dim is not
// 1, a Cast to another type) stay as they are; the kernel refuses inputs of the wrong kind.
#include <gtest/gtest.h>

#include <limits>

#include "kernels/op_test.h"
#include "unit/optimizer_test_util.h"

namespace onyx {
namespace {

using test::AddNode;
using test::BaseModel;
using test::Make;
using test::OpCounts;
using test::SetIntAttr;
using test::SetTensorType;

struct Variant {
  int elem = 7;  // TensorProto type of I and the range (7 int64, 6 int32)
  bool range_first = false;
  bool gap = false;       // the range skips a value
  bool infinite = false;  // one weight is +Inf
  int64_t last_dim = 1;   // I's last dim: 1, or K (Equal then compares element by element)
  int cast_to = 1;        // Cast's target type
};

constexpr int64_t kK = 6, kN = 5;

proto::ModelProto OneHotModel(const Variant& v) {
  proto::ModelProto m = BaseModel(17);
  auto* g = m.mutable_graph();
  SetTensorType(g->add_input(), "I", v.elem, {2, 3, v.last_dim});
  SetTensorType(g->add_output(), "Y", v.cast_to == 1 ? 1 : 7, {2, 3, kN});
  auto* r = g->add_initializer();
  r->set_name("R");
  r->set_data_type(v.elem);
  for (int64_t d : {int64_t{1}, int64_t{1}, kK}) r->add_dims(d);
  for (int64_t i = 0; i < kK; ++i) {
    const int64_t x = v.gap && i == 3 ? 7 : i;
    if (v.elem == 7) {
      r->add_int64_data(x);
    } else {
      r->add_int32_data(static_cast<int32_t>(x));
    }
  }
  auto* w = g->add_initializer();
  w->set_name("W");
  w->set_data_type(v.cast_to == 1 ? 1 : 7);
  w->add_dims(kK);
  w->add_dims(kN);
  for (int64_t i = 0; i < kK * kN; ++i) {
    const float x =
        v.infinite && i == 7 ? std::numeric_limits<float>::infinity() : 0.25f * static_cast<float>(i) - 3.0f;
    if (v.cast_to == 1) {
      w->add_float_data(x);
    } else {
      w->add_int64_data(static_cast<int64_t>(i));
    }
  }
  AddNode(g, "Equal", v.range_first ? std::vector<std::string>{"R", "I"} : std::vector<std::string>{"I", "R"}, {"e"});
  SetIntAttr(AddNode(g, "Cast", {"e"}, {"c"}), "to", v.cast_to);
  AddNode(g, "MatMul", {"c", "W"}, {"Y"});
  return m;
}

Value Indices(const Variant& v) {
  // In range, past either end, and far past.
  std::vector<int64_t> ids = {0, 5, -1, 6, 3, 1000000, 2, 4, 1, -7, 5, 0};
  while (ids.size() < static_cast<size_t>(6 * v.last_dim)) ids.push_back(static_cast<int64_t>(ids.size() % 8) - 1);
  const size_t n = static_cast<size_t>(6 * v.last_dim);
  if (v.elem == 7) return Value(Tensor::FromVector<int64_t>({2, 3, v.last_dim}, {ids.begin(), ids.begin() + n}));
  std::vector<int32_t> i32(ids.begin(), ids.begin() + n);
  return Value(Tensor::FromVector<int32_t>({2, 3, v.last_dim}, i32));
}

void ExpectFused(const Variant& v, bool fused) {
  const proto::ModelProto m = OneHotModel(v);
  auto ref = Make(m, OptimizationLevel::kDisabled);
  auto ext = Make(m, OptimizationLevel::kExtended);
  ASSERT_TRUE(ref && ext);
  auto counts = OpCounts(*ext);
  EXPECT_EQ(counts["OneHotMatMul"], fused ? 1 : 0);
  EXPECT_EQ(counts["Equal"], fused ? 0 : 1);
  std::vector<Value> a, b;
  ASSERT_TRUE(ref->Run({{"I", Indices(v)}}, {}, &a).ok());
  ASSERT_TRUE(ext->Run({{"I", Indices(v)}}, {}, &b).ok());
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(CompareValues(a[0], b[0], {0, 0}), "");  // one row copied is the exact sum of one product
}

TEST(FuseOneHotMatMul, LookupMatchesOneHotProduct) {
  ExpectFused({}, true);
  ExpectFused({.elem = 6}, true);
  ExpectFused({.range_first = true}, true);
}

TEST(FuseOneHotMatMul, NearMissesAreLeftAlone) {
  ExpectFused({.gap = true}, false);
  ExpectFused({.infinite = true}, false);  // 0 * Inf makes NaN in the product, not in a copied row
  ExpectFused({.last_dim = kK}, false);    // compares I[..., j] with j: not a lookup
  ExpectFused({.cast_to = 7}, false);
}

TEST(FuseOneHotMatMul, KernelRefusesWrongInputs) {
  {
    test::OpTest t("OneHotMatMul", 1, "com.onyx");
    t.AddInput<float>("I", {2, 1}, {0, 1});
    t.AddInput<float>("W", {2, 2}, {1, 2, 3, 4});
    t.AddOutputUnchecked("Y");
    t.RunExpectError("no kernel for operator OneHotMatMul with these input types");
  }
  {
    test::OpTest t("OneHotMatMul", 1, "com.onyx");
    t.AddInput<int64_t>("I", {2, 1}, {0, 1});
    t.AddInput<float>("W", {2, 2, 1}, {1, 2, 3, 4});
    t.AddOutputUnchecked("Y");
    t.RunExpectError("W must be float [K, N]");
  }
}

}  // namespace
}  // namespace onyx

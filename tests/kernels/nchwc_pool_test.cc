// com.onyx:NchwcMaxPool, NchwcAveragePool and NchwcGlobalAveragePool against the standard pools.
#include "kernels/nchwc_test_util.h"

namespace onyx::test::nchwc {
namespace {

struct PoolCase {
  std::vector<int64_t> kernel = {3, 3}, strides = {2, 2}, pads = {1, 1, 1, 1}, dilations;
  int64_t ceil_mode = 0, count_include_pad = 0;
};

Tensor RunPool(const std::string& op, const std::string& domain, const Tensor& x, const PoolCase& k) {
  OpTest t(op, domain.empty() ? 17 : 1, domain);
  t.AddInputValue("X", Value(x));
  if (op.find("Global") == std::string::npos) {
    t.AddAttr("kernel_shape", k.kernel);
    t.AddAttr("strides", k.strides);
    t.AddAttr("pads", k.pads);
    t.AddAttr("ceil_mode", k.ceil_mode);
    if (!k.dilations.empty()) t.AddAttr("dilations", k.dilations);
    if (op.find("Average") != std::string::npos) t.AddAttr("count_include_pad", k.count_include_pad);
  }
  t.AddOutputUnchecked("Y");
  auto out = t.RunAndGet();
  return out.empty() ? Tensor() : out[0].tensor();
}

void Check(const std::string& op, const PoolCase& k, const std::string& what) {
  for (int64_t c : {13, 32}) {
    const Tensor x = Random({2, c, 11, 12}, 7);
    const Tensor expected = RunPool(op, "", x, k);
    const Tensor got = RunPool("Nchwc" + op, "com.onyx", Blocked(x), k);
    ASSERT_GT(got.rank(), 0) << what;
    const Tensor actual = Unblocked(got, c);
    ASSERT_EQ(actual.shape(), expected.shape()) << what;
    ExpectClose(expected, actual, what + " c" + std::to_string(c));
  }
}

TEST(NchwcPool, MaxPool) {
  ONYX_SKIP_WITHOUT_NCHWC();
  Check("MaxPool", {}, "3x3 s2 p1");
  Check("MaxPool", {{2, 2}, {2, 2}, {0, 0, 0, 0}, {}, 0, 0}, "2x2 s2");
  Check("MaxPool", {{3, 3}, {2, 2}, {0, 0, 0, 0}, {}, 1, 0}, "3x3 s2 ceil");
  Check("MaxPool", {{3, 3}, {1, 1}, {0, 1, 2, 0}, {2, 2}, 0, 0}, "dilation 2 asymmetric pads");
  Check("MaxPool", {{3, 3}, {1, 1}, {0, 0, 1, 1}, {}, 0, 0}, "3x3 s1 padded at the end only");
  Check("MaxPool", {{3, 3}, {2, 2}, {1, 0, 2, 3}, {}, 1, 0}, "3x3 s2 uneven pads ceil");
  // A 1x1 window picks pixels (the copy path): strides 2 and 3, ceil mode, and a padded one (the general path).
  Check("MaxPool", {{1, 1}, {2, 2}, {0, 0, 0, 0}, {}, 0, 0}, "1x1 s2");
  Check("MaxPool", {{1, 1}, {3, 2}, {0, 0, 0, 0}, {}, 1, 0}, "1x1 s3x2 ceil");
  Check("MaxPool", {{1, 1}, {2, 2}, {0, 0, 1, 1}, {}, 0, 0}, "1x1 s2 padded");
}

TEST(NchwcPool, AveragePool) {
  ONYX_SKIP_WITHOUT_NCHWC();
  Check("AveragePool", {}, "3x3 s2 p1");
  Check("AveragePool", {{3, 3}, {2, 2}, {1, 1, 1, 1}, {}, 0, 1}, "count_include_pad");
  Check("AveragePool", {{3, 3}, {2, 2}, {0, 0, 0, 0}, {}, 1, 0}, "ceil");
  Check("AveragePool", {{5, 5}, {1, 1}, {2, 2, 2, 2}, {}, 1, 1}, "5x5 ceil count_include_pad");
  Check("AveragePool", {{1, 1}, {2, 2}, {0, 0, 0, 0}, {}, 0, 0}, "1x1 s2");
  Check("AveragePool", {{1, 1}, {2, 3}, {0, 0, 0, 0}, {}, 1, 0}, "1x1 s2x3 ceil");
}

TEST(NchwcPool, GlobalAveragePool) {
  ONYX_SKIP_WITHOUT_NCHWC();
  Check("GlobalAveragePool", {}, "global");
}

TEST(NchwcPool, BadInputs) {
  ONYX_SKIP_WITHOUT_NCHWC();
  PoolCase k;
  {
    OpTest t("NchwcMaxPool", 1, "com.onyx");
    t.AddInputValue("X", Value(Random({1, 8, 5, 5}, 1)));
    t.AddAttr("kernel_shape", k.kernel);
    t.AddOutputUnchecked("Y");
    t.RunExpectError("must be a blocked float tensor");
  }
  {
    OpTest t("NchwcAveragePool", 1, "com.onyx");
    t.AddInputValue("X", Value(Random({1, 1, 5, 5, 8}, 1)));
    t.AddAttr("kernel_shape", std::vector<int64_t>{3, 3, 3});
    t.AddOutputUnchecked("Y");
    t.RunExpectError("2 values");
  }
  {
    OpTest t("NchwcGlobalAveragePool", 1, "com.onyx");
    t.AddInputValue("X", Value(Random({1, 1, 5, 5, 4}, 1)));
    t.AddOutputUnchecked("Y");
    t.RunExpectError("must be a blocked float tensor");
  }
}

}  // namespace
}  // namespace onyx::test::nchwc

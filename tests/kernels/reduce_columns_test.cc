// Reductions over leading and middle axes of float tensors, which take the column form (reduce.h,
// ReduceColumns): checked against sums and extremes computed here in double, on shapes wider than one column
// chunk (256) so that the chunk boundary and a partial last chunk are both crossed.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

std::vector<float> Values(int64_t n) {
  std::vector<float> v(static_cast<size_t>(n));
  uint32_t s = 12345;
  for (float& x : v) {
    s = s * 1664525u + 1013904223u;
    x = static_cast<float>(static_cast<int32_t>(s >> 8) % 2001 - 1000) / 256.0f;
  }
  return v;
}

// x of shape [outer, n, inner] reduced over axis 1 by `op`, in double.
std::vector<float> Reference(const std::string& op, const std::vector<float>& x, int64_t outer, int64_t n,
                             int64_t inner) {
  std::vector<float> y;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t j = 0; j < inner; ++j) {
      double acc = op == "ReduceMax" ? -INFINITY : op == "ReduceMin" ? INFINITY : 0.0;
      for (int64_t k = 0; k < n; ++k) {
        const double v = x[static_cast<size_t>((o * n + k) * inner + j)];
        if (op == "ReduceMax") acc = std::max(acc, v);
        if (op == "ReduceMin") acc = std::min(acc, v);
        if (op == "ReduceSum" || op == "ReduceMean") acc += v;
        if (op == "ReduceSumSquare") acc += v * v;
      }
      if (op == "ReduceMean") acc /= static_cast<double>(n);
      y.push_back(static_cast<float>(acc));
    }
  }
  return y;
}

void CheckMiddleAxis(const std::string& op, int64_t outer, int64_t n, int64_t inner) {
  SCOPED_TRACE(op + " over axis 1 of [" + std::to_string(outer) + ", " + std::to_string(n) + ", " +
               std::to_string(inner) + "]");
  const std::vector<float> x = Values(outer * n * inner);
  OpTest t(op, 18);
  t.AddInput<float>("X", {outer, n, inner}, x);
  t.AddInput<int64_t>("axes", {1}, {1});
  t.AddAttr("keepdims", int64_t{1});
  t.AddOutput<float>("Y", {outer, 1, inner}, Reference(op, x, outer, n, inner));
  t.SetTolerance(1e-5, 1e-4);
  t.Run();
}

TEST(ReduceColumns, MiddleAxisMatchesDoubleReference) {
  for (const char* op : {"ReduceSum", "ReduceMean", "ReduceSumSquare", "ReduceMax", "ReduceMin"}) {
    CheckMiddleAxis(op, 3, 37, 300);  // two chunks: 256 + 44
    CheckMiddleAxis(op, 2, 5, 7);     // one partial chunk
    CheckMiddleAxis(op, 1, 64, 512);  // leading axis (outer 1), two whole chunks
  }
}

TEST(ReduceColumns, LeadingAxesTogether) {
  // Axes 0 and 1 of [4, 6, 260] are one run of reduced dims with 260 values inside each.
  const std::vector<float> x = Values(4 * 6 * 260);
  OpTest t("ReduceSum", 13);
  t.AddInput<float>("X", {4, 6, 260}, x);
  t.AddInput<int64_t>("axes", {2}, {0, 1});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<float>("Y", {260}, Reference("ReduceSum", x, 1, 24, 260));
  t.SetTolerance(1e-5, 1e-4);
  t.Run();
}

TEST(ReduceColumns, NaNPropagatesThroughMaxAndMin) {
  for (const char* op : {"ReduceMax", "ReduceMin"}) {
    SCOPED_TRACE(op);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    // Column 0 has a NaN first, column 1 in the middle, column 2 last; column 3 none.
    OpTest t(op, 18);
    t.AddInput<float>("X", {3, 4}, {nan, 1, 2, 3, 4, nan, 5, -6, 7, 8, nan, 9});
    t.AddInput<int64_t>("axes", {1}, {0});
    t.AddAttr("keepdims", int64_t{0});
    const float last = std::string(op) == "ReduceMax" ? 9.0f : -6.0f;
    t.AddOutput<float>("Y", {4}, {nan, nan, nan, last});
    t.Run();
  }
}

}  // namespace
}  // namespace onyx::test

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Einsum, MatrixProductAndImplicitOutput) {
  {
    OpTest t("Einsum", 12);
    t.AddInput<float>("A", {2, 2}, {1, 2, 3, 4});
    t.AddInput<float>("B", {2, 2}, {1, 0, 1, 1});
    t.AddAttr("equation", std::string("ij,jk->ik"));
    t.AddOutput<float>("Y", {2, 2}, {3, 2, 7, 4});
    t.Run();
  }
  {
    // Implicit output: labels seen once, alphabetically -> "ji" gives the
    // transpose's order "ij".
    OpTest t("Einsum", 12);
    t.AddInput<int64_t>("A", {2, 3}, {1, 2, 3, 4, 5, 6});
    t.AddAttr("equation", std::string("ji"));
    t.AddOutput<int64_t>("Y", {3, 2}, {1, 4, 2, 5, 3, 6});
    t.Run();
  }
}

TEST(Einsum, TraceAndBatchDiagonalWithEllipsis) {
  {
    OpTest t("Einsum", 12);
    t.AddInput<double>("A", {2, 2}, {1, 2, 3, 4});
    t.AddAttr("equation", std::string("ii->"));
    t.AddOutput<double>("Y", {}, {5});
    t.Run();
  }
  {
    OpTest t("Einsum", 12);
    t.AddInput<float>("A", {2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
    t.AddAttr("equation", std::string("...ii->...i"));
    t.AddOutput<float>("Y", {2, 2}, {1, 4, 5, 8});
    t.Run();
  }
}

TEST(Einsum, BadEquationIsAnError) {
  OpTest t("Einsum", 12);
  t.AddInput<float>("A", {2, 2}, {1, 2, 3, 4});
  t.AddAttr("equation", std::string("ij,jk->ik"));
  t.AddOutputUnchecked("Y");
  t.RunExpectError("terms");
}

}  // namespace onyx::test

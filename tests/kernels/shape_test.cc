#include "kernels/op_test.h"

namespace onyx::test {

TEST(Shape, Basic) {
  OpTest t("Shape", 13);
  t.AddInput<float>("data", {2, 3, 4}, std::vector<float>(24));
  t.AddOutput<int64_t>("shape", {3}, {2, 3, 4});
  t.Run();
}

TEST(Shape, StartEnd) {
  OpTest t("Shape", 15);
  t.AddAttr("start", int64_t{1});
  t.AddAttr("end", int64_t{-1});
  t.AddInput<std::string>("data", {2, 3, 4, 1}, std::vector<std::string>(24));
  t.AddOutput<int64_t>("shape", {2}, {3, 4});
  t.Run();
}

TEST(Shape, ClampedAndEmpty) {
  OpTest t("Shape", 15);
  t.AddAttr("start", int64_t{-10});
  t.AddAttr("end", int64_t{10});
  t.AddInput<bool>("data", {2, 1}, {true, false});
  t.AddOutput<int64_t>("shape", {2}, {2, 1});
  t.Run();
  OpTest e("Shape", 15);
  e.AddAttr("start", int64_t{2});
  e.AddAttr("end", int64_t{1});
  e.AddInput<float>("data", {2, 3, 4}, std::vector<float>(24));
  e.AddOutput<int64_t>("shape", {0}, {});
  e.Run();
}

TEST(Shape, Scalar) {
  OpTest t("Shape", 13);
  t.AddInput<float>("data", {}, {1});
  t.AddOutput<int64_t>("shape", {0}, {});
  t.Run();
}

}  // namespace onyx::test

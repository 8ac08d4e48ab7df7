#include "kernels/op_test.h"

namespace onyx::test {

TEST(CastLike, ToTargetType) {
  OpTest t("CastLike", 15);
  t.AddInput<float>("input", {3}, {1.5f, -2.5f, 0});
  t.AddInput<int64_t>("target_type", {0}, {});
  t.AddOutput<int64_t>("output", {3}, {1, -2, 0});
  t.Run();
}

TEST(CastLike, SameTypeAndString) {
  OpTest t("CastLike", 19);
  t.AddInput<double>("input", {1}, {2});
  t.AddInput<double>("target_type", {1}, {0});
  t.AddOutput<double>("output", {1}, {2});
  t.Run();
  OpTest s("CastLike", 19);
  s.AddInput<std::string>("input", {1}, {"42"});
  s.AddInput<int32_t>("target_type", {1}, {0});
  s.AddOutput<int32_t>("output", {1}, {42});
  s.Run();
}

}  // namespace onyx::test

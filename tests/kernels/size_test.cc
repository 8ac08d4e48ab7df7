#include "kernels/op_test.h"

namespace onyx::test {

TEST(Size, Basic) {
  OpTest t("Size", 13);
  t.AddInput<float>("data", {2, 3}, std::vector<float>(6));
  t.AddOutput<int64_t>("size", {}, {6});
  t.Run();
}

TEST(Size, EmptyScalarAndStrings) {
  OpTest e("Size", 19);
  e.AddInput<int32_t>("data", {0, 4}, {});
  e.AddOutput<int64_t>("size", {}, {0});
  e.Run();
  OpTest s("Size", 19);
  s.AddInput<std::string>("data", {}, {"x"});
  s.AddOutput<int64_t>("size", {}, {1});
  s.Run();
}

}  // namespace onyx::test

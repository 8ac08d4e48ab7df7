#include "kernels/op_test.h"

namespace onyx::test {

TEST(Constant, TensorValue) {
  OpTest t("Constant", 13);
  t.AddAttr("value", Tensor::FromVector<float>({2}, {1.5f, -2}));
  t.AddOutput<float>("output", {2}, {1.5f, -2});
  t.Run();
}

TEST(Constant, ScalarAttributes) {
  OpTest f("Constant", 13);
  f.AddAttr("value_float", 2.5f);
  f.AddOutput<float>("output", {}, {2.5f});
  f.Run();
  OpTest i("Constant", 13);
  i.AddAttr("value_int", int64_t{7});
  i.AddOutput<int64_t>("output", {}, {7});
  i.Run();
  OpTest s("Constant", 13);
  s.AddAttr("value_string", std::string("hi"));
  s.AddOutput<std::string>("output", {}, {"hi"});
  s.Run();
}

TEST(Constant, ListAttributes) {
  OpTest f("Constant", 13);
  f.AddAttr("value_floats", std::vector<float>{1, 2});
  f.AddOutput<float>("output", {2}, {1, 2});
  f.Run();
  OpTest i("Constant", 13);
  i.AddAttr("value_ints", std::vector<int64_t>{3, 4, 5});
  i.AddOutput<int64_t>("output", {3}, {3, 4, 5});
  i.Run();
  OpTest s("Constant", 13);
  s.AddAttr("value_strings", std::vector<std::string>{"a", "b"});
  s.AddOutput<std::string>("output", {2}, {"a", "b"});
  s.Run();
}

TEST(Constant, TwoValuesIsAnError) {
  OpTest t("Constant", 13);
  t.AddAttr("value_float", 1.0f);
  t.AddAttr("value_int", int64_t{1});
  t.AddOutputUnchecked("output");
  t.RunExpectError("exactly one");
}

TEST(Constant, NoValueIsAnError) {
  OpTest t("Constant", 13);
  t.AddOutputUnchecked("output");
  t.RunExpectError("exactly one");
}

}  // namespace onyx::test

#include <algorithm>
#include <cstring>

#include "kernels/op_test.h"

namespace onyx::test {
namespace {

Value TwoMatrices() {
  Sequence s;
  s.elem_type = DataType::kFloat;
  s.items.emplace_back(Tensor::FromVector<float>({2, 2}, {1, 2, 3, 4}));
  s.items.emplace_back(Tensor::FromVector<float>({2, 2}, {5, 6, 7, 8}));
  return Value::FromSequence(std::move(s));
}

}  // namespace

TEST(ConcatFromSequence, Concat) {
  OpTest t("ConcatFromSequence", 11);
  t.AddInputValue("s", TwoMatrices());
  t.AddAttr("axis", int64_t{1});
  t.AddOutput<float>("y", {2, 4}, {1, 2, 5, 6, 3, 4, 7, 8});
  t.Run();
}

TEST(ConcatFromSequence, StackNewAxis) {
  OpTest t("ConcatFromSequence", 11);
  t.AddInputValue("s", TwoMatrices());
  t.AddAttr("axis", int64_t{-1});
  t.AddAttr("new_axis", int64_t{1});
  t.AddOutput<float>("y", {2, 2, 2}, {1, 5, 2, 6, 3, 7, 4, 8});
  t.Run();
  OpTest u("ConcatFromSequence", 11);
  u.AddInputValue("s", TwoMatrices());
  u.AddAttr("axis", int64_t{0});
  u.AddAttr("new_axis", int64_t{1});
  u.AddOutput<float>("y", {2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  u.Run();
}

TEST(ConcatFromSequence, StringsDifferentLengths) {
  Sequence s;
  s.elem_type = DataType::kString;
  s.items.emplace_back(Tensor::FromVector<std::string>({1}, {"a"}));
  s.items.emplace_back(Tensor::FromVector<std::string>({2}, {"b", "c"}));
  OpTest t("ConcatFromSequence", 11);
  t.AddInputValue("s", Value::FromSequence(s));
  t.AddAttr("axis", int64_t{0});
  t.AddOutput<std::string>("y", {3}, {"a", "b", "c"});
  t.Run();
}

TEST(ConcatFromSequence, Errors) {
  Sequence s;
  s.elem_type = DataType::kFloat;
  s.items.emplace_back(Tensor::FromVector<float>({1, 2}, {1, 2}));
  s.items.emplace_back(Tensor::FromVector<float>({1, 3}, {1, 2, 3}));
  OpTest t("ConcatFromSequence", 11);
  t.AddInputValue("s", Value::FromSequence(s));
  t.AddAttr("axis", int64_t{0});
  t.AddOutputUnchecked("y");
  t.RunExpectError("cannot concatenate");
  OpTest u("ConcatFromSequence", 11);
  u.AddInputValue("s", TwoMatrices());
  u.AddAttr("axis", int64_t{2});
  u.AddOutputUnchecked("y");
  u.RunExpectError("out of range");
  OpTest w("ConcatFromSequence", 11);
  w.AddInputValue("s", Value::FromSequence(Sequence{DataType::kFloat, {}}));
  w.AddAttr("axis", int64_t{0});
  w.AddOutputUnchecked("y");
  w.RunExpectError("empty sequence");
}

// Packed 4-bit items whose lengths are odd: the second item's first element lands mid-byte.
TEST(ConcatFromSequence, Int4) {
  auto make = [](Shape shape, std::vector<uint8_t> bytes) {
    Tensor t = Tensor::Create(DataType::kInt4, std::move(shape)).take();
    std::memcpy(t.raw(), bytes.data(), std::min(bytes.size(), static_cast<size_t>(t.bytes())));
    return t;
  };
  Sequence s;
  s.elem_type = DataType::kInt4;
  s.items.emplace_back(make({3}, {0x21, 0x03}));
  s.items.emplace_back(make({2}, {0x54}));
  OpTest t("ConcatFromSequence", 11);
  t.AddInputValue("s", Value::FromSequence(s));
  t.AddAttr("axis", int64_t{0});
  t.AddOutputValue("y", Value(make({5}, {0x21, 0x43, 0x05})));
  t.Run();
}

}  // namespace onyx::test

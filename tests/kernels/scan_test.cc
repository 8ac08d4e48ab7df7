#include "kernels/op_test.h"

namespace onyx::test {
namespace {

ir::Type Vec(int64_t n) { return ir::Type::Tensor(DataType::kFloat, ir::SymShape{ir::Dim::Known(n)}); }

// (sum_in, next) -> (sum_in + next, sum_in + next): running sums.
std::shared_ptr<ir::Graph> SumBody() {
  auto g = std::make_shared<ir::Graph>();
  g->set_name("sum_body");
  EXPECT_TRUE(g->AddInput("sum_in", Vec(2)).ok());
  EXPECT_TRUE(g->AddInput("next", Vec(2)).ok());
  g->AddNode("a", "Add", "", 14, {"sum_in", "next"}, {"sum_out"}, {});
  g->AddNode("s", "Identity", "", 16, {"sum_out"}, {"scan_out"}, {});
  EXPECT_TRUE(g->AddOutput("sum_out", Vec(2)).ok());
  EXPECT_TRUE(g->AddOutput("scan_out", Vec(2)).ok());
  return g;
}

}  // namespace

TEST(Scan, Sum) {
  OpTest t("Scan", 9);
  t.AddInput<float>("init", {2}, {0, 0});
  t.AddInput<float>("x", {3, 2}, {1, 2, 3, 4, 5, 6});
  t.AddAttr("body", SumBody());
  t.AddAttr("num_scan_inputs", int64_t{1});
  t.AddOutput<float>("y", {2}, {9, 12});
  t.AddOutput<float>("z", {3, 2}, {1, 2, 4, 6, 9, 12});
  t.Run();
}

TEST(Scan, ReverseDirections) {
  OpTest t("Scan", 11);
  t.AddInput<float>("init", {2}, {0, 0});
  t.AddInput<float>("x", {3, 2}, {1, 2, 3, 4, 5, 6});
  t.AddAttr("body", SumBody());
  t.AddAttr("num_scan_inputs", int64_t{1});
  t.AddAttr("scan_input_directions", std::vector<int64_t>{1});
  t.AddOutput<float>("y", {2}, {9, 12});
  t.AddOutput<float>("z", {3, 2}, {5, 6, 8, 10, 9, 12});
  t.Run();
  OpTest u("Scan", 16);
  u.AddInput<float>("init", {2}, {0, 0});
  u.AddInput<float>("x", {3, 2}, {1, 2, 3, 4, 5, 6});
  u.AddAttr("body", SumBody());
  u.AddAttr("num_scan_inputs", int64_t{1});
  u.AddAttr("scan_input_directions", std::vector<int64_t>{1});
  u.AddAttr("scan_output_directions", std::vector<int64_t>{1});
  u.AddOutput<float>("y", {2}, {9, 12});
  u.AddOutput<float>("z", {3, 2}, {9, 12, 8, 10, 5, 6});
  u.Run();
}

TEST(Scan, Axes) {
  OpTest t("Scan", 21);
  t.AddInput<float>("init", {2}, {0, 0});
  t.AddInput<float>("x", {2, 3}, {1, 3, 5, 2, 4, 6});
  t.AddAttr("body", SumBody());
  t.AddAttr("num_scan_inputs", int64_t{1});
  t.AddAttr("scan_input_axes", std::vector<int64_t>{-1});
  t.AddAttr("scan_output_axes", std::vector<int64_t>{1});
  t.AddOutput<float>("y", {2}, {9, 12});
  t.AddOutput<float>("z", {2, 3}, {1, 4, 9, 2, 6, 12});
  t.Run();
}

TEST(Scan, Opset8BatchWithSequenceLengths) {
  OpTest t("Scan", 8);
  t.AddInput<int64_t>("lens", {2}, {3, 1});
  t.AddInput<float>("init", {2, 2}, {0, 0, 1, 1});
  t.AddInput<float>("x", {2, 3, 2}, {1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60});
  t.AddAttr("body", SumBody());
  t.AddAttr("num_scan_inputs", int64_t{1});
  t.AddOutput<float>("y", {2, 2}, {9, 12, 11, 21});
  t.AddOutput<float>("z", {2, 3, 2}, {1, 2, 4, 6, 9, 12, 11, 21, 0, 0, 0, 0});
  t.Run();
  OpTest u("Scan", 8);
  u.AddMissingInput();
  u.AddInput<float>("init", {1, 2}, {0, 0});
  u.AddInput<float>("x", {1, 3, 2}, {1, 2, 3, 4, 5, 6});
  u.AddAttr("body", SumBody());
  u.AddAttr("num_scan_inputs", int64_t{1});
  u.AddAttr("directions", std::vector<int64_t>{1});
  u.AddOutput<float>("y", {1, 2}, {9, 12});
  u.AddOutput<float>("z", {1, 3, 2}, {5, 6, 8, 10, 9, 12});
  u.Run();
}

TEST(Scan, Errors) {
  OpTest t("Scan", 9);
  t.AddInput<float>("init", {2}, {0, 0});
  t.AddInput<float>("x", {3, 2}, {1, 2, 3, 4, 5, 6});
  t.AddAttr("body", SumBody());
  t.AddAttr("num_scan_inputs", int64_t{3});
  t.AddOutputUnchecked("y");
  t.AddOutputUnchecked("z");
  t.RunExpectError("num_scan_inputs");
  OpTest u("Scan", 11);
  u.AddInput<float>("init", {2}, {0, 0});
  u.AddInput<float>("x", {3, 2}, {1, 2, 3, 4, 5, 6});
  u.AddAttr("body", SumBody());
  u.AddAttr("num_scan_inputs", int64_t{1});
  u.AddAttr("scan_input_axes", std::vector<int64_t>{2});
  u.AddOutputUnchecked("y");
  u.AddOutputUnchecked("z");
  u.RunExpectError("out of range");
  OpTest w("Scan", 8);
  w.AddInput<int64_t>("lens", {1}, {4});
  w.AddInput<float>("init", {1, 2}, {0, 0});
  w.AddInput<float>("x", {1, 3, 2}, {1, 2, 3, 4, 5, 6});
  w.AddAttr("body", SumBody());
  w.AddAttr("num_scan_inputs", int64_t{1});
  w.AddOutputUnchecked("y");
  w.AddOutputUnchecked("z");
  w.RunExpectError("sequence_lens");
}

}  // namespace onyx::test

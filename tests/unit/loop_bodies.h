// Loop bodies built in code, shared by the Loop kernel's tests and the cancellation tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "ir/graph.h"

namespace onyx::test {

inline ir::Type Scalar(DataType t) { return ir::Type::Tensor(t, ir::SymShape{}); }
inline ir::Type Vec(DataType t, int64_t n) { return ir::Type::Tensor(t, ir::SymShape{ir::Dim::Known(n)}); }

// (iter, cond_in, y_in) -> (cond_in, y_in + 1[, y_in + 1 as a scan output]): runs as many times as the trip count
// says.
inline std::shared_ptr<ir::Graph> CountingBody(bool scan_output) {
  auto g = std::make_shared<ir::Graph>();
  g->set_name("counting_body");
  EXPECT_TRUE(g->AddInput("iter", Scalar(DataType::kInt64)).ok());
  EXPECT_TRUE(g->AddInput("cond_in", Scalar(DataType::kBool)).ok());
  EXPECT_TRUE(g->AddInput("y_in", Vec(DataType::kFloat, 1)).ok());
  EXPECT_TRUE(g->AddInitializer("one", Tensor::FromVector<float>({1}, {1})).ok());
  g->AddNode("c", "Identity", "", 16, {"cond_in"}, {"cond_out"}, {});
  g->AddNode("a", "Add", "", 14, {"y_in", "one"}, {"y_out"}, {});
  if (scan_output) g->AddNode("s", "Identity", "", 16, {"y_out"}, {"scan_out"}, {});
  EXPECT_TRUE(g->AddOutput("cond_out", Scalar(DataType::kBool)).ok());
  EXPECT_TRUE(g->AddOutput("y_out", Vec(DataType::kFloat, 1)).ok());
  if (scan_output) {
    EXPECT_TRUE(g->AddOutput("scan_out", Vec(DataType::kFloat, 1)).ok());
  }
  return g;
}

}  // namespace onyx::test

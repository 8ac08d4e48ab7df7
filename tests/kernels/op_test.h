// OpTest: builds a one-node model in memory, runs it through a Session on every provider that claims the
// operator (the CPU provider now), and compares each output with the expected one.
//
//   OpTest t("Relu", 14);
//   t.AddInput<float>("X", {2, 2}, {-1, 0, 1, 2});
//   t.AddOutput<float>("Y", {2, 2}, {0, 0, 1, 2});
//   t.Run();                        // EXPECTs inside; tolerance rtol 1e-4, atol 1e-5 by default
//
// Inputs added with AddConstantInput become initializers (so kernels see them at Init). An omitted optional
// input is AddMissingInput(). Attributes: t.AddAttr("axis", int64_t{1}), t.AddAttr("alpha", 0.1f),
// t.AddAttr("perm", std::vector<int64_t>{...}), t.AddAttr("mode", std::string("constant")), a Tensor, a
// subgraph (std::shared_ptr<ir::Graph>). RunExpectError("substring") checks that session creation or Run
// fails with a message containing the substring.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "framework/tensor.h"
#include "framework/value.h"
#include "ir/graph.h"
#include "session/session.h"

namespace onyx::test {

class OpTest {
 public:
  OpTest(std::string op_type, int opset, std::string domain = "");

  template <typename T>
  void AddInput(const std::string& name, const Shape& shape, const std::vector<T>& values) {
    AddInputValue(name, Value(Tensor::FromVector<T>(shape, values)), false);
  }
  template <typename T>
  void AddConstantInput(const std::string& name, const Shape& shape, const std::vector<T>& values) {
    AddInputValue(name, Value(Tensor::FromVector<T>(shape, values)), true);
  }
  void AddInputValue(const std::string& name, Value value, bool constant = false);
  void AddMissingInput() { inputs_.push_back({"", Value(), false}); }
  // The session's graph optimization level (default: all, the library's default).
  void SetOptimizationLevel(OptimizationLevel level) { level_ = level; }

  template <typename T>
  void AddOutput(const std::string& name, const Shape& shape, const std::vector<T>& values) {
    AddOutputValue(name, Value(Tensor::FromVector<T>(shape, values)));
  }
  void AddOutputValue(const std::string& name, Value expected);
  // An output that must exist but whose value is not checked.
  void AddOutputUnchecked(const std::string& name) { outputs_.push_back({name, Value(), false}); }
  void AddMissingOutput() { outputs_.push_back({"", Value(), false}); }

  void AddAttr(const std::string& name, int64_t v);
  void AddAttr(const std::string& name, float v);
  void AddAttr(const std::string& name, const std::string& v);
  void AddAttr(const std::string& name, const std::vector<int64_t>& v);
  void AddAttr(const std::string& name, const std::vector<float>& v);
  void AddAttr(const std::string& name, const std::vector<std::string>& v);
  void AddAttr(const std::string& name, const Tensor& v);
  void AddAttr(const std::string& name, std::shared_ptr<ir::Graph> g);

  void SetTolerance(double rtol, double atol) {
    rtol_ = rtol;
    atol_ = atol;
  }

  void Run();
  void RunExpectError(const std::string& message_substring);
  // Runs and returns the outputs without comparing (for custom checks).
  std::vector<Value> RunAndGet();

 private:
  struct Io {
    std::string name;
    Value value;
    bool constant;
  };
  Result<std::unique_ptr<Session>> Build();

  std::string op_type_, domain_;
  int opset_;
  std::vector<Io> inputs_, outputs_;
  std::map<std::string, ir::Attribute> attrs_;
  double rtol_ = 1e-4, atol_ = 1e-5;
  OptimizationLevel level_ = OptimizationLevel::kAll;
};

// Compares two values (tensors element by element with tolerance for floats; sequences and optionals
// recursively). Returns an empty string when equal, else a description of the first difference.
std::string CompareValues(const Value& expected, const Value& actual, double rtol, double atol);

}  // namespace onyx::test

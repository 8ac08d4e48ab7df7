// The cases every Reduce* operator with attribute-then-input axes shares, run on one X [2,3,4]: each
// operator's test file gives its expected values and keeps its own extra cases.
#pragma once

#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {

struct ReduceCase {
  std::string op;
  int attribute_axes_opset;          // the last opset with axes as an attribute
  int input_axes_opset;              // the first with axes as an input
  std::vector<float> axis1_kept;     // over axis 1, keepdims: [2,1,4]
  std::vector<float> axes0_last;     // over axes 0 and -1, dropped: [3]
  std::vector<float> axis2_dropped;  // over axis 2 given as an input, dropped: [2,3]
  float all;                         // over every axis (no axes): [1,1,1]
  float empty;                       // over an empty axis
  std::vector<float> x = {};         // X when ReduceInput() does not suit (ReduceLogSum needs positive values)
};

inline const std::vector<float>& ReduceInput() {
  static const std::vector<float> x = {-1.25f, -0.75f, -0.25f, 0.25f, 0.75f, 1.25f,  1.75f,  -1.25f,
                                       -0.75f, -0.25f, 0.25f,  0.75f, 1.25f, 1.75f,  -1.25f, -0.75f,
                                       -0.25f, 0.25f,  0.75f,  1.25f, 1.75f, -1.25f, -0.75f, -0.25f};
  return x;
}

inline const std::vector<float>& InputOf(const ReduceCase& c) { return c.x.empty() ? ReduceInput() : c.x; }

inline void CheckReduceAttributeAxes(const ReduceCase& c) {
  OpTest t(c.op, c.attribute_axes_opset);
  t.AddInput<float>("X", {2, 3, 4}, InputOf(c));
  t.AddAttr("axes", std::vector<int64_t>{1});
  t.AddOutput<float>("Y", {2, 1, 4}, c.axis1_kept);
  t.Run();

  OpTest u(c.op, c.attribute_axes_opset);
  u.AddInput<float>("X", {2, 3, 4}, InputOf(c));
  u.AddAttr("axes", std::vector<int64_t>{0, -1});
  u.AddAttr("keepdims", int64_t{0});
  u.AddOutput<float>("Y", {3}, c.axes0_last);
  u.Run();
}

inline void CheckReduceInputAxes(const ReduceCase& c) {
  OpTest t(c.op, c.input_axes_opset);
  t.AddInput<float>("X", {2, 3, 4}, InputOf(c));
  t.AddInput<int64_t>("axes", {1}, {2});
  t.AddAttr("keepdims", int64_t{0});
  t.AddOutput<float>("Y", {2, 3}, c.axis2_dropped);
  t.Run();

  OpTest u(c.op, c.input_axes_opset);
  u.AddInput<float>("X", {2, 3, 4}, InputOf(c));
  u.AddOutput<float>("Y", {1, 1, 1}, {c.all});
  u.Run();
}

inline void CheckReduceEmptySet(const ReduceCase& c) {
  OpTest t(c.op, c.input_axes_opset);
  t.AddInput<float>("X", {2, 0, 4}, {});
  t.AddConstantInput<int64_t>("axes", {1}, {1});
  t.AddOutput<float>("Y", {2, 1, 4}, std::vector<float>(8, c.empty));
  t.Run();
}

inline void CheckReduceNoopWithEmptyAxes(const ReduceCase& c) {
  OpTest t(c.op, c.input_axes_opset);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddAttr("noop_with_empty_axes", int64_t{1});
  t.AddOutput<float>("Y", {2}, {1, 2});
  t.Run();
}

inline void CheckReduceBadAxis(const ReduceCase& c) {
  OpTest t(c.op, c.input_axes_opset);
  t.AddInput<float>("X", {2}, {1, 2});
  t.AddInput<int64_t>("axes", {1}, {-2});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("axis");
}

}  // namespace onyx::test

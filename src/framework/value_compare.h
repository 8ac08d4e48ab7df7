// Compares runtime values the way the conformance runner and the tests need: floats within rtol/atol
// (NaN equals NaN, infinities must match), integers, bools and strings exactly, sequences and optionals
// element by element.
#pragma once

#include <string>

#include "framework/value.h"

namespace onyx {

struct CompareOptions {
  double rtol = 1e-3;
  double atol = 1e-5;
};

// Empty when `actual` matches `expected`; otherwise the first difference, e.g.
// "index 12: expected 0.5, got 0.75" or "shape [2,3] expected, got [3,2]".
std::string CompareValues(const Value& expected, const Value& actual, const CompareOptions& options = {});

// Reads element i of a numeric tensor as double (float16/bfloat16 converted); 0 for non-numeric types.
double ElementAsDouble(const Tensor& t, int64_t i);
// Formats the first `max_count` elements: "0.1, 0.2, ...".
std::string FormatElements(const Tensor& t, int64_t max_count);

}  // namespace onyx

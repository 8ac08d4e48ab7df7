// Helpers shared by the ai.onnx.ml kernels: the score post-transforms (NONE, SOFTMAX, LOGISTIC,
// SOFTMAX_ZERO, PROBIT), reading a numeric input as float rows, and the [N, F] view most of these
// operators take of their input.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "framework/op_kernel.h"

namespace onyx::cpu::ml {

enum class PostTransform { kNone = 0, kSoftmax = 1, kLogistic = 2, kSoftmaxZero = 3, kProbit = 4 };

// Parses the string spelling (opsets before TreeEnsemble) or the integer code (TreeEnsemble).
std::optional<PostTransform> ParsePostTransform(const std::string& name);
std::optional<PostTransform> PostTransformFromInt(int64_t code);
// Reads the 'post_transform' string attribute (default NONE) and rejects unknown names.
Status ReadPostTransform(const KernelInfo& info, PostTransform* out);

// Applies the transform to one row of scores in place.
void ApplyPostTransform(PostTransform t, std::span<float> row);
void ApplyPostTransform(PostTransform t, std::span<double> row);

float Logistic(float x);
// sqrt(2) * erfinv(2p - 1): the inverse of the standard normal CDF.
double Probit(double p);

// The numeric element types the classical ML operators accept for their feature input.
bool IsMlNumericType(DataType t);
// Copies a float/double/int32/int64 tensor into `out` as T (size() elements).
template <typename T>
void CopyAsNumber(const Tensor& x, T* out);

// The [N, F] view of a feature tensor: rank 0 is [1, 1], rank 1 is [1, C], rank 2 is itself, higher ranks
// fold every dimension after the first into F.
struct Rows {
  int64_t n = 0;
  int64_t f = 0;
};
Rows RowsOf(const Tensor& x);

}  // namespace onyx::cpu::ml

// Helpers shared by the transformer operators (Attention, RMSNormalization, RotaryEmbedding, ...): they
// compute in double on flattened copies, which keeps float16 and double exact enough and the code simple.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ep/cpu/kernels/nn/half_util.h"
#include "framework/tensor.h"

namespace onyx::cpu::transformer {

inline bool IsFloatType(DataType t) {
  return t == DataType::kFloat || t == DataType::kDouble || t == DataType::kFloat16 || t == DataType::kBFloat16;
}

// Expands `values` (of shape `src`, numpy-broadcastable to `target`, right-aligned) to target's element count.
// Returns nullopt when the shapes do not broadcast.
inline std::optional<std::vector<double>> BroadcastValues(const std::vector<double>& values, const Shape& src,
                                                          const Shape& target) {
  const size_t rank = target.size();
  if (src.size() > rank) {
    for (size_t i = 0; i < src.size() - rank; ++i)
      if (src[i] != 1) return std::nullopt;
  }
  std::vector<int64_t> src_dim(rank, 1);
  for (size_t i = 0; i < rank && i < src.size(); ++i) {
    const int64_t d = src[src.size() - 1 - i];
    if (d != 1 && d != target[rank - 1 - i]) return std::nullopt;
    src_dim[rank - 1 - i] = d;
  }
  int64_t total = 1;
  for (int64_t d : target) total *= d;
  std::vector<double> out(static_cast<size_t>(total));
  for (int64_t o = 0; o < total; ++o) {
    int64_t rem = o, idx_src = 0, stride = 1;
    for (size_t i = rank; i-- > 0;) {
      const int64_t idx = rem % target[i];
      rem /= target[i];
      if (src_dim[i] != 1) idx_src += idx * stride;
      stride *= src_dim[i];
    }
    out[static_cast<size_t>(o)] = values[static_cast<size_t>(idx_src)];
  }
  return out;
}

// Integer tensor values (int32 or int64) as int64.
inline std::vector<int64_t> ToInt64Vector(const Tensor& t) {
  std::vector<int64_t> v(static_cast<size_t>(t.size()));
  if (t.type() == DataType::kInt32) {
    for (size_t i = 0; i < v.size(); ++i) v[i] = t.data<int32_t>()[i];
  } else if (t.type() == DataType::kInt64) {
    for (size_t i = 0; i < v.size(); ++i) v[i] = t.data<int64_t>()[i];
  }
  return v;
}

}  // namespace onyx::cpu::transformer

#include "framework/bool_bytes.h"

#include <cstdint>

namespace onyx {

Tensor CanonicalBools(const Tensor& t) {
  if (t.type() != DataType::kBool || t.raw() == nullptr) return t;
  const auto* p = static_cast<const uint8_t*>(t.raw());
  const int64_t n = t.size();
  int64_t i = 0;
  while (i < n && p[i] <= 1) ++i;
  if (i == n) return t;
  Tensor copy = t.Clone();
  auto* q = static_cast<uint8_t*>(copy.raw());
  for (; i < n; ++i) q[i] = q[i] != 0;
  return copy;
}

}  // namespace onyx

// A bound on a symbolic dim, kept apart from shape_inference.h (which nearly every kernel includes).
#pragma once

#include <cstdint>
#include <string>

#include "ir/type.h"

namespace onyx::ir {

// min(s, n) for a symbol s and a size n >= 1, as a named dim ("min(seq,512)"): what slicing [:s] from a dim of n
// gives. Broadcasting it against s gives s (shape_inference.cc's BroadcastShapes: they are equal, or one of them
// is 1 and so is the other's result).
Dim MinDim(const std::string& s, int64_t n);

}  // namespace onyx::ir

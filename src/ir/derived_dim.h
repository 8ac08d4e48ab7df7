// Named dims derived from a symbol, kept apart from shape_inference.h (which nearly every kernel includes). Two
// values whose dims come from the same symbol through the same arithmetic get the same name, so the passes that
// need equal shapes (residual fusions, the blocked layout) can prove them equal where no dim is known: a stride-2
// convolution of an input [B, 3, H, W] writes [B, C, floor((H+1)/2), floor((W+1)/2)], and so does every other
// path that makes the same arithmetic of H.
#pragma once

#include <cstdint>
#include <string>

#include "ir/type.h"

namespace onyx::ir {

// min(s, n) for a symbol s and a size n >= 1, as a named dim ("min(seq,512)"): what slicing [:s] from a dim of n
// gives. Broadcasting it against s gives s (shape_inference.cc's BroadcastShapes: they are equal, or one of them
// is 1 and so is the other's result).
Dim MinDim(const std::string& s, int64_t n);

// floor((scale * d + offset) / divisor) for scale >= 1 and divisor >= 1: a number when d is known (unknown when
// it would be negative), a name when d is a symbol ("floor((H+1)/2)", "2*H", "(H-2)"; d itself when the
// arithmetic is the identity), unknown otherwise. What convolutions, pools and transposed convolutions make of a
// spatial dim.
Dim AffineDim(const Dim& d, int64_t scale, int64_t offset, int64_t divisor);

}  // namespace onyx::ir

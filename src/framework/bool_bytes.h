// Bool tensors hold one byte per element, which kernels read as C++ bool: any byte but 0 or 1 is undefined
// behaviour there. Bytes from outside (a caller's buffer, raw_data or external data in a file) may hold anything,
// so they pass through CanonicalBools on the way in.
#pragma once

#include "framework/tensor.h"

namespace onyx {

// `t` itself when every byte is 0 or 1 (or it is not a bool tensor), else a copy in which every nonzero byte is 1
// (true, as numpy reads them).
Tensor CanonicalBools(const Tensor& t);

}  // namespace onyx

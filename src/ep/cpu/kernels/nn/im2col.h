// im2col / col2im over 3-D windows (1-D and 2-D ones are widened, see Window3),
// used by Conv and ConvTranspose to turn a convolution into one matrix product
// per image and group.
#pragma once

#include <cstdint>

#include "ep/cpu/kernels/nn/conv_pool_attrs.h"

namespace onyx {
class ThreadPool;
}

namespace onyx::cpu {

// col[(c, kd, kh, kw), (od, oh, ow)] = x[c, od*s - p + kd*d, ...], 0 in the
// padding. x holds `channels` planes of w.in_size() elements; col has channels
// * kernel_size rows of out_size() elements.
template <typename T>
void Im2Col(const T* x, int64_t channels, const Window3& w, T* col, ThreadPool* pool);

// The adjoint: adds every col element back into the x position it was taken
// from (x is accumulated into; padding positions are dropped).
template <typename T>
void Col2Im(const T* col, int64_t channels, const Window3& w, T* x, ThreadPool* pool);

}  // namespace onyx::cpu

// What CpuAllocator knows about a block it handed out, for the code that makes tensors on it. Kept out of
// allocator.h, which nearly every file includes.
#pragma once

namespace onyx {

// Whether block p (from CpuAllocator::Alloc, not yet written) came straight from the kernel's zero pages: a tensor
// made on it needs no zero fill, and writing zeros would only fault every page in before its real contents arrive.
bool CpuBlockIsZeroFilled(const void* p);

}  // namespace onyx

// Giving freed host memory back to the system.
#pragma once

#include <cstddef>

namespace onyx {

// Gives the C library's free heap memory back to the system (glibc's malloc_trim; nothing elsewhere). Session
// creation frees the file's initializer bytes as the optimizer and the kernels repack them; those came from malloc
// (the protobuf parser's strings), and once a process has freed a large mapped block (numpy does, for instance)
// glibc serves large blocks from its heaps and keeps what is freed there: the weights stayed resident twice.
// With `at_least`, only when the heaps hold at least that many free bytes (a cheap check, for calls in a loop).
void ReturnFreedHostMemory(size_t at_least = 0);

// The `at_least` of the calls made as weights are freed one by one (16 MiB).
inline constexpr size_t kReturnFreedAtLeast = size_t{16} << 20;

}  // namespace onyx

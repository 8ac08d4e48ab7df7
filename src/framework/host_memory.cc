#include "framework/host_memory.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace onyx {

void ReturnFreedHostMemory(size_t at_least) {
#if defined(__GLIBC__)
#if __GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33)
  if (at_least > 0 && mallinfo2().fordblks < at_least) return;
#endif
  malloc_trim(0);
#else
  (void)at_least;
#endif
}

}  // namespace onyx

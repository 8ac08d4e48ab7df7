// Linked into the static onyx-min only (CMakeLists.txt): two definitions that keep parts of libstdc++ the program
// never uses out of the static link (docs/EDGE.md, "Sizes"). The shared-runtime variant does not get them: there
// those parts cost nothing, and the definitions would replace the shared library's for the whole process.
#include <cstdio>
#include <cstdlib>
#include <ios>

// With GCC 12, every file that includes <iostream> (protobuf's headers do) constructs a static ios_base::Init,
// whose library constructor builds std::cout, std::cin, std::cerr, their wide twins and every locale facet: about
// 0.5 MB of a static program. No code of onyx-min uses the standard streams; the link fails if anything brings
// libstdc++'s ios_init.o (its other symbols would clash with these), and scripts/minimal_check fails if a standard
// stream object is linked at all, since none would be constructed.
std::ios_base::Init::Init() {}
std::ios_base::Init::~Init() {}

// libstdc++'s default terminate handler prints the uncaught exception's demangled type, and so links the C++
// demangler (about 50 KB). The engine catches what it throws (errors travel as Status); this one says what happened
// without the type's name.
namespace __gnu_cxx {
void __verbose_terminate_handler();
void __verbose_terminate_handler() {
  std::fputs("onyx-min: terminate called (an uncaught exception or an exception leaving a noexcept function)\n",
             stderr);
  std::abort();
}
}  // namespace __gnu_cxx

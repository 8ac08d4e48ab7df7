# Cross build for 64-bit ARM Linux with Debian's toolchain (docs/EDGE.md, docs/decisions/0010-aarch64-cross.md):
#   cmake -S . -B build-aarch64 -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake
# The compiler is g++-aarch64-linux-gnu; the libraries (protobuf, RE2, the codecs, GoogleTest) are Debian's arm64
# packages installed through multiarch (`scripts/bootstrap --aarch64`), so they live in /usr/lib/aarch64-linux-gnu
# beside the host's. protoc must be the host's: it runs during the build.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(ONYX_CROSS_TRIPLE aarch64-linux-gnu)

set(CMAKE_C_COMPILER ${ONYX_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${ONYX_CROSS_TRIPLE}-g++)

# Search the target's folders for libraries, headers and CMake packages, the host's for programs (protoc). Debian's
# multiarch layout puts the arm64 packages' files under /usr/lib/aarch64-linux-gnu and /usr/include, which the
# cross compiler does not search by itself; the libc and libstdc++ of the cross toolchain are in /usr/aarch64-linux-gnu.
set(CMAKE_FIND_ROOT_PATH /usr/${ONYX_CROSS_TRIPLE})
set(CMAKE_LIBRARY_ARCHITECTURE ${ONYX_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# pkg-config must read the arm64 .pc files only, not the host's.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${ONYX_CROSS_TRIPLE}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# protoc runs on the build machine: the host's program, which writes the same code as the arm64 one (same version).
find_program(Protobuf_PROTOC_EXECUTABLE NAMES protoc PATHS /usr/bin NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)

# Programs built here run under qemu-user (Debian's qemu-user-static), which ctest uses through this. No -L: the
# loader and libc must be multiarch's libc6:arm64 (/lib/ld-linux-aarch64.so.1), the copy the arm64 libraries came
# with. With -L /usr/aarch64-linux-gnu qemu takes that folder's loader (the cross toolchain's libc6-arm64-cross, another
# Debian revision) but libc.so.6 from /lib/aarch64-linux-gnu, and the two disagree on their private data: the first
# pthread_create then loops forever over the loader's stack cache.
find_program(ONYX_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(ONYX_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${ONYX_QEMU_AARCH64})
endif()

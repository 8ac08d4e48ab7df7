# Sanitizer and fuzzing instrumentation for the whole build (included by the top-level CMakeLists.txt).
#
# ONYX_SANITIZE=address,undefined   ASan + UBSan (`make asan`); any UBSan report is fatal, so a test fails on it.
# ONYX_SANITIZE=thread              TSan (`make tsan`).
# ONYX_FUZZ=ON                      clang only: the engine gets libFuzzer's coverage instrumentation
#                                   (-fsanitize=fuzzer-no-link) and tests/fuzz builds one program per target.
#                                   The instrumented engine still links into ordinary programs (the sanitizer
#                                   runtime gives the coverage hooks empty definitions), so one such build serves
#                                   both the fuzz targets and the sanitized tests.
if(ONYX_SANITIZE)
  set(ONYX_SANITIZE_FLAGS -fsanitize=${ONYX_SANITIZE} -fno-omit-frame-pointer -g1)
  if(ONYX_SANITIZE MATCHES "undefined")
    list(APPEND ONYX_SANITIZE_FLAGS -fno-sanitize-recover=undefined)
  endif()
  add_compile_options(${ONYX_SANITIZE_FLAGS})
  # -O1 for everything (the engine sets it for itself in CMakeLists.txt): the tests and the engine compile in
  # about half the time of -O3, and reports keep every frame.
  string(REPLACE "-O3" "-O1" CMAKE_CXX_FLAGS_RELEASE "${CMAKE_CXX_FLAGS_RELEASE}")
  string(REPLACE "-O3" "-O1" CMAKE_C_FLAGS_RELEASE "${CMAKE_C_FLAGS_RELEASE}")
  add_link_options(-fsanitize=${ONYX_SANITIZE})
  if(ONYX_SANITIZE MATCHES "thread" AND ONYX_SANITIZE MATCHES "address")
    message(FATAL_ERROR "onyx: ONYX_SANITIZE cannot combine thread with address")
  endif()
endif()

if(ONYX_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "onyx: ONYX_FUZZ needs clang (libFuzzer); configure with CC=clang CXX=clang++")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

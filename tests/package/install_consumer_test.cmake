# ctest package_install_consumer: install the build tree into a fresh prefix, build examples/consumer against it
# with a separate CMake run (find_package(onyx) + onyx::onyx, nothing from the source tree), and run it.
#
#   cmake -DBUILD_DIR=... -DWORK_DIR=... -DCONSUMER_DIR=... -DMODEL=... [-DEXPECT=REGEX] [-DGENERATOR=...]
#         [-DCXX_COMPILER=...]
#         -P install_consumer_test.cmake
foreach(var BUILD_DIR WORK_DIR CONSUMER_DIR MODEL)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_consumer_test: -D${var}=... is required")
  endif()
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "install_consumer_test: ${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(OUT "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

# What the prefix must hold, and must not: the engine's internals stay out.
foreach(path include/onyx/onyx_c_api.h include/onyx/onyx.hpp lib/cmake/onyx/onyxConfig.cmake
             lib/cmake/onyx/onyxConfigVersion.cmake lib/cmake/onyx/onyxTargets.cmake bin/onyx)
  if(NOT EXISTS ${prefix}/${path})
    message(FATAL_ERROR "install_consumer_test: ${path} was not installed")
  endif()
endforeach()
file(GLOB libs RELATIVE ${prefix}/lib ${prefix}/lib/libonyx*)
list(SORT libs)
if(NOT libs MATCHES "^libonyx\\.so;libonyx\\.so\\.[0-9.]+;libonyx\\.so\\.[0-9.]+$")
  message(FATAL_ERROR "install_consumer_test: expected libonyx.so, its SONAME link and the versioned file, got ${libs}")
endif()
if(EXISTS ${prefix}/include/onyx/extension.hpp)
  message(FATAL_ERROR "install_consumer_test: extension.hpp (the engine's internal classes) was installed")
endif()

set(args -S ${CONSUMER_DIR} -B ${WORK_DIR}/build -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
if(GENERATOR)
  list(APPEND args -G ${GENERATOR})
endif()
if(CXX_COMPILER)
  list(APPEND args -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
run("configuring the consumer" ${CMAKE_COMMAND} ${args})
run("building the consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)

# The program must load the installed library (through the build RPATH CMake gives it), not the build tree's.
run("running the consumer" ${WORK_DIR}/build/onyx_consumer ${MODEL})
string(STRIP "${OUT}" OUT)
message(STATUS "onyx_consumer ${MODEL}:\n${OUT}")
if(NOT OUT MATCHES ": shape \\[")
  message(FATAL_ERROR "install_consumer_test: the consumer printed no output")
endif()
if(DEFINED EXPECT AND NOT OUT MATCHES "${EXPECT}")
  message(FATAL_ERROR "install_consumer_test: expected output matching '${EXPECT}'")
endif()
find_program(LDD ldd)
if(LDD)
  run("ldd" ${LDD} ${WORK_DIR}/build/onyx_consumer)
  string(REGEX MATCH "libonyx\\.so[^\n]*=> ([^ \n]*)" found "${OUT}")
  string(FIND "${CMAKE_MATCH_1}" "${prefix}/lib/" at)
  if(NOT at EQUAL 0)
    message(FATAL_ERROR "install_consumer_test: the consumer loads '${CMAKE_MATCH_1}', not the installed library")
  endif()
endif()

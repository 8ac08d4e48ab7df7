# The minimal build (-DONYX_MINIMAL=ON -DONYX_OPS_CONFIG=ops.txt, docs/EDGE.md): of the kernel files under
# src/ep/cpu/kernels/, only those that register a kernel for an operator of the list (written by `onyx ops-config
# MODEL...`) and those that register none (shared helpers); no graph optimizer, no quantization tool, no image
# codecs unless ImageDecoder is listed, RE2 only with RegexFullMatch. Included by CMakeLists.txt, which then builds the
# library's archive and the static program onyx-min (tools/onyx_min) instead of the full set of targets.
if(NOT ONYX_OPS_CONFIG OR NOT EXISTS "${ONYX_OPS_CONFIG}")
  message(FATAL_ERROR "ONYX_MINIMAL needs ONYX_OPS_CONFIG, a file of operators (onyx ops-config MODEL... > ops.txt); "
                      "got '${ONYX_OPS_CONFIG}'")
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${ONYX_OPS_CONFIG}")
file(STRINGS "${ONYX_OPS_CONFIG}" onyx_ops_lines)
set(ONYX_MINIMAL_OPS)
set(ONYX_MINIMAL_TYPES)
# DataType numbers (src/framework/data_type.h), in order from 1, by DataTypeName.
set(onyx_type_names float uint8 int8 uint16 int16 int32 int64 string bool float16 double uint32 uint64 complex64
                    complex128 bfloat16 float8e4m3fn float8e4m3fnuz float8e5m2 float8e5m2fnuz uint4 int4 float4e2m1
                    float8e8m0 uint2 int2)
foreach(line IN LISTS onyx_ops_lines)
  string(STRIP "${line}" line)
  if(line STREQUAL "" OR line MATCHES "^#")
    continue()
  endif()
  # `types: float int64 ...`: the element types the kernels are built for (all when the line is absent).
  if(line MATCHES "^types:")
    string(REGEX REPLACE "^types:" "" types "${line}")
    string(REGEX MATCHALL "[A-Za-z0-9_]+" types "${types}")
    foreach(type IN LISTS types)
      if(NOT type IN_LIST onyx_type_names)
        message(FATAL_ERROR "${ONYX_OPS_CONFIG}: '${type}' is not an element type (one of ${onyx_type_names})")
      endif()
      list(APPEND ONYX_MINIMAL_TYPES "${type}")
    endforeach()
    continue()
  endif()
  # domain:op_type (or a bare op_type); kernels are chosen by op_type, so a name two domains share keeps both.
  string(REGEX REPLACE "^.*:" "" op "${line}")
  if(NOT op MATCHES "^[A-Za-z0-9_]+$")
    message(FATAL_ERROR "${ONYX_OPS_CONFIG}: '${line}' is not an operator (domain:op_type)")
  endif()
  list(APPEND ONYX_MINIMAL_OPS "${op}")
endforeach()
list(REMOVE_DUPLICATES ONYX_MINIMAL_OPS)
if(NOT ONYX_MINIMAL_OPS)
  message(FATAL_ERROR "${ONYX_OPS_CONFIG} lists no operators")
endif()

# Gradient expansion (training graphs) is left out too: the session skips it, and a Gradient node finds no kernel.
list(FILTER ONYX_SOURCES EXCLUDE REGEX "/src/(optimizer|quantization)/|/src/ir/autodiff")
if(NOT "ImageDecoder" IN_LIST ONYX_MINIMAL_OPS)
  list(FILTER ONYX_SOURCES EXCLUDE REGEX "/kernels/image/codecs/")
endif()
set(onyx_kept 0)
set(onyx_dropped 0)
set(onyx_selected)
# Kernel code that registers nothing (shared helpers, the ukernels) goes to a plain archive, from which the link
# takes only what the kept kernels call; the rest is linked whole, for its static registrations.
set(ONYX_MINIMAL_HELPER_SOURCES)
foreach(src IN LISTS ONYX_SOURCES)
  if(NOT src MATCHES "/src/ep/cpu/(kernels|ukernels)/")
    list(APPEND onyx_selected "${src}")
    continue()
  endif()
  file(READ "${src}" text)
  string(REGEX MATCHALL "KernelDef\\(\"CPU\",[^,]*,[ \t\r\n]*\"[A-Za-z0-9_]+\"" defs "${text}")
  if(NOT defs)
    if(text MATCHES "ONYX_REGISTER_")
      list(APPEND onyx_selected "${src}")  # registers something else (a shape inference): linked whole
    else()
      list(APPEND ONYX_MINIMAL_HELPER_SOURCES "${src}")
    endif()
    continue()
  endif()
  set(wanted FALSE)
  foreach(def IN LISTS defs)
    string(REGEX REPLACE ".*\"([A-Za-z0-9_]+)\"$" "\\1" op "${def}")
    if(op IN_LIST ONYX_MINIMAL_OPS)
      set(wanted TRUE)
    endif()
  endforeach()
  if(wanted)
    list(APPEND onyx_selected "${src}")
    math(EXPR onyx_kept "${onyx_kept} + 1")
  else()
    math(EXPR onyx_dropped "${onyx_dropped} + 1")
  endif()
endforeach()
set(ONYX_SOURCES ${onyx_selected})
list(LENGTH ONYX_MINIMAL_OPS onyx_op_count)
message(STATUS "onyx minimal build: ${onyx_op_count} operators, ${onyx_kept} kernel files kept, ${onyx_dropped} left out")
# The type mask goes to the kernel files only (src/ep/cpu/kernels/dispatch.h reads it): the rest of the engine
# (loading, shape inference, the session) handles every type, so that a model with another type gets a clear
# error from the kernel that meets it, and keeps the full build's compile lines and cache.
if(ONYX_MINIMAL_TYPES)
  list(REMOVE_DUPLICATES ONYX_MINIMAL_TYPES)
  set(onyx_type_mask 0)
  foreach(type IN LISTS ONYX_MINIMAL_TYPES)
    list(FIND onyx_type_names "${type}" index)
    math(EXPR onyx_type_mask "${onyx_type_mask} | (1 << (${index} + 1))" OUTPUT_FORMAT HEXADECIMAL)
  endforeach()
  set(onyx_kernel_sources ${ONYX_SOURCES} ${ONYX_MINIMAL_HELPER_SOURCES})
  list(FILTER onyx_kernel_sources INCLUDE REGEX "/src/ep/cpu/kernels/")
  set_property(SOURCE ${onyx_kernel_sources} APPEND PROPERTY COMPILE_DEFINITIONS
                                                               "ONYX_MINIMAL_TYPE_MASK=${onyx_type_mask}ull")
  message(STATUS "onyx minimal build: element types ${ONYX_MINIMAL_TYPES} (mask ${onyx_type_mask})")
endif()
# The operator schemas (validation) of the listed operators only: the whole table is 600 rows of static
# initialization, the largest single object of a small build.
file(STRINGS "${CMAKE_CURRENT_SOURCE_DIR}/src/ir/onnx_op_table.inc" onyx_schema_rows)
set(onyx_schema_text "// The rows of src/ir/onnx_op_table.inc for ${ONYX_OPS_CONFIG}'s operators (cmake/OnyxMinimal.cmake).\n")
foreach(row IN LISTS onyx_schema_rows)
  if(row MATCHES "^{\"[^\"]*\", \"([A-Za-z0-9_]+)\"" AND CMAKE_MATCH_1 IN_LIST ONYX_MINIMAL_OPS)
    string(APPEND onyx_schema_text "${row}\n")
  endif()
endforeach()
file(CONFIGURE OUTPUT "${CMAKE_BINARY_DIR}/minimal_op_table.inc" CONTENT "${onyx_schema_text}" @ONLY)
set_property(SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/src/ir/op_schema.cc APPEND PROPERTY COMPILE_DEFINITIONS
                                                                                 ONYX_MINIMAL_OP_TABLE)

# A section per function and datum, so that the static link (--gc-sections) drops what nothing calls, even from the
# object files linked whole for their registrations. Outside the kernels, code is compiled for size: loading,
# validation, planning and the session run once per model or once per node, and -Os makes them about a quarter
# smaller; the kernels keep -O3. (None of this shares the full build's compiler cache: the kernel files differ by
# the type mask anyway.)
set(onyx_all_sources ${ONYX_SOURCES} ${ONYX_MINIMAL_HELPER_SOURCES} ${ONYX_PROTO_SRCS})
set_property(SOURCE ${onyx_all_sources} APPEND PROPERTY COMPILE_OPTIONS -ffunction-sections -fdata-sections)
set(onyx_size_sources ${ONYX_SOURCES} ${ONYX_PROTO_SRCS})
list(FILTER onyx_size_sources EXCLUDE REGEX "/src/ep/cpu/(kernels|ukernels)/")
set_property(SOURCE ${onyx_size_sources} APPEND PROPERTY COMPILE_OPTIONS -Os)
# The kernels' optimization: -O3 by default (speed); -O2 or -Os trade speed for size (docs/EDGE.md, "Sizes"). Only
# src/ep/cpu/kernels/, whose code is mostly per-type instances of element loops and bookkeeping; the ukernels (GEMM,
# vector math, recurrent cells: the hot loops) keep -O3.
set(ONYX_MINIMAL_KERNEL_OPT "-O3" CACHE STRING "The minimal build's optimization flag for the kernels: -O3, -O2 or -Os")
set_property(CACHE ONYX_MINIMAL_KERNEL_OPT PROPERTY STRINGS -O3 -O2 -Os)
if(NOT ONYX_MINIMAL_KERNEL_OPT MATCHES "^-O[23s]$")
  message(FATAL_ERROR "ONYX_MINIMAL_KERNEL_OPT is -O3, -O2 or -Os, not '${ONYX_MINIMAL_KERNEL_OPT}'")
endif()
if(NOT ONYX_MINIMAL_KERNEL_OPT STREQUAL "-O3")
  set(onyx_kernel_opt_sources ${ONYX_SOURCES} ${ONYX_MINIMAL_HELPER_SOURCES})
  list(FILTER onyx_kernel_opt_sources INCLUDE REGEX "/src/ep/cpu/kernels/")
  set_property(SOURCE ${onyx_kernel_opt_sources} APPEND PROPERTY COMPILE_OPTIONS ${ONYX_MINIMAL_KERNEL_OPT})
  message(STATUS "onyx minimal build: kernels compiled with ${ONYX_MINIMAL_KERNEL_OPT}")
endif()

# ONYX_MINIMAL_ISA=avx2 leaves the AVX-512 float kernels (GEMM, vector math, recurrent cells) out of an x86-64 build:
# the program still runs on any x86-64 processor, with the AVX2 kernels at most (src/ep/cpu/isa_built.h).
set(ONYX_MINIMAL_ISA "avx512" CACHE STRING "The highest instruction set whose float kernels a minimal x86-64 build has")
set_property(CACHE ONYX_MINIMAL_ISA PROPERTY STRINGS avx512 avx2)
if(ONYX_MINIMAL_ISA STREQUAL "avx2")
  set_property(SOURCE ${ONYX_SOURCES} ${ONYX_MINIMAL_HELPER_SOURCES} APPEND PROPERTY COMPILE_DEFINITIONS ONYX_ISA_BUILT=1)
  message(STATUS "onyx minimal build: no AVX-512 float kernels (ONYX_MINIMAL_ISA=avx2)")
elseif(NOT ONYX_MINIMAL_ISA STREQUAL "avx512")
  message(FATAL_ERROR "ONYX_MINIMAL_ISA is avx512 or avx2, not '${ONYX_MINIMAL_ISA}'")
endif()

# Only session.cc (it skips the optimizer) and profiler.cc (UTC in profile file names) know; a definition for every
# file would change all their compile lines and so miss the compiler cache of a full build.
set_source_files_properties(${CMAKE_CURRENT_SOURCE_DIR}/src/session/session.cc
                            ${CMAKE_CURRENT_SOURCE_DIR}/src/common/profiler.cc PROPERTIES COMPILE_DEFINITIONS ONYX_MINIMAL=1)

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
foreach(line IN LISTS onyx_ops_lines)
  string(STRIP "${line}" line)
  if(line STREQUAL "" OR line MATCHES "^#")
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
# Only session.cc knows (it skips the optimizer); a definition for every file would change all their compile lines
# and so miss the compiler cache of a full build.
set_source_files_properties(${CMAKE_CURRENT_SOURCE_DIR}/src/session/session.cc PROPERTIES COMPILE_DEFINITIONS
                                                                                        ONYX_MINIMAL=1)

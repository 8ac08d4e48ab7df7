# protobuf-lite for the minimal build (docs/EDGE.md, "Sizes"; docs/decisions/0011-protobuf-lite-from-source.md):
# compiled here from the source of the Debian package whose headers the engine compiles against, with a section per
# function and datum, so that the static link keeps only what the loader calls. Debian's libprotobuf-lite.a has
# one section per object file: ParseFromIstream and the logging's operator<< for 128-bit integers sit in sections
# the loader needs, and bring the iostreams and every locale facet, about 0.8 MB of a 3.4 MB program.
#
# Sets ONYX_PROTOBUF_LITE_ARCHIVE to the target or to the system archive (the fallback when the source is absent).
set(ONYX_PROTOBUF_SOURCE_DIR "${CMAKE_CURRENT_SOURCE_DIR}/.deps/protobuf"
    CACHE PATH "protobuf's source (scripts/bootstrap --protobuf-source), compiled into the minimal build")
set(onyx_pb_file_list "${ONYX_PROTOBUF_SOURCE_DIR}/cmake/libprotobuf-lite.cmake")
set(ONYX_PROTOBUF_FROM_SOURCE OFF)
if(EXISTS "${onyx_pb_file_list}")
  # The source must be the headers' version: the generated code and the engine see only the installed headers.
  file(STRINGS "${ONYX_PROTOBUF_SOURCE_DIR}/src/google/protobuf/stubs/common.h" onyx_pb_version_line
       REGEX "^#define GOOGLE_PROTOBUF_VERSION [0-9]+")
  string(REGEX REPLACE ".* ([0-9]+)$" "\\1" onyx_pb_source_version "${onyx_pb_version_line}")
  file(STRINGS "${Protobuf_INCLUDE_DIR}/google/protobuf/stubs/common.h" onyx_pb_version_line
       REGEX "^#define GOOGLE_PROTOBUF_VERSION [0-9]+")
  string(REGEX REPLACE ".* ([0-9]+)$" "\\1" onyx_pb_header_version "${onyx_pb_version_line}")
  if(NOT onyx_pb_source_version STREQUAL onyx_pb_header_version)
    message(FATAL_ERROR "${ONYX_PROTOBUF_SOURCE_DIR} is protobuf ${onyx_pb_source_version}, the installed headers "
                        "${onyx_pb_header_version}: run scripts/bootstrap --protobuf-source again")
  endif()
  # The library's own list of its files (protobuf's CMake build), read rather than copied.
  file(READ "${onyx_pb_file_list}" onyx_pb_text)
  string(REGEX MATCHALL "src/google/protobuf/[A-Za-z0-9_/]+\\.cc" onyx_pb_sources "${onyx_pb_text}")
  list(TRANSFORM onyx_pb_sources PREPEND "${ONYX_PROTOBUF_SOURCE_DIR}/")
  if(NOT onyx_pb_sources)
    message(FATAL_ERROR "${onyx_pb_file_list} lists no sources")
  endif()
  add_library(onyx_protobuf_lite STATIC ${onyx_pb_sources})
  # Its own headers first (the same version as the installed ones, checked above).
  target_include_directories(onyx_protobuf_lite BEFORE PRIVATE "${ONYX_PROTOBUF_SOURCE_DIR}/src")
  target_compile_definitions(onyx_protobuf_lite PRIVATE HAVE_PTHREAD NDEBUG)
  target_compile_options(onyx_protobuf_lite PRIVATE -Os -ffunction-sections -fdata-sections -w)
  target_compile_features(onyx_protobuf_lite PRIVATE cxx_std_17)
  set_target_properties(onyx_protobuf_lite PROPERTIES ARCHIVE_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/lib)
  set(ONYX_PROTOBUF_LITE_ARCHIVE onyx_protobuf_lite)
  set(ONYX_PROTOBUF_FROM_SOURCE ON)
  message(STATUS "onyx minimal build: protobuf-lite ${onyx_pb_source_version} compiled from ${ONYX_PROTOBUF_SOURCE_DIR}")
else()
  find_library(ONYX_PROTOBUF_LITE_ARCHIVE NAMES libprotobuf-lite.a)
  if(NOT ONYX_PROTOBUF_LITE_ARCHIVE)
    message(FATAL_ERROR "the minimal build links protobuf statically: libprotobuf-lite.a not found")
  endif()
  message(WARNING "onyx minimal build: no protobuf source in ${ONYX_PROTOBUF_SOURCE_DIR} (scripts/bootstrap "
                  "--protobuf-source); linking ${ONYX_PROTOBUF_LITE_ARCHIVE}, which brings the iostreams: the static "
                  "onyx-min is about 0.8 MB larger")
endif()

# What the engine links, found once here: the top-level build includes this, and so does python/CMakeLists.txt
# when it links an engine built elsewhere (ONYX_PREBUILT_DIR), whose exported targets name these imported ones.
find_package(Protobuf REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
# ImageDecoder's codecs (docs/decisions/0006-image-codecs.md).
pkg_check_modules(IMAGE_CODECS REQUIRED IMPORTED_TARGET libjpeg libpng libwebp libtiff-4 libopenjp2)
# The lite runtime: the engine only parses and writes messages, and lite code registers no descriptors, so two
# copies of the engine (libonyx.so and the Python extension) can share one process (docs/decisions/0001-protobuf.md).
if(NOT TARGET protobuf::libprotobuf-lite)
  message(FATAL_ERROR "onyx: protobuf's lite library (libprotobuf-lite) was not found")
endif()

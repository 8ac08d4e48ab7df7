#include "fuzz_common.h"

#include <cstdlib>

#include "common/logging.h"

#ifndef ONYX_SOURCE_DIR
#define ONYX_SOURCE_DIR "."
#endif

namespace onyx::fuzz {

void InitOnce() {
  static const bool done = [] {
    SetLogLevel(LogLevel::kFatal);
    return true;
  }();
  (void)done;
}

SessionOptions FuzzSessionOptions() {
  SessionOptions o;
  o.log_level = LogLevel::kFatal;
  o.intra_op_threads = 1;
  o.config["session.max_tensor_bytes"] = std::to_string(int64_t{64} << 20);
  o.config["session.max_nodes"] = "20000";
  o.config["session.max_string_bytes"] = std::to_string(int64_t{1} << 20);
  return o;
}

std::string OnnxTestsDir() {
  if (const char* env = std::getenv("ONYX_FUZZ_ONNX_TESTS"); env != nullptr && *env != '\0') return env;
  return std::string(ONYX_SOURCE_DIR) + "/../shared/onnx-tests";
}

}  // namespace onyx::fuzz

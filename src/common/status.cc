#include "common/status.h"

#include <cstdio>

namespace onyx {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kFail: return "FAIL";
    case StatusCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case StatusCode::kNoSuchFile: return "NO_SUCHFILE";
    case StatusCode::kNoModel: return "NO_MODEL";
    case StatusCode::kEngineError: return "ENGINE_ERROR";
    case StatusCode::kRuntimeException: return "RUNTIME_EXCEPTION";
    case StatusCode::kInvalidProtobuf: return "INVALID_PROTOBUF";
    case StatusCode::kModelLoaded: return "MODEL_LOADED";
    case StatusCode::kNotImplemented: return "NOT_IMPLEMENTED";
    case StatusCode::kInvalidGraph: return "INVALID_GRAPH";
    case StatusCode::kEpFail: return "EP_FAIL";
  }
  return "UNKNOWN";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

Status Status::WithContext(const std::string& context) const {
  if (ok()) return *this;
  return Status(code_, context + ": " + message_);
}

namespace detail {

void AppendFloat(std::string& out, double v) {
  char buf[64];
  const int n = std::snprintf(buf, sizeof(buf), "%g", v);
  if (n > 0) out.append(buf, static_cast<size_t>(n) < sizeof(buf) ? n : sizeof(buf) - 1);
}

void AppendFloat(std::string& out, long double v) {
  char buf[96];
  const int n = std::snprintf(buf, sizeof(buf), "%Lg", v);
  if (n > 0) out.append(buf, static_cast<size_t>(n) < sizeof(buf) ? n : sizeof(buf) - 1);
}

}  // namespace detail

}  // namespace onyx

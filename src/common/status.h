// Status: the one error model inside Onyx. Every fallible call returns a Status (or Result<T>) whose
// message names what was wrong: the node, the input, the shape. No exceptions cross module borders.
#pragma once

#include <memory>
#include <sstream>
#include <string>
#include <utility>

namespace onyx {

enum class StatusCode : int {
  kOk = 0,
  kFail = 1,
  kInvalidArgument = 2,
  kNoSuchFile = 3,
  kNoModel = 4,
  kEngineError = 5,
  kRuntimeException = 6,
  kInvalidProtobuf = 7,
  kModelLoaded = 8,
  kNotImplemented = 9,
  kInvalidGraph = 10,
  kEpFail = 11,
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

  // Prefixes the message with context ("node 'conv1' (Conv): ...") while keeping the code.
  Status WithContext(const std::string& context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Builds a message from streamable parts: MakeString("got ", n, " dims").
template <typename... Args>
std::string MakeString(const Args&... args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}

template <typename... Args>
Status Error(StatusCode code, const Args&... args) {
  return Status(code, MakeString(args...));
}
template <typename... Args>
Status InvalidArgument(const Args&... args) {
  return Status(StatusCode::kInvalidArgument, MakeString(args...));
}
template <typename... Args>
Status InvalidGraph(const Args&... args) {
  return Status(StatusCode::kInvalidGraph, MakeString(args...));
}
template <typename... Args>
Status NotImplemented(const Args&... args) {
  return Status(StatusCode::kNotImplemented, MakeString(args...));
}
template <typename... Args>
Status Fail(const Args&... args) {
  return Status(StatusCode::kFail, MakeString(args...));
}

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() { return value_; }
  const T& value() const { return value_; }
  T&& take() { return std::move(value_); }

 private:
  Status status_;
  T value_{};
};

}  // namespace onyx

#define ONYX_RETURN_IF_ERROR(expr)          \
  do {                                      \
    ::onyx::Status onyx_status_ = (expr);   \
    if (!onyx_status_.ok()) return onyx_status_; \
  } while (0)

#define ONYX_CONCAT_INNER(a, b) a##b
#define ONYX_CONCAT(a, b) ONYX_CONCAT_INNER(a, b)

// ONYX_ASSIGN_OR_RETURN(auto x, MakeX()) declares x from a Result or returns its Status.
#define ONYX_ASSIGN_OR_RETURN(lhs, expr) ONYX_ASSIGN_OR_RETURN_IMPL(ONYX_CONCAT(onyx_result_, __LINE__), lhs, expr)
#define ONYX_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.status();              \
  lhs = tmp.take()

// Checks a condition that depends on user input; returns an InvalidArgument status naming it.
#define ONYX_CHECK_ARG(cond, ...) \
  do {                            \
    if (!(cond)) return ::onyx::InvalidArgument(__VA_ARGS__); \
  } while (0)

// Status: the one error model inside Onyx. Every fallible call returns a Status (or Result<T>) whose
// message names what was wrong: the node, the input, the shape. No exceptions cross module borders.
#pragma once

#include <charconv>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
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

namespace detail {
// A floating-point part as `std::ostream << v` writes it by default ("%g": 6 significant digits, "inf", "nan").
void AppendFloat(std::string& out, double v);
void AppendFloat(std::string& out, long double v);

template <typename T>
void AppendPart(std::string& out, const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    out += v ? '1' : '0';
  } else if constexpr (std::is_same_v<T, char> || std::is_same_v<T, signed char> || std::is_same_v<T, unsigned char>) {
    out += static_cast<char>(v);  // a stream writes the character, int8_t and uint8_t included
  } else if constexpr (std::is_integral_v<T>) {
    char buf[24];
    out.append(buf, std::to_chars(buf, buf + sizeof(buf), v).ptr);
  } else if constexpr (std::is_same_v<T, long double>) {
    AppendFloat(out, v);
  } else if constexpr (std::is_floating_point_v<T>) {
    AppendFloat(out, static_cast<double>(v));
  } else if constexpr (std::is_enum_v<T>) {
    AppendPart(out, static_cast<std::underlying_type_t<T>>(v));
  } else if constexpr (std::is_convertible_v<const T&, const char*>) {
    const char* p = v;
    if (p != nullptr) out += p;  // a stream writes nothing for a null string
  } else {
    static_assert(std::is_convertible_v<const T&, std::string_view>, "MakeString: a part of unsupported type");
    out += std::string_view(v);
  }
}
}  // namespace detail

// Builds a message from parts, written as a std::ostream writes them: MakeString("got ", n, " dims"). Strings,
// characters, numbers, bool (1/0) and unscoped enums (their number). Without iostreams, whose locale machinery is
// the largest part of a statically linked program (docs/EDGE.md, "Sizes").
template <typename... Args>
std::string MakeString(const Args&... args) {
  std::string out;
  (detail::AppendPart(out, args), ...);
  return out;
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

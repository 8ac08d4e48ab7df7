// What the C API's opaque handles are, and the helpers every C API function uses to check its arguments and
// turn internal Status values and C++ exceptions into OnyxStatus objects at the boundary.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "framework/value.h"
#include "ir/type.h"
#include "onyx/onyx_c_api.h"
#include "session/session.h"

namespace onyx::capi {

// Every handle starts with a tag naming its type, so that a handle of one type passed as another (a session where
// a value is expected: C converts any pointer with a cast) is refused with a message instead of being read as the
// wrong struct. Released handles get kReleased before their memory goes, which catches some uses after release
// but not all (the memory may be reused); those stay the caller's undefined behaviour.
enum class HandleTag : uint32_t {
  kStatus = 0x4f4e5831,  // "1XNO" and on: unlikely first bytes of anything else
  kSessionOptions,
  kRunOptions,
  kTypeInfo,
  kModelMetadata,
  kSession,
  kValue,
  kReleased = 0x4f4e58ff,
};

}  // namespace onyx::capi

#define ONYX_CAPI_HANDLE(Kind)                                                           \
  static constexpr onyx::capi::HandleTag kTag = onyx::capi::HandleTag::Kind;             \
  onyx::capi::HandleTag tag = kTag

struct OnyxStatus {
  ONYX_CAPI_HANDLE(kStatus);
  OnyxStatusCode code = ONYX_OK;
  std::string message;
  // The out-of-memory status is preallocated (building one could itself fail); releasing it is a no-op.
  bool is_static = false;
};

struct OnyxSessionOptions {
  ONYX_CAPI_HANDLE(kSessionOptions);
  onyx::SessionOptions options;
};

struct OnyxRunOptions {
  ONYX_CAPI_HANDLE(kRunOptions);
  // Runs take the options as const yet need a pointer to a flag they may watch; the flag is the only state.
  mutable std::atomic<bool> terminate{false};
};

struct OnyxTypeInfo {
  ONYX_CAPI_HANDLE(kTypeInfo);
  OnyxValueKind kind = ONYX_VALUE_KIND_NONE;
  OnyxElementType element_type = ONYX_ELEMENT_TYPE_UNDEFINED;
  int64_t rank = -1;
  std::vector<int64_t> dims;
  std::vector<std::string> symbols;
  std::unique_ptr<OnyxTypeInfo> inner;
  std::string text;
};

struct OnyxModelMetadata {
  ONYX_CAPI_HANDLE(kModelMetadata);
  std::string producer_name, producer_version, graph_name, domain, description, graph_description;
  int64_t version = 0;
  int64_t ir_version = 0;
  std::vector<std::pair<std::string, std::string>> custom;
};

struct OnyxSession {
  ONYX_CAPI_HANDLE(kSession);
  std::unique_ptr<onyx::Session> session;
  // The name OnyxSessionEndProfiling returned, kept so the pointer it gave stays valid.
  mutable std::mutex profile_mutex;
  mutable std::string profile_file;
  std::vector<std::unique_ptr<OnyxTypeInfo>> input_types, output_types;
  OnyxModelMetadata metadata;
};

struct OnyxValue {
  ONYX_CAPI_HANDLE(kValue);
  onyx::Value value;
  // Only values the caller built may be written: run outputs (and items taken out of containers) can share
  // memory with the session or with other values.
  bool writable = false;
};

namespace onyx::capi {

// Never fails: falls back to the preallocated out-of-memory status.
OnyxStatus* MakeStatus(OnyxStatusCode code, std::string message) noexcept;
OnyxStatus* OutOfMemoryStatus() noexcept;
// NULL for an ok status; otherwise the code and "<function>: <message>".
OnyxStatus* FromStatus(const char* function, const Status& status) noexcept;
// "<function>: argument '<argument>' <problem>" with INVALID_ARGUMENT.
OnyxStatus* ArgError(const char* function, const char* argument, const std::string& problem) noexcept;
inline OnyxStatus* NullArg(const char* function, const char* argument) noexcept {
  return ArgError(function, argument, "is NULL");
}

// Runs the body of a C API function, turning any escaping C++ exception into a status.
template <typename F>
OnyxStatus* Guard(const char* function, F&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return OutOfMemoryStatus();
  } catch (const std::exception& e) {
    return MakeStatus(ONYX_RUNTIME_EXCEPTION, std::string(function) + ": unexpected exception: " + e.what());
  } catch (...) {
    return MakeStatus(ONYX_RUNTIME_EXCEPTION, std::string(function) + ": unexpected exception");
  }
}

// The type a handle's tag names ("OnyxSession"), or null for a tag no live handle has.
const char* HandleTypeName(HandleTag tag) noexcept;

// Null when `p` is a live handle of type T (or, with `may_be_null`, is NULL); else an INVALID_ARGUMENT status
// naming `argument` and what it is instead. Only the tag is read: the first bytes of every handle.
template <typename T>
OnyxStatus* CheckHandle(const char* function, const char* argument, const T* p, bool may_be_null = false) noexcept {
  if (p == nullptr) return may_be_null ? nullptr : NullArg(function, argument);
  HandleTag tag;
  std::memcpy(&tag, static_cast<const void*>(p), sizeof(tag));
  if (tag == T::kTag) return nullptr;
  const char* expected = HandleTypeName(T::kTag);
  if (tag == HandleTag::kReleased) return ArgError(function, argument, std::string("is a released ") + expected);
  if (const char* actual = HandleTypeName(tag)) {
    return ArgError(function, argument, std::string("is an ") + actual + ", not an " + expected);
  }
  return ArgError(function, argument, std::string("is not an ") + expected + " handle");
}

// Prints a status's message to stderr and releases it.
void ReportAndDrop(OnyxStatus* status) noexcept;

// Release functions cannot return a status: a handle of the wrong type is left alone (a leak rather than freeing
// memory as the wrong struct) and the refusal goes to stderr. True when `p` may be deleted.
template <typename T>
bool CheckRelease(const char* function, T* p) noexcept {
  if (p == nullptr) return false;
  OnyxStatus* st = CheckHandle(function, "handle", p);
  if (st == nullptr) {
    p->tag = HandleTag::kReleased;
    return true;
  }
  ReportAndDrop(st);
  return false;
}

// Checks `type` is a defined element type; names `argument` in the error.
OnyxStatus* CheckElementType(const char* function, const char* argument, const OnyxElementType& type) noexcept;

// The value of an enum argument as an int. For a C caller any int is a value of a C enum type; in C++ a value past
// the enumerators' range is not, and reading the argument as its enum type is undefined (UBSan: "load of value
// 1000, which is not a valid value for type 'OnyxStatusCode'"). So its bytes are copied, before any range check.
template <typename E>
int RawEnum(const E& e) noexcept {
  static_assert(sizeof(E) == sizeof(int));
  int raw;
  std::memcpy(&raw, &e, sizeof raw);
  return raw;
}
// Reads `rank` dims (shape may be NULL only for rank 0), checking each is >= 0 and the count fits.
OnyxStatus* ReadShape(const char* function, const int64_t* shape, size_t rank, Shape* out, int64_t* count);

std::unique_ptr<OnyxTypeInfo> MakeTypeInfo(const ir::Type& type);

}  // namespace onyx::capi

// Returns an INVALID_ARGUMENT status from the enclosing C API function when `arg` is NULL, or when it is a
// handle pointer whose tag names another type.
#define ONYX_CAPI_NOT_NULL(function, arg)                                                      \
  do {                                                                                         \
    if (OnyxStatus* arg_status_ = ::onyx::capi::CheckArg(function, #arg, arg)) return arg_status_; \
  } while (0)

namespace onyx::capi {

template <typename T>
OnyxStatus* CheckArg(const char* function, const char* argument, const T* p) noexcept {
  if constexpr (requires { T::kTag; }) {
    return CheckHandle(function, argument, p);
  } else {
    return p == nullptr ? NullArg(function, argument) : nullptr;
  }
}

}  // namespace onyx::capi

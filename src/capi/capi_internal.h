// What the C API's opaque handles are, and the helpers every C API function uses to check its arguments and
// turn internal Status values and C++ exceptions into OnyxStatus objects at the boundary.
#pragma once

#include <atomic>
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

struct OnyxStatus {
  OnyxStatusCode code = ONYX_OK;
  std::string message;
  // The out-of-memory status is preallocated (building one could itself fail); releasing it is a no-op.
  bool is_static = false;
};

struct OnyxSessionOptions {
  onyx::SessionOptions options;
};

struct OnyxRunOptions {
  // Runs take the options as const yet need a pointer to a flag they may watch; the flag is the only state.
  mutable std::atomic<bool> terminate{false};
};

struct OnyxTypeInfo {
  OnyxValueKind kind = ONYX_VALUE_KIND_NONE;
  OnyxElementType element_type = ONYX_ELEMENT_TYPE_UNDEFINED;
  int64_t rank = -1;
  std::vector<int64_t> dims;
  std::vector<std::string> symbols;
  std::unique_ptr<OnyxTypeInfo> inner;
  std::string text;
};

struct OnyxModelMetadata {
  std::string producer_name, producer_version, graph_name, domain, description, graph_description;
  int64_t version = 0;
  int64_t ir_version = 0;
  std::vector<std::pair<std::string, std::string>> custom;
};

struct OnyxSession {
  std::unique_ptr<onyx::Session> session;
  // The name OnyxSessionEndProfiling returned, kept so the pointer it gave stays valid.
  mutable std::mutex profile_mutex;
  mutable std::string profile_file;
  std::vector<std::unique_ptr<OnyxTypeInfo>> input_types, output_types;
  OnyxModelMetadata metadata;
};

struct OnyxValue {
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

// Checks `type` is a defined element type; names `argument` in the error.
OnyxStatus* CheckElementType(const char* function, const char* argument, OnyxElementType type) noexcept;
// Reads `rank` dims (shape may be NULL only for rank 0), checking each is >= 0 and the count fits.
OnyxStatus* ReadShape(const char* function, const int64_t* shape, size_t rank, Shape* out, int64_t* count);

std::unique_ptr<OnyxTypeInfo> MakeTypeInfo(const ir::Type& type);

}  // namespace onyx::capi

// Returns an INVALID_ARGUMENT status from the enclosing C API function when `arg` is NULL.
#define ONYX_CAPI_NOT_NULL(function, arg)                               \
  do {                                                                  \
    if ((arg) == nullptr) return ::onyx::capi::NullArg(function, #arg); \
  } while (0)

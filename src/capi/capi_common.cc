// C API: statuses, version, session and run options, and the helpers shared by the other C API files.
#include <cstdio>

#include "capi/capi_internal.h"
#include "common/checked_math.h"
#include "framework/data_type.h"

namespace onyx::capi {

OnyxStatus* OutOfMemoryStatus() noexcept {
  static OnyxStatus status{HandleTag::kStatus, ONYX_FAIL, "out of memory", true};
  return &status;
}

const char* HandleTypeName(HandleTag tag) noexcept {
  switch (tag) {
    case HandleTag::kStatus:
      return "OnyxStatus";
    case HandleTag::kSessionOptions:
      return "OnyxSessionOptions";
    case HandleTag::kRunOptions:
      return "OnyxRunOptions";
    case HandleTag::kTypeInfo:
      return "OnyxTypeInfo";
    case HandleTag::kModelMetadata:
      return "OnyxModelMetadata";
    case HandleTag::kSession:
      return "OnyxSession";
    case HandleTag::kValue:
      return "OnyxValue";
    default:
      return nullptr;
  }
}

void ReportAndDrop(OnyxStatus* status) noexcept {
  if (status == nullptr) return;
  std::fprintf(stderr, "onyx: %s\n", status->message.c_str());
  if (!status->is_static) delete status;
}

OnyxStatus* MakeStatus(OnyxStatusCode code, std::string message) noexcept {
  try {
    auto* status = new OnyxStatus;
    status->code = code;
    status->message = std::move(message);
    return status;
  } catch (...) {
    return OutOfMemoryStatus();
  }
}

OnyxStatus* FromStatus(const char* function, const Status& status) noexcept {
  if (status.ok()) return nullptr;
  try {
    return MakeStatus(static_cast<OnyxStatusCode>(status.code()), std::string(function) + ": " + status.message());
  } catch (...) {
    return OutOfMemoryStatus();
  }
}

OnyxStatus* ArgError(const char* function, const char* argument, const std::string& problem) noexcept {
  try {
    return MakeStatus(ONYX_INVALID_ARGUMENT, std::string(function) + ": argument '" + argument + "' " + problem);
  } catch (...) {
    return OutOfMemoryStatus();
  }
}

OnyxStatus* CheckElementType(const char* function, const char* argument, const OnyxElementType& type) noexcept {
  const int raw = RawEnum(type);
  if (IsValidDataType(raw)) return nullptr;
  try {
    return ArgError(function, argument, "is not a valid element type (got " + std::to_string(raw) + ")");
  } catch (...) {
    return OutOfMemoryStatus();
  }
}

OnyxStatus* ReadShape(const char* function, const int64_t* shape, size_t rank, Shape* out, int64_t* count) {
  // An ONNX tensor never has more dims than this; a bigger rank is a wrong count, not a real shape.
  constexpr size_t kMaxRank = 1024;
  if (rank > kMaxRank) return ArgError(function, "rank", "is " + std::to_string(rank) + ", over the limit of 1024");
  if (shape == nullptr && rank > 0) return ArgError(function, "shape", "is NULL but rank is " + std::to_string(rank));
  out->assign(shape, shape + rank);
  for (size_t i = 0; i < rank; ++i) {
    if ((*out)[i] < 0) {
      return ArgError(function, "shape",
                      "has a negative dim: shape[" + std::to_string(i) + "] = " + std::to_string((*out)[i]));
    }
  }
  if (!CheckedElementCount(*out, count)) {
    return ArgError(function, "shape", "has an element count that overflows: " + ShapeToString(*out));
  }
  return nullptr;
}

static OnyxValueKind KindOf(ir::Type::Kind kind) {
  switch (kind) {
    case ir::Type::Kind::kTensor:
      return ONYX_VALUE_KIND_TENSOR;
    case ir::Type::Kind::kSparseTensor:
      return ONYX_VALUE_KIND_SPARSE_TENSOR;
    case ir::Type::Kind::kSequence:
      return ONYX_VALUE_KIND_SEQUENCE;
    case ir::Type::Kind::kOptional:
      return ONYX_VALUE_KIND_OPTIONAL;
    case ir::Type::Kind::kMap:
      return ONYX_VALUE_KIND_MAP;
    case ir::Type::Kind::kOpaque:
      return ONYX_VALUE_KIND_OPAQUE;
    case ir::Type::Kind::kUnknown:
      break;
  }
  return ONYX_VALUE_KIND_NONE;
}

std::unique_ptr<OnyxTypeInfo> MakeTypeInfo(const ir::Type& type) {
  auto info = std::make_unique<OnyxTypeInfo>();
  info->kind = KindOf(type.kind);
  info->element_type = static_cast<OnyxElementType>(type.elem_type);
  info->text = type.ToString();
  if ((type.kind == ir::Type::Kind::kTensor || type.kind == ir::Type::Kind::kSparseTensor) && type.shape) {
    info->rank = static_cast<int64_t>(type.shape->size());
    for (const ir::Dim& d : *type.shape) {
      info->dims.push_back(d.known() ? d.value : -1);
      info->symbols.push_back(d.known() ? std::string() : d.param);
    }
    info->text += type.ShapeString();
  }
  if (type.inner) info->inner = MakeTypeInfo(*type.inner);
  return info;
}

}  // namespace onyx::capi

using onyx::capi::ArgError;
using onyx::capi::Guard;

extern "C" {

const char* OnyxGetVersionString(void) {
  return ONYX_VERSION;  // from CMake: project(onyx VERSION ...)
}

uint32_t OnyxGetApiVersion(void) { return ONYX_C_API_VERSION; }

OnyxStatus* OnyxCreateStatus(OnyxStatusCode code, const char* message) {
  if (code == ONYX_OK) return nullptr;
  return Guard("OnyxCreateStatus",
               [&] { return onyx::capi::MakeStatus(code, message == nullptr ? std::string() : message); });
}

// A status getter has no status of its own to return: a handle of another type reads as this one.
const OnyxStatus* NotAStatus() {
  static const OnyxStatus status{onyx::capi::HandleTag::kStatus, ONYX_INVALID_ARGUMENT,
                                 "argument 'status' is not an OnyxStatus handle", true};
  return &status;
}

const OnyxStatus* StatusOrNotAStatus(const OnyxStatus* status) {
  OnyxStatus* st = onyx::capi::CheckHandle("OnyxStatus", "status", status, /*may_be_null=*/true);
  if (st == nullptr) return status;
  OnyxReleaseStatus(st);
  return NotAStatus();
}

OnyxStatusCode OnyxStatusGetCode(const OnyxStatus* status) {
  return status == nullptr ? ONYX_OK : StatusOrNotAStatus(status)->code;
}

const char* OnyxStatusGetMessage(const OnyxStatus* status) {
  return status == nullptr ? "" : StatusOrNotAStatus(status)->message.c_str();
}

const char* OnyxStatusCodeName(OnyxStatusCode code) {
  const int raw = onyx::capi::RawEnum(code);
  if (raw < 0 || raw > ONYX_EP_FAIL) return "UNKNOWN";
  return onyx::StatusCodeName(static_cast<onyx::StatusCode>(raw));
}

void OnyxReleaseStatus(OnyxStatus* status) {
  if (status == nullptr) return;
  if (OnyxStatus* st = onyx::capi::CheckHandle("OnyxReleaseStatus", "status", status)) {
    onyx::capi::ReportAndDrop(st);
    return;
  }
  if (status->is_static) return;
  status->tag = onyx::capi::HandleTag::kReleased;
  delete status;
}

const char* OnyxElementTypeName(OnyxElementType type) {
  const int raw = onyx::capi::RawEnum(type);
  if (!onyx::IsValidDataType(raw)) return "undefined";
  return onyx::DataTypeName(static_cast<onyx::DataType>(raw));
}

OnyxStatus* OnyxCreateSessionOptions(OnyxSessionOptions** out) {
  return Guard("OnyxCreateSessionOptions", [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL("OnyxCreateSessionOptions", out);
    *out = new OnyxSessionOptions;
    return nullptr;
  });
}

void OnyxReleaseSessionOptions(OnyxSessionOptions* options) {
  if (onyx::capi::CheckRelease("OnyxReleaseSessionOptions", options)) delete options;
}

OnyxStatus* OnyxSessionOptionsSetLogLevel(OnyxSessionOptions* options, OnyxLogLevel level) {
  constexpr const char* kFn = "OnyxSessionOptionsSetLogLevel";
  // Building the message allocates; nothing may throw past the C boundary.
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, options);
    const int raw = onyx::capi::RawEnum(level);
    if (raw < ONYX_LOG_VERBOSE || raw > ONYX_LOG_FATAL) {
      return ArgError(kFn, "level", "is not a log level (got " + std::to_string(raw) + ")");
    }
    options->options.log_level = static_cast<onyx::LogLevel>(raw);
    return nullptr;
  });
}

OnyxStatus* OnyxSessionOptionsSetIntraOpThreads(OnyxSessionOptions* options, int threads) {
  constexpr const char* kFn = "OnyxSessionOptionsSetIntraOpThreads";
  // Building the message allocates; nothing may throw past the C boundary.
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, options);
    if (threads < 0) return ArgError(kFn, "threads", "is negative (" + std::to_string(threads) + ")");
    options->options.intra_op_threads = threads;
    return nullptr;
  });
}

OnyxStatus* OnyxSessionOptionsSetExecutionMode(OnyxSessionOptions* options, OnyxExecutionMode mode) {
  constexpr const char* kFn = "OnyxSessionOptionsSetExecutionMode";
  // Building the message allocates; nothing may throw past the C boundary.
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, options);
    const int raw = onyx::capi::RawEnum(mode);
    if (raw != ONYX_EXECUTION_SEQUENTIAL && raw != ONYX_EXECUTION_PARALLEL) {
      return ArgError(kFn, "mode", "is not an execution mode (got " + std::to_string(raw) + ")");
    }
    options->options.execution_mode = static_cast<onyx::ExecutionMode>(raw);
    return nullptr;
  });
}

OnyxStatus* OnyxSessionOptionsSetOptimizationLevel(OnyxSessionOptions* options, OnyxOptimizationLevel level) {
  constexpr const char* kFn = "OnyxSessionOptionsSetOptimizationLevel";
  // Building the message allocates; nothing may throw past the C boundary.
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, options);
    const int raw = onyx::capi::RawEnum(level);
    if (raw != ONYX_OPTIMIZATION_DISABLED && raw != ONYX_OPTIMIZATION_BASIC && raw != ONYX_OPTIMIZATION_EXTENDED &&
        raw != ONYX_OPTIMIZATION_ALL) {
      return ArgError(
          kFn, "level",
          "is not an optimization level (got " + std::to_string(raw) + "; expected 0, 1, 2 or 99)");
    }
    options->options.optimization_level = static_cast<onyx::OptimizationLevel>(raw);
    return nullptr;
  });
}

OnyxStatus* OnyxSessionOptionsAddConfigEntry(OnyxSessionOptions* options, const char* key, const char* value) {
  constexpr const char* kFn = "OnyxSessionOptionsAddConfigEntry";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, options);
    ONYX_CAPI_NOT_NULL(kFn, key);
    ONYX_CAPI_NOT_NULL(kFn, value);
    if (key[0] == '\0') return ArgError(kFn, "key", "is empty");
    options->options.config[key] = value;
    return nullptr;
  });
}

OnyxStatus* OnyxSessionOptionsEnableProfiling(OnyxSessionOptions* options, const char* profile_file_prefix) {
  constexpr const char* kFn = "OnyxSessionOptionsEnableProfiling";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, options);
    if (profile_file_prefix != nullptr && profile_file_prefix[0] == '\0') {
      return ArgError(kFn, "profile_file_prefix", "is empty (pass NULL for the default)");
    }
    options->options.enable_profiling = true;
    options->options.profile_file_prefix = profile_file_prefix ? profile_file_prefix : "onyx_profile";
    return nullptr;
  });
}

OnyxStatus* OnyxSessionOptionsDisableProfiling(OnyxSessionOptions* options) {
  constexpr const char* kFn = "OnyxSessionOptionsDisableProfiling";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, options);
    options->options.enable_profiling = false;
    return nullptr;
  });
}

OnyxStatus* OnyxSessionOptionsEnableCpuMemArena(OnyxSessionOptions* options) {
  constexpr const char* kFn = "OnyxSessionOptionsEnableCpuMemArena";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, options);
    options->options.enable_cpu_mem_arena = true;
    return nullptr;
  });
}

OnyxStatus* OnyxSessionOptionsDisableCpuMemArena(OnyxSessionOptions* options) {
  constexpr const char* kFn = "OnyxSessionOptionsDisableCpuMemArena";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, options);
    options->options.enable_cpu_mem_arena = false;
    return nullptr;
  });
}

OnyxStatus* OnyxSessionOptionsEnableMemPattern(OnyxSessionOptions* options) {
  constexpr const char* kFn = "OnyxSessionOptionsEnableMemPattern";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, options);
    options->options.enable_mem_pattern = true;
    return nullptr;
  });
}

OnyxStatus* OnyxSessionOptionsDisableMemPattern(OnyxSessionOptions* options) {
  constexpr const char* kFn = "OnyxSessionOptionsDisableMemPattern";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, options);
    options->options.enable_mem_pattern = false;
    return nullptr;
  });
}

OnyxStatus* OnyxCreateRunOptions(OnyxRunOptions** out) {
  return Guard("OnyxCreateRunOptions", [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL("OnyxCreateRunOptions", out);
    *out = new OnyxRunOptions;
    return nullptr;
  });
}

void OnyxReleaseRunOptions(OnyxRunOptions* run_options) {
  if (onyx::capi::CheckRelease("OnyxReleaseRunOptions", run_options)) delete run_options;
}

OnyxStatus* OnyxRunOptionsSetTerminate(OnyxRunOptions* run_options, int terminate) {
  ONYX_CAPI_NOT_NULL("OnyxRunOptionsSetTerminate", run_options);
  run_options->terminate.store(terminate != 0);
  return nullptr;
}

}  // extern "C"

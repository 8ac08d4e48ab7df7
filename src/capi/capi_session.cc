// C API: sessions, their declared inputs/outputs and metadata, type info, and Run.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "capi/capi_internal.h"

using onyx::capi::ArgError;
using onyx::capi::FromStatus;
using onyx::capi::Guard;

namespace {

OnyxStatus* WrapSession(const char* function, onyx::Result<std::unique_ptr<onyx::Session>> created, OnyxSession** out) {
  if (!created.ok()) return FromStatus(function, created.status());
  auto handle = std::make_unique<OnyxSession>();
  handle->session = created.take();
  const onyx::Session& s = *handle->session;
  for (const onyx::IoInfo& io : s.inputs()) handle->input_types.push_back(onyx::capi::MakeTypeInfo(io.type));
  for (const onyx::IoInfo& io : s.outputs()) handle->output_types.push_back(onyx::capi::MakeTypeInfo(io.type));
  const onyx::ir::ModelMetadata& m = s.metadata();
  OnyxModelMetadata& md = handle->metadata;
  md.producer_name = m.producer_name;
  md.producer_version = m.producer_version;
  md.graph_name = m.graph_name;
  md.domain = m.domain;
  md.description = m.doc_string;
  md.graph_description = m.graph_doc_string;
  md.version = m.model_version;
  md.ir_version = m.ir_version;
  md.custom = m.metadata_props;
  *out = handle.release();
  return nullptr;
}

const onyx::SessionOptions& OptionsOrDefault(const OnyxSessionOptions* options) {
  static const onyx::SessionOptions kDefaults;
  return options == nullptr ? kDefaults : options->options;
}

OnyxStatus* CheckIndex(const char* function, size_t index, size_t count, const char* what) {
  if (index < count) return nullptr;
  return ArgError(function, "index",
                  "is " + std::to_string(index) + " but the model has " + std::to_string(count) + " " + what);
}

OnyxStatus* GetField(const char* function, const OnyxModelMetadata* metadata, std::string OnyxModelMetadata::*field,
                     const char** out) {
  ONYX_CAPI_NOT_NULL(function, metadata);
  if (out == nullptr) return onyx::capi::NullArg(function, "out");
  *out = (metadata->*field).c_str();
  return nullptr;
}

}  // namespace

extern "C" {

OnyxStatus* OnyxCreateSession(const char* model_path, const OnyxSessionOptions* options, OnyxSession** out) {
  constexpr const char* kFn = "OnyxCreateSession";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    ONYX_CAPI_NOT_NULL(kFn, model_path);
    if (model_path[0] == '\0') return ArgError(kFn, "model_path", "is empty");
    if (OnyxStatus* st = onyx::capi::CheckHandle(kFn, "options", options, /*may_be_null=*/true)) return st;
    return WrapSession(kFn, onyx::Session::Create(model_path, OptionsOrDefault(options)), out);
  });
}

OnyxStatus* OnyxCreateSessionFromBytes(const void* model_data, size_t model_size, const OnyxSessionOptions* options,
                                       OnyxSession** out) {
  constexpr const char* kFn = "OnyxCreateSessionFromBytes";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    ONYX_CAPI_NOT_NULL(kFn, model_data);
    if (model_size == 0) return ArgError(kFn, "model_size", "is 0");
    if (OnyxStatus* st = onyx::capi::CheckHandle(kFn, "options", options, /*may_be_null=*/true)) return st;
    return WrapSession(kFn, onyx::Session::CreateFromBytes(model_data, model_size, OptionsOrDefault(options)), out);
  });
}

void OnyxReleaseSession(OnyxSession* session) {
  if (onyx::capi::CheckRelease("OnyxReleaseSession", session)) delete session;
}

OnyxStatus* OnyxSessionGetInputCount(const OnyxSession* session, size_t* out) {
  ONYX_CAPI_NOT_NULL("OnyxSessionGetInputCount", session);
  ONYX_CAPI_NOT_NULL("OnyxSessionGetInputCount", out);
  *out = session->session->inputs().size();
  return nullptr;
}

OnyxStatus* OnyxSessionGetOutputCount(const OnyxSession* session, size_t* out) {
  ONYX_CAPI_NOT_NULL("OnyxSessionGetOutputCount", session);
  ONYX_CAPI_NOT_NULL("OnyxSessionGetOutputCount", out);
  *out = session->session->outputs().size();
  return nullptr;
}

OnyxStatus* OnyxSessionGetInputName(const OnyxSession* session, size_t index, const char** out) {
  constexpr const char* kFn = "OnyxSessionGetInputName";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, session);
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    const auto& inputs = session->session->inputs();
    if (OnyxStatus* st = CheckIndex(kFn, index, inputs.size(), "inputs")) return st;
    *out = inputs[index].name.c_str();
    return nullptr;
  });
}

OnyxStatus* OnyxSessionGetOutputName(const OnyxSession* session, size_t index, const char** out) {
  constexpr const char* kFn = "OnyxSessionGetOutputName";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, session);
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    const auto& outputs = session->session->outputs();
    if (OnyxStatus* st = CheckIndex(kFn, index, outputs.size(), "outputs")) return st;
    *out = outputs[index].name.c_str();
    return nullptr;
  });
}

OnyxStatus* OnyxSessionGetInputTypeInfo(const OnyxSession* session, size_t index, const OnyxTypeInfo** out) {
  constexpr const char* kFn = "OnyxSessionGetInputTypeInfo";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, session);
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    if (OnyxStatus* st = CheckIndex(kFn, index, session->input_types.size(), "inputs")) return st;
    *out = session->input_types[index].get();
    return nullptr;
  });
}

OnyxStatus* OnyxSessionGetOutputTypeInfo(const OnyxSession* session, size_t index, const OnyxTypeInfo** out) {
  constexpr const char* kFn = "OnyxSessionGetOutputTypeInfo";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, session);
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    if (OnyxStatus* st = CheckIndex(kFn, index, session->output_types.size(), "outputs")) return st;
    *out = session->output_types[index].get();
    return nullptr;
  });
}

OnyxStatus* OnyxSessionGetModelMetadata(const OnyxSession* session, const OnyxModelMetadata** out) {
  ONYX_CAPI_NOT_NULL("OnyxSessionGetModelMetadata", session);
  ONYX_CAPI_NOT_NULL("OnyxSessionGetModelMetadata", out);
  *out = &session->metadata;
  return nullptr;
}

// ---- type info ----

OnyxStatus* OnyxSessionEndProfiling(const OnyxSession* session, const char** out) {
  constexpr const char* kFn = "OnyxSessionEndProfiling";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, session);
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    auto written = session->session->EndProfiling();
    if (!written.ok()) return FromStatus(kFn, written.status());
    std::lock_guard<std::mutex> lock(session->profile_mutex);
    // Only the first call has a name to give; later ones give "" and must not move the first one's string.
    if (written.value().empty()) {
      static const char kEmpty[] = "";
      *out = kEmpty;
    } else {
      session->profile_file = written.take();
      *out = session->profile_file.c_str();
    }
    return nullptr;
  });
}

OnyxStatus* OnyxSessionGetProfilingStartTimeNs(const OnyxSession* session, uint64_t* out) {
  constexpr const char* kFn = "OnyxSessionGetProfilingStartTimeNs";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, session);
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = static_cast<uint64_t>(session->session->profiling_start_time_ns());
    return nullptr;
  });
}

OnyxStatus* OnyxTypeInfoGetKind(const OnyxTypeInfo* info, OnyxValueKind* out) {
  ONYX_CAPI_NOT_NULL("OnyxTypeInfoGetKind", info);
  ONYX_CAPI_NOT_NULL("OnyxTypeInfoGetKind", out);
  *out = info->kind;
  return nullptr;
}

OnyxStatus* OnyxTypeInfoGetElementType(const OnyxTypeInfo* info, OnyxElementType* out) {
  ONYX_CAPI_NOT_NULL("OnyxTypeInfoGetElementType", info);
  ONYX_CAPI_NOT_NULL("OnyxTypeInfoGetElementType", out);
  *out = info->element_type;
  return nullptr;
}

OnyxStatus* OnyxTypeInfoGetRank(const OnyxTypeInfo* info, int64_t* out) {
  ONYX_CAPI_NOT_NULL("OnyxTypeInfoGetRank", info);
  ONYX_CAPI_NOT_NULL("OnyxTypeInfoGetRank", out);
  *out = info->rank;
  return nullptr;
}

OnyxStatus* OnyxTypeInfoGetDims(const OnyxTypeInfo* info, int64_t* dims, size_t dims_count) {
  constexpr const char* kFn = "OnyxTypeInfoGetDims";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, info);
    if (info->rank < 0) return ArgError(kFn, "info", "has no known rank (" + info->text + ")");
    if (dims_count != info->dims.size()) {
      return ArgError(kFn, "dims_count",
                      "is " + std::to_string(dims_count) + " but the rank is " + std::to_string(info->dims.size()));
    }
    if (dims_count > 0) ONYX_CAPI_NOT_NULL(kFn, dims);
    for (size_t i = 0; i < dims_count; ++i) dims[i] = info->dims[i];
    return nullptr;
  });
}

OnyxStatus* OnyxTypeInfoGetSymbolicDim(const OnyxTypeInfo* info, size_t axis, const char** out) {
  constexpr const char* kFn = "OnyxTypeInfoGetSymbolicDim";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, info);
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    if (axis >= info->symbols.size()) {
      return ArgError(
          kFn, "axis",
          "is " + std::to_string(axis) + " but the rank is " + std::to_string(info->rank) + " (" + info->text + ")");
    }
    *out = info->symbols[axis].c_str();
    return nullptr;
  });
}

OnyxStatus* OnyxTypeInfoGetInner(const OnyxTypeInfo* info, const OnyxTypeInfo** out) {
  constexpr const char* kFn = "OnyxTypeInfoGetInner";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, info);
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    if (info->inner == nullptr) return ArgError(kFn, "info", "has no element type (" + info->text + ")");
    *out = info->inner.get();
    return nullptr;
  });
}

OnyxStatus* OnyxTypeInfoToString(const OnyxTypeInfo* info, const char** out) {
  ONYX_CAPI_NOT_NULL("OnyxTypeInfoToString", info);
  ONYX_CAPI_NOT_NULL("OnyxTypeInfoToString", out);
  *out = info->text.c_str();
  return nullptr;
}

// ---- metadata ----

OnyxStatus* OnyxModelMetadataGetProducerName(const OnyxModelMetadata* metadata, const char** out) {
  return GetField("OnyxModelMetadataGetProducerName", metadata, &OnyxModelMetadata::producer_name, out);
}

OnyxStatus* OnyxModelMetadataGetProducerVersion(const OnyxModelMetadata* metadata, const char** out) {
  return GetField("OnyxModelMetadataGetProducerVersion", metadata, &OnyxModelMetadata::producer_version, out);
}

OnyxStatus* OnyxModelMetadataGetGraphName(const OnyxModelMetadata* metadata, const char** out) {
  return GetField("OnyxModelMetadataGetGraphName", metadata, &OnyxModelMetadata::graph_name, out);
}

OnyxStatus* OnyxModelMetadataGetDomain(const OnyxModelMetadata* metadata, const char** out) {
  return GetField("OnyxModelMetadataGetDomain", metadata, &OnyxModelMetadata::domain, out);
}

OnyxStatus* OnyxModelMetadataGetDescription(const OnyxModelMetadata* metadata, const char** out) {
  return GetField("OnyxModelMetadataGetDescription", metadata, &OnyxModelMetadata::description, out);
}

OnyxStatus* OnyxModelMetadataGetGraphDescription(const OnyxModelMetadata* metadata, const char** out) {
  return GetField("OnyxModelMetadataGetGraphDescription", metadata, &OnyxModelMetadata::graph_description, out);
}

OnyxStatus* OnyxModelMetadataGetVersion(const OnyxModelMetadata* metadata, int64_t* out) {
  ONYX_CAPI_NOT_NULL("OnyxModelMetadataGetVersion", metadata);
  ONYX_CAPI_NOT_NULL("OnyxModelMetadataGetVersion", out);
  *out = metadata->version;
  return nullptr;
}

OnyxStatus* OnyxModelMetadataGetIrVersion(const OnyxModelMetadata* metadata, int64_t* out) {
  ONYX_CAPI_NOT_NULL("OnyxModelMetadataGetIrVersion", metadata);
  ONYX_CAPI_NOT_NULL("OnyxModelMetadataGetIrVersion", out);
  *out = metadata->ir_version;
  return nullptr;
}

OnyxStatus* OnyxModelMetadataGetCustomCount(const OnyxModelMetadata* metadata, size_t* out) {
  ONYX_CAPI_NOT_NULL("OnyxModelMetadataGetCustomCount", metadata);
  ONYX_CAPI_NOT_NULL("OnyxModelMetadataGetCustomCount", out);
  *out = metadata->custom.size();
  return nullptr;
}

OnyxStatus* OnyxModelMetadataGetCustomKey(const OnyxModelMetadata* metadata, size_t index, const char** out) {
  constexpr const char* kFn = "OnyxModelMetadataGetCustomKey";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, metadata);
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    if (OnyxStatus* st = CheckIndex(kFn, index, metadata->custom.size(), "custom metadata entries")) return st;
    *out = metadata->custom[index].first.c_str();
    return nullptr;
  });
}

OnyxStatus* OnyxModelMetadataLookupCustom(const OnyxModelMetadata* metadata, const char* key, const char** out) {
  constexpr const char* kFn = "OnyxModelMetadataLookupCustom";
  ONYX_CAPI_NOT_NULL(kFn, metadata);
  ONYX_CAPI_NOT_NULL(kFn, key);
  ONYX_CAPI_NOT_NULL(kFn, out);
  *out = nullptr;
  for (const auto& [k, v] : metadata->custom) {
    if (k == key) {
      *out = v.c_str();
      break;
    }
  }
  return nullptr;
}

}  // extern "C"

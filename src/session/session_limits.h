// The session's limits (common/limits.h) as SessionOptions::config sets them, so the C API
// (OnyxSessionOptionsAddConfigEntry) and Python (SessionOptions.add_session_config_entry) reach them.
#pragma once

#include <map>
#include <string>

#include "common/limits.h"
#include "common/status.h"

namespace onyx {

// Config keys, one per field of Limits.
inline constexpr const char* kConfigMaxSubgraphDepth = "session.max_subgraph_depth";
inline constexpr const char* kConfigMaxNodes = "session.max_nodes";
inline constexpr const char* kConfigMaxTensorBytes = "session.max_tensor_bytes";
inline constexpr const char* kConfigMaxExternalDataBytes = "session.max_external_data_bytes";
inline constexpr const char* kConfigMaxStringBytes = "session.max_string_bytes";

// The defaults of Limits with what `config` sets over them. A value that is not a whole number in the key's range
// is an error naming the key, the value and the range.
Result<Limits> LimitsFromConfig(const std::map<std::string, std::string>& config);

}  // namespace onyx

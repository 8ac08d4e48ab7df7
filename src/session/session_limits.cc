#include "session/session_limits.h"

#include <cerrno>
#include <cstdlib>

namespace onyx {

namespace {

// Reads `key` when it is set; leaves *out alone otherwise.
Status ReadLimit(const std::map<std::string, std::string>& config, const char* key, int64_t lo, int64_t hi,
                 int64_t* out) {
  auto it = config.find(key);
  if (it == config.end()) return Status::Ok();
  const std::string& text = it->second;
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE || v < lo || v > hi) {
    return InvalidArgument("config ", key, " must be a whole number from ", lo, " to ", hi, ", got '", text, "'");
  }
  *out = v;
  return Status::Ok();
}

}  // namespace

Result<Limits> LimitsFromConfig(const std::map<std::string, std::string>& config) {
  Limits limits;
  int64_t depth = limits.max_subgraph_depth;
  ONYX_RETURN_IF_ERROR(ReadLimit(config, kConfigMaxSubgraphDepth, 1, kMaxSubgraphDepthCeiling, &depth));
  limits.max_subgraph_depth = static_cast<int>(depth);
  constexpr int64_t kAny = int64_t{1} << 62;
  ONYX_RETURN_IF_ERROR(ReadLimit(config, kConfigMaxNodes, 1, kAny, &limits.max_nodes));
  ONYX_RETURN_IF_ERROR(ReadLimit(config, kConfigMaxTensorBytes, 1, kMaxTensorBytes, &limits.max_tensor_bytes));
  ONYX_RETURN_IF_ERROR(ReadLimit(config, kConfigMaxExternalDataBytes, 0, kAny, &limits.max_external_data_bytes));
  ONYX_RETURN_IF_ERROR(ReadLimit(config, kConfigMaxStringBytes, 0, kAny, &limits.max_string_bytes));
  return limits;
}

}  // namespace onyx

// What the ONNX specification says about each standard operator version (generated table): arity bounds
// and attribute types. Validation checks nodes against it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace onyx::ir {

struct AttrSchema {
  const char* name;
  int type;  // AttrType
  bool required;
};

struct OpSchema {
  const char* domain;
  const char* op_type;
  int since_version;
  bool deprecated;
  int min_inputs, max_inputs, min_outputs, max_outputs;
  bool defined_as_function;
  std::vector<AttrSchema> attributes;
};

// True for "", "ai.onnx", "ai.onnx.ml", "ai.onnx.preview", "ai.onnx.preview.training".
bool IsStandardDomain(const std::string& domain);
// Normalizes "ai.onnx" to "".
std::string CanonicalDomain(const std::string& domain);
// The schema in force at `opset` (the newest with since_version <= opset), or null.
const OpSchema* FindSchema(const std::string& domain, const std::string& op_type, int64_t opset);
// True when some version of the operator exists in the domain.
bool OperatorExists(const std::string& domain, const std::string& op_type);
const std::vector<OpSchema>& AllSchemas();
// True in a minimal build, whose table holds only the schemas of its operator list.
bool SchemaTableIsPartial();

// The opset version of Onyx's own domain (com.onyx) that its fused and layout operators belong to.
inline constexpr int64_t kOnyxDomainOpset = 1;

// The newest opset version this build knows for a domain whose versions it tracks: the standard domains (from
// the generated table) and com.onyx. nullopt for any other domain (com.microsoft, custom domains): nodes there
// are accepted or refused one by one, by whether a kernel is registered for them.
std::optional<int64_t> NewestKnownOpset(const std::string& domain);
// A domain as messages name it: "ai.onnx" for the default domain.
std::string DomainDisplayName(const std::string& domain);

}  // namespace onyx::ir

// What the ONNX specification says about each standard operator version (generated table): arity bounds
// and attribute types. Validation checks nodes against it.
#pragma once

#include <cstdint>
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

}  // namespace onyx::ir

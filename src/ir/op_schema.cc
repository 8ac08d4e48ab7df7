#include "ir/op_schema.h"

#include <map>
#include <tuple>

namespace onyx::ir {

const std::vector<OpSchema>& AllSchemas() {
  static const std::vector<OpSchema> table = {
#ifdef ONYX_MINIMAL_OP_TABLE
#include "minimal_op_table.inc"  // the listed operators' rows only (cmake/OnyxMinimal.cmake)
#else
#include "ir/onnx_op_table.inc"
#endif
  };
  return table;
}

bool SchemaTableIsPartial() {
#ifdef ONYX_MINIMAL_OP_TABLE
  return true;
#else
  return false;
#endif
}

namespace {
using Key = std::pair<std::string, std::string>;
const std::map<Key, std::vector<const OpSchema*>>& Index() {
  static const auto index = [] {
    std::map<Key, std::vector<const OpSchema*>> m;
    for (const OpSchema& s : AllSchemas()) m[{s.domain, s.op_type}].push_back(&s);
    return m;
  }();
  return index;
}
}  // namespace

bool IsStandardDomain(const std::string& domain) {
  return domain.empty() || domain == "ai.onnx" || domain == "ai.onnx.ml" || domain == "ai.onnx.preview" ||
         domain == "ai.onnx.preview.training";
}

std::string CanonicalDomain(const std::string& domain) { return domain == "ai.onnx" ? std::string() : domain; }

const OpSchema* FindSchema(const std::string& domain, const std::string& op_type, int64_t opset) {
  auto it = Index().find({CanonicalDomain(domain), op_type});
  if (it == Index().end()) return nullptr;
  const OpSchema* best = nullptr;
  for (const OpSchema* s : it->second) {
    if (s->since_version <= opset && (!best || s->since_version > best->since_version)) best = s;
  }
  return best;
}

std::optional<int64_t> NewestKnownOpset(const std::string& domain) {
  static const std::map<std::string, int64_t> newest = [] {
    std::map<std::string, int64_t> m = {
#include "ir/onnx_opset_versions.inc"
    };
    m["com.onyx"] = kOnyxDomainOpset;
    return m;
  }();
  auto it = newest.find(CanonicalDomain(domain));
  if (it == newest.end()) return std::nullopt;
  return it->second;
}

std::string DomainDisplayName(const std::string& domain) { return domain.empty() ? "ai.onnx" : domain; }

bool OperatorExists(const std::string& domain, const std::string& op_type) {
  return Index().count({CanonicalDomain(domain), op_type}) > 0;
}

}  // namespace onyx::ir

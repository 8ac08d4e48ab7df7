#include "framework/kernel_registry.h"

#include <algorithm>
#include <mutex>

namespace onyx {

void KernelRegistry::Register(KernelDef def, KernelFactory factory) {
  auto key = std::make_pair(def.domain, def.op_type);
  entries_[key].push_back(KernelEntry{std::move(def), std::move(factory)});
}

namespace {
bool TypeAllowed(const TypeConstraint& c, const ir::Node& node) {
  const ir::Value* v = c.index >= 0 ? node.input(static_cast<size_t>(c.index)) : node.output(static_cast<size_t>(~c.index));
  if (v == nullptr) return true;
  const ir::Type& t = v->type();
  if (t.kind != ir::Type::Kind::kTensor || t.elem_type == DataType::kUndefined) return true;  // unknown here
  return std::find(c.types.begin(), c.types.end(), t.elem_type) != c.types.end();
}
}  // namespace

const KernelEntry* KernelRegistry::Find(const ir::Node& node, std::string* why_not) const {
  auto it = entries_.find({node.domain(), node.op_type()});
  if (it == entries_.end()) {
    if (why_not) *why_not = "no kernel for operator " + node.op_type();
    return nullptr;
  }
  bool version_matched = false;
  for (const KernelEntry& e : it->second) {
    if (node.opset() < e.def.since || node.opset() > e.def.until) continue;
    version_matched = true;
    bool ok = std::all_of(e.def.constraints.begin(), e.def.constraints.end(),
                          [&](const TypeConstraint& c) { return TypeAllowed(c, node); });
    if (ok) return &e;
  }
  if (why_not) {
    *why_not = version_matched ? "no kernel for operator " + node.op_type() + " with these input types"
                               : "no kernel for operator " + node.op_type() + " at opset " + std::to_string(node.opset());
  }
  return nullptr;
}

const KernelEntry* KernelRegistry::FindByName(const std::string& domain, const std::string& op_type,
                                              int64_t opset) const {
  auto it = entries_.find({domain, op_type});
  if (it == entries_.end()) return nullptr;
  for (const KernelEntry& e : it->second) {
    if (opset >= e.def.since && opset <= e.def.until) return &e;
  }
  return nullptr;
}

std::vector<const KernelEntry*> KernelRegistry::All() const {
  std::vector<const KernelEntry*> out;
  for (const auto& [key, list] : entries_) {
    for (const auto& e : list) out.push_back(&e);
  }
  return out;
}

KernelRegistry& KernelRegistryFor(const std::string& provider) {
  static auto* registries = new std::map<std::string, KernelRegistry>();
  return (*registries)[provider];
}

bool RegisterKernel(KernelDef def, KernelFactory factory) {
  std::string provider = def.provider;
  KernelRegistryFor(provider).Register(std::move(def), std::move(factory));
  return true;
}

namespace types {
std::vector<DataType> Float() { return {DataType::kFloat, DataType::kDouble, DataType::kFloat16, DataType::kBFloat16}; }
std::vector<DataType> Integers() {
  return {DataType::kInt8,  DataType::kInt16,  DataType::kInt32,  DataType::kInt64,
          DataType::kUint8, DataType::kUint16, DataType::kUint32, DataType::kUint64};
}
std::vector<DataType> Numeric() {
  auto v = Float();
  auto i = Integers();
  v.insert(v.end(), i.begin(), i.end());
  return v;
}
std::vector<DataType> Signed() {
  auto v = Float();
  v.insert(v.end(), {DataType::kInt8, DataType::kInt16, DataType::kInt32, DataType::kInt64});
  return v;
}
std::vector<DataType> All() {
  auto v = Numeric();
  v.insert(v.end(), {DataType::kBool, DataType::kString, DataType::kComplex64, DataType::kComplex128});
  return v;
}
}  // namespace types

}  // namespace onyx

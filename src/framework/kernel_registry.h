// Kernel registry: kernels keyed by provider, domain, operator, opset range and type constraints. Each kernel
// registers itself in its own file with ONYX_REGISTER_KERNEL; nothing lists kernels by hand.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "framework/op_kernel.h"

namespace onyx {

inline constexpr int kMaxOpset = 1 << 20;

// The types a kernel accepts for one of its inputs (index >= 0) or outputs (index = ~output_index).
struct TypeConstraint {
  int index = 0;
  std::vector<DataType> types;
};

struct KernelDef {
  std::string provider;  // "CPU", "CUDA", ...
  std::string domain;    // "" for ai.onnx
  std::string op_type;
  int since = 1, until = kMaxOpset;  // opset versions, inclusive
  std::vector<TypeConstraint> constraints;

  KernelDef(std::string p, std::string d, std::string op) : provider(std::move(p)), domain(std::move(d)), op_type(std::move(op)) {}
  KernelDef& Versions(int from, int to = kMaxOpset) {
    since = from;
    until = to;
    return *this;
  }
  KernelDef& Types(int input_index, std::vector<DataType> types) {
    constraints.push_back({input_index, std::move(types)});
    return *this;
  }
  KernelDef& OutputTypes(int output_index, std::vector<DataType> types) {
    constraints.push_back({~output_index, std::move(types)});
    return *this;
  }
};

using KernelFactory = std::function<std::unique_ptr<OpKernel>()>;

struct KernelEntry {
  KernelDef def;
  KernelFactory factory;
};

class KernelRegistry {
 public:
  void Register(KernelDef def, KernelFactory factory);
  // The kernel for a node, or null with the reason in *why_not (no such operator, opset out of range, type).
  const KernelEntry* Find(const ir::Node& node, std::string* why_not = nullptr) const;
  std::vector<const KernelEntry*> All() const;
  // A kernel for the operator at `opset`, whatever the types (for wrappers and the optimizer).
  const KernelEntry* FindByName(const std::string& domain, const std::string& op_type, int64_t opset) const;

 private:
  std::map<std::pair<std::string, std::string>, std::vector<KernelEntry>> entries_;
};

// The registry of one provider, by its name. Kernels fill these at static-initialization time.
KernelRegistry& KernelRegistryFor(const std::string& provider);

bool RegisterKernel(KernelDef def, KernelFactory factory);

// Common type lists for constraints.
namespace types {
std::vector<DataType> Float();        // float, double, float16, bfloat16
std::vector<DataType> Numeric();      // Float() + every integer type
std::vector<DataType> All();          // Numeric() + bool, string, complex
std::vector<DataType> Signed();       // Float() + signed integers
std::vector<DataType> Integers();
}  // namespace types

}  // namespace onyx

#define ONYX_REGISTER_KERNEL(KernelClass, def)                                                           \
  static const bool ONYX_CONCAT(onyx_kernel_registered_, __COUNTER__) [[maybe_unused]] =                \
      ::onyx::RegisterKernel((def), [] { return std::unique_ptr<::onyx::OpKernel>(new KernelClass()); })

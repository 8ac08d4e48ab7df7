// The execution-provider interface. A provider says which nodes it can take, brings its kernels (in the
// registry under its name) and its allocator, and copies data between the host and its device. The core
// never names a provider.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "framework/allocator.h"
#include "framework/kernel_registry.h"
#include "framework/tensor.h"
#include "ir/graph.h"

namespace onyx {

class ExecutionProvider {
 public:
  virtual ~ExecutionProvider() = default;
  // The name its kernels are registered under ("CPU", "CUDA", ...).
  virtual std::string name() const = 0;
  virtual Device device() const = 0;
  virtual std::shared_ptr<Allocator> allocator() const = 0;
  virtual const KernelRegistry& kernels() const { return KernelRegistryFor(name()); }
  // The nodes of `graph` (not its subgraphs) this provider will run. The default claims every node its
  // registry has a kernel for.
  virtual std::vector<const ir::Node*> GetCapability(const ir::Graph& graph) const;
  // Copies src into dst (same type and size); one of them is on this provider's device, the other on the host.
  virtual Status CopyTensor(const Tensor& src, Tensor& dst) const;
};

}  // namespace onyx

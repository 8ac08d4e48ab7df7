#include "optimizer/node_evaluator.h"

namespace onyx::opt {

Result<std::vector<Value>> EvaluateNode(const ir::Node& node, const std::vector<const Value*>& inputs,
                                        const KernelRegistry& kernels) {
  std::string why;
  const KernelEntry* entry = kernels.Find(node, &why);
  if (entry == nullptr) return NotImplemented(node.Describe(), ": ", why);
  std::unique_ptr<OpKernel> kernel = entry->factory();
  KernelInfo info(node, {}, {});
  ONYX_RETURN_IF_ERROR(kernel->Init(info));
  std::vector<Value> outputs(node.outputs().size());
  std::shared_ptr<Allocator> cpu = CpuAllocator::Instance();
  KernelContext ctx(node, inputs, outputs, cpu.get(), nullptr, nullptr, nullptr);
  try {
    ONYX_RETURN_IF_ERROR(kernel->Compute(ctx));
  } catch (const std::exception& e) {
    return Fail(node.Describe(), ": ", e.what());
  }
  return outputs;
}

}  // namespace onyx::opt

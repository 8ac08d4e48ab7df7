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

Result<Tensor> EvaluateOp(const std::string& op_type, int64_t opset, const std::vector<const Tensor*>& inputs,
                          const KernelRegistry& kernels, std::map<std::string, ir::Attribute> attributes) {
  ir::Graph scratch;
  scratch.set_opsets(std::make_shared<ir::OpsetMap>(ir::OpsetMap{{"", opset}}));
  std::vector<std::string> names;
  std::vector<Value> held;
  held.reserve(inputs.size());
  std::vector<const Value*> values;
  for (size_t i = 0; i < inputs.size(); ++i) {
    names.push_back("in" + std::to_string(i));
    held.emplace_back(*inputs[i]);
    values.push_back(&held.back());
  }
  const ir::Node* node = scratch.AddNode(op_type, op_type, "", opset, names, {"out"}, std::move(attributes));
  ONYX_ASSIGN_OR_RETURN(std::vector<Value> outputs, EvaluateNode(*node, values, kernels));
  if (outputs.empty() || !outputs[0].is_tensor()) return Fail(op_type, " gave no tensor");
  return outputs[0].tensor();
}

}  // namespace onyx::opt

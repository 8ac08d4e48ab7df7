#include "framework/execution_provider.h"

#include <cstring>

namespace onyx {

std::vector<const ir::Node*> ExecutionProvider::GetCapability(const ir::Graph& graph) const {
  std::vector<const ir::Node*> claimed;
  for (const auto& node : graph.nodes()) {
    if (kernels().Find(*node) != nullptr) claimed.push_back(node.get());
  }
  return claimed;
}

Status ExecutionProvider::CopyTensor(const Tensor& src, Tensor& dst) const {
  if (src.type() != dst.type() || src.size() != dst.size()) {
    return InvalidArgument("copy between ", src.Describe(), " and ", dst.Describe(), " does not match");
  }
  if (src.type() == DataType::kString) {
    const auto* s = src.data<std::string>();
    auto* d = dst.data<std::string>();
    for (int64_t i = 0; i < src.size(); ++i) d[i] = s[i];
  } else if (src.bytes() > 0) {
    std::memcpy(dst.raw(), src.raw(), static_cast<size_t>(src.bytes()));
  }
  return Status::Ok();
}

}  // namespace onyx

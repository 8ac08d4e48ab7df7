#include "framework/partitioner.h"

#include <map>

namespace onyx {

namespace {

// Copies a tensor between the host and the device of the provider running this node.
class MemcpyKernel final : public OpKernel {
 public:
  MemcpyKernel(const ExecutionProvider* provider, bool to_host) : provider_(provider), to_host_(to_host) {}
  Status Compute(KernelContext& ctx) const override {
    const Tensor* src = ctx.input(0);
    if (src == nullptr) return ctx.Error("copy node needs a tensor input");
    Result<Tensor> dst = to_host_ ? Tensor::Create(src->type(), src->shape())
                                  : Tensor::Create(src->type(), src->shape(), provider_->allocator().get());
    if (!dst.ok()) return dst.status();
    ONYX_RETURN_IF_ERROR(provider_->CopyTensor(*src, dst.value()));
    return ctx.SetOutput(0, Value(dst.take()));
  }

 private:
  const ExecutionProvider* provider_;
  bool to_host_;
};

bool IsHost(const ExecutionProvider& p) { return p.device().kind == DeviceKind::kCpu; }

class CopyInserter {
 public:
  CopyInserter(ir::Graph& g, const std::vector<std::shared_ptr<ExecutionProvider>>& providers)
      : g_(g), providers_(providers) {
    for (size_t i = 0; i < providers.size(); ++i) {
      if (IsHost(*providers[i])) {
        host_ = static_cast<int>(i);
        break;
      }
    }
  }

  void Run() {
    std::vector<ir::Node*> nodes;
    for (const auto& n : g_.nodes()) nodes.push_back(n.get());
    for (ir::Node* node : nodes) {
      for (size_t i = 0; i < node->inputs().size(); ++i) {
        ir::Value* v = node->input(i);
        if (!v) continue;
        int from = ProviderOf(v), to = node->provider;
        if (SameDevice(from, to)) continue;
        g_.ReplaceInput(node, i, CopyTo(v, from, to));
      }
    }
    // Graph outputs leave on the host.
    for (ir::Value* out : std::vector<ir::Value*>(g_.outputs())) {
      int from = ProviderOf(out);
      if (SameDevice(from, host_)) continue;
      ir::Node* producer = out->producer();
      std::string moved = g_.UniqueName(out->name() + "_device");
      ir::Value* dev_value = g_.GetOrCreateValue(moved);
      dev_value->set_type(out->type());
      g_.RenameOutput(producer, out, dev_value);
      AddCopy(dev_value, out, from, /*to_host=*/true);
    }
  }

 private:
  int ProviderOf(const ir::Value* v) const {
    if (v->producer() && g_.FindValue(v->name()) == v) return v->producer()->provider;
    return host_;  // graph inputs, initializers and outer-scope values live on the host
  }
  bool SameDevice(int a, int b) const {
    return providers_[static_cast<size_t>(a)]->device() == providers_[static_cast<size_t>(b)]->device();
  }
  void AddCopy(ir::Value* src, ir::Value* dst, int device_provider, bool to_host) {
    ir::Node* n = g_.AddNode(g_.UniqueName(to_host ? "copy_to_host" : "copy_from_host"),
                             to_host ? kMemcpyToHost : kMemcpyFromHost, kOnyxDomain, 1, {src->name()}, {dst->name()}, {});
    n->provider = device_provider;
    dst->set_type(src->type());
  }
  ir::Value* CopyTo(ir::Value* v, int from, int to) {
    auto key = std::make_pair(v, providers_[static_cast<size_t>(to)]->device().ToString());
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    ir::Value* on_host = v;
    if (!IsHost(*providers_[static_cast<size_t>(from)])) {
      auto hk = std::make_pair(v, providers_[static_cast<size_t>(host_)]->device().ToString());
      if (auto it = cache_.find(hk); it != cache_.end()) {
        on_host = it->second;
      } else {
        on_host = g_.GetOrCreateValue(g_.UniqueName(v->name() + "_host"));
        AddCopy(v, on_host, from, true);
        cache_[hk] = on_host;
      }
    }
    ir::Value* result = on_host;
    if (!IsHost(*providers_[static_cast<size_t>(to)])) {
      result = g_.GetOrCreateValue(g_.UniqueName(v->name() + "_device"));
      AddCopy(on_host, result, to, false);
    }
    cache_[key] = result;
    return result;
  }

  ir::Graph& g_;
  const std::vector<std::shared_ptr<ExecutionProvider>>& providers_;
  int host_ = 0;
  std::map<std::pair<ir::Value*, std::string>, ir::Value*> cache_;
};

}  // namespace

Status PartitionGraph(ir::Graph& graph, const std::vector<std::shared_ptr<ExecutionProvider>>& providers) {
  if (providers.empty()) return Fail("no execution provider");
  for (const auto& n : graph.nodes()) n->provider = -1;
  for (size_t p = 0; p < providers.size(); ++p) {
    for (const ir::Node* claimed : providers[p]->GetCapability(graph)) {
      auto* node = const_cast<ir::Node*>(claimed);
      if (node->provider < 0) node->provider = static_cast<int>(p);
    }
  }
  // Whatever no provider claimed falls back to the CPU provider, which comes last.
  for (const auto& n : graph.nodes()) {
    if (n->provider < 0) n->provider = static_cast<int>(providers.size() - 1);
  }
  for (const auto& n : graph.nodes()) {
    for (const auto& sub : n->subgraphs()) ONYX_RETURN_IF_ERROR(PartitionGraph(*sub, providers));
  }
  CopyInserter(graph, providers).Run();
  return Status::Ok();
}

Result<std::unique_ptr<OpKernel>> CreateKernelFor(const ir::Node& node, const ExecutionProvider& provider) {
  if (node.domain() == kOnyxDomain && (node.op_type() == kMemcpyFromHost || node.op_type() == kMemcpyToHost)) {
    return std::unique_ptr<OpKernel>(new MemcpyKernel(&provider, node.op_type() == kMemcpyToHost));
  }
  std::string why;
  const KernelEntry* entry = provider.kernels().Find(node, &why);
  if (entry == nullptr) {
    return NotImplemented(node.Describe(), ": ", why, " on provider ", provider.name());
  }
  return entry->factory();
}

}  // namespace onyx

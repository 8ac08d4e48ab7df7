// Onyx C++ extension example: a user optimizer pass and a user kernel (onyx/extension.hpp).
//
//   example_custom_pass model.onnx [EXPECTED_REWRITES]
//
// PyTorch exports SiLU as x * Sigmoid(x): two nodes and a temporary the size of x. This program registers a
// kernel for one operator of its own domain, com.example:Silu, and a pass (level extended) that rewrites the
// pattern into it. It then runs the model at level disabled and at level extended on the same input, prints
// what the pass did, and fails unless the pass rewrote something (exactly EXPECTED_REWRITES times when given)
// and the outputs agree.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "onyx/extension.hpp"

namespace {

// com.example:Silu(X) = X * sigmoid(X), float.
class SiluKernel final : public onyx::OpKernel {
 public:
  onyx::Status Compute(onyx::KernelContext& ctx) const override {
    const onyx::Tensor* x = ctx.input(0);
    if (x == nullptr || x->type() != onyx::DataType::kFloat) return ctx.Error("Silu takes one float tensor");
    ONYX_ASSIGN_OR_RETURN(onyx::Tensor * y, ctx.Output(0, onyx::DataType::kFloat, x->shape()));
    const float* in = x->data<float>();
    float* out = y->data<float>();
    for (int64_t i = 0; i < x->size(); ++i) out[i] = in[i] / (1.0f + std::exp(-in[i]));
    return onyx::Status::Ok();
  }
};
ONYX_REGISTER_KERNEL(SiluKernel, onyx::KernelDef("CPU", "com.example", "Silu").Versions(1));

// Mul(x, Sigmoid(x)) (either operand order), where nothing else reads the Sigmoid, becomes Silu(x).
class FuseSilu final : public onyx::opt::GraphPass {
 public:
  std::string name() const override { return "FuseSilu"; }
  onyx::Result<int> Run(onyx::ir::Graph& graph, const onyx::opt::PassContext& ctx) const override {
    if (!onyx::opt::CanProduce(ctx, graph, "com.example", "Silu")) return 0;
    std::vector<onyx::ir::Node*> muls;
    for (const auto& n : graph.nodes()) {
      if (n->domain().empty() && n->op_type() == "Mul" && n->inputs().size() == 2) muls.push_back(n.get());
    }
    int rewrites = 0;
    for (onyx::ir::Node* mul : muls) {
      for (size_t k = 0; k < 2; ++k) {
        onyx::ir::Value* x = mul->input(k);
        onyx::ir::Node* sigmoid = mul->input(1 - k) ? mul->input(1 - k)->producer() : nullptr;
        if (!x || !sigmoid || sigmoid->op_type() != "Sigmoid" || sigmoid->input(0) != x) continue;
        if (onyx::opt::SoleConsumer(sigmoid->output(0)) != mul || x->type().elem_type != onyx::DataType::kFloat) continue;
        const std::string out = mul->output(0)->name(), in = x->name(), node_name = mul->name();
        graph.RemoveNode(mul);
        graph.RemoveNode(sigmoid);
        graph.AddNode(node_name, "Silu", "com.example", 1, {in}, {out}, {});
        ++rewrites;
        break;
      }
    }
    return rewrites;
  }
};

onyx::Result<std::vector<onyx::Value>> RunAt(const char* path, onyx::OptimizationLevel level,
                                             onyx::OptimizationSummary* summary) {
  onyx::SessionOptions options;
  options.optimization_level = level;
  ONYX_ASSIGN_OR_RETURN(std::unique_ptr<onyx::Session> session, onyx::Session::Create(path, options));
  *summary = session->optimization();
  // Every float input gets the same ramp from -4 to 4 (open dims as 1).
  std::vector<std::pair<std::string, onyx::Value>> feeds;
  for (const onyx::IoInfo& in : session->inputs()) {
    onyx::Shape shape;
    if (in.type.shape) {
      for (const onyx::ir::Dim& d : *in.type.shape) shape.push_back(d.known() ? d.value : 1);
    }
    ONYX_ASSIGN_OR_RETURN(onyx::Tensor t, onyx::Tensor::Create(onyx::DataType::kFloat, shape));
    for (int64_t i = 0; i < t.size(); ++i) t.data<float>()[i] = -4.0f + 8.0f * static_cast<float>(i % 17) / 16.0f;
    feeds.emplace_back(in.name, onyx::Value(t));
  }
  std::vector<onyx::Value> outputs;
  ONYX_RETURN_IF_ERROR(session->Run(feeds, {}, &outputs));
  return outputs;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: %s model.onnx [EXPECTED_REWRITES]\n", argv[0]);
    return 2;
  }
  onyx::opt::RegisterUserPass(onyx::opt::Level::kExtended, [] { return std::make_unique<FuseSilu>(); });
  onyx::OptimizationSummary plain_summary, fused_summary;
  auto plain = RunAt(argv[1], onyx::OptimizationLevel::kDisabled, &plain_summary);
  auto fused = RunAt(argv[1], onyx::OptimizationLevel::kExtended, &fused_summary);
  if (!plain.ok() || !fused.ok()) {
    std::fprintf(stderr, "error: %s\n", (!plain.ok() ? plain.status() : fused.status()).ToString().c_str());
    return 1;
  }
  int rewrites = 0;
  for (const auto& [pass, n] : fused_summary.passes) {
    if (pass == "FuseSilu") rewrites = n;
  }
  std::printf("nodes: %zu at level disabled, %zu at level extended\nFuseSilu: %d rewrites\n", plain_summary.nodes_after,
              fused_summary.nodes_after, rewrites);
  float worst = 0;
  for (size_t i = 0; i < plain.value().size(); ++i) {
    const onyx::Tensor& a = plain.value()[i].tensor();
    const onyx::Tensor& b = fused.value()[i].tensor();
    if (a.shape() != b.shape()) {
      std::fprintf(stderr, "output %zu: shapes differ\n", i);
      return 1;
    }
    for (int64_t j = 0; j < a.size(); ++j) worst = std::max(worst, std::fabs(a.data<float>()[j] - b.data<float>()[j]));
  }
  std::printf("largest difference between the outputs: %g\n", static_cast<double>(worst));
  const int expected = argc == 3 ? std::atoi(argv[2]) : -1;
  const bool ran = expected < 0 ? rewrites > 0 : rewrites == expected;
  return ran && worst < 1e-5f ? 0 : 1;
}

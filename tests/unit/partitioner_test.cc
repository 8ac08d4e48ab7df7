// The registry and the partitioner, proved with a test provider on a pretend device that claims a subset
// of operators: preference order, CPU fallback for unclaimed nodes, copy nodes at device boundaries.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>

#include "ep/cpu/cpu_provider.h"
#include "format/model_loader.h"
#include "framework/kernel_registry.h"
#include "framework/partitioner.h"
#include "session/session.h"
#include "unit/test_models.h"

namespace onyx {
namespace {

// Memory on the pretend device is host memory tagged with DeviceKind::kOther, so copies are observable.
class PretendAllocator final : public Allocator {
 public:
  void* Alloc(size_t bytes) override { return CpuAllocator().Alloc(bytes); }
  void Free(void* p) override { CpuAllocator().Free(p); }
  Device device() const override { return Device{DeviceKind::kOther, 0}; }
};

std::atomic<int> g_pretend_relu_runs{0};
std::atomic<int> g_pretend_copies{0};

class PretendRelu final : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x->device().kind != DeviceKind::kOther) return ctx.Error("input is not on the pretend device");
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), x->shape()));
    for (int64_t i = 0; i < x->size(); ++i) y->data<float>()[i] = std::max(0.0f, x->data<float>()[i]);
    ++g_pretend_relu_runs;
    return Status::Ok();
  }
};
ONYX_REGISTER_KERNEL(PretendRelu, KernelDef("Pretend", "", "Relu").Versions(1).Types(0, {DataType::kFloat}));

class PretendProvider final : public ExecutionProvider {
 public:
  std::string name() const override { return "Pretend"; }
  Device device() const override { return Device{DeviceKind::kOther, 0}; }
  std::shared_ptr<Allocator> allocator() const override { return allocator_; }
  Status CopyTensor(const Tensor& src, Tensor& dst) const override {
    ++g_pretend_copies;
    return ExecutionProvider::CopyTensor(src, dst);
  }

 private:
  std::shared_ptr<Allocator> allocator_ = std::make_shared<PretendAllocator>();
};

TEST(KernelRegistry, FindsByOpsetAndType) {
  const KernelRegistry& cpu = KernelRegistryFor("CPU");
  auto model_bytes = test::Serialize(test::AddReluModel());
  auto model = format::LoadModelFromBytes(model_bytes.data(), model_bytes.size());
  ASSERT_TRUE(model.ok());
  const ir::Node* relu = model.value()->graph->FindValue("Y")->producer();
  EXPECT_NE(cpu.Find(*relu), nullptr);
  const KernelRegistry& pretend = KernelRegistryFor("Pretend");
  EXPECT_NE(pretend.Find(*relu), nullptr);
  const ir::Node* add = model.value()->graph->FindValue("S")->producer();
  std::string why;
  EXPECT_EQ(pretend.Find(*add, &why), nullptr);
  EXPECT_NE(why.find("Add"), std::string::npos);
}

TEST(KernelRegistry, RejectsOutOfRangeOpsetAndType) {
  KernelRegistry r;
  r.Register(KernelDef("X", "", "Relu").Versions(6, 12).Types(0, {DataType::kDouble}),
             [] { return std::unique_ptr<OpKernel>(new PretendRelu()); });
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", ir::Type::Tensor(DataType::kDouble)).ok());
  ir::Node* at13 = g.AddNode("n13", "Relu", "", 13, {"x"}, {"y13"}, {});
  ir::Node* at6 = g.AddNode("n6", "Relu", "", 6, {"x"}, {"y6"}, {});
  std::string why;
  EXPECT_EQ(r.Find(*at13, &why), nullptr);
  EXPECT_NE(why.find("opset 13"), std::string::npos);
  EXPECT_NE(r.Find(*at6), nullptr);
  ASSERT_TRUE(g.AddInput("f", ir::Type::Tensor(DataType::kFloat)).ok());
  ir::Node* float_node = g.AddNode("nf", "Relu", "", 6, {"f"}, {"yf"}, {});
  EXPECT_EQ(r.Find(*float_node, &why), nullptr);
  EXPECT_NE(why.find("types"), std::string::npos);
}

TEST(Partitioner, ClaimsPreferredFallsBackToCpuAndInsertsCopies) {
  auto bytes = test::Serialize(test::AddReluModel());
  auto model = format::LoadModelFromBytes(bytes.data(), bytes.size());
  ASSERT_TRUE(model.ok());
  ir::Graph& g = *model.value()->graph;
  std::vector<std::shared_ptr<ExecutionProvider>> providers = {std::make_shared<PretendProvider>(),
                                                               std::make_shared<CpuExecutionProvider>()};
  ASSERT_TRUE(PartitionGraph(g, providers).ok());
  int copies_to_device = 0, copies_to_host = 0;
  for (const auto& n : g.nodes()) {
    if (n->op_type() == "Relu") {
      EXPECT_EQ(n->provider, 0) << "Relu goes to the preferred provider";
    }
    if (n->op_type() == "Add") {
      EXPECT_EQ(n->provider, 1) << "Add is unclaimed: CPU";
    }
    if (n->op_type() == kMemcpyFromHost) ++copies_to_device;
    if (n->op_type() == kMemcpyToHost) ++copies_to_host;
  }
  EXPECT_EQ(copies_to_device, 1);  // Add (CPU) -> Relu (pretend)
  EXPECT_EQ(copies_to_host, 1);    // Relu output Y leaves the graph on the host
  // Y keeps its name and is produced by the copy.
  EXPECT_EQ(g.FindValue("Y")->producer()->op_type(), kMemcpyToHost);
}

TEST(Partitioner, SessionRunsAcrossDevices) {
  auto bytes = test::Serialize(test::AddReluModel());
  SessionOptions options;
  options.providers = {std::make_shared<PretendProvider>()};
  auto session = Session::CreateFromBytes(bytes.data(), bytes.size(), options);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ(session.value()->provider_names(), (std::vector<std::string>{"Pretend", "CPU"}));
  int runs_before = g_pretend_relu_runs, copies_before = g_pretend_copies;
  std::vector<Value> out;
  Tensor x = Tensor::FromVector<float>({1, 4}, {1, 1, 1, 1});
  ASSERT_TRUE(session.value()->Run({{"X", Value(x)}}, {}, &out).ok());
  EXPECT_EQ(g_pretend_relu_runs, runs_before + 1);
  EXPECT_EQ(g_pretend_copies, copies_before + 2);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tensor().device().kind, DeviceKind::kCpu);
  std::vector<float> expected = {2, 0, 4, 0};
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out[0].tensor().data<float>()[i], expected[static_cast<size_t>(i)]);
}

TEST(Partitioner, NothingClaimedRunsOnCpu) {
  auto bytes = test::Serialize(test::AddReluModel());
  auto model = format::LoadModelFromBytes(bytes.data(), bytes.size());
  ASSERT_TRUE(model.ok());
  ir::Graph& g = *model.value()->graph;
  std::vector<std::shared_ptr<ExecutionProvider>> providers = {std::make_shared<CpuExecutionProvider>()};
  ASSERT_TRUE(PartitionGraph(g, providers).ok());
  for (const auto& n : g.nodes()) EXPECT_EQ(n->provider, 0);
  EXPECT_EQ(g.nodes().size(), 2u) << "no copies on a single device";
}

}  // namespace
}  // namespace onyx

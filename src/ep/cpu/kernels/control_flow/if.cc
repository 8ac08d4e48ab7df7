// If: runs then_branch or else_branch (subgraphs without inputs that read the enclosing scope) and returns
// the chosen branch's outputs.
#include "framework/graph_runner.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class IfKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    then_ = info.subgraph("then_branch");
    else_ = info.subgraph("else_branch");
    if (then_ == nullptr || else_ == nullptr) return info.Error("needs then_branch and else_branch graph attributes");
    for (const GraphRunner* branch : {then_, else_}) {
      if (!branch->graph().inputs().empty()) return info.Error("branch graphs take no inputs");
      if (branch->graph().outputs().size() != info.output_count()) {
        return info.Error("branch '", branch->graph().name(), "' has ", branch->graph().outputs().size(),
                          " outputs but the node has ", info.output_count());
      }
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* cond = ctx.input(0);
    if (cond == nullptr || cond->size() != 1) return ctx.Error("condition must be a tensor with one element");
    if (cond->type() != DataType::kBool) return ctx.Error("condition must be bool, got ", DataTypeName(cond->type()));
    const GraphRunner* branch = cond->data<bool>()[0] ? then_ : else_;
    std::vector<Value> outputs;
    ONYX_RETURN_IF_ERROR(ctx.RunSubgraph(*branch, {}, &outputs));
    for (size_t i = 0; i < outputs.size() && i < ctx.output_count(); ++i) {
      ONYX_RETURN_IF_ERROR(ctx.SetOutput(i, std::move(outputs[i])));
    }
    return Status::Ok();
  }

 private:
  const GraphRunner* then_ = nullptr;
  const GraphRunner* else_ = nullptr;
};

// Outputs take the then-branch's output types; a dim on which the branches disagree becomes unknown.
Status InferIf(ir::InferenceContext& ctx) {
  const ir::Attribute* then_attr = ctx.attr("then_branch");
  const ir::Attribute* else_attr = ctx.attr("else_branch");
  if (!then_attr || !then_attr->g || !else_attr || !else_attr->g) return Status::Ok();
  const auto& then_out = then_attr->g->outputs();
  const auto& else_out = else_attr->g->outputs();
  for (size_t i = 0; i < ctx.output_count() && i < then_out.size() && i < else_out.size(); ++i) {
    ir::Type t = then_out[i]->type();
    const ir::Type& e = else_out[i]->type();
    if (t.is_tensor() && e.is_tensor() && t.shape && e.shape) {
      if (t.shape->size() != e.shape->size()) {
        t.shape.reset();
      } else {
        for (size_t d = 0; d < t.shape->size(); ++d) {
          if (!((*t.shape)[d] == (*e.shape)[d])) (*t.shape)[d] = ir::Dim{};
        }
      }
    } else if (t.is_tensor() && e.is_tensor()) {
      t.shape.reset();
    }
    if (t.kind != ir::Type::Kind::kUnknown) ctx.SetOutputType(i, t);
  }
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(IfKernel, KernelDef("CPU", "", "If").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "If", InferIf);

}  // namespace
}  // namespace onyx::cpu

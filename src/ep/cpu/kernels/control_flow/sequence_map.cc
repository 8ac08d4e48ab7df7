// SequenceMap: runs its body once per element of the first input sequence. Further inputs that are sequences
// (of the same length) contribute their element at the same position; tensor inputs are passed whole to every
// run. Output k is the sequence of the body's k-th outputs.
#include "ep/cpu/kernels/sequence/sequence_util.h"
#include "framework/graph_runner.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class SequenceMapKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    body_ = info.subgraph("body");
    if (body_ == nullptr) return info.Error("needs a 'body' graph attribute");
    const ir::Graph& g = body_->graph();
    if (g.inputs().size() != info.input_count()) {
      return info.Error("body takes ", g.inputs().size(), " inputs but the node has ", info.input_count());
    }
    if (g.outputs().size() != info.output_count()) {
      return info.Error("body makes ", g.outputs().size(), " outputs but the node has ", info.output_count());
    }
    for (const ir::Value* v : g.outputs()) {
      out_types_.push_back(v->type().is_tensor() ? v->type().elem_type : DataType::kUndefined);
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    ONYX_ASSIGN_OR_RETURN(const Sequence* seq, SequenceInput(ctx, 0));
    const size_t n = seq->items.size();
    for (size_t i = 1; i < ctx.input_count(); ++i) {
      const Value* v = ctx.input_value(i);
      if (v == nullptr) return ctx.Error("input ", i, " is missing");
      if (v->is_sequence() && v->sequence().items.size() != n) {
        return ctx.Error("input ", i, " is a sequence of ", v->sequence().items.size(), " elements but input 0 has ",
                         n);
      }
    }
    std::vector<Sequence> results(ctx.output_count());
    for (size_t k = 0; k < results.size(); ++k) results[k].elem_type = out_types_[k];
    std::vector<Value> inputs(ctx.input_count());
    std::vector<Value> outs;
    for (size_t idx = 0; idx < n; ++idx) {
      if (ctx.run_context() && ctx.run_context()->terminated()) return ctx.Error("run was terminated by the caller");
      inputs[0] = seq->items[idx];
      for (size_t i = 1; i < ctx.input_count(); ++i) {
        const Value* v = ctx.input_value(i);
        inputs[i] = v->is_sequence() ? v->sequence().items[idx] : *v;
      }
      ONYX_RETURN_IF_ERROR(ctx.RunSubgraph(*body_, inputs, &outs));
      if (outs.size() != results.size()) return ctx.Error("body returned ", outs.size(), " outputs");
      for (size_t k = 0; k < results.size(); ++k) {
        if (!outs[k].is_tensor()) return ctx.Error("body output ", k, " must be a tensor, got ", outs[k].Describe());
        if (results[k].elem_type == DataType::kUndefined) results[k].elem_type = outs[k].tensor().type();
        if (outs[k].tensor().type() != results[k].elem_type) {
          return ctx.Error("body output ", k, " is ", DataTypeName(outs[k].tensor().type()), " for element ", idx,
                           " but ", DataTypeName(results[k].elem_type), " before");
        }
        results[k].items.push_back(std::move(outs[k]));
      }
    }
    for (size_t k = 0; k < results.size(); ++k) {
      if (ctx.output_requested(k)) ONYX_RETURN_IF_ERROR(ctx.SetOutput(k, Value::FromSequence(std::move(results[k]))));
    }
    return Status::Ok();
  }

 private:
  const GraphRunner* body_ = nullptr;
  std::vector<DataType> out_types_;
};

Status InferSequenceMap(ir::InferenceContext& ctx) {
  const ir::Attribute* body_attr = ctx.attr("body");
  if (body_attr == nullptr || !body_attr->g) return Status::Ok();
  const auto& outs = body_attr->g->outputs();
  for (size_t k = 0; k < ctx.output_count() && k < outs.size(); ++k) {
    const ir::Type& t = outs[k]->type();
    if (t.is_tensor() && t.elem_type != DataType::kUndefined) ctx.SetOutputType(k, SequenceTypeOf(t));
  }
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(SequenceMapKernel, KernelDef("CPU", "", "SequenceMap").Versions(17));
ONYX_REGISTER_SHAPE_INFERENCE("", "SequenceMap", InferSequenceMap);

}  // namespace
}  // namespace onyx::cpu

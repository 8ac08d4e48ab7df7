// Loop: runs its body while the trip count and the condition allow, threading loop-carried values (tensors,
// sequences, optionals) from one iteration to the next and stacking each scan output along a new first axis.
//
// Termination follows the operator's table: with a trip count and no condition input the body's condition
// output is ignored (a counted for-loop); with neither input the body's condition is honoured, since the
// alternative is a loop that can never end.
#include <cstring>

#include "common/checked_math.h"
#include "ep/cpu/kernels/control_flow/subgraph_util.h"
#include "ep/cpu/kernels/sequence/sequence_util.h"
#include "framework/graph_runner.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

// One scan output's iterations, stacked as they come. A trip count comes from the model's inputs and may ask for
// millions of iterations: a tensor kept per iteration would cost a pool buffer and its bookkeeping each (and
// giving millions of them back at the end took seconds), so elements of whole bytes are copied into one growing
// block; strings and 4-bit types keep their tensors. Either way the stack is held to the run's
// session.max_tensor_bytes as it grows, so a loop told to run 2^62 times fails at the limit instead of taking
// all memory before the stacked output is refused.
class ScanStack {
 public:
  Status Add(KernelContext& ctx, const Tensor& item, size_t k, int64_t iter) {
    if (count_ == 0) {
      type_ = item.type();
      shape_ = item.shape();
      packed_ = type_ != DataType::kString && DataTypeBits(type_) % 8 == 0;
    } else if (item.shape() != shape_ || item.type() != type_) {
      return ctx.Error("scan output ", k, " changed shape or type from ", DataTypeName(type_), ShapeToString(shape_), " to ",
                       DataTypeName(item.type()), ShapeToString(item.shape()), " in iteration ", iter);
    }
    const int64_t limit = ctx.run_context() != nullptr ? ctx.run_context()->max_tensor_bytes() : kMaxTensorBytes;
    const int64_t width = type_ == DataType::kString ? static_cast<int64_t>(sizeof(std::string)) * 8
                                                     : DataTypeBits(type_);
    int64_t elements = 0, bits = 0;
    if (!CheckedMul(count_ + 1, item.size(), &elements) || !CheckedMul(elements, width, &bits) ||
        bits / 8 + (bits % 8 != 0) > limit) {
      return ctx.Error("scan output ", k, " stacks ", count_ + 1, " iterations of ", DataTypeName(type_),
                       ShapeToString(shape_), ", over the limit of ", limit, " bytes (session.max_tensor_bytes)");
    }
    if (packed_) {
      const auto n = static_cast<size_t>(item.bytes());
      const auto* p = static_cast<const uint8_t*>(item.raw());
      if (n > 0 && p != nullptr) bytes_.insert(bytes_.end(), p, p + n);
    } else {
      items_.push_back(item);
    }
    ++count_;
    return Status::Ok();
  }

  Result<Tensor> Finish(KernelContext& ctx, const ir::Type& static_type, size_t k) {
    if (count_ == 0 || !packed_) return StackScanItems(ctx, items_, static_type, 0, k);
    Shape shape = shape_;
    shape.insert(shape.begin(), count_);
    ONYX_ASSIGN_OR_RETURN(Tensor stacked, ctx.Allocate(type_, shape, /*zero=*/false));
    if (!bytes_.empty()) std::memcpy(stacked.raw(), bytes_.data(), bytes_.size());
    return stacked;
  }

 private:
  DataType type_ = DataType::kUndefined;
  Shape shape_;
  bool packed_ = false;
  int64_t count_ = 0;
  std::vector<uint8_t> bytes_;  // packed_: the iterations' elements, in order
  std::vector<Tensor> items_;   // otherwise
};

class LoopKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    body_ = info.subgraph("body");
    if (body_ == nullptr) return info.Error("needs a 'body' graph attribute");
    const ir::Graph& g = body_->graph();
    carried_ = info.input_count() > 2 ? info.input_count() - 2 : 0;
    if (g.inputs().size() != carried_ + 2) {
      return info.Error("body takes ", g.inputs().size(), " inputs but the node has ", carried_,
                        " loop-carried values (the body needs 2 + that many: iteration number, condition, values)");
    }
    if (g.outputs().size() < carried_ + 1) {
      return info.Error("body has ", g.outputs().size(), " outputs but needs at least ", carried_ + 1,
                        " (condition and loop-carried values)");
    }
    scans_ = g.outputs().size() - 1 - carried_;
    if (info.output_count() > carried_ + scans_) {
      return info.Error("node has ", info.output_count(), " outputs but the body makes only ", carried_ + scans_);
    }
    for (size_t k = 0; k < scans_; ++k) scan_types_.push_back(g.outputs()[1 + carried_ + k]->type());
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    bool has_trip_count = false;
    int64_t trip_count = 0;
    if (ctx.input_value(0) != nullptr) {
      const Tensor* m = ctx.input(0);
      if (m == nullptr || m->size() != 1 || m->type() != DataType::kInt64) {
        return ctx.Error("trip count M must be an int64 scalar");
      }
      has_trip_count = true;
      trip_count = m->data<int64_t>()[0];
    }
    const bool has_cond = ctx.input_value(1) != nullptr;
    bool keep_going = true;
    if (has_cond) {
      ONYX_ASSIGN_OR_RETURN(keep_going, ReadCondition(ctx, ctx.input_value(1), "condition input"));
    }
    const bool honour_body_cond = has_cond || !has_trip_count;

    std::vector<Value> body_inputs(carried_ + 2);
    for (size_t j = 0; j < carried_; ++j) {
      if (const Value* v = ctx.input_value(2 + j)) body_inputs[2 + j] = *v;
    }
    std::vector<ScanStack> scan_items(scans_);
    std::vector<Value> outs;
    for (int64_t iter = 0; (!has_trip_count || iter < trip_count) && keep_going; ++iter) {
      if (ctx.run_context() && ctx.run_context()->terminated()) return ctx.Error("run was terminated by the caller");
      body_inputs[0] = Value(Tensor::Scalar<int64_t>(iter));
      body_inputs[1] = Value(Tensor::Scalar<bool>(keep_going));
      ONYX_RETURN_IF_ERROR(ctx.RunSubgraph(*body_, body_inputs, &outs));
      if (outs.size() != 1 + carried_ + scans_) return ctx.Error("body returned ", outs.size(), " outputs");
      ONYX_ASSIGN_OR_RETURN(bool cond_out, ReadCondition(ctx, &outs[0], "body's condition output"));
      if (honour_body_cond) keep_going = cond_out;
      for (size_t j = 0; j < carried_; ++j) body_inputs[2 + j] = std::move(outs[1 + j]);
      for (size_t k = 0; k < scans_; ++k) {
        const Value& v = outs[1 + carried_ + k];
        if (!v.is_tensor()) return ctx.Error("scan output ", k, " must be a tensor, got ", v.Describe());
        ONYX_RETURN_IF_ERROR(scan_items[k].Add(ctx, v.tensor(), k, iter));
      }
    }

    for (size_t j = 0; j < carried_ && j < ctx.output_count(); ++j) {
      if (!ctx.output_requested(j)) continue;
      if (body_inputs[2 + j].empty()) return ctx.Error("loop-carried value ", j, " has no value");
      ONYX_RETURN_IF_ERROR(ctx.SetOutput(j, std::move(body_inputs[2 + j])));
    }
    for (size_t k = 0; k < scans_ && carried_ + k < ctx.output_count(); ++k) {
      if (!ctx.output_requested(carried_ + k)) continue;
      ONYX_ASSIGN_OR_RETURN(Tensor stacked, scan_items[k].Finish(ctx, scan_types_[k], k));
      ONYX_RETURN_IF_ERROR(ctx.SetOutput(carried_ + k, Value(std::move(stacked))));
    }
    return Status::Ok();
  }

 private:
  const GraphRunner* body_ = nullptr;
  size_t carried_ = 0, scans_ = 0;
  std::vector<ir::Type> scan_types_;  // the body's static scan-output types, for loops that run zero times
};

// A loop-carried value may change shape from one iteration to the next (opset 11+): without the body's
// word on its shape, only the initial value's kinds and element types carry over.
ir::Type WithoutShapes(const ir::Type& t) {
  ir::Type out = t;
  out.shape.reset();
  if (t.inner) out.inner = std::make_shared<ir::Type>(WithoutShapes(*t.inner));
  return out;
}

// Loop-carried outputs take the merge of the initial value's type and the body's; scan outputs gain a
// leading dim of unknown size.
Status InferLoop(ir::InferenceContext& ctx) {
  const ir::Attribute* body_attr = ctx.attr("body");
  if (body_attr == nullptr || !body_attr->g) return Status::Ok();
  const auto& outs = body_attr->g->outputs();
  const size_t carried = ctx.input_count() > 2 ? ctx.input_count() - 2 : 0;
  for (size_t i = 0; i < ctx.output_count() && 1 + i < outs.size(); ++i) {
    ir::Type t = outs[1 + i]->type();
    if (i < carried) {
      if (const ir::Type* init = ctx.input_type(2 + i); init && init->kind != ir::Type::Kind::kUnknown) {
        t = t.kind == ir::Type::Kind::kUnknown ? WithoutShapes(*init) : MergeTypes(*init, t);
      }
    } else if (t.is_tensor() && t.shape) {
      t.shape->insert(t.shape->begin(), ir::Dim{});
    }
    if (t.kind != ir::Type::Kind::kUnknown && (!t.is_tensor() || t.elem_type != DataType::kUndefined)) {
      ctx.SetOutputType(i, t);
    }
  }
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(LoopKernel, KernelDef("CPU", "", "Loop").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Loop", InferLoop);

}  // namespace
}  // namespace onyx::cpu

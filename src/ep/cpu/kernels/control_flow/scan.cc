// Scan: iterates a body over slices of its scan inputs, threading state values through the iterations and
// stacking each scan output. Opset 8 has a leading batch axis (each batch element is scanned on its own, up to
// its sequence_lens entry, with scan outputs zero-padded to the longest sequence); opset 9 and later drop the
// batch axis and add per-input/per-output axes and directions.
#include <algorithm>

#include "ep/cpu/kernels/control_flow/subgraph_util.h"
#include "ep/cpu/kernels/sequence/sequence_util.h"
#include "framework/graph_runner.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

Status ReadFlags(const KernelInfo& info, const char* name, size_t count, std::vector<bool>* out) {
  std::vector<int64_t> v;
  ONYX_RETURN_IF_ERROR(info.GetInts(name, &v, std::vector<int64_t>(count, 0)));
  if (v.size() != count) return info.Error("'", name, "' has ", v.size(), " entries but needs ", count);
  out->clear();
  for (int64_t d : v) {
    if (d != 0 && d != 1) return info.Error("'", name, "' entries must be 0 (forward) or 1 (reverse), got ", d);
    out->push_back(d == 1);
  }
  return Status::Ok();
}

class ScanKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    body_ = info.subgraph("body");
    if (body_ == nullptr) return info.Error("needs a 'body' graph attribute");
    batched_ = info.opset() < 9;
    int64_t m = 0;
    if (!info.has_attr("num_scan_inputs")) return info.Error("attribute 'num_scan_inputs' is required");
    ONYX_RETURN_IF_ERROR(info.GetInt("num_scan_inputs", &m));
    const size_t first = batched_ ? 1 : 0;  // opset 8's sequence_lens comes first
    const size_t given = info.input_count() > first ? info.input_count() - first : 0;
    if (m < 1 || static_cast<size_t>(m) > given) {
      return info.Error("num_scan_inputs ", m, " must be between 1 and the number of state and scan inputs (", given,
                        ")");
    }
    scan_inputs_ = static_cast<size_t>(m);
    states_ = given - scan_inputs_;
    const ir::Graph& g = body_->graph();
    if (g.inputs().size() != states_ + scan_inputs_) {
      return info.Error("body takes ", g.inputs().size(), " inputs but the node gives ", states_, " states and ",
                        scan_inputs_, " scan inputs");
    }
    if (g.outputs().size() < states_) {
      return info.Error("body has ", g.outputs().size(), " outputs, fewer than the ", states_, " states");
    }
    scan_outputs_ = g.outputs().size() - states_;
    if (info.output_count() > states_ + scan_outputs_) {
      return info.Error("node has ", info.output_count(), " outputs but the body makes only ", states_ + scan_outputs_);
    }
    for (size_t k = 0; k < scan_outputs_; ++k) scan_types_.push_back(g.outputs()[states_ + k]->type());
    if (batched_) return ReadFlags(info, "directions", scan_inputs_, &input_reverse_);
    ONYX_RETURN_IF_ERROR(ReadFlags(info, "scan_input_directions", scan_inputs_, &input_reverse_));
    ONYX_RETURN_IF_ERROR(ReadFlags(info, "scan_output_directions", scan_outputs_, &output_reverse_));
    ONYX_RETURN_IF_ERROR(info.GetInts("scan_input_axes", &input_axes_, std::vector<int64_t>(scan_inputs_, 0)));
    ONYX_RETURN_IF_ERROR(info.GetInts("scan_output_axes", &output_axes_, std::vector<int64_t>(scan_outputs_, 0)));
    if (input_axes_.size() != scan_inputs_) {
      return info.Error("'scan_input_axes' has ", input_axes_.size(), " entries but needs ", scan_inputs_);
    }
    if (output_axes_.size() != scan_outputs_) {
      return info.Error("'scan_output_axes' has ", output_axes_.size(), " entries but needs ", scan_outputs_);
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override { return batched_ ? ComputeBatched(ctx) : ComputeUnbatched(ctx); }

 private:
  // Runs `length` iterations: state values in and out of *states, the scan inputs sliced along their axes.
  Status Iterate(KernelContext& ctx, std::vector<Value>* states, const std::vector<const Tensor*>& inputs,
                 const std::vector<int64_t>& axes, int64_t length, std::vector<std::vector<Tensor>>* items) const {
    items->assign(scan_outputs_, {});
    std::vector<Value> body_inputs(states_ + scan_inputs_);
    std::vector<Value> outs;
    for (int64_t t = 0; t < length; ++t) {
      if (ctx.run_context() && ctx.run_context()->terminated()) return ctx.Error("run was terminated by the caller");
      for (size_t i = 0; i < states_; ++i) body_inputs[i] = std::move((*states)[i]);
      for (size_t j = 0; j < scan_inputs_; ++j) {
        const int64_t at = input_reverse_[j] ? length - 1 - t : t;
        ONYX_ASSIGN_OR_RETURN(Tensor slice, TakeAlongAxis(ctx, *inputs[j], axes[j], at));
        body_inputs[states_ + j] = Value(std::move(slice));
      }
      ONYX_RETURN_IF_ERROR(ctx.RunSubgraph(*body_, body_inputs, &outs));
      if (outs.size() != states_ + scan_outputs_) return ctx.Error("body returned ", outs.size(), " outputs");
      for (size_t i = 0; i < states_; ++i) (*states)[i] = std::move(outs[i]);
      for (size_t k = 0; k < scan_outputs_; ++k) {
        const Value& v = outs[states_ + k];
        if (!v.is_tensor()) return ctx.Error("scan output ", k, " must be a tensor, got ", v.Describe());
        std::vector<Tensor>& list = (*items)[k];
        if (!list.empty() && list[0].shape() != v.tensor().shape()) {
          return ctx.Error("scan output ", k, " changed shape from ", ShapeToString(list[0].shape()), " to ",
                           ShapeToString(v.tensor().shape()), " in iteration ", t);
        }
        list.push_back(v.tensor());
      }
    }
    return Status::Ok();
  }

  Status ComputeUnbatched(KernelContext& ctx) const {
    std::vector<Value> states(states_);
    for (size_t i = 0; i < states_; ++i) {
      if (ctx.input_value(i) == nullptr) return ctx.Error("state input ", i, " is missing");
      states[i] = *ctx.input_value(i);
    }
    std::vector<const Tensor*> inputs;
    std::vector<int64_t> axes = input_axes_;
    int64_t length = -1;
    for (size_t j = 0; j < scan_inputs_; ++j) {
      const Tensor* x = ctx.input(states_ + j);
      if (x == nullptr) return ctx.Error("scan input ", j, " must be a tensor");
      int64_t& axis = axes[j];
      if (axis < -x->rank() || axis >= x->rank()) {
        return ctx.Error("scan input axis ", input_axes_[j], " is out of range for scan input ", j, " ", x->Describe());
      }
      if (axis < 0) axis += x->rank();
      if (length >= 0 && x->dim(axis) != length) {
        return ctx.Error("scan inputs disagree on the sequence length: ", length, " vs ", x->dim(axis), " (scan input ",
                         j, " ", x->Describe(), ")");
      }
      length = x->dim(axis);
      inputs.push_back(x);
    }
    std::vector<std::vector<Tensor>> items;
    ONYX_RETURN_IF_ERROR(Iterate(ctx, &states, inputs, axes, length, &items));
    for (size_t i = 0; i < states_ && i < ctx.output_count(); ++i) {
      if (ctx.output_requested(i)) ONYX_RETURN_IF_ERROR(ctx.SetOutput(i, std::move(states[i])));
    }
    for (size_t k = 0; k < scan_outputs_ && states_ + k < ctx.output_count(); ++k) {
      if (!ctx.output_requested(states_ + k)) continue;
      if (output_reverse_[k]) std::reverse(items[k].begin(), items[k].end());
      int64_t rank = 0;
      if (!items[k].empty()) {
        rank = items[k][0].rank();
      } else if (scan_types_[k].shape) {
        rank = static_cast<int64_t>(scan_types_[k].shape->size());
      }
      int64_t axis = output_axes_[k];
      if (axis < -(rank + 1) || axis > rank) {
        return ctx.Error("scan output axis ", axis, " is out of range for scan output ", k, " of rank ", rank + 1);
      }
      if (axis < 0) axis += rank + 1;
      ONYX_ASSIGN_OR_RETURN(Tensor out, StackScanItems(ctx, items[k], scan_types_[k], axis, k));
      ONYX_RETURN_IF_ERROR(ctx.SetOutput(states_ + k, Value(std::move(out))));
    }
    return Status::Ok();
  }

  Status ComputeBatched(KernelContext& ctx) const {
    std::vector<const Tensor*> states, inputs;
    for (size_t i = 0; i < states_ + scan_inputs_; ++i) {
      const Tensor* t = ctx.input(1 + i);
      if (t == nullptr) return ctx.Error("input ", 1 + i, " must be a tensor");
      (i < states_ ? states : inputs).push_back(t);
    }
    const Tensor& first = *inputs[0];
    if (first.rank() < 2) return ctx.Error("scan inputs need a batch and a sequence axis, got ", first.Describe());
    const int64_t batch = first.dim(0), max_len = first.dim(1);
    for (const Tensor* x : inputs) {
      if (x->rank() < 2 || x->dim(0) != batch || x->dim(1) != max_len) {
        return ctx.Error("scan input ", x->Describe(), " does not match [batch ", batch, ", sequence ", max_len,
                         ", ...]");
      }
    }
    for (const Tensor* s : states) {
      if (s->rank() < 1 || s->dim(0) != batch) {
        return ctx.Error("state ", s->Describe(), " does not have the batch size ", batch, " as its first dim");
      }
    }
    std::vector<int64_t> lens(static_cast<size_t>(batch), max_len);
    if (const Tensor* sl = ctx.input(0)) {
      if (sl->type() != DataType::kInt64 || sl->rank() != 1 || sl->dim(0) != batch) {
        return ctx.Error("sequence_lens must be int64 of shape [", batch, "], got ", sl->Describe());
      }
      for (int64_t b = 0; b < batch; ++b) {
        const int64_t n = sl->data<int64_t>()[b];
        if (n < 0 || n > max_len) return ctx.Error("sequence_lens[", b, "] = ", n, " is outside [0, ", max_len, "]");
        lens[static_cast<size_t>(b)] = n;
      }
    }

    std::vector<std::vector<Tensor>> final_states(states_);
    std::vector<std::vector<Tensor>> all_items(scan_outputs_);
    std::vector<std::vector<size_t>> pads(scan_outputs_);  // where each batch element's padding goes
    const std::vector<int64_t> axes(scan_inputs_, 0);
    for (int64_t b = 0; b < batch; ++b) {
      std::vector<Value> st(states_);
      for (size_t i = 0; i < states_; ++i) {
        ONYX_ASSIGN_OR_RETURN(Tensor s, TakeAlongAxis(ctx, *states[i], 0, b));
        st[i] = Value(std::move(s));
      }
      std::vector<Tensor> sliced;
      for (const Tensor* x : inputs) {
        ONYX_ASSIGN_OR_RETURN(Tensor row, TakeAlongAxis(ctx, *x, 0, b));
        ONYX_ASSIGN_OR_RETURN(Tensor part, SliceAlongAxis(ctx, row, 0, 0, lens[static_cast<size_t>(b)]));
        sliced.push_back(std::move(part));
      }
      std::vector<const Tensor*> ptrs;
      for (const Tensor& t : sliced) ptrs.push_back(&t);
      std::vector<std::vector<Tensor>> items;
      ONYX_RETURN_IF_ERROR(Iterate(ctx, &st, ptrs, axes, lens[static_cast<size_t>(b)], &items));
      for (size_t i = 0; i < states_; ++i) {
        if (!st[i].is_tensor()) return ctx.Error("state output ", i, " must be a tensor");
        final_states[i].push_back(st[i].tensor());
      }
      for (size_t k = 0; k < scan_outputs_; ++k) {
        for (Tensor& t : items[k]) all_items[k].push_back(std::move(t));
        for (int64_t p = lens[static_cast<size_t>(b)]; p < max_len; ++p) {
          pads[k].push_back(all_items[k].size());
          all_items[k].emplace_back();
        }
      }
    }

    for (size_t i = 0; i < states_ && i < ctx.output_count(); ++i) {
      if (!ctx.output_requested(i)) continue;
      if (batch == 0) {
        ONYX_RETURN_IF_ERROR(ctx.SetOutput(i, Value(*states[i])));
        continue;
      }
      ONYX_ASSIGN_OR_RETURN(Tensor out, StackScanItems(ctx, final_states[i], ir::Type{}, 0, i));
      ONYX_RETURN_IF_ERROR(ctx.SetOutput(i, Value(std::move(out))));
    }
    for (size_t k = 0; k < scan_outputs_ && states_ + k < ctx.output_count(); ++k) {
      if (!ctx.output_requested(states_ + k)) continue;
      ONYX_ASSIGN_OR_RETURN(Tensor out, AssembleBatched(ctx, all_items[k], pads[k], k, batch, max_len));
      ONYX_RETURN_IF_ERROR(ctx.SetOutput(states_ + k, Value(std::move(out))));
    }
    return Status::Ok();
  }

  // Fills the padding slots with zeros of the per-iteration shape and stacks everything into [batch, max_len, ...].
  Result<Tensor> AssembleBatched(KernelContext& ctx, std::vector<Tensor>& items, const std::vector<size_t>& pads,
                                 size_t k, int64_t batch, int64_t max_len) const {
    const Tensor* sample = nullptr;
    for (const Tensor& t : items) {
      if (t.defined()) sample = &t;
    }
    DataType type = scan_types_[k].elem_type;
    Shape elem;
    if (sample != nullptr) {
      type = sample->type();
      elem = sample->shape();
    } else {
      bool known = scan_types_[k].shape.has_value() && type != DataType::kUndefined;
      for (const ir::Dim& d : known ? *scan_types_[k].shape : ir::SymShape{}) {
        known = known && d.known();
        elem.push_back(d.value);
      }
      if (!known && !items.empty()) {
        return ctx.Error("cannot tell the shape of scan output ", k,
                         ": no iteration ran and the body does not declare it");
      }
      if (type == DataType::kUndefined) type = DataType::kFloat;
    }
    Shape full = {batch, max_len};
    full.insert(full.end(), elem.begin(), elem.end());
    if (items.empty()) return ctx.Allocate(type, full);
    if (!pads.empty()) {
      ONYX_ASSIGN_OR_RETURN(Tensor zero, ctx.Allocate(type, elem));
      for (size_t p : pads) items[p] = zero;
    }
    ONYX_ASSIGN_OR_RETURN(Tensor stacked, StackScanItems(ctx, items, scan_types_[k], 0, k));
    return stacked.Reshaped(std::move(full));
  }

  const GraphRunner* body_ = nullptr;
  bool batched_ = false;
  size_t states_ = 0, scan_inputs_ = 0, scan_outputs_ = 0;
  std::vector<bool> input_reverse_, output_reverse_;
  std::vector<int64_t> input_axes_, output_axes_;
  std::vector<ir::Type> scan_types_;
};

// States keep their input types; scan outputs gain the sequence axis (and the batch axis at opset 8).
Status InferScan(ir::InferenceContext& ctx) {
  const ir::Attribute* body_attr = ctx.attr("body");
  if (body_attr == nullptr || !body_attr->g) return Status::Ok();
  const auto& outs = body_attr->g->outputs();
  const bool batched = ctx.node().opset() < 9;
  const size_t first = batched ? 1 : 0;
  const int64_t m = ctx.attr_int("num_scan_inputs", 0);
  if (m < 1 || static_cast<size_t>(m) + first > ctx.input_count()) return Status::Ok();
  const size_t states = ctx.input_count() - first - static_cast<size_t>(m);
  const std::vector<int64_t> out_axes = ctx.attr_ints("scan_output_axes");
  for (size_t i = 0; i < ctx.output_count() && i < outs.size(); ++i) {
    if (i < states) {
      if (const ir::Type* in = ctx.input_type(first + i);
          in && in->is_tensor() && in->elem_type != DataType::kUndefined) {
        ctx.SetOutputType(i, *in);
      }
      continue;
    }
    ir::Type t = outs[i]->type();
    if (!t.is_tensor() || t.elem_type == DataType::kUndefined) continue;
    if (t.shape) {
      const size_t k = i - states;
      int64_t axis = batched || k >= out_axes.size() ? 0 : out_axes[k];
      const auto rank = static_cast<int64_t>(t.shape->size());
      if (axis < -(rank + 1) || axis > rank) return ctx.Error("scan_output_axes[", k, "] = ", axis, " is out of range");
      if (axis < 0) axis += rank + 1;
      t.shape->insert(t.shape->begin() + axis, ir::Dim{});
      if (batched) t.shape->insert(t.shape->begin(), ir::Dim{});
    }
    ctx.SetOutputType(i, t);
  }
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(ScanKernel, KernelDef("CPU", "", "Scan").Versions(8));
ONYX_REGISTER_SHAPE_INFERENCE("", "Scan", InferScan);

}  // namespace
}  // namespace onyx::cpu

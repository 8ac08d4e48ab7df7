#include "ep/cpu/kernels/control_flow/subgraph_util.h"

#include "ep/cpu/kernels/sequence/sequence_util.h"

namespace onyx::cpu {

Result<bool> ReadCondition(const KernelContext& ctx, const Value* v, const char* what) {
  if (v == nullptr || !v->is_tensor() || v->tensor().type() != DataType::kBool || v->tensor().size() != 1) {
    return ctx.Error(what, " must be a bool tensor with one element, got ", v ? v->Describe() : std::string("nothing"));
  }
  return v->tensor().data<bool>()[0];
}

Result<Tensor> StackScanItems(KernelContext& ctx, const std::vector<Tensor>& items, const ir::Type& static_type,
                              int64_t axis, size_t k) {
  if (items.empty()) {
    const DataType type = static_type.is_tensor() && static_type.elem_type != DataType::kUndefined
                              ? static_type.elem_type
                              : DataType::kFloat;
    Shape shape;
    bool known = static_type.is_tensor() && static_type.shape.has_value();
    if (known) {
      for (const ir::Dim& d : *static_type.shape) {
        known = known && d.known();
        shape.push_back(d.value);
      }
    }
    if (!known || axis > static_cast<int64_t>(shape.size())) {
      shape.clear();
      axis = 0;
    }
    shape.insert(shape.begin() + axis, 0);
    return ctx.Allocate(type, shape);
  }
  std::vector<const Tensor*> parts;
  parts.reserve(items.size());
  for (const Tensor& t : items) parts.push_back(&t);
  const int64_t rank = items[0].rank();
  if (axis < 0 || axis > rank) {
    return ctx.Error("scan output axis ", axis, " of output ", k, " is out of range for per-iteration rank ", rank);
  }
  return ConcatAlongAxis(ctx, parts, axis, true);
}

}  // namespace onyx::cpu

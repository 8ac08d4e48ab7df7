// Transpose: permutes the axes; without 'perm' the axes are reversed.
#include <numeric>

#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

class TransposeKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    has_perm_ = info.has_attr("perm");
    if (!has_perm_) return Status::Ok();
    ONYX_RETURN_IF_ERROR(info.GetInts("perm", &perm_));
    std::vector<bool> seen(perm_.size(), false);
    for (int64_t p : perm_) {
      if (p < 0 || p >= static_cast<int64_t>(perm_.size()) || seen[static_cast<size_t>(p)]) {
        return info.Error("'perm' ", ShapeToString(perm_), " is not a permutation");
      }
      seen[static_cast<size_t>(p)] = true;
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'data' is missing");
    const size_t rank = x->shape().size();
    std::vector<int64_t> perm = perm_;
    if (!has_perm_) {
      perm.resize(rank);
      for (size_t i = 0; i < rank; ++i) perm[i] = static_cast<int64_t>(rank - 1 - i);
    } else if (perm.size() != rank) {
      return ctx.Error("'perm' ", ShapeToString(perm), " has ", perm.size(), " entries but the input is ",
                       x->Describe());
    }
    Shape out_shape(rank);
    std::vector<int64_t> in_strides = ContiguousStrides(x->shape()), strides(rank);
    for (size_t i = 0; i < rank; ++i) {
      out_shape[i] = x->dim(perm[i]);
      strides[i] = in_strides[static_cast<size_t>(perm[i])];
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, x->type(), out_shape));
    if (IsSubByte(x->type())) {
      ONYX_ASSIGN_OR_RETURN(Tensor in, UnpackSubByte(*x));
      ONYX_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DataType::kUint8, out_shape));
      StridedCopy(ctx.thread_pool(), in.data<uint8_t>(), 0, out.data<uint8_t>(), out_shape, strides);
      PackSubByte(out, y);
      return Status::Ok();
    }
    return DispatchByWidth(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          StridedCopy(ctx.thread_pool(), x->data<T>(), 0, y->data<T>(), out_shape, strides);
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  bool has_perm_ = false;
  std::vector<int64_t> perm_;
};

Status InferTranspose(ir::InferenceContext& ctx) {
  const ir::SymShape* in = ctx.input_shape(0);
  DataType t = ctx.input_elem_type(0);
  if (!in) {
    SetOutputIfKnown(ctx, 0, t, std::nullopt);
    return Status::Ok();
  }
  std::vector<int64_t> perm = ctx.attr_ints("perm");
  if (ctx.attr("perm") == nullptr) {
    perm.resize(in->size());
    for (size_t i = 0; i < in->size(); ++i) perm[i] = static_cast<int64_t>(in->size() - 1 - i);
  }
  if (perm.size() != in->size())
    return ctx.Error("'perm' has ", perm.size(), " entries for an input of rank ", in->size());
  ir::SymShape out(in->size());
  for (size_t i = 0; i < perm.size(); ++i) {
    if (perm[i] < 0 || perm[i] >= static_cast<int64_t>(in->size())) return ctx.Error("'perm' is not a permutation");
    out[i] = (*in)[static_cast<size_t>(perm[i])];
  }
  SetOutputIfKnown(ctx, 0, t, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(TransposeKernel, KernelDef("CPU", "", "Transpose").Versions(1));
ONYX_REGISTER_SHAPE_INFERENCE("", "Transpose", InferTranspose);

}  // namespace onyx::cpu

// Shared pieces of the ai.onnx.preview.training optimizers (Adagrad, Adam, Momentum): the scalar inputs R
// (learning rate) and T (update count), and the grouping of the variadic inputs into k tensors per role
// (X_1..X_k, G_1..G_k, ...). Every role's tensor i must have X_i's type and shape; values are computed in
// double and stored in X_i's type.
#pragma once

#include <cstdint>
#include <vector>

#include "ep/cpu/kernels/dispatch.h"
#include "framework/op_kernel.h"
#include "framework/tensor.h"
#include "ir/shape_inference.h"

namespace onyx::cpu::optim {

inline constexpr const char* kDomain = "ai.onnx.preview.training";

struct OptimizerInputs {
  double r = 0.0;
  int64_t t = 0;
  int64_t k = 0;                                  // tensors optimized
  std::vector<std::vector<const Tensor*>> roles;  // roles[role][i]
};

// Reads R, T and `roles` groups of k tensors each from the inputs after them.
inline Status ReadOptimizerInputs(const KernelContext& ctx, int roles, OptimizerInputs* in) {
  const Tensor* r = ctx.input(0);
  const Tensor* t = ctx.input(1);
  if (!r || !t) return ctx.Error("inputs R and T are required");
  if (r->size() != 1 || (r->type() != DataType::kFloat && r->type() != DataType::kDouble)) {
    return ctx.Error("R must be one float or double, got ", r->Describe());
  }
  if (t->size() != 1 || t->type() != DataType::kInt64) return ctx.Error("T must be one int64, got ", t->Describe());
  in->r = r->type() == DataType::kFloat ? r->data<float>()[0] : r->data<double>()[0];
  in->t = t->data<int64_t>()[0];
  const int64_t rest = static_cast<int64_t>(ctx.input_count()) - 2;
  if (rest <= 0 || rest % roles != 0) {
    return ctx.Error("expected 2 + ", roles, "*k inputs, got ", ctx.input_count());
  }
  in->k = rest / roles;
  if (static_cast<int64_t>(ctx.output_count()) > (roles - 1) * in->k) {
    return ctx.Error("expected at most ", (roles - 1) * in->k, " outputs, got ", ctx.output_count());
  }
  in->roles.assign(static_cast<size_t>(roles), {});
  for (int role = 0; role < roles; ++role) {
    for (int64_t i = 0; i < in->k; ++i) {
      const Tensor* x = ctx.input(static_cast<size_t>(2 + role * in->k + i));
      if (x == nullptr) return ctx.Error("input ", 2 + role * in->k + i, " is missing");
      if (x->type() != DataType::kFloat && x->type() != DataType::kDouble) {
        return ctx.Error("optimized tensors must be float or double, got ", x->Describe());
      }
      const Tensor* x0 = role == 0 ? x : in->roles[0][static_cast<size_t>(i)];
      if (x->type() != x0->type() || x->shape() != x0->shape()) {
        return ctx.Error("input ", 2 + role * in->k + i, " ", x->Describe(), " must match X_", i, " ", x0->Describe());
      }
      in->roles[static_cast<size_t>(role)].push_back(x);
    }
  }
  return Status::Ok();
}

inline double Get(const Tensor& t, int64_t i) {
  return t.type() == DataType::kFloat ? t.data<float>()[i] : t.data<double>()[i];
}
inline void Put(Tensor* t, int64_t i, double v) {
  if (t->type() == DataType::kFloat) {
    t->data<float>()[i] = static_cast<float>(v);
  } else {
    t->data<double>()[i] = v;
  }
}

// Allocates output `index` like `like`, or returns null when the output is not requested.
inline Result<Tensor*> OptionalOutput(KernelContext& ctx, size_t index, const Tensor& like) {
  if (!ctx.output_requested(index)) return static_cast<Tensor*>(nullptr);
  return ctx.Output(index, like.type(), like.shape());
}

// Shape inference: output j of role group g is input 2 + g*k + i (outputs list the roles after X in order).
inline Status InferOptimizer(ir::InferenceContext& ctx, int roles) {
  const int64_t rest = static_cast<int64_t>(ctx.input_count()) - 2;
  if (rest <= 0 || rest % roles != 0) return Status::Ok();
  const int64_t k = rest / roles;
  for (size_t o = 0; o < ctx.output_count(); ++o) {
    const int64_t group = static_cast<int64_t>(o) / k, i = static_cast<int64_t>(o) % k;
    // Outputs: X_new (from X), then the state roles in input order (skipping G, role 1).
    const int64_t role = group == 0 ? 0 : group + 1;
    if (role >= roles) break;
    ctx.CopyInputToOutput(static_cast<size_t>(2 + role * k + i), o);
  }
  return Status::Ok();
}

}  // namespace onyx::cpu::optim

// NonZero: the coordinates of the non-zero elements, as an int64 tensor [rank, count] in row-major order.
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

template <typename T>
bool IsNonZero(const T& v) {
  if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>)
    return ToFloat(v) != 0.0f;
  else if constexpr (std::is_same_v<T, std::string>)
    return !v.empty();
  else
    return v != T{};
}

class NonZeroKernel final : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'X' is missing");
    std::vector<int64_t> hits;
    ONYX_RETURN_IF_ERROR(
        (Dispatch<ONYX_NUMERIC_TYPES, Float16, BFloat16, bool, std::string, std::complex<float>, std::complex<double>>(
            x->type(),
            [&](auto tag) -> Status {
              using T = decltype(tag);
              const T* in = x->data<T>();
              for (int64_t i = 0; i < x->size(); ++i) {
                if (IsNonZero(in[i])) hits.push_back(i);
              }
              return Status::Ok();
            },
            ctx.node())));
    const int64_t rank = x->rank(), count = static_cast<int64_t>(hits.size());
    // A scalar counts as a 1-element vector (numpy's nonzero does the same): shape [1, count], coordinate 0.
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kInt64, {std::max<int64_t>(rank, 1), count}));
    int64_t* out = y->data<int64_t>();
    for (int64_t h = 0; h < count; ++h) {
      int64_t rem = hits[static_cast<size_t>(h)];
      for (int64_t d = rank; d-- > 0;) {
        out[d * count + h] = rem % x->dim(d);
        rem /= x->dim(d);
      }
    }
    return Status::Ok();
  }
};

Status InferNonZero(ir::InferenceContext& ctx) {
  const ir::SymShape* s = ctx.input_shape(0);
  ir::SymShape out(2);
  if (s) out[0] = ir::Dim::Known(std::max<int64_t>(static_cast<int64_t>(s->size()), 1));
  ctx.SetOutput(0, DataType::kInt64, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(NonZeroKernel, KernelDef("CPU", "", "NonZero").Versions(9));
ONYX_REGISTER_SHAPE_INFERENCE("", "NonZero", InferNonZero);

}  // namespace onyx::cpu

// TensorScatter (opset 24): writes `update` into a copy of `past_cache` along the sequence axis, starting at
// write_indices[batch] (wrapping around in "circular" mode). A KV-cache update expressed functionally.
#include <cstring>

#include "ep/cpu/kernels/transformer/transformer_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

class TensorScatterKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    std::string mode;
    ONYX_RETURN_IF_ERROR(info.GetString("mode", &mode, std::string("linear")));
    if (mode != "linear" && mode != "circular")
      return info.Error("mode must be \"linear\" or \"circular\", got \"", mode, "\"");
    circular_ = mode == "circular";
    return info.GetInt("axis", &axis_, int64_t{-2});
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* past = ctx.input(0);
    const Tensor* update = ctx.input(1);
    const Tensor* wi = ctx.input(2);
    if (!past || !update) return ctx.Error("inputs past_cache and update are required");
    const int64_t rank = past->rank();
    const int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
    if (axis <= 0 || axis >= rank)
      return ctx.Error("axis ", axis_, " is out of range (or the batch axis) for ", past->Describe());
    if (update->type() != past->type() || update->rank() != rank)
      return ctx.Error("update ", update->Describe(), " does not match past_cache ", past->Describe());
    for (int64_t i = 0; i < rank; ++i)
      if (i != axis && update->dim(i) != past->dim(i))
        return ctx.Error("update ", update->Describe(), " differs from past_cache ", past->Describe(),
                         " outside the sequence axis");
    const int64_t max_seq = past->dim(axis), seq = update->dim(axis), batch = past->dim(0);
    if (seq > max_seq) return ctx.Error("update sequence length ", seq, " exceeds the cache's ", max_seq);
    std::vector<int64_t> idx(static_cast<size_t>(batch), 0);
    if (wi) {
      if ((wi->type() != DataType::kInt64 && wi->type() != DataType::kInt32) || wi->shape() != Shape{batch})
        return ctx.Error("write_indices must be int64[", batch, "], got ", wi->Describe());
      idx = transformer::ToInt64Vector(*wi);
    }
    for (int64_t v : idx) {
      if (v < 0 || (!circular_ && v + seq > max_seq))
        return ctx.Error("write index ", v, " with sequence length ", seq, " does not fit the cache of ", max_seq);
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(0, past->type(), past->shape()));
    // Whole-element byte copies: strings and packed sub-byte types are not supported.
    const size_t elem = static_cast<size_t>(StorageBytes(past->type(), 1));
    if (past->type() == DataType::kString || elem == 0 ||
        static_cast<size_t>(StorageBytes(past->type(), 8)) != 8 * elem)
      return ctx.Error("unsupported element type ", past->Describe());
    std::memcpy(out->raw(), past->raw(), static_cast<size_t>(past->size()) * elem);
    int64_t inner = 1, prefix = 1;
    for (int64_t i = axis + 1; i < rank; ++i) inner *= past->dim(i);
    for (int64_t i = 1; i < axis; ++i) prefix *= past->dim(i);
    const size_t row = static_cast<size_t>(inner) * elem;
    char* dst = static_cast<char*>(out->raw());
    const char* src = static_cast<const char*>(update->raw());
    for (int64_t b = 0; b < batch; ++b) {
      for (int64_t p = 0; p < prefix; ++p) {
        const int64_t outer = b * prefix + p;
        for (int64_t s = 0; s < seq; ++s) {
          int64_t t = idx[b] + s;
          if (circular_) t %= max_seq;
          std::memcpy(dst + static_cast<size_t>(outer * max_seq + t) * row,
                      src + static_cast<size_t>(outer * seq + s) * row, row);
        }
      }
    }
    return Status::Ok();
  }

 private:
  int64_t axis_ = -2;
  bool circular_ = false;
};

Status InferTensorScatter(ir::InferenceContext& ctx) {
  ctx.CopyInputToOutput(0, 0);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(TensorScatterKernel, KernelDef("CPU", "", "TensorScatter").Versions(24));
ONYX_REGISTER_SHAPE_INFERENCE("", "TensorScatter", InferTensorScatter);

}  // namespace onyx::cpu

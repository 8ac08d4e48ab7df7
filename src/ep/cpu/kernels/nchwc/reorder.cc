// com.onyx:ReorderToNchwc and com.onyx:ReorderFromNchwc (written by the NchwcLayout pass at the edges of
// blocked regions, see docs/FUSED_OPERATORS.md):
//   ReorderToNchwc(X [N, C, spatial...]) -> [N, ceil(C/8), spatial..., 8], padding channels zero;
//   ReorderFromNchwc(Y [N, Cb, spatial..., 8], channels = C) -> [N, C, spatial...], dropping the padding;
//   with channels_last = 1, [N, spatial..., C] instead (what a TensorFlow export's Transpose to NHWC after its last
//   convolution wants, in the same pass over the data).
#include <algorithm>
#include <cstring>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/nchwc/nchwc_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::nchwc {
namespace {

class ReorderToNchwcKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return CheckAvx2(info); }
  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) return ctx.Error("input X is required");
    if (x->type() != DataType::kFloat || x->rank() < 3) {
      return ctx.Error("X ", x->Describe(), " must be a float tensor [N, C, spatial...]");
    }
    const int64_t c = x->dim(1), cb = BlockCount(c);
    Shape out = {x->dim(0), cb};
    int64_t hw = 1;
    for (int64_t i = 2; i < x->rank(); ++i) hw *= x->dim(i), out.push_back(x->dim(i));
    out.push_back(kBlock);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kFloat, out));
    const float* xd = x->data<float>();
    float* yd = y->data<float>();
    ThreadPool::For(
        ctx.thread_pool(), x->dim(0) * cb,
        [&](int64_t begin, int64_t end) {
          for (int64_t i = begin; i < end; ++i) {
            const int64_t b = i % cb;
            ReorderToBlock_Avx2(xd + ((i / cb) * c + b * kBlock) * hw, hw, c - b * kBlock, hw, yd + i * hw * kBlock);
          }
        },
        MinBlockOfTasks(static_cast<double>(hw * kBlock * 4) * static_cast<double>(x->dim(0) * cb), x->dim(0) * cb));
    return Status::Ok();
  }
};

class ReorderFromNchwcKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(CheckAvx2(info));
    ONYX_RETURN_IF_ERROR(info.GetInt("channels", &channels_));
    if (channels_ <= 0) return info.Error("channels must be positive, got ", channels_);
    int64_t last = 0;
    ONYX_RETURN_IF_ERROR(info.GetInt("channels_last", &last, int64_t{0}));
    if (last != 0 && last != 1) return info.Error("channels_last must be 0 or 1, got ", last);
    channels_last_ = last == 1;
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) return ctx.Error("input X is required");
    const int64_t cb = BlockCount(channels_);
    if (x->type() != DataType::kFloat || x->rank() < 4 || x->dim(x->rank() - 1) != kBlock || x->dim(1) != cb) {
      return ctx.Error("X ", x->Describe(), " must be a blocked float tensor [N, ", cb, ", spatial..., 8] for ",
                       channels_, " channels");
    }
    Shape out = {x->dim(0), channels_};
    int64_t hw = 1;
    for (int64_t i = 2; i + 1 < x->rank(); ++i) hw *= x->dim(i), out.push_back(x->dim(i));
    if (channels_last_) {
      out.erase(out.begin() + 1);
      out.push_back(channels_);
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, DataType::kFloat, out));
    const float* xd = x->data<float>();
    float* yd = y->data<float>();
    const int64_t c = channels_;
    if (channels_last_) {
      // Pixel by pixel: each block gives 8 consecutive channels of the pixel (the last block its real ones).
      const int64_t tail = c - (cb - 1) * kBlock, pixels = x->dim(0) * hw;
      ThreadPool::For(
          ctx.thread_pool(), pixels,
          [&](int64_t begin, int64_t end) {
            for (int64_t q = begin; q < end; ++q) {
              const float* src = xd + ((q / hw) * cb * hw + q % hw) * kBlock;
              float* dst = yd + q * c;
              for (int64_t b = 0; b + 1 < cb; ++b)
                std::memcpy(dst + b * kBlock, src + b * hw * kBlock, sizeof(float) * kBlock);
              std::memcpy(dst + (cb - 1) * kBlock, src + (cb - 1) * hw * kBlock,
                          sizeof(float) * static_cast<size_t>(tail));
            }
          },
          std::max<int64_t>(64, MinBlockOfTasks(static_cast<double>(c * 4) * static_cast<double>(pixels), pixels)));
      return Status::Ok();
    }
    ThreadPool::For(
        ctx.thread_pool(), x->dim(0) * cb,
        [&](int64_t begin, int64_t end) {
          for (int64_t i = begin; i < end; ++i) {
            const int64_t b = i % cb;
            ReorderFromBlock_Avx2(xd + i * hw * kBlock, hw, c - b * kBlock, yd + ((i / cb) * c + b * kBlock) * hw, hw);
          }
        },
        MinBlockOfTasks(static_cast<double>(hw * kBlock * 4) * static_cast<double>(x->dim(0) * cb), x->dim(0) * cb));
    return Status::Ok();
  }

 private:
  int64_t channels_ = 0;
  bool channels_last_ = false;
};

Status InferReorderTo(ir::InferenceContext& ctx) {
  const ir::SymShape* x = ctx.input_shape(0);
  const DataType type = ctx.input_elem_type(0);
  if (type == DataType::kUndefined) return Status::Ok();
  if (!x || x->size() < 3) {
    ctx.SetOutput(0, type, std::nullopt);
    return Status::Ok();
  }
  ir::SymShape out = *x;
  out[1] = (*x)[1].known() ? ir::Dim::Known(BlockCount((*x)[1].value)) : ir::Dim{};
  out.push_back(ir::Dim::Known(kBlock));
  ctx.SetOutput(0, type, out);
  return Status::Ok();
}

Status InferReorderFrom(ir::InferenceContext& ctx) {
  const ir::SymShape* x = ctx.input_shape(0);
  const DataType type = ctx.input_elem_type(0);
  const int64_t channels = ctx.attr_int("channels", 0);
  if (type == DataType::kUndefined) return Status::Ok();
  if (!x || x->size() < 4) {
    ctx.SetOutput(0, type, std::nullopt);
    return Status::Ok();
  }
  if ((*x)[1].known() && channels > 0 && (*x)[1].value != BlockCount(channels)) {
    return ctx.Error("input has ", (*x)[1].value, " channel blocks but channels is ", channels);
  }
  ir::SymShape out(x->begin(), x->end() - 1);
  out[1] = channels > 0 ? ir::Dim::Known(channels) : ir::Dim{};
  if (ctx.attr_int("channels_last", 0) == 1) std::rotate(out.begin() + 1, out.begin() + 2, out.end());
  ctx.SetOutput(0, type, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(ReorderToNchwcKernel,
                     KernelDef("CPU", "com.onyx", "ReorderToNchwc").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_KERNEL(ReorderFromNchwcKernel,
                     KernelDef("CPU", "com.onyx", "ReorderFromNchwc").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "ReorderToNchwc", InferReorderTo);
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "ReorderFromNchwc", InferReorderFrom);

}  // namespace onyx::cpu::nchwc

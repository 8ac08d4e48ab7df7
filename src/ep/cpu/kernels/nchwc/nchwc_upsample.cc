// com.onyx:NchwcUpsample (written by the NchwcLayout pass, see docs/FUSED_OPERATORS.md): nearest-neighbour upsampling
// by whole factors of a blocked tensor, output pixel (h, w) taking input pixel (h / scale_h, w / scale_w). It is what
// a Resize with scales [1, 1, s_h, s_w] in nearest mode computes under the coordinate transforms that map to that
// (asymmetric with floor, half_pixel with rounding), the 2x upsampling of YOLO and FPN necks: a decoder then stays
// blocked instead of leaving the layout and coming back around each one.
#include <cstring>

#include "common/checked_math.h"
#include "common/thread_pool.h"
#include "ep/cpu/kernels/nchwc/nchwc_util.h"
#include "framework/kernel_registry.h"
#include "ir/derived_dim.h"

namespace onyx::cpu::nchwc {
namespace {

class NchwcUpsampleKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("scale_h", &sh_, int64_t{0}));
    ONYX_RETURN_IF_ERROR(info.GetInt("scale_w", &sw_, int64_t{0}));
    ONYX_RETURN_IF_ERROR(info.GetInt("channels", &channels_, int64_t{0}));
    if (sh_ <= 0 || sw_ <= 0 || sh_ > 1024 || sw_ > 1024 || channels_ <= 0) {
      return info.Error("scale_h (", sh_, ") and scale_w (", sw_, ") must be in [1, 1024] and channels (", channels_,
                        ") positive");
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    ONYX_ASSIGN_OR_RETURN(const Tensor* x, BlockedInput(ctx, channels_));
    if (x->rank() != 5) return ctx.Error("X ", x->Describe(), " must be a blocked float tensor [N, C/8, H, W, 8]");
    const int64_t planes = x->dim(0) * x->dim(1), h = x->dim(2), w = x->dim(3);
    int64_t oh = 0, ow = 0;
    if (!CheckedMul(h, sh_, &oh) || !CheckedMul(w, sw_, &ow)) return ctx.Error("X ", x->Describe(), " is too large");
    ONYX_ASSIGN_OR_RETURN(Tensor * y,
                          ctx.OutputForOverwrite(0, DataType::kFloat, {x->dim(0), x->dim(1), oh, ow, kBlock}));
    if (y->size() == 0) return Status::Ok();
    const float* xd = x->data<float>();
    float* yd = y->data<float>();
    const int64_t rows = planes * h;
    // A task is one input row: the first of its sh output rows pixel by pixel, the others copies of it.
    ThreadPool::For(
        ctx.thread_pool(), rows,
        [&](int64_t begin, int64_t end) {
          for (int64_t t = begin; t < end; ++t) {
            const float* src = xd + t * w * kBlock;
            float* dst = yd + ((t / h) * oh + (t % h) * sh_) * ow * kBlock;
            for (int64_t c = 0; c < w; ++c) {
              for (int64_t j = 0; j < sw_; ++j)
                std::memcpy(dst + (c * sw_ + j) * kBlock, src + c * kBlock, sizeof(float) * kBlock);
            }
            for (int64_t i = 1; i < sh_; ++i)
              std::memcpy(dst + i * ow * kBlock, dst, sizeof(float) * static_cast<size_t>(ow * kBlock));
          }
        },
        MinBlockOfTasks(static_cast<double>(y->size()) * 2, rows));
    return Status::Ok();
  }

 private:
  int64_t sh_ = 0, sw_ = 0, channels_ = 0;
};

Status InferNchwcUpsample(ir::InferenceContext& ctx) {
  const ir::SymShape* x = ctx.input_shape(0);
  if (ctx.input_elem_type(0) == DataType::kUndefined || !x || x->size() != 5) return Status::Ok();
  ir::SymShape out = *x;
  out[2] = ir::AffineDim((*x)[2], ctx.attr_int("scale_h", 0), 0, 1);
  out[3] = ir::AffineDim((*x)[3], ctx.attr_int("scale_w", 0), 0, 1);
  ctx.SetOutput(0, ctx.input_elem_type(0), out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(NchwcUpsampleKernel,
                     KernelDef("CPU", "com.onyx", "NchwcUpsample").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "NchwcUpsample", InferNchwcUpsample);

}  // namespace onyx::cpu::nchwc

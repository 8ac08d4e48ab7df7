// Col2Im (opset 18): sums column blocks (N, C * prod(block_shape), L) back into images (N, C, image_shape...),
// the inverse arrangement of im2col, with strides, dilations and pads per spatial axis.
#include <vector>

#include "common/checked_math.h"
#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

struct Geometry {
  std::vector<int64_t> image, block, stride, dilation, pad_begin, blocks;  // blocks: count per axis
  int64_t block_size = 1, block_count = 1, image_size = 1;
};

template <typename T>
void Fold(const T* col, T* img, int64_t planes, const Geometry& g, ThreadPool* pool) {
  const size_t r = g.image.size();
  ThreadPool::For(
      pool, planes,
      [&](int64_t begin, int64_t end) {
        std::vector<int64_t> k(r), l(r);
        for (int64_t p = begin; p < end; ++p) {
          const T* src = col + p * g.block_size * g.block_count;
          T* dst = img + p * g.image_size;
          std::fill(k.begin(), k.end(), 0);
          for (int64_t kk = 0; kk < g.block_size; ++kk) {
            std::fill(l.begin(), l.end(), 0);
            for (int64_t ll = 0; ll < g.block_count; ++ll) {
              int64_t pos = 0;
              bool inside = true;
              for (size_t d = 0; d < r && inside; ++d) {
                const int64_t x = l[d] * g.stride[d] - g.pad_begin[d] + k[d] * g.dilation[d];
                inside = x >= 0 && x < g.image[d];
                pos = pos * g.image[d] + x;
              }
              if (inside) dst[pos] += src[kk * g.block_count + ll];
              for (size_t d = r; d-- > 0;) {
                if (++l[d] < g.blocks[d]) break;
                l[d] = 0;
              }
            }
            for (size_t d = r; d-- > 0;) {
              if (++k[d] < g.block[d]) break;
              k[d] = 0;
            }
          }
        }
      },
      1);
}

class Col2ImKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInts("strides", &strides_, std::vector<int64_t>{}));
    ONYX_RETURN_IF_ERROR(info.GetInts("dilations", &dilations_, std::vector<int64_t>{}));
    ONYX_RETURN_IF_ERROR(info.GetInts("pads", &pads_, std::vector<int64_t>{}));
    for (int64_t v : strides_) {
      if (v <= 0) return info.Error("strides must be positive");
    }
    for (int64_t v : dilations_) {
      if (v <= 0) return info.Error("dilations must be positive");
    }
    for (int64_t v : pads_) {
      if (v < 0) return info.Error("pads must be non-negative");
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* image_shape = ctx.input(1);
    const Tensor* block_shape = ctx.input(2);
    if (!x || !image_shape || !block_shape) return ctx.Error("inputs input, image_shape and block_shape are required");
    if (image_shape->type() != DataType::kInt64 || block_shape->type() != DataType::kInt64 ||
        image_shape->rank() != 1 || block_shape->rank() != 1 || image_shape->size() != block_shape->size() ||
        image_shape->size() < 1) {
      return ctx.Error("image_shape and block_shape must be 1-D int64 of the same length, got ",
                       image_shape->Describe(), " and ", block_shape->Describe());
    }
    if (x->rank() != 3) return ctx.Error("input must be 3-D (N, C * prod(block_shape), L), got ", x->Describe());
    const size_t r = static_cast<size_t>(image_shape->size());
    Geometry g;
    g.image.assign(image_shape->values<int64_t>().begin(), image_shape->values<int64_t>().end());
    g.block.assign(block_shape->values<int64_t>().begin(), block_shape->values<int64_t>().end());
    g.stride = strides_.empty() ? std::vector<int64_t>(r, 1) : strides_;
    g.dilation = dilations_.empty() ? std::vector<int64_t>(r, 1) : dilations_;
    std::vector<int64_t> pads = pads_.empty() ? std::vector<int64_t>(2 * r, 0) : pads_;
    if (g.stride.size() != r || g.dilation.size() != r || pads.size() != 2 * r) {
      return ctx.Error("strides, dilations and pads must have ", r, ", ", r, " and ", 2 * r, " values");
    }
    g.pad_begin.assign(pads.begin(), pads.begin() + static_cast<int64_t>(r));
    for (size_t d = 0; d < r; ++d) {
      if (g.image[d] < 0 || g.block[d] <= 0) return ctx.Error("image_shape must be >= 0 and block_shape > 0");
      int64_t eff = 0, span = 0;
      if (!CheckedMul(g.dilation[d], g.block[d] - 1, &eff) || !CheckedAdd(g.image[d], pads[d] + pads[d + r], &span)) {
        return ctx.Error("block or image geometry overflows");
      }
      eff += 1;
      const int64_t n = span >= eff ? (span - eff) / g.stride[d] + 1 : 0;
      g.blocks.push_back(n);
      if (!CheckedMul(g.block_size, g.block[d], &g.block_size) || !CheckedMul(g.block_count, n, &g.block_count) ||
          !CheckedMul(g.image_size, g.image[d], &g.image_size)) {
        return ctx.Error("block or image geometry overflows");
      }
    }
    if (x->dim(1) % g.block_size != 0) {
      return ctx.Error("input dimension 1 (", x->dim(1), ") is not a multiple of prod(block_shape) = ", g.block_size);
    }
    if (x->dim(2) != g.block_count) {
      return ctx.Error("input has L = ", x->dim(2), " blocks but the geometry gives ", g.block_count);
    }
    const int64_t channels = x->dim(1) / g.block_size;
    Shape out_shape = {x->dim(0), channels};
    out_shape.insert(out_shape.end(), g.image.begin(), g.image.end());
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), out_shape));
    if (y->size() == 0 || x->size() == 0) return Status::Ok();
    ONYX_ASSIGN_OR_RETURN(Tensor xc, AsComputeTensor(ctx, *x));
    ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
    const int64_t planes = x->dim(0) * channels;
    Status st = Dispatch<ONYX_NUMERIC_TYPES>(
        xc.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          std::fill(yc.data<T>(), yc.data<T>() + yc.size(), T(0));
          Fold<T>(xc.data<T>(), yc.data<T>(), planes, g, ctx.thread_pool());
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    return Status::Ok();
  }

 private:
  std::vector<int64_t> strides_, dilations_, pads_;
};

Status InferCol2Im(ir::InferenceContext& ctx) {
  const DataType type = ctx.input_elem_type(0);
  const Tensor* image = ctx.input_constant(1);
  const Tensor* block = ctx.input_constant(2);
  const ir::SymShape* x = ctx.input_shape(0);
  if (!image || image->type() != DataType::kInt64) {
    const ir::SymShape* s = ctx.input_shape(1);
    // The rank comes from a dim the file declares: a huge one (fuzzed: 2^27) would allocate gigabytes of dims,
    // so past 1,024 (the C API's rank limit) the shape is left unknown, as an unknown dim leaves it.
    if (s && s->size() == 1 && (*s)[0].known() && (*s)[0].value >= 0 && (*s)[0].value <= 1024) {
      ctx.SetOutput(0, type, ir::SymShape(static_cast<size_t>((*s)[0].value + 2)));
    } else {
      ctx.SetOutput(0, type, std::nullopt);
    }
    return Status::Ok();
  }
  ir::SymShape out(2);
  if (x && x->size() == 3) {
    out[0] = (*x)[0];
    if (block && block->type() == DataType::kInt64 && (*x)[1].known()) {
      int64_t prod = 1;
      for (int64_t b : block->values<int64_t>()) prod *= b > 0 ? b : 1;
      out[1] = ir::Dim::Known((*x)[1].value / prod);
    }
  }
  for (int64_t v : image->values<int64_t>()) out.push_back(ir::Dim::Known(v));
  ctx.SetOutput(0, type, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(Col2ImKernel, KernelDef("CPU", "", "Col2Im").Versions(18));
ONYX_REGISTER_SHAPE_INFERENCE("", "Col2Im", InferCol2Im);

}  // namespace onyx::cpu

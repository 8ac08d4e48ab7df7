// com.onyx:NchwcConvDepthwise (written by the FuseNchwcConvDepthwise pass, see docs/FUSED_OPERATORS.md): a 1x1
// convolution whose only reader is a depthwise convolution, as MobileNet-style inverted residual blocks chain them
// (expand to many channels, then filter each). Run one after the other, the expanded tensor goes out to memory and
// comes back: at CenterFace's 256x256 it is 25 MB, and the pair is bound by that traffic, not by its arithmetic.
// Here each task walks a range of the depthwise output's rows in bands: the 1x1 convolution computes the expanded
// rows a band needs into a buffer that stays in the core's L2, and the depthwise convolution reads them from there.
// Rows two neighbouring bands share are copied over, not computed again, so only the first band of a task repeats
// any work (the rows above it, which the task before computed too).
#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <mutex>
#include <vector>

#include "common/checked_math.h"
#include "common/thread_pool.h"
#include "ep/cpu/kernels/nchwc/nchwc_util.h"
#include "ep/cpu/kernels/nn/conv_pool_attrs.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::nchwc {
namespace {

// The expanded rows a band keeps (both of a task's buffers together stay within L2 beside the weights and the input
// rows being read).
constexpr int64_t kBandBytes = 1024 << 10;

// The weights as the tiles read them, and the data they were made from. Only the 1x1 packing the tiles in use read is
// made (pairs for the AVX-512 tiles, 8 x 8 blocks for the AVX2 fallback); a packed constant is used as it is.
struct Prepared {
  const void* sources[4] = {};
  int64_t mb = 0, cb = 0, kh = 0, kw = 0;
  Tensor w1, b1, w2, b2;  // [Mb, Cb, 1, 1, 8, 8], [Mb * 8], [Mb, 1, KH, KW, 1, 8], [Mb * 8] (biases may be empty)
  Tensor pw, pb;          // the 1x1 weights [pairs, Cb, 1, 1, 8, 16] and bias pair-packed for the AVX-512 tiles
  std::vector<PairUnit> units;
  bool Ready(bool avx512) const { return w2.defined() && (avx512 ? pw.defined() : w1.defined()); }
};

// W1, B1, W2, B2 as the layout pass packed them (constants: W1 pair-packed where the AVX-512 tiles run, else 8 x 8),
// or standard ([M, C, 1, 1], [M], [M, 1, KH, KW], [M]: initializers that are also graph inputs, which a run may feed
// and which are packed here). W2 first: its block count is W1's (the pair packing does not record it).
Status Prepare(const Tensor* w1, const Tensor* b1, const Tensor* w2, const Tensor* b2, bool avx512, Prepared* p) {
  for (const Tensor* t : {w1, b1, w2, b2}) {
    if (t && t->type() != DataType::kFloat)
      return InvalidArgument("weights and biases must be float, got ", t->Describe());
  }
  const Tensor* ts[4] = {w1, b1, w2, b2};
  for (int i = 0; i < 4; ++i) p->sources[i] = ts[i] ? ts[i]->raw() : nullptr;
  if (w2->rank() == 4) {
    if (w2->dim(1) != 1 || w2->dim(0) <= 0) return InvalidArgument("W2 ", w2->Describe(), " is not depthwise");
    ONYX_ASSIGN_OR_RETURN(p->w2, PackConvWeights(*w2, w2->dim(0)));
    ONYX_ASSIGN_OR_RETURN(p->b2, PackConvBias(b2, w2->dim(0)));
  } else {
    p->w2 = *w2;
    if (b2) p->b2 = *b2;
  }
  const Tensor& pw2 = p->w2;
  if (pw2.rank() != 6 || pw2.dim(0) <= 0 || pw2.dim(1) != 1 || pw2.dim(4) != 1 || pw2.dim(5) != kBlock ||
      pw2.dim(2) <= 0 || pw2.dim(3) <= 0) {
    return InvalidArgument("W2 ", pw2.Describe(), " must be a packed depthwise convolution [Mb, 1, KH, KW, 1, 8]");
  }
  p->mb = pw2.dim(0);
  auto one_by_one = [](const Tensor& t, int64_t lanes) {
    return t.rank() == 6 && t.dim(2) == 1 && t.dim(3) == 1 && t.dim(4) == kBlock && t.dim(5) == lanes && t.size() > 0;
  };
  if (w1->rank() == 4) {
    if (w1->dim(2) != 1 || w1->dim(3) != 1) return InvalidArgument("W1 ", w1->Describe(), " is not a 1x1 convolution");
    if (BlockCount(w1->dim(0)) != p->mb) {
      return InvalidArgument("W1 ", w1->Describe(), " does not have the ", p->mb, " channel blocks of W2");
    }
    if (avx512) {
      ONYX_ASSIGN_OR_RETURN(p->pw, PackConvWeightsPairs(*w1, 1));
    } else {
      ONYX_ASSIGN_OR_RETURN(p->w1, PackConvWeights(*w1, 1));
    }
    ONYX_ASSIGN_OR_RETURN(p->b1, PackConvBias(b1, w1->dim(0)));
  } else if (one_by_one(*w1, 2 * kBlock)) {
    if (w1->dim(0) != PairCount(p->mb, 1)) {
      return InvalidArgument("W1 ", w1->Describe(), " does not hold the ", p->mb, " channel blocks of W2 in pairs");
    }
    p->pw = *w1;
    if (!avx512) {
      ONYX_ASSIGN_OR_RETURN(p->w1, UnpackPairWeights(*w1, 1, p->mb));
    }
    if (b1) p->b1 = *b1;
  } else if (one_by_one(*w1, kBlock)) {
    if (w1->dim(0) != p->mb) {
      return InvalidArgument("W2 ", pw2.Describe(), " must be a packed depthwise convolution [", w1->dim(0),
                             ", 1, KH, KW, 1, 8]");
    }
    p->w1 = *w1;
    if (avx512) {
      ONYX_ASSIGN_OR_RETURN(p->pw, PackPairWeights(p->w1, 1));
    }
    if (b1) p->b1 = *b1;
  } else {
    return InvalidArgument("W1 ", w1->Describe(),
                           " must be a packed 1x1 convolution [Mb, Cb, 1, 1, 8, 8] or [pairs, Cb, 1, 1, 8, 16]");
  }
  p->cb = (p->pw.defined() ? p->pw : p->w1).dim(1);
  for (const Tensor* b : {&p->b1, &p->b2}) {
    if (b->defined() && (b->rank() != 1 || b->dim(0) != p->mb * kBlock)) {
      return InvalidArgument("bias ", b->Describe(), " must be 1-D with ", p->mb * kBlock, " values");
    }
  }
  p->kh = pw2.dim(2);
  p->kw = pw2.dim(3);
  if (p->pw.defined() && p->b1.defined()) {
    ONYX_ASSIGN_OR_RETURN(p->pb, PackPairBias(p->b1, 1));
  }
  // Units of two pairs (32 output channels, the widest tile) over every input block.
  const int64_t pairs = (p->mb + 1) / 2;
  for (int64_t q = 0; q < pairs; q += 2) {
    const int np = static_cast<int>(std::min<int64_t>(2, pairs - q));
    p->units.push_back({q, 2 * q, 0, 0, p->cb, np, 2 * (q + np - 1) + 1 < p->mb});
  }
  return Status::Ok();
}

class NchwcConvDepthwiseKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(CheckAvx2(info));
    ONYX_RETURN_IF_ERROR(attrs_.Init(info, /*is_pool=*/false));
    ONYX_RETURN_IF_ERROR(ReadEpilogue(info, &expand_epilogue_, "expand_"));
    ONYX_RETURN_IF_ERROR(ReadEpilogue(info, &epilogue_));
    // Constant weights are prepared now; the default values of overridable initializers on the first run that uses
    // them, as NchwcConv does (see there).
    auto known = [&](size_t i) -> const Tensor* {
      const ir::Value* v = i < info.node().inputs().size() ? info.node().input(i) : nullptr;
      if (!v) return nullptr;
      const Tensor* t = info.constant_input(i);
      return t ? t : (v->is_graph_input() ? v->initializer() : nullptr);
    };
    auto present = [&](size_t i) { return i < info.node().inputs().size() && info.node().input(i); };
    auto overridable = [&](size_t i) { return present(i) && info.node().input(i)->is_graph_input(); };
    const Tensor *w1 = known(1), *b1 = known(2), *w2 = known(3), *b2 = known(4);
    if (w1 && w2 && (!present(2) || b1) && (!present(4) || b2)) {
      if (overridable(1) || overridable(2) || overridable(3) || overridable(4)) {
        const Tensor* ts[4] = {w1, b1, w2, b2};
        for (int i = 0; i < 4; ++i) default_sources_[i] = ts[i] ? ts[i]->raw() : nullptr;
        has_defaults_ = true;
      } else {
        Status st = Prepare(w1, b1, w2, b2, UseAvx512(), &prepared_);
        if (!st.ok()) return info.Error(st.message());
      }
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x || !ctx.input(1) || !ctx.input(3)) return ctx.Error("inputs X, W1 and W2 are required");
    const Tensor* ws[4] = {ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4)};
    const bool avx512 = UseAvx512();
    const Prepared* p = &prepared_;
    auto same_as = [&](const void* const(&sources)[4]) {
      for (int i = 0; i < 4; ++i) {
        if ((ws[i] ? ws[i]->raw() : nullptr) != sources[i]) return false;
      }
      return true;
    };
    if (has_defaults_ && same_as(default_sources_)) {
      // Written once under call_once and only read after it returns, so runs on several threads see it whole.
      std::call_once(default_once_, [&] {
        if (!Prepare(ws[0], ws[1], ws[2], ws[3], avx512, &default_prepared_).ok()) default_prepared_ = Prepared{};
      });
      p = &default_prepared_;
    }
    Prepared local;
    if (!p->Ready(avx512) || !same_as(p->sources)) {
      Status st = Prepare(ws[0], ws[1], ws[2], ws[3], avx512, &local);
      if (!st.ok()) return ctx.Error(st.message());
      p = &local;
    }
    if (x->type() != DataType::kFloat || x->rank() != 5 || x->dim(4) != kBlock || x->dim(1) != p->cb) {
      return ctx.Error("X ", x->Describe(), " must be a blocked float tensor [N, ", p->cb, ", H, W, 8]");
    }
    const std::vector<int64_t> window = {p->kh, p->kw};
    if (!attrs_.kernel_shape().empty() && attrs_.kernel_shape() != window) {
      return ctx.Error("kernel_shape ", ShapeToString(attrs_.kernel_shape()), " differs from W2's window ",
                       ShapeToString(window));
    }
    const int64_t n = x->dim(0), h = x->dim(2), w = x->dim(3);
    const int64_t in[2] = {h, w}, kernel[2] = {p->kh, p->kw};
    WindowGeometry g;
    Status st = attrs_.Resolve(in, kernel, &g);
    if (!st.ok()) return ctx.Error(st.message());
    ONYX_ASSIGN_OR_RETURN(Tensor * y,
                          ctx.OutputForOverwrite(0, DataType::kFloat, {n, p->mb, g.out[0], g.out[1], kBlock}));
    const Tensor* z = ctx.input(5);
    if (z && (z->type() != DataType::kFloat || z->shape() != y->shape())) {
      return ctx.Error("the residual input Z ", z->Describe(), " must be float of the output's shape ",
                       ShapeToString(y->shape()));
    }
    if (y->size() == 0) return Status::Ok();
    ConvImage dw{};
    dw.in_w = w;
    dw.out_h = g.out[0];
    dw.out_w = g.out[1];
    dw.kernel_h = p->kh;
    dw.kernel_w = p->kw;
    dw.stride_h = g.stride[0];
    dw.stride_w = g.stride[1];
    dw.dilation_h = g.dilation[0];
    dw.dilation_w = g.dilation[1];
    dw.w = p->w2.data<float>();
    dw.in_blocks_per_group = 1;
    dw.bias = p->b2.defined() ? p->b2.data<float>() : nullptr;
    dw.epilogue = epilogue_;
    dw.pad_left = g.pad_begin[1];
    if (!avx512) return RunUnfused(ctx, *p, x, z, y, g, dw);
    return RunBanded(ctx, *p, x, z, y, g, dw);
  }

 private:
  // The 1x1 convolution of pixels [p0, p1) of a plane of `pixels`, input blocks x_plane floats apart, into y (planes
  // of `pixels`).
  ConvImage Expand(const Prepared& p, const float* x, int64_t x_plane, int64_t pixels, float* y) const {
    ConvImage c{};
    c.x = x;
    c.x_plane = x_plane;
    c.in_h = c.out_h = 1;
    c.in_w = c.out_w = pixels;
    c.kernel_h = c.kernel_w = c.stride_h = c.stride_w = c.dilation_h = c.dilation_w = 1;
    c.w = p.w1.data<float>();
    c.in_blocks_per_group = p.cb;
    c.bias = p.b1.defined() ? p.b1.data<float>() : nullptr;
    c.y = y;
    c.epilogue = expand_epilogue_;
    return c;
  }

  Status RunBanded(KernelContext& ctx, const Prepared& p, const Tensor* x, const Tensor* z, Tensor* y,
                   const WindowGeometry& g, const ConvImage& dw) const {
    const int64_t n = x->dim(0), h = x->dim(2), w = x->dim(3), oh = g.out[0];
    const int64_t reach = (p.kh - 1) * dw.dilation_h + 1, s = dw.stride_h, pad_top = g.pad_begin[0];
    const int64_t row_floats = p.mb * w * kBlock;
    const int64_t budget_rows = std::max(reach, kBandBytes / (row_floats * static_cast<int64_t>(sizeof(float))));
    const int64_t band = std::max<int64_t>(1, (budget_rows - reach) / s + 1);
    const int64_t cap_rows = std::min(h, (band - 1) * s + reach);
    const int64_t buffer_floats = (cap_rows * row_floats + 15) / 16 * 16;
    const int64_t threads = ctx.thread_pool() ? ctx.thread_pool()->threads() : 1;
    // Ranges of output rows: one per image on one thread (nothing computed twice); with more threads enough to share
    // them out, each range costing one band's overlap again.
    const int64_t ranges = threads == 1 ? 1 : std::min(oh, std::max<int64_t>(1, (2 * threads + n - 1) / n));
    const int64_t tasks = n * ranges;
    const int64_t slots = std::min(tasks, std::min<int64_t>(threads, 64));
    ONYX_ASSIGN_OR_RETURN(Tensor scratch, ctx.Allocate(DataType::kFloat, {slots * 2 * buffer_floats}, /*zero=*/false));
    std::atomic<uint64_t> free_slots{slots >= 64 ? ~uint64_t{0} : (uint64_t{1} << slots) - 1};
    const PairConv pc{p.pw.data<float>(), p.pb.defined() ? p.pb.data<float>() : nullptr, kBlock,
                      p.pw.size() * static_cast<int64_t>(sizeof(float))};
    const float* xd = x->data<float>();
    const float* zd = z ? z->data<float>() : nullptr;
    float* yd = y->data<float>();
    const int64_t in_image = p.cb * h * w * kBlock, out_image = p.mb * oh * dw.out_w * kBlock;
    const double flops =
        2.0 * static_cast<double>(n * p.mb * kBlock) *
        (static_cast<double>(h * w * p.cb * kBlock) + static_cast<double>(oh * dw.out_w * p.kh * p.kw));
    ThreadPool::For(
        ctx.thread_pool(), tasks,
        [&](int64_t begin, int64_t end) {
          const int slot = ClaimSlot(free_slots);
          std::vector<float> own;  // only if the pool ran more blocks at once than it has threads
          float* buffers;
          if (slot >= 0) {
            buffers = scratch.data<float>() + slot * 2 * buffer_floats;
          } else {
            own.resize(static_cast<size_t>(2 * buffer_floats));
            buffers = own.data();
          }
          for (int64_t t = begin; t < end; ++t) {
            const int64_t img = t / ranges, r = t % ranges;
            const int64_t r0 = r * oh / ranges, r1 = (r + 1) * oh / ranges;
            const float* xi = xd + img * in_image;
            ConvImage c = dw;
            c.y = yd + img * out_image;
            c.z = zd ? zd + img * out_image : nullptr;
            int cur = 0;
            int64_t have_lo = 0, have_hi = 0;  // expanded rows in buffer `cur`
            for (int64_t o0 = r0; o0 < r1; o0 += band) {
              const int64_t o1 = std::min(r1, o0 + band);
              const int64_t lo = std::clamp<int64_t>(o0 * s - pad_top, 0, h);
              const int64_t hi = std::clamp<int64_t>((o1 - 1) * s - pad_top + reach, lo, h);
              float* next = buffers + (cur ^ 1) * buffer_floats;
              const int64_t plane = (hi - lo) * w * kBlock;
              int64_t from = lo;  // rows from here on are computed
              if (have_lo <= lo && lo < have_hi) {
                const int64_t keep = std::min(hi, have_hi) - lo, old_plane = (have_hi - have_lo) * w * kBlock;
                const float* prev = buffers + cur * buffer_floats + (lo - have_lo) * w * kBlock;
                for (int64_t b = 0; b < p.mb; ++b) {
                  std::memcpy(next + b * plane, prev + b * old_plane,
                              static_cast<size_t>(keep * w * kBlock) * sizeof(float));
                }
                from = lo + keep;
              }
              if (from < hi) {
                const ConvImage e = Expand(p, xi + lo * w * kBlock, h * w * kBlock, (hi - lo) * w, next);
                for (const PairUnit& u : p.units) ConvPairs_Avx512(e, pc, u, 0, 1, (from - lo) * w, (hi - lo) * w);
              }
              c.x = next;
              c.in_h = hi - lo;
              c.pad_top = pad_top + lo;  // output row o reads expanded row o * s - pad_top, buffer row that - lo
              for (int64_t b = 0; b < p.mb; ++b) DepthwiseRows_Avx512(c, b, o0, o1);
              cur ^= 1;
              have_lo = lo;
              have_hi = hi;
            }
          }
          if (slot >= 0) free_slots.fetch_or(uint64_t{1} << slot, std::memory_order_release);
        },
        MinBlockOfTasks(flops, tasks));
    return Status::Ok();
  }

  // Without AVX-512 (a model optimized on a machine with it, run on one without): the two convolutions one after the
  // other through the AVX2 tiles, the expanded tensor whole and then copied with the depthwise padding.
  Status RunUnfused(KernelContext& ctx, const Prepared& p, const Tensor* x, const Tensor* z, Tensor* y,
                    const WindowGeometry& g, ConvImage dw) const {
    const int64_t n = x->dim(0), h = x->dim(2), w = x->dim(3);
    const int64_t ph = h + g.pad_begin[0] + g.pad_end[0], pw = w + g.pad_begin[1] + g.pad_end[1];
    int64_t mid_floats = 0, padded_floats = 0;
    if (!CheckedMul(n * p.mb, h * w * kBlock, &mid_floats)) return ctx.Error("the expanded tensor's size overflows");
    if (!CheckedMul(n * p.mb, ph * pw * kBlock, &padded_floats)) return ctx.Error("the padded tensor's size overflows");
    ONYX_ASSIGN_OR_RETURN(Tensor mid, ctx.Allocate(DataType::kFloat, {mid_floats}, /*zero=*/false));
    ONYX_ASSIGN_OR_RETURN(Tensor padded, ctx.Allocate(DataType::kFloat, {padded_floats}, /*zero=*/true));
    const int64_t pixels = h * w, in_image = p.cb * pixels * kBlock, mid_image = p.mb * pixels * kBlock;
    ThreadPool::For(
        ctx.thread_pool(), n * p.mb,
        [&](int64_t begin, int64_t end) {
          for (int64_t t = begin; t < end; ++t) {
            const int64_t img = t / p.mb, ob = t % p.mb;
            const ConvImage e =
                Expand(p, x->data<float>() + img * in_image, 0, pixels, mid.data<float>() + img * mid_image);
            ConvBlocks_Avx2(e, ob, 1, 0, 0, p.cb, 0, pixels);
            float* dst = padded.data<float>() + t * ph * pw * kBlock;
            const float* src = mid.data<float>() + t * pixels * kBlock;
            for (int64_t r = 0; r < h; ++r) {
              std::memcpy(dst + ((r + g.pad_begin[0]) * pw + g.pad_begin[1]) * kBlock, src + r * w * kBlock,
                          static_cast<size_t>(w * kBlock) * sizeof(float));
            }
          }
        },
        1);
    dw.in_h = ph;
    dw.in_w = pw;
    dw.pad_left = 0;
    const int64_t out_pixels = dw.out_h * dw.out_w, out_image = p.mb * out_pixels * kBlock;
    ThreadPool::For(
        ctx.thread_pool(), n * p.mb,
        [&](int64_t begin, int64_t end) {
          for (int64_t t = begin; t < end; ++t) {
            const int64_t img = t / p.mb;
            ConvImage c = dw;
            c.x = padded.data<float>() + img * p.mb * ph * pw * kBlock;
            c.y = y->data<float>() + img * out_image;
            c.z = z ? z->data<float>() + img * out_image : nullptr;
            DepthwiseBlock_Avx2(c, t % p.mb, 0, out_pixels);
          }
        },
        1);
    return Status::Ok();
  }

  ConvPoolAttrs attrs_;
  Epilogue expand_epilogue_, epilogue_;
  Prepared prepared_;  // from the constant weights, when the kernel is made
  // The default values of overridable initializers (their data), prepared on the first run that uses them.
  bool has_defaults_ = false;
  const void* default_sources_[4] = {};
  mutable std::once_flag default_once_;
  mutable Prepared default_prepared_;
};

Status InferNchwcConvDepthwise(ir::InferenceContext& ctx) {
  std::vector<int64_t> kernel;
  ir::Dim blocks;
  if (const ir::SymShape* ws = ctx.input_shape(3); ws && ws->size() == 6) {
    blocks = (*ws)[0];
    if ((*ws)[2].known() && (*ws)[3].known()) kernel = {(*ws)[2].value, (*ws)[3].value};
  }
  InferBlockedWindowed(ctx, /*is_pool=*/false, kernel, blocks);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(NchwcConvDepthwiseKernel,
                     KernelDef("CPU", "com.onyx", "NchwcConvDepthwise").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "NchwcConvDepthwise", InferNchwcConvDepthwise);

}  // namespace onyx::cpu::nchwc

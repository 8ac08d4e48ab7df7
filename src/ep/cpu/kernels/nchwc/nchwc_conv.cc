// com.onyx:NchwcConv (written by the NchwcLayout pass, see docs/FUSED_OPERATORS.md): a 2-D convolution over
// blocked tensors [N, C/8, H, W, 8] with weights packed once by the pass, plus FusedConv's residual Z and
// activation. Direct convolution: the tiles never check bounds, so an input with pads (or one that arrives as NCHW)
// is read through zero-bordered copies: a band of rows per task on the AVX-512 path (RunPairs), the whole image
// for the AVX2 tiles (ukernels/float_nchwc_conv__avx2.cc).
#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <mutex>
#include <utility>

#include "common/checked_math.h"
#include "common/thread_pool.h"
#include "ep/cpu/kernels/nchwc/nchwc_util.h"
#include "ep/cpu/kernels/nn/conv_pool_attrs.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::nchwc {
namespace {

struct Layout {
  bool nchw_input = false, depthwise = false;
  bool nhwc_input = false;  // with nchw_input: X is [N, H, W, C] (attribute channels_last_input)
  int64_t n = 0, in_blocks = 0, channels = 0, h = 0, w = 0;  // channels: real count of an NCHW input
  int64_t out_blocks = 0, in_blocks_per_group = 0, kh = 0, kw = 0;
};

// The input blocks each output block reads: from its first to its last with a nonzero weight in W (either packing,
// see BlockWeights). A grouped convolution the layout pass wrote as a dense one has zero blocks outside each group's
// band.
struct Band {
  int64_t lo = 0, hi = 0;
};
std::vector<Band> BlockBands(const Tensor& w, int64_t group, int64_t mb) {
  const int64_t cbg = w.dim(1), rows = w.dim(2) * w.dim(3) * kBlock;
  std::vector<Band> bands(static_cast<size_t>(mb));
  for (int64_t ob = 0; ob < mb; ++ob) {
    Band& b = bands[static_cast<size_t>(ob)];
    b.lo = cbg;
    for (int64_t cb = 0; cb < cbg; ++cb) {
      int64_t ld = 0;
      const float* blk = BlockWeights(w, group, mb, ob, cb, &ld);
      // The bits of every weight but the sign OR-ed together, a tap's rows at a time: a loop the compiler vectorizes
      // (a test per float took a fifth of ShuffleNet's kernel creation, whose dense blocks are mostly zero).
      uint32_t bits = 0;
      for (int64_t r0 = 0; r0 < rows && bits == 0; r0 += kBlock) {
        for (int64_t r = r0; r < std::min(rows, r0 + kBlock); ++r) {
          for (int64_t o = 0; o < kBlock; ++o) bits |= std::bit_cast<uint32_t>(blk[r * ld + o]) & 0x7fffffffu;
        }
      }
      if (bits != 0) {
        b.lo = std::min(b.lo, cb);
        b.hi = cb + 1;
      }
    }
    if (b.hi == 0) b.lo = 0;  // no weights at all: the output is the bias
  }
  return bands;
}

Band Union(const Band& a, const Band& b) {
  if (a.hi == a.lo) return b;
  if (b.hi == b.lo) return a;
  return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)};
}

// Units of one or two pairs of a group (AVX-512; a pair is two output blocks) or, with pair_blocks 1, of one or two
// output blocks (AVX2). Two neighbours share a unit (the input is read once for both) unless that would widen the
// band either reads by more than a quarter.
struct Unit {
  int64_t first, ob, in_block, w_block, blocks;
  int count;
  bool last_high;
};
std::vector<Unit> MakeUnits(const std::vector<Band>& bands, int64_t group, int64_t cbg, int64_t pair_blocks) {
  const int64_t mbg = static_cast<int64_t>(bands.size()) / group, per_group = (mbg + pair_blocks - 1) / pair_blocks;
  auto band_of = [&](int64_t gi, int64_t j) {
    Band b;
    for (int64_t k = j * pair_blocks; k < std::min(mbg, (j + 1) * pair_blocks); ++k) {
      b = Union(b, bands[static_cast<size_t>(gi * mbg + k)]);
    }
    return b;
  };
  std::vector<Unit> units;
  for (int64_t gi = 0; gi < group; ++gi) {
    for (int64_t j = 0; j < per_group;) {
      Band band = band_of(gi, j);
      int count = 1;
      if (j + 1 < per_group) {
        const Band next = band_of(gi, j + 1), both = Union(band, next);
        if (4 * (both.hi - both.lo) <= 5 * std::max(band.hi - band.lo, next.hi - next.lo)) {
          band = both;
          count = 2;
        }
      }
      const bool last_high = (j + count) * pair_blocks <= mbg;
      units.push_back({gi * per_group + j, gi * mbg + j * pair_blocks, gi * cbg + band.lo, band.lo, band.hi - band.lo,
                       count, last_high});
      j += count;
    }
  }
  return units;
}

// The band of padded (or gathered) input rows a thread holds during one RunPairs call (told apart by `call`, a
// number no other call has): a slot of that call's scratch, and the (image, chunk) it was last filled with.
struct BandState {
  uint64_t call = 0;
  float* band = nullptr;
  int64_t loaded = -1;
};
thread_local BandState tls_band;
std::atomic<uint64_t> next_band_call{0};

// The weights and bias as the tiles read them, and the data they were made from. Only the packing the tiles in use
// read is made (the pair packing for the AVX-512 tiles, the 8 x 8 one for the AVX2 tiles); a packed constant from
// the layout pass is used as it is, not copied.
struct Prepared {
  const void* w_source = nullptr;
  const void* b_source = nullptr;
  Tensor w8, b8;  // [Mb, Cb/group, KH, KW, 8, 8] (depthwise [Cb, 1, KH, KW, 1, 8]) and [Mb * 8] (empty: no bias)
  Tensor pw, pb;  // pair-packed [pairs, Cb/group, KH, KW, 8, 16] and [pairs * 16]
  int64_t out_blocks = 0, in_blocks_per_group = 0, kh = 0, kw = 0;
  bool depthwise = false;
  std::vector<Band> bands;
  // Whether it holds what the tiles chosen by PairTiles read.
  bool Ready(bool pairs) const { return pairs ? pw.defined() : w8.defined(); }
};

class NchwcConvKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(CheckAvx2(info));
    ONYX_RETURN_IF_ERROR(attrs_.Init(info, /*is_pool=*/false));
    ONYX_RETURN_IF_ERROR(info.GetInt("group", &group_, int64_t{1}));
    if (group_ <= 0) return info.Error("group must be positive, got ", group_);
    ONYX_RETURN_IF_ERROR(info.GetInt("out_blocks", &out_blocks_, int64_t{0}));
    std::vector<int64_t> strides;
    ONYX_RETURN_IF_ERROR(info.GetInts("strides", &strides, std::vector<int64_t>{}));
    stride_w_ = strides.size() == 2 ? strides[1] : 1;
    ONYX_RETURN_IF_ERROR(ReadEpilogue(info, &epilogue_));
    int64_t nhwc = 0;
    ONYX_RETURN_IF_ERROR(info.GetInt("channels_last_input", &nhwc, int64_t{0}));
    if (nhwc != 0 && nhwc != 1) return info.Error("channels_last_input must be 0 or 1, got ", nhwc);
    nhwc_input_ = nhwc == 1;
    // Constant weights are prepared now (packed by the layout pass, they are used as they are). The default value
    // of an overridable initializer (which the pass leaves unpacked) is packed on the first run that uses it, not
    // here: a session whose runs feed other weights never packs it, and creation does not pay for a packing that
    // onnxruntime does not do for such weights either (the NCHWc kernels of old models whose initializers are all
    // inputs were a third of their session creation). Runs that feed other weights prepare theirs; Compute tells
    // them apart by the data they point to.
    auto known = [&](size_t i) -> const Tensor* {
      const ir::Value* v = info.node().input(i);
      if (!v) return nullptr;
      const Tensor* t = info.constant_input(i);
      return t ? t : (v->is_graph_input() ? v->initializer() : nullptr);
    };
    // constant_input also gives an overridable initializer's default value.
    auto overridable = [&](size_t i) {
      const ir::Value* v = info.node().input(i);
      return v && v->is_graph_input();
    };
    const bool has_b = info.node().input(2) != nullptr;
    const Tensor* w = known(1);
    const Tensor* b = known(2);
    if (!w || (has_b && !b)) return Status::Ok();
    if (!overridable(1) && !overridable(2)) {
      if (!Prepare(*w, b, UseAvx512(), &prepared_).ok()) prepared_ = Prepared{};
    } else {
      default_w_ = w->data<float>();
      default_b_ = b ? b->data<float>() : nullptr;
    }
    return Status::Ok();
  }

  // Whether the AVX-512 pair tiles run this convolution (as Compute decides: RunPairs, not depthwise, stride_w 1 or
  // 2, see PairConvSupported).
  bool PairTiles(bool avx512, bool depthwise) const {
    return avx512 && !depthwise && (stride_w_ == 1 || stride_w_ == 2);
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* wt = ctx.input(1);
    const Tensor* bt = ctx.input(2);
    if (!ctx.input(0) || !wt) return ctx.Error("inputs X and W are required");
    const bool avx512 = UseAvx512();
    const Prepared* p = &prepared_;
    const float* bdata = bt ? bt->data<float>() : nullptr;
    if (default_w_ && wt->data<float>() == default_w_ && bdata == default_b_) {
      // Written once under call_once and only read after it returns, so runs on several threads see it whole.
      std::call_once(default_once_, [&] {
        if (!Prepare(*wt, bt, avx512, &default_prepared_).ok()) default_prepared_ = Prepared{};
      });
      p = &default_prepared_;
    }
    Prepared local;
    if (wt->data<float>() != p->w_source || bdata != p->b_source || !p->Ready(PairTiles(avx512, p->depthwise))) {
      Status st = Prepare(*wt, bt, avx512, &local);
      if (!st.ok()) return ctx.Error(st.message());
      p = &local;
    }
    Layout l;
    ONYX_RETURN_IF_ERROR(CheckInputs(ctx, *p, &l));
    const int64_t in[2] = {l.h, l.w}, kernel[2] = {l.kh, l.kw};
    WindowGeometry g;
    Status st = attrs_.Resolve(in, kernel, &g);
    if (!st.ok()) return ctx.Error(st.message());
    // Every output block and pixel is written by exactly one tile.
    ONYX_ASSIGN_OR_RETURN(Tensor * y,
                          ctx.OutputForOverwrite(0, DataType::kFloat, {l.n, l.out_blocks, g.out[0], g.out[1], kBlock}));
    const Tensor* z = ctx.input(3);
    if (z && (z->type() != DataType::kFloat || z->shape() != y->shape())) {
      return ctx.Error("the residual input Z ", z->Describe(), " must be float of the output's shape ",
                       ShapeToString(y->shape()));
    }
    if (y->size() == 0) return Status::Ok();

    ConvImage c{};
    c.in_h = l.h + g.pad_begin[0] + g.pad_end[0];
    c.in_w = l.w + g.pad_begin[1] + g.pad_end[1];
    c.out_h = g.out[0];
    c.out_w = g.out[1];
    c.kernel_h = l.kh;
    c.kernel_w = l.kw;
    c.stride_h = g.stride[0];
    c.stride_w = g.stride[1];
    c.dilation_h = g.dilation[0];
    c.dilation_w = g.dilation[1];
    c.w = p->w8.data<float>();
    c.in_blocks_per_group = l.in_blocks_per_group;
    c.bias = p->b8.defined() ? p->b8.data<float>() : nullptr;
    c.epilogue = epilogue_;
    const int64_t in_image = l.in_blocks * c.in_h * c.in_w * kBlock;
    const int64_t out_image = l.out_blocks * c.out_h * c.out_w * kBlock;

    const float* x = ctx.input(0)->data<float>();
    if (l.depthwise && avx512) return RunDepthwise(ctx, l, g, c, x, z, y);
    Tensor padded;
    const bool has_pad = g.pad_begin[0] || g.pad_begin[1] || g.pad_end[0] || g.pad_end[1];
    const bool pairs = PairTiles(avx512, l.depthwise) && PairConvSupported(c);
    if (pairs && (has_pad || l.nchw_input) && PadsPerTask(c, ctx)) {
      return RunPairs(ctx, *p, l, c, in_image, out_image, x, z, y, &g);
    }
    if (has_pad || l.nchw_input) {
      int64_t elems = 0;
      if (!CheckedMul(l.n, in_image, &elems)) return ctx.Error("padded input size overflows");
      ONYX_ASSIGN_OR_RETURN(padded, ctx.Allocate(DataType::kFloat, {elems}, /*zero=*/false));
      CopyPadded(ctx, l, g, x, padded.data<float>(), c.in_h, c.in_w);
      x = padded.data<float>();
    }

    if (pairs) return RunPairs(ctx, *p, l, c, in_image, out_image, x, z, y, nullptr);

    // Work units: one or two output blocks of one group (depthwise: one block), for every image and a range
    // of output pixels; tasks are ordered so that one thread walks the pixels of a unit with its weights hot.
    std::vector<Unit> units;
    if (l.depthwise) {
      for (int64_t b = 0; b < l.out_blocks; ++b) units.push_back({b, b, b, 0, 1, 1, false});
    } else {
      units = MakeUnits(p->bands, group_, l.in_blocks_per_group, 1);
    }
    const int64_t pixels = c.out_h * c.out_w;
    const int64_t tile = l.depthwise ? 8 : 6;
    const int64_t threads = ctx.thread_pool() ? ctx.thread_pool()->threads() : 1;
    const int64_t base_tasks = l.n * static_cast<int64_t>(units.size());
    int64_t chunks = 1;
    if (threads > 1 && base_tasks < 4 * threads)
      chunks = std::min((4 * threads + base_tasks - 1) / base_tasks, (pixels + 47) / 48);
    chunks = std::max<int64_t>(chunks, 1);
    const int64_t chunk_px = ((pixels + chunks - 1) / chunks + tile - 1) / tile * tile;
    chunks = (pixels + chunk_px - 1) / chunk_px;
    const float* zdata = z ? z->data<float>() : nullptr;
    float* ydata = y->data<float>();
    const int64_t n_units = static_cast<int64_t>(units.size());
    ThreadPool::For(
        ctx.thread_pool(), base_tasks * chunks,
        [&](int64_t begin, int64_t end) {
          for (int64_t t = begin; t < end; ++t) {
            const int64_t chunk = t % chunks, u = (t / chunks) % n_units, img = t / (chunks * n_units);
            ConvImage ci = c;
            ci.x = x + img * in_image;
            ci.y = ydata + img * out_image;
            ci.z = zdata ? zdata + img * out_image : nullptr;
            const int64_t p0 = chunk * chunk_px, p1 = std::min(pixels, p0 + chunk_px);
            if (l.depthwise) {
              DepthwiseBlock_Avx2(ci, units[u].ob, p0, p1);
            } else {
              ConvBlocks_Avx2(ci, units[u].ob, units[u].count, units[u].in_block, units[u].w_block, units[u].blocks, p0,
                              p1);
            }
          }
        },
        1);
    return Status::Ok();
  }

 private:
  // The weights and bias as the tiles read them (the pair packing when PairTiles(avx512), else the 8 x 8 one) from W
  // in any form NchwcConv takes: standard [M, C/group, KH, KW] (weights fed at run time, or overridable
  // initializers), packed [Mb, Cb/group, KH, KW, 8, 8] or depthwise [Cb, 1, KH, KW, 1, 8], or pair-packed [pairs,
  // Cb/group, KH, KW, 8, 16] with the out_blocks attribute (what the layout pass writes for the AVX-512 tiles); and
  // each output block's band of input blocks.
  Status Prepare(const Tensor& w, const Tensor* b, bool avx512, Prepared* p) const {
    if (w.type() != DataType::kFloat || (b && b->type() != DataType::kFloat)) {
      return InvalidArgument("X, W and B must be float");
    }
    p->w_source = w.data<float>();
    p->b_source = b ? b->data<float>() : nullptr;
    if (w.rank() == 4) {
      p->depthwise = group_ > 1 && w.dim(1) == 1 && w.dim(0) == group_;
      if (PairTiles(avx512, p->depthwise)) {
        ONYX_ASSIGN_OR_RETURN(p->pw, PackConvWeightsPairs(w, group_));
        p->out_blocks = group_ * BlockCount(w.dim(0) / group_);
      } else {
        ONYX_ASSIGN_OR_RETURN(p->w8, PackConvWeights(w, group_));
        p->out_blocks = p->w8.dim(0);
      }
      if (b) {
        if (b->rank() != 1 || b->dim(0) != w.dim(0)) {
          return InvalidArgument("B ", b->Describe(), " must be 1-D with ", w.dim(0), " values");
        }
        ONYX_ASSIGN_OR_RETURN(p->b8, PackConvBias(b, w.dim(0)));
      }
    } else if (w.rank() == 6 && w.dim(4) == kBlock && w.dim(5) == 2 * kBlock) {
      if (out_blocks_ <= 0 || out_blocks_ % group_ != 0 || PairCount(out_blocks_, group_) != w.dim(0)) {
        return InvalidArgument("pair-packed W ", w.Describe(), " needs the out_blocks attribute (a multiple of group ",
                               group_, " with ", w.dim(0), " pairs), got ", out_blocks_);
      }
      p->out_blocks = out_blocks_;
      p->pw = w;
      if (!PairTiles(avx512, false)) {
        ONYX_ASSIGN_OR_RETURN(p->w8, UnpackPairWeights(w, group_, out_blocks_));
      }
      if (b) p->b8 = *b;
    } else if (w.rank() == 6 && w.dim(5) == kBlock && (w.dim(4) == kBlock || w.dim(4) == 1)) {
      p->depthwise = w.dim(4) == 1;
      p->out_blocks = w.dim(0);
      p->w8 = w;
      if (b) p->b8 = *b;
      if (PairTiles(avx512, p->depthwise) && w.dim(0) % group_ == 0 && w.size() > 0) {
        ONYX_ASSIGN_OR_RETURN(p->pw, PackPairWeights(w, group_));
      }
    } else {
      return InvalidArgument("W ", w.Describe(),
                             " is not packed as [Mb, Cb/group, KH, KW, 8, 8], [pairs, Cb/group, KH, KW, 8, 16] or [Cb, "
                             "1, KH, KW, 1, 8]");
    }
    const Tensor& packed = p->pw.defined() ? p->pw : p->w8;
    p->in_blocks_per_group = packed.dim(1);
    p->kh = packed.dim(2);
    p->kw = packed.dim(3);
    if (p->depthwise || p->out_blocks % group_ != 0 || p->in_blocks_per_group <= 0 || packed.size() == 0) {
      return Status::Ok();
    }
    p->bands = BlockBands(packed, group_, p->out_blocks);
    if (p->pw.defined() && p->b8.defined() && p->b8.rank() == 1 && p->b8.size() == p->out_blocks * kBlock) {
      ONYX_ASSIGN_OR_RETURN(p->pb, PackPairBias(p->b8, group_));
    }
    return Status::Ok();
  }

  Status CheckInputs(KernelContext& ctx, const Prepared& p, Layout* l) const {
    const Tensor* x = ctx.input(0);
    const Tensor* w = p.pw.defined() ? &p.pw : &p.w8;
    const Tensor* b = p.b8.defined() || ctx.input(2) ? &p.b8 : nullptr;
    if (x->type() != DataType::kFloat) return ctx.Error("X, W and B must be float");
    l->depthwise = p.depthwise;
    l->out_blocks = p.out_blocks;
    l->in_blocks_per_group = p.in_blocks_per_group;
    l->kh = p.kh;
    l->kw = p.kw;
    if (l->kh <= 0 || l->kw <= 0 || l->in_blocks_per_group <= 0) return ctx.Error("W ", w->Describe(), " is empty");
    l->n = x->dim(0);
    if (nhwc_input_) {
      if (x->rank() != 4 || l->depthwise || group_ != 1) {
        return ctx.Error("X ", x->Describe(),
                         " must be [N, H, W, C] (channels_last_input) for an ungrouped convolution");
      }
      l->nchw_input = l->nhwc_input = true;
      l->channels = x->dim(3);
      l->in_blocks = BlockCount(l->channels);
      l->h = x->dim(1);
      l->w = x->dim(2);
    } else if (x->rank() == 5 && x->dim(4) == kBlock) {
      l->in_blocks = x->dim(1);
      l->h = x->dim(2);
      l->w = x->dim(3);
    } else if (x->rank() == 4 && !l->depthwise && group_ == 1) {
      l->nchw_input = true;
      l->channels = x->dim(1);
      l->in_blocks = BlockCount(l->channels);
      l->h = x->dim(2);
      l->w = x->dim(3);
    } else {
      return ctx.Error("X ", x->Describe(), " must be blocked [N, Cb, H, W, 8] (or NCHW for an ungrouped convolution)");
    }
    if (l->depthwise) {
      if (l->in_blocks_per_group != 1 || l->in_blocks != l->out_blocks) {
        return ctx.Error("depthwise W ", w->Describe(), " does not match X ", x->Describe());
      }
    } else if (l->out_blocks % group_ != 0 || l->in_blocks != group_ * l->in_blocks_per_group) {
      return ctx.Error("X ", x->Describe(), " has ", l->in_blocks, " channel blocks but W ", w->Describe(),
                       " with group ", group_, " expects ", group_ * l->in_blocks_per_group);
    }
    if (l->nchw_input && l->channels <= 0) return ctx.Error("X ", x->Describe(), " has no channels");
    if (b && (b->rank() != 1 || b->dim(0) != l->out_blocks * kBlock)) {
      return ctx.Error("B ", b->Describe(), " must be 1-D with ", l->out_blocks * kBlock, " values");
    }
    const std::vector<int64_t> kernel = {l->kh, l->kw};
    if (!attrs_.kernel_shape().empty() && attrs_.kernel_shape() != kernel) {
      return ctx.Error("kernel_shape ", ShapeToString(attrs_.kernel_shape()), " differs from W's window ",
                       ShapeToString(kernel));
    }
    return Status::Ok();
  }

  // Depthwise with AVX-512 reads the input unpadded; tasks are (image, block, chunk of rows).
  Status RunDepthwise(KernelContext& ctx, const Layout& l, const WindowGeometry& g, ConvImage c, const float* x,
                      const Tensor* z, Tensor* y) const {
    c.in_h = l.h;
    c.in_w = l.w;
    c.pad_top = g.pad_begin[0];
    c.pad_left = g.pad_begin[1];
    const int64_t in_image = l.in_blocks * c.in_h * c.in_w * kBlock;
    const int64_t out_image = l.out_blocks * c.out_h * c.out_w * kBlock;
    const int64_t threads = ctx.thread_pool() ? ctx.thread_pool()->threads() : 1;
    const int64_t planes = l.n * l.out_blocks;
    const int64_t chunks = threads > 1 ? std::min(c.out_h, (4 * threads + planes - 1) / planes) : 1;
    const int64_t step = (c.out_h + chunks - 1) / chunks;
    const float* zdata = z ? z->data<float>() : nullptr;
    float* ydata = y->data<float>();
    ThreadPool::For(
        ctx.thread_pool(), planes * chunks,
        [&](int64_t begin, int64_t end) {
          for (int64_t t = begin; t < end; ++t) {
            const int64_t chunk = t % chunks, plane = t / chunks, img = plane / l.out_blocks, b = plane % l.out_blocks;
            ConvImage ci = c;
            ci.x = x + img * in_image;
            ci.y = ydata + img * out_image;
            ci.z = zdata ? zdata + img * out_image : nullptr;
            DepthwiseRows_Avx512(ci, b, chunk * step, std::min(c.out_h, (chunk + 1) * step));
          }
        },
        MinBlockOfTasks(
            static_cast<double>(planes * chunks * step * c.out_w * kBlock * (2 * c.kernel_h * c.kernel_w + 8)),
            planes * chunks));
    return Status::Ok();
  }

  // Whether RunPairs can pad (or block an NCHW input) per task: not for the layouts it reshapes (strided and flat
  // 1x1 convolutions, columns), nor for more threads than its slot mask holds.
  static bool PadsPerTask(const ConvImage& c, KernelContext& ctx) {
    const int64_t threads = ctx.thread_pool() ? ctx.thread_pool()->threads() : 1;
    return !(c.kernel_h == 1 && c.kernel_w == 1) && !(c.out_w == 1 && c.in_w == 1) && threads <= 64;
  }

  // The AVX-512 path: units of one or two block pairs of a group; tasks walk every unit over a chunk of output rows
  // (units vary fastest, so the chunk's input stays in the cache while the units' weights pass over it). With `pad`
  // (the input as it arrived, unpadded or NCHW), each thread copies the padded rows of its chunk into a band of its
  // own before it runs the chunk's units: the copy is shared out between the threads like the convolution (a copy of
  // the whole input ran on one thread, up to a tenth of a small convolution's time on two), and the tiles read the
  // band from the cache it was just written to.
  Status RunPairs(KernelContext& ctx, const Prepared& p, const Layout& l, ConvImage c, int64_t in_image,
                  int64_t out_image, const float* x, const Tensor* z, Tensor* y, const WindowGeometry* pad) const {
    const PairConv pc{p.pw.data<float>(), p.pb.defined() ? p.pb.data<float>() : nullptr,
                      l.nchw_input && l.channels < kBlock ? l.channels : kBlock,
                      p.pw.size() * static_cast<int64_t>(sizeof(float))};
    // A strided 1x1 convolution reads every s-th pixel, a cache line each time a unit passes over it, and its
    // tiles get one or two output rows: its input is gathered into a compact plane once (a quarter of the input
    // for stride 2) and the convolution runs flat over that with unit strides (ResNet's downsampling 1x1s ran at
    // 100-165 GFLOP/s, the stride-1 ones at 160-200).
    Tensor gathered;
    const int64_t threads = ctx.thread_pool() ? ctx.thread_pool()->threads() : 1;
    // With several threads each gathers the rows of its chunk into its band (as `pad` does): a gather of the whole
    // input ran on one thread whenever its planes were small.
    // Output rows of a full tile or wider are read in place (stride 2 in the tiles): the gather costs more than it
    // saves there (3% on 56->28 and 28->14, run alone); narrower ones are gathered, so the flat plane fills tiles
    // (10% on 14->7).
    const int64_t gather_sh = c.stride_h, gather_sw = c.stride_w;
    const bool strided_1x1 = c.kernel_h == 1 && c.kernel_w == 1 && (c.stride_h > 1 || c.stride_w > 1);
    const bool in_place = strided_1x1 && c.out_w >= 14;
    const bool gather_band = !in_place && !pad && !l.nchw_input && strided_1x1 && threads > 1 && threads <= 64;
    if (in_place) {
      // the tiles read every stride_h-th row and stride_w-th pixel of the input as it is
    } else if (gather_band) {
      c.in_h = c.out_h;
      c.in_w = c.out_w;
      c.stride_h = c.stride_w = 1;
    } else if (c.kernel_h == 1 && c.kernel_w == 1 && (c.stride_h > 1 || c.stride_w > 1)) {
      const int64_t planes = l.n * l.in_blocks, plane = c.out_h * c.out_w * kBlock;
      ONYX_ASSIGN_OR_RETURN(gathered, ctx.Allocate(DataType::kFloat, {planes * plane}, /*zero=*/false));
      float* dst = gathered.data<float>();
      const int64_t in_plane = c.in_h * c.in_w * kBlock;
      ThreadPool::For(ctx.thread_pool(), planes, 0.5 * static_cast<double>(c.out_h * c.out_w),
                      [&](int64_t begin, int64_t end) {
                        for (int64_t i = begin; i < end; ++i) {
                          const float* src = x + i * in_plane;
                          float* d = dst + i * plane;
                          for (int64_t oh = 0; oh < c.out_h; ++oh) {
                            const float* row = src + oh * c.stride_h * c.in_w * kBlock;
                            for (int64_t ow = 0; ow < c.out_w; ++ow, d += kBlock) {
                              std::memcpy(d, row + ow * c.stride_w * kBlock, kBlock * sizeof(float));
                            }
                          }
                        }
                      });
      x = dst;
      c.in_h = c.out_h;
      c.in_w = c.out_w;
      c.stride_h = c.stride_w = 1;
      in_image = l.in_blocks * plane;
    }
    // A 1x1 convolution with unit strides and no padding maps output pixel p to input pixel p: the plane is one row,
    // so tiles run across the image's row ends.
    const bool flat = !gather_band && c.kernel_h == 1 && c.kernel_w == 1 && c.stride_h == 1 && c.stride_w == 1 &&
                      c.in_h == c.out_h && c.in_w == c.out_w;
    if (flat) {
      c.in_w = c.out_w = c.in_h * c.in_w;
      c.in_h = c.out_h = 1;
    } else if (c.out_w == 1 && c.in_w == 1 && c.kernel_w == 1 && (c.stride_h == 1 || c.stride_h == 2)) {
      // A column (a 1-D convolution written as H x 1) is the same convolution as a row: tiles take pixels along
      // a row, and one-pixel rows would leave them one or two pixels each. The weights' [KH][1] is [1][KH].
      std::swap(c.in_h, c.in_w);
      std::swap(c.out_h, c.out_w);
      std::swap(c.kernel_h, c.kernel_w);
      std::swap(c.stride_h, c.stride_w);
      std::swap(c.dilation_h, c.dilation_w);
    }
    std::vector<PairUnit> units;
    for (const Unit& u : MakeUnits(p.bands, group_, l.in_blocks_per_group, 2))
      units.push_back({u.first, u.ob, u.in_block, u.w_block, u.blocks, u.count, u.last_high});
    // Chunks of output rows (of a flat plane: of pixels) whose input is about kChunkBytes, more when the threads
    // would otherwise run out of tasks.
    constexpr int64_t kChunkBytes = 256 << 10;
    const int64_t n_units = static_cast<int64_t>(units.size());
    const int64_t row_bytes = l.in_blocks * c.stride_h * c.in_w * kBlock * static_cast<int64_t>(sizeof(float));
    int64_t extent = flat ? c.out_w : c.out_h, quantum = flat ? 14 : (c.out_w <= 7 ? 2 : 1);
    int64_t step = flat ? kChunkBytes / (l.in_blocks * kBlock * static_cast<int64_t>(sizeof(float)))
                        : kChunkBytes / std::max<int64_t>(row_bytes, 1);
    const int64_t min_tasks = threads > 1 ? 8 * threads : 1;  // enough to even out across threads
    const int64_t most_chunks = (extent + quantum - 1) / quantum;
    int64_t chunks = std::min(most_chunks, std::max((extent + step - 1) / std::max<int64_t>(step, 1),
                                                    (min_tasks + l.n * n_units - 1) / (l.n * n_units)));
    chunks = std::max<int64_t>(chunks, 1);
    step = ((extent + chunks - 1) / chunks + quantum - 1) / quantum * quantum;
    chunks = (extent + step - 1) / step;
    const float* zdata = z ? z->data<float>() : nullptr;
    float* ydata = y->data<float>();
    // One band per thread: a slot of `scratch` a thread takes from the mask with its first block (tls_band).
    Tensor scratch;
    int64_t band_rows = 0, band_plane = 0, slot_floats = 0;
    std::atomic<uint64_t> free_slots{0};
    const bool banded = pad || gather_band;
    if (banded) {
      band_rows = std::min(c.in_h, (step - 1) * c.stride_h + (c.kernel_h - 1) * c.dilation_h + 1);
      band_plane = band_rows * c.in_w * kBlock;
      slot_floats = (l.in_blocks * band_plane + 15) / 16 * 16;
      ONYX_ASSIGN_OR_RETURN(scratch, ctx.Allocate(DataType::kFloat, {threads * slot_floats}, /*zero=*/false));
      free_slots.store(threads >= 64 ? ~uint64_t{0} : (uint64_t{1} << threads) - 1, std::memory_order_relaxed);
    }
    const uint64_t call = banded ? next_band_call.fetch_add(1, std::memory_order_relaxed) + 1 : 0;
    const double flops = 2.0 * static_cast<double>(l.n * l.out_blocks * kBlock) *
                         static_cast<double>(c.out_h * c.out_w) *
                         static_cast<double>(l.in_blocks_per_group * kBlock * c.kernel_h * c.kernel_w);
    const int64_t tasks = l.n * chunks * n_units;
    ThreadPool::For(
        ctx.thread_pool(), tasks,
        [&](int64_t begin, int64_t end) {
          // A thread keeps its band for the whole call (blocks it claims later often continue the chunk it holds);
          // the slot goes back with the scratch when the call ends.
          std::vector<float> own;  // only if the pool ran more blocks at once than it has threads
          float* band = nullptr;
          int64_t own_loaded = -1;
          int64_t* loaded = &own_loaded;  // the (image, chunk) whose rows the band holds
          if (banded) {
            if (tls_band.call != call) {
              if (const int slot = ClaimSlot(free_slots); slot >= 0)
                tls_band = {call, scratch.data<float>() + slot * slot_floats, -1};
            }
            if (tls_band.call == call) {
              band = tls_band.band;
              loaded = &tls_band.loaded;
            } else {
              own.resize(static_cast<size_t>(slot_floats));
              band = own.data();
            }
          }
          for (int64_t t = begin; t < end; ++t) {
            const int64_t u = t % n_units, chunk = (t / n_units) % chunks, img = t / (n_units * chunks);
            ConvImage ci = c;
            ci.x = x + img * in_image;
            ci.y = ydata + img * out_image;
            ci.z = zdata ? zdata + img * out_image : nullptr;
            const int64_t e0 = chunk * step, e1 = std::min(extent, e0 + step);
            if (banded) {
              ci.x = band;
              ci.x_row0 = e0 * c.stride_h;
              ci.x_plane = band_plane;
              if (*loaded != t / n_units) {
                const int64_t r1 = std::min(c.in_h, (e1 - 1) * c.stride_h + (c.kernel_h - 1) * c.dilation_h + 1);
                if (pad) {
                  FillBand(l, *pad, c.in_w, x, img, ci.x_row0, r1, band_plane, band);
                } else {
                  GatherBand(l, gather_sh, gather_sw, c.out_w, x, img, ci.x_row0, r1, band_plane, band);
                }
                *loaded = t / n_units;
              }
            }
            if (flat) {
              ConvPairs_Avx512(ci, pc, units[u], 0, 1, e0, e1);
            } else {
              ConvPairs_Avx512(ci, pc, units[u], e0, e1, 0, ci.out_w);
            }
          }
        },
        MinBlockOfTasks(flops, tasks));
    return Status::Ok();
  }

  // Writes padded row `r` (of in_h + pads rows, `pw` columns) of input block cb of image img to dst: zeros above
  // and below the input and in the left and right pads, the input's row in between (blocked if it is NCHW).
  static void PaddedRow(const Layout& l, const WindowGeometry& g, int64_t pw, const float* x, int64_t img, int64_t cb,
                        int64_t r, float* dst) {
    const size_t fsz = sizeof(float);
    const int64_t ih = r - g.pad_begin[0], left = g.pad_begin[1], right = pw - left - l.w;
    if (ih < 0 || ih >= l.h) {
      std::memset(dst, 0, static_cast<size_t>(pw * kBlock) * fsz);
      return;
    }
    std::memset(dst, 0, static_cast<size_t>(left * kBlock) * fsz);
    std::memset(dst + (left + l.w) * kBlock, 0, static_cast<size_t>(right * kBlock) * fsz);
    dst += left * kBlock;
    if (l.nhwc_input) {
      // A TensorFlow export's NHWC input: the pixel's channels of this block, the rest of its lanes zero.
      const int64_t lanes = std::min<int64_t>(kBlock, l.channels - cb * kBlock);
      PixelsToBlock_Avx2(x + ((img * l.h + ih) * l.w) * l.channels + cb * kBlock, l.channels, lanes, l.w, dst);
    } else if (l.nchw_input) {
      const float* src = x + ((img * l.channels + cb * kBlock) * l.h + ih) * l.w;
      ReorderToBlock_Avx2(src, l.h * l.w, l.channels - cb * kBlock, l.w, dst);
    } else {
      std::memcpy(dst, x + ((img * l.in_blocks + cb) * l.h + ih) * l.w * kBlock,
                  static_cast<size_t>(l.w * kBlock) * fsz);
    }
  }

  // Padded rows [r0, r1) of every input block of image img into band: [Cb][r1 - r0][pw][8], blocks `plane` apart.
  static void FillBand(const Layout& l, const WindowGeometry& g, int64_t pw, const float* x, int64_t img, int64_t r0,
                       int64_t r1, int64_t plane, float* band) {
    for (int64_t cb = 0; cb < l.in_blocks; ++cb) {
      for (int64_t r = r0; r < r1; ++r) PaddedRow(l, g, pw, x, img, cb, r, band + cb * plane + (r - r0) * pw * kBlock);
    }
  }

  // Output rows [r0, r1) of a strided 1x1 convolution's input, every sh-th row and sw-th pixel of every input block
  // of image img, into band: [Cb][r1 - r0][out_w][8], blocks `plane` apart.
  static void GatherBand(const Layout& l, int64_t sh, int64_t sw, int64_t out_w, const float* x, int64_t img,
                         int64_t r0, int64_t r1, int64_t plane, float* band) {
    for (int64_t cb = 0; cb < l.in_blocks; ++cb) {
      for (int64_t r = r0; r < r1; ++r) {
        const float* row = x + ((img * l.in_blocks + cb) * l.h + r * sh) * l.w * kBlock;
        float* d = band + cb * plane + (r - r0) * out_w * kBlock;
        for (int64_t ow = 0; ow < out_w; ++ow)
          std::memcpy(d + ow * kBlock, row + ow * sw * kBlock, sizeof(float) * kBlock);
      }
    }
  }

  // Copies every image into [Cb][in_h + pads][in_w + pads][8] with zero borders (blocking an NCHW input), for the
  // paths that read the whole padded image (AVX2 tiles, and the layouts RunPairs reshapes).
  static void CopyPadded(KernelContext& ctx, const Layout& l, const WindowGeometry& g, const float* x, float* dst,
                         int64_t ph, int64_t pw) {
    ThreadPool::For(
        ctx.thread_pool(), l.n * l.in_blocks,
        [&](int64_t begin, int64_t end) {
          for (int64_t i = begin; i < end; ++i) {
            float* plane = dst + i * ph * pw * kBlock;
            for (int64_t r = 0; r < ph; ++r)
              PaddedRow(l, g, pw, x, i / l.in_blocks, i % l.in_blocks, r, plane + r * pw * kBlock);
          }
        },
        MinBlockOfTasks(static_cast<double>(ph * pw * kBlock * 4 * l.n * l.in_blocks), l.n * l.in_blocks));
  }

  ConvPoolAttrs attrs_;
  int64_t group_ = 1;
  int64_t out_blocks_ = 0;  // the attribute, needed with pair-packed weights
  int64_t stride_w_ = 1;
  bool nhwc_input_ = false;  // attribute channels_last_input
  Epilogue epilogue_;
  Prepared prepared_;  // from the constant weights, when the kernel is made
  // An overridable initializer's default W and B (their data), prepared on the first run that uses them.
  const float* default_w_ = nullptr;
  const float* default_b_ = nullptr;
  mutable std::once_flag default_once_;
  mutable Prepared default_prepared_;
};

Status InferNchwcConv(ir::InferenceContext& ctx) {
  std::vector<int64_t> kernel;
  ir::Dim blocks;
  if (const ir::SymShape* ws = ctx.input_shape(1); ws && ws->size() == 6) {
    const bool pairs = (*ws)[5].known() && (*ws)[5].value == 2 * kBlock;
    const int64_t out_blocks = ctx.attr_int("out_blocks", 0);
    blocks = pairs ? (out_blocks > 0 ? ir::Dim::Known(out_blocks) : ir::Dim{}) : (*ws)[0];
    if ((*ws)[2].known() && (*ws)[3].known()) kernel = {(*ws)[2].value, (*ws)[3].value};
  }
  InferBlockedWindowed(ctx, /*is_pool=*/false, kernel, blocks);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(NchwcConvKernel,
                     KernelDef("CPU", "com.onyx", "NchwcConv").Versions(1).Types(0, {DataType::kFloat}));
ONYX_REGISTER_SHAPE_INFERENCE("com.onyx", "NchwcConv", InferNchwcConv);

}  // namespace onyx::cpu::nchwc

#include "ep/cpu/kernels/nchwc/nchwc_util.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "common/checked_math.h"
#include "ep/cpu/cpu_isa.h"
#include "ep/cpu/kernels/nn/conv_pool_attrs.h"

namespace onyx::cpu::nchwc {

Result<const Tensor*> BlockedInput(KernelContext& ctx, int64_t channels) {
  const Tensor* x = ctx.input(0);
  if (!x) return ctx.Error("input X is required");
  if (x->type() != DataType::kFloat || x->rank() < 4 || x->dim(x->rank() - 1) != kBlock ||
      x->dim(1) != BlockCount(channels)) {
    return ctx.Error("X ", x->Describe(), " must be a blocked float tensor [N, ", BlockCount(channels),
                     ", spatial..., 8]");
  }
  return x;
}

Status CheckAvx2(const KernelInfo& info) {
  if (HasAvx2()) return Status::Ok();
  return info.Error("the NCHWc kernels need AVX2 and FMA, which this processor lacks (or ONYX_ISA turned off)");
}

namespace {
std::atomic<bool> avx512_enabled{true};
}  // namespace

bool UseAvx512() { return HasAvx512() && avx512_enabled.load(std::memory_order_relaxed); }

void SetAvx512Enabled(bool enabled) { avx512_enabled.store(enabled, std::memory_order_relaxed); }

namespace {

// The checks and sizes shared by both packings of regular and grouped weights W [M, C/group, KH, KW].
struct DenseDims {
  int64_t m, cg, taps, mg, cbg, mbg;
};
Result<DenseDims> CheckDense(const Tensor& w, int64_t group) {
  const int64_t m = w.dim(0), cg = w.dim(1);
  const int64_t mg = m / group;
  if (group > 1 && (cg % kBlock != 0 || mg % kBlock != 0)) {
    return InvalidArgument("grouped NCHWc convolutions need multiples of 8 channels per group");
  }
  return DenseDims{m, cg, w.dim(2) * w.dim(3), mg, BlockCount(cg), BlockCount(mg)};
}

// Output block j of group g (its real output channels) for input block cb, written as [taps][8 in][ld] from blk on,
// output channel o of the block at column o. The block's source is 8 rows (output channels) of ins x taps floats
// each: with AVX2 it is transposed 8 x 8 at a time into `tmp` ([ins x taps][8]) and its rows moved to their places (a
// float at a time, the pass and the kernels spent a sixth of ResNet-50's session creation here).
void PackBlock(const float* src, const DenseDims& d, int64_t g, int64_t j, int64_t cb, int64_t ld, float* blk,
               std::vector<float>& tmp) {
  const int64_t j0 = j * kBlock, outs = std::min<int64_t>(kBlock, d.mg - j0);
  const int64_t ins = std::min<int64_t>(kBlock, d.cg - cb * kBlock), taps = d.taps;
  const float* rows = src + ((g * d.mg + j0) * d.cg + cb * kBlock) * taps;
  if (HasAvx2()) {
    const int64_t k = ins * taps;
    if (taps == 1 && ld == kBlock) {
      ReorderToBlock_Avx2(rows, d.cg, outs, k, blk);
      return;
    }
    tmp.resize(static_cast<size_t>(k * kBlock));
    ReorderToBlock_Avx2(rows, d.cg * taps, outs, k, tmp.data());
    for (int64_t i = 0; i < ins; ++i) {
      for (int64_t t = 0; t < taps; ++t) {
        std::memcpy(blk + (t * kBlock + i) * ld, tmp.data() + (i * taps + t) * kBlock, kBlock * sizeof(float));
      }
    }
    return;
  }
  for (int64_t o = 0; o < outs; ++o) {
    const float* row = rows + o * d.cg * taps;
    for (int64_t i = 0; i < ins; ++i) {
      for (int64_t t = 0; t < taps; ++t) blk[(t * kBlock + i) * ld + o] = row[i * taps + t];
    }
  }
}

// Where output block ob (of Mb, `group` groups) sits in the pair packing: its pair and half.
struct PairSlot {
  int64_t pair, half;
};
PairSlot SlotOf(int64_t ob, int64_t mbg) {
  const int64_t g = ob / mbg, j = ob % mbg;
  return {g * ((mbg + 1) / 2) + j / 2, j % 2};
}

}  // namespace

Result<Tensor> PackConvWeights(const Tensor& w, int64_t group) {
  if (w.type() != DataType::kFloat || w.rank() != 4)
    return InvalidArgument("NCHWc weights must be float [M, C/g, KH, KW], got ", w.Describe());
  const int64_t m = w.dim(0), cg = w.dim(1), kh = w.dim(2), kw = w.dim(3), taps = kh * kw;
  if (group <= 0 || m % group != 0) return InvalidArgument("group ", group, " does not divide ", m, " output channels");
  const float* src = w.data<float>();
  const bool depthwise = group > 1 && cg == 1 && m == group;
  if (depthwise) {
    const int64_t blocks = BlockCount(m);
    ONYX_ASSIGN_OR_RETURN(Tensor packed, Tensor::Create(DataType::kFloat, {blocks, 1, kh, kw, 1, kBlock}));
    float* dst = packed.data<float>();
    for (int64_t c = 0; c < m; ++c) {
      for (int64_t t = 0; t < taps; ++t) dst[((c / kBlock) * taps + t) * kBlock + c % kBlock] = src[c * taps + t];
    }
    return packed;
  }
  ONYX_ASSIGN_OR_RETURN(const DenseDims d, CheckDense(w, group));
  const int64_t mb = group * d.mbg;
  int64_t elems = 0;
  if (!CheckedMul(mb * d.cbg, taps * kBlock * kBlock, &elems)) return InvalidArgument("packed weights too large");
  ONYX_ASSIGN_OR_RETURN(Tensor packed, Tensor::Create(DataType::kFloat, {mb, d.cbg, kh, kw, kBlock, kBlock}));
  float* dst = packed.data<float>();
  std::vector<float> tmp;
  for (int64_t ob = 0; ob < mb; ++ob) {
    for (int64_t cb = 0; cb < d.cbg; ++cb) {
      PackBlock(src, d, ob / d.mbg, ob % d.mbg, cb, kBlock, dst + (ob * d.cbg + cb) * taps * kBlock * kBlock, tmp);
    }
  }
  return packed;
}

Result<Tensor> PackConvWeightsPairs(const Tensor& w, int64_t group) {
  if (w.type() != DataType::kFloat || w.rank() != 4)
    return InvalidArgument("NCHWc weights must be float [M, C/g, KH, KW], got ", w.Describe());
  const int64_t m = w.dim(0), kh = w.dim(2), kw = w.dim(3), taps = kh * kw;
  if (group <= 0 || m % group != 0) return InvalidArgument("group ", group, " does not divide ", m, " output channels");
  if (group > 1 && w.dim(1) == 1 && m == group) return InvalidArgument("depthwise weights have no pair packing");
  ONYX_ASSIGN_OR_RETURN(const DenseDims d, CheckDense(w, group));
  const int64_t mb = group * d.mbg, pairs = PairCount(mb, group), pair_floats = taps * kBlock * 2 * kBlock;
  int64_t elems = 0;
  if (!CheckedMul(pairs * d.cbg, pair_floats, &elems)) return InvalidArgument("packed weights too large");
  ONYX_ASSIGN_OR_RETURN(Tensor packed, Tensor::Create(DataType::kFloat, {pairs, d.cbg, kh, kw, kBlock, 2 * kBlock}));
  float* dst = packed.data<float>();
  std::vector<float> tmp;
  for (int64_t ob = 0; ob < mb; ++ob) {
    const PairSlot s = SlotOf(ob, d.mbg);
    for (int64_t cb = 0; cb < d.cbg; ++cb) {
      PackBlock(w.data<float>(), d, ob / d.mbg, ob % d.mbg, cb, 2 * kBlock,
                dst + (s.pair * d.cbg + cb) * pair_floats + s.half * kBlock, tmp);
    }
  }
  return packed;
}

Result<Tensor> PackConvBias(const Tensor* b, int64_t out_channels) {
  ONYX_ASSIGN_OR_RETURN(Tensor packed, Tensor::Create(DataType::kFloat, {BlockCount(out_channels) * kBlock}));
  float* dst = packed.data<float>();
  if (b) {
    if (b->type() != DataType::kFloat || b->size() != out_channels)
      return InvalidArgument("bias must be float [", out_channels, "]");
    std::memcpy(dst, b->data<float>(), static_cast<size_t>(out_channels) * sizeof(float));
  }
  return packed;
}

int64_t PairCount(int64_t out_blocks, int64_t group) { return group * ((out_blocks / group + 1) / 2); }

Result<Tensor> PackPairWeights(const Tensor& packed, int64_t group) {
  if (packed.type() != DataType::kFloat || packed.rank() != 6 || packed.dim(4) != kBlock || packed.dim(5) != kBlock)
    return InvalidArgument("pair packing needs NchwcConv weights [Mb, Cb, KH, KW, 8, 8], got ", packed.Describe());
  const int64_t mb = packed.dim(0), per_block = packed.size() / mb;  // floats of one block's weights
  if (group <= 0 || mb % group != 0) return InvalidArgument("group ", group, " does not divide ", mb, " blocks");
  const int64_t mbg = mb / group, pairs = PairCount(mb, group), steps = per_block / kBlock;  // steps: (cb, tap, ic)
  ONYX_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DataType::kFloat, {pairs, packed.dim(1), packed.dim(2),
                                                                      packed.dim(3), kBlock, 2 * kBlock}));
  float* dst = out.data<float>();
  const float* src = packed.data<float>();
  for (int64_t ob = 0; ob < mb; ++ob) {
    const PairSlot p = SlotOf(ob, mbg);
    for (int64_t s = 0; s < steps; ++s) {
      std::memcpy(dst + (p.pair * steps + s) * 2 * kBlock + p.half * kBlock, src + (ob * steps + s) * kBlock,
                  kBlock * sizeof(float));
    }
  }
  return out;
}

Result<Tensor> UnpackPairWeights(const Tensor& pairs, int64_t group, int64_t out_blocks) {
  if (pairs.type() != DataType::kFloat || pairs.rank() != 6 || pairs.dim(4) != kBlock || pairs.dim(5) != 2 * kBlock)
    return InvalidArgument("pair-packed NchwcConv weights must be [pairs, Cb, KH, KW, 8, 16], got ", pairs.Describe());
  if (group <= 0 || out_blocks <= 0 || out_blocks % group != 0 || PairCount(out_blocks, group) != pairs.dim(0)) {
    return InvalidArgument("out_blocks ", out_blocks, " with group ", group, " does not match the ", pairs.dim(0),
                           " pairs of W ", pairs.Describe());
  }
  const int64_t mbg = out_blocks / group, steps = pairs.size() / pairs.dim(0) / (2 * kBlock);
  ONYX_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DataType::kFloat, {out_blocks, pairs.dim(1), pairs.dim(2),
                                                                      pairs.dim(3), kBlock, kBlock}));
  float* dst = out.data<float>();
  const float* src = pairs.data<float>();
  for (int64_t ob = 0; ob < out_blocks; ++ob) {
    const PairSlot p = SlotOf(ob, mbg);
    for (int64_t s = 0; s < steps; ++s) {
      std::memcpy(dst + (ob * steps + s) * kBlock, src + (p.pair * steps + s) * 2 * kBlock + p.half * kBlock,
                  kBlock * sizeof(float));
    }
  }
  return out;
}

const float* BlockWeights(const Tensor& w, int64_t group, int64_t out_blocks, int64_t ob, int64_t cb, int64_t* ld) {
  const int64_t steps = w.dim(2) * w.dim(3) * kBlock;  // rows of one (block, input block): taps x 8 input channels
  if (w.dim(5) == kBlock) {
    *ld = kBlock;
    return w.data<float>() + (ob * w.dim(1) + cb) * steps * kBlock;
  }
  *ld = 2 * kBlock;
  const PairSlot p = SlotOf(ob, out_blocks / group);
  return w.data<float>() + (p.pair * w.dim(1) + cb) * steps * 2 * kBlock + p.half * kBlock;
}

Result<Tensor> PackPairBias(const Tensor& packed_bias, int64_t group) {
  if (packed_bias.type() != DataType::kFloat || packed_bias.rank() != 1 || packed_bias.size() % kBlock != 0)
    return InvalidArgument("pair packing needs an NchwcConv bias [Mb * 8], got ", packed_bias.Describe());
  const int64_t mb = packed_bias.size() / kBlock;
  if (group <= 0 || mb % group != 0) return InvalidArgument("group ", group, " does not divide ", mb, " blocks");
  const int64_t mbg = mb / group, pairs = PairCount(mb, group);
  ONYX_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DataType::kFloat, {pairs * 2 * kBlock}));
  float* dst = out.data<float>();
  for (int64_t ob = 0; ob < mb; ++ob) {
    const PairSlot p = SlotOf(ob, mbg);
    std::memcpy(dst + (p.pair * 2 + p.half) * kBlock, packed_bias.data<float>() + ob * kBlock, kBlock * sizeof(float));
  }
  return out;
}

Result<Tensor> BlockPerChannel(const Tensor& c, int64_t channels, float pad) {
  if (c.type() != DataType::kFloat || c.rank() > 4) return InvalidArgument("not a float per-channel constant");
  // Aligned to [N, C, H, W] from the right: every axis but C must be 1.
  Shape full(4 - static_cast<size_t>(c.rank()), 1);
  for (int64_t d : c.shape()) full.push_back(d);
  if (full[0] != 1 || full[2] != 1 || full[3] != 1 || (full[1] != 1 && full[1] != channels)) {
    return InvalidArgument("not a per-channel constant");
  }
  const int64_t blocks = BlockCount(channels);
  ONYX_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DataType::kFloat, {1, blocks, 1, 1, kBlock}));
  float* dst = out.data<float>();
  const float* src = c.data<float>();
  for (int64_t i = 0; i < blocks * kBlock; ++i) dst[i] = i < channels ? src[full[1] == 1 ? 0 : i] : pad;
  return out;
}

Result<Tensor> ToBlocked(const Tensor& x) {
  if (x.type() != DataType::kFloat || x.rank() < 3) return InvalidArgument("ToBlocked needs float [N, C, ...]");
  if (!HasAvx2()) return NotImplemented("ToBlocked runs AVX2 code, which this processor lacks");
  const int64_t n = x.dim(0), c = x.dim(1), cb = BlockCount(c);
  int64_t hw = 1;
  Shape shape = {n, cb};
  for (int64_t i = 2; i < x.rank(); ++i) hw *= x.dim(i), shape.push_back(x.dim(i));
  shape.push_back(kBlock);
  ONYX_ASSIGN_OR_RETURN(Tensor y, Tensor::Create(DataType::kFloat, shape));
  for (int64_t i = 0; i < n * cb; ++i) {
    const int64_t b = i % cb;
    ReorderToBlock_Avx2(x.data<float>() + ((i / cb) * c + b * kBlock) * hw, hw, c - b * kBlock, hw,
                        y.data<float>() + i * hw * kBlock);
  }
  return y;
}

Result<Tensor> FromBlocked(const Tensor& y, int64_t channels) {
  if (y.type() != DataType::kFloat || y.rank() < 4 || y.dim(y.rank() - 1) != kBlock ||
      y.dim(1) != BlockCount(channels)) {
    return InvalidArgument("FromBlocked needs float [N, ceil(C/8), ..., 8]");
  }
  if (!HasAvx2()) return NotImplemented("FromBlocked runs AVX2 code, which this processor lacks");
  const int64_t n = y.dim(0), cb = y.dim(1);
  int64_t hw = 1;
  Shape shape = {n, channels};
  for (int64_t i = 2; i + 1 < y.rank(); ++i) hw *= y.dim(i), shape.push_back(y.dim(i));
  ONYX_ASSIGN_OR_RETURN(Tensor x, Tensor::Create(DataType::kFloat, shape));
  for (int64_t i = 0; i < n * cb; ++i) {
    const int64_t b = i % cb;
    ReorderFromBlock_Avx2(y.data<float>() + i * hw * kBlock, hw, channels - b * kBlock,
                          x.data<float>() + ((i / cb) * channels + b * kBlock) * hw, hw);
  }
  return x;
}

Status ReadEpilogue(const KernelInfo& info, Epilogue* e, const std::string& prefix) {
  std::string name;
  std::vector<float> params;
  ONYX_RETURN_IF_ERROR(info.GetString(prefix + "activation", &name, std::string()));
  ONYX_RETURN_IF_ERROR(info.GetFloats(prefix + "activation_params", &params, std::vector<float>{}));
  struct Known {
    const char* name;
    Activation a;
    size_t params;
  };
  static const Known kKnown[] = {{"", Activation::kNone, 0},
                                 {"Relu", Activation::kRelu, 0},
                                 {"LeakyRelu", Activation::kLeakyRelu, 1},
                                 {"Sigmoid", Activation::kSigmoid, 0},
                                 {"HardSigmoid", Activation::kHardSigmoid, 2},
                                 {"Tanh", Activation::kTanh, 0},
                                 {"Clip", Activation::kClip, 2},
                                 {"HardSwish", Activation::kHardSwish, 0},
                                 {"Silu", Activation::kSilu, 0}};
  for (const Known& k : kKnown) {
    if (name != k.name) continue;
    if (params.size() != k.params) {
      return info.Error(prefix, "activation ", name, " takes ", k.params, " ", prefix, "activation_params, got ",
                        params.size());
    }
    e->activation = k.a;
    e->p0 = params.empty() ? 0.0f : params[0];
    e->p1 = params.size() < 2 ? 0.0f : params[1];
    return Status::Ok();
  }
  return info.Error("unknown ", prefix, "activation '", name, "'");
}

void InferBlockedWindowed(ir::InferenceContext& ctx, bool is_pool, const std::vector<int64_t>& kernel,
                          ir::Dim out_blocks) {
  const ir::SymShape* x = ctx.input_shape(0);
  const DataType type = ctx.input_elem_type(0);
  if (type == DataType::kUndefined) return;
  if (!x || (x->size() != 5 && x->size() != 4)) {
    ctx.SetOutput(0, type, ir::SymShape(5));
    return;
  }
  ir::SymShape out = {(*x)[0], out_blocks};
  // NchwcConv's channels_last_input: X is [N, H, W, C].
  const size_t first = x->size() == 4 && ctx.attr_int("channels_last_input", 0) == 1 ? 1 : 2;
  const std::vector<int64_t> pads = ctx.attr_ints("pads"), strides = ctx.attr_ints("strides"),
                             dilations = ctx.attr_ints("dilations");
  auto attrs = ConvPoolAttrs::FromNode(ctx, is_pool);
  for (size_t i = 0; i < 2; ++i) {
    const ir::Dim& d = (*x)[first + i];
    int64_t pb = pads.size() == 4 ? pads[i] : 0, pe = pads.size() == 4 ? pads[i + 2] : 0, o = 0;
    const int64_t s = strides.size() == 2 ? strides[i] : 1, dl = dilations.size() == 2 ? dilations[i] : 1;
    if (attrs && kernel.size() == 2 && d.known() &&
        PooledLength(attrs->auto_pad(), attrs->ceil_mode(), d.value, kernel[i], s, dl, &pb, &pe, &o)) {
      out.push_back(ir::Dim::Known(o));
    } else {
      out.push_back(ir::Dim{});
    }
  }
  out.push_back(ir::Dim::Known(kBlock));
  ctx.SetOutput(0, type, out);
}

}  // namespace onyx::cpu::nchwc

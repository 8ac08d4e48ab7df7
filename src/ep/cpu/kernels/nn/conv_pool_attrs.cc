#include "ep/cpu/kernels/nn/conv_pool_attrs.h"

#include <algorithm>

#include "ir/derived_dim.h"

namespace onyx::cpu {

namespace {

std::optional<AutoPad> ParseAutoPad(const std::string& s) {
  if (s == "NOTSET" || s.empty()) return AutoPad::kNotSet;
  if (s == "VALID") return AutoPad::kValid;
  if (s == "SAME_UPPER") return AutoPad::kSameUpper;
  if (s == "SAME_LOWER") return AutoPad::kSameLower;
  return std::nullopt;
}

int64_t CeilDiv(int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }
int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

}  // namespace

bool PooledLength(AutoPad auto_pad, bool ceil_mode, int64_t in, int64_t kernel, int64_t stride, int64_t dilation,
                  int64_t* pad_begin, int64_t* pad_end, int64_t* out) {
  const int64_t span = (kernel - 1) * dilation + 1;
  switch (auto_pad) {
    case AutoPad::kValid:
      *pad_begin = *pad_end = 0;
      *out = in >= span ? (in - span) / stride + 1 : 0;
      break;
    case AutoPad::kSameUpper:
    case AutoPad::kSameLower: {
      *out = CeilDiv(in, stride);
      const int64_t total = std::max<int64_t>(0, (*out - 1) * stride + span - in);
      const int64_t half = total / 2;
      *pad_begin = auto_pad == AutoPad::kSameUpper ? half : total - half;
      *pad_end = total - *pad_begin;
      break;
    }
    case AutoPad::kNotSet: {
      const int64_t room = in + *pad_begin + *pad_end - span;
      if (room < 0) {
        *out = 0;
        return false;
      }
      *out = (ceil_mode ? CeilDiv(room, stride) : FloorDiv(room, stride)) + 1;
      // A window that would start in the end padding is dropped.
      if (ceil_mode && (*out - 1) * stride >= in + *pad_begin) --*out;
      break;
    }
  }
  return *out > 0;
}

Status ConvPoolAttrs::Init(const KernelInfo& info, bool is_pool) {
  std::string auto_pad;
  ONYX_RETURN_IF_ERROR(info.GetString("auto_pad", &auto_pad, std::string("NOTSET")));
  auto parsed = ParseAutoPad(auto_pad);
  if (!parsed) return info.Error("auto_pad '", auto_pad, "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
  auto_pad_ = *parsed;
  ONYX_RETURN_IF_ERROR(info.GetInts("kernel_shape", &kernel_shape_, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetInts("strides", &strides_, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetInts("dilations", &dilations_, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetInts("pads", &pads_, std::vector<int64_t>{}));
  int64_t ceil_mode = 0;
  if (is_pool) ONYX_RETURN_IF_ERROR(info.GetInt("ceil_mode", &ceil_mode, int64_t{0}));
  ceil_mode_ = ceil_mode != 0;
  if (is_pool && kernel_shape_.empty()) return info.Error("attribute kernel_shape is required");
  for (int64_t k : kernel_shape_) {
    if (k <= 0) return info.Error("kernel_shape values must be positive, got ", k);
  }
  for (int64_t s : strides_) {
    if (s <= 0) return info.Error("strides must be positive, got ", s);
  }
  for (int64_t d : dilations_) {
    if (d <= 0) return info.Error("dilations must be positive, got ", d);
  }
  for (int64_t p : pads_) {
    if (p < 0) return info.Error("pads must not be negative, got ", p);
  }
  if (pads_.size() % 2 != 0) return info.Error("pads must have an even number of values, got ", pads_.size());
  const size_t rank = kernel_shape_.size();
  if (rank > 0) {
    if (!strides_.empty() && strides_.size() != rank)
      return info.Error("strides has ", strides_.size(), " values but kernel_shape has ", rank);
    if (!dilations_.empty() && dilations_.size() != rank)
      return info.Error("dilations has ", dilations_.size(), " values but kernel_shape has ", rank);
    if (!pads_.empty() && pads_.size() != 2 * rank)
      return info.Error("pads has ", pads_.size(), " values but kernel_shape has ", rank, " axes");
  }
  return Status::Ok();
}

std::optional<ConvPoolAttrs> ConvPoolAttrs::FromNode(const ir::InferenceContext& ctx, bool is_pool) {
  ConvPoolAttrs a;
  auto parsed = ParseAutoPad(ctx.attr_string("auto_pad", "NOTSET"));
  if (!parsed) return std::nullopt;
  a.auto_pad_ = *parsed;
  a.kernel_shape_ = ctx.attr_ints("kernel_shape");
  a.strides_ = ctx.attr_ints("strides");
  a.dilations_ = ctx.attr_ints("dilations");
  a.pads_ = ctx.attr_ints("pads");
  a.ceil_mode_ = is_pool && ctx.attr_int("ceil_mode", 0) != 0;
  if (is_pool && a.kernel_shape_.empty()) return std::nullopt;
  for (int64_t v : a.kernel_shape_)
    if (v <= 0) return std::nullopt;
  for (int64_t v : a.strides_)
    if (v <= 0) return std::nullopt;
  for (int64_t v : a.dilations_)
    if (v <= 0) return std::nullopt;
  for (int64_t v : a.pads_)
    if (v < 0) return std::nullopt;
  return a;
}

Status ConvPoolAttrs::Resolve(std::span<const int64_t> in, std::span<const int64_t> kernel, WindowGeometry* g) const {
  const size_t rank = in.size();
  if (kernel.empty()) kernel = kernel_shape_;
  if (kernel.size() != rank)
    return InvalidArgument("kernel has ", kernel.size(), " spatial axes but the input has ", rank);
  if (!kernel_shape_.empty() && kernel_shape_.size() != rank)
    return InvalidArgument("kernel_shape has ", kernel_shape_.size(), " values but the input has ", rank,
                           " spatial axes");
  if (!strides_.empty() && strides_.size() != rank)
    return InvalidArgument("strides has ", strides_.size(), " values but the input has ", rank, " spatial axes");
  if (!dilations_.empty() && dilations_.size() != rank)
    return InvalidArgument("dilations has ", dilations_.size(), " values but the input has ", rank, " spatial axes");
  if (!pads_.empty() && pads_.size() != 2 * rank)
    return InvalidArgument("pads has ", pads_.size(), " values but the input has ", rank, " spatial axes");
  g->in.assign(in.begin(), in.end());
  g->kernel.assign(kernel.begin(), kernel.end());
  g->stride.assign(rank, 1);
  g->dilation.assign(rank, 1);
  g->pad_begin.assign(rank, 0);
  g->pad_end.assign(rank, 0);
  g->out.assign(rank, 0);
  for (size_t i = 0; i < rank; ++i) {
    if (!strides_.empty()) g->stride[i] = strides_[i];
    if (!dilations_.empty()) g->dilation[i] = dilations_[i];
    if (!pads_.empty()) {
      g->pad_begin[i] = pads_[i];
      g->pad_end[i] = pads_[i + rank];
    }
    if (g->kernel[i] <= 0) return InvalidArgument("kernel dim ", i, " is ", g->kernel[i]);
    if (!PooledLength(auto_pad_, ceil_mode_, g->in[i], g->kernel[i], g->stride[i], g->dilation[i], &g->pad_begin[i],
                      &g->pad_end[i], &g->out[i])) {
      return InvalidArgument("the window (kernel ", g->kernel[i], ", dilation ", g->dilation[i],
                             ") does not fit spatial axis ", i, " of size ", g->in[i], " with pads ", g->pad_begin[i],
                             "+", g->pad_end[i]);
    }
  }
  return Status::Ok();
}

bool ToWindow3(const WindowGeometry& g, Window3* w) {
  const size_t rank = g.rank();
  if (rank > 3) return false;
  const size_t lead = 3 - rank;
  for (size_t i = 0; i < 3; ++i) {
    if (i < lead) {
      w->in[i] = w->kernel[i] = w->stride[i] = w->dilation[i] = w->out[i] = 1;
      w->pad[i] = w->pad_end[i] = 0;
    } else {
      const size_t j = i - lead;
      w->in[i] = g.in[j];
      w->kernel[i] = g.kernel[j];
      w->stride[i] = g.stride[j];
      w->dilation[i] = g.dilation[j];
      w->pad[i] = g.pad_begin[j];
      w->pad_end[i] = g.pad_end[j];
      w->out[i] = g.out[j];
    }
  }
  return true;
}

// PooledLength of a symbolic length, as a name derived from it (ir::AffineDim): floor((in + pads - span) / stride) + 1
// is floor((in + pads - span + stride) / stride). Unknown where the length is not a plain quotient: ceil_mode with a
// stride (a window that would start in the end padding is dropped).
namespace {
ir::Dim SymbolicWindowedDim(const ir::Dim& in, AutoPad auto_pad, bool ceil_mode, int64_t kernel, int64_t stride,
                            int64_t dilation, int64_t pad_begin, int64_t pad_end) {
  if (in.known() || in.param.empty() || kernel < 1 || stride < 1 || dilation < 1) return ir::Dim{};
  const int64_t span = (kernel - 1) * dilation + 1;
  switch (auto_pad) {
    case AutoPad::kValid:
      return ir::AffineDim(in, 1, stride - span, stride);
    case AutoPad::kSameUpper:
    case AutoPad::kSameLower:
      return ir::AffineDim(in, 1, stride - 1, stride);
    case AutoPad::kNotSet:
      if (ceil_mode && stride > 1) return ir::Dim{};
      return ir::AffineDim(in, 1, pad_begin + pad_end - span + stride, stride);
  }
  return ir::Dim{};
}
}  // namespace

void InferWindowedOutput(ir::InferenceContext& ctx, const ConvPoolAttrs& attrs, const std::vector<int64_t>& kernel,
                         ir::Dim channels, size_t output_index, DataType type) {
  const ir::SymShape* x = ctx.input_shape(0);
  if (type == DataType::kUndefined) return;
  if (!x || x->size() < 2 || kernel.empty() || kernel.size() != x->size() - 2) {
    ctx.SetOutput(output_index, type, x ? std::optional<ir::SymShape>(ir::SymShape(x->size())) : std::nullopt);
    return;
  }
  const size_t rank = kernel.size();
  ir::SymShape out;
  out.push_back((*x)[0]);
  out.push_back(channels);
  std::vector<int64_t> in(rank);
  bool all_known = true;
  for (size_t i = 0; i < rank; ++i) {
    in[i] = (*x)[i + 2].value;
    if (!(*x)[i + 2].known()) all_known = false;
  }
  WindowGeometry g;
  if (all_known && attrs.Resolve(in, kernel, &g).ok()) {
    for (size_t i = 0; i < rank; ++i) out.push_back(ir::Dim::Known(g.out[i]));
  } else {
    for (size_t i = 0; i < rank; ++i) {
      // Axes resolve independently: one unknown input dim leaves only its own
      // output dim unknown.
      const ir::Dim& d = (*x)[i + 2];
      int64_t pb = 0, pe = 0, o = 0;
      const auto& pads = ctx.attr_ints("pads");
      if (pads.size() == 2 * rank) {
        pb = pads[i];
        pe = pads[i + rank];
      }
      const auto& st = ctx.attr_ints("strides");
      const auto& dl = ctx.attr_ints("dilations");
      const int64_t s = st.size() == rank ? st[i] : 1, dd = dl.size() == rank ? dl[i] : 1;
      if (d.known() && PooledLength(attrs.auto_pad(), attrs.ceil_mode(), d.value, kernel[i], s, dd, &pb, &pe, &o)) {
        out.push_back(ir::Dim::Known(o));
      } else {
        out.push_back(SymbolicWindowedDim(d, attrs.auto_pad(), attrs.ceil_mode(), kernel[i], s, dd, pb, pe));
      }
    }
  }
  ctx.SetOutput(output_index, type, out);
}

}  // namespace onyx::cpu

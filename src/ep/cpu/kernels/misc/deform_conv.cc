// DeformConv: a convolution whose every kernel tap samples the input at its regular position plus a learned
// offset (per output position, kernel tap and offset group), by multilinear interpolation with zeros outside
// the input, optionally scaled by a mask. N-D: the spatial rank comes from W. Half types compute in float.
#include <cmath>
#include <type_traits>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

template <typename T>
constexpr bool kIsHalf = std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>;

template <typename T>
auto Load(T v) {
  if constexpr (kIsHalf<T>)
    return ToFloat(v);
  else
    return v;
}

// Kernel geometry after reading attributes and the input shapes.
struct Geometry {
  int64_t nd = 0;
  std::vector<int64_t> in, out, k, strides, dilations, pad_begin;
  int64_t in_size = 1, out_size = 1, k_size = 1;
};

class DeformConvKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInts("kernel_shape", &kernel_shape_, std::vector<int64_t>{}));
    ONYX_RETURN_IF_ERROR(info.GetInts("strides", &strides_, std::vector<int64_t>{}));
    ONYX_RETURN_IF_ERROR(info.GetInts("dilations", &dilations_, std::vector<int64_t>{}));
    ONYX_RETURN_IF_ERROR(info.GetInts("pads", &pads_, std::vector<int64_t>{}));
    ONYX_RETURN_IF_ERROR(info.GetInt("group", &group_, 1));
    ONYX_RETURN_IF_ERROR(info.GetInt("offset_group", &offset_group_, 1));
    if (group_ < 1) return info.Error("'group' must be >= 1, got ", group_);
    if (offset_group_ < 1) return info.Error("'offset_group' must be >= 1, got ", offset_group_);
    for (int64_t v : strides_)
      if (v < 1) return info.Error("'strides' must be >= 1");
    for (int64_t v : dilations_)
      if (v < 1) return info.Error("'dilations' must be >= 1");
    for (int64_t v : pads_)
      if (v < 0) return info.Error("'pads' must be >= 0");
    for (int64_t v : kernel_shape_)
      if (v < 1) return info.Error("'kernel_shape' must be >= 1");
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    const Tensor* w = ctx.input(1);
    const Tensor* offset = ctx.input(2);
    const Tensor* bias = ctx.input(3);
    const Tensor* mask = ctx.input(4);
    if (x == nullptr || w == nullptr || offset == nullptr)
      return ctx.Error("inputs 'X', 'W' and 'offset' are required");
    if (x->rank() < 3 || w->rank() != x->rank() || offset->rank() != x->rank())
      return ctx.Error("'X' ", x->Describe(), ", 'W' ", w->Describe(), " and 'offset' ", offset->Describe(),
                       " must have the same rank >= 3");
    for (const Tensor* t : {w, offset, bias, mask})
      if (t != nullptr && t->type() != x->type()) return ctx.Error("all inputs must have the type of 'X'");
    Geometry g;
    g.nd = x->rank() - 2;
    const auto nd = static_cast<size_t>(g.nd);
    const int64_t batch = x->dim(0), channels = x->dim(1), out_channels = w->dim(0);
    if (channels % group_ != 0 || out_channels % group_ != 0 || w->dim(1) * group_ != channels)
      return ctx.Error("'W' ", w->Describe(), " does not fit 'X' ", x->Describe(), " with group ", group_);
    if (channels % offset_group_ != 0)
      return ctx.Error("channels ", channels, " are not divisible by offset_group ", offset_group_);
    if ((!kernel_shape_.empty() && kernel_shape_.size() != nd) || (!strides_.empty() && strides_.size() != nd) ||
        (!dilations_.empty() && dilations_.size() != nd) || (!pads_.empty() && pads_.size() != 2 * nd))
      return ctx.Error("attribute lengths do not match the ", nd, " spatial dimensions");
    for (size_t d = 0; d < nd; ++d) {
      const int64_t k = w->dim(static_cast<int64_t>(d) + 2);
      if (!kernel_shape_.empty() && kernel_shape_[d] != k)
        return ctx.Error("'kernel_shape' does not match 'W' ", w->Describe());
      const int64_t stride = strides_.empty() ? 1 : strides_[d];
      const int64_t dil = dilations_.empty() ? 1 : dilations_[d];
      const int64_t pb = pads_.empty() ? 0 : pads_[d], pe = pads_.empty() ? 0 : pads_[d + nd];
      const int64_t in = x->dim(static_cast<int64_t>(d) + 2);
      const int64_t span = (k - 1) * dil + 1;
      const int64_t padded = in + pb + pe;
      const int64_t out = padded < span ? 0 : (padded - span) / stride + 1;
      g.in.push_back(in);
      g.out.push_back(out);
      g.k.push_back(k);
      g.strides.push_back(stride);
      g.dilations.push_back(dil);
      g.pad_begin.push_back(pb);
      g.in_size *= in;
      g.out_size *= out;
      g.k_size *= k;
    }
    Shape expect_offset{batch, offset_group_ * g.k_size * g.nd};
    Shape expect_mask{batch, offset_group_ * g.k_size};
    for (int64_t o : g.out) {
      expect_offset.push_back(o);
      expect_mask.push_back(o);
    }
    if (offset->shape() != expect_offset)
      return ctx.Error("'offset' ", offset->Describe(), " must have shape ", ShapeToString(expect_offset));
    if (mask != nullptr && mask->shape() != expect_mask)
      return ctx.Error("'mask' ", mask->Describe(), " must have shape ", ShapeToString(expect_mask));
    if (bias != nullptr && (bias->rank() != 1 || bias->dim(0) != out_channels))
      return ctx.Error("'B' ", bias->Describe(), " must have shape [", out_channels, "]");
    Shape out_shape{batch, out_channels};
    for (int64_t o : g.out) out_shape.push_back(o);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), out_shape));
    if (g.out_size == 0 || batch == 0 || out_channels == 0) return Status::Ok();

    return Dispatch<float, double, Float16, BFloat16>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          using A = std::conditional_t<std::is_same_v<T, double>, double, float>;
          Run<T, A>(ctx, g, *x, *w, *offset, bias, mask, y);
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  static std::string ShapeToString(const Shape& s) {
    std::string r = "[";
    for (size_t i = 0; i < s.size(); ++i) r += (i ? "," : "") + std::to_string(s[i]);
    return r + "]";
  }

  // Samples plane[pos] by multilinear interpolation; taps outside the plane count as zero.
  template <typename T, typename A>
  static A Sample(const T* plane, const Geometry& g, const A* pos) {
    const auto nd = static_cast<size_t>(g.nd);
    for (size_t d = 0; d < nd; ++d)
      if (!(pos[d] > A{-1}) || !(pos[d] < static_cast<A>(g.in[d]))) return A{0};
    A result{0};
    for (int64_t corner = 0; corner < (int64_t{1} << g.nd); ++corner) {
      A weight{1};
      int64_t index = 0;
      bool inside = true;
      for (size_t d = 0; d < nd; ++d) {
        const A lo = std::floor(pos[d]);
        const bool high = (corner >> d) & 1;
        const int64_t c = static_cast<int64_t>(lo) + (high ? 1 : 0);
        const A frac = pos[d] - lo;
        weight *= high ? frac : A{1} - frac;
        if (c < 0 || c >= g.in[d]) inside = false;
        index = index * g.in[d] + c;
      }
      if (inside && weight != A{0}) result += weight * static_cast<A>(Load(plane[index]));
    }
    return result;
  }

  template <typename T, typename A>
  void Run(KernelContext& ctx, const Geometry& g, const Tensor& x, const Tensor& w, const Tensor& offset,
           const Tensor* bias, const Tensor* mask, Tensor* y) const {
    const int64_t batch = x.dim(0), channels = x.dim(1), out_channels = w.dim(0);
    const int64_t cin_g = channels / group_, cout_g = out_channels / group_;
    const int64_t ch_per_offset_group = channels / offset_group_;
    const int64_t col_rows = cin_g * g.k_size;
    const auto nd = static_cast<size_t>(g.nd);
    const T* xd = x.data<T>();
    const T* wd = w.data<T>();
    const T* od = offset.data<T>();
    const T* md = mask ? mask->data<T>() : nullptr;
    const T* bd = bias ? bias->data<T>() : nullptr;
    T* yd = y->data<T>();
    // One task per (batch, output position): gather the sampled column for every group, then dot with W.
    ThreadPool::For(ctx.thread_pool(), batch * g.out_size, [&](int64_t begin, int64_t end) {
      std::vector<A> col(static_cast<size_t>(channels * g.k_size));
      std::vector<int64_t> opos(nd), kpos(nd);
      std::vector<A> pos(nd);
      for (int64_t task = begin; task < end; ++task) {
        const int64_t n = task / g.out_size, o = task % g.out_size;
        for (int64_t rem = o, d = g.nd - 1; d >= 0; --d) {
          opos[static_cast<size_t>(d)] = rem % g.out[static_cast<size_t>(d)];
          rem /= g.out[static_cast<size_t>(d)];
        }
        for (int64_t kk = 0; kk < g.k_size; ++kk) {
          for (int64_t rem = kk, d = g.nd - 1; d >= 0; --d) {
            kpos[static_cast<size_t>(d)] = rem % g.k[static_cast<size_t>(d)];
            rem /= g.k[static_cast<size_t>(d)];
          }
          for (int64_t og = 0; og < offset_group_; ++og) {
            for (size_t d = 0; d < nd; ++d) {
              const int64_t oc = ((og * g.k_size + kk) * g.nd + static_cast<int64_t>(d));
              const A off = static_cast<A>(Load(od[(n * offset.dim(1) + oc) * g.out_size + o]));
              pos[d] = static_cast<A>(opos[d] * g.strides[d] - g.pad_begin[d] + kpos[d] * g.dilations[d]) + off;
            }
            const A m = md ? static_cast<A>(Load(md[(n * mask->dim(1) + og * g.k_size + kk) * g.out_size + o])) : A{1};
            for (int64_t c = og * ch_per_offset_group; c < (og + 1) * ch_per_offset_group; ++c) {
              const T* plane = xd + (n * channels + c) * g.in_size;
              col[static_cast<size_t>(c * g.k_size + kk)] = m == A{0} ? A{0} : m * Sample<T, A>(plane, g, pos.data());
            }
          }
        }
        for (int64_t oc = 0; oc < out_channels; ++oc) {
          const int64_t grp = oc / cout_g;
          const A* cg = col.data() + grp * col_rows;
          const T* wr = wd + oc * col_rows;
          A acc = bd ? static_cast<A>(Load(bd[oc])) : A{0};
          for (int64_t r = 0; r < col_rows; ++r) acc += static_cast<A>(Load(wr[r])) * cg[r];
          if constexpr (kIsHalf<T>)
            yd[(n * out_channels + oc) * g.out_size + o] = FromFloat<T>(acc);
          else
            yd[(n * out_channels + oc) * g.out_size + o] = acc;
        }
      }
    });
  }

  std::vector<int64_t> kernel_shape_, strides_, dilations_, pads_;
  int64_t group_ = 1, offset_group_ = 1;
};

Status InferDeformConv(ir::InferenceContext& ctx) {
  const DataType type = ctx.input_elem_type(0);
  const ir::SymShape* xs = ctx.input_shape(0);
  const ir::SymShape* ws = ctx.input_shape(1);
  if (xs == nullptr || ws == nullptr || xs->size() < 3 || ws->size() != xs->size()) {
    ctx.SetOutput(0, type, std::nullopt);
    return Status::Ok();
  }
  const size_t nd = xs->size() - 2;
  std::vector<int64_t> strides = ctx.attr_ints("strides"), dil = ctx.attr_ints("dilations"),
                       pads = ctx.attr_ints("pads"), ks = ctx.attr_ints("kernel_shape");
  ir::SymShape out{(*xs)[0], (*ws)[0]};
  for (size_t d = 0; d < nd; ++d) {
    const ir::Dim& in = (*xs)[d + 2];
    int64_t k = ks.size() == nd ? ks[d] : ((*ws)[d + 2].known() ? (*ws)[d + 2].value : -1);
    const int64_t s = strides.size() == nd ? strides[d] : 1;
    const int64_t dl = dil.size() == nd ? dil[d] : 1;
    const int64_t pad = pads.size() == 2 * nd ? pads[d] + pads[d + nd] : 0;
    if (!in.known() || k < 1 || s < 1 || dl < 1) {
      out.push_back(ir::Dim{});
      continue;
    }
    const int64_t padded = in.value + pad, span = (k - 1) * dl + 1;
    out.push_back(ir::Dim::Known(padded < span ? 0 : (padded - span) / s + 1));
  }
  ctx.SetOutput(0, type, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(DeformConvKernel, KernelDef("CPU", "", "DeformConv").Versions(19));
ONYX_REGISTER_SHAPE_INFERENCE("", "DeformConv", InferDeformConv);

}  // namespace onyx::cpu

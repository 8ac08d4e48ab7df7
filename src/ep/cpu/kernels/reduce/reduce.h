// Shared machinery of the reductions (ReduceSum, ReduceMean, ..., ArgMax): axes from the attribute (before
// the opset where they became an input) or from input 1, keepdims, noop_with_empty_axes, the reduced shape,
// and a walk over the input that hands each output element its reduced values. When the reduced dims form
// one contiguous run (the usual case: last axis, or H and W) the values are a strided range; otherwise the
// offsets are precomputed.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/math/broadcast.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "framework/op_kernel.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

// Where the values of each output element lie in the input.
struct ReduceLayout {
  Shape out_shape;
  int64_t out_count = 0;
  int64_t red_count = 1;  // values per output element
  bool single_run = true;
  int64_t inner = 1;  // single run: output j reads base (j / inner) * red_count * inner + j % inner, stride inner
  std::vector<int64_t> red_offsets;              // otherwise: offsets of the reduced values from the base
  std::vector<int64_t> kept_dims, kept_strides;  // otherwise: decode j into the base offset

  int64_t Base(int64_t j) const {
    if (single_run) return (j / inner) * red_count * inner + j % inner;
    int64_t base = 0;
    for (size_t d = kept_dims.size(); d-- > 0;) {
      base += (j % kept_dims[d]) * kept_strides[d];
      j /= kept_dims[d];
    }
    return base;
  }
};

// `reduced[i]` says whether dim i is reduced.
inline ReduceLayout MakeReduceLayout(const Shape& shape, const std::vector<bool>& reduced, bool keepdims) {
  ReduceLayout l;
  const size_t rank = shape.size();
  std::vector<int64_t> strides(rank, 1);
  for (size_t i = rank; i-- > 1;) strides[i - 1] = strides[i] * shape[i];
  l.out_count = 1;
  for (size_t i = 0; i < rank; ++i) {
    if (reduced[i]) {
      l.red_count *= shape[i];
      if (keepdims) l.out_shape.push_back(1);
    } else {
      l.out_count *= shape[i];
      l.out_shape.push_back(shape[i]);
    }
  }
  // Dims of size 1 do not matter; the reduced ones must be one run for the strided form.
  int64_t first = -1, last = -1;
  for (size_t i = 0; i < rank; ++i) {
    if (reduced[i] && shape[i] != 1) {
      if (first < 0) first = static_cast<int64_t>(i);
      last = static_cast<int64_t>(i);
    }
  }
  for (int64_t i = first; i >= 0 && i <= last; ++i) {
    if (!reduced[static_cast<size_t>(i)] && shape[static_cast<size_t>(i)] != 1) l.single_run = false;
  }
  if (l.single_run) {
    for (int64_t i = last + 1; i >= 1 && i < static_cast<int64_t>(rank); ++i) l.inner *= shape[static_cast<size_t>(i)];
    if (first < 0) l.inner = 1;  // nothing of size > 1 reduced: each output reads one value
    return l;
  }
  // Offsets of every reduced element, an odometer over the reduced dims.
  std::vector<int64_t> rdims, rstrides;
  for (size_t i = 0; i < rank; ++i) {
    if (reduced[i]) {
      rdims.push_back(shape[i]);
      rstrides.push_back(strides[i]);
    } else {
      l.kept_dims.push_back(shape[i]);
      l.kept_strides.push_back(strides[i]);
    }
  }
  l.red_offsets.resize(static_cast<size_t>(l.red_count));
  std::vector<int64_t> idx(rdims.size(), 0);
  int64_t off = 0;
  for (int64_t k = 0; k < l.red_count; ++k) {
    l.red_offsets[static_cast<size_t>(k)] = off;
    for (size_t d = rdims.size(); d-- > 0;) {
      off += rstrides[d];
      if (++idx[d] < rdims[d]) break;
      off -= rdims[d] * rstrides[d];
      idx[d] = 0;
    }
  }
  return l;
}

// Calls fn(j, n, get) for every output element j, where get(k) for k in [0, n) is its k-th reduced value
// (stored type), in parallel.
template <typename T, typename Fn>
void ForEachReduction(const ReduceLayout& l, const T* x, ThreadPool* pool, const Fn& fn) {
  const int64_t n = l.red_count;
  const int64_t grain = std::max<int64_t>(1, kCheapGrain / std::max<int64_t>(1, n));
  ThreadPool::For(
      pool, l.out_count,
      [&](int64_t begin, int64_t end) {
        for (int64_t j = begin; j < end; ++j) {
          const T* p = x + l.Base(j);
          if (l.single_run && l.inner == 1) {
            fn(j, n, [p](int64_t k) { return p[k]; });
          } else if (l.single_run) {
            const int64_t s = l.inner;
            fn(j, n, [p, s](int64_t k) { return p[k * s]; });
          } else {
            const int64_t* off = l.red_offsets.data();
            fn(j, n, [p, off](int64_t k) { return p[off[k]]; });
          }
        }
      },
      grain);
}

// A reduction over leading or middle axes (layout.inner > 1: ReduceSum over axis 1 of [N, C, W]) for the ops that
// say how to fold one value at a time (Op::kColumns, Start, Add, Finish). Read one output at a time, the values
// lie `inner` floats apart, one per cache line; instead a chunk of adjacent outputs is folded together, a row of
// the input at a time, in a loop the compiler vectorizes. Each output is then one running value in input order
// (where SumOf keeps eight), which is how a vectorized sum over such an axis goes in any engine.
template <typename Op>
void ReduceColumns(const Op& op, const ReduceLayout& l, const float* x, float* out, ThreadPool* pool) {
  constexpr int64_t kChunk = 256;
  const int64_t n = l.red_count, inner = l.inner;
  const int64_t outer = l.out_count / inner;
  const int64_t chunks = (inner + kChunk - 1) / kChunk;
  const double ns_per_item = kCheapNsPerElement * static_cast<double>(n * std::min(inner, kChunk));
  ThreadPool::For(pool, outer * chunks, ns_per_item, [&](int64_t begin, int64_t end) {
    float acc[kChunk];
    for (int64_t t = begin; t < end; ++t) {
      const int64_t o = t / chunks, c0 = (t % chunks) * kChunk, m = std::min(kChunk, inner - c0);
      const float* p = x + o * n * inner + c0;
      for (int64_t j = 0; j < m; ++j) acc[j] = op.template Start<float>();
      for (int64_t k = 0; k < n; ++k) {
        const float* row = p + k * inner;
        for (int64_t j = 0; j < m; ++j) acc[j] = op.Add(acc[j], row[j]);
      }
      float* y = out + o * inner + c0;
      for (int64_t j = 0; j < m; ++j) y[j] = op.Finish(acc[j], n);
    }
  });
}

// Reads keepdims, noop_with_empty_axes and, before `axes_input_since`, the axes attribute; resolves the
// reduced dims of an input in Compute (from input 1 when the axes are an input).
class ReduceAxes {
 public:
  Status Init(const KernelInfo& info, int axes_input_since) {
    axes_from_input_ = info.opset() >= axes_input_since;
    ONYX_RETURN_IF_ERROR(info.GetInt("keepdims", &keepdims_, 1));
    ONYX_RETURN_IF_ERROR(info.GetInt("noop_with_empty_axes", &noop_with_empty_axes_, 0));
    if (!axes_from_input_) ONYX_RETURN_IF_ERROR(info.GetInts("axes", &axes_, std::vector<int64_t>{}));
    return Status::Ok();
  }

  bool keepdims() const { return keepdims_ != 0; }

  // Fills reduced[i]; *noop is set when the axes are empty and noop_with_empty_axes asks for the identity.
  Status Resolve(const KernelContext& ctx, size_t rank, std::vector<bool>* reduced, bool* noop) const {
    std::vector<int64_t> axes = axes_;
    if (axes_from_input_) {
      if (const Tensor* a = ctx.input(1)) {
        if (a->type() != DataType::kInt64)
          return ctx.Error("axes (input 1) must be int64, got ", DataTypeName(a->type()));
        if (a->rank() > 1) return ctx.Error("axes (input 1) must be 1-D, got shape ", ShapeToString(a->shape()));
        axes.assign(a->data<int64_t>(), a->data<int64_t>() + a->size());
      }
    }
    *noop = axes.empty() && noop_with_empty_axes_ != 0;
    reduced->assign(rank, axes.empty());
    if (axes.empty()) return Status::Ok();
    const int64_t r = static_cast<int64_t>(rank);
    for (int64_t a : axes) {
      int64_t v = a < 0 ? a + r : a;
      if (v < 0 || v >= r) return ctx.Error("axis ", a, " is out of range for an input of rank ", r);
      if ((*reduced)[static_cast<size_t>(v)]) return ctx.Error("axis ", a, " is listed twice");
      (*reduced)[static_cast<size_t>(v)] = true;
    }
    return Status::Ok();
  }

 private:
  bool axes_from_input_ = false;
  int64_t keepdims_ = 1;
  int64_t noop_with_empty_axes_ = 0;
  std::vector<int64_t> axes_;
};

// A reduction. Op: `template <typename C, typename Get> C Run(int64_t n, const Get& get) const`, where
// get(k) yields compute-type values (float for float16/bfloat16) and n may be 0 (the op's identity).
template <typename Op, int kAxesInputSince, typename... Ts>
class ReduceKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override { return axes_.Init(info, kAxesInputSince); }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 0 is missing or not a tensor");
    std::vector<bool> reduced;
    bool noop = false;
    ONYX_RETURN_IF_ERROR(axes_.Resolve(ctx, x->shape().size(), &reduced, &noop));
    if (noop) return ctx.SetOutput(0, Value(*x));
    ReduceLayout layout = MakeReduceLayout(x->shape(), reduced, axes_.keepdims());
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, x->type(), layout.out_shape));
    return Dispatch<Ts...>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          using C = ComputeType<T>;
          T* out = y->data<T>();
          if constexpr (std::is_same_v<T, float> && requires { Op::kColumns; }) {
            if (layout.single_run && layout.inner > 1 && layout.red_count > 1) {
              ReduceColumns(op_, layout, x->data<float>(), out, ctx.thread_pool());
              return Status::Ok();
            }
          }
          ForEachReduction(layout, x->data<T>(), ctx.thread_pool(), [&](int64_t j, int64_t n, const auto& get) {
            out[j] = Store<T>(op_.template Run<C>(n, [&get](int64_t k) { return Load(get(k)); }));
          });
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  Op op_;
  ReduceAxes axes_;
};

// Sum of f(get(k)) with several running sums, which lets the compiler vectorize and loses less precision
// than one long chain.
template <typename C, typename Get, typename F>
C SumOf(int64_t n, const Get& get, const F& f) {
  if constexpr (std::is_integral_v<C>) {
    C s = 0;
    for (int64_t k = 0; k < n; ++k) s = WrapAdd(s, f(get(k)));
    return s;
  } else {
    C part[8] = {};
    int64_t k = 0;
    for (; k + 8 <= n; k += 8) {
      for (int l = 0; l < 8; ++l) part[l] += f(get(k + l));
    }
    for (; k < n; ++k) part[0] += f(get(k));
    return ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
  }
}

// Largest (or smallest, when `less`) value; NaN propagates; the identity for n == 0 is -inf (+inf) or the
// type's lowest (highest) value.
template <typename C, bool kMin, typename Get>
C ExtremeOf(int64_t n, const Get& get) {
  C m;
  if constexpr (std::numeric_limits<C>::has_infinity) {
    m = kMin ? std::numeric_limits<C>::infinity() : -std::numeric_limits<C>::infinity();
  } else {
    m = kMin ? std::numeric_limits<C>::max() : std::numeric_limits<C>::lowest();
  }
  for (int64_t k = 0; k < n; ++k) {
    C v = get(k);
    if constexpr (std::is_floating_point_v<C>) {
      if (v != v) return v;
    }
    if (kMin ? v < m : v > m) m = v;
  }
  return m;
}

// ArgMax (kMin false) and ArgMin: the index of the first (or, with select_last_index, last) extreme value
// along `axis`, as int64.
template <bool kMin>
class ArgReduceKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("axis", &axis_, 0));
    ONYX_RETURN_IF_ERROR(info.GetInt("keepdims", &keepdims_, 1));
    return info.GetInt("select_last_index", &select_last_, 0);
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 0 is missing or not a tensor");
    const int64_t rank = x->rank();
    const int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
    if (axis < 0 || axis >= rank) {
      return ctx.Error("axis ", axis_, " is out of range for input of shape ", ShapeToString(x->shape()));
    }
    if (x->dim(axis) == 0) return ctx.Error("cannot take the arg extreme over an empty axis ", axis_);
    std::vector<bool> reduced(static_cast<size_t>(rank), false);
    reduced[static_cast<size_t>(axis)] = true;
    ReduceLayout layout = MakeReduceLayout(x->shape(), reduced, keepdims_ != 0);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kInt64, layout.out_shape));
    int64_t* out = y->data<int64_t>();
    const bool last = select_last_ != 0;
    return Dispatch<ONYX_ALL_NUMERIC_TYPES, bool>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          ForEachReduction(layout, x->data<T>(), ctx.thread_pool(), [&](int64_t j, int64_t n, const auto& get) {
            auto best = Load(get(0));
            int64_t arg = 0;
            for (int64_t k = 1; k < n; ++k) {
              auto v = Load(get(k));
              bool better = kMin ? (last ? v <= best : v < best) : (last ? v >= best : v > best);
              if (better) {
                best = v;
                arg = k;
              }
            }
            out[j] = arg;
          });
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  int64_t axis_ = 0;
  int64_t keepdims_ = 1;
  int64_t select_last_ = 0;
};

// Shape inference of the reductions; `since` is the opset from which the axes are input 1. `out_type`
// overrides the output element type (ArgMax gives int64).
inline Status InferReduce(ir::InferenceContext& ctx, int since, DataType out_type = DataType::kUndefined) {
  DataType t = out_type != DataType::kUndefined ? out_type : ctx.input_elem_type(0);
  if (t == DataType::kUndefined) return Status::Ok();
  const ir::SymShape* in = ctx.input_shape(0);
  const bool keepdims = ctx.attr_int("keepdims", 1) != 0;
  const bool noop = ctx.attr_int("noop_with_empty_axes", 0) != 0;
  if (in == nullptr) {
    ctx.SetOutput(0, t, std::nullopt);
    return Status::Ok();
  }
  const int64_t rank = static_cast<int64_t>(in->size());
  std::vector<int64_t> axes;
  bool known = true;
  if (ctx.node().opset() < since) {
    axes = ctx.attr_ints("axes");
  } else if (ctx.has_input(1)) {
    const Tensor* a = ctx.input_constant(1);
    if (a != nullptr && a->type() == DataType::kInt64) {
      axes.assign(a->data<int64_t>(), a->data<int64_t>() + a->size());
    } else {
      known = false;
    }
  }
  if (!known) {
    std::optional<ir::SymShape> shape;
    if (keepdims) shape = ir::SymShape(static_cast<size_t>(rank));
    ctx.SetOutput(0, t, shape);
    return Status::Ok();
  }
  if (axes.empty() && noop) {
    ctx.SetOutput(0, t, *in);
    return Status::Ok();
  }
  std::vector<bool> reduced(static_cast<size_t>(rank), axes.empty());
  for (int64_t a : axes) {
    int64_t v = a < 0 ? a + rank : a;
    if (v < 0 || v >= rank) return ctx.Error("axis ", a, " is out of range for an input of rank ", rank);
    reduced[static_cast<size_t>(v)] = true;
  }
  ir::SymShape out;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduced[static_cast<size_t>(i)]) {
      out.push_back((*in)[static_cast<size_t>(i)]);
    } else if (keepdims) {
      out.push_back(ir::Dim::Known(1));
    }
  }
  ctx.SetOutput(0, t, out);
  return Status::Ok();
}

}  // namespace onyx::cpu

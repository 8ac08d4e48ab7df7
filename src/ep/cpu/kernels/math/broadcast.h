// Shared machinery of the element-wise operators: numpy broadcasting, an iteration plan that collapses the
// dims into rows whose inner stride is 0 or 1 (so the hot loop is a plain loop over contiguous memory), and
// helpers that lift float functors to float16/bfloat16 by computing in float.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "common/status.h"
#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "framework/op_kernel.h"
#include "framework/tensor.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

// Elements per parallel task: cheap ops (add, compare) need big blocks to pay for the hand-off;
// transcendental ones (exp, erf) pay for it sooner.
inline constexpr int64_t kCheapGrain = int64_t{1} << 15;
inline constexpr int64_t kCostlyGrain = int64_t{1} << 12;

template <typename T>
inline constexpr bool kIsHalf = std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>;

// The type a functor sees for element type T: float for the 16-bit floats, T otherwise.
template <typename T>
using ComputeType = std::conditional_t<kIsHalf<T>, float, T>;

template <typename T>
inline ComputeType<T> Load(T v) {
  if constexpr (kIsHalf<T>) {
    return ToFloat(v);
  } else {
    return v;
  }
}

// Stores a functor result as element type T; results of another kind (bool from a comparison) pass through.
template <typename T, typename R>
inline auto Store(R r) {
  if constexpr (kIsHalf<T> && std::is_same_v<R, float>) {
    return FromFloat<T>(r);
  } else {
    return r;
  }
}

// The numpy broadcast of two shapes; false when some dim pair is neither equal nor 1.
inline bool BroadcastTwo(const Shape& a, const Shape& b, Shape* out) {
  size_t rank = std::max(a.size(), b.size());
  Shape result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == db || db == 1) {
      result[i] = da;
    } else if (da == 1) {
      result[i] = db;
    } else {
      return false;
    }
  }
  *out = std::move(result);
  return true;
}

// The broadcast of several input shapes, or an error naming the node and the shapes.
inline Result<Shape> BroadcastAll(const KernelContext& ctx, const std::vector<Shape>& shapes) {
  Shape out = shapes.empty() ? Shape{} : shapes[0];
  for (size_t i = 1; i < shapes.size(); ++i) {
    Shape next;
    if (!BroadcastTwo(out, shapes[i], &next)) {
      std::string all;
      for (size_t k = 0; k < shapes.size(); ++k) all += (k ? " and " : "") + ShapeToString(shapes[k]);
      return ctx.Error("input shapes cannot be broadcast together: ", all);
    }
    out = std::move(next);
  }
  return out;
}

// How to walk an output of a broadcast: collapsed dims (the last is the row) and each input's element stride
// per dim. In the row dim every stride is 0 (the input repeats one value) or 1 (it is contiguous).
template <size_t N>
struct BroadcastPlan {
  std::vector<int64_t> dims;
  std::array<std::vector<int64_t>, N> strides;
  int64_t row = 1;   // dims.back()
  int64_t rows = 1;  // product of the other dims
  int64_t total = 0;
};

// Each input shape must broadcast to `out` (checked by the caller with BroadcastAll).
template <size_t N>
BroadcastPlan<N> MakePlan(const Shape& out, const std::array<const Shape*, N>& inputs) {
  BroadcastPlan<N> plan;
  const size_t rank = out.size();
  std::array<std::vector<int64_t>, N> full;
  for (size_t k = 0; k < N; ++k) {
    const Shape& s = *inputs[k];
    full[k].assign(rank, 0);
    int64_t stride = 1;
    for (size_t j = s.size(); j-- > 0;) {
      size_t i = rank - s.size() + j;
      full[k][i] = (s[j] == 1 && out[i] != 1) ? 0 : stride;
      stride *= s[j];
    }
  }
  plan.total = 1;
  for (int64_t d : out) plan.total *= d;
  for (size_t i = 0; i < rank; ++i) {
    if (out[i] == 1) continue;  // contributes nothing to any offset
    bool merge = !plan.dims.empty();
    for (size_t k = 0; k < N && merge; ++k) merge = plan.strides[k].back() == full[k][i] * out[i];
    if (merge) {
      plan.dims.back() *= out[i];
      for (size_t k = 0; k < N; ++k) plan.strides[k].back() = full[k][i];
    } else {
      plan.dims.push_back(out[i]);
      for (size_t k = 0; k < N; ++k) plan.strides[k].push_back(full[k][i]);
    }
  }
  if (plan.dims.empty()) {
    plan.dims.push_back(1);
    for (size_t k = 0; k < N; ++k) plan.strides[k].push_back(0);
  }
  plan.row = plan.dims.back();
  plan.rows = plan.row == 0 ? 0 : plan.total / plan.row;
  return plan;
}

// Calls row_fn(offsets, out_offset, n) for runs of n output elements whose inputs start at `offsets` and
// advance by plan.strides[k].back() (0 or 1), splitting the work across the pool.
template <size_t N, typename RowFn>
void ForEachRow(const BroadcastPlan<N>& plan, ThreadPool* pool, int64_t grain, const RowFn& row_fn) {
  if (plan.total == 0) return;
  const size_t last = plan.dims.size() - 1;
  if (plan.rows == 1) {
    ThreadPool::For(
        pool, plan.row,
        [&](int64_t begin, int64_t end) {
          std::array<int64_t, N> off;
          for (size_t k = 0; k < N; ++k) off[k] = begin * plan.strides[k][last];
          row_fn(off, begin, end - begin);
        },
        grain);
    return;
  }
  int64_t min_rows = std::max<int64_t>(1, grain / std::max<int64_t>(1, plan.row));
  ThreadPool::For(
      pool, plan.rows,
      [&](int64_t begin, int64_t end) {
        std::vector<int64_t> index(last, 0);
        std::array<int64_t, N> off{};
        int64_t r = begin;
        for (size_t d = last; d-- > 0;) {
          index[d] = r % plan.dims[d];
          r /= plan.dims[d];
          for (size_t k = 0; k < N; ++k) off[k] += index[d] * plan.strides[k][d];
        }
        for (int64_t row = begin; row < end; ++row) {
          row_fn(off, row * plan.row, plan.row);
          for (size_t d = last; d-- > 0;) {
            for (size_t k = 0; k < N; ++k) off[k] += plan.strides[k][d];
            if (++index[d] < plan.dims[d]) break;
            for (size_t k = 0; k < N; ++k) off[k] -= plan.dims[d] * plan.strides[k][d];
            index[d] = 0;
          }
        }
      },
      min_rows);
}

// out[i] = f(a[i], b[i]) over a broadcast plan; f takes and returns stored types.
template <typename A, typename B, typename O, typename F>
void BinaryLoop(const BroadcastPlan<2>& plan, const A* a, const B* b, O* out, ThreadPool* pool, int64_t grain,
                const F& f) {
  const bool sa = plan.strides[0].back() != 0, sb = plan.strides[1].back() != 0;
  ForEachRow<2>(plan, pool, grain, [&](const std::array<int64_t, 2>& off, int64_t o, int64_t n) {
    const A* pa = a + off[0];
    const B* pb = b + off[1];
    O* po = out + o;
    if (sa && sb) {
      for (int64_t i = 0; i < n; ++i) po[i] = f(pa[i], pb[i]);
    } else if (sa) {
      const B y = *pb;
      for (int64_t i = 0; i < n; ++i) po[i] = f(pa[i], y);
    } else if (sb) {
      const A x = *pa;
      for (int64_t i = 0; i < n; ++i) po[i] = f(x, pb[i]);
    } else {
      const O v = f(*pa, *pb);
      for (int64_t i = 0; i < n; ++i) po[i] = v;
    }
  });
}

// Wraps a functor of compute types into one of stored types (float16/bfloat16 go through float).
template <typename T, typename F>
auto Lift2(const F& f) {
  return [&f](T x, T y) { return Store<T>(f(Load(x), Load(y))); };
}
template <typename T, typename F>
auto Lift1(const F& f) {
  return [&f](T x) { return Store<T>(f(Load(x))); };
}

// The stored output type of functor F applied to two T's (T itself for arithmetic, bool for comparisons).
template <typename T, typename F>
using BinaryResult = decltype(Store<T>(std::declval<const F&>()(Load(T{}), Load(T{}))));

// Computes output 0 = f(a, b) with numpy broadcasting, given the shapes to broadcast (which may differ from
// the tensors' own shapes for the legacy axis broadcast; the element counts match).
template <typename T, typename F>
Status RunBinary(KernelContext& ctx, const Tensor& a, const Shape& a_shape, const Tensor& b, const Shape& b_shape,
                 const F& f, int64_t grain = kCheapGrain) {
  using O = BinaryResult<T, F>;
  ONYX_ASSIGN_OR_RETURN(Shape out_shape, BroadcastAll(ctx, {a_shape, b_shape}));
  ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.OutputForOverwrite(0, DataTypeOf<O>::value, out_shape));
  BroadcastPlan<2> plan = MakePlan<2>(out_shape, {&a_shape, &b_shape});
  auto g = Lift2<T>(f);
  BinaryLoop(plan, a.data<T>(), b.data<T>(), out->data<O>(), ctx.thread_pool(), grain, g);
  return Status::Ok();
}

// Checks that inputs [first, count) are present tensors of one element type; returns that type.
inline Result<DataType> CommonInputType(const KernelContext& ctx, size_t first = 0, size_t count = 0) {
  if (count == 0) count = ctx.input_count();
  DataType t = DataType::kUndefined;
  for (size_t i = first; i < count; ++i) {
    const Tensor* x = ctx.input(i);
    if (x == nullptr) return ctx.Error("input ", i, " is missing or not a tensor");
    if (t == DataType::kUndefined) {
      t = x->type();
    } else if (x->type() != t) {
      return ctx.Error("input ", i, " has type ", DataTypeName(x->type()), " but input ", first, " has type ",
                       DataTypeName(t));
    }
  }
  if (t == DataType::kUndefined) return ctx.Error("expects at least one input");
  return t;
}

// Folds all inputs with f (numpy broadcasting across all of them) into output 0: Sum, Max, Min, Mean.
template <typename T, typename F>
Result<Tensor*> RunVariadic(KernelContext& ctx, const F& f, int64_t grain = kCheapGrain) {
  std::vector<Shape> shapes;
  for (size_t i = 0; i < ctx.input_count(); ++i) shapes.push_back(ctx.input(i)->shape());
  ONYX_ASSIGN_OR_RETURN(Shape out_shape, BroadcastAll(ctx, shapes));
  ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.OutputForOverwrite(0, DataTypeOf<T>::value, out_shape));
  T* y = out->data<T>();
  auto g = Lift2<T>(f);
  if (shapes.size() == 1) {
    BroadcastPlan<2> plan = MakePlan<2>(out_shape, {&shapes[0], &shapes[0]});
    BinaryLoop(plan, ctx.input(0)->data<T>(), ctx.input(0)->data<T>(), y, ctx.thread_pool(), grain,
               [](T a, T) { return a; });
    return out;
  }
  BroadcastPlan<2> first = MakePlan<2>(out_shape, {&shapes[0], &shapes[1]});
  BinaryLoop(first, ctx.input(0)->data<T>(), ctx.input(1)->data<T>(), y, ctx.thread_pool(), grain, g);
  for (size_t i = 2; i < shapes.size(); ++i) {
    // Reading and writing the output at the same index is safe: each element is read before it is written.
    BroadcastPlan<2> plan = MakePlan<2>(out_shape, {&out_shape, &shapes[i]});
    BinaryLoop(plan, static_cast<const T*>(y), ctx.input(i)->data<T>(), y, ctx.thread_pool(), grain, g);
  }
  return out;
}

// A variadic operator: Op as for BinaryKernel; an optional `template <typename C> C Finish(C acc, size_t n)`
// post-processes each element (Mean divides).
template <typename Op, typename... Ts>
class VariadicKernel : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    ONYX_ASSIGN_OR_RETURN(DataType type, CommonInputType(ctx));
    return Dispatch<Ts...>(
        type,
        [&](auto tag) -> Status {
          using T = decltype(tag);
          ONYX_ASSIGN_OR_RETURN(Tensor * y, RunVariadic<T>(ctx, op_));
          if constexpr (requires { op_.Finish(Load(T{}), size_t{1}); }) {
            const size_t n = ctx.input_count();
            T* p = y->data<T>();
            ThreadPool::For(
                ctx.thread_pool(), y->size(),
                [&](int64_t begin, int64_t end) {
                  for (int64_t i = begin; i < end; ++i) p[i] = Store<T>(op_.Finish(Load(p[i]), n));
                },
                kCheapGrain);
          }
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  Op op_;
};

// The legacy broadcast of opset < 7 (Add, Sub, Mul, Div, Pow, And, ...): with broadcast=1 the second input's
// dims line up with the first's starting at `axis` (default: its trailing dims); with broadcast=0 the shapes
// must be equal.
class LegacyBroadcast {
 public:
  Status Init(const KernelInfo& info) {
    if (info.opset() >= 7) return Status::Ok();
    active_ = true;
    ONYX_RETURN_IF_ERROR(info.GetInt("broadcast", &broadcast_, 0));
    axis_given_ = info.has_attr("axis");
    return info.GetInt("axis", &axis_, 0);
  }

  // Rewrites *b to the rank of `a` (ones outside the aligned span) so numpy broadcasting applies.
  Status Apply(const KernelContext& ctx, const Shape& a, Shape* b) const {
    if (!active_) return Status::Ok();
    if (broadcast_ == 0) {
      if (a != *b) {
        return ctx.Error("input shapes ", ShapeToString(a), " and ", ShapeToString(*b),
                         " differ and the broadcast attribute is 0");
      }
      return Status::Ok();
    }
    const int64_t ra = static_cast<int64_t>(a.size()), rb = static_cast<int64_t>(b->size());
    int64_t axis = axis_given_ ? axis_ : ra - rb;
    if (axis < 0) axis += ra;
    if (rb > ra || axis < 0 || axis + rb > ra) {
      return ctx.Error("cannot broadcast ", ShapeToString(*b), " onto ", ShapeToString(a), " at axis ", axis_);
    }
    Shape full(static_cast<size_t>(ra), 1);
    for (int64_t i = 0; i < rb; ++i) {
      int64_t d = (*b)[static_cast<size_t>(i)];
      if (d != 1 && d != a[static_cast<size_t>(axis + i)]) {
        return ctx.Error("cannot broadcast ", ShapeToString(*b), " onto ", ShapeToString(a), " at axis ", axis);
      }
      full[static_cast<size_t>(axis + i)] = d;
    }
    *b = std::move(full);
    return Status::Ok();
  }

 private:
  bool active_ = false;
  int64_t broadcast_ = 0;
  int64_t axis_ = 0;
  bool axis_given_ = false;
};

// A binary operator with numpy broadcasting (and the legacy broadcast below opset 7).
// Op: `template <typename C> auto operator()(C a, C b) const` on compute types; optionally
// `Status Init(const KernelInfo&)` for attributes and
// `template <typename T> Status Check(const KernelContext&, const Tensor& a, const Tensor& b) const`.
template <typename Op, typename... Ts>
class BinaryKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if constexpr (requires { op_.Init(info); }) ONYX_RETURN_IF_ERROR(op_.Init(info));
    return legacy_.Init(info);
  }

  Status Compute(KernelContext& ctx) const override {
    ONYX_ASSIGN_OR_RETURN(DataType type, CommonInputType(ctx, 0, 2));
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    Shape b_shape = b.shape();
    ONYX_RETURN_IF_ERROR(legacy_.Apply(ctx, a.shape(), &b_shape));
    return Dispatch<Ts...>(
        type,
        [&](auto tag) -> Status {
          using T = decltype(tag);
          if constexpr (requires { op_.template Check<T>(ctx, a, b); }) {
            ONYX_RETURN_IF_ERROR(op_.template Check<T>(ctx, a, b));
          }
          return RunBinary<T>(ctx, a, a.shape(), b, b_shape, op_);
        },
        ctx.node());
  }

 private:
  Op op_;
  LegacyBroadcast legacy_;
};

// Integer arithmetic that wraps instead of overflowing (signed overflow would be undefined behaviour, and
// uint16*uint16 promotes to int).
template <typename T>
using WrapType = std::conditional_t<sizeof(T) <= 4, uint32_t, uint64_t>;
template <typename T>
inline T WrapAdd(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(static_cast<WrapType<T>>(a) + static_cast<WrapType<T>>(b));
  } else {
    return a + b;
  }
}
template <typename T>
inline T WrapSub(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(static_cast<WrapType<T>>(a) - static_cast<WrapType<T>>(b));
  } else {
    return a - b;
  }
}
template <typename T>
inline T WrapMul(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(static_cast<WrapType<T>>(a) * static_cast<WrapType<T>>(b));
  } else {
    return a * b;
  }
}

// Shape inference of the arithmetic binary ops: below opset 7 the output is shaped like input 0 (the legacy
// broadcast only ever widens input 1); from 7 on, numpy broadcasting.
inline Status InferBinaryArith(ir::InferenceContext& ctx) {
  if (ctx.node().opset() < 7) return ir::InferSameAsInput(ctx);
  return ir::InferElementwise(ctx);
}

// Like InferBinaryArith, with a bool output (comparisons, logical ops).
inline Status InferBinaryBool(ir::InferenceContext& ctx) {
  ONYX_RETURN_IF_ERROR(InferBinaryArith(ctx));
  const onyx::ir::Value* out = ctx.node().output(0);
  std::optional<ir::SymShape> shape;
  if (out != nullptr && out->type().is_tensor()) shape = out->type().shape;
  ctx.SetOutput(0, DataType::kBool, shape);
  return Status::Ok();
}

// Type lists of the ONNX spec.
#define ONYX_HALF_TYPES ::onyx::Float16, ::onyx::BFloat16
#define ONYX_ALL_FLOAT_TYPES float, double, ONYX_HALF_TYPES
#define ONYX_ALL_NUMERIC_TYPES ONYX_ALL_FLOAT_TYPES, ONYX_INT_TYPES
#define ONYX_SIGNED_INT_TYPES int8_t, int16_t, int32_t, int64_t
#define ONYX_UNSIGNED_INT_TYPES uint8_t, uint16_t, uint32_t, uint64_t

}  // namespace onyx::cpu

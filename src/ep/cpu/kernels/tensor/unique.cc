// Unique: the distinct elements (or, with 'axis', distinct slices along it), sorted (default) or in order of
// first occurrence, with optional outputs: first-occurrence indices, inverse indices and counts.
#include <algorithm>
#include <numeric>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/tensor/tensor_util.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu {
namespace {

template <typename T>
auto CompareKey(const T& v) {
  if constexpr (std::is_same_v<T, Float16> || std::is_same_v<T, BFloat16>)
    return ToFloat(v);
  else
    return v;
}

class UniqueKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    has_axis_ = info.has_attr("axis");
    ONYX_RETURN_IF_ERROR(info.GetInt("axis", &axis_, 0));
    return info.GetInt("sorted", &sorted_, 1);
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'X' is missing");
    Shape view = has_axis_ ? x->shape() : Shape{x->size()};
    int64_t axis = has_axis_ ? axis_ : 0;
    if (!NormalizeAxis(&axis, static_cast<int64_t>(view.size()))) {
      return ctx.Error("axis ", axis_, " is out of range for ", x->Describe());
    }
    const int64_t n = view[static_cast<size_t>(axis)];
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= view[static_cast<size_t>(d)];
    for (size_t d = static_cast<size_t>(axis) + 1; d < view.size(); ++d) inner *= view[d];
    return Dispatch<ONYX_NUMERIC_TYPES, Float16, BFloat16, bool, std::string>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* in = x->data<T>();
          // Compares slice a with slice b element by element: -1, 0 or 1.
          auto compare = [&](int64_t a, int64_t b) {
            for (int64_t o = 0; o < outer; ++o) {
              for (int64_t i = 0; i < inner; ++i) {
                auto ka = CompareKey(in[(o * n + a) * inner + i]), kb = CompareKey(in[(o * n + b) * inner + i]);
                if (ka < kb) return -1;
                if (kb < ka) return 1;
              }
            }
            return 0;
          };
          std::vector<int64_t> order(static_cast<size_t>(n));
          std::iota(order.begin(), order.end(), 0);
          std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return compare(a, b) < 0; });
          // Groups of equal slices; the first member of each is its first occurrence (the sort is stable).
          std::vector<int64_t> firsts, counts, group_of(static_cast<size_t>(n));
          for (size_t p = 0; p < order.size(); ++p) {
            if (p == 0 || compare(order[p - 1], order[p]) != 0) {
              firsts.push_back(order[p]);
              counts.push_back(0);
            }
            counts.back()++;
            group_of[static_cast<size_t>(order[p])] = static_cast<int64_t>(firsts.size() - 1);
          }
          std::vector<int64_t> rank(firsts.size());  // output position of each group
          std::iota(rank.begin(), rank.end(), 0);
          if (!sorted_) {
            std::vector<int64_t> by_first(firsts.size());
            std::iota(by_first.begin(), by_first.end(), 0);
            std::sort(by_first.begin(), by_first.end(), [&](int64_t a, int64_t b) {
              return firsts[static_cast<size_t>(a)] < firsts[static_cast<size_t>(b)];
            });
            for (size_t p = 0; p < by_first.size(); ++p)
              rank[static_cast<size_t>(by_first[p])] = static_cast<int64_t>(p);
          }
          const int64_t u = static_cast<int64_t>(firsts.size());
          Shape y_shape = view;
          y_shape[static_cast<size_t>(axis)] = u;
          ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, x->type(), y_shape));
          T* out = y->data<T>();
          for (int64_t g = 0; g < u; ++g) {
            const int64_t pos = rank[static_cast<size_t>(g)], src = firsts[static_cast<size_t>(g)];
            for (int64_t o = 0; o < outer; ++o) {
              for (int64_t i = 0; i < inner; ++i) out[(o * u + pos) * inner + i] = in[(o * n + src) * inner + i];
            }
          }
          if (ctx.output_requested(1)) {
            ONYX_ASSIGN_OR_RETURN(Tensor * t, ctx.Output(1, DataType::kInt64, {u}));
            for (int64_t g = 0; g < u; ++g)
              t->data<int64_t>()[rank[static_cast<size_t>(g)]] = firsts[static_cast<size_t>(g)];
          }
          if (ctx.output_requested(2)) {
            ONYX_ASSIGN_OR_RETURN(Tensor * t, ctx.Output(2, DataType::kInt64, {n}));
            for (int64_t j = 0; j < n; ++j)
              t->data<int64_t>()[j] = rank[static_cast<size_t>(group_of[static_cast<size_t>(j)])];
          }
          if (ctx.output_requested(3)) {
            ONYX_ASSIGN_OR_RETURN(Tensor * t, ctx.Output(3, DataType::kInt64, {u}));
            for (int64_t g = 0; g < u; ++g)
              t->data<int64_t>()[rank[static_cast<size_t>(g)]] = counts[static_cast<size_t>(g)];
          }
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  bool has_axis_ = false;
  int64_t axis_ = 0, sorted_ = 1;
};

Status InferUnique(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  const ir::SymShape* in = ctx.input_shape(0);
  if (ctx.attr("axis") == nullptr) {
    SetOutputIfKnown(ctx, 0, t, ir::SymShape(1));
  } else if (in) {
    int64_t axis = ctx.attr_int("axis", 0);
    if (!NormalizeAxis(&axis, static_cast<int64_t>(in->size()))) return ctx.Error("axis ", axis, " is out of range");
    ir::SymShape out = *in;
    out[static_cast<size_t>(axis)] = ir::Dim{};
    SetOutputIfKnown(ctx, 0, t, out);
  } else {
    SetOutputIfKnown(ctx, 0, t, std::nullopt);
  }
  for (size_t o = 1; o < 4; ++o) ctx.SetOutput(o, DataType::kInt64, ir::SymShape(1));
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(UniqueKernel, KernelDef("CPU", "", "Unique").Versions(11));
ONYX_REGISTER_SHAPE_INFERENCE("", "Unique", InferUnique);

}  // namespace onyx::cpu

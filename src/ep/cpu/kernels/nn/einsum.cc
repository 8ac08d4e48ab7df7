// Einsum: a direct sum over every label (output labels outside, summed labels
// inside). Repeated labels in one term take diagonals; "..." dims broadcast
// right-aligned. Simple and general rather than fast: products of large
// operands belong in MatMul.
#include <algorithm>
#include <string>
#include <type_traits>

#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

constexpr int kLetters = 52;  // a-z, A-Z; ellipsis dims get ids from kLetters on

struct Term {
  std::vector<int> labels;  // letters, with -1 where "..." stands
  bool has_ellipsis = false;
};

int LabelId(char c) {
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= 'A' && c <= 'Z') return 26 + (c - 'A');
  return -2;
}
char LabelChar(int id) { return id < 26 ? static_cast<char>('a' + id) : static_cast<char>('A' + id - 26); }

bool ParseTerm(const std::string& s, Term* t) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (t->has_ellipsis || s.compare(i, 3, "...") != 0) return false;
      t->has_ellipsis = true;
      t->labels.push_back(-1);
      i += 2;
      continue;
    }
    const int id = LabelId(s[i]);
    if (id < 0) return false;
    t->labels.push_back(id);
  }
  return true;
}

struct EinsumPlan {
  std::vector<int> out_labels, sum_labels;
  std::vector<int64_t> size;                  // per label id
  std::vector<std::vector<int64_t>> strides;  // [input][label id]
  Shape out_shape;
};

Status MakePlan(KernelContext& ctx, const std::string& equation, const std::vector<const Tensor*>& in, EinsumPlan* p) {
  std::string eq;
  for (char c : equation)
    if (c != ' ') eq += c;
  const size_t arrow = eq.find("->");
  const std::string lhs = eq.substr(0, arrow);
  std::vector<Term> terms;
  size_t start = 0;
  while (true) {
    const size_t comma = lhs.find(',', start);
    Term t;
    if (!ParseTerm(lhs.substr(start, comma == std::string::npos ? std::string::npos : comma - start), &t))
      return ctx.Error("cannot parse equation '", equation, "'");
    terms.push_back(t);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (terms.size() != in.size())
    return ctx.Error("equation '", equation, "' has ", terms.size(), " terms for ", in.size(), " inputs");
  int64_t ell_rank = 0;
  for (size_t i = 0; i < terms.size(); ++i) {
    const int64_t letters = static_cast<int64_t>(terms[i].labels.size()) - (terms[i].has_ellipsis ? 1 : 0);
    const int64_t extra = in[i]->rank() - letters;
    if (extra < 0 || (!terms[i].has_ellipsis && extra != 0))
      return ctx.Error("term ", i, " of '", equation, "' does not match input ", in[i]->Describe());
    ell_rank = std::max(ell_rank, extra);
  }
  const int total = kLetters + static_cast<int>(ell_rank);
  p->size.assign(static_cast<size_t>(total), -1);
  p->strides.assign(in.size(), std::vector<int64_t>(static_cast<size_t>(total), 0));
  std::vector<int> count(static_cast<size_t>(total), 0);
  for (size_t i = 0; i < terms.size(); ++i) {
    // Expand "..." into this input's ellipsis dims, right-aligned against the
    // widest.
    std::vector<int> dims;
    const int64_t extra =
        in[i]->rank() - (static_cast<int64_t>(terms[i].labels.size()) - (terms[i].has_ellipsis ? 1 : 0));
    for (int l : terms[i].labels) {
      if (l >= 0) {
        dims.push_back(l);
        ++count[l];
        continue;
      }
      for (int64_t e = ell_rank - extra; e < ell_rank; ++e) dims.push_back(kLetters + static_cast<int>(e));
    }
    int64_t stride = 1;
    for (size_t k = dims.size(); k-- > 0;) {
      const int l = dims[k];
      const int64_t d = in[i]->dim(static_cast<int64_t>(k));
      if (p->size[l] < 0 || p->size[l] == 1) {
        p->size[l] = d;
      } else if (d != 1 && d != p->size[l]) {
        return ctx.Error("label dims disagree: ", d, " vs ", p->size[l], " in input ", in[i]->Describe());
      }
      if (d != 1) p->strides[i][l] += stride;
      stride *= d;
    }
  }
  if (arrow != std::string::npos) {
    Term out;
    if (!ParseTerm(eq.substr(arrow + 2), &out)) return ctx.Error("cannot parse the output of '", equation, "'");
    for (int l : out.labels) {
      if (l < 0) {
        for (int e = 0; e < ell_rank; ++e) p->out_labels.push_back(kLetters + e);
      } else {
        if (p->size[l] < 0) return ctx.Error("output label '", LabelChar(l), "' appears in no input");
        if (std::count(p->out_labels.begin(), p->out_labels.end(), l))
          return ctx.Error("output label '", LabelChar(l), "' is repeated");
        p->out_labels.push_back(l);
      }
    }
  } else {
    for (int e = 0; e < ell_rank; ++e) p->out_labels.push_back(kLetters + e);
    std::vector<char> once;
    for (int l = 0; l < kLetters; ++l)
      if (count[l] == 1) once.push_back(LabelChar(l));
    std::sort(once.begin(), once.end());
    for (char c : once) p->out_labels.push_back(LabelId(c));
  }
  for (int l = 0; l < total; ++l) {
    if (p->size[l] >= 0 && std::find(p->out_labels.begin(), p->out_labels.end(), l) == p->out_labels.end())
      p->sum_labels.push_back(l);
  }
  for (int l : p->out_labels) p->out_shape.push_back(p->size[l]);
  return Status::Ok();
}

template <typename T, bool = std::is_integral_v<T>&& std::is_signed_v<T>>
struct AccumulatorOf {
  using type = T;
};
template <typename T>
struct AccumulatorOf<T, true> {
  using type = std::make_unsigned_t<T>;
};

template <typename T>
void RunEinsum(const EinsumPlan& p, const std::vector<const T*>& in, T* out) {
  // Signed integers accumulate in their unsigned type so that overflow wraps
  // instead of being undefined.
  using Acc = typename AccumulatorOf<T>::type;
  const size_t n_in = in.size();
  int64_t out_count = 1, sum_count = 1;
  for (int l : p.out_labels) out_count *= p.size[l];
  for (int l : p.sum_labels) sum_count *= p.size[l];
  std::vector<int64_t> base(n_in), off(n_in);
  for (int64_t o = 0; o < out_count; ++o) {
    int64_t rem = o;
    std::fill(base.begin(), base.end(), 0);
    for (size_t k = p.out_labels.size(); k-- > 0;) {
      const int l = p.out_labels[k];
      const int64_t idx = rem % p.size[l];
      rem /= p.size[l];
      for (size_t i = 0; i < n_in; ++i) base[i] += idx * p.strides[i][l];
    }
    Acc acc = Acc(0);
    for (int64_t s = 0; s < sum_count; ++s) {
      int64_t r = s;
      off = base;
      for (size_t k = p.sum_labels.size(); k-- > 0;) {
        const int l = p.sum_labels[k];
        const int64_t idx = r % p.size[l];
        r /= p.size[l];
        for (size_t i = 0; i < n_in; ++i) off[i] += idx * p.strides[i][l];
      }
      Acc prod = Acc(1);
      for (size_t i = 0; i < n_in; ++i) prod = static_cast<Acc>(prod * static_cast<Acc>(in[i][off[i]]));
      acc = static_cast<Acc>(acc + prod);
    }
    out[o] = static_cast<T>(acc);
  }
}

class EinsumKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if (!info.has_attr("equation")) return info.Error("attribute equation is required");
    return info.GetString("equation", &equation_);
  }

  Status Compute(KernelContext& ctx) const override {
    std::vector<const Tensor*> in;
    for (size_t i = 0; i < ctx.input_count(); ++i) {
      if (!ctx.input(i)) return ctx.Error("input ", i, " is missing");
      if (ctx.input(i)->type() != ctx.input(0)->type()) return ctx.Error("inputs must share one element type");
      in.push_back(ctx.input(i));
    }
    if (in.empty()) return ctx.Error("Einsum needs at least one input");
    EinsumPlan plan;
    ONYX_RETURN_IF_ERROR(MakePlan(ctx, equation_, in, &plan));
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, in[0]->type(), plan.out_shape));
    for (const Tensor* t : in)
      if (t->size() == 0) return Status::Ok();
    std::vector<Tensor> computed;
    for (const Tensor* t : in) {
      ONYX_ASSIGN_OR_RETURN(Tensor c, AsComputeTensor(ctx, *t));
      computed.push_back(c);
    }
    ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
    Status st = Dispatch<float, double, int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t>(
        computed[0].type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          std::vector<const T*> ptrs;
          for (const Tensor& c : computed) ptrs.push_back(c.data<T>());
          RunEinsum<T>(plan, ptrs, yc.data<T>());
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    return Status::Ok();
  }

 private:
  std::string equation_;
};

// The element type always; the shape is left to run time (it needs the
// equation's full parse).
Status InferEinsum(ir::InferenceContext& ctx) {
  const DataType t = ctx.input_elem_type(0);
  if (t != DataType::kUndefined) ctx.SetOutput(0, t, std::nullopt);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_SHAPE_INFERENCE("", "Einsum", InferEinsum);
ONYX_REGISTER_KERNEL(EinsumKernel, KernelDef("CPU", "", "Einsum").Versions(12).Types(0, types::Numeric()));

}  // namespace onyx::cpu

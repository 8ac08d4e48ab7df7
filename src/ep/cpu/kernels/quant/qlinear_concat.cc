// com.microsoft QLinearConcat (onnxruntime contrib operator): Concat of 8-bit tensors that each carry their own
// per-tensor scale and zero point, requantized to the output's. Inputs are Y_scale, Y_zero_point, then one
// (X, X_scale, X_zero_point) triple per tensor. An input already in the output's quantization is copied; any
// other goes through a 256-entry requantization table.
#include <algorithm>
#include <cstring>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "ep/cpu/kernels/quant/qlinear_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::quant {

namespace {

class QLinearConcatKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInt("axis", &axis_));
    if (info.input_count() < 5 || (info.input_count() - 2) % 3 != 0) {
      return info.Error("expects Y_scale, Y_zero_point and then (X, X_scale, X_zero_point) triples, got ",
                        info.input_count(), " inputs");
    }
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const size_t n = (ctx.input_count() - 2) / 3;
    const Tensor* first = ctx.input(2);
    if (first == nullptr) return ctx.Error("input 0 of the concatenation is missing");
    const DataType type = first->type();
    if (!Is8Bit(type)) return ctx.Error("inputs must be uint8 or int8, got ", first->Describe());
    QParams yp;
    ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 0, 1, type, "Y", &yp));
    const int64_t rank = first->rank();
    const int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
    if (axis < 0 || axis >= rank) return ctx.Error("axis ", axis_, " is out of range for rank ", rank);
    Shape out_shape = first->shape();
    out_shape[static_cast<size_t>(axis)] = 0;
    std::vector<const Tensor*> xs(n);
    std::vector<Lut> luts(n);
    std::vector<bool> same(n);
    for (size_t i = 0; i < n; ++i) {
      const Tensor* x = ctx.input(2 + 3 * i);
      if (x == nullptr) return ctx.Error("input ", i, " of the concatenation is missing");
      if (x->type() != type || x->rank() != rank) {
        return ctx.Error("input ", i, " ", x->Describe(), " differs in type or rank from input 0 ", first->Describe());
      }
      for (int64_t d = 0; d < rank; ++d) {
        if (d != axis && x->dim(d) != first->dim(d)) {
          return ctx.Error("input ", i, " ", x->Describe(), " differs from input 0 ", first->Describe(),
                           " outside axis ", axis);
        }
      }
      QParams xp;
      ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 3 + 3 * i, 4 + 3 * i, type, "an input", &xp));
      same[i] = xp == yp;
      if (!same[i]) luts[i] = type == DataType::kInt8 ? RequantizeLut<int8_t>(xp, yp) : RequantizeLut<uint8_t>(xp, yp);
      xs[i] = x;
      out_shape[static_cast<size_t>(axis)] += x->dim(axis);
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, type, out_shape));
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= out_shape[static_cast<size_t>(d)];
    for (int64_t d = axis + 1; d < rank; ++d) inner *= out_shape[static_cast<size_t>(d)];
    const int64_t out_row = out_shape[static_cast<size_t>(axis)] * inner;
    auto* dst = static_cast<uint8_t*>(y->raw());
    // The copies as pieces of at most kPiece bytes (input i's run in outer row o, from `from`), split over the pool:
    // a batch of one is a single outer row, which ran on one thread.
    constexpr int64_t kPiece = 16384;
    struct Piece {
      int64_t o, from, len, at;
      size_t i;
    };
    std::vector<Piece> pieces;
    for (int64_t o = 0; o < outer; ++o) {
      int64_t at = o * out_row;
      for (size_t i = 0; i < n; ++i) {
        const int64_t len = xs[i]->dim(axis) * inner;
        for (int64_t from = 0; from < len; from += kPiece)
          pieces.push_back({o, from, std::min(kPiece, len - from), at + from, i});
        at += len;
      }
    }
    ThreadPool::For(ctx.thread_pool(), static_cast<int64_t>(pieces.size()),
                    kCopyNsPerByte * static_cast<double>(kPiece), [&](int64_t begin, int64_t end) {
                      for (int64_t p = begin; p < end; ++p) {
                        const Piece& c = pieces[static_cast<size_t>(p)];
                        const int64_t len = xs[c.i]->dim(axis) * inner;
                        const auto* src = static_cast<const uint8_t*>(xs[c.i]->raw()) + c.o * len + c.from;
                        if (same[c.i]) {
                          std::memcpy(dst + c.at, src, static_cast<size_t>(c.len));
                        } else {
                          ApplyLut(luts[c.i], src, dst + c.at, c.len);
                        }
                      }
                    });
    return Status::Ok();
  }

 private:
  int64_t axis_ = 0;
};

Status InferQLinearConcat(ir::InferenceContext& ctx) {
  const DataType type = ctx.input_count() > 2 ? ctx.input_elem_type(2) : DataType::kUndefined;
  const int64_t axis_attr = ctx.attr_int("axis", 0);
  std::optional<ir::SymShape> out;
  for (size_t i = 2; i < ctx.input_count(); i += 3) {
    const ir::SymShape* s = ctx.input_shape(i);
    if (s == nullptr) {
      ctx.SetOutput(0, type, std::nullopt);
      return Status::Ok();
    }
    const int64_t rank = static_cast<int64_t>(s->size());
    const int64_t axis = axis_attr < 0 ? axis_attr + rank : axis_attr;
    if (axis < 0 || axis >= rank) return ctx.Error("axis ", axis_attr, " is out of range for rank ", rank);
    if (!out) {
      out = *s;
      continue;
    }
    if (out->size() != s->size()) return ctx.Error("inputs differ in rank");
    ir::Dim& d = (*out)[static_cast<size_t>(axis)];
    const ir::Dim& e = (*s)[static_cast<size_t>(axis)];
    d = d.known() && e.known() ? ir::Dim::Known(d.value + e.value) : ir::Dim{};
  }
  ctx.SetOutput(0, type, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(
    QLinearConcatKernel,
    KernelDef("CPU", kMsDomain, "QLinearConcat").Versions(1).Types(2, {DataType::kUint8, DataType::kInt8}));
ONYX_REGISTER_SHAPE_INFERENCE(kMsDomain, "QLinearConcat", InferQLinearConcat);

}  // namespace onyx::cpu::quant

// com.microsoft QLinearReduceMean (onnxruntime contrib operator): ReduceMean over `axes` of a dequantized 8-bit
// tensor, quantized with the output's scale and zero point. The sums are exact (int64), centered on the input zero
// point, and the mean is rounded once: y = round((sum - count * zx) * sx / (count * sy)) + zy.
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/quant/qlinear_common.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::quant {

namespace {

class QLinearReduceMeanKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetInts("axes", &axes_, std::vector<int64_t>{}));
    return info.GetInt("keepdims", &keepdims_, int64_t{1});
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input data is required");
    if (!Is8Bit(x->type())) return ctx.Error("data must be uint8 or int8, got ", x->Describe());
    QParams xp, yp;
    ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 1, 2, x->type(), "data", &xp));
    ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 3, 4, x->type(), "reduced", &yp));
    const int64_t rank = x->rank();
    std::vector<bool> reduce(static_cast<size_t>(rank), axes_.empty());
    for (int64_t a : axes_) {
      const int64_t r = a < 0 ? a + rank : a;
      if (r < 0 || r >= rank) return ctx.Error("axis ", a, " is out of range for ", x->Describe());
      reduce[static_cast<size_t>(r)] = true;
    }
    Shape out_shape, kept;  // kept: the output dims without the reduced ones
    int64_t count = 1;
    for (int64_t d = 0; d < rank; ++d) {
      if (reduce[static_cast<size_t>(d)]) {
        count *= x->dim(d);
        if (keepdims_) out_shape.push_back(1);
      } else {
        out_shape.push_back(x->dim(d));
        kept.push_back(x->dim(d));
      }
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.OutputForOverwrite(0, x->type(), out_shape));
    const int64_t outputs = y->size();
    // Output offset stride of every input dim (0 for a reduced one).
    std::vector<int64_t> ostride(static_cast<size_t>(rank), 0);
    int64_t s = 1;
    for (int64_t d = rank; d-- > 0;) {
      if (!reduce[static_cast<size_t>(d)]) {
        ostride[static_cast<size_t>(d)] = s;
        s *= x->dim(d);
      }
    }
    std::vector<int64_t> sums(static_cast<size_t>(outputs), 0);
    const float mult = count > 0 ? xp.scale / (yp.scale * static_cast<float>(count)) : 0.0f;
    auto run = [&](auto tag) {
      using T = decltype(tag);
      const T* xs = x->data<T>();
      // The last dim is walked as a run: it is either reduced (one accumulator) or kept (contiguous outputs).
      const int64_t last = rank > 0 ? x->dim(rank - 1) : 1;
      const bool last_reduced = rank > 0 && reduce[static_cast<size_t>(rank - 1)];
      const int64_t rows = last == 0 ? 0 : x->size() / last;
      std::vector<int64_t> index(static_cast<size_t>(std::max<int64_t>(rank - 1, 0)), 0);
      int64_t obase = 0;
      for (int64_t r = 0; r < rows; ++r) {
        const T* xr = xs + r * last;
        if (last_reduced) {
          int64_t acc = 0;
          for (int64_t k = 0; k < last; ++k) acc += xr[k];
          sums[static_cast<size_t>(obase)] += acc;
        } else {
          int64_t* out = sums.data() + obase;
          for (int64_t k = 0; k < last; ++k) out[k] += xr[k];
        }
        for (int64_t d = rank - 1; d-- > 0;) {
          obase += ostride[static_cast<size_t>(d)];
          if (++index[static_cast<size_t>(d)] < x->dim(d)) break;
          obase -= x->dim(d) * ostride[static_cast<size_t>(d)];
          index[static_cast<size_t>(d)] = 0;
        }
      }
      T* ys = y->data<T>();
      const int64_t bias = count * xp.zero_point;
      for (int64_t o = 0; o < outputs; ++o) {
        ys[o] = RoundToQ<T>(static_cast<float>(sums[static_cast<size_t>(o)] - bias) * mult, yp.zero_point);
      }
    };
    if (x->type() == DataType::kInt8) {
      run(int8_t{});
    } else {
      run(uint8_t{});
    }
    return Status::Ok();
  }

 private:
  std::vector<int64_t> axes_;
  int64_t keepdims_ = 1;
};

Status InferQLinearReduceMean(ir::InferenceContext& ctx) {
  const ir::SymShape* x = ctx.input_shape(0);
  if (x == nullptr) {
    ctx.SetOutput(0, ctx.input_elem_type(0), std::nullopt);
    return Status::Ok();
  }
  const int64_t rank = static_cast<int64_t>(x->size());
  const std::vector<int64_t> axes = ctx.attr_ints("axes");
  const bool keep = ctx.attr_int("keepdims", 1) != 0;
  std::vector<bool> reduce(static_cast<size_t>(rank), axes.empty());
  for (int64_t a : axes) {
    const int64_t r = a < 0 ? a + rank : a;
    if (r < 0 || r >= rank) return ctx.Error("axis ", a, " is out of range for rank ", rank);
    reduce[static_cast<size_t>(r)] = true;
  }
  ir::SymShape out;
  for (int64_t d = 0; d < rank; ++d) {
    if (!reduce[static_cast<size_t>(d)]) {
      out.push_back((*x)[static_cast<size_t>(d)]);
    } else if (keep) {
      out.push_back(ir::Dim::Known(1));
    }
  }
  ctx.SetOutput(0, ctx.input_elem_type(0), out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(
    QLinearReduceMeanKernel,
    KernelDef("CPU", kMsDomain, "QLinearReduceMean").Versions(1).Types(0, {DataType::kUint8, DataType::kInt8}));
ONYX_REGISTER_SHAPE_INFERENCE(kMsDomain, "QLinearReduceMean", InferQLinearReduceMean);

}  // namespace onyx::cpu::quant

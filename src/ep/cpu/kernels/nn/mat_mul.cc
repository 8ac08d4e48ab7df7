// MatMul with numpy semantics: batch dims broadcast, a 1-D A gains a leading 1
// and a 1-D B a trailing 1 (both removed from the output).
#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "ep/cpu/kernels/nn/gemm_util.h"
#include "ep/cpu/kernels/nn/half_util.h"
#include "ep/cpu/kernels/parallel_cost.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {

namespace {

template <typename T>
void IntegerMatMul(const T* a, const T* b, T* y, int64_t m, int64_t n, int64_t k) {
  using U = std::make_unsigned_t<T>;
  for (int64_t i = 0; i < m; ++i) {
    U* yr = reinterpret_cast<U*>(y + i * n);
    for (int64_t j = 0; j < n; ++j) yr[j] = 0;
    for (int64_t p = 0; p < k; ++p) {
      const U av = static_cast<U>(a[i * k + p]);
      const T* br = b + p * n;
      for (int64_t j = 0; j < n; ++j) yr[j] += av * static_cast<U>(br[j]);
    }
  }
}

// Batch layout after broadcasting: for every output matrix, which A and B
// matrices it multiplies.
struct MatMulPlan {
  int64_t m = 1, n = 1, k = 1;
  Shape out_shape;
  std::vector<int64_t> a_index, b_index;
};

Status Plan(KernelContext& ctx, const Tensor& a, const Tensor& b, MatMulPlan* p) {
  if (a.rank() < 1 || b.rank() < 1)
    return ctx.Error("A and B must have rank >= 1, got ", a.Describe(), " and ", b.Describe());
  Shape as = a.shape(), bs = b.shape();
  if (as.size() == 1) as.insert(as.begin(), 1);
  if (bs.size() == 1) bs.push_back(1);
  p->m = as[as.size() - 2];
  p->k = as.back();
  p->n = bs.back();
  if (bs[bs.size() - 2] != p->k) return ctx.Error("inner dimensions differ: A ", a.Describe(), " and B ", b.Describe());
  const size_t a_batch = as.size() - 2, b_batch = bs.size() - 2, rank = std::max(a_batch, b_batch);
  Shape batch(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a_batch ? 1 : as[i - (rank - a_batch)];
    const int64_t db = i < rank - b_batch ? 1 : bs[i - (rank - b_batch)];
    if (da != db && da != 1 && db != 1)
      return ctx.Error("batch dimensions do not broadcast: A ", a.Describe(), " and B ", b.Describe());
    batch[i] = da == 1 ? db : da;
  }
  int64_t count = 1;
  for (int64_t d : batch) count *= d;
  p->a_index.assign(static_cast<size_t>(count), 0);
  p->b_index.assign(static_cast<size_t>(count), 0);
  for (int64_t o = 0; o < count; ++o) {
    int64_t rem = o, ai = 0, bi = 0, a_stride = 1, b_stride = 1;
    for (size_t i = rank; i-- > 0;) {
      const int64_t idx = rem % batch[i];
      rem /= batch[i];
      const int64_t da = i < rank - a_batch ? 1 : as[i - (rank - a_batch)];
      const int64_t db = i < rank - b_batch ? 1 : bs[i - (rank - b_batch)];
      if (da != 1) ai += idx * a_stride;
      if (db != 1) bi += idx * b_stride;
      a_stride *= da;
      b_stride *= db;
    }
    p->a_index[o] = ai;
    p->b_index[o] = bi;
  }
  p->out_shape = batch;
  if (a.rank() > 1) p->out_shape.push_back(p->m);
  if (b.rank() > 1) p->out_shape.push_back(p->n);
  return Status::Ok();
}

template <typename T>
void RunMatMul(const MatMulPlan& p, const T* a, const T* b, T* y, ThreadPool* pool) {
  const int64_t count = static_cast<int64_t>(p.a_index.size());
  const int64_t a_mat = p.m * p.k, b_mat = p.k * p.n, y_mat = p.m * p.n;
  if constexpr (std::is_floating_point_v<T>) {
    // One B for every batch, A's batches in order: a single taller product.
    bool fold = count > 1;
    for (int64_t i = 0; i < count && fold; ++i) fold = p.b_index[i] == 0 && p.a_index[i] == i;
    if (fold || count == 1) {
      Gemm(false, false, p.m * (fold ? count : 1), p.n, p.k, T(1), a + p.a_index[0] * a_mat, p.k,
           b + p.b_index[0] * b_mat, p.n, T(0), y, p.n, pool);
      return;
    }
  }
  ThreadPool::For(pool, count, static_cast<double>(p.m * p.n * p.k) * kSmallProductNsPerMac,
                  [&](int64_t begin, int64_t end) {
                    for (int64_t i = begin; i < end; ++i) {
                      const T* ai = a + p.a_index[i] * a_mat;
                      const T* bi = b + p.b_index[i] * b_mat;
                      if constexpr (std::is_floating_point_v<T>) {
                        Gemm(false, false, p.m, p.n, p.k, T(1), ai, p.k, bi, p.n, T(0), y + i * y_mat, p.n, nullptr);
                      } else {
                        IntegerMatMul(ai, bi, y + i * y_mat, p.m, p.n, p.k);
                      }
                    }
                  });
}

class MatMulKernel : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    // A constant 2-D float B (weights) is packed for the GEMM once, here. Only a true constant: an initializer
    // that is also a graph input can be fed another value at run time.
    const ir::Value* bv = info.node().input(1);
    const Tensor* b = bv && !bv->is_graph_input() ? info.constant_input(1) : nullptr;
    if (b && b->type() == DataType::kFloat && b->rank() == 2)
      packed_b_ = PackedGemmB(false, b->dim(0), b->dim(1), b->data<float>(), b->dim(1));
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* a = ctx.input(0);
    const Tensor* b = ctx.input(1);
    if (!a || !b) return ctx.Error("inputs A and B are required");
    if (a->type() != b->type()) return ctx.Error("A and B must have the same element type");
    MatMulPlan plan;
    ONYX_RETURN_IF_ERROR(Plan(ctx, *a, *b, &plan));
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, a->type(), plan.out_shape));
    if (y->size() == 0) return Status::Ok();
    ONYX_ASSIGN_OR_RETURN(Tensor ac, AsComputeTensor(ctx, *a));
    ONYX_ASSIGN_OR_RETURN(Tensor bc, AsComputeTensor(ctx, *b));
    ONYX_ASSIGN_OR_RETURN(Tensor yc, ComputeOutput(ctx, y));
    // B packed: one product over A's rows, every batch of A in order (B is 2-D, so shared by all of them).
    if (!packed_b_.empty() && a->type() == DataType::kFloat && b->rank() == 2 && a->rank() >= 2 &&
        packed_b_.k() == plan.k && packed_b_.n() == plan.n) {
      GemmPackedB(packed_b_, false, a->size() / plan.k, 1.0f, a->data<float>(), plan.k, b->data<float>(), 0.0f,
                  y->data<float>(), plan.n, ctx.thread_pool());
      return Status::Ok();
    }
    Status st = Dispatch<float, double, int32_t, int64_t, uint32_t, uint64_t>(
        ac.type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          RunMatMul<T>(plan, ac.data<T>(), bc.data<T>(), yc.data<T>(), ctx.thread_pool());
          return Status::Ok();
        },
        ctx.node());
    if (!st.ok()) return st;
    FinishOutput(yc, y);
    return Status::Ok();
  }

 private:
  PackedGemmB packed_b_;
};

Status InferMatMul(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  if (t == DataType::kUndefined) return Status::Ok();
  const ir::SymShape* a = ctx.input_shape(0);
  const ir::SymShape* b = ctx.input_shape(1);
  if (!a || !b) {
    ctx.SetOutput(0, t, std::nullopt);
    return Status::Ok();
  }
  if (a->empty() || b->empty()) return ctx.Error("MatMul inputs must have rank >= 1");
  ir::SymShape as = *a, bs = *b;
  if (as.size() == 1) as.insert(as.begin(), ir::Dim::Known(1));
  if (bs.size() == 1) bs.push_back(ir::Dim::Known(1));
  const ir::Dim& ka = as.back();
  const ir::Dim& kb = bs[bs.size() - 2];
  if (ka.known() && kb.known() && ka.value != kb.value)
    return ctx.Error("inner dimensions differ: ", ka.value, " vs ", kb.value);
  auto batch = ir::BroadcastShapes(ir::SymShape(as.begin(), as.end() - 2), ir::SymShape(bs.begin(), bs.end() - 2));
  if (!batch.ok()) return ctx.Error(batch.status().message());
  ir::SymShape out = batch.take();
  if (a->size() > 1) out.push_back(as[as.size() - 2]);
  if (b->size() > 1) out.push_back(bs.back());
  ctx.SetOutput(0, t, out);
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(MatMulKernel,
                     KernelDef("CPU", "", "MatMul")
                         .Versions(1)
                         .Types(0, {DataType::kFloat, DataType::kDouble, DataType::kFloat16, DataType::kBFloat16,
                                    DataType::kInt32, DataType::kInt64, DataType::kUint32, DataType::kUint64}));
ONYX_REGISTER_SHAPE_INFERENCE("", "MatMul", InferMatMul);

}  // namespace onyx::cpu

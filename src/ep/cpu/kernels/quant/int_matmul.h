// The matrix-product core shared by MatMulInteger and QLinearMatMul: numpy matmul shapes (1-D operands,
// broadcast batch dims), zero-point centering (per tensor, per row of A, per column of B) and a plain
// batched product in the accumulator type (int32 for integers, float for float8).
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "common/status.h"
#include "common/thread_pool.h"
#include "ep/cpu/kernels/quant/int8_gemm.h"
#include "framework/op_kernel.h"
#include "framework/tensor.h"
#include "ir/shape_inference.h"

namespace onyx::cpu::quant {

struct MatMulPlan {
  Shape out;
  int64_t m = 1, k = 1, n = 1;
  std::vector<int64_t> a_offset, b_offset;  // element offset of each batch's matrix in A and B
};

inline Status PlanMatMul(const KernelContext& ctx, const Shape& a_in, const Shape& b_in, MatMulPlan* p) {
  if (a_in.empty() || b_in.empty()) return ctx.Error("matmul operands must have rank >= 1");
  Shape a = a_in, b = b_in;
  const bool a_vec = a.size() == 1, b_vec = b.size() == 1;
  if (a_vec) a.insert(a.begin(), 1);
  if (b_vec) b.push_back(1);
  p->m = a[a.size() - 2];
  p->k = a.back();
  p->n = b.back();
  if (b[b.size() - 2] != p->k) {
    return ctx.Error("matmul inner dims differ: A ", ShapeToString(a_in), ", B ", ShapeToString(b_in));
  }
  const Shape ab(a.begin(), a.end() - 2), bb(b.begin(), b.end() - 2);
  const size_t rank = std::max(ab.size(), bb.size());
  Shape batch(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - ab.size() ? 1 : ab[i - (rank - ab.size())];
    const int64_t db = i < rank - bb.size() ? 1 : bb[i - (rank - bb.size())];
    if (da != db && da != 1 && db != 1) {
      return ctx.Error("matmul batch dims cannot be broadcast: A ", ShapeToString(a_in), ", B ", ShapeToString(b_in));
    }
    batch[i] = da == 1 ? db : da;
  }
  int64_t batches = 1;
  for (int64_t d : batch) batches *= d;
  p->a_offset.assign(static_cast<size_t>(batches), 0);
  p->b_offset.assign(static_cast<size_t>(batches), 0);
  for (int64_t t = 0; t < batches; ++t) {
    int64_t rem = t, oa = 0, ob = 0, sa = p->m * p->k, sb = p->k * p->n;
    for (size_t i = rank; i-- > 0;) {
      const int64_t idx = rem % batch[i];
      rem /= batch[i];
      const int64_t da = i < rank - ab.size() ? 1 : ab[i - (rank - ab.size())];
      const int64_t db = i < rank - bb.size() ? 1 : bb[i - (rank - bb.size())];
      if (da != 1) oa += idx * sa;
      if (db != 1) ob += idx * sb;
      sa *= da;
      sb *= db;
    }
    p->a_offset[static_cast<size_t>(t)] = oa;
    p->b_offset[static_cast<size_t>(t)] = ob;
  }
  p->out = batch;
  if (!a_vec) p->out.push_back(p->m);
  if (!b_vec) p->out.push_back(p->n);
  return Status::Ok();
}

// Checks a zero point or scale that applies per tensor (one element) or per row/column (`count` elements).
inline Status CheckPerTensorOrCount(const KernelContext& ctx, const Tensor* t, int64_t count, const char* what) {
  if (t == nullptr || t->size() == 1 || t->size() == count) return Status::Ok();
  return ctx.Error(what, " of shape ", ShapeToString(t->shape()), " must have 1 or ", count, " elements");
}

// Centers an 8-bit operand into int32: the zero point is per tensor (one element, or none) or indexed by
// (i / div) % per (rows of A: div = K, per = M; columns of B: div = 1, per = N).
template <typename T>
std::vector<int32_t> Center(const Tensor& x, const Tensor* zp, int64_t div, int64_t per) {
  const T* xs = x.data<T>();
  std::vector<int32_t> out(static_cast<size_t>(x.size()));
  const T* z = zp ? zp->data<T>() : nullptr;
  const bool single = zp == nullptr || zp->size() == 1;
  const int64_t count = x.size();  // read once: Tensor::size is not inlined
  if (single) {
    const int32_t zv = z == nullptr ? 0 : z[0];
    for (int64_t i = 0; i < count; ++i) out[static_cast<size_t>(i)] = static_cast<int32_t>(xs[i]) - zv;
    return out;
  }
  for (int64_t i = 0; i < count; ++i) {
    const int32_t zv = z == nullptr ? 0 : single ? z[0] : z[(i / div) % per];
    out[static_cast<size_t>(i)] = static_cast<int32_t>(xs[i]) - zv;
  }
  return out;
}

inline std::vector<int32_t> Center8(const Tensor& x, const Tensor* zp, int64_t div, int64_t per) {
  return x.type() == DataType::kInt8 ? Center<int8_t>(x, zp, div, per) : Center<uint8_t>(x, zp, div, per);
}

// out[t][i][j] = sum_l a[t][i][l] * b[t][l][j] for already centered operands.
template <typename Acc>
void BatchedProduct(const MatMulPlan& p, const Acc* a, const Acc* b, Acc* out, ThreadPool* pool) {
  const int64_t batches = static_cast<int64_t>(p.a_offset.size());
  const int64_t rows = batches * p.m;
  ThreadPool::For(
      pool, rows,
      [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
          const int64_t t = r / p.m, i = r % p.m;
          const Acc* arow = a + p.a_offset[static_cast<size_t>(t)] + i * p.k;
          const Acc* bmat = b + p.b_offset[static_cast<size_t>(t)];
          Acc* orow = out + r * p.n;
          std::fill(orow, orow + p.n, Acc{0});
          for (int64_t l = 0; l < p.k; ++l) {
            const Acc av = arow[l];
            if (av == Acc{0}) continue;
            const Acc* brow = bmat + l * p.n;
            for (int64_t j = 0; j < p.n; ++j) orow[j] += av * brow[j];
          }
        }
      },
      std::max<int64_t>(1, 4096 / std::max<int64_t>(1, p.k * p.n)));
}

// The zero points of an 8-bit operand as int32 (empty when absent).
inline std::vector<int32_t> ZeroPoints8(const Tensor* zp) {
  std::vector<int32_t> out;
  if (zp == nullptr) return out;
  for (int64_t i = 0; i < zp->size(); ++i) {
    out.push_back(zp->type() == DataType::kInt8 ? zp->data<int8_t>()[i] : zp->data<uint8_t>()[i]);
  }
  return out;
}

// Packs a constant 2-D (or 1-D) 8-bit B once, when the kernel is made.
inline std::shared_ptr<QgemmPackedB> PackConstantB(const KernelInfo& info, size_t index) {
  const Tensor* b =
      info.node().input(index) && !info.node().input(index)->is_graph_input() ? info.constant_input(index) : nullptr;
  if (b == nullptr || (b->type() != DataType::kInt8 && b->type() != DataType::kUint8) || b->rank() < 1 ||
      b->rank() > 2) {
    return nullptr;
  }
  auto packed = std::make_shared<QgemmPackedB>();
  const int64_t k = b->dim(0), n = b->rank() == 2 ? b->dim(1) : 1;
  packed->Pack(b->raw(), b->type() == DataType::kInt8, k, n, n);
  return packed;
}

// The int8 product of every batch of plan p on the integer GEMM: A and B are 8-bit, zero points as ZeroPoints8
// gives them (one, or M for A / N for B), `prepacked` B (2-D B only) or null. epilogue_for(t) gives batch t's
// epilogue (its output pointer among others).
template <typename EpilogueFor>
void QgemmBatches(const MatMulPlan& p, const Tensor& a, const Tensor& b, const std::vector<int32_t>& za,
                  const std::vector<int32_t>& zb, const QgemmPackedB* prepacked, EpilogueFor&& epilogue_for,
                  ThreadPool* pool) {
  QgemmPackedB local;
  int64_t packed_offset = -1;
  const bool b_signed = b.type() == DataType::kInt8;
  const size_t batches = p.a_offset.size();
  // One B for every batch, A's and the output's batches back to back, and A's zero point per tensor (A [.., M, K]
  // times a 2-D B): one product of batches * M rows. The AMX tiles then fill across the batches' rows: three
  // sentences of 17 tokens are 51 rows, where each sentence alone left a 16-row tile and one row.
  int64_t rows = p.m;
  size_t calls = batches;
  if (batches > 1 && za.size() <= 1) {
    const QgemmEpilogue first = epilogue_for(0);
    const int64_t elem = first.kind == QgemmEpilogue::kUint8 || first.kind == QgemmEpilogue::kInt8 ? 1 : 4;
    bool fold = first.out_col == 1;
    for (size_t t = 1; t < batches && fold; ++t) {
      const QgemmEpilogue e = epilogue_for(static_cast<int64_t>(t));
      const int64_t tt = static_cast<int64_t>(t);
      fold = p.b_offset[t] == p.b_offset[0] && p.a_offset[t] == p.a_offset[0] + tt * p.m * p.k &&
             e.kind == first.kind && e.out_row == first.out_row && e.out_col == 1 && e.bias == first.bias &&
             e.scale == first.scale && e.zero_point == first.zero_point && e.float_bias == first.float_bias &&
             static_cast<const char*>(e.out) == static_cast<const char*>(first.out) + tt * p.m * first.out_row * elem;
    }
    if (fold) {
      rows = static_cast<int64_t>(batches) * p.m;
      calls = 1;
    }
  }
  for (size_t t = 0; t < calls; ++t) {
    const QgemmPackedB* pb = prepacked;
    if (pb == nullptr || pb->k != p.k || pb->n != p.n || pb->b_signed != b_signed) {
      if (packed_offset != p.b_offset[t]) {
        local.Pack(static_cast<const uint8_t*>(b.raw()) + p.b_offset[t], b_signed, p.k, p.n, p.n);
        packed_offset = p.b_offset[t];
      }
      pb = &local;
    }
    QgemmArgs q;
    q.m = rows;
    q.a = static_cast<const uint8_t*>(a.raw()) + p.a_offset[t];
    q.a_signed = a.type() == DataType::kInt8;
    q.lda = p.k;
    q.a_zero = za.empty() ? nullptr : za.data();
    q.a_zero_per_row = za.size() > 1;
    q.b = pb;
    q.b_zero = zb.empty() ? nullptr : zb.data();
    q.b_zero_per_col = zb.size() > 1;
    q.epilogue = epilogue_for(static_cast<int64_t>(t));
    Qgemm(q, pool);
  }
}

// Shape inference shared by the two operators: numpy matmul of inputs a_index and b_index.
inline Status InferMatMulOutput(ir::InferenceContext& ctx, size_t a_index, size_t b_index, DataType type) {
  const ir::SymShape* a = ctx.input_shape(a_index);
  const ir::SymShape* b = ctx.input_shape(b_index);
  if (a == nullptr || b == nullptr || a->empty() || b->empty()) {
    ctx.SetOutput(0, type, std::nullopt);
    return Status::Ok();
  }
  ir::SymShape out;
  ir::SymShape ab(a->begin(), a->size() >= 2 ? a->end() - 2 : a->begin());
  ir::SymShape bb(b->begin(), b->size() >= 2 ? b->end() - 2 : b->begin());
  auto batch = ir::BroadcastShapes(ab, bb);
  if (!batch.ok()) return ctx.Error(batch.status().message());
  out = batch.take();
  if (a->size() >= 2) out.push_back((*a)[a->size() - 2]);
  if (b->size() >= 2) out.push_back(b->back());
  ctx.SetOutput(0, type, out);
  return Status::Ok();
}

}  // namespace onyx::cpu::quant

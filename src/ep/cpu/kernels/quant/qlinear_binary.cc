// com.microsoft QLinearAdd and QLinearMul (onnxruntime contrib operators): C = quantize(dequantize(A) op
// dequantize(B)) with numpy broadcasting and per-tensor scales and zero points. The scale ratios are folded
// once per call, so each element costs a few float operations and one rounding, as in onnxruntime:
//   Add: c = round(fma(a - za, sa/sc, (b - zb) * sb/sc)) + zc
//   Mul: c = round((a - za) * (b - zb) * sa*sb/sc) + zc
// Both share this file because they differ only in that one line.
#include <cmath>
#include <type_traits>

#include "ep/cpu/cpu_isa.h"
#include "ep/cpu/kernels/math/broadcast.h"
#include "ep/cpu/kernels/quant/qlinear_common.h"
#include "ep/cpu/ukernels/int8_binary.h"
#include "framework/kernel_registry.h"

namespace onyx::cpu::quant {

namespace {

// The per-call constants of both operators: Add uses ra, rb (scale ratios), Mul uses m (in ra).
struct BinaryQ {
  float za, zb, ra, rb;
  int32_t zc;
};

#if ONYX_X86
}  // namespace
ONYX_TARGET_AVX2_BEGIN
namespace {
// 16 elements at a time with explicit AVX2: the compiler's own vectorization of the scalar loop clamps through
// compares and blends and narrows through masks, twice the instructions of min/max and saturating packs. The
// arithmetic is the scalar loop's own, contraction included (Add: fma(a - za, ra, (b - zb) * rb)), so the outputs
// are bit for bit the same; min/max clamp like std::clamp on the finite values that reach them.
template <typename T>
__m256 Load8Floats(const T* p) {
  const __m128i v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
  return _mm256_cvtepi32_ps(std::is_signed_v<T> ? _mm256_cvtepi8_epi32(v) : _mm256_cvtepu8_epi32(v));
}

template <typename T, bool kMul>
__m256 Combine8(__m256 x, __m256 y, const BinaryQ& q) {
  const __m256 dx = _mm256_sub_ps(x, _mm256_set1_ps(q.za)), dy = _mm256_sub_ps(y, _mm256_set1_ps(q.zb));
  if constexpr (kMul) return _mm256_mul_ps(_mm256_mul_ps(dx, dy), _mm256_set1_ps(q.ra));
  return _mm256_fmadd_ps(dx, _mm256_set1_ps(q.ra), _mm256_mul_ps(dy, _mm256_set1_ps(q.rb)));
}

template <typename T>
void Store16(__m256 lo, __m256 hi, const BinaryQ& q, T* out) {
  const __m256 zc = _mm256_set1_ps(static_cast<float>(q.zc));
  const __m256 qmin = _mm256_set1_ps(kQMin<T>), qmax = _mm256_set1_ps(kQMax<T>);
  auto finish = [&](__m256 v) {
    v = _mm256_add_ps(_mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), zc);
    return _mm256_cvtps_epi32(_mm256_min_ps(_mm256_max_ps(v, qmin), qmax));
  };
  // packs works within 128-bit lanes: [lo0-3 hi0-3 | lo4-7 hi4-7]; the permute puts lo0-7 in the low half.
  const __m256i w = _mm256_permute4x64_epi64(_mm256_packs_epi32(finish(lo), finish(hi)), 0xD8);
  const __m128i l = _mm256_castsi256_si128(w), h = _mm256_extracti128_si256(w, 1);
  const __m128i bytes = std::is_signed_v<T> ? _mm_packs_epi16(l, h) : _mm_packus_epi16(l, h);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), bytes);
}

// out[i] = op(a[i], b[i]) (a_scalar / b_scalar: a[0] / b[0] for every i) for the first n - n % 16 elements;
// returns how many it did.
template <typename T, bool kMul>
int64_t RunRowAvx2(const T* a, bool a_scalar, const T* b, bool b_scalar, T* out, int64_t n, const BinaryQ& q) {
  const int64_t n16 = n - n % 16;
  const __m256 a_fixed = _mm256_set1_ps(static_cast<float>(*a)), b_fixed = _mm256_set1_ps(static_cast<float>(*b));
  for (int64_t i = 0; i < n16; i += 16) {
    const __m256 a0 = a_scalar ? a_fixed : Load8Floats(a + i), a1 = a_scalar ? a_fixed : Load8Floats(a + i + 8);
    const __m256 b0 = b_scalar ? b_fixed : Load8Floats(b + i), b1 = b_scalar ? b_fixed : Load8Floats(b + i + 8);
    Store16(Combine8<T, kMul>(a0, b0, q), Combine8<T, kMul>(a1, b1, q), q, out + i);
  }
  return n16;
}
}  // namespace
ONYX_TARGET_AVX2_END
namespace {
#endif

// One run of n outputs, each operand advancing by one element or, when its flag says so, held at its first: the
// scalar form (the tail after the AVX2 loop, and what that loop reproduces). A plain function with the functor
// taken by value, since in the generic broadcast loop the functor's captures were read through a reference that
// the byte stores might alias, which kept every element scalar. No __restrict: the output may be an input's buffer.
template <typename T, typename F>
void RunRow(const T* a, bool a_scalar, const T* b, bool b_scalar, T* out, int64_t n, F f) {
  if (!a_scalar && !b_scalar) {
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], b[i]);
  } else if (!a_scalar) {
    const T y = *b;
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], y);
  } else if (!b_scalar) {
    const T x = *a;
    for (int64_t i = 0; i < n; ++i) out[i] = f(x, b[i]);
  } else {
    const T v = f(*a, *b);
    for (int64_t i = 0; i < n; ++i) out[i] = v;
  }
}

// C = f(A, B) over the broadcast plan: same-shape operands are one run split over the pool, and a per-channel or
// scalar operand is held fixed along each run of the other's innermost axes. f is the scalar form of q's
// operation (the tail of each run, and the reference the vector loop matches).
template <typename T, bool kMul, typename F>
void RunBinaryQ(const BroadcastPlan<2>& plan, const T* a, const T* b, T* c, ThreadPool* pool, const BinaryQ& q, F f) {
  const bool a_scalar = plan.strides[0].back() == 0, b_scalar = plan.strides[1].back() == 0;
  ForEachRow<2>(plan, pool, kCheapGrain, [&](const std::array<int64_t, 2>& off, int64_t o, int64_t n) {
    int64_t done = 0;
#if ONYX_X86
    if (!(a_scalar && b_scalar) && QBinaryAvx512Usable()) {
      const QBinaryParams p{q.za, q.zb, q.ra, q.rb, q.zc};
      done = QBinaryRowAvx512(reinterpret_cast<const uint8_t*>(a + off[0]), a_scalar,
                              reinterpret_cast<const uint8_t*>(b + off[1]), b_scalar, reinterpret_cast<uint8_t*>(c + o),
                              n, std::is_signed_v<T>, kMul, p);
    }
    if (!(a_scalar && b_scalar) && done == 0 && HasAvx2())
      done = RunRowAvx2<T, kMul>(a + off[0], a_scalar, b + off[1], b_scalar, c + o, n, q);
#endif
    RunRow(a + off[0] + (a_scalar ? 0 : done), a_scalar, b + off[1] + (b_scalar ? 0 : done), b_scalar, c + o + done,
           n - done, f);
  });
}

// Inputs: A, A_scale, A_zero_point (optional), B, B_scale, B_zero_point (optional), C_scale, C_zero_point
// (optional).
template <bool kMul>
class QLinearBinaryKernel : public OpKernel {
 public:
  Status Compute(KernelContext& ctx) const override {
    const Tensor* a = ctx.input(0);
    const Tensor* b = ctx.input(3);
    if (a == nullptr || b == nullptr) return ctx.Error("inputs A and B are required");
    if (!Is8Bit(a->type()) || b->type() != a->type()) {
      return ctx.Error("A and B must both be uint8 or both int8, got ", a->Describe(), " and ", b->Describe());
    }
    QParams pa, pb, pc;
    ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 1, 2, a->type(), "A", &pa));
    ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 4, 5, a->type(), "B", &pb));
    ONYX_RETURN_IF_ERROR(ReadQParams(ctx, 6, 7, a->type(), "C", &pc));
    ONYX_ASSIGN_OR_RETURN(Shape out_shape, BroadcastAll(ctx, {a->shape(), b->shape()}));
    ONYX_ASSIGN_OR_RETURN(Tensor * c, ctx.OutputForOverwrite(0, a->type(), out_shape));
    const BroadcastPlan<2> plan = MakePlan<2>(out_shape, {&a->shape(), &b->shape()});
    auto run = [&](auto tag) {
      using T = decltype(tag);
      const float za = static_cast<float>(pa.zero_point), zb = static_cast<float>(pb.zero_point);
      const int32_t zc = pc.zero_point;
      if constexpr (kMul) {
        const float m = pa.scale * pb.scale / pc.scale;
        const BinaryQ q{za, zb, m, 0.0f, zc};
        RunBinaryQ<T, true>(plan, a->data<T>(), b->data<T>(), c->data<T>(), ctx.thread_pool(), q, [=](T x, T y) {
          return RoundToQ<T>((static_cast<float>(x) - za) * (static_cast<float>(y) - zb) * m, zc);
        });
      } else {
        const float ra = pa.scale / pc.scale, rb = pb.scale / pc.scale;
        const BinaryQ q{za, zb, ra, rb, zc};
        RunBinaryQ<T, false>(plan, a->data<T>(), b->data<T>(), c->data<T>(), ctx.thread_pool(), q, [=](T x, T y) {
          // The fused multiply-add is what the release build's contraction always made of a*ra + b*rb; spelt
          // out so that every build and the vector loop round alike.
          return RoundToQ<T>(std::fma(static_cast<float>(x) - za, ra, (static_cast<float>(y) - zb) * rb), zc);
        });
      }
    };
    if (a->type() == DataType::kInt8) {
      run(int8_t{});
    } else {
      run(uint8_t{});
    }
    return Status::Ok();
  }
};

Status InferQLinearBinary(ir::InferenceContext& ctx) {
  const ir::SymShape* a = ctx.input_shape(0);
  const ir::SymShape* b = ctx.input_shape(3);
  if (a == nullptr || b == nullptr) {
    ctx.SetOutput(0, ctx.input_elem_type(0), std::nullopt);
    return Status::Ok();
  }
  auto out = ir::BroadcastShapes(*a, *b);
  if (!out.ok()) return ctx.Error(out.status().message());
  ctx.SetOutput(0, ctx.input_elem_type(0), out.take());
  return Status::Ok();
}

using QLinearAddKernel = QLinearBinaryKernel<false>;
using QLinearMulKernel = QLinearBinaryKernel<true>;

}  // namespace

ONYX_REGISTER_KERNEL(
    QLinearAddKernel,
    KernelDef("CPU", kMsDomain, "QLinearAdd").Versions(1).Types(0, {DataType::kUint8, DataType::kInt8}));
ONYX_REGISTER_SHAPE_INFERENCE(kMsDomain, "QLinearAdd", InferQLinearBinary);
ONYX_REGISTER_KERNEL(
    QLinearMulKernel,
    KernelDef("CPU", kMsDomain, "QLinearMul").Versions(1).Types(0, {DataType::kUint8, DataType::kInt8}));
ONYX_REGISTER_SHAPE_INFERENCE(kMsDomain, "QLinearMul", InferQLinearBinary);

}  // namespace onyx::cpu::quant

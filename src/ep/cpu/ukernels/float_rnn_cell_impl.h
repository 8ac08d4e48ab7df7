// The recurrent-cell ukernels (float_rnn_cell.h) as templates over a GCC float vector type V, instantiated by
// each instruction-set build (MakeRnnCellKernels). They sit in an unnamed namespace so that every build keeps
// its own copies: the linker can never pick one compiled for AVX-512 where the baseline's was meant.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "ep/cpu/ukernels/float_rnn_cell.h"
#include "ep/cpu/ukernels/float_rnn_math.h"

namespace onyx::cpu::rnn_cell {
namespace {

using rnn_math::Load;
using rnn_math::Max;
using rnn_math::Min;
using rnn_math::Splat;
using rnn_math::Store;

template <typename V>
constexpr int kLanes = static_cast<int>(sizeof(V) / sizeof(float));

// The first `count` lanes from p, zeros after (a row's tail).
template <typename V>
inline V LoadN(const float* p, int64_t count) {
  float buf[kLanes<V>] = {};
  std::memcpy(buf, p, sizeof(float) * static_cast<size_t>(count));
  return Load<V>(buf);
}

template <typename V>
inline void StoreN(float* p, V v, int64_t count) {
  float buf[kLanes<V>];
  Store(buf, v);
  std::memcpy(p, buf, sizeof(float) * static_cast<size_t>(count));
}

// Vector access to a row at column j: whole vectors, or the last `count` < kLanes elements.
template <typename V, bool kFull>
struct RowAccess {
  int64_t j, count;
  V operator()(const float* p) const { return kFull ? Load<V>(p + j) : LoadN<V>(p + j, count); }
  void Put(float* p, V v) const {
    if constexpr (kFull) {
      Store(p + j, v);
    } else {
      StoreN(p + j, v, count);
    }
  }
};

template <typename V>
inline V Clip(V v, float clip) {
  return clip > 0 ? Min(Max(v, Splat<V>(-clip)), Splat<V>(clip)) : v;
}

// The GEMV's right-hand side is in panels (RnnCellKernels::panel): panel p holds columns [p * kPanel,
// (p + 1) * kPanel) of every row of B, row after row, so each panel is one sequential stream for the prefetcher.
//
// R rows x NP panels of the product, accumulated in registers over all of k. kPartial: the last panel, of
// which only `valid` columns exist in init and out.
template <typename V, int kPanel, int R, int NP, bool kPartial>
inline void GemvTile(const float* const* a, const float* const* init, float* const* out, int64_t j0, int64_t valid,
                     int64_t k, const float* panels) {
  constexpr int L = kLanes<V>, VP = kPanel / L;
  V acc[R][NP * VP];
  for (int r = 0; r < R; ++r) {
    for (int v = 0; v < NP * VP; ++v) {
      if (!init || !init[r]) {
        acc[r][v] = V{};
      } else if constexpr (kPartial) {
        const int64_t count = std::clamp<int64_t>(valid - v * L, 0, L);
        acc[r][v] = count > 0 ? LoadN<V>(init[r] + j0 + v * L, count) : V{};
      } else {
        acc[r][v] = Load<V>(init[r] + j0 + v * L);
      }
    }
  }
  const float* b = panels;
  const int64_t panel_stride = k * kPanel;
  for (int64_t p = 0; p < k; ++p, b += kPanel) {
    V bv[NP * VP];
    for (int q = 0; q < NP; ++q) {
      for (int v = 0; v < VP; ++v) bv[q * VP + v] = Load<V>(b + q * panel_stride + v * L);
    }
    for (int r = 0; r < R; ++r) {
      const V av = Splat<V>(a[r][p]);
      for (int v = 0; v < NP * VP; ++v) acc[r][v] += av * bv[v];
    }
  }
  for (int r = 0; r < R; ++r) {
    for (int v = 0; v < NP * VP; ++v) {
      if constexpr (kPartial) {
        const int64_t count = std::clamp<int64_t>(valid - v * L, 0, L);
        if (count > 0) StoreN(out[r] + j0 + v * L, acc[r][v], count);
      } else {
        Store(out[r] + j0 + v * L, acc[r][v]);
      }
    }
  }
}

// R rows over all n columns: NP panels at a time, then single panels, then the partial last one.
template <typename V, int kPanel, int R, int NP>
inline void GemvRows(const float* const* a, const float* const* init, float* const* out, int64_t n, int64_t k,
                     const float* panels) {
  const int64_t full = n / kPanel, stride = k * kPanel;
  int64_t q = 0;
  for (; q + NP <= full; q += NP) {
    GemvTile<V, kPanel, R, NP, false>(a, init, out, q * kPanel, kPanel, k, panels + q * stride);
  }
  for (; q < full; ++q) GemvTile<V, kPanel, R, 1, false>(a, init, out, q * kPanel, kPanel, k, panels + q * stride);
  if (full * kPanel < n) {
    GemvTile<V, kPanel, R, 1, true>(a, init, out, full * kPanel, n - full * kPanel, k, panels + full * stride);
  }
}

// kAccs: how many vector accumulators the register file holds besides the operands. Rows go four, two or one
// at a time, each group with as many panels as fill the accumulators.
template <typename V, int kPanel, int kAccs>
void Gemv(int64_t rows, const float* const* a, const float* const* init, float* const* out, int64_t n, int64_t k,
          const float* panels) {
  constexpr int VP = kPanel / kLanes<V>;
  static_assert(kAccs >= 2 * VP, "a panel of two rows must fit the accumulators");
  constexpr int kNp1 = kAccs / VP, kNp2 = kAccs / (2 * VP);
  auto at = [&](const auto* p, int64_t r) { return p ? p + r : nullptr; };
  int64_t r = 0;
  if constexpr (kAccs >= 4 * VP) {
    for (; r + 4 <= rows; r += 4) {
      GemvRows<V, kPanel, 4, kAccs / (4 * VP)>(a + r, at(init, r), out + r, n, k, panels);
    }
  }
  for (; r + 2 <= rows; r += 2) GemvRows<V, kPanel, 2, kNp2>(a + r, at(init, r), out + r, n, k, panels);
  for (; r < rows; ++r) GemvRows<V, kPanel, 1, kNp1>(a + r, at(init, r), out + r, n, k, panels);
}

// Arranges the rows of R [n, k] (one per output column) into the GEMV's panels, the last one zero-padded.
template <int kPanel>
void PackPanels(const float* r, int64_t n, int64_t k, float* dst) {
  const int64_t panels = (n + kPanel - 1) / kPanel;
  for (int64_t q = 0; q < panels; ++q) {
    for (int64_t p = 0; p < k; ++p) {
      float* row = dst + (q * k + p) * kPanel;
      for (int64_t c = 0; c < kPanel; ++c) {
        const int64_t j = q * kPanel + c;
        row[c] = j < n ? r[j * k + p] : 0.0f;
      }
    }
  }
}

template <typename V, bool kFull>
inline void LstmChunk(const LstmRow& w, RowAccess<V, kFull> at) {
  const int64_t H = w.hidden;
  auto pre = [&](int gate) { return at(w.pre + gate * H); };
  const V c = at(w.c);
  V gi = pre(0);
  if (w.peep_i) gi += at(w.peep_i) * c;
  const V i = rnn_math::Sigmoid(Clip(gi, w.clip));
  V f;
  if (w.input_forget) {
    f = 1.0f - i;
  } else {
    V gf = pre(2);
    if (w.peep_f) gf += at(w.peep_f) * c;
    f = rnn_math::Sigmoid(Clip(gf, w.clip));
  }
  const V g = rnn_math::Tanh(Clip(pre(3), w.clip));
  const V c_new = f * c + i * g;
  V go = pre(1);
  if (w.peep_o) go += at(w.peep_o) * c_new;
  const V o = rnn_math::Sigmoid(Clip(go, w.clip));
  at.Put(w.c, c_new);
  at.Put(w.h, o * rnn_math::Tanh(c_new));
}

template <typename V>
void LstmRowImpl(const LstmRow& w) {
  constexpr int L = kLanes<V>;
  int64_t j = 0;
  for (; j + L <= w.hidden; j += L) LstmChunk<V, true>(w, {j, L});
  if (j < w.hidden) LstmChunk<V, false>(w, {j, w.hidden - j});
}

template <typename V, bool kFull>
inline void ActivateChunk(RnnVecAct act, const float* pre, const float* add, float* out, float clip,
                          RowAccess<V, kFull> at) {
  V v = at(pre);
  if (add) v += at(add);
  v = Clip(v, clip);
  switch (act) {
    case RnnVecAct::kSigmoid:
      v = rnn_math::Sigmoid(v);
      break;
    case RnnVecAct::kTanh:
      v = rnn_math::Tanh(v);
      break;
    case RnnVecAct::kRelu:
      v = Max(v, V{});
      break;
  }
  at.Put(out, v);
}

template <typename V>
void ActivateImpl(RnnVecAct act, const float* pre, const float* add, float* out, int64_t n, float clip) {
  constexpr int L = kLanes<V>;
  int64_t j = 0;
  for (; j + L <= n; j += L) ActivateChunk<V, true>(act, pre, add, out, clip, {j, L});
  if (j < n) ActivateChunk<V, false>(act, pre, add, out, clip, {j, n - j});
}

template <typename V, bool kFull>
inline void GruChunk(const GruRow& w, RowAccess<V, kFull> at) {
  const V z = at(w.zr);
  V rec = at(w.s_h);
  if (w.linear_before_reset) rec = at(w.zr + w.hidden) * (rec + at(w.rb_h));
  const V ht = rnn_math::Tanh(Clip(at(w.x_h) + rec, w.clip));
  at.Put(w.h, (1.0f - z) * ht + z * at(w.h));
}

template <typename V>
void GruRowImpl(const GruRow& w) {
  constexpr int L = kLanes<V>;
  int64_t j = 0;
  for (; j + L <= w.hidden; j += L) GruChunk<V, true>(w, {j, L});
  if (j < w.hidden) GruChunk<V, false>(w, {j, w.hidden - j});
}

template <typename V, int kPanel, int kAccs>
RnnCellKernels MakeRnnCellKernels() {
  return RnnCellKernels{kPanel,          &PackPanels<kPanel>, &Gemv<V, kPanel, kAccs>,
                        &LstmRowImpl<V>, &ActivateImpl<V>,    &GruRowImpl<V>};
}

}  // namespace
}  // namespace onyx::cpu::rnn_cell

// Values of shape tensors. Exporters with dynamic axes compute Reshape targets at run time
// (Shape -> Gather -> Unsqueeze -> Concat -> Reshape, Shape -> Slice, with Mul/Div/Cast on the pieces). Following
// those small integer tensors element by element, with x's dim params standing for its unknown sizes, gives
// the Reshape its symbolic output shape ([batch, seq, 12, 64] rather than a bare rank), which the optimizer's
// shape-driven matchers need.
//
// Symbols are dim params, or products of them with a positive integer, named canonically ("12*batch*seq": the
// factor first, then the params sorted) so that the same product reached two ways compares equal. A param read
// from a model is split at '*' the same way, so an exporter's "batch*seq" meets ours. Sums of symbols and
// anything data-dependent stay unknown: a value element is only ever set when it is certain.
#include <algorithm>
#include <functional>
#include <limits>
#include <map>

#include "ir/shape_inference.h"

namespace onyx::ir {
namespace {

// A product coef * syms[0] * syms[1] * ... (syms sorted; a multiset).
struct Product {
  int64_t coef = 1;
  std::vector<std::string> syms;
};

bool AllDigits(const std::string& s) {
  return !s.empty() && s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<Product> AsProduct(const SymInt& s) {
  if (s.known()) return Product{s.value, {}};
  if (!s.symbolic()) return std::nullopt;
  // A bound such as "min(seq,512)" (a Slice clamped by a table's size) is one opaque name.
  if (s.param.find('(') != std::string::npos) return Product{1, {s.param}};
  Product p;
  size_t begin = 0;
  bool split_ok = true;
  for (;;) {
    const size_t end = s.param.find('*', begin);
    const std::string token = s.param.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    if (token.empty()) {
      split_ok = false;
      break;
    }
    if (AllDigits(token)) {
      if (__builtin_mul_overflow(p.coef, std::stoll(token), &p.coef)) return std::nullopt;
    } else {
      p.syms.push_back(token);
    }
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  // A param that does not read as a product of names (empty pieces, digits only) is one opaque name.
  if (!split_ok || p.syms.empty() || p.coef <= 0) return Product{1, {s.param}};
  std::sort(p.syms.begin(), p.syms.end());
  return p;
}

SymInt FromProduct(Product p) {
  if (p.coef == 0) return SymInt::Known(0);
  if (p.syms.empty()) return SymInt::Known(p.coef);
  if (p.coef < 0) return SymInt::Unknown();  // a symbol is a size; a negative multiple has no name
  std::sort(p.syms.begin(), p.syms.end());
  std::string name = p.coef != 1 ? std::to_string(p.coef) : std::string();
  for (const std::string& s : p.syms) name += (name.empty() ? "" : "*") + s;
  return SymInt::Symbol(std::move(name));
}

// b's factors are a sub-multiset of a's: removes them from a.
bool RemoveFactors(std::vector<std::string>* a, const std::vector<std::string>& b) {
  for (const std::string& s : b) {
    auto it = std::find(a->begin(), a->end(), s);
    if (it == a->end()) return false;
    a->erase(it);
  }
  return true;
}

}  // namespace

SymInt SymMul(const SymInt& a, const SymInt& b) {
  if ((a.known() && a.value == 0) || (b.known() && b.value == 0)) return SymInt::Known(0);
  std::optional<Product> pa = AsProduct(a), pb = AsProduct(b);
  if (!pa || !pb) return SymInt::Unknown();
  Product p;
  if (__builtin_mul_overflow(pa->coef, pb->coef, &p.coef)) return SymInt::Unknown();
  p.syms = pa->syms;
  p.syms.insert(p.syms.end(), pb->syms.begin(), pb->syms.end());
  return FromProduct(std::move(p));
}

SymInt SymDiv(const SymInt& a, const SymInt& b) {
  if (b.known() && b.value == 0) return SymInt::Unknown();
  if (a.known() && b.known()) {
    if (a.value == std::numeric_limits<int64_t>::min() && b.value == -1) return SymInt::Unknown();
    return SymInt::Known(a.value / b.value);  // truncation, as the Div kernel does
  }
  std::optional<Product> pa = AsProduct(a), pb = AsProduct(b);
  if (!pa || !pb || pb->coef == 0 || pa->coef % pb->coef != 0) return SymInt::Unknown();
  Product p{pa->coef / pb->coef, pa->syms};
  if (!RemoveFactors(&p.syms, pb->syms)) return SymInt::Unknown();
  return FromProduct(std::move(p));
}

SymInt SymAdd(const SymInt& a, const SymInt& b) {
  if (a.known() && b.known()) {
    int64_t r = 0;
    return __builtin_add_overflow(a.value, b.value, &r) ? SymInt::Unknown() : SymInt::Known(r);
  }
  if (a.known() && a.value == 0) return b;
  if (b.known() && b.value == 0) return a;
  return SymInt::Unknown();
}

SymInt SymSub(const SymInt& a, const SymInt& b) {
  if (a.known() && b.known()) {
    int64_t r = 0;
    return __builtin_sub_overflow(a.value, b.value, &r) ? SymInt::Unknown() : SymInt::Known(r);
  }
  if (b.known() && b.value == 0) return a;
  if (a.symbolic() && b.symbolic()) {
    std::optional<Product> pa = AsProduct(a), pb = AsProduct(b);
    if (pa && pb && pa->coef == pb->coef && pa->syms == pb->syms) return SymInt::Known(0);
  }
  return SymInt::Unknown();
}

SymInt SymProduct(const SymShape& shape) {
  SymInt p = SymInt::Known(1);
  for (const Dim& d : shape) p = SymMul(p, SymInt::FromDim(d));
  return p;
}

bool ZeroImplies(const SymInt& s, const Dim& d) {
  if (s.known()) return s.value != 0 || (d.known() && d.value == 0);
  if (d.known()) return d.value == 0;
  std::optional<Product> ps = AsProduct(s), pd = AsProduct(SymInt::FromDim(d));
  if (!ps || !pd) return false;
  for (const std::string& f : ps->syms) {
    if (std::find(pd->syms.begin(), pd->syms.end(), f) == pd->syms.end()) return false;
  }
  return true;
}

namespace {

using Rule = std::function<std::optional<ShapeValue>(InferenceContext&)>;

// A value whose every element is a known integer, as plain integers.
std::optional<std::vector<int64_t>> KnownInts(const std::optional<ShapeValue>& v) {
  if (!v || !v->fully_known()) return std::nullopt;
  std::vector<int64_t> out;
  for (const SymInt& e : v->elems) out.push_back(e.value);
  return out;
}

// A list of ints from an attribute (older opsets) or a constant input.
std::optional<std::vector<int64_t>> IntsFrom(InferenceContext& ctx, int64_t since_opset, const char* attr,
                                             size_t input) {
  if (ctx.node().opset() < since_opset) {
    if (!ctx.attr(attr)) return std::nullopt;
    return ctx.attr_ints(attr);
  }
  if (!ctx.has_input(input)) return std::nullopt;
  return KnownInts(ctx.input_value(input));
}

bool IsAxisZeroOfVector(const std::vector<int64_t>& axes) {
  return axes.size() == 1 && (axes[0] == 0 || axes[0] == -1);
}

std::optional<ShapeValue> ShapeRule(InferenceContext& ctx) {
  const SymShape* in = ctx.input_shape(0);
  if (in == nullptr) return std::nullopt;
  const int64_t rank = static_cast<int64_t>(in->size());
  auto clamp = [rank](int64_t i) { return std::clamp<int64_t>(i < 0 ? i + rank : i, 0, rank); };
  const int64_t start = clamp(ctx.attr_int("start", 0));
  const int64_t end = clamp(ctx.attr_int("end", rank));
  ShapeValue v;
  for (int64_t i = start; i < end; ++i) v.elems.push_back(SymInt::FromDim((*in)[static_cast<size_t>(i)]));
  return v;
}

std::optional<ShapeValue> SizeRule(InferenceContext& ctx) {
  const SymShape* in = ctx.input_shape(0);
  if (in == nullptr) return std::nullopt;
  SymInt n = SymProduct(*in);
  if (n.kind == SymInt::Kind::kUnknown) return std::nullopt;
  return ShapeValue{true, {n}};
}

std::optional<ShapeValue> GatherRule(InferenceContext& ctx) {
  std::optional<ShapeValue> data = ctx.input_value(0);
  std::optional<ShapeValue> idx = ctx.input_value(1);
  const int64_t axis = ctx.attr_int("axis", 0);
  if (!data || data->scalar || (axis != 0 && axis != -1)) return std::nullopt;
  std::optional<std::vector<int64_t>> indices = KnownInts(idx);
  if (!indices) return std::nullopt;
  const int64_t n = static_cast<int64_t>(data->elems.size());
  ShapeValue v;
  v.scalar = idx->scalar;
  for (int64_t i : *indices) {
    if (i < -n || i >= n) return std::nullopt;  // the kernel reports it
    v.elems.push_back(data->elems[static_cast<size_t>(i < 0 ? i + n : i)]);
  }
  return v;
}

std::optional<ShapeValue> UnsqueezeRule(InferenceContext& ctx) {
  std::optional<ShapeValue> in = ctx.input_value(0);
  std::optional<std::vector<int64_t>> axes = IntsFrom(ctx, 13, "axes", 1);
  if (!in || !in->scalar || !axes || !IsAxisZeroOfVector(*axes)) return std::nullopt;
  in->scalar = false;
  return in;
}

std::optional<ShapeValue> SqueezeRule(InferenceContext& ctx) {
  std::optional<ShapeValue> in = ctx.input_value(0);
  if (!in || in->scalar || in->elems.size() != 1) return std::nullopt;
  const bool has_axes = ctx.node().opset() < 13 ? ctx.attr("axes") != nullptr : ctx.has_input(1);
  if (has_axes) {
    std::optional<std::vector<int64_t>> axes = IntsFrom(ctx, 13, "axes", 1);
    if (!axes || !IsAxisZeroOfVector(*axes)) return std::nullopt;
  }
  in->scalar = true;
  return in;
}

std::optional<ShapeValue> ConcatRule(InferenceContext& ctx) {
  const int64_t axis = ctx.attr_int("axis", 0);
  if (axis != 0 && axis != -1) return std::nullopt;
  ShapeValue v;
  for (size_t i = 0; i < ctx.input_count(); ++i) {
    if (!ctx.has_input(i)) continue;
    std::optional<ShapeValue> part = ctx.input_value(i);
    if (part && part->scalar) return std::nullopt;
    if (part) {
      v.elems.insert(v.elems.end(), part->elems.begin(), part->elems.end());
      continue;
    }
    // A piece inference did not follow still has its length when its shape is known.
    const SymShape* s = ctx.input_shape(i);
    if (s == nullptr || s->size() != 1 || !(*s)[0].known() || (*s)[0].value > 64) return std::nullopt;
    v.elems.insert(v.elems.end(), static_cast<size_t>((*s)[0].value), SymInt::Unknown());
  }
  return v;
}

std::optional<ShapeValue> SliceRule(InferenceContext& ctx) {
  std::optional<ShapeValue> data = ctx.input_value(0);
  if (!data || data->scalar) return std::nullopt;
  std::optional<std::vector<int64_t>> starts = IntsFrom(ctx, 10, "starts", 1);
  std::optional<std::vector<int64_t>> ends = IntsFrom(ctx, 10, "ends", 2);
  const bool has_axes = ctx.node().opset() < 10 ? ctx.attr("axes") != nullptr : ctx.has_input(3);
  const bool has_steps = ctx.node().opset() >= 10 && ctx.has_input(4);
  if (!starts || !ends || starts->size() != 1 || ends->size() != 1) return std::nullopt;
  if (has_axes) {
    std::optional<std::vector<int64_t>> axes = IntsFrom(ctx, 10, "axes", 3);
    if (!axes || !IsAxisZeroOfVector(*axes)) return std::nullopt;
  }
  int64_t step = 1;
  if (has_steps) {
    std::optional<std::vector<int64_t>> steps = KnownInts(ctx.input_value(4));
    if (!steps || steps->size() != 1 || (*steps)[0] == 0) return std::nullopt;
    step = (*steps)[0];
  }
  const int64_t n = static_cast<int64_t>(data->elems.size());
  int64_t start = (*starts)[0], end = (*ends)[0];
  if (start < 0) start += n;
  if (end < 0) end += n;
  ShapeValue v;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, n);
    end = std::clamp<int64_t>(end, 0, n);
    for (int64_t i = start; i < end; i += step) v.elems.push_back(data->elems[static_cast<size_t>(i)]);
  } else {
    start = std::clamp<int64_t>(start, 0, n - 1);
    end = std::clamp<int64_t>(end, -1, n - 1);
    for (int64_t i = start; i > end; i += step) v.elems.push_back(data->elems[static_cast<size_t>(i)]);
  }
  return v;
}

std::optional<ShapeValue> CastRule(InferenceContext& ctx) {
  const int64_t to = ctx.attr_int("to", 0);
  if (to != static_cast<int64_t>(DataType::kInt64) && to != static_cast<int64_t>(DataType::kInt32)) {
    return std::nullopt;
  }
  return ctx.input_value(0);  // SetOutputValue drops it when an int32 cannot hold it
}

std::optional<ShapeValue> IdentityRule(InferenceContext& ctx) { return ctx.input_value(0); }

// Reshape between a scalar and a 1-D tensor (or 1-D to 1-D) keeps the elements in order.
std::optional<ShapeValue> ReshapeRule(InferenceContext& ctx) {
  std::optional<ShapeValue> in = ctx.input_value(0);
  const Value* out = ctx.node().output(0);
  if (!in || out == nullptr || !out->type().is_tensor() || !out->type().shape) return std::nullopt;
  const SymShape& s = *out->type().shape;
  if (s.empty()) {
    if (in->elems.size() != 1) return std::nullopt;
    in->scalar = true;
    return in;
  }
  if (s.size() != 1 || (s[0].known() && s[0].value != static_cast<int64_t>(in->elems.size()))) return std::nullopt;
  in->scalar = false;
  return in;
}

std::optional<ShapeValue> ArithRule(InferenceContext& ctx, SymInt (*op)(const SymInt&, const SymInt&)) {
  if (ctx.node().opset() < 7) return std::nullopt;  // legacy broadcast attributes
  std::optional<ShapeValue> a = ctx.input_value(0), b = ctx.input_value(1);
  if (!a || !b) return std::nullopt;
  const size_t na = a->elems.size(), nb = b->elems.size();
  if (na != nb && na != 1 && nb != 1) return std::nullopt;
  ShapeValue v;
  v.scalar = a->scalar && b->scalar;
  const size_t n = na == 1 ? nb : na;
  for (size_t i = 0; i < n; ++i) v.elems.push_back(op(a->elems[na == 1 ? 0 : i], b->elems[nb == 1 ? 0 : i]));
  return v;
}

// Equal of shape elements: certain for known integers, for a symbol against itself, and for a symbol (a size,
// never negative) against a negative integer, which is how torch asks whether an expand() dim is -1.
SymInt SymEqual(const SymInt& a, const SymInt& b) {
  if (a.known() && b.known()) return SymInt::Known(a.value == b.value ? 1 : 0);
  if (a.symbolic() && b.symbolic() && a.param == b.param) return SymInt::Known(1);
  if ((a.symbolic() && b.known() && b.value < 0) || (b.symbolic() && a.known() && a.value < 0)) {
    return SymInt::Known(0);
  }
  return SymInt::Unknown();
}

// Where(cond, x, y) element by element where cond is known (same length or broadcast from one element).
std::optional<ShapeValue> WhereRule(InferenceContext& ctx) {
  std::optional<ShapeValue> c = ctx.input_value(0), x = ctx.input_value(1), y = ctx.input_value(2);
  if (!c || !x || !y) return std::nullopt;
  size_t n = 1;
  for (const ShapeValue* v : {&*c, &*x, &*y}) {
    const size_t k = v->elems.size();
    if (k != 1 && n != 1 && k != n) return std::nullopt;
    if (k != 1) n = k;
  }
  auto at = [](const ShapeValue& v, size_t i) { return v.elems[v.elems.size() == 1 ? 0 : i]; };
  ShapeValue out;
  out.scalar = c->scalar && x->scalar && y->scalar;
  for (size_t i = 0; i < n; ++i) {
    const SymInt cond = at(*c, i);
    out.elems.push_back(!cond.known() ? SymInt::Unknown() : cond.value != 0 ? at(*x, i) : at(*y, i));
  }
  return out;
}

std::optional<ShapeValue> ConstantOfShapeRule(InferenceContext& ctx) {
  std::optional<std::vector<int64_t>> shape = KnownInts(ctx.input_value(0));
  const Attribute* a = ctx.attr("value");
  if (!shape || shape->size() > 1 || a == nullptr || a->type != AttrType::kTensor || a->t.size() != 1) {
    return std::nullopt;
  }
  ShapeValue one;
  if (a->t.type() == DataType::kInt64) {
    one.elems.push_back(SymInt::Known(a->t.data<int64_t>()[0]));
  } else if (a->t.type() == DataType::kInt32) {
    one.elems.push_back(SymInt::Known(a->t.data<int32_t>()[0]));
  } else {
    return std::nullopt;
  }
  ShapeValue v;
  v.scalar = shape->empty();
  const int64_t n = shape->empty() ? 1 : (*shape)[0];
  if (n < 0 || n > 1024) return std::nullopt;
  v.elems.assign(static_cast<size_t>(n), one.elems[0]);
  return v;
}

// Constant: its tensor is known outright (any type); small integer ones are values too.
std::optional<ShapeValue> ConstantRule(InferenceContext& ctx) {
  if (const Attribute* a = ctx.attr("value"); a && a->type == AttrType::kTensor && a->t.defined()) {
    ctx.SetOutputConstant(0, a->t);
  } else if (const Attribute* i = ctx.attr("value_int"); i && i->type == AttrType::kInt) {
    ctx.SetOutputConstant(0, Tensor::Scalar<int64_t>(i->i));
  } else if (const Attribute* is = ctx.attr("value_ints"); is && is->type == AttrType::kInts) {
    ctx.SetOutputConstant(0, Tensor::FromVector<int64_t>({static_cast<int64_t>(is->ints.size())}, is->ints));
  } else if (const Attribute* f = ctx.attr("value_float"); f && f->type == AttrType::kFloat) {
    ctx.SetOutputConstant(0, Tensor::Scalar<float>(f->f));
  } else if (const Attribute* fs = ctx.attr("value_floats"); fs && fs->type == AttrType::kFloats) {
    ctx.SetOutputConstant(0, Tensor::FromVector<float>({static_cast<int64_t>(fs->floats.size())}, fs->floats));
  }
  return std::nullopt;  // SetOutputConstant recorded the value
}

const std::map<std::string, Rule>& Rules() {
  static const auto* rules = new std::map<std::string, Rule>{
      {"Shape", ShapeRule},
      {"Size", SizeRule},
      {"Gather", GatherRule},
      {"Unsqueeze", UnsqueezeRule},
      {"Squeeze", SqueezeRule},
      {"Concat", ConcatRule},
      {"Slice", SliceRule},
      {"Cast", CastRule},
      {"Identity", IdentityRule},
      {"Reshape", ReshapeRule},
      {"Add", [](InferenceContext& ctx) { return ArithRule(ctx, SymAdd); }},
      {"Sub", [](InferenceContext& ctx) { return ArithRule(ctx, SymSub); }},
      {"Mul", [](InferenceContext& ctx) { return ArithRule(ctx, SymMul); }},
      {"Div", [](InferenceContext& ctx) { return ArithRule(ctx, SymDiv); }},
      {"Equal", [](InferenceContext& ctx) { return ArithRule(ctx, SymEqual); }},
      {"Where", WhereRule},
      {"ConstantOfShape", ConstantOfShapeRule},
      {"Constant", ConstantRule},
  };
  return *rules;
}

}  // namespace

void PropagateShapeValue(InferenceContext& ctx) {
  if (!ctx.node().domain().empty() || ctx.node().output(0) == nullptr) return;
  auto it = Rules().find(ctx.node().op_type());
  if (it == Rules().end()) return;
  std::optional<ShapeValue> v = it->second(ctx);
  if (v) ctx.SetOutputValue(0, std::move(*v));
}

}  // namespace onyx::ir

// Backward rules of the ai.onnx operators Gradient can differentiate through. Each rule emits ordinary
// operators that compute the gradients of a node's inputs from the gradients of its outputs; it reads the
// forward values (inputs and outputs) where that is cheaper than recomputing them.
#include <algorithm>
#include <map>
#include <optional>

#include "ir/autodiff.h"

namespace onyx::ir::autodiff {
namespace {

using Grads = Result<std::vector<Value*>>;

Value* In(const RuleContext& c, size_t i) { return c.node.input(i); }
Value* Out(const RuleContext& c, size_t i = 0) { return c.node.output(i); }

// The element type gradients of this node carry: its output's, else its first input's.
DataType ElemType(const RuleContext& c) {
  const Value* y = Out(c);
  if (y && y->type().is_tensor() && y->type().elem_type != DataType::kUndefined) return y->type().elem_type;
  return c.ElemType(0);
}

int64_t AttrInt(const Node& n, const std::string& name, int64_t def) {
  const Attribute* a = n.attribute(name);
  return a && a->type == AttrType::kInt ? a->i : def;
}

float AttrFloat(const Node& n, const std::string& name, float def) {
  const Attribute* a = n.attribute(name);
  return a && a->type == AttrType::kFloat ? a->f : def;
}

// The values of a constant integer tensor, or nullopt.
std::optional<std::vector<int64_t>> ConstInts(const Value* v) {
  const Tensor* t = ConstantValue(v);
  if (!t) return std::nullopt;
  std::vector<int64_t> out;
  if (t->type() == DataType::kInt64) {
    for (int64_t x : t->values<int64_t>()) out.push_back(x);
  } else if (t->type() == DataType::kInt32) {
    for (int32_t x : t->values<int32_t>()) out.push_back(x);
  } else {
    return std::nullopt;
  }
  return out;
}

// A rule for an element-wise unary operator: d = f(g, x, y).
Rule Unary(std::function<Value*(Builder&, DataType, Value* g, Value* x, Value* y)> f) {
  return [f](RuleContext& c) -> Grads { return std::vector<Value*>{f(c.b, ElemType(c), c.dy[0], In(c, 0), Out(c))}; };
}

// A rule for a broadcasting operator: d_i = ReduceToShape(f_i(g), input i).
Rule Broadcasting(std::function<Value*(RuleContext&, size_t i, Value* g)> f) {
  return [f](RuleContext& c) -> Grads {
    std::vector<Value*> dx(c.node.inputs().size());
    for (size_t i = 0; i < dx.size(); ++i) {
      if (!c.need[i]) continue;
      Value* d = f(c, i, c.dy[0]);
      if (!d) continue;
      ONYX_ASSIGN_OR_RETURN(dx[i], c.b.ReduceToShape(d, In(c, i)));
    }
    return dx;
  };
}

// Gradients flow through unchanged but must take the input's shape back.
Grads ReshapeBack(RuleContext& c) { return std::vector<Value*>{c.b.ReshapeLike(c.dy[0], In(c, 0))}; }

std::vector<int64_t> SwapLastTwo(size_t rank) {
  std::vector<int64_t> perm;
  for (size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(i));
  std::swap(perm[rank - 1], perm[rank - 2]);
  return perm;
}

Grads MatMulGrad(RuleContext& c) {
  Builder& b = c.b;
  ONYX_ASSIGN_OR_RETURN(size_t ra, c.Rank(0));
  ONYX_ASSIGN_OR_RETURN(size_t rb, c.Rank(1));
  Value *a = In(c, 0), *bb = In(c, 1), *g = c.dy[0];
  std::vector<Value*> dx(2);
  if (ra == 0 || rb == 0) return b.Error(c.node.Describe(), " multiplies a scalar");
  if (ra == 1 && rb == 1) {  // a dot product: g is a scalar
    if (c.need[0]) dx[0] = b.Op("Mul", {g, bb});
    if (c.need[1]) dx[1] = b.Op("Mul", {g, a});
    return dx;
  }
  if (ra == 2 && rb == 2) {
    if (c.need[0]) dx[0] = b.MatMul2D(g, false, bb, true, 1.0f);
    if (c.need[1]) dx[1] = b.MatMul2D(a, true, g, false, 1.0f);
    return dx;
  }
  // 1-D operands are promoted to matrices as MatMul does, and g gets the dim the product dropped.
  Value* a2 = ra == 1 ? b.Unsqueeze(a, {0}) : a;
  Value* b2 = rb == 1 ? b.Unsqueeze(bb, {1}) : bb;
  const size_t ry = ra == 1 ? rb - 1 : rb == 1 ? ra - 1 : std::max(ra, rb);
  Value* g2 = g;
  if (rb == 1) g2 = b.Unsqueeze(g, {static_cast<int64_t>(ry)});
  if (ra == 1) g2 = b.Unsqueeze(g, {static_cast<int64_t>(ry) - 1});
  if (c.need[0]) {
    Value* d = b.Op("MatMul", {g2, b.Transpose(b2, SwapLastTwo(std::max<size_t>(rb, 2)))});
    ONYX_ASSIGN_OR_RETURN(d, b.ReduceToShape(d, a2));
    dx[0] = ra == 1 ? b.ReshapeLike(d, a) : d;
  }
  if (c.need[1]) {
    Value* d = b.Op("MatMul", {b.Transpose(a2, SwapLastTwo(std::max<size_t>(ra, 2))), g2});
    ONYX_ASSIGN_OR_RETURN(d, b.ReduceToShape(d, b2));
    dx[1] = rb == 1 ? b.ReshapeLike(d, bb) : d;
  }
  return dx;
}

// Y = alpha * op(A) @ op(B) + beta * C, with op transposing when transA/transB is set.
Grads GemmGrad(RuleContext& c) {
  Builder& b = c.b;
  const bool ta = AttrInt(c.node, "transA", 0) != 0, tb = AttrInt(c.node, "transB", 0) != 0;
  const float alpha = AttrFloat(c.node, "alpha", 1.0f), beta = AttrFloat(c.node, "beta", 1.0f);
  Value *a = In(c, 0), *bb = In(c, 1), *g = c.dy[0];
  std::vector<Value*> dx(c.node.inputs().size());
  if (c.need[0]) dx[0] = ta ? b.MatMul2D(bb, tb, g, true, alpha) : b.MatMul2D(g, false, bb, !tb, alpha);
  if (c.need[1]) dx[1] = tb ? b.MatMul2D(g, true, a, ta, alpha) : b.MatMul2D(a, !ta, g, false, alpha);
  if (dx.size() > 2 && c.need[2]) {
    Value* gc = beta == 1.0f ? g : b.Op("Mul", {g, b.Scalar(ElemType(c), beta)});
    ONYX_ASSIGN_OR_RETURN(dx[2], b.ReduceToShape(gc, In(c, 2)));
  }
  return dx;
}

// The gradient of a sum over axes is the output gradient broadcast back over them; a mean also scales it.
Grads ReduceGrad(RuleContext& c, bool mean, int64_t axes_input_since) {
  Builder& b = c.b;
  Value *x = In(c, 0), *g = c.dy[0];
  if (AttrInt(c.node, "keepdims", 1) == 0) {
    if (c.node.opset() < axes_input_since) {
      const Attribute* attr = c.node.attribute("axes");
      if (attr && !attr->ints.empty()) {
        std::vector<int64_t> axes = attr->ints;
        if (std::any_of(axes.begin(), axes.end(), [](int64_t a) { return a < 0; })) {
          ONYX_ASSIGN_OR_RETURN(size_t rank, c.Rank(0));
          for (int64_t& a : axes) a = a < 0 ? a + static_cast<int64_t>(rank) : a;
        }
        g = b.Unsqueeze(g, axes);
      }
    } else if (Value* axes = In(c, 1)) {
      auto known = ConstInts(axes);
      if (!known || !known->empty()) {
        if (b.opset() < 13) return b.Error("internal: axes input below opset 13");
        g = b.Op("Unsqueeze", {g, axes});
      }
    }
  }
  Value* d = b.Op("Expand", {g, b.Shape(x)});
  if (mean) {
    const DataType t = ElemType(c);
    Value* scale = b.Op("Div", {b.Cast(b.Op("Size", {Out(c)}), t), b.Cast(b.Op("Size", {x}), t)});
    d = b.Op("Mul", {d, scale});
  }
  return std::vector<Value*>{d};
}

// Softmax and LogSoftmax normalize over one axis from opset 13 and over all axes from `axis` on before.
Result<std::vector<int64_t>> SoftmaxAxes(RuleContext& c) {
  const bool single = c.node.opset() >= 13;
  int64_t axis = AttrInt(c.node, "axis", single ? -1 : 1);
  if (single) return std::vector<int64_t>{axis};
  ONYX_ASSIGN_OR_RETURN(size_t rank, c.Rank(0));
  const int64_t r = static_cast<int64_t>(rank);
  if (axis < 0) axis += r;
  if (axis < 0 || axis >= r) return c.b.Error(c.node.Describe(), ": axis ", axis, " is out of range for rank ", r);
  std::vector<int64_t> axes;
  for (int64_t a = axis; a < r; ++a) axes.push_back(a);
  return axes;
}

Grads SoftmaxGrad(RuleContext& c) {
  ONYX_ASSIGN_OR_RETURN(std::vector<int64_t> axes, SoftmaxAxes(c));
  Builder& b = c.b;
  Value *y = Out(c), *g = c.dy[0];
  Value* s = b.ReduceSum(b.Op("Mul", {g, y}), axes, true);
  return std::vector<Value*>{b.Op("Mul", {y, b.Op("Sub", {g, s})})};
}

Grads LogSoftmaxGrad(RuleContext& c) {
  ONYX_ASSIGN_OR_RETURN(std::vector<int64_t> axes, SoftmaxAxes(c));
  Builder& b = c.b;
  Value* g = c.dy[0];
  Value* s = b.ReduceSum(g, axes, true);
  return std::vector<Value*>{b.Op("Sub", {g, b.Op("Mul", {b.Op("Exp", {Out(c)}), s})})};
}

Grads PowGrad(RuleContext& c) {
  Builder& b = c.b;
  const DataType t = ElemType(c);
  Value *x = In(c, 0), *p = In(c, 1), *g = c.dy[0];
  std::vector<Value*> dx(2);
  if (c.need[0]) {
    Value* pt = c.ElemType(1) == t ? p : b.Cast(p, t);
    Value* d = b.Op("Mul", {g, b.Op("Mul", {pt, b.Op("Pow", {x, b.Op("Sub", {pt, b.Scalar(t, 1)})})})});
    ONYX_ASSIGN_OR_RETURN(dx[0], b.ReduceToShape(d, x));
  }
  if (c.need[1]) {  // d(x^p)/dp = x^p * ln x, defined for x > 0
    Value* d = b.Op("Mul", {g, b.Op("Mul", {Out(c), b.Op("Log", {x})})});
    if (c.ElemType(1) != t) d = b.Cast(d, c.ElemType(1));
    ONYX_ASSIGN_OR_RETURN(dx[1], b.ReduceToShape(d, p));
  }
  return dx;
}

// Concat's gradient splits g back into the inputs' extents along the axis.
Grads ConcatGrad(RuleContext& c) {
  Builder& b = c.b;
  ONYX_ASSIGN_OR_RETURN(size_t rank, c.Rank(0));
  int64_t axis = AttrInt(c.node, "axis", 0);
  if (axis < 0) axis += static_cast<int64_t>(rank);
  if (axis < 0 || axis >= static_cast<int64_t>(rank)) return b.Error(c.node.Describe(), ": axis is out of range");
  const size_t n = c.node.inputs().size();
  std::vector<int64_t> sizes;
  for (size_t i = 0; i < n; ++i) {
    const Value* v = In(c, i);
    std::optional<SymShape> shape;
    if (v) shape = v->type().shape;
    if (!shape || shape->size() != rank || !(*shape)[static_cast<size_t>(axis)].known()) break;
    sizes.push_back((*shape)[static_cast<size_t>(axis)].value);
  }
  std::map<std::string, Attribute> attrs = {{"axis", IntAttr("axis", axis)}};
  std::vector<Value*> parts;
  if (sizes.size() == n && b.opset() < 13) {
    attrs["split"] = IntsAttr("split", sizes);
    parts = b.OpN("Split", {c.dy[0]}, n, std::move(attrs));
  } else if (b.opset() >= 13) {
    Value* split = nullptr;
    if (sizes.size() == n) {
      split = b.Int64s(sizes);
    } else {
      std::vector<Value*> extents;
      for (size_t i = 0; i < n; ++i) {
        extents.push_back(b.Op("Slice", {b.Shape(In(c, i)), b.Int64s({axis}), b.Int64s({axis + 1})}));
      }
      split = b.Op("Concat", extents, {{"axis", IntAttr("axis", 0)}});
    }
    parts = b.OpN("Split", {c.dy[0], split}, n, std::move(attrs));
  } else {
    return b.Error("the gradient of ", c.node.Describe(),
                   " needs the inputs' static sizes along the axis below "
                   "ai.onnx opset 13");
  }
  return parts;
}

// Split's gradient concatenates the outputs' gradients, with zeros for outputs no gradient reached.
Grads SplitGrad(RuleContext& c) {
  Builder& b = c.b;
  std::vector<Value*> parts;
  for (size_t i = 0; i < c.node.outputs().size(); ++i) {
    Value* o = Out(c, i);
    if (!o) return b.Error("the gradient of ", c.node.Describe(), " needs every output named");
    parts.push_back(c.dy[i] ? c.dy[i] : b.Fill(o, ElemType(c), 0.0));
  }
  return std::vector<Value*>{b.Op("Concat", parts, {{"axis", IntAttr("axis", AttrInt(c.node, "axis", 0))}})};
}

// Slice with unit steps: the gradient is g padded with zeros back to the input's extent.
Grads SliceGrad(RuleContext& c) {
  Builder& b = c.b;
  ONYX_ASSIGN_OR_RETURN(size_t rank, c.Rank(0));
  const SymShape& shape = *In(c, 0)->type().shape;
  std::optional<std::vector<int64_t>> starts, ends, axes, steps;
  if (c.node.opset() < 10) {
    auto ints = [&](const char* name) -> std::optional<std::vector<int64_t>> {
      const Attribute* a = c.node.attribute(name);
      return a ? std::optional(a->ints) : std::nullopt;
    };
    starts = ints("starts");
    ends = ints("ends");
    axes = ints("axes");
  } else {
    starts = ConstInts(In(c, 1));
    ends = ConstInts(In(c, 2));
    if (In(c, 3)) axes = ConstInts(In(c, 3));
    if (In(c, 4)) steps = ConstInts(In(c, 4));
    if ((In(c, 3) && !axes) || (In(c, 4) && !steps)) starts.reset();
  }
  const auto unsupported = [&](const std::string& why) {
    return b.Error("no gradient rule for ", c.node.Describe(), " ", why);
  };
  if (!starts || !ends || starts->size() != ends->size())
    return unsupported("with non-constant starts, ends, axes or steps");
  if (!axes) {
    axes.emplace();
    for (size_t i = 0; i < starts->size(); ++i) axes->push_back(static_cast<int64_t>(i));
  }
  if (axes->size() != starts->size() || (steps && steps->size() != starts->size()))
    return unsupported("with mismatched lists");
  const int64_t r = static_cast<int64_t>(rank);
  std::vector<int64_t> pads(2 * rank, 0);
  for (size_t i = 0; i < axes->size(); ++i) {
    if (steps && (*steps)[i] != 1) return unsupported("with a step other than 1");
    int64_t a = (*axes)[i] < 0 ? (*axes)[i] + r : (*axes)[i];
    if (a < 0 || a >= r) return unsupported("with an axis out of range");
    const Dim& d = shape[static_cast<size_t>(a)];
    if (!d.known()) return unsupported("along an axis of unknown size");
    auto clamp = [&](int64_t v) { return std::clamp(v < 0 ? v + d.value : v, int64_t{0}, d.value); };
    const int64_t s = clamp((*starts)[i]), e = clamp((*ends)[i]);
    pads[static_cast<size_t>(a)] = s;
    pads[rank + static_cast<size_t>(a)] = d.value - std::max(s, e);
  }
  if (b.opset() < 11) return std::vector<Value*>{b.Op("Pad", {c.dy[0]}, {{"pads", IntsAttr("pads", pads)}})};
  return std::vector<Value*>{b.Op("Pad", {c.dy[0], b.Int64s(pads)})};
}

// Constant-mode Pad with non-negative pads: the gradient is the part of g the input occupies.
Grads PadGrad(RuleContext& c) {
  Builder& b = c.b;
  const auto unsupported = [&](const std::string& why) {
    return b.Error("no gradient rule for ", c.node.Describe(), " ", why);
  };
  const Attribute* mode = c.node.attribute("mode");
  if (mode && mode->s != "constant") return unsupported("in mode '" + mode->s + "'");
  if (c.need.size() > 2 && c.need[2]) return unsupported("with respect to its constant_value");
  ONYX_ASSIGN_OR_RETURN(size_t rank, c.Rank(0));
  std::optional<std::vector<int64_t>> pads, axes;
  if (c.node.opset() < 11) {
    const Attribute* a = c.node.attribute("pads");
    if (a) pads = a->ints;
  } else {
    pads = ConstInts(In(c, 1));
    if (In(c, 3)) {
      axes = ConstInts(In(c, 3));
      if (!axes) pads.reset();
    }
  }
  if (!pads) return unsupported("with non-constant pads or axes");
  if (!axes) {
    axes.emplace();
    for (size_t i = 0; i < rank; ++i) axes->push_back(static_cast<int64_t>(i));
  }
  if (pads->size() != 2 * axes->size()) return unsupported("with pads that do not match the axes");
  std::vector<int64_t> begin(rank, 0);
  for (size_t i = 0; i < axes->size(); ++i) {
    const int64_t a = (*axes)[i] < 0 ? (*axes)[i] + static_cast<int64_t>(rank) : (*axes)[i];
    if (a < 0 || a >= static_cast<int64_t>(rank)) return unsupported("with an axis out of range");
    if ((*pads)[i] < 0 || (*pads)[i + axes->size()] < 0) return unsupported("with negative pads");
    begin[static_cast<size_t>(a)] = (*pads)[i];
  }
  if (b.opset() >= 10) {
    Value* starts = b.Int64s(begin);
    return std::vector<Value*>{b.Op("Slice", {c.dy[0], starts, b.Op("Add", {starts, b.Shape(In(c, 0))})})};
  }
  const SymShape& shape = *In(c, 0)->type().shape;
  std::vector<int64_t> ends;
  for (size_t i = 0; i < rank; ++i) {
    if (!shape[i].known()) return unsupported("with unknown dims below ai.onnx opset 10");
    ends.push_back(begin[i] + shape[i].value);
  }
  return std::vector<Value*>{
      b.Op("Slice", {c.dy[0]}, {{"starts", IntsAttr("starts", begin)}, {"ends", IntsAttr("ends", ends)}})};
}

// Clip passes the gradient where it did not clip, that is where its output equals its input.
Grads ClipGrad(RuleContext& c) {
  for (size_t i = 1; i < c.need.size(); ++i) {
    if (c.need[i]) return c.b.Error("no gradient rule for ", c.node.Describe(), " with respect to its min or max");
  }
  Builder& b = c.b;
  const DataType t = ElemType(c);
  return std::vector<Value*>{b.Op("Mul", {c.dy[0], b.Cast(b.Op("Equal", {In(c, 0), Out(c)}), t)})};
}

Grads TransposeGrad(RuleContext& c) {
  const Attribute* perm = c.node.attribute("perm");
  if (!perm || perm->ints.empty()) return std::vector<Value*>{c.b.Op("Transpose", {c.dy[0]})};  // reversal
  std::vector<int64_t> inverse(perm->ints.size());
  for (size_t i = 0; i < perm->ints.size(); ++i) {
    const int64_t p = perm->ints[i];
    if (p < 0 || p >= static_cast<int64_t>(inverse.size())) return c.b.Error(c.node.Describe(), ": bad perm");
    inverse[static_cast<size_t>(p)] = static_cast<int64_t>(i);
  }
  return std::vector<Value*>{c.b.Transpose(c.dy[0], inverse)};
}

// Dropout is the identity at inference, which is the only mode Onyx differentiates.
Grads DropoutGrad(RuleContext& c) {
  if (Value* mode = In(c, 2)) {
    const Tensor* t = ConstantValue(mode);
    if (!t || t->type() != DataType::kBool || t->size() != 1 || t->data<bool>()[0]) {
      return c.b.Error("no gradient rule for ", c.node.Describe(), " in training mode");
    }
  }
  return std::vector<Value*>{c.dy[0]};
}

Grads CastGrad(RuleContext& c) {
  const DataType to = c.ElemType(0);
  if (to == DataType::kUndefined) return c.b.Error("the gradient of ", c.node.Describe(), " needs its input's type");
  return std::vector<Value*>{c.b.Cast(c.dy[0], to)};
}

const std::map<std::string, Rule>& Rules() {
  static const auto* rules = new std::map<std::string, Rule>{
      {"Add", Broadcasting([](RuleContext&, size_t, Value* g) { return g; })},
      {"Sum", Broadcasting([](RuleContext&, size_t, Value* g) { return g; })},
      {"Expand", Broadcasting([](RuleContext&, size_t i, Value* g) { return i == 0 ? g : nullptr; })},
      {"Sub", Broadcasting([](RuleContext& c, size_t i, Value* g) { return i == 0 ? g : c.b.Op("Neg", {g}); })},
      {"Mul", Broadcasting([](RuleContext& c, size_t i, Value* g) { return c.b.Op("Mul", {g, In(c, 1 - i)}); })},
      {"Div", Broadcasting([](RuleContext& c, size_t i, Value* g) {
         Builder& b = c.b;  // d(a/b)/db = -(a/b)/b
         return i == 0 ? b.Op("Div", {g, In(c, 1)}) : b.Op("Neg", {b.Op("Mul", {g, b.Op("Div", {Out(c), In(c, 1)})})});
       })},
      {"Where", Broadcasting([](RuleContext& c, size_t i, Value* g) -> Value* {
         if (i == 0) return nullptr;
         Value* zero = c.b.Scalar(ElemType(c), 0);
         return c.b.Op("Where", {In(c, 0), i == 1 ? g : zero, i == 1 ? zero : g});
       })},
      {"Pow", PowGrad},
      {"Neg", Unary([](Builder& b, DataType, Value* g, Value*, Value*) { return b.Op("Neg", {g}); })},
      {"Identity", Unary([](Builder&, DataType, Value* g, Value*, Value*) { return g; })},
      {"Dropout", DropoutGrad},
      {"Cast", CastGrad},
      {"Relu", Unary([](Builder& b, DataType t, Value* g, Value* x, Value*) {
         return b.Op("Mul", {g, b.Cast(b.Op("Greater", {x, b.Scalar(t, 0)}), t)});
       })},
      {"Sigmoid", Unary([](Builder& b, DataType t, Value* g, Value*, Value* y) {
         return b.Op("Mul", {g, b.Op("Mul", {y, b.Op("Sub", {b.Scalar(t, 1), y})})});
       })},
      {"Tanh", Unary([](Builder& b, DataType t, Value* g, Value*, Value* y) {
         return b.Op("Mul", {g, b.Op("Sub", {b.Scalar(t, 1), b.Op("Mul", {y, y})})});
       })},
      {"Exp", Unary([](Builder& b, DataType, Value* g, Value*, Value* y) { return b.Op("Mul", {g, y}); })},
      {"Log", Unary([](Builder& b, DataType, Value* g, Value* x, Value*) { return b.Op("Div", {g, x}); })},
      {"Sqrt", Unary([](Builder& b, DataType t, Value* g, Value*, Value* y) {
         return b.Op("Div", {g, b.Op("Mul", {y, b.Scalar(t, 2)})});
       })},
      {"Reciprocal", Unary([](Builder& b, DataType, Value* g, Value*, Value* y) {
         return b.Op("Neg", {b.Op("Mul", {g, b.Op("Mul", {y, y})})});
       })},
      {"LeakyRelu", [](RuleContext& c) -> Grads {
         Builder& b = c.b;
         const DataType t = ElemType(c);
         Value* positive = b.Op("Greater", {In(c, 0), b.Scalar(t, 0)});
         Value* slope = b.Op("Where", {positive, b.Scalar(t, 1), b.Scalar(t, AttrFloat(c.node, "alpha", 0.01f))});
         return std::vector<Value*>{b.Op("Mul", {c.dy[0], slope})};
       }},
      {"Sin", Unary([](Builder& b, DataType, Value* g, Value* x, Value*) { return b.Op("Mul", {g, b.Op("Cos", {x})}); })},
      {"Cos", Unary([](Builder& b, DataType, Value* g, Value* x, Value*) {
         return b.Op("Neg", {b.Op("Mul", {g, b.Op("Sin", {x})})});
       })},
      {"Sign", Unary([](Builder&, DataType, Value*, Value*, Value*) -> Value* { return nullptr; })},  // flat
      {"Clip", ClipGrad},
      {"Pad", PadGrad},
      {"Abs", Unary([](Builder& b, DataType, Value* g, Value* x, Value*) { return b.Op("Mul", {g, b.Op("Sign", {x})}); })},
      {"MatMul", MatMulGrad},
      {"Gemm", GemmGrad},
      {"ReduceSum", [](RuleContext& c) { return ReduceGrad(c, false, 13); }},
      {"ReduceMean", [](RuleContext& c) { return ReduceGrad(c, true, 18); }},
      {"Softmax", SoftmaxGrad},
      {"LogSoftmax", LogSoftmaxGrad},
      {"Reshape", ReshapeBack},
      {"Flatten", ReshapeBack},
      {"Squeeze", ReshapeBack},
      {"Unsqueeze", ReshapeBack},
      {"Transpose", TransposeGrad},
      {"Concat", ConcatGrad},
      {"Split", SplitGrad},
      {"Slice", SliceGrad},
  };
  return *rules;
}

}  // namespace

const Rule* FindRule(const std::string& op_type) {
  auto it = Rules().find(op_type);
  return it == Rules().end() ? nullptr : &it->second;
}

}  // namespace onyx::ir::autodiff

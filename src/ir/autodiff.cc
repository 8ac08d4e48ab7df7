#include "ir/autodiff.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "ir/shape_inference.h"
#include "ir/validate.h"

namespace onyx::ir {
namespace autodiff {

Attribute IntAttr(const std::string& name, int64_t v) {
  Attribute a;
  a.name = name;
  a.type = AttrType::kInt;
  a.i = v;
  return a;
}

Attribute IntsAttr(const std::string& name, std::vector<int64_t> v) {
  Attribute a;
  a.name = name;
  a.type = AttrType::kInts;
  a.ints = std::move(v);
  return a;
}

Attribute FloatAttr(const std::string& name, float v) {
  Attribute a;
  a.name = name;
  a.type = AttrType::kFloat;
  a.f = v;
  return a;
}

Attribute TensorAttr(const std::string& name, Tensor t) {
  Attribute a;
  a.name = name;
  a.type = AttrType::kTensor;
  a.t = std::move(t);
  return a;
}

Tensor ScalarTensor(DataType type, double v, const std::vector<int64_t>& shape) {
  switch (type) {
    case DataType::kDouble:
      return Tensor::FromVector<double>(shape, {v});
    case DataType::kFloat16:
      return Tensor::FromVector<Float16>(shape, {Float16{FloatToHalf(static_cast<float>(v))}});
    case DataType::kBFloat16:
      return Tensor::FromVector<BFloat16>(shape, {BFloat16{FloatToBFloat16(static_cast<float>(v))}});
    case DataType::kInt64:
      return Tensor::FromVector<int64_t>(shape, {static_cast<int64_t>(v)});
    default:
      return Tensor::FromVector<float>(shape, {static_cast<float>(v)});
  }
}

const Tensor* ConstantValue(const Value* v) {
  // An initializer that is also a graph input may be fed a different value at run time.
  return v && !v->is_graph_input() ? v->initializer() : nullptr;
}

bool IsDifferentiableType(DataType t) {
  return t == DataType::kFloat || t == DataType::kDouble || t == DataType::kFloat16 || t == DataType::kBFloat16;
}

void RunInference(Node& node) {
  const InferenceFn* fn = FindShapeInference(node.domain(), node.op_type());
  if (!fn) return;
  InferenceContext ctx(node);
  (void)(*fn)(ctx);  // best effort: a gap only costs static facts later rules may want
}

std::vector<Value*> Builder::OpN(const std::string& op_type, const std::vector<Value*>& inputs, size_t n_outputs,
                                 std::map<std::string, Attribute> attrs) {
  std::vector<std::string> in_names, out_names;
  for (const Value* v : inputs) in_names.push_back(v ? v->name() : std::string());
  for (size_t i = 0; i < n_outputs; ++i) out_names.push_back(graph_.UniqueName(base_ + "/" + op_type));
  Node* n = graph_.AddNode(out_names[0], op_type, "", opset_, in_names, out_names, std::move(attrs));
  RunInference(*n);
  for (Value* v : n->outputs()) created_.insert(v);
  return n->outputs();
}

Value* Builder::Op(const std::string& op_type, const std::vector<Value*>& inputs,
                   std::map<std::string, Attribute> attrs) {
  return OpN(op_type, inputs, 1, std::move(attrs))[0];
}

std::vector<Value*> Builder::Clone(const Node& node, const std::vector<Value*>& inputs) {
  std::vector<std::string> in_names, out_names;
  for (const Value* v : inputs) in_names.push_back(v ? v->name() : std::string());
  for (const Value* v : node.outputs()) out_names.push_back(v ? graph_.UniqueName(v->name()) : std::string());
  Node* n = graph_.AddNode(graph_.UniqueName(node.name()), node.op_type(), node.domain(), node.opset(), in_names,
                           out_names, node.attributes());
  for (size_t i = 0; i < n->outputs().size(); ++i) {
    if (n->output(i)) n->output(i)->set_type(node.output(i)->type());
  }
  RunInference(*n);
  return n->outputs();
}

Value* Builder::Scalar(DataType type, double v) {
  return graph_.AddConstant(base_ + "/const", ScalarTensor(type, v)).value();
}

Value* Builder::Int64s(const std::vector<int64_t>& v) {
  return graph_.AddConstant(base_ + "/const", Tensor::FromVector<int64_t>({static_cast<int64_t>(v.size())}, v)).value();
}

Value* Builder::ReduceSum(Value* v, const std::vector<int64_t>& axes, bool keepdims) {
  std::map<std::string, Attribute> attrs = {{"keepdims", IntAttr("keepdims", keepdims ? 1 : 0)}};
  if (opset_ < 13) {
    if (!axes.empty()) attrs["axes"] = IntsAttr("axes", axes);
    return Op("ReduceSum", {v}, std::move(attrs));
  }
  if (axes.empty()) return Op("ReduceSum", {v}, std::move(attrs));
  return Op("ReduceSum", {v, Int64s(axes)}, std::move(attrs));
}

Value* Builder::Unsqueeze(Value* v, const std::vector<int64_t>& axes) {
  if (opset_ < 13) return Op("Unsqueeze", {v}, {{"axes", IntsAttr("axes", axes)}});
  return Op("Unsqueeze", {v, Int64s(axes)});
}

Value* Builder::Transpose(Value* v, const std::vector<int64_t>& perm) {
  return Op("Transpose", {v}, {{"perm", IntsAttr("perm", perm)}});
}

Value* Builder::Cast(Value* v, DataType to) {
  return Op("Cast", {v}, {{"to", IntAttr("to", static_cast<int64_t>(to))}});
}

Value* Builder::ReshapeLike(Value* v, Value* like) { return Op("Reshape", {v, Shape(like)}); }

Value* Builder::Fill(Value* like, DataType type, double fill) {
  return Op("ConstantOfShape", {Shape(like)}, {{"value", TensorAttr("value", ScalarTensor(type, fill, {1}))}});
}

Value* Builder::MatMul2D(Value* a, bool trans_a, Value* b, bool trans_b, float alpha) {
  if (opset_ >= 11) {
    std::map<std::string, Attribute> attrs;
    if (trans_a) attrs["transA"] = IntAttr("transA", 1);
    if (trans_b) attrs["transB"] = IntAttr("transB", 1);
    if (alpha != 1.0f) attrs["alpha"] = FloatAttr("alpha", alpha);
    return Op("Gemm", {a, b}, std::move(attrs));
  }
  Value* r = Op("MatMul", {trans_a ? Transpose(a, {1, 0}) : a, trans_b ? Transpose(b, {1, 0}) : b});
  return alpha == 1.0f ? r : Op("Mul", {r, Scalar(a->type().elem_type, alpha)});
}

Result<Value*> Builder::ReduceToShape(Value* grad, Value* target) {
  const Type& gt = grad->type();
  const Type& tt = target->type();
  if (!gt.is_tensor() || !gt.shape || !tt.is_tensor() || !tt.shape) {
    return Error("the ranks of '", target->name(), "' and of its gradient must be known to undo broadcasting");
  }
  const SymShape& gs = *gt.shape;
  const SymShape& ts = *tt.shape;
  if (ts.size() > gs.size()) {
    return Error("the gradient of '", target->name(), "' has rank ", gs.size(), ", below the value's rank ", ts.size());
  }
  const size_t lead = gs.size() - ts.size();
  std::vector<int64_t> axes;
  for (size_t i = 0; i < lead; ++i) axes.push_back(static_cast<int64_t>(i));
  bool dynamic = false;
  for (size_t i = 0; i < ts.size(); ++i) {
    const Dim& xd = ts[i];
    const Dim& gd = gs[lead + i];
    const bool grad_is_one = gd.known() && gd.value == 1;
    if (xd.known()) {
      // Summing an axis of size 1 is harmless, so a dim of 1 is reduced unless the gradient's is 1 too.
      if (xd.value == 1 && !grad_is_one) axes.push_back(static_cast<int64_t>(lead + i));
    } else if (!(grad_is_one || (!xd.param.empty() && xd == gd))) {
      dynamic = true;
    }
  }
  if (!dynamic) {
    if (axes.empty()) return grad;
    if (axes.size() == lead) return ReduceSum(grad, axes, false);
    Value* r = ReduceSum(grad, axes, true);
    return lead == 0 ? r : ReshapeLike(r, target);
  }
  if (opset_ < 13) {
    return Error("undoing the broadcasting of '", target->name(), "' ", tt.ShapeString(), " from ", gt.ShapeString(),
                 " needs static shapes below ai.onnx opset 13");
  }
  Value* g = lead > 0 ? ReduceSum(grad, std::vector<int64_t>(axes.begin(), axes.begin() + lead), false) : grad;
  Value* ones = Op("NonZero", {Op("Equal", {Shape(target), Int64s({1})})});
  Value* dyn_axes = Op("Reshape", {ones, Int64s({-1})});
  return Op("ReduceSum", {g, dyn_axes},
            {{"keepdims", IntAttr("keepdims", 1)}, {"noop_with_empty_axes", IntAttr("noop_with_empty_axes", 1)}});
}

Result<size_t> RuleContext::Rank(size_t i) const {
  const Value* v = node.input(i);
  if (!v || !v->type().is_tensor() || !v->type().shape) {
    return b.Error("the gradient of ", node.Describe(), " needs the rank of input ", i,
                   v ? " '" + v->name() + "'" : "");
  }
  return v->type().shape->size();
}

DataType RuleContext::ElemType(size_t i) const {
  const Value* v = node.input(i);
  return v && v->type().is_tensor() ? v->type().elem_type : DataType::kUndefined;
}

}  // namespace autodiff

namespace {

constexpr const char* kTrainingDomain = "ai.onnx.preview.training";

bool IsGradient(const Node& n) { return n.domain() == kTrainingDomain && n.op_type() == "Gradient"; }

// Only tensors of a known non-floating type are certainly not differentiable; anything unknown is kept on
// the path so that a missing rule is reported rather than a gradient silently dropped.
bool MaybeDifferentiable(const Value* v) {
  const Type& t = v->type();
  if (!t.is_tensor() || t.elem_type == DataType::kUndefined) return true;
  return autodiff::IsDifferentiableType(t.elem_type);
}

std::string OpName(const Node& n) { return n.domain().empty() ? n.op_type() : n.domain() + ":" + n.op_type(); }

template <typename F>
void ForEachInput(const Node& n, F f) {
  for (Value* v : n.inputs()) {
    if (v) f(v);
  }
  for (Value* v : n.implicit_inputs()) f(v);
}

// Nodes that `y` depends on, not looking past `stops`, and the values met on the way (y included).
void BackwardRegion(Value* y, const std::set<const Value*>& stops, std::set<const Node*>* nodes,
                    std::set<const Value*>* values) {
  std::vector<Value*> stack = {y};
  while (!stack.empty()) {
    Value* v = stack.back();
    stack.pop_back();
    if (!values->insert(v).second || stops.count(v)) continue;
    Node* p = v->producer();
    if (!p || !nodes->insert(p).second) continue;
    ForEachInput(*p, [&](Value* in) { stack.push_back(in); });
  }
}

// A gradient has its primal's type and shape. Inference on the backward nodes may know less (the seed's
// ConstantOfShape of a Shape) or more (a dim the primal's declaration left open): keep the best of both.
void TakeTypeOf(Value* grad, const Value* primal) {
  const Type& p = primal->type();
  const Type& g = grad->type();
  if (!p.is_tensor()) return;
  Type t = p;
  if (g.is_tensor()) {
    if (t.elem_type == DataType::kUndefined) t.elem_type = g.elem_type;
    if (!t.shape) {
      t.shape = g.shape;
    } else if (g.shape && g.shape->size() == t.shape->size()) {
      for (size_t i = 0; i < t.shape->size(); ++i) {
        if (!(*t.shape)[i].known() && (*g.shape)[i].known()) (*t.shape)[i] = (*g.shape)[i];
      }
    }
  }
  grad->set_type(std::move(t));
}

struct GradientSpec {
  std::vector<std::string> xs, zs;
  std::string y;
};

Result<GradientSpec> ReadSpec(const Node& g, const autodiff::Builder& b) {
  GradientSpec spec;
  const Attribute* xs = g.attribute("xs");
  const Attribute* y = g.attribute("y");
  const Attribute* zs = g.attribute("zs");
  if (!xs || xs->type != AttrType::kStrings || !y || y->type != AttrType::kString) {
    return b.Error("needs the attributes 'xs' (strings) and 'y' (string)");
  }
  spec.xs = xs->strings;
  spec.y = y->s;
  if (zs && zs->type == AttrType::kStrings) spec.zs = zs->strings;
  if (spec.xs.empty()) return b.Error("'xs' names no tensor");
  if (g.inputs().size() != spec.xs.size() + spec.zs.size()) {
    return b.Error("has ", g.inputs().size(), " inputs, but 'xs' and 'zs' name ", spec.xs.size() + spec.zs.size(),
                   " tensors (the inputs give their values, xs first)");
  }
  if (g.outputs().size() > spec.xs.size()) {
    return b.Error("has ", g.outputs().size(), " outputs, but 'xs' names only ", spec.xs.size(), " tensors");
  }
  std::set<std::string> seen;
  for (const auto* list : {&spec.xs, &spec.zs}) {
    for (const std::string& name : *list) {
      if (!seen.insert(name).second) return b.Error("'", name, "' is named twice in 'xs' and 'zs'");
    }
  }
  for (size_t i = 0; i < g.inputs().size(); ++i) {
    if (!g.input(i)) return b.Error("input ", i, " is omitted; every x and z needs a value");
  }
  return spec;
}

// Picks a Gradient node whose y does not depend on another Gradient's output, so that the Gradient nodes a y
// reads are expanded (into differentiable operators) before it is differentiated.
Result<Node*> NextGradient(const Graph& graph) {
  Node* first = nullptr;
  for (const auto& n : graph.nodes()) {
    if (!IsGradient(*n)) continue;
    if (!first) first = n.get();
    const Attribute* y = n->attribute("y");
    Value* yv = y ? graph.FindValue(y->s) : nullptr;
    if (!yv) return n.get();  // reported by the expansion
    std::set<const Node*> nodes;
    std::set<const Value*> values;
    BackwardRegion(yv, {}, &nodes, &values);
    if (std::none_of(nodes.begin(), nodes.end(), [](const Node* m) { return IsGradient(*m); })) return n.get();
  }
  if (first) return InvalidGraph(first->Describe(), ": its y depends on a Gradient output in a cycle");
  return nullptr;
}

Status ExpandOne(Graph& graph, Node* gnode) {
  const std::string describe = gnode->Describe();
  auto opset_it = graph.opsets().find("");
  int64_t opset = opset_it == graph.opsets().end() ? 0 : opset_it->second;
  autodiff::Builder b(graph, describe, gnode->name().empty() ? "grad" : gnode->name(), opset);
  if (opset < 9) {
    return b.Error("expanding a Gradient needs the ai.onnx domain at opset 9 or newer (the model imports ",
                   opset == 0 ? std::string("none") : std::to_string(opset), ")");
  }
  ONYX_ASSIGN_OR_RETURN(GradientSpec spec, ReadSpec(*gnode, b));
  const size_t nx = spec.xs.size();

  Value* y = graph.FindValue(spec.y);
  if (!y) return b.Error("y '", spec.y, "' is not a value of the graph");
  if (y->producer() == gnode) return b.Error("y '", spec.y, "' is an output of the Gradient node itself");
  if (y->type().is_tensor() && y->type().elem_type != DataType::kUndefined &&
      !autodiff::IsDifferentiableType(y->type().elem_type)) {
    return b.Error("y '", spec.y, "' is ", y->type().ToString(), "; only floating-point tensors can be differentiated");
  }
  if (!y->type().is_tensor() || y->type().elem_type == DataType::kUndefined) {
    return b.Error("y '", spec.y, "' has no known tensor type");
  }
  std::vector<Value*> named(gnode->inputs().size());
  bool same = true;
  for (size_t i = 0; i < named.size(); ++i) {
    const std::string& name = i < nx ? spec.xs[i] : spec.zs[i - nx];
    const char* what = i < nx ? "x" : "z";
    named[i] = graph.FindValue(name);
    if (!named[i]) return b.Error(what, " '", name, "' is not a value of the graph");
    Value* in = gnode->input(i);
    if (in != named[i]) same = false;
    if (i >= nx) continue;
    const Type& t = in->type();
    if (!t.is_tensor() || !autodiff::IsDifferentiableType(t.elem_type)) {
      return b.Error("x '", name, "' (value '", in->name(), "') is ", t.ToString(),
                     "; gradients exist only for floating-point tensors");
    }
  }

  // The inputs give the values at which to differentiate. When they are not the named tensors themselves,
  // the part of the forward graph between the named tensors and y is recomputed from them.
  std::vector<Value*> vars(named.size());
  if (same) {
    vars = named;
  } else {
    std::unordered_map<const Value*, Value*> remap;
    std::set<const Value*> stops;
    for (size_t i = 0; i < named.size(); ++i) {
      vars[i] = b.Op("Identity", {gnode->input(i)});  // distinct values even when two inputs are the same
      remap[named[i]] = vars[i];
      stops.insert(named[i]);
    }
    std::set<const Node*> region;
    std::set<const Value*> seen;
    BackwardRegion(y, stops, &region, &seen);
    ONYX_ASSIGN_OR_RETURN(std::vector<Node*> order, graph.TopologicalOrder());
    for (Node* n : order) {
      if (!region.count(n)) continue;
      bool reads_remapped = false;
      for (Value* v : n->implicit_inputs()) {
        if (remap.count(v)) {
          return b.Error("cannot recompute ", n->Describe(), ": its subgraph reads '", v->name(), "'");
        }
      }
      std::vector<Value*> ins = n->inputs();
      for (Value*& v : ins) {
        auto it = v ? remap.find(v) : remap.end();
        if (it != remap.end()) {
          v = it->second;
          reads_remapped = true;
        }
      }
      if (!reads_remapped) continue;
      if (!n->subgraphs().empty()) return b.Error("cannot recompute ", n->Describe(), ", which holds subgraphs");
      std::vector<Value*> outs = b.Clone(*n, ins);
      for (size_t k = 0; k < outs.size(); ++k) {
        if (outs[k]) remap[n->output(k)] = outs[k];
      }
    }
    if (remap.count(y)) y = remap[y];
  }

  std::set<const Value*> stops(vars.begin(), vars.end());
  std::set<const Node*> region;
  std::set<const Value*> leads_to_y;
  BackwardRegion(y, stops, &region, &leads_to_y);

  // Forward sweep: which values depend on an x (remembering the first, for error messages) and which nodes
  // carry that dependence to y.
  std::unordered_map<const Value*, size_t> depends;
  for (size_t i = nx; i-- > 0;) depends[vars[i]] = i;
  std::vector<Node*> path;
  ONYX_ASSIGN_OR_RETURN(std::vector<Node*> order, graph.TopologicalOrder());
  for (Node* n : order) {
    if (!region.count(n)) continue;
    std::optional<size_t> from;
    ForEachInput(*n, [&](Value* v) {
      auto it = depends.find(v);
      if (it != depends.end() && !from) from = it->second;
    });
    if (!from) continue;
    bool carries = std::any_of(n->outputs().begin(), n->outputs().end(),
                               [&](const Value* o) { return o && MaybeDifferentiable(o) && leads_to_y.count(o); });
    if (!carries) continue;
    if (!n->domain().empty() || !autodiff::FindRule(n->op_type())) {
      return b.Error("no gradient rule for operator '", OpName(*n), "' (node '", n->name(), "') on the path from '",
                     spec.xs[*from], "' to '", spec.y, "'");
    }
    path.push_back(n);
    for (const Value* o : n->outputs()) {
      if (o && MaybeDifferentiable(o)) depends.emplace(o, *from);
    }
  }

  // Reverse sweep.
  std::unordered_map<const Value*, Value*> grads;
  auto accumulate = [&](Value* v, Value* g) {
    if (b.created(g)) TakeTypeOf(g, v);
    auto it = grads.find(v);
    if (it == grads.end()) {
      grads[v] = g;
      return;
    }
    it->second = b.Op("Add", {it->second, g});
    TakeTypeOf(it->second, v);
  };
  if (depends.count(y)) accumulate(y, b.Fill(y, y->type().elem_type, 1.0));
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    Node* n = *it;
    autodiff::RuleContext ctx{b, *n, {}, {}};
    bool any = false;
    for (Value* o : n->outputs()) {
      auto g = o ? grads.find(o) : grads.end();
      ctx.dy.push_back(g == grads.end() ? nullptr : g->second);
      any = any || ctx.dy.back();
    }
    if (!any) continue;
    for (Value* in : n->inputs()) ctx.need.push_back(in && depends.count(in));
    ONYX_ASSIGN_OR_RETURN(std::vector<Value*> dx, (*autodiff::FindRule(n->op_type()))(ctx));
    for (size_t i = 0; i < dx.size() && i < ctx.need.size(); ++i) {
      if (ctx.need[i] && dx[i]) accumulate(n->input(i), dx[i]);
    }
  }

  std::vector<Value*> outputs = gnode->outputs();
  std::vector<Value*> results(outputs.size(), nullptr);
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (!outputs[i]) continue;
    auto it = grads.find(vars[i]);
    results[i] = it != grads.end() ? it->second : b.Fill(vars[i], vars[i]->type().elem_type, 0.0);
  }
  graph.RemoveNode(gnode);
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (!outputs[i]) continue;
    // Typed now: a later Gradient may differentiate this output.
    autodiff::RunInference(*graph.AddNode(graph.UniqueName(outputs[i]->name()), "Identity", "", opset,
                                          {results[i]->name()}, {outputs[i]->name()}, {}));
  }
  return Status::Ok();
}

}  // namespace

bool HasGradientNodes(const Graph& graph) {
  for (const auto& n : graph.nodes()) {
    if (IsGradient(*n)) return true;
    for (const auto& sub : n->subgraphs()) {
      if (HasGradientNodes(*sub)) return true;
    }
  }
  return false;
}

Status ExpandGradients(Graph& graph) {
  for (const auto& n : graph.nodes()) {
    for (const auto& sub : n->subgraphs()) {
      if (HasGradientNodes(*sub)) {
        return InvalidGraph(n->Describe(),
                            ": a subgraph holds a Gradient node; Gradient is supported only in the "
                            "main graph");
      }
    }
  }
  for (;;) {
    ONYX_ASSIGN_OR_RETURN(Node * g, NextGradient(graph));
    if (!g) break;
    ONYX_RETURN_IF_ERROR(ExpandOne(graph, g));
  }
  graph.PruneValues();
  // The emitted nodes must be as valid as the ones loaded; a failure here is a bug in a rule.
  Status valid = ValidateGraph(graph, graph.opsets());
  if (!valid.ok()) return valid.WithContext("after expanding Gradient nodes");
  return Status::Ok();
}

}  // namespace onyx::ir

// A 1x1 convolution with stride s reads one pixel in s x s of its input. When every reader of a tensor is such a
// convolution, only those pixels of it are ever needed, and the nodes that make it can make only those: a
// convolution that produced it at stride 1 produces it at stride s (output i of the strided convolution is output
// i*s of the unstrided one, with the same pads), and element-wise operators, 1x1 convolutions among them, compute
// s*s times fewer pixels. The readers then run at stride 1. Caffe-style ResNets (the downsampling stride on the
// first 1x1 of a stage, as in open_nsfw) computed the whole last block of each stage at full resolution and threw
// three quarters of it away; with this pass its 3x3 convolution runs at stride 2.
//
// The walk goes up from the strided readers through nodes whose output nobody else reads: Conv (stride 1), unary
// activations, and binary arithmetic on same-shaped operands. An operand that others read too (a residual's
// identity path) is subsampled by an AveragePool with a 1x1 window and stride s, which copies every s-th pixel
// (and stays in the blocked layout at level all). The rewrite is made only when it reaches a convolution.
#include <map>
#include <set>

#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

bool ExplicitPads(const ir::Node& n) {
  const ir::Attribute* ap = n.attribute("auto_pad");
  return !ap || ap->s == "NOTSET" || ap->s == "VALID" || ap->s.empty();
}

// A 4-D float value, as far as its type says.
bool Float4d(const ir::Value* v) {
  return v && v->type().elem_type == DataType::kFloat && v->type().shape && v->type().shape->size() == 4;
}

// A 2-D Conv (default domain) with constant 4-D weights; its kernel's size, or an empty vector.
std::vector<int64_t> ConvKernel(const ir::Node* n) {
  if (!n || !n->domain().empty() || n->op_type() != "Conv" || !ExplicitPads(*n)) return {};
  const Tensor* w = ConstantInput(*n, 1);
  if (!w || w->rank() != 4) return {};
  return {w->dim(2), w->dim(3)};
}

// The stride s > 1 of a 1x1 Conv reading `v` as its input X with stride (s, s) and no pads, else 0.
int64_t StridedPointwiseReader(const ir::Node* n, const ir::Value* v) {
  if (ConvKernel(n) != std::vector<int64_t>{1, 1} || n->input(0) != v || n->input(1) == v || n->input(2) == v) return 0;
  const ir::Attribute* st = n->attribute("strides");
  if (!st || st->ints.size() != 2 || st->ints[0] != st->ints[1] || st->ints[0] < 2) return 0;
  return AttrIntsAllEqual(*n, "pads", 0) ? st->ints[0] : 0;
}

bool Unary(const ir::Node* n) {
  if (!n->domain().empty() || n->outputs().size() != 1) return false;
  static const std::set<std::string> ops = {"Relu",    "LeakyRelu", "Sigmoid",  "Tanh", "HardSigmoid",
                                            "HardSwish", "Elu",     "Selu",     "Clip", "Softplus",
                                            "Neg",     "Abs",       "Exp",      "Sqrt", "PRelu"};
  if (!ops.count(n->op_type())) return false;
  // Clip's bounds and PRelu's slope: constants that do not vary over H and W.
  for (size_t i = 1; i < n->inputs().size(); ++i) {
    const ir::Value* in = n->input(i);
    if (!in) continue;
    const Tensor* t = ConstantOf(in);
    if (!t || (t->rank() >= 2 && (t->dim(t->rank() - 1) != 1 || t->dim(t->rank() - 2) != 1))) return false;
  }
  return true;
}

bool Binary(const ir::Node* n) {
  if (!n->domain().empty() || n->inputs().size() != 2 || n->outputs().size() != 1) return false;
  const std::string& op = n->op_type();
  return op == "Add" || op == "Sub" || op == "Mul" || op == "Div";
}

// Whether operand `in` of a binary node may vary over H and W (else it broadcasts over them: no subsampling).
bool Spatial(const ir::Value* in) {
  const auto& s = in->type().shape;
  if (!s) return true;
  const size_t r = s->size();
  return r >= 2 && !((*s)[r - 1] == ir::Dim::Known(1) && (*s)[r - 2] == ir::Dim::Known(1));
}

struct Plan {
  int64_t s = 0;
  std::vector<ir::Node*> strided;            // convolutions that take stride s
  std::vector<ir::Value*> shrunk;            // values now s*s times smaller (their types change)
  std::vector<std::pair<ir::Node*, size_t>> subsampled;  // inputs read through a subsampling node
  int convs = 0;                             // convolutions made cheaper
};

// Whether `in` is made by a node and read by one node only (the one the walk comes from), so it can shrink.
bool ReadOnlyByItsMaker(const ir::Value* in) {
  return in->consumers().size() == 1 && !in->is_graph_input() && !in->initializer();
}

// Plans for `v` (read only by the nodes the rewrite covers) to be made at every s-th pixel; false when its maker
// cannot, in which case the caller subsamples it.
bool PlanMaker(ir::Value* v, Plan* plan, int depth) {
  ir::Node* p = v->producer();
  if (!p || depth > 64 || v->is_graph_output() || v->is_outer_scope() || !Float4d(v)) return false;
  for (size_t i = 1; i < p->outputs().size(); ++i) {
    const ir::Value* o = p->output(i);
    if (o && (!o->consumers().empty() || o->is_graph_output())) return false;
  }
  // An input that only this maker reads goes down the same way; another is subsampled where this maker reads it.
  auto through = [&](size_t i) {
    ir::Value* in = p->input(i);
    if (!(ReadOnlyByItsMaker(in) && PlanMaker(in, plan, depth + 1))) plan->subsampled.emplace_back(p, i);
  };
  const std::vector<int64_t> k = ConvKernel(p);
  if (!k.empty()) {
    if (p->output(0) != v || !AttrIntsAllEqual(*p, "strides", 1) || !Float4d(p->input(0))) return false;
    ++plan->convs;
    ir::Value* x = p->input(0);
    // A 1x1 convolution without pads maps pixels to pixels: its input can shrink instead (further up, more saved).
    if (!(k == std::vector<int64_t>{1, 1} && AttrIntsAllEqual(*p, "pads", 0) && ReadOnlyByItsMaker(x) &&
          PlanMaker(x, plan, depth + 1))) {
      plan->strided.push_back(p);
    }
    plan->shrunk.push_back(v);
    return true;
  }
  if (Unary(p)) {
    if (!Float4d(p->input(0))) return false;
    through(0);
    plan->shrunk.push_back(v);
    return true;
  }
  if (Binary(p)) {
    if (p->input(0) == p->input(1)) return false;
    // A spatial operand must be the output's own size (broadcasting over N or C only); checked for both before the
    // plan grows, since a refusal must leave it as it was.
    const ir::SymShape& out = *v->type().shape;
    bool spatial[2] = {Spatial(p->input(0)), Spatial(p->input(1))};
    for (size_t i = 0; i < 2; ++i) {
      const auto& in = p->input(i)->type().shape;
      if (spatial[i] && (!in || in->size() != 4 || !SameDim((*in)[2], out[2]) || !SameDim((*in)[3], out[3]))) {
        return false;
      }
    }
    for (size_t i = 0; i < 2; ++i) {
      if (spatial[i]) through(i);
    }
    plan->shrunk.push_back(v);
    return true;
  }
  return false;
}

// `node` again, with attribute `attr` set (nodes' attributes are fixed once made).
ir::Node* WithAttribute(ir::Graph& graph, ir::Node* node, ir::Attribute attr) {
  std::vector<std::string> inputs, outputs;
  for (const ir::Value* v : node->inputs()) inputs.push_back(v ? v->name() : "");
  for (const ir::Value* v : node->outputs()) outputs.push_back(v ? v->name() : "");
  std::map<std::string, ir::Attribute> attrs = node->attributes();
  attrs[attr.name] = std::move(attr);
  const std::string name = node->name(), op = node->op_type(), domain = node->domain(), doc = node->doc_string();
  const int64_t opset = node->opset();
  graph.RemoveNode(node);
  return graph.AddNode(name, op, domain, opset, inputs, outputs, std::move(attrs), doc);
}

ir::Dim Shrink(const ir::Dim& d, int64_t s) {
  if (d.known()) return ir::Dim::Known((d.value + s - 1) / s);
  return ir::Dim();
}

class PropagateStrides final : public GraphPass {
 public:
  std::string name() const override { return "PropagateStrides"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    if (!CanProduce(ctx, graph, "", "AveragePool")) return 0;
    std::vector<ir::Value*> candidates;
    for (const auto& n : graph.nodes()) {
      if (StridedPointwiseReader(n.get(), n->input(0)) > 0) candidates.push_back(n->input(0));
    }
    int rewrites = 0;
    std::set<ir::Value*> done;
    for (ir::Value* v : candidates) {
      if (!done.insert(v).second || v->consumers().empty()) continue;
      int64_t s = 0;
      bool all = true;
      for (const ir::Node* c : v->consumers()) {
        const int64_t cs = StridedPointwiseReader(c, v);
        if (cs == 0 || (s != 0 && cs != s)) all = false;
        s = cs;
      }
      if (!all) continue;
      Plan plan;
      plan.s = s;
      if (!PlanMaker(v, &plan, 0) || plan.convs == 0) continue;
      Apply(graph, v, plan);
      ++rewrites;
    }
    return rewrites;
  }

 private:
  static void Apply(ir::Graph& graph, ir::Value* v, const Plan& plan) {
    const int64_t s = plan.s;
    // Subsampled operands first (one AveragePool per value, shared by its readers here).
    std::map<ir::Value*, ir::Value*> sub;
    for (const auto& [node, i] : plan.subsampled) {
      ir::Value* in = node->input(i);
      auto it = sub.find(in);
      if (it == sub.end()) {
        const std::string out = graph.UniqueName(in->name() + "_every_" + std::to_string(s));
        graph.AddNode(graph.UniqueName(in->name() + "_subsample"), "AveragePool", "", node->opset(), {in->name()},
                      {out}, {{"kernel_shape", IntsAttr("kernel_shape", {1, 1})}, {"strides", IntsAttr("strides", {s, s})}});
        ir::Value* ov = graph.FindValue(out);
        ir::Type t = in->type();
        if (t.shape) {
          (*t.shape)[2] = Shrink((*t.shape)[2], s);
          (*t.shape)[3] = Shrink((*t.shape)[3], s);
        }
        ov->set_type(t);
        it = sub.emplace(in, ov).first;
      }
      graph.ReplaceInput(node, i, it->second);
    }
    for (ir::Value* x : plan.shrunk) {
      ir::Type t = x->type();
      (*t.shape)[2] = Shrink((*t.shape)[2], s);
      (*t.shape)[3] = Shrink((*t.shape)[3], s);
      x->set_type(t);
    }
    for (ir::Node* c : plan.strided) WithAttribute(graph, c, IntsAttr("strides", {s, s}));
    for (ir::Node* c : std::vector<ir::Node*>(v->consumers())) WithAttribute(graph, c, IntsAttr("strides", {1, 1}));
  }
};

// After the BatchNormalization folds (50) and the Conv-Add-Mul folds (52), before the extended fusions, which then
// fuse the strided convolutions with their activations and residual sums as they would any other.
ONYX_REGISTER_PASS(Level::kBasic, 54, PropagateStrides);

}  // namespace
}  // namespace onyx::opt

// Level all, after NchwcLayout: a blocked 1x1 convolution (stride 1, no pads, one group, no residual) whose only
// reader is a blocked depthwise convolution becomes com.onyx:NchwcConvDepthwise, which computes the expanded tensor
// band by band into a buffer that stays in cache instead of writing it out whole and reading it back (MobileNet v2/v3,
// EfficientNet and the detectors and OCR models built on them chain the two in every inverted residual block).
// Taken only where the AVX-512 tiles run: elsewhere the kernel runs the two convolutions one after the other.
#include "ep/cpu/cpu_isa.h"
#include "ep/cpu/kernels/nchwc/nchwc_util.h"
#include "ir/op_schema.h"
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

namespace nc = ::onyx::cpu::nchwc;

bool IsNchwcConv(const ir::Node* n) { return n && n->domain() == "com.onyx" && n->op_type() == "NchwcConv"; }

// The output channel blocks of a convolution's weights (input i) of the given form: packed by the layout pass into
// a constant [Mb, in_dim, KH, KW, lanes, 8] (or pairs [pairs, Cb, KH, KW, 8, 16] with out_blocks), or standard [M,
// in_dim_std, KH, KW] (an initializer that is also a graph input, which the kernels pack themselves); -1 otherwise.
// kh/kw: -1 for any, else required.
int64_t WeightBlocks(const ir::Node& n, size_t i, bool depthwise, int64_t kh, int64_t kw, int64_t* channels) {
  const ir::Value* v = n.input(i);
  if (!v || v->type().elem_type != DataType::kFloat) return -1;
  const std::optional<std::vector<int64_t>> s = StaticShape(v);
  if (!s) return -1;
  const std::vector<int64_t>& d = *s;
  auto window = [&](int64_t h, int64_t w) { return (kh < 0 || h == kh) && (kw < 0 || w == kw); };
  *channels = -1;
  if (ConstantOf(v) && d.size() == 6) {
    if (!depthwise && d[4] == nc::kBlock && d[5] == 2 * nc::kBlock) {  // pair-packed: Mb is the out_blocks attribute
      const int64_t mb = AttrInt(n, "out_blocks", -1);
      return mb > 0 && nc::PairCount(mb, 1) == d[0] && window(d[2], d[3]) ? mb : -1;
    }
    const bool ok = depthwise ? d[1] == 1 && d[4] == 1 && d[5] == nc::kBlock : d[4] == nc::kBlock && d[5] == nc::kBlock;
    return ok && window(d[2], d[3]) ? d[0] : -1;
  }
  if (d.size() == 4 && v->is_graph_input() && v->initializer() && (!depthwise || d[1] == 1) && window(d[2], d[3])) {
    *channels = d[0];
    return nc::BlockCount(d[0]);
  }
  return -1;
}

bool ConstantOrOverridable(const ir::Value* v) {
  return !v || ConstantOf(v) || (v->is_graph_input() && v->initializer());
}

bool ExpandCandidate(const ir::Node& n) {
  if (!IsNchwcConv(&n) || n.inputs().size() > 3 || !n.input(0) || AttrInt(n, "group", 1) != 1) return false;
  const ir::SymShape* xs = n.input(0)->type().shape ? &*n.input(0)->type().shape : nullptr;
  if (!xs || xs->size() != 5) return false;  // a blocked input (not the NCHW one a first convolution reads)
  const ir::Attribute* ap = n.attribute("auto_pad");
  if (ap && !ap->s.empty() && ap->s != "NOTSET" && ap->s != "VALID") return false;
  if (!AttrIntsAllEqual(n, "pads", 0) || !AttrIntsAllEqual(n, "strides", 1)) return false;
  int64_t channels = 0;
  return WeightBlocks(n, 1, false, 1, 1, &channels) > 0 && ConstantOrOverridable(n.input(2));
}

class FuseNchwcConvDepthwise final : public GraphPass {
 public:
  std::string name() const override { return "FuseNchwcConvDepthwise"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    if (!cpu::HasAvx2() || !nc::UseAvx512() || !CanProduce(ctx, graph, "com.onyx", "NchwcConvDepthwise")) return 0;
    std::vector<ir::Node*> candidates;
    for (const auto& n : graph.nodes()) {
      if (ExpandCandidate(*n)) candidates.push_back(n.get());
    }
    int rewrites = 0;
    for (ir::Node* e : candidates) {
      ir::Node* d = SoleConsumer(e->output(0));
      if (!IsNchwcConv(d) || d->input(0) != e->output(0)) continue;
      int64_t m1 = 0, m2 = 0;
      const int64_t mb = WeightBlocks(*e, 1, false, 1, 1, &m1);
      if (WeightBlocks(*d, 1, true, -1, -1, &m2) != mb || (m1 > 0 && m2 > 0 && m1 != m2)) continue;
      if (!ConstantOrOverridable(d->input(2))) continue;
      std::map<std::string, ir::Attribute> attrs = d->attributes();
      attrs.erase("group");
      for (const char* name : {"activation", "activation_params"}) {
        if (const ir::Attribute* a = e->attribute(name)) {
          ir::Attribute copy = *a;
          copy.name = std::string("expand_") + name;
          attrs[copy.name] = copy;
        }
      }
      auto name_of = [](const ir::Value* v) { return v ? v->name() : std::string(); };
      std::vector<std::string> inputs = {e->input(0)->name(), e->input(1)->name(),  name_of(e->input(2)),
                                         d->input(1)->name(), name_of(d->input(2)), name_of(d->input(3))};
      while (!inputs.empty() && inputs.back().empty()) inputs.pop_back();
      const std::string node_name = d->name(), out = d->output(0)->name();
      const ir::Type type = d->output(0)->type();
      graph.RemoveNode(d);
      graph.RemoveNode(e);
      graph.AddNode(node_name, "NchwcConvDepthwise", "com.onyx", ir::kOnyxDomainOpset, inputs, {out}, std::move(attrs));
      graph.FindValue(out)->set_type(type);
      ++rewrites;
    }
    return rewrites;
  }
  bool RunsAfterConvergence() const override { return true; }
};

ONYX_REGISTER_PASS(Level::kAll, 55, FuseNchwcConvDepthwise);

}  // namespace
}  // namespace onyx::opt

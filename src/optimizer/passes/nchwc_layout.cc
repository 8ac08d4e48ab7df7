// Layout pass (level all): chains of 2-D float convolutions run in the blocked channel layout NCHWc
// ([N, C/8, H, W, 8], one AVX2 register per pixel of 8 channels), where com.onyx:NchwcConv convolves directly
// with weights packed here, once. Conv and FusedConv with constant weights become NchwcConv; pools, element-wise
// operators and channel Concats whose inputs are already blocked stay blocked (pools become NchwcMaxPool,
// NchwcAveragePool, NchwcGlobalAveragePool; element-wise operators work on any layout when their operands are
// blocked alike, per-channel constants are re-laid out here). ReorderToNchwc / ReorderFromNchwc are inserted
// only where a blocked region meets the rest of the graph. Channel counts that are not multiples of 8 are
// padded (zero weights and bias); ReorderFromNchwc drops the padding. Grouped convolutions whose groups do not
// fill whole blocks become dense ones with zero weights outside the groups (the kernel skips zero weight blocks), and
// ShuffleNet's channel shuffle (Reshape, Transpose, Reshape) of a blocked value becomes NchwcChannelShuffle, so such
// networks stay blocked end to end; so does LRN (NchwcLrn), which GoogLeNet-style networks put between convolutions.
// Kernels and schemas:
// src/ep/cpu/kernels/nchwc/, docs/FUSED_OPERATORS.md.
//
// Every eligible convolution is taken, even one alone between two reorders: on the models measured (ResNet-50,
// SqueezeNet, Inception v1, ShuffleNet, BlazeFace) the direct kernels beat im2col + GEMM by more than the
// reorders cost, down to BlazeFace's 16x16 heads (bench/compare_models.py, level extended vs all).
//
// Runs after the extended fusions (level all sorts after level extended), so that a Conv has already taken its
// bias, residual and activation as a FusedConv.
#include <algorithm>
#include <map>
#include <set>

#include "ep/cpu/cpu_isa.h"
#include "ep/cpu/kernels/nchwc/nchwc_util.h"
#include "ir/op_schema.h"
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"

namespace onyx::opt {
namespace {

namespace nc = ::onyx::cpu::nchwc;

bool IsDequantized(const ir::Value* v) {
  const ir::Node* p = v ? v->producer() : nullptr;
  return p && p->domain().empty() && p->op_type() == "DequantizeLinear";
}

bool IsQuantized(const ir::Value* v) {
  for (const ir::Node* c : v->consumers()) {
    if (c->domain().empty() && c->op_type() == "QuantizeLinear") return true;
  }
  return false;
}

struct Blocked {
  std::string name;  // the blocked value
  int64_t channels;  // real channel count of the NCHW value it stands for
};

const std::set<std::string>& UnaryOps() {
  static const std::set<std::string> k = {"Relu", "LeakyRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Clip"};
  return k;
}
// Element-wise binary operators whose result on finite operands is finite: the padding channels of blocked
// tensors then stay finite, and zero weights keep them out of real outputs.
const std::set<std::string>& BinaryOps() {
  static const std::set<std::string> k = {"Add", "Sub", "Mul", "Max", "Min", "Sum"};
  return k;
}

// The channel count of a rank-4 float value, or -1 when it is not one or the count is unknown.
int64_t Channels(const ir::Value* v) {
  if (!v || v->type().elem_type != DataType::kFloat || !v->type().shape || v->type().shape->size() != 4) return -1;
  const ir::Dim& c = (*v->type().shape)[1];
  return c.known() && c.value > 0 ? c.value : -1;
}

// Equal rank-4 shapes whose dims are each known or the same named symbol.
bool SameShape(const ir::Value* a, const ir::Value* b) {
  if (!a->type().shape || !b->type().shape || *a->type().shape != *b->type().shape) return false;
  for (const ir::Dim& d : *a->type().shape) {
    if (!d.known() && d.param.empty()) return false;
  }
  return true;
}

ir::Type BlockedType(const ir::Value* v) {
  ir::Type t = v->type();
  if (t.shape && t.shape->size() >= 3) {
    ir::SymShape s = *t.shape;
    s[1] = s[1].known() ? ir::Dim::Known(nc::BlockCount(s[1].value)) : ir::Dim{};
    s.push_back(ir::Dim::Known(nc::kBlock));
    t.shape = s;
  } else {
    t.shape.reset();
  }
  return t;
}

class Rewriter {
 public:
  Rewriter(ir::Graph& graph, const PassContext& ctx) : graph_(graph), ctx_(ctx) {}

  Result<int> Run() {
    ONYX_ASSIGN_OR_RETURN(std::vector<ir::Node*> order, graph_.TopologicalOrder());
    // Blocked regions left by an earlier round: what a ReorderFromNchwc reads stands for what it writes.
    for (ir::Node* n : order) {
      if (n->domain() == "com.onyx" && n->op_type() == "ReorderFromNchwc" && n->input(0) && n->output(0)) {
        blocked_[n->output(0)] = {n->input(0)->name(), AttrInt(*n, "channels", 0)};
      }
    }
    int rewrites = 0;
    for (ir::Node* n : order) {
      if (removed_.count(n) || n->outputs().size() != 1 || !n->output(0)) continue;
      ONYX_ASSIGN_OR_RETURN(bool done, RewriteNode(n));
      rewrites += done ? 1 : 0;
    }
    // The NCHW values still read by others (or returned) are made back from their blocked form. One read only by a
    // Transpose to NHWC (TensorFlow exports end their convolutions so) is made in that layout directly.
    for (const ir::Value* v : converted_order_) {
      if (v->consumers().empty() && !v->is_graph_output()) continue;
      const Blocked& b = blocked_.at(v);
      if (ir::Node* t = SoleConsumer(v); t && t->domain().empty() && t->op_type() == "Transpose" && v->type().shape &&
                                         v->type().shape->size() == 4 &&
                                         TransposePerm(*t) == std::vector<int64_t>{0, 2, 3, 1}) {
        const std::string out = t->output(0)->name();
        graph_.RemoveNode(t);
        graph_.AddNode(graph_.UniqueName(v->name() + "_reorder_nhwc"), "ReorderFromNchwc", "com.onyx",
                       ir::kOnyxDomainOpset, {b.name}, {out},
                       {{"channels", IntAttr("channels", b.channels)}, {"channels_last", IntAttr("channels_last", 1)}});
        continue;
      }
      graph_.AddNode(graph_.UniqueName(v->name() + "_reorder"), "ReorderFromNchwc", "com.onyx", ir::kOnyxDomainOpset,
                     {b.name}, {v->name()}, {{"channels", IntAttr("channels", b.channels)}});
    }
    // Reorders of earlier rounds whose readers all moved into the blocked region.
    for (const auto& [v, b] : blocked_) {
      (void)b;
      ir::Node* p = v->producer();
      if (p && p->op_type() == "ReorderFromNchwc" && v->consumers().empty() && !v->is_graph_output() &&
          !converted_.count(v)) {
        graph_.RemoveNode(p);
      }
    }
    return rewrites;
  }

 private:
  const Blocked* Find(const ir::Value* v) const {
    auto it = blocked_.find(v);
    return it == blocked_.end() ? nullptr : &it->second;
  }

  // The blocked form of v (rank 4, float, known channels), inserting a ReorderToNchwc when it has none.
  Result<Blocked> Ensure(ir::Value* v) {
    if (const Blocked* b = Find(v)) return *b;
    // A QDQ model's float islands (what the QDQ fusions left) stay NCHW: reorders between DequantizeLinear and the
    // float operators would only add copies around quantized data.
    if (IsDequantized(v)) return InvalidArgument("dequantized");
    const int64_t c = Channels(v);
    if (c <= 0) return InvalidArgument("no channels");
    Blocked b{graph_.UniqueName(v->name() + "_nchwc"), c};
    if (const Tensor* t = ConstantOf(v)) {
      ONYX_ASSIGN_OR_RETURN(Tensor bt, nc::ToBlocked(*t));
      ONYX_ASSIGN_OR_RETURN(ir::Value * cv, graph_.AddConstant(v->name() + "_nchwc", std::move(bt)));
      b.name = cv->name();
    } else {
      graph_.AddNode(graph_.UniqueName(v->name() + "_to_nchwc"), "ReorderToNchwc", "com.onyx", ir::kOnyxDomainOpset,
                     {v->name()}, {b.name}, {});
      graph_.FindValue(b.name)->set_type(BlockedType(v));
    }
    blocked_[v] = b;
    return b;
  }

  // Replaces `node` by op (domain) on `inputs`, writing a new blocked value that stands for its output.
  // `op` and `domain` are taken by value: callers pass the node's own op_type(), which RemoveNode frees (ASan
  // found the read after free in `make asan`'s real-model run at level all).
  void Replace(ir::Node* node, std::string op, std::string domain, int64_t opset,
               const std::vector<std::string>& inputs, std::map<std::string, ir::Attribute> attrs, int64_t channels) {
    ir::Value* out = node->output(0);
    const std::string name = node->name(), blocked = graph_.UniqueName(out->name() + "_nchwc");
    const ir::Type type = BlockedType(out);
    graph_.RemoveNode(node);
    graph_.AddNode(name, op, domain, opset, inputs, {blocked}, std::move(attrs));
    graph_.FindValue(blocked)->set_type(type);
    blocked_[out] = {blocked, channels};
    converted_.insert(out);
    converted_order_.push_back(out);
  }

  Result<bool> RewriteNode(ir::Node* n) {
    const std::string& op = n->op_type();
    if ((n->domain().empty() && op == "Conv") || (n->domain() == "com.onyx" && op == "FusedConv"))
      return RewriteConv(n);
    if (!n->domain().empty() || n->output(0)->type().elem_type != DataType::kFloat) return false;
    ir::Value* x = n->input(0);
    const Blocked* bx = Find(x);
    if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool") {
      if (!bx || Channels(x) <= 0) return false;
      std::map<std::string, ir::Attribute> attrs = n->attributes();
      if (op != "GlobalAveragePool") {
        const ir::Attribute* k = n->attribute("kernel_shape");
        if (!k || k->ints.size() != 2) return false;
        attrs.erase("storage_order");
      }
      Replace(n, "Nchwc" + op, "com.onyx", ir::kOnyxDomainOpset, {bx->name}, std::move(attrs), bx->channels);
      return true;
    }
    if (UnaryOps().count(op)) {
      if (!bx || !SameShape(x, n->output(0))) return false;
      std::vector<std::string> inputs = {bx->name};
      for (size_t i = 1; i < n->inputs().size(); ++i) {
        const ir::Value* v = n->input(i);
        const Tensor* t = ConstantOf(v);
        if (v && (!t || t->size() != 1)) return false;  // Clip's bounds must be scalars
        inputs.push_back(v ? v->name() : std::string());
      }
      Replace(n, op, "", n->opset(), inputs, n->attributes(), bx->channels);
      return true;
    }
    if (op == "LRN") {
      // Across channels: the kernel reads the neighbouring blocks and leaves the padding lanes out of the sums.
      if (!bx || Channels(x) <= 0 || !SameShape(x, n->output(0)) || !CanProduce(ctx_, graph_, "com.onyx", "NchwcLrn")) {
        return false;
      }
      std::map<std::string, ir::Attribute> attrs = n->attributes();
      attrs["channels"] = IntAttr("channels", bx->channels);
      Replace(n, "NchwcLrn", "com.onyx", ir::kOnyxDomainOpset, {bx->name}, std::move(attrs), bx->channels);
      return true;
    }
    if (BinaryOps().count(op) || op == "PRelu") return RewriteElementwise(n);
    if (op == "Concat") return RewriteConcat(n);
    if (op == "Reshape") return RewriteChannelShuffle(n);
    if (op == "DepthToSpace") return RewriteDepthToSpace(n);
    if (op == "Resize" || op == "Upsample") return RewriteUpsample(n);
    return false;
  }

  // Nearest-neighbour upsampling by whole factors of H and W (Resize with constant scales [1, 1, s_h, s_w]; Upsample):
  // output pixel (h, w) reads (h / s_h, w / s_w) under asymmetric coordinates with floor rounding, and under
  // half_pixel (pytorch_half_pixel) with either round mode, where round((d + 0.5) / s - 0.5) = floor(d / s) for
  // whole s. Other modes (ceil, align_corners, linear) stay NCHW.
  Result<bool> RewriteUpsample(ir::Node* n) {
    ir::Value* x = n->input(0);
    const Blocked* bx = Find(x);
    if (!bx || Channels(x) <= 0 || !CanProduce(ctx_, graph_, "com.onyx", "NchwcUpsample")) return false;
    auto str = [&](const char* name, const char* def) {
      const ir::Attribute* a = n->attribute(name);
      return a ? a->s : std::string(def);
    };
    if (str("mode", "nearest") != "nearest") return false;
    std::vector<float> scales;
    if (n->op_type() == "Upsample") {
      // Upsample's nearest mode is the asymmetric floor mapping; opsets 7 and 8 give the scales as an attribute.
      if (const ir::Attribute* a = n->attribute("scales")) {
        scales = a->floats;
      } else if (const Tensor* t = n->inputs().size() > 1 ? ConstantOf(n->input(1)) : nullptr) {
        if (t->type() == DataType::kFloat) scales.assign(t->data<float>(), t->data<float>() + t->size());
      }
    } else {
      if (n->opset() < 11 || AttrInt(*n, "antialias", 0) != 0 || n->attribute("axes")) return false;
      const std::string ct = str("coordinate_transformation_mode", "half_pixel");
      const std::string nm = str("nearest_mode", "round_prefer_floor");
      const bool half = ct == "half_pixel" || ct == "pytorch_half_pixel";
      if (!((ct == "asymmetric" && nm == "floor") ||
            (half && (nm == "round_prefer_floor" || nm == "round_prefer_ceil")))) {
        return false;
      }
      if (n->inputs().size() > 3 && n->input(3)) return false;  // sizes
      const Tensor* t = n->inputs().size() > 2 ? ConstantOf(n->input(2)) : nullptr;
      if (t && t->type() == DataType::kFloat) scales.assign(t->data<float>(), t->data<float>() + t->size());
    }
    if (scales.size() != 4 || scales[0] != 1.0f || scales[1] != 1.0f) return false;
    int64_t whole[2];
    for (int i = 0; i < 2; ++i) {
      const float f = scales[static_cast<size_t>(2 + i)];
      if (!(f >= 1.0f && f <= 1024.0f) || f != static_cast<float>(static_cast<int64_t>(f))) return false;
      whole[i] = static_cast<int64_t>(f);
    }
    const std::string name = bx->name;
    const int64_t c = bx->channels;
    Replace(n, "NchwcUpsample", "com.onyx", ir::kOnyxDomainOpset, {name},
            {{"scale_h", IntAttr("scale_h", whole[0])},
             {"scale_w", IntAttr("scale_w", whole[1])},
             {"channels", IntAttr("channels", c)}},
            c);
    return true;
  }

  // DepthToSpace in DCR mode whose output channels fill whole blocks (what ConvTransposeToConv writes after a 1x1
  // convolution): each output block of a pixel is one input block of a pixel.
  Result<bool> RewriteDepthToSpace(ir::Node* n) {
    ir::Value* x = n->input(0);
    const Blocked* bx = Find(x);
    const int64_t c = Channels(x), b = AttrInt(*n, "blocksize", 0);
    const ir::Attribute* mode = n->attribute("mode");
    if (!bx || c <= 0 || b <= 0 || c % (b * b) != 0 || (c / (b * b)) % nc::kBlock != 0) return false;
    if ((mode && mode->s != "DCR") || !CanProduce(ctx_, graph_, "com.onyx", "NchwcDepthToSpace")) return false;
    const int64_t m = c / (b * b);
    const std::string name = bx->name;
    Replace(n, "NchwcDepthToSpace", "com.onyx", ir::kOnyxDomainOpset, {name},
            {{"blocksize", IntAttr("blocksize", b)}, {"channels", IntAttr("channels", m)}}, m);
    return true;
  }

  // ShuffleNet's channel shuffle ending at `n`: Reshape(x [N, C, H, W] -> [N, g, C/g, H, W]), Transpose(0, 2, 1, 3, 4),
  // Reshape back to x's shape, x blocked, the intermediate values read only by the next node.
  Result<bool> RewriteChannelShuffle(ir::Node* n) {
    if (!CanProduce(ctx_, graph_, "com.onyx", "NchwcChannelShuffle")) return false;
    ir::Value* out = n->output(0);
    ir::Node* t = n->input(0) ? n->input(0)->producer() : nullptr;
    if (!t || !t->domain().empty() || t->op_type() != "Transpose" || SoleConsumer(t->output(0)) != n) return false;
    if (TransposePerm(*t) != std::vector<int64_t>{0, 2, 1, 3, 4}) return false;
    ir::Node* r = t->input(0) ? t->input(0)->producer() : nullptr;
    if (!r || !r->domain().empty() || r->op_type() != "Reshape" || SoleConsumer(r->output(0)) != t) return false;
    ir::Value* x = r->input(0);
    const Blocked* bx = Find(x);
    const int64_t c = Channels(x);
    if (!bx || c <= 0 || !SameShape(x, out)) return false;
    const ir::SymShape* split = r->output(0)->type().shape ? &*r->output(0)->type().shape : nullptr;
    const ir::SymShape& xs = *x->type().shape;
    if (!split || split->size() != 5 || !(*split)[1].known() || !(*split)[2].known()) return false;
    const int64_t g = (*split)[1].value;
    if (g <= 0 || g * (*split)[2].value != c || !SameDim((*split)[0], xs[0]) || !SameDim((*split)[3], xs[2]) ||
        !SameDim((*split)[4], xs[3])) {
      return false;
    }
    const std::string name = bx->name;
    Replace(n, "NchwcChannelShuffle", "com.onyx", ir::kOnyxDomainOpset, {name},
            {{"group", IntAttr("group", g)}, {"channels", IntAttr("channels", c)}}, c);
    removed_.insert(t);
    removed_.insert(r);
    graph_.RemoveNode(t);
    graph_.RemoveNode(r);
    return true;
  }

  Result<bool> RewriteElementwise(ir::Node* n) {
    ir::Value* out = n->output(0);
    const int64_t c = Channels(out);
    if (c <= 0 || n->inputs().size() < 2) return false;
    // Operands of the output's channel count: broadcasting over N, H and W is the same on [N, C/8, H, W, 8] as on
    // [N, C, H, W] (the channel axis, split in two, is equal on both sides), so their other dims need not be proven
    // equal (an FPN's upsampled map and its lateral one are equal only at run time).
    auto same_channels = [&](const ir::Value* v) { return Channels(v) == c && v->type().shape->size() == 4; };
    bool any_blocked = false;
    for (const ir::Value* v : n->inputs()) {
      if (!v) return false;
      if (Find(v) && same_channels(v)) any_blocked = true;
    }
    if (!any_blocked) return false;
    std::vector<std::string> inputs;
    for (size_t i = 0; i < n->inputs().size(); ++i) {
      ir::Value* v = n->input(i);
      if (const Tensor* t = ConstantOf(v); t && !Find(v)) {
        // A per-channel constant (or a scalar); PRelu's slope pads with 0 like the others.
        auto bt = nc::BlockPerChannel(*t, c, 0.0f);
        if (!bt.ok() || (n->op_type() == "PRelu" && i == 0)) return false;
        ONYX_ASSIGN_OR_RETURN(ir::Value * cv, graph_.AddConstant(v->name() + "_nchwc", bt.take()));
        inputs.push_back(cv->name());
        continue;
      }
      if (!same_channels(v) || (n->op_type() == "PRelu" && i == 1)) return false;
      auto b = Ensure(v);
      if (!b.ok()) return false;
      inputs.push_back(b.value().name);
    }
    Replace(n, n->op_type(), "", n->opset(), inputs, n->attributes(), c);
    return true;
  }

  // Concat along channels stays blocked when every input but the last fills whole blocks.
  Result<bool> RewriteConcat(ir::Node* n) {
    ir::Value* out = n->output(0);
    int64_t axis = AttrInt(*n, "axis", 0);
    if (Channels(out) <= 0 || (axis != 1 && axis != -3) || n->inputs().empty()) return false;
    bool any_blocked = false;
    for (size_t i = 0; i < n->inputs().size(); ++i) {
      const ir::Value* v = n->input(i);
      const int64_t c = Channels(v);
      if (c <= 0 || (i + 1 < n->inputs().size() && c % nc::kBlock != 0)) return false;
      if (!v->type().shape || (*v->type().shape)[0] != (*out->type().shape)[0]) return false;
      if (const Tensor* t = ConstantOf(v); t && (t->size() > (1 << 20) || !StaticShape(v))) return false;
      if (Find(v)) any_blocked = true;
    }
    if (!any_blocked) return false;
    std::vector<std::string> inputs;
    for (ir::Value* v : n->inputs()) {
      auto b = Ensure(v);
      if (!b.ok()) return false;
      inputs.push_back(b.value().name);
    }
    std::map<std::string, ir::Attribute> attrs = n->attributes();
    attrs["axis"] = IntAttr("axis", 1);
    Replace(n, "Concat", "", n->opset(), inputs, std::move(attrs), Channels(out));
    return true;
  }

  Result<bool> RewriteConv(ir::Node* n) {
    ir::Value* x = n->input(0);
    ir::Value* out = n->output(0);
    const Tensor* w = ConstantInput(*n, 1);
    const int64_t c = Channels(x), m = Channels(out);
    // Weights that are overridable graph inputs (initializers listed as inputs, as older exporters write them) go
    // to the kernel as they are: it packs their initial value on the first run that uses it, and a run's own
    // weights when a run feeds others.
    std::vector<int64_t> wshape;
    if (w) {
      wshape = w->shape();
    } else if (auto s = StaticShape(n->input(1)); s && n->input(1)->type().elem_type == DataType::kFloat) {
      wshape = *s;
    }
    if (c <= 0 || m <= 0 || wshape.size() != 4 || wshape[0] != m || (w && w->type() != DataType::kFloat)) return false;
    // A Conv left float inside a QDQ model (between DequantizeLinear and QuantizeLinear, or on weights a
    // DequantizeLinear makes at run time) stays NCHW.
    if (IsDequantized(x) || IsDequantized(n->input(1)) || IsQuantized(out)) return false;
    const ir::Value* bv = n->input(2);
    const Tensor* b = ConstantOf(bv);
    if (bv && (!b || b->type() != DataType::kFloat || b->size() != m)) {
      auto bs = StaticShape(bv);
      if (w || !bs || *bs != std::vector<int64_t>{m} || bv->type().elem_type != DataType::kFloat) return false;
    }
    int64_t group = AttrInt(*n, "group", 1);
    if (group <= 0 || wshape[1] * group != c || m % group != 0) return false;
    const bool depthwise = group > 1 && group == c && m == c && wshape[1] == 1;
    Tensor dense;
    if (group > 1 && !depthwise && ((c / group) % nc::kBlock != 0 || (m / group) % nc::kBlock != 0)) {
      // Groups that do not fill whole blocks (ShuffleNet's 68 channels): a dense convolution with zero weights
      // outside the groups, whose kernel reads only each output block's band of input blocks. Taken when the bands
      // cost at most three times the groups themselves (which would otherwise leave the blocked layout and come back).
      if (!w || BandCost(c, m, group) > 3.0) return false;
      ONYX_ASSIGN_OR_RETURN(dense, DenseGroupedWeights(*w, group));
      w = &dense;
      group = 1;
    }
    ir::Value* z = n->domain() == "com.onyx" ? n->input(3) : nullptr;
    if (z && !SameShape(z, out)) return false;

    std::string xname;
    ir::Node* nhwc_source = nullptr;  // a Transpose NHWC -> NCHW whose input the kernel reads instead
    if (const Blocked* bx = Find(x)) {
      xname = bx->name;
    } else if (group == 1 && c < nc::kBlock) {
      xname = x->name();  // few channels: the kernel blocks the NCHW input itself
      // A TensorFlow export's NHWC input transposed to NCHW for this convolution alone: the kernel reads it as it is.
      ir::Node* t = x->producer();
      if (t && t->domain().empty() && t->op_type() == "Transpose" && SoleConsumer(x) == n && t->input(0) &&
          TransposePerm(*t) == std::vector<int64_t>{0, 3, 1, 2}) {
        nhwc_source = t;
        xname = t->input(0)->name();
      }
    } else {
      auto bx2 = Ensure(x);
      if (!bx2.ok()) return false;
      xname = bx2.value().name;
    }
    std::vector<std::string> inputs = {xname, n->input(1)->name(), bv ? bv->name() : std::string()};
    std::map<std::string, ir::Attribute> attrs = n->attributes();
    if (w) {
      // Packed once, in the form the kernel's tiles read: the AVX-512 tiles' pairs of output blocks where they will
      // run (what the kernel decides by the same test), the 8 x 8 blocks elsewhere (a second packing at kernel
      // creation cost a fifth of ResNet-50's session creation, and both copies stayed alive).
      const ir::Attribute* strides = n->attribute("strides");
      const int64_t stride_w = strides && strides->ints.size() == 2 ? strides->ints[1] : 1;
      if (nc::UseAvx512() && !depthwise && (stride_w == 1 || stride_w == 2)) {
        ONYX_ASSIGN_OR_RETURN(Tensor packed, nc::PackConvWeightsPairs(*w, group));
        ONYX_ASSIGN_OR_RETURN(ir::Value * wv, graph_.AddConstant(n->input(1)->name() + "_nchwc", std::move(packed)));
        inputs[1] = wv->name();
        attrs["out_blocks"] = IntAttr("out_blocks", group * nc::BlockCount(m / group));
      } else {
        ONYX_ASSIGN_OR_RETURN(Tensor packed, nc::PackConvWeights(*w, group));
        ONYX_ASSIGN_OR_RETURN(ir::Value * wv, graph_.AddConstant(n->input(1)->name() + "_nchwc", std::move(packed)));
        inputs[1] = wv->name();
      }
    }
    if (w && b) {
      ONYX_ASSIGN_OR_RETURN(Tensor pb, nc::PackConvBias(b, m));
      ONYX_ASSIGN_OR_RETURN(ir::Value * bval, graph_.AddConstant(bv->name() + "_nchwc", std::move(pb)));
      inputs[2] = bval->name();
    }
    if (z) {
      auto bz = Ensure(z);
      if (!bz.ok()) return false;
      inputs.push_back(bz.value().name);
    }
    while (!inputs.empty() && inputs.back().empty()) inputs.pop_back();
    if (AttrInt(*n, "group", 1) != group) attrs["group"] = IntAttr("group", group);
    if (nhwc_source) attrs["channels_last_input"] = IntAttr("channels_last_input", 1);
    ir::Value* old_w = n->input(1);
    ir::Value* old_b = w && b ? n->input(2) : nullptr;
    Replace(n, "NchwcConv", "com.onyx", ir::kOnyxDomainOpset, inputs, std::move(attrs), m);
    if (nhwc_source) graph_.RemoveNode(nhwc_source);  // its output had no other reader
    // The weights just packed are freed as soon as nothing reads them, not at the end of the pass: a network's
    // weights then exist in both forms one convolution at a time, not all at once.
    RemoveUnreadConstant(graph_, w ? old_w : nullptr);
    RemoveUnreadConstant(graph_, old_b);
    return true;
  }

  // The work of a grouped convolution run as a dense one over bands of 8-channel blocks, per the groups' own work:
  // each 16 output channels (the AVX-512 tiles' pairs) read the blocks from their first group's first input channel
  // to their last group's last one.
  static double BandCost(int64_t c, int64_t m, int64_t group) {
    const int64_t cg = c / group, mg = m / group;
    double band = 0;
    for (int64_t o = 0; o < m; o += 2 * nc::kBlock) {
      const int64_t o_end = std::min(m, o + 2 * nc::kBlock);
      const int64_t lo = (o / mg) * cg / nc::kBlock, hi = nc::BlockCount(((o_end - 1) / mg + 1) * cg);
      band += static_cast<double>((hi - lo) * nc::kBlock * (o_end - o));
    }
    return band / static_cast<double>(m * cg);
  }

  // W [M, C/group, KH, KW] as the dense [M, C, KH, KW] with zeros outside each output channel's group.
  static Result<Tensor> DenseGroupedWeights(const Tensor& w, int64_t group) {
    const int64_t m = w.dim(0), cg = w.dim(1), taps = w.dim(2) * w.dim(3), mg = m / group;
    // Tensor::Create zeroes (a large block comes zeroed from the kernel's pages): filling it again faulted in every
    // page of a mostly zero matrix, a tenth of ShuffleNet's session creation.
    ONYX_ASSIGN_OR_RETURN(Tensor d, Tensor::Create(DataType::kFloat, {m, cg * group, w.dim(2), w.dim(3)}));
    float* dst = d.data<float>();
    for (int64_t o = 0; o < m; ++o) {
      const float* src = w.data<float>() + o * cg * taps;
      std::copy(src, src + cg * taps, dst + (o * cg * group + (o / mg) * cg) * taps);
    }
    return d;
  }

  ir::Graph& graph_;
  const PassContext& ctx_;
  std::set<const ir::Node*> removed_;  // nodes of `order` a rewrite removed before the loop reached them
  std::map<const ir::Value*, Blocked> blocked_;
  std::set<const ir::Value*> converted_;
  std::vector<const ir::Value*> converted_order_;  // converted_ in a stable order, for stable names
};

class NchwcLayout final : public GraphPass {
 public:
  std::string name() const override { return "NchwcLayout"; }
  Result<int> Run(ir::Graph& graph, const PassContext& ctx) const override {
    // The blocked kernels are AVX2 code; elsewhere the plain layout's portable kernels run.
    if (!cpu::HasAvx2()) return 0;
    for (const char* op : {"NchwcConv", "ReorderToNchwc", "ReorderFromNchwc", "NchwcMaxPool", "NchwcAveragePool",
                           "NchwcGlobalAveragePool"}) {
      if (!CanProduce(ctx, graph, "com.onyx", op)) return 0;
    }
    return Rewriter(graph, ctx).Run();
  }
  // Blocked convolutions are out of every fusion's reach: convert only what the other passes have settled.
  bool RunsAfterConvergence() const override { return true; }
};

ONYX_REGISTER_PASS(Level::kAll, 50, NchwcLayout);

}  // namespace
}  // namespace onyx::opt

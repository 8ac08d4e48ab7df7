#include "ep/cpu/kernels/rnn/rnn_util.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "ep/cpu/kernels/nn/half_util.h"

namespace onyx::cpu {

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct ActivationSpec {
  const char* name;
  Activation::Kind kind;
  bool uses_alpha, uses_beta;
  float default_alpha, default_beta;
};

const ActivationSpec kSpecs[] = {
    {"sigmoid", Activation::Kind::kSigmoid, false, false, 0, 0},
    {"tanh", Activation::Kind::kTanh, false, false, 0, 0},
    {"relu", Activation::Kind::kRelu, false, false, 0, 0},
    {"affine", Activation::Kind::kAffine, true, true, 1.0f, 0.0f},
    {"leakyrelu", Activation::Kind::kLeakyRelu, true, false, 0.01f, 0},
    {"thresholdedrelu", Activation::Kind::kThresholdedRelu, true, false, 1.0f, 0},
    {"scaledtanh", Activation::Kind::kScaledTanh, true, true, 1.0f, 1.0f},
    {"hardsigmoid", Activation::Kind::kHardSigmoid, true, true, 0.2f, 0.5f},
    {"elu", Activation::Kind::kElu, true, false, 1.0f, 0},
    {"softsign", Activation::Kind::kSoftsign, false, false, 0, 0},
    {"softplus", Activation::Kind::kSoftplus, false, false, 0, 0},
};

}  // namespace

Status RnnAttrs::Init(const KernelInfo& info, const std::vector<std::string>& defaults) {
  std::string dir;
  ONYX_RETURN_IF_ERROR(info.GetString("direction", &dir, std::string("forward")));
  if (dir == "forward") {
    direction = Direction::kForward;
  } else if (dir == "reverse") {
    direction = Direction::kReverse;
  } else if (dir == "bidirectional") {
    direction = Direction::kBidirectional;
  } else {
    return info.Error("direction '", dir, "' is not forward, reverse or bidirectional");
  }
  num_directions = direction == Direction::kBidirectional ? 2 : 1;
  ONYX_RETURN_IF_ERROR(info.GetInt("hidden_size", &hidden_size, int64_t{0}));
  if (hidden_size < 0) return info.Error("hidden_size must be positive, got ", hidden_size);
  ONYX_RETURN_IF_ERROR(info.GetInt("layout", &layout, int64_t{0}));
  if (layout != 0 && layout != 1) return info.Error("layout must be 0 or 1, got ", layout);
  if (info.has_attr("clip")) {
    ONYX_RETURN_IF_ERROR(info.GetFloat("clip", &clip));
    if (!(clip > 0)) return info.Error("clip must be positive, got ", clip);
  }
  std::vector<std::string> names;
  std::vector<float> alphas, betas;
  ONYX_RETURN_IF_ERROR(info.GetStrings("activations", &names, std::vector<std::string>{}));
  ONYX_RETURN_IF_ERROR(info.GetFloats("activation_alpha", &alphas, std::vector<float>{}));
  ONYX_RETURN_IF_ERROR(info.GetFloats("activation_beta", &betas, std::vector<float>{}));
  const size_t per_dir = defaults.size();
  const size_t total = per_dir * static_cast<size_t>(num_directions);
  if (names.empty()) {
    for (int64_t d = 0; d < num_directions; ++d) names.insert(names.end(), defaults.begin(), defaults.end());
  } else if (names.size() == per_dir && num_directions == 2) {
    const std::vector<std::string> one_direction = names;  // inserting a vector's own range into it is undefined
    names.insert(names.end(), one_direction.begin(), one_direction.end());
  }
  if (names.size() != total)
    return info.Error("activations has ", names.size(), " names; expected ", total, " (", per_dir, " per direction)");
  size_t next_alpha = 0, next_beta = 0;
  activations.clear();
  for (const std::string& n : names) {
    const std::string lower = Lower(n);
    const ActivationSpec* spec = nullptr;
    for (const auto& s : kSpecs) {
      if (lower == s.name) spec = &s;
    }
    if (!spec) return info.Error("unsupported activation '", n, "'");
    Activation a;
    a.kind = spec->kind;
    a.alpha = spec->default_alpha;
    a.beta = spec->default_beta;
    // Listed alphas and betas are consumed in order by the functions that take
    // them.
    if (spec->uses_alpha && next_alpha < alphas.size()) a.alpha = alphas[next_alpha++];
    if (spec->uses_beta && next_beta < betas.size()) a.beta = betas[next_beta++];
    activations.push_back(a);
  }
  return Status::Ok();
}

Status CheckRnnInputs(KernelContext& ctx, const RnnAttrs& attrs, int64_t gates, RnnDims* dims,
                      std::vector<int64_t>* seq_lens, const std::vector<int>& state_inputs) {
  const Tensor* x = ctx.input(0);
  const Tensor* w = ctx.input(1);
  const Tensor* r = ctx.input(2);
  const Tensor* b = ctx.input(3);
  const Tensor* lens = ctx.input(4);
  if (!x || !w || !r) return ctx.Error("inputs X, W and R are required");
  if (x->rank() != 3) return ctx.Error("X must be 3-D, got ", x->Describe());
  if (w->type() != x->type() || r->type() != x->type() || (b && b->type() != x->type()))
    return ctx.Error("X, W, R and B must have the same element type");
  const int64_t dirs = attrs.num_directions;
  dims->seq = attrs.layout == 0 ? x->dim(0) : x->dim(1);
  dims->batch = attrs.layout == 0 ? x->dim(1) : x->dim(0);
  dims->input = x->dim(2);
  if (r->rank() != 3) return ctx.Error("R must be 3-D, got ", r->Describe());
  dims->hidden = r->dim(2);
  if (attrs.hidden_size > 0 && attrs.hidden_size != dims->hidden)
    return ctx.Error("hidden_size ", attrs.hidden_size, " differs from R ", r->Describe());
  const int64_t gh = gates * dims->hidden;
  if (w->shape() != Shape{dirs, gh, dims->input})
    return ctx.Error("W ", w->Describe(), " must be [", dirs, ",", gh, ",", dims->input, "]");
  if (r->shape() != Shape{dirs, gh, dims->hidden})
    return ctx.Error("R ", r->Describe(), " must be [", dirs, ",", gh, ",", dims->hidden, "]");
  if (b && b->shape() != Shape{dirs, 2 * gh})
    return ctx.Error("B ", b->Describe(), " must be [", dirs, ",", 2 * gh, "]");
  seq_lens->assign(static_cast<size_t>(dims->batch), dims->seq);
  if (lens) {
    if (lens->type() != DataType::kInt32 || lens->shape() != Shape{dims->batch})
      return ctx.Error("sequence_lens ", lens->Describe(), " must be int32[", dims->batch, "]");
    for (int64_t i = 0; i < dims->batch; ++i) {
      const int64_t v = lens->data<int32_t>()[i];
      if (v < 0 || v > dims->seq) return ctx.Error("sequence_lens[", i, "] = ", v, " is outside [0, ", dims->seq, "]");
      (*seq_lens)[i] = v;
    }
  }
  const Shape state =
      attrs.layout == 0 ? Shape{dirs, dims->batch, dims->hidden} : Shape{dims->batch, dirs, dims->hidden};
  for (int idx : state_inputs) {
    const Tensor* s = ctx.input(idx);
    if (!s) continue;
    if (s->type() != x->type() || s->shape() != state)
      return ctx.Error("initial state input ", idx, " ", s->Describe(), " must be ", DataTypeName(x->type()),
                       ShapeToString(state));
  }
  return Status::Ok();
}

namespace {

// [d0, d1, inner] -> [d1, d0, inner] on raw bytes (element type independent).
void SwapLeadingAxesBytes(const Tensor& in, Tensor* out, int64_t d0, int64_t d1) {
  const int64_t inner = d0 * d1 == 0 ? 0 : in.bytes() / (d0 * d1);
  SwapLeadingAxes(static_cast<const char*>(in.raw()), static_cast<char*>(out->raw()), d0, d1, inner);
}

}  // namespace

Status PrepareRnnInputs(KernelContext& ctx, const RnnAttrs& attrs, const RnnDims& dims, std::vector<Tensor>* in) {
  in->assign(ctx.input_count(), Tensor());
  for (size_t i = 0; i < ctx.input_count(); ++i) {
    const Tensor* t = ctx.input(i);
    if (!t) continue;
    if (i == 4) {  // sequence_lens, already read
      continue;
    }
    ONYX_ASSIGN_OR_RETURN(Tensor c, AsComputeTensor(ctx, *t));
    const bool batch_major = attrs.layout == 1 && (i == 0 || i == 5 || i == 6);
    if (batch_major) {
      Shape swapped = c.shape();
      std::swap(swapped[0], swapped[1]);
      ONYX_ASSIGN_OR_RETURN(Tensor s, ctx.Allocate(c.type(), swapped));
      SwapLeadingAxesBytes(c, &s, c.dim(0), c.dim(1));
      c = s;
    }
    (*in)[i] = c;
  }
  return Status::Ok();
}

Status AllocateRnnOutputs(KernelContext& ctx, const RnnAttrs& attrs, const RnnDims& dims, DataType compute_type,
                          size_t states, std::vector<Tensor>* out) {
  out->assign(1 + states, Tensor());
  for (size_t o = 0; o <= states; ++o) {
    if (!ctx.output_requested(o)) continue;
    const Shape shape = o == 0 ? Shape{dims.seq, attrs.num_directions, dims.batch, dims.hidden}
                               : Shape{attrs.num_directions, dims.batch, dims.hidden};
    ONYX_ASSIGN_OR_RETURN(Tensor t, ctx.Allocate(compute_type, shape));
    std::memset(t.raw(), 0, static_cast<size_t>(t.bytes()));
    (*out)[o] = t;
  }
  return Status::Ok();
}

Status FinishRnnOutputs(KernelContext& ctx, const RnnAttrs& attrs, const RnnDims& dims,
                        const std::vector<Tensor>& out) {
  const DataType type = ctx.input(0)->type();
  const int64_t dirs = attrs.num_directions;
  for (size_t o = 0; o < out.size(); ++o) {
    if (!out[o].defined()) continue;
    Tensor laid = out[o];
    if (attrs.layout == 1) {
      const Shape shape =
          o == 0 ? Shape{dims.batch, dims.seq, dirs, dims.hidden} : Shape{dims.batch, dirs, dims.hidden};
      ONYX_ASSIGN_OR_RETURN(laid, ctx.Allocate(out[o].type(), shape));
      if (o == 0) {
        // [seq, dirs, batch, H] -> [batch, seq, dirs, H]
        SwapLeadingAxesBytes(out[o], &laid, dims.seq * dirs, dims.batch);
      } else {
        SwapLeadingAxesBytes(out[o], &laid, dirs, dims.batch);
      }
    }
    ONYX_ASSIGN_OR_RETURN(Tensor * dst, ctx.Output(o, type, laid.shape()));
    if (IsHalfType(type)) {
      NarrowFromFloat(laid, dst);
    } else {
      std::memcpy(dst->raw(), laid.raw(), static_cast<size_t>(laid.bytes()));
    }
  }
  return Status::Ok();
}

Status InferRnn(ir::InferenceContext& ctx) {
  DataType t = ctx.input_elem_type(0);
  if (t == DataType::kUndefined) return Status::Ok();
  const int64_t layout = ctx.attr_int("layout", 0);
  const std::string dir = ctx.attr_string("direction", "forward");
  const ir::Dim dirs = ir::Dim::Known(dir == "bidirectional" ? 2 : 1);
  ir::Dim seq, batch, hidden;
  if (const ir::SymShape* x = ctx.input_shape(0); x && x->size() == 3) {
    seq = (*x)[layout == 0 ? 0 : 1];
    batch = (*x)[layout == 0 ? 1 : 0];
  }
  const int64_t hs = ctx.attr_int("hidden_size", 0);
  if (hs > 0) {
    hidden = ir::Dim::Known(hs);
  } else if (const ir::SymShape* r = ctx.input_shape(2); r && r->size() == 3) {
    hidden = (*r)[2];
  }
  if (layout == 0) {
    ctx.SetOutput(0, t, ir::SymShape{seq, dirs, batch, hidden});
  } else {
    ctx.SetOutput(0, t, ir::SymShape{batch, seq, dirs, hidden});
  }
  for (size_t o = 1; o < ctx.output_count(); ++o) {
    ctx.SetOutput(o, t, layout == 0 ? ir::SymShape{dirs, batch, hidden} : ir::SymShape{batch, dirs, hidden});
  }
  return Status::Ok();
}

}  // namespace onyx::cpu

// RegexFullMatch: true where a string matches the RE2 'pattern' in full.
#include <re2/re2.h>

#include <memory>
#include <string>

#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

class RegexFullMatchKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    if (!info.has_attr("pattern")) return info.Error("attribute 'pattern' is required");
    std::string pattern;
    ONYX_RETURN_IF_ERROR(info.GetString("pattern", &pattern));
    RE2::Options options;
    options.set_log_errors(false);
    regex_ = std::make_unique<RE2>(pattern, options);
    if (!regex_->ok()) return info.Error("invalid RE2 pattern '", pattern, "': ", regex_->error());
    return Status::Ok();
  }

  // RE2 matching is const and safe to share between threads.
  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr || x->type() != DataType::kString) return ctx.Error("input must be a string tensor");
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kBool, x->shape()));
    const std::string* in = x->data<std::string>();
    bool* out = y->data<bool>();
    for (int64_t i = 0; i < x->size(); ++i) out[i] = RE2::FullMatch(in[i], *regex_);
    return Status::Ok();
  }

 private:
  std::unique_ptr<RE2> regex_;
};

Status InferRegexFullMatch(ir::InferenceContext& ctx) {
  const ir::SymShape* in = ctx.input_shape(0);
  ctx.SetOutput(0, DataType::kBool, in ? std::optional<ir::SymShape>(*in) : std::nullopt);
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(RegexFullMatchKernel, KernelDef("CPU", "", "RegexFullMatch").Versions(20));
ONYX_REGISTER_SHAPE_INFERENCE("", "RegexFullMatch", InferRegexFullMatch);

}  // namespace
}  // namespace onyx::cpu

// StringSplit: splits each string on a delimiter (Python's str.split semantics: with a delimiter, consecutive
// delimiters delimit empty strings; without one, runs of whitespace separate and edge whitespace is dropped),
// at most 'maxsplit' times. Y pads each row of substrings with empty strings to the longest; Z counts them.
#include <string>
#include <string_view>
#include <vector>

#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

class StringSplitKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    ONYX_RETURN_IF_ERROR(info.GetString("delimiter", &delimiter_, std::string()));
    ONYX_RETURN_IF_ERROR(info.GetInt("maxsplit", &maxsplit_, -1));
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr || x->type() != DataType::kString) return ctx.Error("input must be a string tensor");
    std::vector<std::vector<std::string_view>> parts(static_cast<size_t>(x->size()));
    int64_t widest = 0;
    const std::string* in = x->data<std::string>();
    for (int64_t i = 0; i < x->size(); ++i) {
      auto& p = parts[static_cast<size_t>(i)];
      if (delimiter_.empty()) {
        SplitWhitespace(in[i], &p);
      } else {
        SplitDelimiter(in[i], &p);
      }
      widest = std::max(widest, static_cast<int64_t>(p.size()));
    }
    Shape y_shape = x->shape();
    y_shape.push_back(widest);
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kString, y_shape));
    std::string* yv = y->data<std::string>();
    for (size_t i = 0; i < parts.size(); ++i) {
      for (size_t j = 0; j < parts[i].size(); ++j) yv[i * static_cast<size_t>(widest) + j] = std::string(parts[i][j]);
    }
    if (ctx.output_requested(1)) {
      ONYX_ASSIGN_OR_RETURN(Tensor * z, ctx.Output(1, DataType::kInt64, x->shape()));
      for (size_t i = 0; i < parts.size(); ++i) z->data<int64_t>()[i] = static_cast<int64_t>(parts[i].size());
    }
    return Status::Ok();
  }

 private:
  bool MaySplit(size_t done) const { return maxsplit_ < 0 || static_cast<int64_t>(done) < maxsplit_; }

  void SplitDelimiter(std::string_view s, std::vector<std::string_view>* out) const {
    size_t start = 0;
    while (MaySplit(out->size())) {
      size_t at = s.find(delimiter_, start);
      if (at == std::string_view::npos) break;
      out->push_back(s.substr(start, at - start));
      start = at + delimiter_.size();
    }
    out->push_back(s.substr(start));
  }

  void SplitWhitespace(std::string_view s, std::vector<std::string_view>* out) const {
    size_t i = 0;
    const size_t n = s.size();
    while (true) {
      while (i < n && IsSpace(s[i])) ++i;
      if (i == n) return;
      if (!MaySplit(out->size())) {
        // The remainder stays whole, trailing whitespace included (as Python does).
        out->push_back(s.substr(i));
        return;
      }
      size_t j = i;
      while (j < n && !IsSpace(s[j])) ++j;
      out->push_back(s.substr(i, j - i));
      i = j;
    }
  }

  std::string delimiter_;
  int64_t maxsplit_ = -1;
};

Status InferStringSplit(ir::InferenceContext& ctx) {
  const ir::SymShape* in = ctx.input_shape(0);
  std::optional<ir::SymShape> y, z;
  if (in != nullptr) {
    z = *in;
    y = *in;
    y->push_back(ir::Dim{});
  }
  ctx.SetOutput(0, DataType::kString, y);
  if (ctx.output_count() > 1) ctx.SetOutput(1, DataType::kInt64, z);
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(StringSplitKernel, KernelDef("CPU", "", "StringSplit").Versions(20));
ONYX_REGISTER_SHAPE_INFERENCE("", "StringSplit", InferStringSplit);

}  // namespace
}  // namespace onyx::cpu

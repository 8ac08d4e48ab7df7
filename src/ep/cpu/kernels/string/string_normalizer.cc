// StringNormalizer: drops stop words from a [C] or [1, C] string tensor, then lower- or upper-cases what is left.
// Case mapping decodes UTF-8 and maps code points with the named locale's wide-character table (falling back to
// C.UTF-8, then to ASCII-only mapping when no UTF-8 locale is installed); invalid UTF-8 is mapped byte-wise.
#include <locale>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

enum class CaseAction { kNone, kLower, kUpper };

// Decodes UTF-8 into code points; false on malformed input.
bool DecodeUtf8(const std::string& s, std::u32string* out) {
  out->clear();
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
    if (extra < 0 || i + static_cast<size_t>(extra) >= s.size()) return false;
    char32_t cp = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    out->push_back(cp);
    i += static_cast<size_t>(extra) + 1;
  }
  return true;
}

void EncodeUtf8(const std::u32string& cps, std::string* out) {
  out->clear();
  for (char32_t cp : cps) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
}

class StringNormalizerKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    std::string action;
    ONYX_RETURN_IF_ERROR(info.GetString("case_change_action", &action, std::string("NONE")));
    if (action == "LOWER") {
      action_ = CaseAction::kLower;
    } else if (action == "UPPER") {
      action_ = CaseAction::kUpper;
    } else if (action == "NONE") {
      action_ = CaseAction::kNone;
    } else {
      return info.Error("case_change_action must be LOWER, UPPER or NONE, got '", action, "'");
    }
    int64_t sensitive = 0;
    ONYX_RETURN_IF_ERROR(info.GetInt("is_case_sensitive", &sensitive, 0));
    if (sensitive != 0 && sensitive != 1) return info.Error("is_case_sensitive must be 0 or 1, got ", sensitive);
    case_sensitive_ = sensitive == 1;
    std::string locale_name;
    ONYX_RETURN_IF_ERROR(info.GetString("locale", &locale_name, std::string("en_US")));
    PickLocale(locale_name);
    std::vector<std::string> stopwords;
    ONYX_RETURN_IF_ERROR(info.GetStrings("stopwords", &stopwords, std::vector<std::string>{}));
    for (const std::string& w : stopwords) stopwords_.insert(case_sensitive_ ? w : MapCase(w, CaseAction::kLower));
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr || x->type() != DataType::kString) return ctx.Error("input must be a string tensor");
    const bool two_d = x->rank() == 2;
    if (!(x->rank() == 1 || (two_d && x->dim(0) == 1))) {
      return ctx.Error("input must have shape [C] or [1, C], got ", ShapeToString(x->shape()));
    }
    std::vector<std::string> kept;
    for (const std::string& s : x->values<std::string>()) {
      if (!stopwords_.empty() && stopwords_.count(case_sensitive_ ? s : MapCase(s, CaseAction::kLower))) continue;
      kept.push_back(MapCase(s, action_));
    }
    // Everything dropped: one empty string, keeping the input's rank.
    if (kept.empty()) kept.emplace_back();
    const auto n = static_cast<int64_t>(kept.size());
    ONYX_ASSIGN_OR_RETURN(Tensor * out, ctx.Output(0, DataType::kString, two_d ? Shape{1, n} : Shape{n}));
    std::string* dst = out->data<std::string>();
    for (size_t i = 0; i < kept.size(); ++i) dst[i] = std::move(kept[i]);
    return Status::Ok();
  }

 private:
  void PickLocale(const std::string& name) {
    for (const std::string& candidate :
         {name + ".UTF-8", name + ".utf8", std::string("C.UTF-8"), std::string("C.utf8")}) {
      try {
        locale_ = std::make_shared<std::locale>(candidate);
        return;
      } catch (const std::exception&) {
        // Not installed here: try the next one.
      }
    }
    locale_.reset();
  }

  std::string MapCase(const std::string& s, CaseAction action) const {
    if (action == CaseAction::kNone) return s;
    const bool upper = action == CaseAction::kUpper;
    std::u32string cps;
    if (locale_ && DecodeUtf8(s, &cps)) {
      const auto& facet = std::use_facet<std::ctype<wchar_t>>(*locale_);
      for (char32_t& cp : cps) {
        const auto w = static_cast<wchar_t>(cp);
        cp = static_cast<char32_t>(upper ? facet.toupper(w) : facet.tolower(w));
      }
      std::string out;
      EncodeUtf8(cps, &out);
      return out;
    }
    std::string out = s;
    for (char& c : out) {
      if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }

  CaseAction action_ = CaseAction::kNone;
  bool case_sensitive_ = false;
  std::shared_ptr<std::locale> locale_;
  std::unordered_set<std::string> stopwords_;
};

Status InferStringNormalizer(ir::InferenceContext& ctx) {
  const ir::SymShape* in = ctx.input_shape(0);
  std::optional<ir::SymShape> shape;
  if (in != nullptr) {
    if (in->size() == 1) {
      shape = ir::SymShape{ir::Dim{}};
    } else if (in->size() == 2) {
      shape = ir::SymShape{ir::Dim::Known(1), ir::Dim{}};
    } else {
      return ctx.Error("input must have shape [C] or [1, C]");
    }
  }
  ctx.SetOutput(0, DataType::kString, shape);
  return Status::Ok();
}

ONYX_REGISTER_KERNEL(StringNormalizerKernel, KernelDef("CPU", "", "StringNormalizer").Versions(10));
ONYX_REGISTER_SHAPE_INFERENCE("", "StringNormalizer", InferStringNormalizer);

}  // namespace
}  // namespace onyx::cpu

// TfIdfVectorizer: counts the pool's n-grams (of lengths min..max, with up to max_skip_count skipped tokens
// between consecutive items) in each row of the input, then weights the counts (TF, IDF, TFIDF). The pool is
// looked up through one ordered map per n-gram length, built once in Init.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "common/thread_pool.h"
#include "ep/cpu/kernels/dispatch.h"
#include "framework/kernel_registry.h"
#include "ir/shape_inference.h"

namespace onyx::cpu {
namespace {

enum class Mode { kTf, kIdf, kTfIdf };

template <typename K>
using NgramMaps = std::vector<std::map<std::vector<K>, int64_t>>;  // [length - 1]: n-gram -> pool id

class TfIdfVectorizerKernel final : public OpKernel {
 public:
  Status Init(const KernelInfo& info) override {
    std::string mode;
    ONYX_RETURN_IF_ERROR(info.GetString("mode", &mode));
    if (mode == "TF") {
      mode_ = Mode::kTf;
    } else if (mode == "IDF") {
      mode_ = Mode::kIdf;
    } else if (mode == "TFIDF") {
      mode_ = Mode::kTfIdf;
    } else {
      return info.Error("attribute 'mode' must be TF, IDF or TFIDF, got '", mode, "'");
    }
    ONYX_RETURN_IF_ERROR(info.GetInt("min_gram_length", &min_len_));
    ONYX_RETURN_IF_ERROR(info.GetInt("max_gram_length", &max_len_));
    ONYX_RETURN_IF_ERROR(info.GetInt("max_skip_count", &max_skip_));
    if (min_len_ < 1 || max_len_ < min_len_)
      return info.Error("need 1 <= min_gram_length <= max_gram_length, got ", min_len_, " and ", max_len_);
    if (max_skip_ < 0) return info.Error("'max_skip_count' must be >= 0, got ", max_skip_);
    std::vector<int64_t> counts;
    ONYX_RETURN_IF_ERROR(info.GetInts("ngram_counts", &counts));
    ONYX_RETURN_IF_ERROR(info.GetInts("ngram_indexes", &indexes_));
    ONYX_RETURN_IF_ERROR(info.GetFloats("weights", &weights_, std::vector<float>{}));
    strings_ = info.has_attr("pool_strings");
    if (strings_ == info.has_attr("pool_int64s"))
      return info.Error("exactly one of 'pool_strings' and 'pool_int64s' must be set");
    std::vector<std::string> pool_s;
    std::vector<int64_t> pool_i;
    int64_t pool_size = 0;
    if (strings_) {
      ONYX_RETURN_IF_ERROR(info.GetStrings("pool_strings", &pool_s));
      pool_size = static_cast<int64_t>(pool_s.size());
    } else {
      ONYX_RETURN_IF_ERROR(info.GetInts("pool_int64s", &pool_i));
      pool_size = static_cast<int64_t>(pool_i.size());
    }
    // ngram_counts[k] is where the (k+1)-grams start in the pool; each level must hold whole n-grams.
    int64_t id = 0;
    for (size_t k = 0; k < counts.size(); ++k) {
      const int64_t begin = counts[k];
      const int64_t end = k + 1 < counts.size() ? counts[k + 1] : pool_size;
      const int64_t len = static_cast<int64_t>(k) + 1;
      if (begin < 0 || end < begin || end > pool_size)
        return info.Error("'ngram_counts' ", begin, " is not a valid, non-decreasing offset into the pool of ",
                          pool_size);
      if ((end - begin) % len != 0)
        return info.Error("pool level of ", len, "-grams holds ", end - begin, " items, not a multiple of ", len);
      if (strings_) {
        AddLevel(pool_s, begin, end, len, &id, &string_maps_);
      } else {
        AddLevel(pool_i, begin, end, len, &id, &int_maps_);
      }
    }
    if (static_cast<int64_t>(indexes_.size()) != id)
      return info.Error("'ngram_indexes' has ", indexes_.size(), " entries but the pool holds ", id, " n-grams");
    if (!weights_.empty() && weights_.size() != indexes_.size())
      return info.Error("'weights' has ", weights_.size(), " entries but the pool holds ", id, " n-grams");
    out_size_ = 0;
    for (int64_t v : indexes_) {
      if (v < 0) return info.Error("'ngram_indexes' must be >= 0, got ", v);
      out_size_ = std::max(out_size_, v + 1);
    }
    if (out_size_ == 0) return info.Error("the pool holds no n-grams");
    return Status::Ok();
  }

  Status Compute(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (x == nullptr) return ctx.Error("input 'X' is required");
    if (x->rank() != 1 && x->rank() != 2) return ctx.Error("input 'X' must be 1-D or 2-D, got ", x->Describe());
    const bool is_string = x->type() == DataType::kString;
    if (is_string != strings_)
      return ctx.Error("input 'X' of type ", DataTypeName(x->type()), " does not match the ",
                       strings_ ? "string" : "integer", " pool");
    const int64_t rows = x->rank() == 2 ? x->dim(0) : 1;
    const int64_t cols = x->dim(x->rank() - 1);
    Shape out_shape = x->rank() == 2 ? Shape{rows, out_size_} : Shape{out_size_};
    ONYX_ASSIGN_OR_RETURN(Tensor * y, ctx.Output(0, DataType::kFloat, out_shape));
    float* out = y->data<float>();
    if (is_string) {
      const std::string* in = x->data<std::string>();
      ThreadPool::For(ctx.thread_pool(), rows, [&](int64_t b, int64_t e) {
        for (int64_t r = b; r < e; ++r) CountRow(in + r * cols, cols, string_maps_, out + r * out_size_);
      });
      return Status::Ok();
    }
    return Dispatch<int32_t, int64_t>(
        x->type(),
        [&](auto tag) -> Status {
          using T = decltype(tag);
          const T* in = x->data<T>();
          ThreadPool::For(ctx.thread_pool(), rows, [&](int64_t b, int64_t e) {
            std::vector<int64_t> row(static_cast<size_t>(cols));
            for (int64_t r = b; r < e; ++r) {
              for (int64_t c = 0; c < cols; ++c) row[static_cast<size_t>(c)] = static_cast<int64_t>(in[r * cols + c]);
              CountRow(row.data(), cols, int_maps_, out + r * out_size_);
            }
          });
          return Status::Ok();
        },
        ctx.node());
  }

 private:
  template <typename K>
  static void AddLevel(const std::vector<K>& pool, int64_t begin, int64_t end, int64_t len, int64_t* id,
                       NgramMaps<K>* maps) {
    maps->resize(static_cast<size_t>(len));
    auto& level = (*maps)[static_cast<size_t>(len - 1)];
    for (int64_t p = begin; p < end; p += len) {
      std::vector<K> key(pool.begin() + p, pool.begin() + p + len);
      level.emplace(std::move(key), (*id)++);  // a repeated n-gram keeps its first id
    }
  }

  template <typename K>
  void CountRow(const K* row, int64_t cols, const NgramMaps<K>& maps, float* out) const {
    std::vector<int64_t> counts(indexes_.size(), 0);
    std::vector<K> key;
    const int64_t top = std::min<int64_t>(max_len_, static_cast<int64_t>(maps.size()));
    for (int64_t len = min_len_; len <= top; ++len) {
      const auto& level = maps[static_cast<size_t>(len - 1)];
      if (level.empty()) continue;
      // Skips change nothing for unigrams: count them once.
      const int64_t skips = len == 1 ? 0 : max_skip_;
      for (int64_t s = 0; s <= skips; ++s) {
        const int64_t step = s + 1;
        const int64_t span = (len - 1) * step;
        for (int64_t start = 0; start + span < cols; ++start) {
          key.clear();
          for (int64_t k = 0; k < len; ++k) key.push_back(row[start + k * step]);
          auto it = level.find(key);
          if (it != level.end()) ++counts[static_cast<size_t>(it->second)];
        }
      }
    }
    for (size_t i = 0; i < counts.size(); ++i) {
      if (counts[i] == 0) continue;
      const float w = weights_.empty() ? 1.0f : weights_[i];
      float v = static_cast<float>(counts[i]);
      if (mode_ == Mode::kIdf) v = w;
      if (mode_ == Mode::kTfIdf) v *= w;
      out[indexes_[i]] += v;
    }
  }

  Mode mode_ = Mode::kTf;
  int64_t min_len_ = 1, max_len_ = 1, max_skip_ = 0, out_size_ = 0;
  bool strings_ = false;
  std::vector<int64_t> indexes_;
  std::vector<float> weights_;
  NgramMaps<int64_t> int_maps_;
  NgramMaps<std::string> string_maps_;
};

Status InferTfIdfVectorizer(ir::InferenceContext& ctx) {
  int64_t size = -1;
  for (int64_t v : ctx.attr_ints("ngram_indexes")) size = std::max(size, v + 1);
  const ir::Dim out_dim = size > 0 ? ir::Dim::Known(size) : ir::Dim{};
  const ir::SymShape* shape = ctx.input_shape(0);
  if (shape == nullptr) {
    ctx.SetOutput(0, DataType::kFloat, std::nullopt);
    return Status::Ok();
  }
  if (shape->size() == 1) {
    ctx.SetOutput(0, DataType::kFloat, ir::SymShape{out_dim});
  } else if (shape->size() == 2) {
    ctx.SetOutput(0, DataType::kFloat, ir::SymShape{(*shape)[0], out_dim});
  } else {
    return ctx.Error("input 'X' must be 1-D or 2-D");
  }
  return Status::Ok();
}

}  // namespace

ONYX_REGISTER_KERNEL(TfIdfVectorizerKernel, KernelDef("CPU", "", "TfIdfVectorizer").Versions(9));
ONYX_REGISTER_SHAPE_INFERENCE("", "TfIdfVectorizer", InferTfIdfVectorizer);

}  // namespace onyx::cpu

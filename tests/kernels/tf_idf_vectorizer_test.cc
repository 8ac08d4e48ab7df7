#include "kernels/op_test.h"

namespace onyx::test {

namespace {
// Pool: unigrams 2,3,5,4 then bigrams [5,6], [7,8], [6,7] (the conformance tests' pool).
void SetIntPool(OpTest& t) {
  t.AddAttr("ngram_counts", std::vector<int64_t>{0, 4});
  t.AddAttr("ngram_indexes", std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6});
  t.AddAttr("pool_int64s", std::vector<int64_t>{2, 3, 5, 4, 5, 6, 7, 8, 6, 7});
}
}  // namespace

TEST(TfIdfVectorizer, UniAndBigramsWithSkips) {
  OpTest t("TfIdfVectorizer", 9);
  t.AddAttr("mode", std::string("TF"));
  t.AddAttr("min_gram_length", int64_t{1});
  t.AddAttr("max_gram_length", int64_t{2});
  t.AddAttr("max_skip_count", int64_t{5});
  SetIntPool(t);
  t.AddInput<int32_t>("X", {12}, {1, 1, 3, 3, 3, 7, 8, 6, 7, 5, 6, 8});
  t.AddOutput<float>("Y", {7}, {0, 3, 1, 0, 1, 3, 1});
  t.Run();
}

TEST(TfIdfVectorizer, BigramsNoSkipBatch) {
  OpTest t("TfIdfVectorizer", 9);
  t.AddAttr("mode", std::string("TF"));
  t.AddAttr("min_gram_length", int64_t{2});
  t.AddAttr("max_gram_length", int64_t{2});
  t.AddAttr("max_skip_count", int64_t{0});
  SetIntPool(t);
  t.AddInput<int64_t>("X", {2, 6}, {1, 1, 3, 3, 3, 7, 8, 6, 7, 5, 6, 8});
  t.AddOutput<float>("Y", {2, 7}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1});
  t.Run();
}

// Weights belong to the pool's n-grams (the i-th weight scales the i-th pool entry), as the specification and
// ONNX Runtime have it; ngram_indexes is a permutation here so that the distinction shows.
TEST(TfIdfVectorizer, StringPoolTfIdf) {
  OpTest t("TfIdfVectorizer", 9);
  t.AddAttr("mode", std::string("TFIDF"));
  t.AddAttr("min_gram_length", int64_t{1});
  t.AddAttr("max_gram_length", int64_t{2});
  t.AddAttr("max_skip_count", int64_t{1});
  t.AddAttr("ngram_counts", std::vector<int64_t>{0, 2});
  t.AddAttr("ngram_indexes", std::vector<int64_t>{2, 0, 1, 3});
  t.AddAttr("pool_strings", std::vector<std::string>{"a", "d", "a", "b", "b", "d"});
  t.AddAttr("weights", std::vector<float>{0.5f, 2, 3, 4});
  t.AddInput<std::string>("X", {7}, {"a", "b", "c", "a", "b", "d", "a"});
  t.AddOutput<float>("Y", {4}, {2, 6, 1.5f, 4});
  t.Run();
}

TEST(TfIdfVectorizer, StringPoolBigramsOnly) {
  OpTest t("TfIdfVectorizer", 9);
  t.AddAttr("mode", std::string("TF"));
  t.AddAttr("min_gram_length", int64_t{2});
  t.AddAttr("max_gram_length", int64_t{2});
  t.AddAttr("max_skip_count", int64_t{1});
  t.AddAttr("ngram_counts", std::vector<int64_t>{0, 2});
  t.AddAttr("ngram_indexes", std::vector<int64_t>{2, 0, 1, 3});
  t.AddAttr("pool_strings", std::vector<std::string>{"a", "d", "a", "b", "b", "d"});
  t.AddInput<std::string>("X", {7}, {"a", "b", "c", "a", "b", "d", "a"});
  t.AddOutput<float>("Y", {4}, {0, 2, 0, 1});
  t.Run();
}

TEST(TfIdfVectorizer, IdfAndTfIdfModes) {
  for (const char* mode : {"IDF", "TFIDF"}) {
    OpTest t("TfIdfVectorizer", 9);
    t.AddAttr("mode", std::string(mode));
    t.AddAttr("min_gram_length", int64_t{1});
    t.AddAttr("max_gram_length", int64_t{1});
    t.AddAttr("max_skip_count", int64_t{0});
    t.AddAttr("ngram_counts", std::vector<int64_t>{0});
    t.AddAttr("ngram_indexes", std::vector<int64_t>{0, 1, 2});
    t.AddAttr("pool_int64s", std::vector<int64_t>{1, 2, 4});
    t.AddAttr("weights", std::vector<float>{0.5f, 2, 3});
    t.AddInput<int64_t>("X", {2, 4}, {1, 2, 3, 1, 2, 2, 2, 4});
    if (std::string(mode) == "IDF") {
      t.AddOutput<float>("Y", {2, 3}, {0.5f, 2, 0, 0, 2, 3});
    } else {
      t.AddOutput<float>("Y", {2, 3}, {1, 2, 0, 0, 6, 3});
    }
    t.Run();
  }
}

TEST(TfIdfVectorizer, EmptyLevel) {
  OpTest t("TfIdfVectorizer", 9);
  t.AddAttr("mode", std::string("TF"));
  t.AddAttr("min_gram_length", int64_t{2});
  t.AddAttr("max_gram_length", int64_t{2});
  t.AddAttr("max_skip_count", int64_t{0});
  t.AddAttr("ngram_counts", std::vector<int64_t>{0, 0});
  t.AddAttr("ngram_indexes", std::vector<int64_t>{0, 1, 2});
  t.AddAttr("pool_int64s", std::vector<int64_t>{5, 6, 7, 8, 6, 7});
  t.AddInput<int32_t>("X", {12}, {1, 1, 3, 3, 3, 7, 8, 6, 7, 5, 6, 8});
  t.AddOutput<float>("Y", {3}, {1, 1, 1});
  t.Run();
}

TEST(TfIdfVectorizer, StringInputForIntPoolIsAnError) {
  OpTest t("TfIdfVectorizer", 9);
  t.AddAttr("mode", std::string("TF"));
  t.AddAttr("min_gram_length", int64_t{1});
  t.AddAttr("max_gram_length", int64_t{1});
  t.AddAttr("max_skip_count", int64_t{0});
  t.AddAttr("ngram_counts", std::vector<int64_t>{0});
  t.AddAttr("ngram_indexes", std::vector<int64_t>{0});
  t.AddAttr("pool_int64s", std::vector<int64_t>{1});
  t.AddInput<std::string>("X", {2}, {"a", "b"});
  t.AddOutputUnchecked("Y");
  t.RunExpectError("pool");
}

TEST(TfIdfVectorizer, BadAttributesAreErrors) {
  {
    OpTest t("TfIdfVectorizer", 9);
    t.AddAttr("mode", std::string("BM25"));
    t.AddAttr("min_gram_length", int64_t{1});
    t.AddAttr("max_gram_length", int64_t{1});
    t.AddAttr("max_skip_count", int64_t{0});
    t.AddAttr("ngram_counts", std::vector<int64_t>{0});
    t.AddAttr("ngram_indexes", std::vector<int64_t>{0});
    t.AddAttr("pool_int64s", std::vector<int64_t>{1});
    t.AddInput<int64_t>("X", {1}, {1});
    t.AddOutputUnchecked("Y");
    t.RunExpectError("mode");
  }
  {
    // Three items cannot be split into bigrams.
    OpTest t("TfIdfVectorizer", 9);
    t.AddAttr("mode", std::string("TF"));
    t.AddAttr("min_gram_length", int64_t{2});
    t.AddAttr("max_gram_length", int64_t{2});
    t.AddAttr("max_skip_count", int64_t{0});
    t.AddAttr("ngram_counts", std::vector<int64_t>{0, 0});
    t.AddAttr("ngram_indexes", std::vector<int64_t>{0});
    t.AddAttr("pool_int64s", std::vector<int64_t>{1, 2, 3});
    t.AddInput<int64_t>("X", {1}, {1});
    t.AddOutputUnchecked("Y");
    t.RunExpectError("multiple");
  }
  {
    OpTest t("TfIdfVectorizer", 9);
    t.AddAttr("mode", std::string("TF"));
    t.AddAttr("min_gram_length", int64_t{1});
    t.AddAttr("max_gram_length", int64_t{1});
    t.AddAttr("max_skip_count", int64_t{0});
    t.AddAttr("ngram_counts", std::vector<int64_t>{0});
    t.AddAttr("ngram_indexes", std::vector<int64_t>{0, 1});
    t.AddAttr("pool_int64s", std::vector<int64_t>{1});
    t.AddInput<int64_t>("X", {1}, {1});
    t.AddOutputUnchecked("Y");
    t.RunExpectError("ngram_indexes");
  }
}

}  // namespace onyx::test

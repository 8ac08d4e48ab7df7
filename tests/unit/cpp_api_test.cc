// Tests of the header-only C++ wrapper (include/onyx/onyx.hpp). This file includes nothing of the engine's
// internals, as an outside user would not.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "onyx/onyx.hpp"

namespace {

// The same models as capi_test.cc (generated with onnx.helper, opset 14, IR 8):
//   C = Add(A, B), A/B/C: float[N,3]; graph "add_graph"; producer "capi-test"; metadata author=onyx, license=none.
const unsigned char kAddModel[] = {
    0x08, 0x08, 0x12, 0x09, 0x63, 0x61, 0x70, 0x69, 0x2d, 0x74, 0x65, 0x73, 0x74, 0x1a, 0x03, 0x31, 0x2e, 0x32, 0x22,
    0x0c, 0x61, 0x69, 0x2e, 0x6f, 0x6e, 0x79, 0x78, 0x2e, 0x74, 0x65, 0x73, 0x74, 0x28, 0x07, 0x32, 0x08, 0x41, 0x20,
    0x70, 0x6c, 0x75, 0x73, 0x20, 0x42, 0x3a, 0x63, 0x0a, 0x0e, 0x0a, 0x01, 0x41, 0x0a, 0x01, 0x42, 0x12, 0x01, 0x43,
    0x22, 0x03, 0x41, 0x64, 0x64, 0x12, 0x09, 0x61, 0x64, 0x64, 0x5f, 0x67, 0x72, 0x61, 0x70, 0x68, 0x52, 0x04, 0x61,
    0x64, 0x64, 0x73, 0x5a, 0x14, 0x0a, 0x01, 0x41, 0x12, 0x0f, 0x0a, 0x0d, 0x08, 0x01, 0x12, 0x09, 0x0a, 0x03, 0x12,
    0x01, 0x4e, 0x0a, 0x02, 0x08, 0x03, 0x5a, 0x14, 0x0a, 0x01, 0x42, 0x12, 0x0f, 0x0a, 0x0d, 0x08, 0x01, 0x12, 0x09,
    0x0a, 0x03, 0x12, 0x01, 0x4e, 0x0a, 0x02, 0x08, 0x03, 0x62, 0x14, 0x0a, 0x01, 0x43, 0x12, 0x0f, 0x0a, 0x0d, 0x08,
    0x01, 0x12, 0x09, 0x0a, 0x03, 0x12, 0x01, 0x4e, 0x0a, 0x02, 0x08, 0x03, 0x42, 0x04, 0x0a, 0x00, 0x10, 0x0e, 0x72,
    0x0e, 0x0a, 0x06, 0x61, 0x75, 0x74, 0x68, 0x6f, 0x72, 0x12, 0x04, 0x6f, 0x6e, 0x79, 0x78, 0x72, 0x0f, 0x0a, 0x07,
    0x6c, 0x69, 0x63, 0x65, 0x6e, 0x73, 0x65, 0x12, 0x04, 0x6e, 0x6f, 0x6e, 0x65,
};
//   T = Identity(S), S/T: string[2].
const unsigned char kStringIdentityModel[] = {
    0x08, 0x08, 0x3a, 0x3e, 0x0a, 0x10, 0x0a, 0x01, 0x53, 0x12, 0x01, 0x54, 0x22, 0x08, 0x49, 0x64, 0x65, 0x6e,
    0x74, 0x69, 0x74, 0x79, 0x12, 0x08, 0x69, 0x64, 0x5f, 0x67, 0x72, 0x61, 0x70, 0x68, 0x5a, 0x0f, 0x0a, 0x01,
    0x53, 0x12, 0x0a, 0x0a, 0x08, 0x08, 0x08, 0x12, 0x04, 0x0a, 0x02, 0x08, 0x02, 0x62, 0x0f, 0x0a, 0x01, 0x54,
    0x12, 0x0a, 0x0a, 0x08, 0x08, 0x08, 0x12, 0x04, 0x0a, 0x02, 0x08, 0x02, 0x42, 0x04, 0x0a, 0x00, 0x10, 0x0e,
};

// Runs `f`, expecting an onyx::Error with `code` whose message contains `part`.
template <typename F>
void ExpectThrows(F&& f, OnyxStatusCode code, const std::string& part) {
  try {
    f();
    ADD_FAILURE() << "expected onyx::Error containing '" << part << "'";
  } catch (const onyx::Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << "'" << e.what() << "' lacks '" << part << "'";
  }
}

static_assert(!std::is_copy_constructible_v<onyx::Value>);
static_assert(std::is_nothrow_move_constructible_v<onyx::Value>);
static_assert(!std::is_copy_constructible_v<onyx::Session>);
static_assert(std::is_nothrow_move_constructible_v<onyx::Session>);
static_assert(!std::is_copy_constructible_v<onyx::SessionOptions>);
static_assert(std::is_base_of_v<std::runtime_error, onyx::Error>);

TEST(CppApi, LoadIntrospectAndRun) {
  onyx::Session session(kAddModel, sizeof(kAddModel));
  EXPECT_EQ(session.input_names(), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(session.output_names(), (std::vector<std::string>{"C"}));
  onyx::TypeInfo a_type = session.input_type(0);
  EXPECT_EQ(a_type.kind, onyx::ValueKind::kTensor);
  EXPECT_EQ(a_type.element_type, onyx::ElementType::kFloat);
  EXPECT_EQ(a_type.rank, 2);
  EXPECT_EQ(a_type.dims, (std::vector<int64_t>{-1, 3}));
  EXPECT_EQ(a_type.symbolic_dims, (std::vector<std::string>{"N", ""}));
  EXPECT_EQ(a_type.text, "tensor(float)[N,3]");
  EXPECT_EQ(session.output_type(0).element_type, onyx::ElementType::kFloat);

  onyx::ModelMetadata md = session.metadata();
  EXPECT_EQ(md.producer_name, "capi-test");
  EXPECT_EQ(md.graph_name, "add_graph");
  EXPECT_EQ(md.domain, "ai.onyx.test");
  EXPECT_EQ(md.description, "A plus B");
  EXPECT_EQ(md.version, 7);
  EXPECT_EQ(md.custom.at("author"), "onyx");
  EXPECT_EQ(md.custom.size(), 2u);

  std::vector<onyx::Value> inputs;
  inputs.push_back(onyx::Value::Tensor<float>({2, 3}, {1, 2, 3, 4, 5, 6}));
  inputs.push_back(onyx::Value::Tensor<float>({2, 3}, std::vector<float>{10, 20, 30, 40, 50, 60}));
  std::vector<onyx::Value> outputs = session.Run({"A", "B"}, inputs);
  ASSERT_EQ(outputs.size(), 1u);
  EXPECT_EQ(outputs[0].shape(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(outputs[0].element_type(), onyx::ElementType::kFloat);
  EXPECT_EQ(outputs[0].element_count(), 6);
  EXPECT_EQ(outputs[0].to_vector<float>(), (std::vector<float>{11, 22, 33, 44, 55, 66}));
  EXPECT_EQ(outputs[0].data<float>()[5], 66.0f);

  // Borrowed inputs and an explicit output list.
  onyx::Value a = onyx::Value::Tensor<float>({1, 3}, {1, 1, 1});
  onyx::Value b = onyx::Value::Tensor<float>({1, 3}, {1, 2, 3});
  onyx::RunOptions run_options;
  outputs = session.Run({"A", "B"}, {&a, &b}, {"C"}, &run_options);
  EXPECT_EQ(outputs[0].to_vector<float>(), (std::vector<float>{2, 3, 4}));

  run_options.SetTerminate(true);
  ExpectThrows([&] { session.Run({"A", "B"}, {&a, &b}, {"C"}, &run_options); }, ONYX_FAIL, "terminated");
}

TEST(CppApi, SessionOptionsAndPathErrors) {
  onyx::SessionOptions options;
  options.SetLogLevel(onyx::LogLevel::kError)
      .SetIntraOpThreads(1)
      .SetExecutionMode(onyx::ExecutionMode::kSequential)
      .SetOptimizationLevel(onyx::OptimizationLevel::kBasic)
      .AddConfigEntry("k", "v");
  onyx::Session session(kAddModel, sizeof(kAddModel), options);
  EXPECT_EQ(session.input_count(), 2u);

  ExpectThrows([&] { options.SetIntraOpThreads(-4); }, ONYX_INVALID_ARGUMENT, "'threads'");
  ExpectThrows([] { onyx::Session s("/no/such/model.onnx"); }, ONYX_NO_SUCH_FILE, "model.onnx");
  ExpectThrows([&] { onyx::Session s(std::string("/no/such/model.onnx"), options); }, ONYX_NO_SUCH_FILE, "model.onnx");
  ExpectThrows([] { onyx::Session s(nullptr, 4); }, ONYX_INVALID_ARGUMENT, "'model_data'");
  try {
    onyx::Session s(kAddModel, sizeof(kAddModel) / 3);
    ADD_FAILURE() << "a truncated model loaded";
  } catch (const onyx::Error& e) {
    EXPECT_NE(e.code(), ONYX_OK);
    EXPECT_STRNE(e.code_name(), "OK");
  }
  ExpectThrows([&] { session.input_type(5); }, ONYX_INVALID_ARGUMENT, "'index'");

  std::string onnx_add = std::string(ONYX_SOURCE_DIR) + "/../shared/onnx-tests/node/test_add/model.onnx";
  if (FILE* f = std::fopen(onnx_add.c_str(), "rb")) {
    std::fclose(f);
    onyx::Session from_path(onnx_add);
    EXPECT_EQ(from_path.input_names(), (std::vector<std::string>{"x", "y"}));
  }
}

TEST(CppApi, RunErrorsThrow) {
  onyx::Session session(kAddModel, sizeof(kAddModel));
  std::vector<onyx::Value> inputs;
  inputs.push_back(onyx::Value::Tensor<float>({1, 3}, {1, 2, 3}));
  inputs.push_back(onyx::Value::Tensor<int64_t>({1, 3}, {1, 2, 3}));
  ExpectThrows([&] { session.Run({"A", "B"}, inputs); }, ONYX_INVALID_ARGUMENT, "B");
  ExpectThrows([&] { session.Run({"A"}, inputs); }, ONYX_INVALID_ARGUMENT, "2 input values");
  inputs[1] = onyx::Value::Tensor<float>({1, 3}, {1, 2, 3});
  try {
    session.Run({"A", "Zed"}, inputs);
    ADD_FAILURE() << "an unknown input name was accepted";
  } catch (const onyx::Error& e) {
    EXPECT_NE(std::string(e.what()).find("Zed"), std::string::npos) << e.what();
  }
  onyx::Value empty;
  ExpectThrows([&] { session.Run({"A", "B"}, {&inputs[0], &empty}); }, ONYX_INVALID_ARGUMENT, "'inputs[1]'");
}

TEST(CppApi, ValueRulesAndMoves) {
  onyx::Value v = onyx::Value::Tensor<int32_t>({2, 2}, {1, 2, 3, 4});
  EXPECT_TRUE(static_cast<bool>(v));
  EXPECT_EQ(v.kind(), onyx::ValueKind::kTensor);
  EXPECT_EQ(v.element_type(), onyx::ElementType::kInt32);
  EXPECT_EQ(v.data_bytes(), 16u);
  ExpectThrows([&] { v.data<float>(); }, ONYX_INVALID_ARGUMENT, "int32");
  ExpectThrows([&] { v.string_at(0); }, ONYX_INVALID_ARGUMENT, "not a string tensor");
  ExpectThrows([&] { v.sequence_length(); }, ONYX_INVALID_ARGUMENT, "not a sequence");
  ExpectThrows([] { onyx::Value::Tensor<float>({2, 2}, {1, 2, 3}); }, ONYX_INVALID_ARGUMENT, "'data_bytes'");
  ExpectThrows([] { onyx::Value::Tensor<float>({-1}, {1}); }, ONYX_INVALID_ARGUMENT, "'shape'");

  onyx::Value moved = std::move(v);
  EXPECT_FALSE(static_cast<bool>(v));  // NOLINT(bugprone-use-after-move): the moved-from state is the point
  ExpectThrows([&] { v.kind(); }, ONYX_INVALID_ARGUMENT, "'value'");
  EXPECT_EQ(moved.to_vector<int32_t>(), (std::vector<int32_t>{1, 2, 3, 4}));
  onyx::Value other = onyx::Value::Tensor<double>({1}, {2.5});
  other = std::move(moved);
  EXPECT_EQ(other.element_type(), onyx::ElementType::kInt32);

  onyx::Value zeros = onyx::Value::Zeros(onyx::ElementType::kInt64, {3});
  zeros.mutable_data<int64_t>()[1] = 42;
  EXPECT_EQ(zeros.to_vector<int64_t>(), (std::vector<int64_t>{0, 42, 0}));

  bool flags[3] = {true, false, true};
  onyx::Value b = onyx::Value::Tensor<bool>({3}, std::span<const bool>(flags, 3));
  EXPECT_EQ(b.element_type(), onyx::ElementType::kBool);
  EXPECT_TRUE(b.data<bool>()[2]);

  uint16_t half_one = 0x3c00;
  onyx::Value h = onyx::Value::TensorFromBytes(onyx::ElementType::kFloat16, {}, &half_one, 2);
  EXPECT_EQ(h.shape(), std::vector<int64_t>{});
  EXPECT_EQ(*static_cast<const uint16_t*>(h.raw_data()), 0x3c00);
  EXPECT_STREQ(onyx::ElementTypeName(onyx::ElementType::kFloat16), "float16");
}

TEST(CppApi, WrapAndOutputsAreReadOnly) {
  onyx::Session session(kAddModel, sizeof(kAddModel));
  std::vector<float> a_data = {1, 2, 3};
  std::vector<float> b_data = {1, 1, 1};
  onyx::Value a = onyx::Value::Wrap<float>({1, 3}, a_data.data(), a_data.size());
  onyx::Value b = onyx::Value::Wrap<float>({1, 3}, b_data.data(), b_data.size());
  EXPECT_EQ(a.data<float>(), a_data.data());
  a.mutable_data<float>()[2] = 7;
  EXPECT_EQ(a_data[2], 7);
  std::vector<onyx::Value> out = session.Run({"A", "B"}, {&a, &b});
  EXPECT_EQ(out[0].to_vector<float>(), (std::vector<float>{2, 3, 8}));
  ExpectThrows([&] { out[0].mutable_data<float>(); }, ONYX_INVALID_ARGUMENT, "copy");
  ExpectThrows(
      [&] {
        onyx::Value::Wrap<float>({2, 3}, a_data.data(), a_data.size());
      },
      ONYX_INVALID_ARGUMENT, "'data_bytes'");
}

TEST(CppApi, StringsSequencesOptionals) {
  onyx::Value s = onyx::Value::Strings({2}, {"onyx", std::string("a\0b", 3)});
  EXPECT_EQ(s.element_type(), onyx::ElementType::kString);
  EXPECT_EQ(s.strings(), (std::vector<std::string>{"onyx", std::string("a\0b", 3)}));
  ExpectThrows([&] { s.data<int8_t>(); }, ONYX_INVALID_ARGUMENT, "string");
  ExpectThrows([] { onyx::Value::Strings({3}, {"x"}); }, ONYX_INVALID_ARGUMENT, "'count'");

  onyx::Session identity(kStringIdentityModel, sizeof(kStringIdentityModel));
  std::vector<onyx::Value> out = identity.Run({"S"}, {&s});
  EXPECT_EQ(out[0].string_at(0), "onyx");
  EXPECT_EQ(out[0].strings().size(), 2u);

  std::vector<onyx::Value> items;
  items.push_back(onyx::Value::Tensor<float>({1}, {1}));
  items.push_back(onyx::Value::Tensor<float>({2}, {2, 3}));
  onyx::Value seq = onyx::Value::Sequence(items);
  EXPECT_EQ(seq.kind(), onyx::ValueKind::kSequence);
  EXPECT_EQ(seq.sequence_length(), 2u);
  EXPECT_EQ(seq.sequence_item(1).to_vector<float>(), (std::vector<float>{2, 3}));
  ExpectThrows([&] { seq.sequence_item(2); }, ONYX_INVALID_ARGUMENT, "'index'");
  ExpectThrows([&] { seq.shape(); }, ONYX_INVALID_ARGUMENT, "not a tensor");

  onyx::Value opt = onyx::Value::Optional(items[0]);
  EXPECT_TRUE(opt.has_element());
  EXPECT_EQ(opt.element().to_vector<float>(), std::vector<float>{1});
  onyx::Value none = onyx::Value::EmptyOptional();
  EXPECT_FALSE(none.has_element());
  ExpectThrows([&] { none.element(); }, ONYX_INVALID_ARGUMENT, "empty optional");
}

}  // namespace

// Tests of the C API (include/onyx/onyx_c_api.h): success paths, and every kind of bad argument giving an
// INVALID_ARGUMENT status that names the argument instead of crashing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "onyx/onyx_c_api.h"
#include "unit/test_models.h"

namespace {

// Generated with onnx.helper (opset 14, IR 8):
//   C = Add(A, B), A/B/C: float[N,3]; graph "add_graph" (doc "adds"); producer "capi-test" 1.2; domain
//   "ai.onyx.test"; model_version 7; doc "A plus B"; metadata_props author=onyx, license=none.
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

// Generated with onnx.helper (opset 14, IR 8): T = Identity(S), S/T: string[2].
const unsigned char kStringIdentityModel[] = {
    0x08, 0x08, 0x3a, 0x3e, 0x0a, 0x10, 0x0a, 0x01, 0x53, 0x12, 0x01, 0x54, 0x22, 0x08, 0x49, 0x64, 0x65, 0x6e,
    0x74, 0x69, 0x74, 0x79, 0x12, 0x08, 0x69, 0x64, 0x5f, 0x67, 0x72, 0x61, 0x70, 0x68, 0x5a, 0x0f, 0x0a, 0x01,
    0x53, 0x12, 0x0a, 0x0a, 0x08, 0x08, 0x08, 0x12, 0x04, 0x0a, 0x02, 0x08, 0x02, 0x62, 0x0f, 0x0a, 0x01, 0x54,
    0x12, 0x0a, 0x0a, 0x08, 0x08, 0x08, 0x12, 0x04, 0x0a, 0x02, 0x08, 0x02, 0x42, 0x04, 0x0a, 0x00, 0x10, 0x0e,
};

struct StatusDeleter {
  void operator()(OnyxStatus* s) const { OnyxReleaseStatus(s); }
};
using StatusPtr = std::unique_ptr<OnyxStatus, StatusDeleter>;
struct SessionDeleter {
  void operator()(OnyxSession* s) const { OnyxReleaseSession(s); }
};
using SessionPtr = std::unique_ptr<OnyxSession, SessionDeleter>;
struct ValueDeleter {
  void operator()(OnyxValue* v) const { OnyxReleaseValue(v); }
};
using ValuePtr = std::unique_ptr<OnyxValue, ValueDeleter>;

#define ASSERT_OK(expr)                                                                           \
  do {                                                                                            \
    StatusPtr onyx_st_(expr);                                                                     \
    ASSERT_EQ(onyx_st_, nullptr) << #expr << " failed: " << OnyxStatusGetMessage(onyx_st_.get()); \
  } while (0)

// Checks that `st` is an error with `code` whose message contains every one of `parts`; releases it.
void ExpectError(OnyxStatus* raw, OnyxStatusCode code, const std::vector<std::string>& parts) {
  StatusPtr st(raw);
  ASSERT_NE(st, nullptr) << "expected an error containing '" << (parts.empty() ? "" : parts[0]) << "'";
  EXPECT_EQ(OnyxStatusGetCode(st.get()), code) << OnyxStatusGetMessage(st.get());
  std::string message = OnyxStatusGetMessage(st.get());
  for (const std::string& part : parts) {
    EXPECT_NE(message.find(part), std::string::npos) << "message '" << message << "' lacks '" << part << "'";
  }
}

SessionPtr LoadAddModel() {
  OnyxSession* s = nullptr;
  StatusPtr st(OnyxCreateSessionFromBytes(kAddModel, sizeof(kAddModel), nullptr, &s));
  EXPECT_EQ(st, nullptr) << OnyxStatusGetMessage(st.get());
  return SessionPtr(s);
}

ValuePtr FloatTensor(const std::vector<int64_t>& shape, const std::vector<float>& data) {
  OnyxValue* v = nullptr;
  StatusPtr st(OnyxCreateTensor(ONYX_ELEMENT_TYPE_FLOAT, shape.data(), shape.size(), data.data(), data.size() * 4, &v));
  EXPECT_EQ(st, nullptr) << OnyxStatusGetMessage(st.get());
  return ValuePtr(v);
}

std::vector<float> ReadFloats(const OnyxValue* v) {
  int64_t n = 0;
  const void* p = nullptr;
  StatusPtr a(OnyxTensorGetElementCount(v, &n));
  StatusPtr b(OnyxTensorGetData(v, &p));
  if (a || b || p == nullptr) return {};
  const auto* f = static_cast<const float*>(p);
  return std::vector<float>(f, f + n);
}

std::vector<int64_t> ReadDims(const OnyxValue* v) {
  size_t rank = 0;
  StatusPtr a(OnyxTensorGetRank(v, &rank));
  std::vector<int64_t> dims(rank);
  StatusPtr b(OnyxTensorGetDims(v, dims.data(), rank));
  return dims;
}

const char* const kAB[] = {"A", "B"};

TEST(CApi, VersionAndStatus) {
  EXPECT_EQ(OnyxGetApiVersion(), static_cast<uint32_t>(ONYX_C_API_VERSION));
  EXPECT_STRNE(OnyxGetVersionString(), "");
  EXPECT_EQ(OnyxStatusGetCode(nullptr), ONYX_OK);
  EXPECT_STREQ(OnyxStatusGetMessage(nullptr), "");
  EXPECT_EQ(OnyxCreateStatus(ONYX_OK, "ignored"), nullptr);
  OnyxReleaseStatus(nullptr);
  StatusPtr st(OnyxCreateStatus(ONYX_NOT_IMPLEMENTED, "custom"));
  ASSERT_NE(st, nullptr);
  EXPECT_EQ(OnyxStatusGetCode(st.get()), ONYX_NOT_IMPLEMENTED);
  EXPECT_STREQ(OnyxStatusGetMessage(st.get()), "custom");
  StatusPtr empty(OnyxCreateStatus(ONYX_FAIL, nullptr));
  EXPECT_STREQ(OnyxStatusGetMessage(empty.get()), "");
  EXPECT_STREQ(OnyxStatusCodeName(ONYX_INVALID_ARGUMENT), "INVALID_ARGUMENT");
  EXPECT_STREQ(OnyxStatusCodeName(static_cast<OnyxStatusCode>(1000)), "UNKNOWN");
  EXPECT_STREQ(OnyxElementTypeName(ONYX_ELEMENT_TYPE_INT64), "int64");
  EXPECT_STREQ(OnyxElementTypeName(static_cast<OnyxElementType>(-3)), "undefined");
}

TEST(CApi, SessionOptions) {
  OnyxSessionOptions* o = nullptr;
  ASSERT_OK(OnyxCreateSessionOptions(&o));
  std::unique_ptr<OnyxSessionOptions, void (*)(OnyxSessionOptions*)> owner(o, OnyxReleaseSessionOptions);
  ASSERT_OK(OnyxSessionOptionsSetLogLevel(o, ONYX_LOG_ERROR));
  ASSERT_OK(OnyxSessionOptionsSetIntraOpThreads(o, 2));
  ASSERT_OK(OnyxSessionOptionsSetExecutionMode(o, ONYX_EXECUTION_PARALLEL));
  ASSERT_OK(OnyxSessionOptionsSetOptimizationLevel(o, ONYX_OPTIMIZATION_BASIC));
  ASSERT_OK(OnyxSessionOptionsAddConfigEntry(o, "some.key", "1"));

  ExpectError(OnyxCreateSessionOptions(nullptr), ONYX_INVALID_ARGUMENT, {"OnyxCreateSessionOptions", "'out'"});
  ExpectError(OnyxSessionOptionsSetLogLevel(nullptr, ONYX_LOG_ERROR), ONYX_INVALID_ARGUMENT, {"'options'", "NULL"});
  ExpectError(OnyxSessionOptionsSetLogLevel(o, static_cast<OnyxLogLevel>(9)), ONYX_INVALID_ARGUMENT, {"'level'"});
  ExpectError(OnyxSessionOptionsSetIntraOpThreads(o, -1), ONYX_INVALID_ARGUMENT, {"'threads'", "-1"});
  ExpectError(OnyxSessionOptionsSetExecutionMode(o, static_cast<OnyxExecutionMode>(5)), ONYX_INVALID_ARGUMENT,
              {"'mode'"});
  ExpectError(OnyxSessionOptionsSetOptimizationLevel(o, static_cast<OnyxOptimizationLevel>(3)), ONYX_INVALID_ARGUMENT,
              {"'level'"});
  ExpectError(OnyxSessionOptionsAddConfigEntry(o, nullptr, "v"), ONYX_INVALID_ARGUMENT, {"'key'"});
  ExpectError(OnyxSessionOptionsAddConfigEntry(o, "k", nullptr), ONYX_INVALID_ARGUMENT, {"'value'"});
  ExpectError(OnyxSessionOptionsAddConfigEntry(o, "", "v"), ONYX_INVALID_ARGUMENT, {"'key'", "empty"});

  // The options are copied into the session, so releasing them early is fine.
  OnyxSession* s = nullptr;
  ASSERT_OK(OnyxCreateSessionFromBytes(kAddModel, sizeof(kAddModel), o, &s));
  owner.reset();
  SessionPtr session(s);
  size_t n = 0;
  ASSERT_OK(OnyxSessionGetInputCount(s, &n));
  EXPECT_EQ(n, 2u);
}

TEST(CApi, IntrospectsInputsOutputsAndTypes) {
  SessionPtr s = LoadAddModel();
  ASSERT_NE(s, nullptr);
  size_t n_in = 0, n_out = 0;
  ASSERT_OK(OnyxSessionGetInputCount(s.get(), &n_in));
  ASSERT_OK(OnyxSessionGetOutputCount(s.get(), &n_out));
  ASSERT_EQ(n_in, 2u);
  ASSERT_EQ(n_out, 1u);
  const char* name = nullptr;
  ASSERT_OK(OnyxSessionGetInputName(s.get(), 1, &name));
  EXPECT_STREQ(name, "B");
  ASSERT_OK(OnyxSessionGetOutputName(s.get(), 0, &name));
  EXPECT_STREQ(name, "C");

  const OnyxTypeInfo* info = nullptr;
  ASSERT_OK(OnyxSessionGetInputTypeInfo(s.get(), 0, &info));
  OnyxValueKind kind;
  OnyxElementType type;
  int64_t rank = 0;
  ASSERT_OK(OnyxTypeInfoGetKind(info, &kind));
  ASSERT_OK(OnyxTypeInfoGetElementType(info, &type));
  ASSERT_OK(OnyxTypeInfoGetRank(info, &rank));
  EXPECT_EQ(kind, ONYX_VALUE_KIND_TENSOR);
  EXPECT_EQ(type, ONYX_ELEMENT_TYPE_FLOAT);
  ASSERT_EQ(rank, 2);
  int64_t dims[2] = {0, 0};
  ASSERT_OK(OnyxTypeInfoGetDims(info, dims, 2));
  EXPECT_EQ(dims[0], -1);
  EXPECT_EQ(dims[1], 3);
  const char* sym = nullptr;
  ASSERT_OK(OnyxTypeInfoGetSymbolicDim(info, 0, &sym));
  EXPECT_STREQ(sym, "N");
  ASSERT_OK(OnyxTypeInfoGetSymbolicDim(info, 1, &sym));
  EXPECT_STREQ(sym, "");
  const char* text = nullptr;
  ASSERT_OK(OnyxTypeInfoToString(info, &text));
  EXPECT_STREQ(text, "tensor(float)[N,3]");
  ASSERT_OK(OnyxSessionGetOutputTypeInfo(s.get(), 0, &info));
  ASSERT_OK(OnyxTypeInfoGetElementType(info, &type));
  EXPECT_EQ(type, ONYX_ELEMENT_TYPE_FLOAT);

  ExpectError(OnyxSessionGetInputName(s.get(), 2, &name), ONYX_INVALID_ARGUMENT, {"'index'", "2", "2 inputs"});
  ExpectError(OnyxSessionGetOutputName(s.get(), 1, &name), ONYX_INVALID_ARGUMENT, {"'index'"});
  ExpectError(OnyxSessionGetInputTypeInfo(s.get(), 99, &info), ONYX_INVALID_ARGUMENT, {"'index'"});
  ExpectError(OnyxSessionGetOutputTypeInfo(s.get(), 99, &info), ONYX_INVALID_ARGUMENT, {"'index'"});
  ExpectError(OnyxSessionGetInputCount(nullptr, &n_in), ONYX_INVALID_ARGUMENT, {"'session'"});
  ExpectError(OnyxSessionGetInputCount(s.get(), nullptr), ONYX_INVALID_ARGUMENT, {"'out'"});
  ExpectError(OnyxSessionGetInputName(s.get(), 0, nullptr), ONYX_INVALID_ARGUMENT, {"'out'"});
  ASSERT_OK(OnyxSessionGetInputTypeInfo(s.get(), 0, &info));
  ExpectError(OnyxTypeInfoGetDims(info, dims, 3), ONYX_INVALID_ARGUMENT, {"'dims_count'", "rank is 2"});
  ExpectError(OnyxTypeInfoGetDims(info, nullptr, 2), ONYX_INVALID_ARGUMENT, {"'dims'"});
  ExpectError(OnyxTypeInfoGetSymbolicDim(info, 2, &sym), ONYX_INVALID_ARGUMENT, {"'axis'"});
  ExpectError(OnyxTypeInfoGetInner(info, &info), ONYX_INVALID_ARGUMENT, {"no element type"});
  ExpectError(OnyxTypeInfoGetKind(nullptr, &kind), ONYX_INVALID_ARGUMENT, {"'info'"});
}

TEST(CApi, ModelMetadata) {
  SessionPtr s = LoadAddModel();
  ASSERT_NE(s, nullptr);
  const OnyxModelMetadata* md = nullptr;
  ASSERT_OK(OnyxSessionGetModelMetadata(s.get(), &md));
  const char* v = nullptr;
  ASSERT_OK(OnyxModelMetadataGetProducerName(md, &v));
  EXPECT_STREQ(v, "capi-test");
  ASSERT_OK(OnyxModelMetadataGetProducerVersion(md, &v));
  EXPECT_STREQ(v, "1.2");
  ASSERT_OK(OnyxModelMetadataGetGraphName(md, &v));
  EXPECT_STREQ(v, "add_graph");
  ASSERT_OK(OnyxModelMetadataGetDomain(md, &v));
  EXPECT_STREQ(v, "ai.onyx.test");
  ASSERT_OK(OnyxModelMetadataGetDescription(md, &v));
  EXPECT_STREQ(v, "A plus B");
  ASSERT_OK(OnyxModelMetadataGetGraphDescription(md, &v));
  EXPECT_STREQ(v, "adds");
  int64_t version = 0;
  ASSERT_OK(OnyxModelMetadataGetVersion(md, &version));
  EXPECT_EQ(version, 7);
  ASSERT_OK(OnyxModelMetadataGetIrVersion(md, &version));
  EXPECT_EQ(version, 8);
  size_t count = 0;
  ASSERT_OK(OnyxModelMetadataGetCustomCount(md, &count));
  ASSERT_EQ(count, 2u);
  ASSERT_OK(OnyxModelMetadataGetCustomKey(md, 0, &v));
  EXPECT_STREQ(v, "author");
  ASSERT_OK(OnyxModelMetadataLookupCustom(md, "license", &v));
  EXPECT_STREQ(v, "none");
  ASSERT_OK(OnyxModelMetadataLookupCustom(md, "absent", &v));
  EXPECT_EQ(v, nullptr);
  ExpectError(OnyxModelMetadataGetCustomKey(md, 2, &v), ONYX_INVALID_ARGUMENT, {"'index'"});
  ExpectError(OnyxModelMetadataLookupCustom(md, nullptr, &v), ONYX_INVALID_ARGUMENT, {"'key'"});
  ExpectError(OnyxModelMetadataGetDomain(nullptr, &v), ONYX_INVALID_ARGUMENT, {"'metadata'"});
  ExpectError(OnyxModelMetadataGetDomain(md, nullptr), ONYX_INVALID_ARGUMENT, {"'out'"});
  ExpectError(OnyxSessionGetModelMetadata(nullptr, &md), ONYX_INVALID_ARGUMENT, {"'session'"});
}

TEST(CApi, RunAdd) {
  SessionPtr s = LoadAddModel();
  ASSERT_NE(s, nullptr);
  ValuePtr a = FloatTensor({2, 3}, {1, 2, 3, 4, 5, 6});
  ValuePtr b = FloatTensor({2, 3}, {10, 20, 30, 40, 50, 60});
  const OnyxValue* inputs[] = {a.get(), b.get()};
  const char* out_names[] = {"C"};
  OnyxValue* out = nullptr;
  ASSERT_OK(OnyxRun(s.get(), nullptr, kAB, inputs, 2, out_names, 1, &out));
  ValuePtr c(out);
  EXPECT_EQ(ReadDims(c.get()), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(ReadFloats(c.get()), (std::vector<float>{11, 22, 33, 44, 55, 66}));
  OnyxValueKind kind;
  ASSERT_OK(OnyxValueGetKind(c.get(), &kind));
  EXPECT_EQ(kind, ONYX_VALUE_KIND_TENSOR);
  size_t bytes = 0;
  ASSERT_OK(OnyxTensorGetDataBytes(c.get(), &bytes));
  EXPECT_EQ(bytes, 24u);
  // Outputs may share memory with the session: they are read-only through the API.
  void* p = nullptr;
  ExpectError(OnyxTensorGetMutableData(c.get(), &p), ONYX_INVALID_ARGUMENT, {"copy"});

  // NULL output names ask for every output; a different batch size fits the symbolic dim.
  ValuePtr a1 = FloatTensor({1, 3}, {1, 1, 1});
  ValuePtr b1 = FloatTensor({1, 3}, {2, 3, 4});
  const OnyxValue* inputs1[] = {a1.get(), b1.get()};
  ASSERT_OK(OnyxRun(s.get(), nullptr, kAB, inputs1, 2, nullptr, 1, &out));
  ValuePtr c1(out);
  EXPECT_EQ(ReadFloats(c1.get()), (std::vector<float>{3, 4, 5}));
}

// Output names may name intermediate values (here S = X + B, which Relu reads), and graph inputs.
TEST(CApi, RunFetchesIntermediateValues) {
  const std::string bytes = onyx::test::Serialize(onyx::test::AddReluModel());
  OnyxSession* raw = nullptr;
  ASSERT_OK(OnyxCreateSessionFromBytes(bytes.data(), bytes.size(), nullptr, &raw));
  SessionPtr s(raw);
  ValuePtr x = FloatTensor({1, 4}, {1, 1, 1, 1});
  const char* in_names[] = {"X"};
  const OnyxValue* inputs[] = {x.get()};
  const char* out_names[] = {"S", "Y"};
  OnyxValue* outs[2] = {nullptr, nullptr};
  ASSERT_OK(OnyxRun(s.get(), nullptr, in_names, inputs, 1, out_names, 2, outs));
  ValuePtr sv(outs[0]), yv(outs[1]);
  EXPECT_EQ(ReadFloats(sv.get()), (std::vector<float>{2, -1, 4, -3}));
  EXPECT_EQ(ReadFloats(yv.get()), (std::vector<float>{2, 0, 4, 0}));
  const char* bad[] = {"nothing"};
  ExpectError(OnyxRun(s.get(), nullptr, in_names, inputs, 1, bad, 1, outs), ONYX_INVALID_ARGUMENT,
              {"unknown output name 'nothing'"});
}

TEST(CApi, RunWithWrappedMemory) {
  SessionPtr s = LoadAddModel();
  ASSERT_NE(s, nullptr);
  std::vector<float> a_data = {1, 2, 3};
  std::vector<float> b_data = {0.5f, 0.5f, 0.5f};
  const int64_t shape[] = {1, 3};
  OnyxValue* a = nullptr;
  OnyxValue* b = nullptr;
  ASSERT_OK(OnyxCreateTensorWrapping(ONYX_ELEMENT_TYPE_FLOAT, shape, 2, a_data.data(), 12, &a));
  ValuePtr a_owner(a);
  ASSERT_OK(OnyxCreateTensorWrapping(ONYX_ELEMENT_TYPE_FLOAT, shape, 2, b_data.data(), 12, &b));
  ValuePtr b_owner(b);
  const void* seen = nullptr;
  ASSERT_OK(OnyxTensorGetData(a, &seen));
  EXPECT_EQ(seen, a_data.data());  // no copy

  const OnyxValue* inputs[] = {a, b};
  OnyxValue* out = nullptr;
  ASSERT_OK(OnyxRun(s.get(), nullptr, kAB, inputs, 2, nullptr, 1, &out));
  ValuePtr c(out);
  EXPECT_EQ(ReadFloats(c.get()), (std::vector<float>{1.5f, 2.5f, 3.5f}));

  a_data[0] = 100;  // the value sees the caller's memory
  ASSERT_OK(OnyxRun(s.get(), nullptr, kAB, inputs, 2, nullptr, 1, &out));
  ValuePtr c2(out);
  EXPECT_EQ(ReadFloats(c2.get())[0], 100.5f);

  // A caller-made tensor is writable.
  void* p = nullptr;
  ASSERT_OK(OnyxTensorGetMutableData(a, &p));
  EXPECT_EQ(p, a_data.data());
}

TEST(CApi, RunOptionsTerminate) {
  SessionPtr s = LoadAddModel();
  ASSERT_NE(s, nullptr);
  OnyxRunOptions* ro = nullptr;
  ASSERT_OK(OnyxCreateRunOptions(&ro));
  std::unique_ptr<OnyxRunOptions, void (*)(OnyxRunOptions*)> owner(ro, OnyxReleaseRunOptions);
  ValuePtr a = FloatTensor({1, 3}, {1, 2, 3});
  const OnyxValue* inputs[] = {a.get(), a.get()};
  OnyxValue* out = nullptr;
  ASSERT_OK(OnyxRun(s.get(), ro, kAB, inputs, 2, nullptr, 1, &out));
  OnyxReleaseValue(out);
  ASSERT_OK(OnyxRunOptionsSetTerminate(ro, 1));
  StatusPtr st(OnyxRun(s.get(), ro, kAB, inputs, 2, nullptr, 1, &out));
  ASSERT_NE(st, nullptr);
  EXPECT_NE(std::string(OnyxStatusGetMessage(st.get())).find("terminated"), std::string::npos);
  EXPECT_EQ(out, nullptr);
  ASSERT_OK(OnyxRunOptionsSetTerminate(ro, 0));
  ASSERT_OK(OnyxRun(s.get(), ro, kAB, inputs, 2, nullptr, 1, &out));
  OnyxReleaseValue(out);
  ExpectError(OnyxRunOptionsSetTerminate(nullptr, 1), ONYX_INVALID_ARGUMENT, {"'run_options'"});
  ExpectError(OnyxCreateRunOptions(nullptr), ONYX_INVALID_ARGUMENT, {"'out'"});
}

TEST(CApi, RunFromSeveralThreads) {
  SessionPtr s = LoadAddModel();
  ASSERT_NE(s, nullptr);
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto x = static_cast<float>(t * 100 + i);
        ValuePtr a = FloatTensor({1, 3}, {x, x, x});
        ValuePtr b = FloatTensor({1, 3}, {1, 2, 3});
        const OnyxValue* inputs[] = {a.get(), b.get()};
        OnyxValue* out = nullptr;
        StatusPtr st(OnyxRun(s.get(), nullptr, kAB, inputs, 2, nullptr, 1, &out));
        ValuePtr c(out);
        if (st || ReadFloats(c.get()) != std::vector<float>{x + 1, x + 2, x + 3}) ++failures[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

TEST(CApi, CreateSessionFromPath) {
  auto path = std::filesystem::temp_directory_path() / ("onyx_capi_test_" + std::to_string(::getpid()) + ".onnx");
  {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(kAddModel), sizeof(kAddModel));
  }
  OnyxSession* s = nullptr;
  StatusPtr st(OnyxCreateSession(path.c_str(), nullptr, &s));
  std::filesystem::remove(path);
  ASSERT_EQ(st, nullptr) << OnyxStatusGetMessage(st.get());
  SessionPtr session(s);
  const char* name = nullptr;
  ASSERT_OK(OnyxSessionGetOutputName(s, 0, &name));
  EXPECT_STREQ(name, "C");

  std::string onnx_add = std::string(ONYX_SOURCE_DIR) + "/../shared/onnx-tests/node/test_add/model.onnx";
  if (std::filesystem::exists(onnx_add)) {
    OnyxSession* s2 = nullptr;
    ASSERT_OK(OnyxCreateSession(onnx_add.c_str(), nullptr, &s2));
    SessionPtr session2(s2);
    size_t n = 0;
    ASSERT_OK(OnyxSessionGetInputCount(s2, &n));
    EXPECT_EQ(n, 2u);
  }
}

TEST(CApi, CreateSessionErrors) {
  OnyxSession* s = reinterpret_cast<OnyxSession*>(0x1);  // must be reset to NULL on failure
  ExpectError(OnyxCreateSession(nullptr, nullptr, &s), ONYX_INVALID_ARGUMENT, {"OnyxCreateSession", "'model_path'"});
  EXPECT_EQ(s, nullptr);
  ExpectError(OnyxCreateSession("", nullptr, &s), ONYX_INVALID_ARGUMENT, {"'model_path'", "empty"});
  ExpectError(OnyxCreateSession("x.onnx", nullptr, nullptr), ONYX_INVALID_ARGUMENT, {"'out'"});
  ExpectError(OnyxCreateSession("/definitely/not/here.onnx", nullptr, &s), ONYX_NO_SUCH_FILE, {"not/here.onnx"});
  EXPECT_EQ(s, nullptr);
  ExpectError(OnyxCreateSessionFromBytes(nullptr, 10, nullptr, &s), ONYX_INVALID_ARGUMENT, {"'model_data'"});
  ExpectError(OnyxCreateSessionFromBytes(kAddModel, 0, nullptr, &s), ONYX_INVALID_ARGUMENT, {"'model_size'"});
  ExpectError(OnyxCreateSessionFromBytes(kAddModel, sizeof(kAddModel), nullptr, nullptr), ONYX_INVALID_ARGUMENT,
              {"'out'"});

  // Corrupt bytes: garbage, and a truncated model. Any error will do, as long as it is one.
  const unsigned char garbage[] = {0xff, 0xff, 0xff, 0xff, 0x0f, 0x12, 0x34, 0x56, 0x78, 0x9a};
  StatusPtr st(OnyxCreateSessionFromBytes(garbage, sizeof(garbage), nullptr, &s));
  ASSERT_NE(st, nullptr);
  EXPECT_EQ(s, nullptr);
  StatusPtr st2(OnyxCreateSessionFromBytes(kAddModel, sizeof(kAddModel) / 2, nullptr, &s));
  ASSERT_NE(st2, nullptr);
  EXPECT_EQ(s, nullptr);
  EXPECT_STRNE(OnyxStatusGetMessage(st2.get()), "");
}

TEST(CApi, RunErrors) {
  SessionPtr s = LoadAddModel();
  ASSERT_NE(s, nullptr);
  ValuePtr a = FloatTensor({2, 3}, {1, 2, 3, 4, 5, 6});
  const OnyxValue* inputs[] = {a.get(), a.get()};
  const char* out_names[] = {"C"};
  OnyxValue* outs[2] = {reinterpret_cast<OnyxValue*>(0x1), reinterpret_cast<OnyxValue*>(0x1)};

  ExpectError(OnyxRun(nullptr, nullptr, kAB, inputs, 2, out_names, 1, outs), ONYX_INVALID_ARGUMENT,
              {"OnyxRun", "'session'"});
  EXPECT_EQ(outs[0], nullptr);  // slots are cleared even on failure
  ExpectError(OnyxRun(s.get(), nullptr, nullptr, inputs, 2, out_names, 1, outs), ONYX_INVALID_ARGUMENT,
              {"'input_names'"});
  ExpectError(OnyxRun(s.get(), nullptr, kAB, nullptr, 2, out_names, 1, outs), ONYX_INVALID_ARGUMENT, {"'inputs'"});
  ExpectError(OnyxRun(s.get(), nullptr, kAB, inputs, 2, out_names, 1, nullptr), ONYX_INVALID_ARGUMENT, {"'outputs'"});
  ExpectError(OnyxRun(s.get(), nullptr, kAB, inputs, 2, out_names, 0, outs), ONYX_INVALID_ARGUMENT, {"'output_count'"});
  ExpectError(OnyxRun(s.get(), nullptr, kAB, inputs, 2, nullptr, 2, outs), ONYX_INVALID_ARGUMENT,
              {"'output_count'", "1 outputs"});
  const OnyxValue* with_null[] = {a.get(), nullptr};
  ExpectError(OnyxRun(s.get(), nullptr, kAB, with_null, 2, out_names, 1, outs), ONYX_INVALID_ARGUMENT,
              {"'inputs[1]'", "'B'"});
  const char* null_name[] = {"A", nullptr};
  ExpectError(OnyxRun(s.get(), nullptr, null_name, inputs, 2, out_names, 1, outs), ONYX_INVALID_ARGUMENT,
              {"'input_names[1]'"});
  const char* dup[] = {"A", "A"};
  ExpectError(OnyxRun(s.get(), nullptr, dup, inputs, 2, out_names, 1, outs), ONYX_INVALID_ARGUMENT,
              {"'input_names[1]'", "repeats"});
  const char* null_out[] = {nullptr};
  ExpectError(OnyxRun(s.get(), nullptr, kAB, inputs, 2, null_out, 1, outs), ONYX_INVALID_ARGUMENT,
              {"'output_names[0]'"});

  // Errors the session finds: an unknown input, a missing input, an unknown output, a wrong type, a wrong dim.
  const char* unknown[] = {"A", "Z"};
  StatusPtr st(OnyxRun(s.get(), nullptr, unknown, inputs, 2, out_names, 1, outs));
  ASSERT_NE(st, nullptr);
  EXPECT_NE(std::string(OnyxStatusGetMessage(st.get())).find("Z"), std::string::npos) << OnyxStatusGetMessage(st.get());
  EXPECT_EQ(outs[0], nullptr);
  StatusPtr missing(OnyxRun(s.get(), nullptr, kAB, inputs, 1, out_names, 1, outs));
  ASSERT_NE(missing, nullptr);
  EXPECT_NE(std::string(OnyxStatusGetMessage(missing.get())).find("B"), std::string::npos);
  const char* bad_out[] = {"nope"};
  StatusPtr no_out(OnyxRun(s.get(), nullptr, kAB, inputs, 2, bad_out, 1, outs));
  ASSERT_NE(no_out, nullptr);
  EXPECT_NE(std::string(OnyxStatusGetMessage(no_out.get())).find("nope"), std::string::npos);

  std::vector<int64_t> ints(6, 1);
  const int64_t shape[] = {2, 3};
  OnyxValue* iv = nullptr;
  ASSERT_OK(OnyxCreateTensor(ONYX_ELEMENT_TYPE_INT64, shape, 2, ints.data(), 48, &iv));
  ValuePtr int_value(iv);
  const OnyxValue* wrong_type[] = {a.get(), iv};
  StatusPtr type_st(OnyxRun(s.get(), nullptr, kAB, wrong_type, 2, out_names, 1, outs));
  ASSERT_NE(type_st, nullptr);
  std::string type_msg = OnyxStatusGetMessage(type_st.get());
  EXPECT_NE(type_msg.find("B"), std::string::npos) << type_msg;
  EXPECT_NE(type_msg.find("int64"), std::string::npos) << type_msg;

  ValuePtr wrong_dim = FloatTensor({2, 4}, std::vector<float>(8, 0));
  const OnyxValue* wrong_shape[] = {a.get(), wrong_dim.get()};
  StatusPtr dim_st(OnyxRun(s.get(), nullptr, kAB, wrong_shape, 2, out_names, 1, outs));
  ASSERT_NE(dim_st, nullptr);
  EXPECT_NE(std::string(OnyxStatusGetMessage(dim_st.get())).find("B"), std::string::npos);
  EXPECT_EQ(outs[0], nullptr);
}

TEST(CApi, TensorCreationErrors) {
  const int64_t shape[] = {2, 3};
  float data[6] = {};
  OnyxValue* v = reinterpret_cast<OnyxValue*>(0x1);
  ExpectError(OnyxCreateTensor(ONYX_ELEMENT_TYPE_FLOAT, shape, 2, data, 24, nullptr), ONYX_INVALID_ARGUMENT,
              {"OnyxCreateTensor", "'out'"});
  ExpectError(OnyxCreateTensor(ONYX_ELEMENT_TYPE_UNDEFINED, shape, 2, data, 24, &v), ONYX_INVALID_ARGUMENT, {"'type'"});
  EXPECT_EQ(v, nullptr);
  ExpectError(OnyxCreateTensor(static_cast<OnyxElementType>(77), shape, 2, data, 24, &v), ONYX_INVALID_ARGUMENT,
              {"'type'", "77"});
  ExpectError(OnyxCreateTensor(ONYX_ELEMENT_TYPE_STRING, shape, 2, data, 24, &v), ONYX_INVALID_ARGUMENT,
              {"'type'", "OnyxCreateStringTensor"});
  ExpectError(OnyxCreateTensor(ONYX_ELEMENT_TYPE_FLOAT, nullptr, 2, data, 24, &v), ONYX_INVALID_ARGUMENT, {"'shape'"});
  const int64_t negative[] = {2, -3};
  ExpectError(OnyxCreateTensor(ONYX_ELEMENT_TYPE_FLOAT, negative, 2, data, 24, &v), ONYX_INVALID_ARGUMENT,
              {"'shape'", "-3"});
  ExpectError(OnyxCreateTensor(ONYX_ELEMENT_TYPE_FLOAT, shape, 2, data, 20, &v), ONYX_INVALID_ARGUMENT,
              {"'data_bytes'", "20", "24"});
  ExpectError(OnyxCreateTensor(ONYX_ELEMENT_TYPE_FLOAT, shape, 2, nullptr, 24, &v), ONYX_INVALID_ARGUMENT, {"'data'"});
  const int64_t huge[] = {std::numeric_limits<int64_t>::max(), 4};
  ExpectError(OnyxCreateTensor(ONYX_ELEMENT_TYPE_FLOAT, huge, 2, data, 24, &v), ONYX_INVALID_ARGUMENT, {"'shape'"});
  const int64_t big[] = {int64_t{1} << 40, int64_t{1} << 10};
  ExpectError(OnyxCreateTensorZeroed(ONYX_ELEMENT_TYPE_FLOAT, big, 2, &v), ONYX_INVALID_ARGUMENT, {});
  ExpectError(OnyxCreateTensor(ONYX_ELEMENT_TYPE_FLOAT, shape, 5000, data, 24, &v), ONYX_INVALID_ARGUMENT, {"'rank'"});
  ExpectError(OnyxCreateTensorWrapping(ONYX_ELEMENT_TYPE_FLOAT, shape, 2, data, 23, &v), ONYX_INVALID_ARGUMENT,
              {"OnyxCreateTensorWrapping", "'data_bytes'"});
  ExpectError(OnyxCreateTensorWrapping(ONYX_ELEMENT_TYPE_FLOAT, shape, 2, nullptr, 24, &v), ONYX_INVALID_ARGUMENT,
              {"'data'"});
  EXPECT_EQ(v, nullptr);

  // Scalars and empty tensors are fine, with NULL shape / data where nothing is to be read.
  float one = 1.5f;
  ASSERT_OK(OnyxCreateTensor(ONYX_ELEMENT_TYPE_FLOAT, nullptr, 0, &one, 4, &v));
  ValuePtr scalar(v);
  EXPECT_EQ(ReadDims(v), std::vector<int64_t>{});
  EXPECT_EQ(ReadFloats(v), std::vector<float>{1.5f});
  const int64_t empty_shape[] = {0, 3};
  ASSERT_OK(OnyxCreateTensor(ONYX_ELEMENT_TYPE_FLOAT, empty_shape, 2, nullptr, 0, &v));
  ValuePtr empty(v);
  int64_t count = -1;
  ASSERT_OK(OnyxTensorGetElementCount(v, &count));
  EXPECT_EQ(count, 0);

  // Packed 4-bit elements: three of them need two bytes.
  const int64_t three[] = {3};
  ASSERT_OK(OnyxCreateTensorZeroed(ONYX_ELEMENT_TYPE_INT4, three, 1, &v));
  ValuePtr int4(v);
  size_t bytes = 0;
  ASSERT_OK(OnyxTensorGetDataBytes(v, &bytes));
  EXPECT_EQ(bytes, 2u);
  const unsigned char packed[2] = {0x21, 0x03};
  ASSERT_OK(OnyxCreateTensor(ONYX_ELEMENT_TYPE_UINT4, three, 1, packed, 2, &v));
  ValuePtr uint4(v);
}

TEST(CApi, TensorAccessorErrors) {
  ValuePtr f = FloatTensor({2}, {1, 2});
  OnyxElementType type;
  int64_t dims[3];
  const char* s = nullptr;
  const void* p = nullptr;
  ExpectError(OnyxTensorGetElementType(nullptr, &type), ONYX_INVALID_ARGUMENT, {"'value'"});
  ExpectError(OnyxTensorGetElementType(f.get(), nullptr), ONYX_INVALID_ARGUMENT, {"'out'"});
  ExpectError(OnyxTensorGetDims(f.get(), dims, 3), ONYX_INVALID_ARGUMENT, {"'dims_count'", "rank 1"});
  ExpectError(OnyxTensorGetDims(f.get(), nullptr, 1), ONYX_INVALID_ARGUMENT, {"'dims'"});
  ExpectError(OnyxTensorGetString(f.get(), 0, &s, nullptr), ONYX_INVALID_ARGUMENT, {"not a string tensor"});
  ExpectError(OnyxTensorGetData(nullptr, &p), ONYX_INVALID_ARGUMENT, {"'value'"});
  ExpectError(OnyxValueGetKind(nullptr, nullptr), ONYX_INVALID_ARGUMENT, {"'value'"});
  OnyxReleaseValue(nullptr);  // a no-op

  // Tensor accessors on a sequence, sequence accessors on a tensor.
  const OnyxValue* items[] = {f.get()};
  OnyxValue* seq = nullptr;
  ASSERT_OK(OnyxCreateSequence(items, 1, ONYX_ELEMENT_TYPE_UNDEFINED, &seq));
  ValuePtr seq_owner(seq);
  ExpectError(OnyxTensorGetData(seq, &p), ONYX_INVALID_ARGUMENT, {"not a tensor"});
  size_t len = 0;
  ExpectError(OnyxSequenceGetLength(f.get(), &len), ONYX_INVALID_ARGUMENT, {"not a sequence"});
  int has = 0;
  ExpectError(OnyxOptionalHasElement(f.get(), &has), ONYX_INVALID_ARGUMENT, {"not an optional"});
}

TEST(CApi, StringTensors) {
  const int64_t shape[] = {3};
  const char* strings[] = {"hello", "", "world"};
  OnyxValue* v = nullptr;
  ASSERT_OK(OnyxCreateStringTensor(shape, 1, strings, nullptr, 3, &v));
  ValuePtr owner(v);
  OnyxElementType type;
  ASSERT_OK(OnyxTensorGetElementType(v, &type));
  EXPECT_EQ(type, ONYX_ELEMENT_TYPE_STRING);
  const char* s = nullptr;
  size_t len = 99;
  ASSERT_OK(OnyxTensorGetString(v, 2, &s, &len));
  EXPECT_STREQ(s, "world");
  EXPECT_EQ(len, 5u);
  ASSERT_OK(OnyxTensorGetString(v, 1, &s, nullptr));
  EXPECT_STREQ(s, "");
  ExpectError(OnyxTensorGetString(v, 3, &s, &len), ONYX_INVALID_ARGUMENT, {"'index'", "3 elements"});
  const void* p = nullptr;
  ExpectError(OnyxTensorGetData(v, &p), ONYX_INVALID_ARGUMENT, {"OnyxTensorGetString"});
  size_t bytes = 0;
  ExpectError(OnyxTensorGetDataBytes(v, &bytes), ONYX_INVALID_ARGUMENT, {"string tensor"});

  // Explicit lengths carry embedded NULs.
  const char raw[] = {'a', '\0', 'b'};
  const char* with_nul[] = {raw};
  const size_t lengths[] = {3};
  const int64_t one[] = {1};
  ASSERT_OK(OnyxCreateStringTensor(one, 1, with_nul, lengths, 1, &v));
  ValuePtr owner2(v);
  ASSERT_OK(OnyxTensorGetString(v, 0, &s, &len));
  EXPECT_EQ(len, 3u);
  EXPECT_EQ(std::memcmp(s, raw, 3), 0);

  ExpectError(OnyxCreateStringTensor(shape, 1, strings, nullptr, 2, &v), ONYX_INVALID_ARGUMENT,
              {"'count'", "3 elements"});
  ExpectError(OnyxCreateStringTensor(shape, 1, nullptr, nullptr, 3, &v), ONYX_INVALID_ARGUMENT, {"'strings'"});
  const char* holes[] = {"a", nullptr, "c"};
  ExpectError(OnyxCreateStringTensor(shape, 1, holes, nullptr, 3, &v), ONYX_INVALID_ARGUMENT, {"'strings[1]'"});
  ExpectError(OnyxCreateStringTensor(shape, 1, strings, nullptr, 3, nullptr), ONYX_INVALID_ARGUMENT, {"'out'"});
}

TEST(CApi, StringTensorThroughIdentity) {
  OnyxSession* raw_session = nullptr;
  ASSERT_OK(OnyxCreateSessionFromBytes(kStringIdentityModel, sizeof(kStringIdentityModel), nullptr, &raw_session));
  SessionPtr s(raw_session);
  const int64_t shape[] = {2};
  const char* strings[] = {"onyx", "engine"};
  OnyxValue* v = nullptr;
  ASSERT_OK(OnyxCreateStringTensor(shape, 1, strings, nullptr, 2, &v));
  ValuePtr in(v);
  const char* names[] = {"S"};
  const OnyxValue* inputs[] = {v};
  OnyxValue* out = nullptr;
  ASSERT_OK(OnyxRun(s.get(), nullptr, names, inputs, 1, nullptr, 1, &out));
  ValuePtr t(out);
  const char* str = nullptr;
  ASSERT_OK(OnyxTensorGetString(out, 1, &str, nullptr));
  EXPECT_STREQ(str, "engine");
}

TEST(CApi, SequencesAndOptionals) {
  ValuePtr a = FloatTensor({2}, {1, 2});
  ValuePtr b = FloatTensor({3}, {3, 4, 5});
  const OnyxValue* items[] = {a.get(), b.get()};
  OnyxValue* seq = nullptr;
  ASSERT_OK(OnyxCreateSequence(items, 2, ONYX_ELEMENT_TYPE_FLOAT, &seq));
  ValuePtr seq_owner(seq);
  OnyxValueKind kind;
  ASSERT_OK(OnyxValueGetKind(seq, &kind));
  EXPECT_EQ(kind, ONYX_VALUE_KIND_SEQUENCE);
  size_t len = 0;
  ASSERT_OK(OnyxSequenceGetLength(seq, &len));
  EXPECT_EQ(len, 2u);
  OnyxValue* item = nullptr;
  ASSERT_OK(OnyxSequenceGetItem(seq, 1, &item));
  ValuePtr item_owner(item);
  EXPECT_EQ(ReadFloats(item), (std::vector<float>{3, 4, 5}));
  ExpectError(OnyxSequenceGetItem(seq, 2, &item), ONYX_INVALID_ARGUMENT, {"'index'", "2 items"});
  EXPECT_EQ(item, nullptr);

  OnyxValue* empty_seq = nullptr;
  ASSERT_OK(OnyxCreateSequence(nullptr, 0, ONYX_ELEMENT_TYPE_INT64, &empty_seq));
  ValuePtr empty_seq_owner(empty_seq);
  ASSERT_OK(OnyxSequenceGetLength(empty_seq, &len));
  EXPECT_EQ(len, 0u);

  std::vector<int64_t> ints = {1};
  const int64_t one[] = {1};
  OnyxValue* iv = nullptr;
  ASSERT_OK(OnyxCreateTensor(ONYX_ELEMENT_TYPE_INT64, one, 1, ints.data(), 8, &iv));
  ValuePtr iv_owner(iv);
  const OnyxValue* mixed[] = {a.get(), iv};
  ExpectError(OnyxCreateSequence(mixed, 2, ONYX_ELEMENT_TYPE_UNDEFINED, &seq), ONYX_INVALID_ARGUMENT,
              {"'items[1]'", "int64", "float"});
  ExpectError(OnyxCreateSequence(items, 2, ONYX_ELEMENT_TYPE_INT32, &seq), ONYX_INVALID_ARGUMENT, {"'items[0]'"});
  ExpectError(OnyxCreateSequence(nullptr, 2, ONYX_ELEMENT_TYPE_FLOAT, &seq), ONYX_INVALID_ARGUMENT, {"'items'"});
  const OnyxValue* holes[] = {a.get(), nullptr};
  ExpectError(OnyxCreateSequence(holes, 2, ONYX_ELEMENT_TYPE_FLOAT, &seq), ONYX_INVALID_ARGUMENT, {"'items[1]'"});
  const OnyxValue* nested[] = {seq_owner.get()};
  ExpectError(OnyxCreateSequence(nested, 1, ONYX_ELEMENT_TYPE_UNDEFINED, &seq), ONYX_INVALID_ARGUMENT,
              {"not a tensor"});
  ExpectError(OnyxCreateSequence(items, 2, static_cast<OnyxElementType>(99), &seq), ONYX_INVALID_ARGUMENT,
              {"'elem_type'"});

  OnyxValue* opt = nullptr;
  ASSERT_OK(OnyxCreateOptional(a.get(), &opt));
  ValuePtr opt_owner(opt);
  int has = 0;
  ASSERT_OK(OnyxOptionalHasElement(opt, &has));
  EXPECT_EQ(has, 1);
  OnyxValue* elem = nullptr;
  ASSERT_OK(OnyxOptionalGetElement(opt, &elem));
  ValuePtr elem_owner(elem);
  EXPECT_EQ(ReadFloats(elem), (std::vector<float>{1, 2}));
  void* p = nullptr;
  ExpectError(OnyxTensorGetMutableData(elem, &p), ONYX_INVALID_ARGUMENT, {"copy"});

  OnyxValue* none = nullptr;
  ASSERT_OK(OnyxCreateOptional(nullptr, &none));
  ValuePtr none_owner(none);
  ASSERT_OK(OnyxOptionalHasElement(none, &has));
  EXPECT_EQ(has, 0);
  ExpectError(OnyxOptionalGetElement(none, &elem), ONYX_INVALID_ARGUMENT, {"empty optional"});
  ExpectError(OnyxCreateOptional(opt, &elem), ONYX_INVALID_ARGUMENT, {"itself an optional"});
}

// The session's limits are config entries (docs/RELIABILITY.md, "Limits"): the C API reaches them without
// functions of its own.
TEST(CApi, LimitsThroughConfigEntries) {
  OnyxSessionOptions* o = nullptr;
  ASSERT_OK(OnyxCreateSessionOptions(&o));
  std::unique_ptr<OnyxSessionOptions, void (*)(OnyxSessionOptions*)> owner(o, OnyxReleaseSessionOptions);
  OnyxSession* raw = nullptr;
  ASSERT_OK(OnyxSessionOptionsAddConfigEntry(o, "session.max_nodes", "0"));
  ExpectError(OnyxCreateSessionFromBytes(kAddModel, sizeof(kAddModel), o, &raw), ONYX_INVALID_ARGUMENT,
              {"config session.max_nodes must be a whole number from 1 to", "got '0'"});
  ASSERT_OK(OnyxSessionOptionsAddConfigEntry(o, "session.max_nodes", "1"));
  ASSERT_OK(OnyxSessionOptionsAddConfigEntry(o, "session.max_tensor_bytes", "24"));
  ASSERT_OK(OnyxCreateSessionFromBytes(kAddModel, sizeof(kAddModel), o, &raw));
  SessionPtr s(raw);
  // C = A + B of float[N,3]: 24 bytes at N = 2, 48 at N = 4.
  ValuePtr a = FloatTensor({4, 3}, std::vector<float>(12, 1.0f));
  ValuePtr b = FloatTensor({4, 3}, std::vector<float>(12, 2.0f));
  const OnyxValue* inputs[] = {a.get(), b.get()};
  OnyxValue* out = nullptr;
  ExpectError(OnyxRun(s.get(), nullptr, kAB, inputs, 2, nullptr, 1, &out), ONYX_INVALID_ARGUMENT,
              {"needs 48 bytes, over the limit of 24 (session.max_tensor_bytes)"});
  ValuePtr a2 = FloatTensor({2, 3}, std::vector<float>(6, 1.0f));
  ValuePtr b2 = FloatTensor({2, 3}, std::vector<float>(6, 2.0f));
  const OnyxValue* inputs2[] = {a2.get(), b2.get()};
  ASSERT_OK(OnyxRun(s.get(), nullptr, kAB, inputs2, 2, nullptr, 1, &out));
  ValuePtr c(out);
  EXPECT_EQ(ReadFloats(c.get()), std::vector<float>(6, 3.0f));
}

}  // namespace

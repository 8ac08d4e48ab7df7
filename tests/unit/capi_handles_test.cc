// The C API's handle tags (src/capi/capi_internal.h): C converts any pointer to any other with a cast, so a session
// passed where a value is expected (or options where a session is) must be refused with INVALID_ARGUMENT naming the
// argument and both types, not read as the wrong struct. Release functions leave such a handle alone.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "onyx/onyx_c_api.h"
#include "unit/test_models.h"

namespace {

struct StatusDeleter {
  void operator()(OnyxStatus* s) const { OnyxReleaseStatus(s); }
};
using StatusPtr = std::unique_ptr<OnyxStatus, StatusDeleter>;

// The error `raw` must be: INVALID_ARGUMENT whose message holds every part.
void ExpectRefused(OnyxStatus* raw, const std::vector<std::string>& parts) {
  StatusPtr st(raw);
  ASSERT_NE(st, nullptr) << "expected a refusal containing '" << parts.at(0) << "'";
  EXPECT_EQ(OnyxStatusGetCode(st.get()), ONYX_INVALID_ARGUMENT) << OnyxStatusGetMessage(st.get());
  const std::string message = OnyxStatusGetMessage(st.get());
  for (const std::string& part : parts) {
    EXPECT_NE(message.find(part), std::string::npos) << "message '" << message << "' lacks '" << part << "'";
  }
}

struct Handles {
  OnyxSession* session = nullptr;
  OnyxValue* value = nullptr;
  OnyxSessionOptions* options = nullptr;
  OnyxRunOptions* run_options = nullptr;
  Handles() {
    const std::string bytes = onyx::test::Serialize(onyx::test::AddReluModel());
    StatusPtr a(OnyxCreateSessionFromBytes(bytes.data(), bytes.size(), nullptr, &session));
    EXPECT_EQ(a, nullptr) << OnyxStatusGetMessage(a.get());
    const int64_t shape[] = {2};
    const float data[] = {1, -1};
    StatusPtr b(OnyxCreateTensor(ONYX_ELEMENT_TYPE_FLOAT, shape, 1, data, sizeof(data), &value));
    StatusPtr c(OnyxCreateSessionOptions(&options));
    StatusPtr d(OnyxCreateRunOptions(&run_options));
    EXPECT_TRUE(session && value && options && run_options);
  }
  ~Handles() {
    OnyxReleaseSession(session);
    OnyxReleaseValue(value);
    OnyxReleaseSessionOptions(options);
    OnyxReleaseRunOptions(run_options);
  }
};

template <typename To, typename From>
To* As(From* p) {
  return reinterpret_cast<To*>(p);
}

TEST(CApiHandles, OneHandleTypePassedAsAnotherIsRefused) {
  Handles h;
  ASSERT_NE(h.session, nullptr);
  OnyxValueKind kind;
  ExpectRefused(OnyxValueGetKind(As<OnyxValue>(h.session), &kind),
                {"OnyxValueGetKind", "argument 'value'", "is an OnyxSession, not an OnyxValue"});
  const void* data = nullptr;
  ExpectRefused(OnyxTensorGetData(As<OnyxValue>(h.options), &data), {"is an OnyxSessionOptions, not an OnyxValue"});
  size_t count = 0;
  ExpectRefused(OnyxSessionGetInputCount(As<OnyxSession>(h.value), &count),
                {"OnyxSessionGetInputCount", "argument 'session'", "is an OnyxValue, not an OnyxSession"});
  ExpectRefused(OnyxSessionOptionsSetIntraOpThreads(As<OnyxSessionOptions>(h.run_options), 1),
                {"is an OnyxRunOptions, not an OnyxSessionOptions"});
  const std::string bytes = onyx::test::Serialize(onyx::test::AddReluModel());
  OnyxSession* other = nullptr;
  ExpectRefused(OnyxCreateSessionFromBytes(bytes.data(), bytes.size(), As<OnyxSessionOptions>(h.value), &other),
                {"argument 'options'", "is an OnyxValue, not an OnyxSessionOptions"});
  EXPECT_EQ(other, nullptr);
  // Run: the session, the run options and each input are checked.
  const char* names[] = {"X"};
  const OnyxValue* inputs[] = {h.value};
  OnyxValue* outputs[1] = {};
  ExpectRefused(OnyxRun(As<OnyxSession>(h.options), nullptr, names, inputs, 1, nullptr, 1, outputs),
                {"argument 'session'", "is an OnyxSessionOptions"});
  ExpectRefused(OnyxRun(h.session, As<OnyxRunOptions>(h.value), names, inputs, 1, nullptr, 1, outputs),
                {"argument 'run_options'", "is an OnyxValue, not an OnyxRunOptions"});
  const OnyxValue* wrong_inputs[] = {As<OnyxValue>(h.session)};
  ExpectRefused(OnyxRun(h.session, nullptr, names, wrong_inputs, 1, nullptr, 1, outputs),
                {"argument 'inputs[0]'", "is an OnyxSession, not an OnyxValue"});
  const OnyxValue* items[] = {h.value, As<OnyxValue>(h.run_options)};
  OnyxValue* seq = nullptr;
  ExpectRefused(OnyxCreateSequence(items, 2, ONYX_ELEMENT_TYPE_UNDEFINED, &seq),
                {"argument 'items[1]'", "is an OnyxRunOptions, not an OnyxValue"});
  OnyxValue* opt = nullptr;
  ExpectRefused(OnyxCreateOptional(As<OnyxValue>(h.session), &opt), {"argument 'element'", "is an OnyxSession"});
  // Something that is no handle at all.
  std::vector<unsigned char> junk(256, 0xab);
  ExpectRefused(OnyxValueGetKind(reinterpret_cast<const OnyxValue*>(junk.data()), &kind),
                {"is not an OnyxValue handle"});
  // The right handles still work.
  StatusPtr ok(OnyxValueGetKind(h.value, &kind));
  EXPECT_EQ(ok, nullptr);
  EXPECT_EQ(kind, ONYX_VALUE_KIND_TENSOR);
}

TEST(CApiHandles, StatusGettersAndReleasesLeaveWrongHandlesAlone) {
  Handles h;
  ASSERT_NE(h.session, nullptr);
  // A status getter cannot return a status: it reports the mix-up as the code and message it reads.
  EXPECT_EQ(OnyxStatusGetCode(As<OnyxStatus>(h.value)), ONYX_INVALID_ARGUMENT);
  EXPECT_NE(std::string(OnyxStatusGetMessage(As<OnyxStatus>(h.session))).find("not an OnyxStatus"),
            std::string::npos);
  // Releasing a handle as another type frees nothing (ASan would report a free of the wrong size or a double
  // free at the end of this test otherwise); each is still usable afterwards.
  testing::internal::CaptureStderr();
  OnyxReleaseValue(As<OnyxValue>(h.session));
  OnyxReleaseSession(As<OnyxSession>(h.value));
  OnyxReleaseSessionOptions(As<OnyxSessionOptions>(h.run_options));
  OnyxReleaseRunOptions(As<OnyxRunOptions>(h.options));
  OnyxReleaseStatus(As<OnyxStatus>(h.value));
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("OnyxReleaseValue: argument 'handle' is an OnyxSession, not an OnyxValue"), std::string::npos)
      << err;
  EXPECT_NE(err.find("OnyxReleaseStatus: argument 'status' is an OnyxValue, not an OnyxStatus"), std::string::npos)
      << err;
  size_t count = 0;
  StatusPtr a(OnyxSessionGetInputCount(h.session, &count));
  EXPECT_EQ(a, nullptr);
  EXPECT_EQ(count, 1u);
  OnyxValueKind kind;
  StatusPtr b(OnyxValueGetKind(h.value, &kind));
  EXPECT_EQ(b, nullptr);
}

}  // namespace

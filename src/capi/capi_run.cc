// C API: OnyxRun. Every pointer and count the caller passes is checked before the session sees anything.
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "capi/capi_internal.h"

using onyx::capi::ArgError;
using onyx::capi::FromStatus;
using onyx::capi::Guard;

namespace {

std::string Indexed(const char* array, size_t i) { return std::string(array) + "[" + std::to_string(i) + "]"; }

}  // namespace

extern "C" {

OnyxStatus* OnyxRun(const OnyxSession* session, const OnyxRunOptions* run_options, const char* const* input_names,
                    const OnyxValue* const* inputs, size_t input_count, const char* const* output_names,
                    size_t output_count, OnyxValue** outputs) {
  constexpr const char* kFn = "OnyxRun";
  return Guard(kFn, [&]() -> OnyxStatus* {
    // Clear the slots first so that a caller who releases them after any failure releases nothing.
    if (outputs != nullptr) {
      for (size_t i = 0; i < output_count; ++i) outputs[i] = nullptr;
    }
    ONYX_CAPI_NOT_NULL(kFn, session);
    if (OnyxStatus* st = onyx::capi::CheckHandle(kFn, "run_options", run_options, /*may_be_null=*/true)) return st;
    if (output_count == 0) return ArgError(kFn, "output_count", "is 0; ask for at least one output");
    ONYX_CAPI_NOT_NULL(kFn, outputs);
    if (input_count > 0) {
      ONYX_CAPI_NOT_NULL(kFn, input_names);
      ONYX_CAPI_NOT_NULL(kFn, inputs);
    }
    const onyx::Session& s = *session->session;

    std::vector<std::pair<std::string, onyx::Value>> feeds;
    feeds.reserve(input_count);
    std::unordered_set<std::string_view> seen;
    for (size_t i = 0; i < input_count; ++i) {
      if (input_names[i] == nullptr) return ArgError(kFn, Indexed("input_names", i).c_str(), "is NULL");
      if (inputs[i] == nullptr) {
        return ArgError(kFn, Indexed("inputs", i).c_str(), std::string("is NULL (input '") + input_names[i] + "')");
      }
      if (OnyxStatus* st = onyx::capi::CheckHandle(kFn, Indexed("inputs", i).c_str(), inputs[i])) return st;
      if (!seen.insert(input_names[i]).second) {
        return ArgError(kFn, Indexed("input_names", i).c_str(), std::string("repeats input '") + input_names[i] + "'");
      }
      feeds.emplace_back(input_names[i], inputs[i]->value);
    }

    std::vector<std::string> names;
    if (output_names == nullptr) {
      if (output_count != s.outputs().size()) {
        return ArgError(kFn, "output_count",
                        "is " + std::to_string(output_count) + " but the model has " +
                            std::to_string(s.outputs().size()) + " outputs (output_names is NULL, so all are asked)");
      }
      for (const onyx::IoInfo& io : s.outputs()) names.push_back(io.name);
    } else {
      for (size_t i = 0; i < output_count; ++i) {
        if (output_names[i] == nullptr) return ArgError(kFn, Indexed("output_names", i).c_str(), "is NULL");
        names.emplace_back(output_names[i]);
      }
    }

    onyx::RunOptions options;
    if (run_options != nullptr) options.terminate = &run_options->terminate;
    std::vector<onyx::Value> results;
    if (OnyxStatus* st = FromStatus(kFn, s.Run(feeds, names, &results, options))) return st;
    if (results.size() != output_count) {
      return onyx::capi::MakeStatus(ONYX_ENGINE_ERROR, "OnyxRun: the session returned " +
                                                           std::to_string(results.size()) + " outputs for " +
                                                           std::to_string(output_count) + " asked");
    }

    // Build every handle before publishing any, so that an allocation failure leaves all slots NULL.
    std::vector<std::unique_ptr<OnyxValue>> handles;
    handles.reserve(output_count);
    for (onyx::Value& v : results) {
      auto h = std::make_unique<OnyxValue>();
      h->value = std::move(v);
      handles.push_back(std::move(h));
    }
    for (size_t i = 0; i < output_count; ++i) outputs[i] = handles[i].release();
    return nullptr;
  });
}

}  // extern "C"

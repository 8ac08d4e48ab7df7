// Fuzz target `model`: the bytes are a model file, taken through everything a user's file goes through before a
// run: parse, limits, IR build (initializers, subgraphs, model-local functions), validation, shape inference,
// the optimizer at every level (constant folding runs kernels on the file's initializers and attributes),
// partitioning and planning. Every outcome but a crash, a hang, a leak or a sanitizer report is fine.
#include "fuzz_common.h"
#include "format/model_loader.h"

namespace onyx::fuzz {

int FuzzModel(const uint8_t* data, size_t size) {
  InitOnce();
  SessionOptions options = FuzzSessionOptions();
  // Bytes that do not parse fail identically at every level: one try is enough.
  {
    proto::ModelProto mp;
    if (!format::ParseModelProto(data, size, &mp).ok()) return 0;
  }
  for (OptimizationLevel level : {OptimizationLevel::kDisabled, OptimizationLevel::kBasic,
                                  OptimizationLevel::kExtended, OptimizationLevel::kAll}) {
    options.optimization_level = level;
    auto session = Session::CreateFromBytes(data, size, options);
    if (session.ok()) {
      // The getters a caller reaches for first.
      (void)session.value()->inputs();
      (void)session.value()->outputs();
    }
  }
  return 0;
}

}  // namespace onyx::fuzz

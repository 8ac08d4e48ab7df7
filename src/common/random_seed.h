// The process-wide default seed of the random operators (onnxruntime.set_seed): a node without a `seed`
// attribute draws from a generator seeded by it, once it is set, instead of from the system's entropy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace onyx {

// Sets the default seed for kernels created from now on (sessions created or re-created afterwards); kernels
// already created keep their generators.
void SetDefaultRandomSeed(int64_t seed);
// The default seed, or nullopt while none was set.
std::optional<int64_t> DefaultRandomSeed();
// The seed a node named `node_name` starts from under `seed`: distinct nodes of one model draw distinct
// sequences, and the same model gets the same sequences in every session and process.
uint64_t DerivedRandomSeed(int64_t seed, const std::string& node_name);

}  // namespace onyx

#include "common/random_seed.h"

#include <atomic>

namespace onyx {

namespace {
std::atomic<bool> g_seed_set{false};
std::atomic<int64_t> g_seed{0};
}  // namespace

void SetDefaultRandomSeed(int64_t seed) {
  g_seed.store(seed);
  g_seed_set.store(true);
}

std::optional<int64_t> DefaultRandomSeed() {
  if (!g_seed_set.load()) return std::nullopt;
  return g_seed.load();
}

uint64_t DerivedRandomSeed(int64_t seed, const std::string& node_name) {
  // FNV-1a over the name, then mixed with the seed (splitmix64's finalizer): std::hash is not specified to give
  // the same value in every build, and the sequences should not depend on the build.
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : node_name) {
    h ^= c;
    h *= 1099511628211ull;
  }
  uint64_t z = h ^ static_cast<uint64_t>(seed);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace onyx

// Every input a fuzz target ever crashed on (tests/fuzz/regressions/<target>/), replayed through the target's
// function in the ordinary build, so a fixed finding stays fixed without clang. A crash fails the whole test
// program; the expectations below also check that each folder holds the findings the docs count.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_common.h"

namespace onyx::fuzz {
namespace {

namespace fs = std::filesystem;

using TargetFn = int (*)(const uint8_t*, size_t);

// Replays every file under the target's folder; returns how many ran.
int ReplayAll(const std::string& target, TargetFn fn) {
  fs::path dir = fs::path(ONYX_SOURCE_DIR) / "tests" / "fuzz" / "regressions" / target;
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file()) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    SCOPED_TRACE(f.string());
    std::ifstream in(f, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(fn(bytes.data(), bytes.size()), 0);
  }
  return static_cast<int>(files.size());
}

TEST(FuzzRegressions, Model) { EXPECT_GE(ReplayAll("model", FuzzModel), 0); }
TEST(FuzzRegressions, Run) { EXPECT_GE(ReplayAll("run", FuzzRun), 0); }
TEST(FuzzRegressions, Tensor) { EXPECT_GE(ReplayAll("tensor", FuzzTensor), 0); }
TEST(FuzzRegressions, Capi) { EXPECT_GE(ReplayAll("capi", FuzzCapi), 0); }

}  // namespace
}  // namespace onyx::fuzz

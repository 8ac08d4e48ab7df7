// What the fuzz targets share: a reader that turns the fuzzer's bytes into choices, the options every target
// uses, and where the seed models are. Each target is a function `int Fuzz<Name>(const uint8_t*, size_t)` in
// its own <name>_target.cc; tests/fuzz/CMakeLists.txt wraps each in LLVMFuzzerTestOneInput for libFuzzer, and
// tests/unit/fuzz_regressions_test.cc replays tests/fuzz/regressions/<name>/ through the same functions in the
// ordinary build (no clang needed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "session/session.h"

namespace onyx::fuzz {

// Reads choices off the front of the input. Past the end every read gives zero, so any input is a complete
// program: the fuzzer never needs to learn a length.
class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint32_t U32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t{Byte()} << (8 * i);
    return v;
  }
  uint64_t U64() { return uint64_t{U32()} | (uint64_t{U32()} << 32); }
  // The bytes up to the next '\n' (consumed, not returned), at most `max`.
  std::string Line(size_t max = 256) {
    std::string s;
    while (pos_ < size_ && s.size() < max) {
      char c = static_cast<char>(data_[pos_++]);
      if (c == '\n') break;
      s.push_back(c);
    }
    return s;
  }
  // Up to `n` bytes (fewer at the end).
  std::string_view Take(size_t n) {
    size_t k = std::min(n, size_ - pos_);
    std::string_view v(reinterpret_cast<const char*>(data_ + pos_), k);
    pos_ += k;
    return v;
  }
  size_t remaining() const { return size_ - pos_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// Called once per process: logging off (refusals come by the thousand), nothing else.
void InitOnce();

// Session options for fuzzing: one thread, logging off, and limits small enough that a legal but huge model
// (a ConstantOfShape of 10 GB folded at creation) is refused by Onyx's own limit rather than tripping
// libFuzzer's malloc limit (2 GB), which would report it as a crash: how the limits behave is tested elsewhere
// (tests/unit/limits_test.cc), the fuzzer looks for what gets past them.
SessionOptions FuzzSessionOptions();

// The folder holding the ONNX backend suite (its node/, simple/, ... folders): $ONYX_FUZZ_ONNX_TESTS, else
// ../shared/onnx-tests next to the source tree.
std::string OnnxTestsDir();

int FuzzModel(const uint8_t* data, size_t size);
int FuzzRun(const uint8_t* data, size_t size);
int FuzzTensor(const uint8_t* data, size_t size);
int FuzzCapi(const uint8_t* data, size_t size);

}  // namespace onyx::fuzz

// Fuzz target `tensor`: the parsers of values that come from files. The first byte picks one:
//   0 TensorProto, external data allowed: its `external_data` entries (location, offset, length) are resolved
//     in a scratch folder holding a few data files, a subfolder and a link that points out of the folder
//   1 TensorProto without a folder (as for a model loaded from memory)
//   2 SequenceProto   3 OptionalProto   4 MapProto   5 a NumPy .npy file
// the rest of the input is the file. Errors are expected; a crash, a leak or a sanitizer report is a bug, and
// so is data read through the link that leads outside the folder (checked here: the outside file holds a byte
// pattern that no file inside holds).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <string>

#include "format/tensor_proto.h"
#include "fuzz_common.h"

namespace onyx::fuzz {
namespace {

namespace fs = std::filesystem;

constexpr char kOutsideByte = '\x5A';

void WriteFile(const fs::path& path, size_t size, char fill) {
  std::ofstream out(path, std::ios::binary);
  std::string bytes(size, fill);
  for (size_t i = 0; i < size; ++i) bytes[i] = fill == kOutsideByte ? kOutsideByte : static_cast<char>(i * 7 + 1);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The scratch folder, made once: weights.bin (4 KiB), sub/more.bin (100 B), empty.bin (0 B), and escape.bin, a
// link to <folder>_outside/secret.bin, a sibling folder whose name starts like the scratch folder's.
const std::string& ScratchDir() {
  static const std::string dir = [] {
    fs::path base = fs::temp_directory_path() / ("onyx_fuzz_ext_" + std::to_string(::getpid()));
    fs::path outside = base.string() + "_outside";
    std::error_code ec;
    fs::create_directories(base / "sub", ec);
    fs::create_directories(outside, ec);
    WriteFile(base / "weights.bin", 4096, 0);
    WriteFile(base / "sub" / "more.bin", 100, 0);
    WriteFile(base / "empty.bin", 0, 0);
    WriteFile(outside / "secret.bin", 256, kOutsideByte);
    fs::create_symlink(outside / "secret.bin", base / "escape.bin", ec);
    std::atexit([] {
      std::error_code e;
      fs::path b = fs::temp_directory_path() / ("onyx_fuzz_ext_" + std::to_string(::getpid()));
      fs::remove_all(b, e);
      fs::remove_all(b.string() + "_outside", e);
    });
    return base.string();
  }();
  return dir;
}

void CheckNotOutside(const Tensor& t) {
  if (t.type() == DataType::kString || t.raw() == nullptr) return;
  const int64_t bytes = StorageBytes(t.type(), t.size());
  if (bytes < 16) return;
  const auto* p = static_cast<const char*>(t.raw());
  for (int64_t i = 0; i < bytes; ++i) {
    if (p[i] != kOutsideByte) return;
  }
  std::fprintf(stderr, "tensor target: external data was read from outside the model's folder\n");
  std::abort();
}

Limits FuzzLimits() {
  Limits l;
  l.max_tensor_bytes = int64_t{64} << 20;
  l.max_string_bytes = int64_t{1} << 20;
  return l;
}

}  // namespace

int FuzzTensor(const uint8_t* data, size_t size) {
  InitOnce();
  if (size == 0) return 0;
  const uint8_t kind = data[0] % 6;
  const auto* body = reinterpret_cast<const char*>(data + 1);
  const int body_size = static_cast<int>(size - 1);
  switch (kind) {
    case 0:
    case 1: {
      proto::TensorProto tp;
      if (!tp.ParseFromArray(body, body_size)) return 0;
      format::ExternalDataResolver resolver(ScratchDir(), FuzzLimits());
      auto t = format::TensorFromProto(tp, kind == 0 ? &resolver : nullptr, FuzzLimits());
      if (t.ok()) {
        // Only data that came through the resolver is suspect: a raw_data field may hold the outside file's byte
        // pattern itself (the fuzzer wrote 16 of them once).
        if (kind == 0 && tp.data_location() == proto::TensorProto::EXTERNAL) CheckNotOutside(t.value());
        proto::TensorProto back;
        format::TensorToProto(t.value(), &back);
      }
      break;
    }
    case 2: {
      proto::SequenceProto sp;
      if (sp.ParseFromArray(body, body_size)) (void)format::ValueFromSequenceProto(sp);
      break;
    }
    case 3: {
      proto::OptionalProto op;
      if (op.ParseFromArray(body, body_size)) (void)format::ValueFromOptionalProto(op);
      break;
    }
    case 4: {
      proto::MapProto mp;
      if (mp.ParseFromArray(body, body_size)) (void)format::ValueFromMapProto(mp);
      break;
    }
    default:
      (void)format::ReadNpyBytes(body, static_cast<size_t>(body_size));
      break;
  }
  return 0;
}

}  // namespace onyx::fuzz

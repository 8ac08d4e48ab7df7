// Conversion between TensorProto (and the test-data containers) and runtime Tensors/Values.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "common/limits.h"
#include "common/status.h"
#include "format/mapped_file.h"
#include "framework/value.h"
#include "ir/type.h"
#include "onnx.pb.h"

namespace onyx::format {

// Resolves TensorProto external data inside one folder. Files are mapped once and shared by every tensor
// read from them; paths that are absolute or climb out of the folder are refused, and so is reading more than
// limits.max_external_data_bytes in all.
class ExternalDataResolver {
 public:
  explicit ExternalDataResolver(std::string base_dir, const Limits& limits = {})
      : base_dir_(std::move(base_dir)), max_total_(limits.max_external_data_bytes) {}
  // Returns a buffer holding `length` bytes at `offset` of `location` (length -1: to the end of the file).
  Result<std::shared_ptr<Buffer>> Read(const std::string& location, int64_t offset, int64_t length);
  const std::string& base_dir() const { return base_dir_; }

 private:
  std::string base_dir_;
  std::map<std::string, std::shared_ptr<MappedFile>> files_;
  int64_t max_total_;
  int64_t total_ = 0;  // bytes handed out so far
};

// Checks a relative external-data location and joins it to base_dir; refuses escapes.
Result<std::string> ResolveExternalPath(const std::string& base_dir, const std::string& location);

// `resolver` may be null (then external data is an error). The proto may be modified: raw_data is moved out
// of it rather than copied. A tensor over limits.max_tensor_bytes, or holding a string over
// limits.max_string_bytes, is refused.
Result<Tensor> TensorFromProto(proto::TensorProto& tp, ExternalDataResolver* resolver, const Limits& limits = {});
void TensorToProto(const Tensor& t, proto::TensorProto* tp);

Result<Value> ValueFromSequenceProto(proto::SequenceProto& sp);
Result<Value> ValueFromOptionalProto(proto::OptionalProto& op);
Result<Value> ValueFromMapProto(proto::MapProto& mp);

// Reads a test-data file (.pb) as the message the expected type calls for: TensorProto for tensors (and
// unknown types), SequenceProto, OptionalProto or MapProto otherwise.
Result<Value> ReadValueFile(const std::string& path, const ir::Type& expected);
Status WriteTensorFile(const std::string& path, const Tensor& t);
// Reads a NumPy .npy file (little-endian, C order; the types ONNX has).
Result<Tensor> ReadNpyFile(const std::string& path);
// The same from the bytes of such a file.
Result<Tensor> ReadNpyBytes(const void* data, size_t size);

}  // namespace onyx::format

#include "format/tensor_proto.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <utility>

#include "common/checked_math.h"
#include "framework/bool_bytes.h"
#include "framework/host_memory.h"

namespace onyx::format {

namespace fs = std::filesystem;

// raw_data at least this large gives freed heap memory back when it is freed (TensorFromProto).
constexpr size_t kLargeFileBytes = size_t{1} << 20;

Result<std::string> ResolveExternalPath(const std::string& base_dir, const std::string& location) {
  if (location.empty()) return InvalidArgument("external data location is empty");
  if (location.find('\0') != std::string::npos) return InvalidArgument("external data location contains NUL");
  fs::path rel(location);
  if (rel.is_absolute() || rel.has_root_name() || rel.has_root_directory()) {
    return InvalidArgument("external data location '", location, "' is absolute; only paths inside the model's folder are allowed");
  }
  for (const auto& part : rel) {
    if (part == "..") {
      return InvalidArgument("external data location '", location, "' climbs out of the model's folder with '..'");
    }
  }
  if (base_dir.empty()) {
    return InvalidArgument("external data '", location, "' needs the model's folder, but the model was loaded from memory");
  }
  fs::path full = fs::path(base_dir) / rel;
  // Symbolic links could still lead outside: compare canonical forms, component by component (a text prefix
  // would let a link into "/models/a_other" pass for the folder "/models/a"). A path that cannot be resolved is
  // refused rather than trusted.
  std::error_code ec;
  fs::path canon_base = fs::weakly_canonical(base_dir, ec);
  fs::path canon_full;
  if (!ec) canon_full = fs::weakly_canonical(full, ec);
  if (ec) {
    return InvalidArgument("external data location '", location, "' cannot be resolved: ", ec.message());
  }
  fs::path inside = canon_full.lexically_relative(canon_base);
  if (inside.empty() || *inside.begin() == "..") {
    return InvalidArgument("external data location '", location, "' resolves outside the model's folder");
  }
  return full.string();
}

Result<std::shared_ptr<Buffer>> ExternalDataResolver::Read(const std::string& location, int64_t offset,
                                                           int64_t length) {
  ONYX_ASSIGN_OR_RETURN(std::string path, ResolveExternalPath(base_dir_, location));
  auto it = files_.find(path);
  if (it == files_.end()) {
    auto opened = MappedFile::Open(path);
    if (!opened.ok()) return opened.status().WithContext("external data");
    it = files_.emplace(path, opened.take()).first;
  }
  std::shared_ptr<MappedFile> file = it->second;
  auto size = static_cast<int64_t>(file->size());
  if (offset < 0 || offset > size) {
    return InvalidArgument("external data offset ", offset, " is outside '", location, "' (", size, " bytes)");
  }
  if (length < 0) length = size - offset;
  int64_t end = 0;
  if (!CheckedAdd(offset, length, &end) || end > size) {
    return InvalidArgument("external data range [", offset, ", +", length, ") is outside '", location, "' (",
                           size, " bytes)");
  }
  // Each tensor that reads a range counts, even a range read before: unaligned ranges are copied.
  int64_t total = 0;
  const bool overflow = !CheckedAdd(total_, length, &total);
  if (overflow || total > max_total_) {
    return InvalidGraph("external data adds up to ", overflow ? std::string("more than 2^63") : std::to_string(total),
                        " bytes, over the limit of ", max_total_, " (session.max_external_data_bytes)");
  }
  total_ = total;
  void* p = const_cast<char*>(file->data()) + offset;
  return std::make_shared<Buffer>(p, static_cast<size_t>(length), Device{}, [file](void*) {});
}

namespace {

// Copies typed repeated fields into a tensor's storage, checking counts.
template <typename Field, typename Convert>
Status FillFrom(const Field& field, int64_t expected, const char* field_name, const proto::TensorProto& tp,
                Convert convert) {
  if (static_cast<int64_t>(field.size()) != expected) {
    return InvalidArgument("tensor '", tp.name(), "' has ", field.size(), " values in ", field_name, " but its shape needs ",
                           expected);
  }
  for (int64_t i = 0; i < expected; ++i) convert(i, field.Get(static_cast<int>(i)));
  return Status::Ok();
}

}  // namespace

namespace {

// The typed field (float_data, int32_data ...) that holds a tensor of `type`: its name and its number of entries.
std::pair<const char*, int64_t> TypedField(const proto::TensorProto& tp, DataType type) {
  switch (type) {
    case DataType::kFloat:
    case DataType::kComplex64: return {"float_data", tp.float_data_size()};
    case DataType::kDouble:
    case DataType::kComplex128: return {"double_data", tp.double_data_size()};
    case DataType::kInt64: return {"int64_data", tp.int64_data_size()};
    case DataType::kUint32:
    case DataType::kUint64: return {"uint64_data", tp.uint64_data_size()};
    case DataType::kString: return {"string_data", tp.string_data_size()};
    default: return {"int32_data", tp.int32_data_size()};
  }
}

}  // namespace

Result<Tensor> TensorFromProto(proto::TensorProto& tp, ExternalDataResolver* resolver, const Limits& limits) {
  if (!IsValidDataType(tp.data_type())) {
    return InvalidArgument("tensor '", tp.name(), "' has unknown data type ", tp.data_type());
  }
  auto type = static_cast<DataType>(tp.data_type());
  if (tp.has_segment()) return NotImplemented("tensor '", tp.name(), "' uses segments, which are not supported");
  Shape shape(tp.dims().begin(), tp.dims().end());
  int64_t count = 0;
  if (!CheckedElementCount(shape, &count)) {
    return InvalidArgument("tensor '", tp.name(), "' has invalid dims ", ShapeToString(shape));
  }
  int64_t nbytes = 0;
  {
    const int64_t width =
        type == DataType::kString ? static_cast<int64_t>(sizeof(std::string)) * 8 : DataTypeBits(type);
    int64_t bits = 0;
    if (!CheckedMul(count, width, &bits)) {
      return InvalidArgument("tensor '", tp.name(), "' declares dims ", ShapeToString(shape), " that are too large");
    }
    nbytes = (bits + 7) / 8;
    if (nbytes > limits.max_tensor_bytes) {
      return InvalidGraph("tensor '", tp.name(), "' (", DataTypeName(type), ShapeToString(shape), ") needs ", nbytes,
                          " bytes, over the limit of ", limits.max_tensor_bytes, " (session.max_tensor_bytes)");
    }
    if (type == DataType::kString) nbytes = 0;  // string tensors have no raw bytes
  }
  if (type == DataType::kString) {
    for (int i = 0; i < tp.string_data_size(); ++i) {
      if (static_cast<int64_t>(tp.string_data(i).size()) > limits.max_string_bytes) {
        return InvalidGraph("tensor '", tp.name(), "': string ", i, " is ", tp.string_data(i).size(),
                            " bytes, over the limit of ", limits.max_string_bytes, " (session.max_string_bytes)");
      }
    }
  }

  if (tp.data_location() == proto::TensorProto::EXTERNAL) {
    if (type == DataType::kString) return InvalidArgument("tensor '", tp.name(), "': string tensors cannot be external");
    if (resolver == nullptr) return InvalidArgument("tensor '", tp.name(), "' has external data but no folder to read it from");
    std::string location;
    int64_t offset = 0, length = -1;
    for (const auto& kv : tp.external_data()) {
      try {
        if (kv.key() == "location") location = kv.value();
        else if (kv.key() == "offset") offset = std::stoll(kv.value());
        else if (kv.key() == "length") length = std::stoll(kv.value());
      } catch (const std::exception&) {
        return InvalidArgument("tensor '", tp.name(), "': external data ", kv.key(), " '", kv.value(), "' is not a number");
      }
    }
    if (length >= 0 && length != nbytes) {
      return InvalidArgument("tensor '", tp.name(), "': external data length ", length, " does not match the ", nbytes,
                             " bytes its shape needs");
    }
    auto buffer = resolver->Read(location, offset, nbytes);
    if (!buffer.ok()) return buffer.status().WithContext("tensor '" + tp.name() + "'");
    Tensor mapped(type, shape, buffer.take());
    // Keep the mapping when aligned for the element type; otherwise copy so kernels see aligned data. A file's
    // bool bytes may be anything: CanonicalBools copies them to 0/1 when they are not.
    auto addr = reinterpret_cast<uintptr_t>(mapped.raw());
    if (addr % 16 == 0) return CanonicalBools(mapped);
    return CanonicalBools(mapped.Clone());
  }

  if (tp.has_raw_data()) {
    if (type == DataType::kString) return InvalidArgument("tensor '", tp.name(), "': string tensors cannot use raw_data");
    if (static_cast<int64_t>(tp.raw_data().size()) != nbytes) {
      return InvalidArgument("tensor '", tp.name(), "' has ", tp.raw_data().size(), " bytes of raw_data but its type and shape ",
                             DataTypeName(type), ShapeToString(shape), " need ", nbytes);
    }
    // Take the bytes out of the message instead of copying them.
    auto holder = std::make_shared<std::string>();
    holder->swap(*tp.mutable_raw_data());
    if (reinterpret_cast<uintptr_t>(holder->data()) % 16 == 0 || nbytes == 0) {
      void* p = holder->data();
      // The string came from malloc: freed, it may stay in glibc's heaps (see ReturnFreedHostMemory), so a large
      // one gives back what has piled up there (a pass replacing weights frees them one by one).
      auto buffer = std::make_shared<Buffer>(p, holder->size(), Device{}, [holder](void*) mutable {
        const bool large = holder->size() >= kLargeFileBytes;
        holder.reset();
        if (large) ReturnFreedHostMemory(kReturnFreedAtLeast);
      });
      return CanonicalBools(Tensor(type, shape, std::move(buffer)));
    }
    ONYX_ASSIGN_OR_RETURN(Tensor t, Tensor::Create(type, shape));
    std::memcpy(t.raw(), holder->data(), static_cast<size_t>(nbytes));
    return CanonicalBools(t);
  }

  // The typed field must hold what the dims declare; checked before allocating, so a file cannot make us
  // allocate gigabytes with a few bytes of dims.
  const auto [field_name, entries] = TypedField(tp, type);
  const bool complex = type == DataType::kComplex64 || type == DataType::kComplex128;
  const int64_t want = IsSubByte(type) ? nbytes : (complex ? count * 2 : count);
  if (type != DataType::kUndefined && entries != want) {
    return InvalidArgument("tensor '", tp.name(), "' has ", entries, " values in ", field_name, " but its shape needs ",
                           want);
  }
  ONYX_ASSIGN_OR_RETURN(Tensor t, Tensor::Create(type, shape));
  const char* ctx = "typed data";
  switch (type) {
    case DataType::kFloat: {
      float* out = t.data<float>();
      ONYX_RETURN_IF_ERROR(FillFrom(tp.float_data(), count, "float_data", tp, [&](int64_t i, float v) { out[i] = v; }));
      break;
    }
    case DataType::kComplex64: {
      auto* out = t.data<float>();
      ONYX_RETURN_IF_ERROR(FillFrom(tp.float_data(), count * 2, "float_data", tp, [&](int64_t i, float v) { out[i] = v; }));
      break;
    }
    case DataType::kDouble: {
      auto* out = t.data<double>();
      ONYX_RETURN_IF_ERROR(FillFrom(tp.double_data(), count, "double_data", tp, [&](int64_t i, double v) { out[i] = v; }));
      break;
    }
    case DataType::kComplex128: {
      auto* out = t.data<double>();
      ONYX_RETURN_IF_ERROR(FillFrom(tp.double_data(), count * 2, "double_data", tp, [&](int64_t i, double v) { out[i] = v; }));
      break;
    }
    case DataType::kInt64: {
      auto* out = t.data<int64_t>();
      ONYX_RETURN_IF_ERROR(FillFrom(tp.int64_data(), count, "int64_data", tp, [&](int64_t i, int64_t v) { out[i] = v; }));
      break;
    }
    case DataType::kUint32: {
      auto* out = t.data<uint32_t>();
      ONYX_RETURN_IF_ERROR(FillFrom(tp.uint64_data(), count, "uint64_data", tp,
                                    [&](int64_t i, uint64_t v) { out[i] = static_cast<uint32_t>(v); }));
      break;
    }
    case DataType::kUint64: {
      auto* out = t.data<uint64_t>();
      ONYX_RETURN_IF_ERROR(FillFrom(tp.uint64_data(), count, "uint64_data", tp, [&](int64_t i, uint64_t v) { out[i] = v; }));
      break;
    }
    case DataType::kString: {
      auto* out = t.data<std::string>();
      ONYX_RETURN_IF_ERROR(
          FillFrom(tp.string_data(), count, "string_data", tp, [&](int64_t i, const std::string& v) { out[i] = v; }));
      break;
    }
    case DataType::kInt32: {
      auto* out = t.data<int32_t>();
      ONYX_RETURN_IF_ERROR(FillFrom(tp.int32_data(), count, "int32_data", tp, [&](int64_t i, int32_t v) { out[i] = v; }));
      break;
    }
    case DataType::kInt16:
    case DataType::kUint16:
    case DataType::kFloat16:
    case DataType::kBFloat16: {
      auto* out = t.data<uint16_t>();
      ONYX_RETURN_IF_ERROR(FillFrom(tp.int32_data(), count, "int32_data", tp,
                                    [&](int64_t i, int32_t v) { out[i] = static_cast<uint16_t>(v); }));
      break;
    }
    case DataType::kBool: {
      auto* out = t.data<bool>();
      ONYX_RETURN_IF_ERROR(FillFrom(tp.int32_data(), count, "int32_data", tp, [&](int64_t i, int32_t v) { out[i] = v != 0; }));
      break;
    }
    case DataType::kInt8:
    case DataType::kUint8:
    case DataType::kFloat8E4M3FN:
    case DataType::kFloat8E4M3FNUZ:
    case DataType::kFloat8E5M2:
    case DataType::kFloat8E5M2FNUZ:
    case DataType::kFloat8E8M0: {
      auto* out = t.data<uint8_t>();
      ONYX_RETURN_IF_ERROR(FillFrom(tp.int32_data(), count, "int32_data", tp,
                                    [&](int64_t i, int32_t v) { out[i] = static_cast<uint8_t>(v); }));
      break;
    }
    case DataType::kInt4:
    case DataType::kUint4:
    case DataType::kFloat4E2M1:
    case DataType::kInt2:
    case DataType::kUint2: {
      // int32_data holds the packed bytes, one byte per entry.
      auto* out = t.data<uint8_t>();
      ONYX_RETURN_IF_ERROR(FillFrom(tp.int32_data(), nbytes, "int32_data", tp,
                                    [&](int64_t i, int32_t v) { out[i] = static_cast<uint8_t>(v); }));
      break;
    }
    case DataType::kUndefined:
      return InvalidArgument("tensor '", tp.name(), "' has undefined type (", ctx, ")");
  }
  return t;
}

void TensorToProto(const Tensor& t, proto::TensorProto* tp) {
  tp->set_data_type(static_cast<int32_t>(t.type()));
  for (int64_t d : t.shape()) tp->add_dims(d);
  if (t.type() == DataType::kString) {
    for (const std::string& s : t.values<std::string>()) tp->add_string_data(s);
  } else {
    tp->set_raw_data(t.raw(), static_cast<size_t>(t.bytes()));
  }
}

Result<Value> ValueFromSequenceProto(proto::SequenceProto& sp) {
  Sequence seq;
  switch (sp.elem_type()) {
    case proto::SequenceProto::TENSOR:
      for (auto& tp : *sp.mutable_tensor_values()) {
        ONYX_ASSIGN_OR_RETURN(Tensor t, TensorFromProto(tp, nullptr));
        seq.elem_type = t.type();
        seq.items.emplace_back(std::move(t));
      }
      break;
    case proto::SequenceProto::SEQUENCE:
      for (auto& inner : *sp.mutable_sequence_values()) {
        ONYX_ASSIGN_OR_RETURN(Value v, ValueFromSequenceProto(inner));
        seq.items.push_back(std::move(v));
      }
      break;
    case proto::SequenceProto::MAP:
      for (auto& inner : *sp.mutable_map_values()) {
        ONYX_ASSIGN_OR_RETURN(Value v, ValueFromMapProto(inner));
        seq.items.push_back(std::move(v));
      }
      break;
    case proto::SequenceProto::OPTIONAL:
      for (auto& inner : *sp.mutable_optional_values()) {
        ONYX_ASSIGN_OR_RETURN(Value v, ValueFromOptionalProto(inner));
        seq.items.push_back(std::move(v));
      }
      break;
    case proto::SequenceProto::UNDEFINED:
      break;
    default:
      return NotImplemented("sequence '", sp.name(), "' has unsupported element type ", sp.elem_type());
  }
  return Value::FromSequence(std::move(seq));
}

Result<Value> ValueFromOptionalProto(proto::OptionalProto& op) {
  switch (op.elem_type()) {
    case proto::OptionalProto::TENSOR: {
      if (!op.has_tensor_value()) return Value::FromOptional(nullptr);
      ONYX_ASSIGN_OR_RETURN(Tensor t, TensorFromProto(*op.mutable_tensor_value(), nullptr));
      return Value::FromOptional(std::make_shared<Value>(std::move(t)));
    }
    case proto::OptionalProto::SEQUENCE: {
      if (!op.has_sequence_value()) return Value::FromOptional(nullptr);
      ONYX_ASSIGN_OR_RETURN(Value v, ValueFromSequenceProto(*op.mutable_sequence_value()));
      return Value::FromOptional(std::make_shared<Value>(std::move(v)));
    }
    case proto::OptionalProto::UNDEFINED:
      return Value::FromOptional(nullptr);
    default:
      return NotImplemented("optional '", op.name(), "' has unsupported element type ", op.elem_type());
  }
}

Result<Value> ValueFromMapProto(proto::MapProto& mp) {
  MapValue m;
  if (!IsValidDataType(mp.key_type())) return InvalidArgument("map '", mp.name(), "' has invalid key type");
  m.key_type = static_cast<DataType>(mp.key_type());
  m.int_keys.assign(mp.keys().begin(), mp.keys().end());
  m.string_keys.assign(mp.string_keys().begin(), mp.string_keys().end());
  if (mp.has_values()) {
    ONYX_ASSIGN_OR_RETURN(Value v, ValueFromSequenceProto(*mp.mutable_values()));
    m.values = v.sequence().items;
  }
  size_t nkeys = m.key_type == DataType::kString ? m.string_keys.size() : m.int_keys.size();
  if (nkeys != m.values.size()) {
    return InvalidArgument("map '", mp.name(), "' has ", nkeys, " keys but ", m.values.size(), " values");
  }
  return Value::FromMap(std::move(m));
}

namespace {
// stdio rather than streams: this is on the path of small static builds, which then carry no locale machinery.
struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

Result<std::string> ReadWholeFile(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return Error(StatusCode::kNoSuchFile, "no such file: '", path, "'");
  std::unique_ptr<std::FILE, FileCloser> in(std::fopen(path.c_str(), "rb"));
  if (!in) return Error(StatusCode::kNoSuchFile, "cannot open '", path, "'");
  std::string bytes;
  char chunk[1 << 16];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof(chunk), in.get())) > 0) bytes.append(chunk, n);
  if (std::ferror(in.get())) return Error(StatusCode::kFail, "cannot read '", path, "'");
  return bytes;
}
}  // namespace

Result<Value> ReadValueFile(const std::string& path, const ir::Type& expected) {
  ONYX_ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(path));
  auto bad = [&](const char* what) {
    return Error(StatusCode::kInvalidProtobuf, "'", path, "' is not a valid ", what);
  };
  switch (expected.kind) {
    case ir::Type::Kind::kSequence: {
      proto::SequenceProto sp;
      if (!sp.ParseFromString(bytes)) return bad("SequenceProto");
      return ValueFromSequenceProto(sp);
    }
    case ir::Type::Kind::kOptional: {
      proto::OptionalProto op;
      if (!op.ParseFromString(bytes)) return bad("OptionalProto");
      return ValueFromOptionalProto(op);
    }
    case ir::Type::Kind::kMap: {
      proto::MapProto mp;
      if (!mp.ParseFromString(bytes)) return bad("MapProto");
      return ValueFromMapProto(mp);
    }
    default: {
      proto::TensorProto tp;
      if (!tp.ParseFromString(bytes)) return bad("TensorProto");
      auto t = TensorFromProto(tp, nullptr);
      if (!t.ok()) return t.status().WithContext(path);
      return Value(t.take());
    }
  }
}

Status WriteTensorFile(const std::string& path, const Tensor& t) {
  proto::TensorProto tp;
  TensorToProto(t, &tp);
  std::string bytes;
  if (!tp.SerializeToString(&bytes)) return Fail("cannot encode the tensor for '", path, "'");
  std::unique_ptr<std::FILE, FileCloser> out(std::fopen(path.c_str(), "wb"));
  if (!out) return Error(StatusCode::kNoSuchFile, "cannot write '", path, "'");
  bool written = std::fwrite(bytes.data(), 1, bytes.size(), out.get()) == bytes.size();
  if (std::fclose(out.release()) != 0 || !written) return Fail("failed writing '", path, "'");
  return Status::Ok();
}

}  // namespace onyx::format

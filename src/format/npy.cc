// Reading NumPy .npy files: the format is a magic string, a version, a Python-literal dict header
// ({'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }) and the raw elements. Only what maps onto
// an ONNX tensor is accepted; everything else is refused with a message that says why.
#include <bit>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/checked_math.h"
#include "format/tensor_proto.h"

namespace onyx::format {
namespace {

namespace fs = std::filesystem;

// One value of the header dict: a string, a bool or a tuple of integers.
struct HeaderValue {
  enum class Kind { kString, kBool, kTuple, kOther } kind = Kind::kOther;
  std::string str;
  bool boolean = false;
  std::vector<int64_t> tuple;
};

// A small recursive-descent reader for the subset of Python literal syntax numpy writes in headers.
class HeaderParser {
 public:
  explicit HeaderParser(std::string_view text) : text_(text) {}

  Status Parse(std::map<std::string, HeaderValue>* out) {
    SkipSpace();
    if (!Consume('{')) return Bad("expected '{'");
    SkipSpace();
    while (!Consume('}')) {
      std::string key;
      if (!ParseString(&key)) return Bad("expected a quoted key");
      SkipSpace();
      if (!Consume(':')) return Bad("expected ':' after '" + key + "'");
      SkipSpace();
      HeaderValue value;
      ONYX_RETURN_IF_ERROR(ParseValue(&value));
      (*out)[key] = std::move(value);
      SkipSpace();
      if (Consume(',')) {
        SkipSpace();
        continue;
      }
      SkipSpace();
      if (!Consume('}')) return Bad("expected ',' or '}'");
      break;
    }
    SkipSpace();
    if (pos_ != text_.size()) return Bad("unexpected text after the dict");
    return Status::Ok();
  }

 private:
  Status Bad(const std::string& what) const {
    return InvalidArgument("malformed header at character ", pos_, ": ", what);
  }
  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool Consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool ConsumeWord(std::string_view w) {
    if (text_.substr(pos_, w.size()) == w) {
      pos_ += w.size();
      return true;
    }
    return false;
  }
  bool ParseString(std::string* out) {
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"')) return false;
    char quote = text_[pos_++];
    out->clear();
    while (pos_ < text_.size() && text_[pos_] != quote) out->push_back(text_[pos_++]);
    return Consume(quote);
  }
  Status ParseValue(HeaderValue* v) {
    if (pos_ < text_.size() && (text_[pos_] == '\'' || text_[pos_] == '"')) {
      v->kind = HeaderValue::Kind::kString;
      if (!ParseString(&v->str)) return Bad("unterminated string");
      return Status::Ok();
    }
    if (ConsumeWord("True")) {
      v->kind = HeaderValue::Kind::kBool;
      v->boolean = true;
      return Status::Ok();
    }
    if (ConsumeWord("False")) {
      v->kind = HeaderValue::Kind::kBool;
      return Status::Ok();
    }
    if (Consume('(')) {
      v->kind = HeaderValue::Kind::kTuple;
      SkipSpace();
      while (!Consume(')')) {
        int64_t n = 0;
        ONYX_RETURN_IF_ERROR(ParseInt(&n));
        v->tuple.push_back(n);
        SkipSpace();
        if (Consume(',')) {
          SkipSpace();
          continue;
        }
        if (!Consume(')')) return Bad("expected ',' or ')' in the shape");
        break;
      }
      return Status::Ok();
    }
    // Structured dtypes are lists; they are refused later by the caller, which knows the key.
    v->kind = HeaderValue::Kind::kOther;
    int depth = 0;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '[' || c == '(' || c == '{') ++depth;
      if (c == ']' || c == ')' || c == '}') {
        if (depth == 0) break;
        --depth;
      }
      if (c == ',' && depth == 0) break;
      ++pos_;
    }
    return Status::Ok();
  }
  Status ParseInt(int64_t* out) {
    size_t start = pos_;
    bool negative = Consume('-');
    int64_t n = 0;
    bool any = false;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      if (!CheckedMul(n, 10, &n) || !CheckedAdd(n, text_[pos_] - '0', &n)) return Bad("dimension too large");
      ++pos_;
      any = true;
    }
    if (!any) {
      pos_ = start;
      return Bad("expected an integer in the shape");
    }
    Consume('L');  // Python 2 wrote long integers with a suffix.
    *out = negative ? -n : n;
    return Status::Ok();
  }

  std::string_view text_;
  size_t pos_ = 0;
};

struct NpyType {
  DataType type;
  int item_bytes;
};

// Maps the descr's kind and size ("f4") to an element type; returns false when ONNX has no such type.
bool LookupNpyType(std::string_view code, NpyType* out) {
  static const std::map<std::string_view, NpyType> kTypes = {
      {"f2", {DataType::kFloat16, 2}},   {"f4", {DataType::kFloat, 4}},        {"f8", {DataType::kDouble, 8}},
      {"i1", {DataType::kInt8, 1}},      {"i2", {DataType::kInt16, 2}},        {"i4", {DataType::kInt32, 4}},
      {"i8", {DataType::kInt64, 8}},     {"u1", {DataType::kUint8, 1}},        {"u2", {DataType::kUint16, 2}},
      {"u4", {DataType::kUint32, 4}},    {"u8", {DataType::kUint64, 8}},       {"b1", {DataType::kBool, 1}},
      {"c8", {DataType::kComplex64, 8}}, {"c16", {DataType::kComplex128, 16}},
  };
  auto it = kTypes.find(code);
  if (it == kTypes.end()) return false;
  *out = it->second;
  return true;
}

Status CheckDescr(const std::string& descr, NpyType* out) {
  if (descr.size() < 2) return InvalidArgument("unsupported dtype '", descr, "'");
  char order = descr[0];
  std::string_view code = std::string_view(descr).substr(1);
  if (code[0] == 'O') return InvalidArgument("object arrays (dtype '", descr, "') are not supported");
  if (code[0] == 'U' || code[0] == 'S' || code[0] == 'a') {
    return InvalidArgument("string arrays (dtype '", descr, "') are not supported");
  }
  if (!LookupNpyType(code, out)) return InvalidArgument("unsupported dtype '", descr, "'");
  // Single-byte types have no byte order; numpy writes '|' for them, but any marker is harmless.
  if (out->item_bytes == 1) return Status::Ok();
  if (order == '>') return InvalidArgument("big-endian data (dtype '", descr, "') is not supported");
  if (order == '<' || (order == '=' && std::endian::native == std::endian::little)) return Status::Ok();
  if (order == '|') return Status::Ok();
  return InvalidArgument("unsupported dtype '", descr, "'");
}

uint32_t ReadLittleEndian(const unsigned char* p, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

Result<Tensor> ReadNpy(std::istream& in, uint64_t file_size) {
  constexpr char kMagic[] = "\x93NUMPY";
  unsigned char prefix[8];
  if (file_size < sizeof(prefix) || !in.read(reinterpret_cast<char*>(prefix), sizeof(prefix))) {
    return InvalidArgument("file is too short to be a .npy file");
  }
  if (std::memcmp(prefix, kMagic, 6) != 0) return InvalidArgument("not a .npy file (bad magic)");
  int major = prefix[6];
  if (major < 1 || major > 3) return InvalidArgument("unsupported .npy version ", major, ".", int{prefix[7]});
  int len_bytes = major == 1 ? 2 : 4;
  unsigned char len_buf[4];
  if (!in.read(reinterpret_cast<char*>(len_buf), len_bytes)) return InvalidArgument("truncated header");
  uint64_t header_len = ReadLittleEndian(len_buf, len_bytes);
  uint64_t data_offset = sizeof(prefix) + len_bytes + header_len;
  if (data_offset > file_size) {
    return InvalidArgument("truncated header (", header_len, " bytes declared, file has ", file_size, ")");
  }
  std::string header(header_len, '\0');
  if (!in.read(header.data(), static_cast<std::streamsize>(header_len))) return InvalidArgument("truncated header");

  std::map<std::string, HeaderValue> dict;
  ONYX_RETURN_IF_ERROR(HeaderParser(header).Parse(&dict));
  auto descr = dict.find("descr");
  auto fortran = dict.find("fortran_order");
  auto shape_it = dict.find("shape");
  if (descr == dict.end() || fortran == dict.end() || shape_it == dict.end()) {
    return InvalidArgument("header lacks one of 'descr', 'fortran_order', 'shape'");
  }
  if (descr->second.kind != HeaderValue::Kind::kString) {
    return InvalidArgument("structured dtypes are not supported");
  }
  if (fortran->second.kind != HeaderValue::Kind::kBool) return InvalidArgument("'fortran_order' is not a bool");
  if (fortran->second.boolean) {
    return InvalidArgument("Fortran-order arrays are not supported; save a C-order array (np.ascontiguousarray)");
  }
  if (shape_it->second.kind != HeaderValue::Kind::kTuple) return InvalidArgument("'shape' is not a tuple");

  NpyType npy_type{};
  ONYX_RETURN_IF_ERROR(CheckDescr(descr->second.str, &npy_type));
  Shape shape = shape_it->second.tuple;
  int64_t count = 0, bytes = 0;
  if (!CheckedElementCount(shape, &count) || !CheckedMul(count, npy_type.item_bytes, &bytes) ||
      bytes > kMaxTensorBytes) {
    return InvalidArgument("invalid shape ", ShapeToString(shape));
  }
  uint64_t available = file_size - data_offset;
  if (available < static_cast<uint64_t>(bytes)) {
    return InvalidArgument("truncated data: shape ", ShapeToString(shape), " needs ", bytes, " bytes, file has ",
                           available);
  }
  if (available > static_cast<uint64_t>(bytes)) {
    return InvalidArgument("header/shape mismatch: shape ", ShapeToString(shape), " needs ", bytes, " bytes, file has ",
                           available);
  }
  ONYX_ASSIGN_OR_RETURN(Tensor t, Tensor::Create(npy_type.type, shape));
  if (bytes > 0 && !in.read(static_cast<char*>(t.raw()), bytes)) return InvalidArgument("truncated data");
  if (npy_type.type == DataType::kBool) {
    // Any nonzero byte is true in numpy; keep our bools canonical.
    auto* p = static_cast<unsigned char*>(t.raw());
    for (int64_t i = 0; i < count; ++i) p[i] = p[i] != 0;
  }
  return t;
}

}  // namespace

Result<Tensor> ReadNpyFile(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return Error(StatusCode::kNoSuchFile, "no such file: '", path, "'");
  uint64_t size = fs::file_size(path, ec);
  if (ec) return Error(StatusCode::kNoSuchFile, "cannot read '", path, "': ", ec.message());
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(StatusCode::kNoSuchFile, "cannot open '", path, "'");
  auto t = ReadNpy(in, size);
  if (!t.ok()) return Status(t.status().code(), MakeString("'", path, "': ", t.status().message()));
  return t;
}

Result<Tensor> ReadNpyBytes(const void* data, size_t size) {
  std::istringstream in(std::string(static_cast<const char*>(data), size), std::ios::binary);
  return ReadNpy(in, size);
}

}  // namespace onyx::format

#include "cli_common.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/checked_math.h"
#include "format/tensor_proto.h"
#include "framework/value_compare.h"
#include "optimizer/optimizer.h"

namespace onyx::cli {

namespace fs = std::filesystem;

std::string OneLine(const std::string& message) {
  std::string out;
  out.reserve(message.size());
  for (size_t i = 0; i < message.size(); ++i) {
    char c = message[i];
    if (c == '\r') continue;
    if (c == '\n') {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      if (!out.empty() && i + 1 < message.size()) out += "; ";
      continue;
    }
    out.push_back(c);
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
  return out;
}

bool ArgReader::Positional(std::string* out) {
  if (done()) return false;
  const std::string& a = args_[pos_];
  if (!flags_ended_ && a == "--") {
    flags_ended_ = true;
    ++pos_;
    return done() ? false : Positional(out);
  }
  if (!flags_ended_ && a.size() > 1 && a[0] == '-') return false;
  *out = a;
  ++pos_;
  return true;
}

bool ArgReader::Flag(std::initializer_list<const char*> names, std::string* value) {
  if (done() || flags_ended_) return false;
  const std::string& a = args_[pos_];
  for (const char* name : names) {
    std::string n = name;
    if (a == n) {
      if (pos_ + 1 >= args_.size()) Fail("flag '", n, "' of 'onyx ", command_, "' needs a value");
      *value = args_[pos_ + 1];
      pos_ += 2;
      return true;
    }
    if (a.size() > n.size() && a.compare(0, n.size(), n) == 0) {
      // "--rtol=0.1" for long flags, "-j4" for short ones.
      bool is_long = n.size() > 2;
      if (is_long && a[n.size()] != '=') continue;
      *value = a.substr(n.size() + (is_long ? 1 : 0));
      ++pos_;
      return true;
    }
  }
  return false;
}

bool ArgReader::Switch(std::initializer_list<const char*> names) {
  if (done() || flags_ended_) return false;
  for (const char* name : names) {
    if (args_[pos_] == name) {
      ++pos_;
      return true;
    }
  }
  return false;
}

void ArgReader::Unknown() const {
  const std::string& a = args_[pos_];
  Fail("unknown flag '", a, "' for 'onyx ", command_, "' (see 'onyx ", command_, " --help')");
}

int64_t ParseInt(const std::string& what, const std::string& text, int64_t min, int64_t max) {
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE) {
    Fail(what, ": '", text, "' is not an integer");
  }
  if (v < min || v > max) Fail(what, ": ", v, " is out of range [", min, ", ", max, "]");
  return v;
}

double ParseDouble(const std::string& what, const std::string& text, double min) {
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v)) {
    Fail(what, ": '", text, "' is not a number");
  }
  if (v < min) Fail(what, ": ", text, " must be at least ", min);
  return v;
}

std::pair<std::string, std::string> SplitAssignment(const std::string& flag, const std::string& text) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) Fail(flag, " expects NAME=VALUE, got '", text, "'");
  return {text.substr(0, eq), text.substr(eq + 1)};
}

OptimizationLevel ParseOptLevel(const std::string& text) {
  if (text == "0" || text == "disabled" || text == "none") return OptimizationLevel::kDisabled;
  if (text == "1" || text == "basic") return OptimizationLevel::kBasic;
  if (text == "2" || text == "extended") return OptimizationLevel::kExtended;
  if (text == "99" || text == "3" || text == "all") return OptimizationLevel::kAll;
  Fail("--opt-level: '", text, "' is not one of 0|disabled, 1|basic, 2|extended, 99|all");
}

bool ReadSessionFlag(ArgReader& reader, SessionFlags* flags) {
  std::string value;
  if (reader.Flag({"--threads"}, &value)) {
    flags->threads = static_cast<int>(ParseInt("--threads", value, 0, 1024));
  } else if (reader.Flag({"--inter-op"}, &value)) {
    flags->inter_op = static_cast<int>(ParseInt("--inter-op", value, 0, 1024));
  } else if (reader.Flag({"--opt-level"}, &value)) {
    flags->opt_level = ParseOptLevel(value);
    flags->opt_level_text = value;
  } else if (reader.Flag({"--disable-pass"}, &value)) {
    flags->disabled_passes.insert(CheckPassName(value));
  } else {
    return false;
  }
  return true;
}

SessionOptions SessionFlags::ToOptions() const {
  SessionOptions options;
  options.intra_op_threads = threads;
  if (inter_op >= 0) {
    options.execution_mode = ExecutionMode::kParallel;
    options.inter_op_threads = inter_op;
  }
  options.optimization_level = opt_level;
  options.disabled_passes = disabled_passes;
  return options;
}

namespace {

bool HasExtension(const std::string& path, const std::string& ext) {
  std::string e = fs::path(path).extension().string();
  for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return e == ext;
}

template <typename T, typename Gen>
void FillWith(Tensor& t, Gen gen) {
  T* p = t.data<T>();
  for (int64_t i = 0; i < t.size(); ++i) p[i] = gen();
}

Tensor RandomTensor(const std::string& input_name, DataType type, const Shape& shape, std::mt19937_64& rng) {
  auto created = Tensor::Create(type, shape);
  if (!created.ok()) Fail("cannot make input '", input_name, "': ", created.status().message());
  Tensor t = created.take();
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  // Small non-negative integers keep index-like inputs (Gather indices, shapes) mostly in range.
  std::uniform_int_distribution<int> small(0, 3);
  auto f = [&] { return unit(rng); };
  auto i = [&] { return small(rng); };
  switch (type) {
    case DataType::kFloat:
      FillWith<float>(t, [&] { return static_cast<float>(f()); });
      break;
    case DataType::kDouble:
      FillWith<double>(t, f);
      break;
    case DataType::kFloat16:
      FillWith<uint16_t>(t, [&] { return FloatToHalf(static_cast<float>(f())); });
      break;
    case DataType::kBFloat16:
      FillWith<uint16_t>(t, [&] { return FloatToBFloat16(static_cast<float>(f())); });
      break;
    case DataType::kInt8:
      FillWith<int8_t>(t, [&] { return static_cast<int8_t>(i()); });
      break;
    case DataType::kInt16:
      FillWith<int16_t>(t, [&] { return static_cast<int16_t>(i()); });
      break;
    case DataType::kInt32:
      FillWith<int32_t>(t, [&] { return static_cast<int32_t>(i()); });
      break;
    case DataType::kInt64:
      FillWith<int64_t>(t, [&] { return static_cast<int64_t>(i()); });
      break;
    case DataType::kUint8:
      FillWith<uint8_t>(t, [&] { return static_cast<uint8_t>(i()); });
      break;
    case DataType::kUint16:
      FillWith<uint16_t>(t, [&] { return static_cast<uint16_t>(i()); });
      break;
    case DataType::kUint32:
      FillWith<uint32_t>(t, [&] { return static_cast<uint32_t>(i()); });
      break;
    case DataType::kUint64:
      FillWith<uint64_t>(t, [&] { return static_cast<uint64_t>(i()); });
      break;
    case DataType::kBool:
      FillWith<bool>(t, [&] { return (rng() & 1) != 0; });
      break;
    case DataType::kString:
      FillWith<std::string>(t, [] { return std::string("a"); });
      break;
    case DataType::kComplex64:
      FillWith<std::complex<float>>(t, [&] { return std::complex<float>(static_cast<float>(f()), 0.f); });
      break;
    case DataType::kComplex128:
      FillWith<std::complex<double>>(t, [&] { return std::complex<double>(f(), 0.0); });
      break;
    default:
      break;  // float8 and sub-byte types stay zero: there is no natural "uniform" for them.
  }
  return t;
}

Status FillSequenceProto(const Sequence& s, const std::string& name, proto::SequenceProto* sp);

Status FillOptionalProto(const Value& v, const std::string& name, proto::OptionalProto* op) {
  op->set_name(name);
  if (!v.has_element()) return Status::Ok();
  const Value& e = v.optional_element();
  if (e.is_tensor()) {
    op->set_elem_type(proto::OptionalProto::TENSOR);
    format::TensorToProto(e.tensor(), op->mutable_tensor_value());
    return Status::Ok();
  }
  if (e.is_sequence()) {
    op->set_elem_type(proto::OptionalProto::SEQUENCE);
    return FillSequenceProto(e.sequence(), name, op->mutable_sequence_value());
  }
  return NotImplemented("cannot write an optional of this kind");
}

Status FillSequenceProto(const Sequence& s, const std::string& name, proto::SequenceProto* sp) {
  sp->set_name(name);
  if (s.items.empty()) {
    sp->set_elem_type(proto::SequenceProto::TENSOR);
    return Status::Ok();
  }
  for (const Value& item : s.items) {
    if (item.is_tensor()) {
      sp->set_elem_type(proto::SequenceProto::TENSOR);
      format::TensorToProto(item.tensor(), sp->add_tensor_values());
    } else if (item.is_sequence()) {
      sp->set_elem_type(proto::SequenceProto::SEQUENCE);
      ONYX_RETURN_IF_ERROR(FillSequenceProto(item.sequence(), "", sp->add_sequence_values()));
    } else if (item.is_optional()) {
      sp->set_elem_type(proto::SequenceProto::OPTIONAL);
      ONYX_RETURN_IF_ERROR(FillOptionalProto(item, "", sp->add_optional_values()));
    } else {
      return NotImplemented("cannot write a sequence of maps");
    }
  }
  return Status::Ok();
}

}  // namespace

Value LoadInputFile(const std::string& path, const ir::Type& type) {
  std::error_code ec;
  if (!fs::exists(path, ec)) Fail("input file '", path, "' does not exist");
  if (!fs::is_regular_file(path, ec)) Fail("input file '", path, "' is not a regular file");
  if (HasExtension(path, ".npy")) {
    auto t = format::ReadNpyFile(path);
    if (!t.ok()) Fail("bad input file: ", t.status().message());
    return Value(t.take());
  }
  if (HasExtension(path, ".pb")) {
    auto v = format::ReadValueFile(path, type);
    if (!v.ok()) Fail("bad input file '", path, "': ", v.status().message());
    return v.take();
  }
  Fail("input file '", path, "' must end in .pb (TensorProto) or .npy (NumPy)");
}

Value RandomValue(const std::string& input_name, const ir::Type& type, const std::map<std::string, int64_t>& dims,
                  std::mt19937_64& rng) {
  switch (type.kind) {
    case ir::Type::Kind::kTensor: {
      if (!type.shape) Fail("input '", input_name, "' has an unknown rank; give it a value with --input");
      Shape shape;
      for (const ir::Dim& d : *type.shape) {
        if (d.known()) {
          shape.push_back(d.value);
        } else {
          auto it = dims.find(d.param);
          shape.push_back(!d.param.empty() && it != dims.end() ? it->second : 1);
        }
      }
      if (type.elem_type == DataType::kUndefined) {
        Fail("input '", input_name, "' has no element type; give it a value with --input");
      }
      return Value(RandomTensor(input_name, type.elem_type, shape, rng));
    }
    case ir::Type::Kind::kSequence: {
      if (!type.inner) Fail("input '", input_name, "' is a sequence of unknown type; give it with --input");
      Sequence s;
      Value item = RandomValue(input_name, *type.inner, dims, rng);
      if (item.is_tensor()) s.elem_type = item.tensor().type();
      s.items.push_back(std::move(item));
      return Value::FromSequence(std::move(s));
    }
    case ir::Type::Kind::kOptional: {
      if (!type.inner) return Value::FromOptional(nullptr);
      return Value::FromOptional(std::make_shared<Value>(RandomValue(input_name, *type.inner, dims, rng)));
    }
    default:
      Fail("cannot make a random value for input '", input_name, "' of type ", type.ToString(),
           "; give it with --input");
  }
}

std::string ValueTypeString(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kTensor:
      return std::string("tensor(") + DataTypeName(v.tensor().type()) + ") " + ShapeToString(v.tensor().shape());
    case Value::Kind::kSequence: {
      const Sequence& s = v.sequence();
      std::string inner = s.elem_type != DataType::kUndefined ? std::string("tensor(") + DataTypeName(s.elem_type) + ")"
                          : s.items.empty()                   ? std::string("unknown")
                                                              : ValueTypeString(s.items[0]);
      return "seq(" + inner + ") with " + std::to_string(s.items.size()) + " item(s)";
    }
    case Value::Kind::kOptional:
      return v.has_element() ? "optional(" + ValueTypeString(v.optional_element()) + ")" : "optional(none)";
    case Value::Kind::kMap:
      return std::string("map(") + DataTypeName(v.map().key_type) + ") with " + std::to_string(v.map().values.size()) +
             " entries";
    case Value::Kind::kNone:
      return "none";
  }
  return "unknown";
}

std::string DescribeValue(const Value& v, int64_t max_elements) {
  if (v.is_tensor()) {
    std::string s = ValueTypeString(v);
    if (v.tensor().size() > 0) s += ": " + FormatElements(v.tensor(), max_elements);
    return s;
  }
  if (v.is_sequence()) {
    std::string s = ValueTypeString(v);
    const auto& items = v.sequence().items;
    for (size_t i = 0; i < items.size() && i < 4; ++i) {
      s += "\n    [" + std::to_string(i) + "] " + DescribeValue(items[i], max_elements);
    }
    if (items.size() > 4) s += "\n    ...";
    return s;
  }
  if (v.is_optional() && v.has_element()) return "optional: " + DescribeValue(v.optional_element(), max_elements);
  return ValueTypeString(v);
}

std::string SanitizeFileName(const std::string& name) {
  std::string out;
  for (char c : name) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    out.push_back(ok ? c : '_');
  }
  if (out.empty() || out == "." || out == "..") out = "output";
  // A leading dot would hide the file; a leading dash looks like a flag to other tools.
  if (out[0] == '.' || out[0] == '-') out[0] = '_';
  if (out.size() > 200) out.resize(200);
  return out;
}

Status WriteValueFile(const std::string& path, const std::string& name, const Value& v) {
  std::string bytes;
  if (v.is_tensor()) {
    proto::TensorProto tp;
    format::TensorToProto(v.tensor(), &tp);
    tp.set_name(name);
    bytes = tp.SerializeAsString();
  } else if (v.is_sequence()) {
    proto::SequenceProto sp;
    ONYX_RETURN_IF_ERROR(FillSequenceProto(v.sequence(), name, &sp));
    bytes = sp.SerializeAsString();
  } else if (v.is_optional()) {
    proto::OptionalProto op;
    ONYX_RETURN_IF_ERROR(FillOptionalProto(v, name, &op));
    bytes = op.SerializeAsString();
  } else {
    return NotImplemented("cannot write a value of kind ", ValueTypeString(v));
  }
  std::ofstream out(path, std::ios::binary);
  if (!out || !out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    return Error(StatusCode::kNoSuchFile, "cannot write '", path, "'");
  }
  return Status::Ok();
}

}  // namespace onyx::cli

namespace onyx::cli {
std::string CheckPassName(const std::string& name) {
  std::vector<std::string> known = opt::PassNames(opt::Level::kAll);
  if (std::find(known.begin(), known.end(), name) != known.end()) return name;
  std::string list;
  for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
  Fail("--disable-pass: no optimizer pass named '", name, "' (passes: ", list, ")");
}
}  // namespace onyx::cli

// numpy <-> Value. Fixed-size inputs are wrapped through the buffer protocol without a copy; outputs are
// handed to numpy through a capsule that owns the tensor, so neither direction copies when it need not.
#include <nanobind/ndarray.h>
#include <nanobind/stl/string.h>

#include <cstring>
#include <optional>
#include <vector>

#include "py_common.h"

namespace onyx::py {

namespace {

struct MlDtype {
  DataType type;
  const char* name;
};
// Element types numpy lacks; ml_dtypes provides them, one element per byte for the sub-byte kinds.
constexpr MlDtype kMlDtypes[] = {
    {DataType::kBFloat16, "bfloat16"},
    {DataType::kFloat8E4M3FN, "float8_e4m3fn"},
    {DataType::kFloat8E4M3FNUZ, "float8_e4m3fnuz"},
    {DataType::kFloat8E5M2, "float8_e5m2"},
    {DataType::kFloat8E5M2FNUZ, "float8_e5m2fnuz"},
    {DataType::kFloat8E8M0, "float8_e8m0fnu"},
    {DataType::kInt4, "int4"},
    {DataType::kUint4, "uint4"},
    {DataType::kFloat4E2M1, "float4_e2m1fn"},
    {DataType::kInt2, "int2"},
    {DataType::kUint2, "uint2"},
};

const char* MlDtypeName(DataType t) {
  for (const auto& m : kMlDtypes) {
    if (m.type == t) return m.name;
  }
  return nullptr;
}

nb::module_& Numpy() {
  static nb::module_* np = new nb::module_(nb::module_::import_("numpy"));
  return *np;
}

[[noreturn]] void Invalid(const std::string& message) { throw StatusError(InvalidArgument(message)); }

// Keeps a caller's array alive for as long as a tensor points into it.
struct HeldBuffer {
  Py_buffer view;
};

// str(obj); nb::str(accessor) would pick the checked converting constructor and throw bad_cast instead.
std::string Str(nb::handle obj) { return nb::cast<std::string>(nb::str(obj)); }

bool IsNdarray(nb::handle obj) { return nb::isinstance(obj, Numpy().attr("ndarray")); }

std::string Where(const std::string& name) { return name.empty() ? std::string("value") : "input '" + name + "'"; }

Tensor StringTensorFromArray(nb::handle array, const std::string& name) {
  Shape shape;
  for (nb::handle d : array.attr("shape")) shape.push_back(nb::cast<int64_t>(d));
  Tensor t = Unwrap(Tensor::Create(DataType::kString, shape));
  nb::list items = nb::list(array.attr("ravel")().attr("tolist")());
  std::string* out = t.data<std::string>();
  for (size_t i = 0; i < items.size(); ++i) {
    nb::handle item = items[i];
    if (PyUnicode_Check(item.ptr())) {
      Py_ssize_t size = 0;
      const char* s = PyUnicode_AsUTF8AndSize(item.ptr(), &size);
      if (s == nullptr) throw nb::python_error();
      out[i].assign(s, static_cast<size_t>(size));
    } else if (PyBytes_Check(item.ptr())) {
      out[i].assign(PyBytes_AS_STRING(item.ptr()), static_cast<size_t>(PyBytes_GET_SIZE(item.ptr())));
    } else {
      Invalid(Where(name) + " is a string tensor but element " + std::to_string(i) + " is a " +
              Str(nb::object(item.type().attr("__name__"))));
    }
  }
  return t;
}

// Packs one-element-per-byte ml_dtypes values into Onyx's 4- or 2-bit layout (first element in the low bits).
Tensor PackSubByte(const uint8_t* src, DataType type, Shape shape) {
  Tensor t = Unwrap(Tensor::Create(type, std::move(shape)));
  int bits = DataTypeBits(type);
  int per_byte = 8 / bits;
  uint8_t mask = static_cast<uint8_t>((1 << bits) - 1);
  auto* dst = t.data<uint8_t>();
  for (int64_t i = 0; i < t.size(); ++i) {
    dst[i / per_byte] |= static_cast<uint8_t>((src[i] & mask) << (bits * (i % per_byte)));
  }
  return t;
}

}  // namespace

nb::object NumpyDtype(DataType type) {
  if (const char* ml = MlDtypeName(type)) {
    nb::object ml_dtypes;
    try {
      ml_dtypes = nb::module_::import_("ml_dtypes");
    } catch (nb::python_error&) {
      Invalid(std::string("element type ") + DataTypeName(type) +
              " needs the ml_dtypes package (pip install ml_dtypes)");
    }
    return Numpy().attr("dtype")(ml_dtypes.attr(ml));
  }
  const char* name = nullptr;
  switch (type) {
    case DataType::kFloat:
      name = "float32";
      break;
    case DataType::kDouble:
      name = "float64";
      break;
    case DataType::kFloat16:
      name = "float16";
      break;
    case DataType::kInt8:
      name = "int8";
      break;
    case DataType::kInt16:
      name = "int16";
      break;
    case DataType::kInt32:
      name = "int32";
      break;
    case DataType::kInt64:
      name = "int64";
      break;
    case DataType::kUint8:
      name = "uint8";
      break;
    case DataType::kUint16:
      name = "uint16";
      break;
    case DataType::kUint32:
      name = "uint32";
      break;
    case DataType::kUint64:
      name = "uint64";
      break;
    case DataType::kBool:
      name = "bool";
      break;
    case DataType::kComplex64:
      name = "complex64";
      break;
    case DataType::kComplex128:
      name = "complex128";
      break;
    case DataType::kString:
      name = "object";
      break;
    default:
      Invalid(std::string("element type ") + DataTypeName(type) + " has no numpy dtype");
  }
  return Numpy().attr("dtype")(name);
}

DataType DataTypeOfDtype(nb::handle dtype) {
  std::string name = nb::cast<std::string>(dtype.attr("name"));
  for (const auto& m : kMlDtypes) {
    if (name == m.name) return m.type;
  }
  std::string kind = nb::cast<std::string>(dtype.attr("kind"));
  int64_t size = nb::cast<int64_t>(dtype.attr("itemsize"));
  char k = kind.empty() ? '?' : kind[0];
  switch (k) {
    case 'b':
      return DataType::kBool;
    case 'i':
      return size == 1   ? DataType::kInt8
             : size == 2 ? DataType::kInt16
             : size == 4 ? DataType::kInt32
             : size == 8 ? DataType::kInt64
                         : DataType::kUndefined;
    case 'u':
      return size == 1   ? DataType::kUint8
             : size == 2 ? DataType::kUint16
             : size == 4 ? DataType::kUint32
             : size == 8 ? DataType::kUint64
                         : DataType::kUndefined;
    case 'f':
      return size == 2   ? DataType::kFloat16
             : size == 4 ? DataType::kFloat
             : size == 8 ? DataType::kDouble
                         : DataType::kUndefined;
    case 'c':
      return size == 8 ? DataType::kComplex64 : size == 16 ? DataType::kComplex128 : DataType::kUndefined;
    case 'O':
    case 'U':
    case 'S':
      return DataType::kString;
    default:
      return DataType::kUndefined;
  }
}

namespace {

// An ndarray of a known element type to a tensor: strings and sub-byte types are copied, the rest wrapped.
Tensor TensorFromNdarray(nb::handle array_in, const std::string& name) {
  nb::object array = nb::borrow(array_in);
  DataType type = DataTypeOfDtype(array.attr("dtype"));
  if (type == DataType::kUndefined) {
    Invalid(Where(name) + " has numpy dtype " + Str(nb::object(array.attr("dtype"))) + ", which Onyx does not support");
  }
  if (type == DataType::kString) return StringTensorFromArray(array, name);
  // Byte-swapped data (a big-endian dtype on this little-endian machine) would be read as garbage: swap it.
  if (!nb::cast<bool>(array.attr("dtype").attr("isnative"))) {
    array = array.attr("astype")(array.attr("dtype").attr("newbyteorder")("="));
  }
  if (!nb::cast<bool>(array.attr("flags").attr("c_contiguous"))) {
    array = Numpy().attr("ascontiguousarray")(array);
  }
  // numpy cannot export ml_dtypes types through the buffer protocol: look at their bytes instead.
  if (MlDtypeName(type) != nullptr) {
    array = array.attr("view")(DataTypeBits(type) == 16 ? "uint16" : "uint8");
  }
  auto held = std::make_unique<HeldBuffer>();
  if (PyObject_GetBuffer(array.ptr(), &held->view, PyBUF_C_CONTIGUOUS) != 0) throw nb::python_error();
  Shape shape(held->view.shape, held->view.shape + held->view.ndim);
  if (IsSubByte(type)) {
    Tensor t = PackSubByte(static_cast<const uint8_t*>(held->view.buf), type, std::move(shape));
    PyBuffer_Release(&held->view);
    return t;
  }
  void* data = held->view.buf;
  size_t bytes = static_cast<size_t>(held->view.len);
  HeldBuffer* raw = held.release();
  auto buffer = std::make_shared<Buffer>(data, bytes, Device{}, [raw](void*) {
    // The last reference may drop on an engine thread after the run: take the GIL to release the array.
    nb::gil_scoped_acquire gil;
    PyBuffer_Release(&raw->view);
    delete raw;
  });
  return Tensor(type, std::move(shape), std::move(buffer));
}

// The element type a buffer's struct-module format names, for the plain numeric types numpy exports in native byte
// order ("f", "q", "?", ...); kUndefined for anything else (those take the dtype path).
DataType DataTypeOfFormat(const char* format, Py_ssize_t itemsize) {
  if (format == nullptr || format[0] == '\0' || format[1] != '\0') return DataType::kUndefined;
  auto by_size = [itemsize](DataType s1, DataType s2, DataType s4, DataType s8) {
    return itemsize == 1 ? s1 : itemsize == 2 ? s2 : itemsize == 4 ? s4 : itemsize == 8 ? s8 : DataType::kUndefined;
  };
  constexpr DataType kNone = DataType::kUndefined;
  switch (format[0]) {
    case 'f':
      return itemsize == 4 ? DataType::kFloat : kNone;
    case 'd':
      return itemsize == 8 ? DataType::kDouble : kNone;
    case 'e':
      return itemsize == 2 ? DataType::kFloat16 : kNone;
    case '?':
      return itemsize == 1 ? DataType::kBool : kNone;
    case 'b':
    case 'h':
    case 'i':
    case 'l':
    case 'q':
      return by_size(DataType::kInt8, DataType::kInt16, DataType::kInt32, DataType::kInt64);
    case 'B':
    case 'H':
    case 'I':
    case 'L':
    case 'Q':
      return by_size(DataType::kUint8, DataType::kUint16, DataType::kUint32, DataType::kUint64);
    default:
      return kNone;
  }
}

// A C-contiguous ndarray of a plain numeric type, wrapped through the buffer protocol alone: the dtype's name, kind
// and flags, each a Python attribute lookup, were most of the cost of a run of a model of a few microseconds.
// Anything else (strided, strings, ml_dtypes, non-native byte order) returns nullopt for TensorFromNdarray.
std::optional<Tensor> PlainTensorFromNdarray(nb::handle array) {
  auto held = std::make_unique<HeldBuffer>();
  if (PyObject_GetBuffer(array.ptr(), &held->view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) != 0) {
    PyErr_Clear();
    return std::nullopt;
  }
  const DataType type = DataTypeOfFormat(held->view.format, held->view.itemsize);
  if (type == DataType::kUndefined) {
    PyBuffer_Release(&held->view);
    return std::nullopt;
  }
  Shape shape(held->view.shape, held->view.shape + held->view.ndim);
  void* data = held->view.buf;
  size_t bytes = static_cast<size_t>(held->view.len);
  HeldBuffer* raw = held.release();
  auto buffer = std::make_shared<Buffer>(data, bytes, Device{}, [raw](void*) {
    nb::gil_scoped_acquire gil;  // as in TensorFromNdarray
    PyBuffer_Release(&raw->view);
    delete raw;
  });
  return Tensor(type, std::move(shape), std::move(buffer));
}

Tensor TensorFromPy(nb::handle obj, const ir::Type* expected, const std::string& name) {
  if (IsNdarray(obj)) return TensorFromNdarray(obj, name);
  // Lists, scalars and numpy scalars take the dtype the graph expects, as onnxruntime does.
  nb::object array;
  if (expected && expected->elem_type != DataType::kUndefined) {
    array = Numpy().attr("asarray")(obj, NumpyDtype(expected->elem_type));
  } else {
    array = Numpy().attr("asarray")(obj);
  }
  return TensorFromNdarray(array, name);
}

}  // namespace

Value ValueFromPy(nb::handle obj, const ir::Type* expected, const std::string& name) {
  using Kind = ir::Type::Kind;
  if (nb::isinstance<Value>(obj)) return nb::cast<const Value&>(obj);
  if ((expected == nullptr || expected->kind == Kind::kTensor) && IsNdarray(obj)) {
    if (std::optional<Tensor> t = PlainTensorFromNdarray(obj)) return Value(std::move(*t));
  }
  // onnxruntime's OrtValue wrapper class keeps the native value in `_ortvalue`.
  if (nb::hasattr(obj, "_ortvalue") && nb::isinstance<Value>(obj.attr("_ortvalue"))) {
    return nb::cast<const Value&>(obj.attr("_ortvalue"));
  }
  Kind kind = expected ? expected->kind : Kind::kUnknown;
  if (kind == Kind::kOptional) {
    if (obj.is_none()) return Value::FromOptional(nullptr);
    const ir::Type* inner = expected->inner.get();
    return Value::FromOptional(std::make_shared<Value>(ValueFromPy(obj, inner, name)));
  }
  if (obj.is_none())
    Invalid(Where(name) + " is None but the model expects " + (expected ? expected->ToString() : "a value"));
  bool is_list = PyList_Check(obj.ptr()) || PyTuple_Check(obj.ptr());
  if (kind == Kind::kSequence || (kind == Kind::kUnknown && is_list && !IsNdarray(obj))) {
    if (!is_list) Invalid(Where(name) + " expects " + expected->ToString() + " (a list of arrays)");
    Sequence seq;
    const ir::Type* inner = expected ? expected->inner.get() : nullptr;
    if (inner && inner->is_tensor()) seq.elem_type = inner->elem_type;
    for (nb::handle item : obj) {
      seq.items.push_back(ValueFromPy(item, inner, name));
      if (seq.elem_type == DataType::kUndefined && seq.items.back().is_tensor()) {
        seq.elem_type = seq.items.back().tensor().type();
      }
    }
    return Value::FromSequence(std::move(seq));
  }
  if (kind == Kind::kMap || PyDict_Check(obj.ptr())) {
    if (!PyDict_Check(obj.ptr())) Invalid(Where(name) + " expects " + expected->ToString() + " (a dict)");
    MapValue map;
    const ir::Type* inner = expected ? expected->inner.get() : nullptr;
    map.key_type = expected ? expected->elem_type : DataType::kUndefined;
    for (auto [key, item] : nb::cast<nb::dict>(obj)) {
      bool string_key = PyUnicode_Check(key.ptr()) || PyBytes_Check(key.ptr());
      if (map.key_type == DataType::kUndefined) map.key_type = string_key ? DataType::kString : DataType::kInt64;
      if (map.key_type == DataType::kString) {
        if (!string_key) Invalid(Where(name) + " is a map with string keys but got a non-string key");
        map.string_keys.push_back(Str(key));
      } else {
        map.int_keys.push_back(nb::cast<int64_t>(key));
      }
      map.values.push_back(Value(TensorFromPy(item, inner, name)));
    }
    return Value::FromMap(std::move(map));
  }
  return Value(TensorFromPy(obj, expected, name));
}

namespace {

nb::tuple ShapeTuple(const Tensor& t) {
  nb::list shape_list;
  for (int64_t d : t.shape()) shape_list.append(d);
  return nb::tuple(shape_list);
}

nb::object TensorToArray(const Tensor& t, bool copy) {
  if (t.type() == DataType::kString) {
    nb::tuple shape = ShapeTuple(t);
    const std::string* s = t.data<std::string>();
    nb::list items;
    for (int64_t i = 0; i < t.size(); ++i) {
      PyObject* u = PyUnicode_DecodeUTF8(s[i].data(), static_cast<Py_ssize_t>(s[i].size()), "strict");
      if (u == nullptr) {  // not text: hand the bytes over as they are
        PyErr_Clear();
        items.append(nb::bytes(s[i].data(), s[i].size()));
      } else {
        items.append(nb::steal(u));
      }
    }
    nb::object array = Numpy().attr("empty")(nb::make_tuple(t.size()), "object");
    for (size_t i = 0; i < items.size(); ++i) array[nb::int_(i)] = items[i];
    return array.attr("reshape")(shape);
  }
  // The numpy dtype and the shape as a tuple are Python objects made per call: only the paths below that need them
  // make them (a float tensor goes out through dlpack with neither).
  if (t.size() == 0) return Numpy().attr("empty")(ShapeTuple(t), NumpyDtype(t.type()));
  if (IsSubByte(t.type())) {
    nb::tuple shape = ShapeTuple(t);
    nb::object dtype = NumpyDtype(t.type());
    int bits = DataTypeBits(t.type());
    int per_byte = 8 / bits;
    uint8_t mask = static_cast<uint8_t>((1 << bits) - 1);
    nb::object out = Numpy().attr("empty")(shape, "uint8");
    auto* dst = static_cast<uint8_t*>(PyLong_AsVoidPtr(out.attr("ctypes").attr("data").ptr()));
    const auto* src = t.data<uint8_t>();
    for (int64_t i = 0; i < t.size(); ++i) dst[i] = (src[i / per_byte] >> (bits * (i % per_byte))) & mask;
    return out.attr("view")(dtype);
  }
  Tensor held = copy ? t.Clone() : t;
  std::vector<size_t> dims(held.shape().begin(), held.shape().end());
  nb::dlpack::dtype dl;
  dl.lanes = 1;
  dl.bits = static_cast<uint8_t>(DataTypeBits(held.type()));
  const char* view_as = nullptr;
  switch (held.type()) {
    case DataType::kFloat:
    case DataType::kDouble:
    case DataType::kFloat16:
      dl.code = static_cast<uint8_t>(nb::dlpack::dtype_code::Float);
      break;
    case DataType::kInt8:
    case DataType::kInt16:
    case DataType::kInt32:
    case DataType::kInt64:
      dl.code = static_cast<uint8_t>(nb::dlpack::dtype_code::Int);
      break;
    case DataType::kBool:
      dl.code = static_cast<uint8_t>(nb::dlpack::dtype_code::Bool);
      break;
    case DataType::kComplex64:
    case DataType::kComplex128:
      dl.code = static_cast<uint8_t>(nb::dlpack::dtype_code::Complex);
      break;
    default:  // unsigned, and the ml_dtypes types seen as their bits
      dl.code = static_cast<uint8_t>(nb::dlpack::dtype_code::UInt);
      view_as = MlDtypeName(held.type());
      break;
  }
  auto* owner_tensor = new Tensor(held);
  nb::capsule owner(owner_tensor, [](void* p) noexcept { delete static_cast<Tensor*>(p); });
  nb::ndarray<nb::numpy> array(owner_tensor->raw(), dims.size(), dims.data(), owner, nullptr, dl);
  nb::object result = array.cast();
  if (view_as != nullptr) result = result.attr("view")(NumpyDtype(t.type()));
  return result;
}

nb::object MapScalar(const Value& v, const std::unordered_set<const Buffer*>* foreign) {
  if (v.is_tensor() && v.tensor().rank() == 0) return TensorToArray(v.tensor(), true).attr("item")();
  return ValueToPy(v, foreign);
}

}  // namespace

nb::object ValueToPy(const Value& value, const std::unordered_set<const Buffer*>* foreign) {
  switch (value.kind()) {
    case Value::Kind::kNone:
      return nb::none();
    case Value::Kind::kTensor: {
      const Tensor& t = value.tensor();
      const auto& buffer = t.buffer();
      bool copy = buffer && (buffer.use_count() > 1 || (foreign && foreign->count(buffer.get())));
      return TensorToArray(t, copy);
    }
    case Value::Kind::kSequence: {
      nb::list out;
      for (const Value& item : value.sequence().items) out.append(ValueToPy(item, foreign));
      return out;
    }
    case Value::Kind::kOptional:
      return value.has_element() ? ValueToPy(value.optional_element(), foreign) : nb::none();
    case Value::Kind::kMap: {
      const MapValue& m = value.map();
      nb::dict out;
      for (size_t i = 0; i < m.values.size(); ++i) {
        nb::object key = m.key_type == DataType::kString ? nb::object(nb::str(m.string_keys[i].c_str()))
                                                         : nb::object(nb::int_(m.int_keys[i]));
        out[key] = MapScalar(m.values[i], foreign);
      }
      return out;
    }
  }
  return nb::none();
}

void CollectBuffers(const Value& value, std::unordered_set<const Buffer*>* out) {
  switch (value.kind()) {
    case Value::Kind::kTensor:
      if (value.tensor().buffer()) out->insert(value.tensor().buffer().get());
      break;
    case Value::Kind::kSequence:
      for (const Value& item : value.sequence().items) CollectBuffers(item, out);
      break;
    case Value::Kind::kOptional:
      if (value.has_element()) CollectBuffers(value.optional_element(), out);
      break;
    case Value::Kind::kMap:
      for (const Value& item : value.map().values) CollectBuffers(item, out);
      break;
    case Value::Kind::kNone:
      break;
  }
}

std::string ValueTypeString(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kNone:
      return "unknown";
    case Value::Kind::kTensor:
      return std::string("tensor(") + DataTypeName(value.tensor().type()) + ")";
    case Value::Kind::kSequence: {
      const Sequence& s = value.sequence();
      if (!s.items.empty()) return "seq(" + ValueTypeString(s.items[0]) + ")";
      return std::string("seq(tensor(") + DataTypeName(s.elem_type) + "))";
    }
    case Value::Kind::kOptional:
      return "optional(" + (value.has_element() ? ValueTypeString(value.optional_element()) : std::string("unknown")) +
             ")";
    case Value::Kind::kMap: {
      const MapValue& m = value.map();
      std::string inner = m.values.empty() ? std::string("unknown") : ValueTypeString(m.values[0]);
      return std::string("map(") + DataTypeName(m.key_type) + "," + inner + ")";
    }
  }
  return "unknown";
}

}  // namespace onyx::py

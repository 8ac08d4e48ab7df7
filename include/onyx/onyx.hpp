// Onyx C++ API: a header-only wrapper over the C API (onyx_c_api.h). RAII handles, move-only, and errors
// thrown as onyx::Error. It uses nothing but the C API, so it works against any build of the shared library
// that exports the same C API version.
//
//   onyx::Session session("model.onnx");
//   std::vector<onyx::Value> inputs;
//   inputs.push_back(onyx::Value::Tensor<float>({1, 3}, {1.f, 2.f, 3.f}));
//   std::vector<onyx::Value> outputs = session.Run({"x"}, inputs);
//   const float* y = outputs[0].data<float>();
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "onyx_c_api.h"

namespace onyx {
// The engine's internal classes also live in namespace onyx (onyx::Session, onyx::Value). The inline namespace
// gives the wrapper's classes their own mangled names, so a program that links the engine's C++ symbols as well
// never sees two definitions of one class; users still write onyx::Session.
inline namespace api {

enum class ElementType : int32_t {
  kUndefined = ONYX_ELEMENT_TYPE_UNDEFINED,
  kFloat = ONYX_ELEMENT_TYPE_FLOAT,
  kUint8 = ONYX_ELEMENT_TYPE_UINT8,
  kInt8 = ONYX_ELEMENT_TYPE_INT8,
  kUint16 = ONYX_ELEMENT_TYPE_UINT16,
  kInt16 = ONYX_ELEMENT_TYPE_INT16,
  kInt32 = ONYX_ELEMENT_TYPE_INT32,
  kInt64 = ONYX_ELEMENT_TYPE_INT64,
  kString = ONYX_ELEMENT_TYPE_STRING,
  kBool = ONYX_ELEMENT_TYPE_BOOL,
  kFloat16 = ONYX_ELEMENT_TYPE_FLOAT16,
  kDouble = ONYX_ELEMENT_TYPE_DOUBLE,
  kUint32 = ONYX_ELEMENT_TYPE_UINT32,
  kUint64 = ONYX_ELEMENT_TYPE_UINT64,
  kComplex64 = ONYX_ELEMENT_TYPE_COMPLEX64,
  kComplex128 = ONYX_ELEMENT_TYPE_COMPLEX128,
  kBFloat16 = ONYX_ELEMENT_TYPE_BFLOAT16,
  kFloat8E4M3FN = ONYX_ELEMENT_TYPE_FLOAT8E4M3FN,
  kFloat8E4M3FNUZ = ONYX_ELEMENT_TYPE_FLOAT8E4M3FNUZ,
  kFloat8E5M2 = ONYX_ELEMENT_TYPE_FLOAT8E5M2,
  kFloat8E5M2FNUZ = ONYX_ELEMENT_TYPE_FLOAT8E5M2FNUZ,
  kUint4 = ONYX_ELEMENT_TYPE_UINT4,
  kInt4 = ONYX_ELEMENT_TYPE_INT4,
  kFloat4E2M1 = ONYX_ELEMENT_TYPE_FLOAT4E2M1,
  kFloat8E8M0 = ONYX_ELEMENT_TYPE_FLOAT8E8M0,
  kUint2 = ONYX_ELEMENT_TYPE_UINT2,
  kInt2 = ONYX_ELEMENT_TYPE_INT2,
};

enum class ValueKind : int {
  kNone = ONYX_VALUE_KIND_NONE,
  kTensor = ONYX_VALUE_KIND_TENSOR,
  kSequence = ONYX_VALUE_KIND_SEQUENCE,
  kOptional = ONYX_VALUE_KIND_OPTIONAL,
  kMap = ONYX_VALUE_KIND_MAP,
  kSparseTensor = ONYX_VALUE_KIND_SPARSE_TENSOR,
  kOpaque = ONYX_VALUE_KIND_OPAQUE,
};

enum class LogLevel : int {
  kVerbose = ONYX_LOG_VERBOSE,
  kInfo = ONYX_LOG_INFO,
  kWarning = ONYX_LOG_WARNING,
  kError = ONYX_LOG_ERROR,
  kFatal = ONYX_LOG_FATAL,
};

enum class ExecutionMode : int { kSequential = ONYX_EXECUTION_SEQUENTIAL, kParallel = ONYX_EXECUTION_PARALLEL };

enum class OptimizationLevel : int {
  kDisabled = ONYX_OPTIMIZATION_DISABLED,
  kBasic = ONYX_OPTIMIZATION_BASIC,
  kExtended = ONYX_OPTIMIZATION_EXTENDED,
  kAll = ONYX_OPTIMIZATION_ALL,
};

inline const char* ElementTypeName(ElementType t) { return OnyxElementTypeName(static_cast<OnyxElementType>(t)); }

// The element type of a C++ type; only types whose memory layout matches ONNX's are listed.
template <typename T>
struct ElementTypeOf;
#define ONYX_API_ELEMENT_TYPE_OF(T, E)                   \
  template <>                                            \
  struct ElementTypeOf<T> {                              \
    static constexpr ElementType value = ElementType::E; \
  }
ONYX_API_ELEMENT_TYPE_OF(float, kFloat);
ONYX_API_ELEMENT_TYPE_OF(double, kDouble);
ONYX_API_ELEMENT_TYPE_OF(int8_t, kInt8);
ONYX_API_ELEMENT_TYPE_OF(int16_t, kInt16);
ONYX_API_ELEMENT_TYPE_OF(int32_t, kInt32);
ONYX_API_ELEMENT_TYPE_OF(int64_t, kInt64);
ONYX_API_ELEMENT_TYPE_OF(uint8_t, kUint8);
ONYX_API_ELEMENT_TYPE_OF(uint16_t, kUint16);
ONYX_API_ELEMENT_TYPE_OF(uint32_t, kUint32);
ONYX_API_ELEMENT_TYPE_OF(uint64_t, kUint64);
ONYX_API_ELEMENT_TYPE_OF(bool, kBool);
#undef ONYX_API_ELEMENT_TYPE_OF

// Every failure of the C API, with its status code.
class Error : public std::runtime_error {
 public:
  Error(OnyxStatusCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  OnyxStatusCode code() const noexcept { return code_; }
  const char* code_name() const noexcept { return OnyxStatusCodeName(code_); }

 private:
  OnyxStatusCode code_;
};

namespace detail {

struct StatusDeleter {
  void operator()(OnyxStatus* s) const noexcept { OnyxReleaseStatus(s); }
};

// Throws the status as an Error (releasing it either way).
inline void Check(OnyxStatus* raw) {
  if (raw == nullptr) return;
  std::unique_ptr<OnyxStatus, StatusDeleter> status(raw);
  throw Error(OnyxStatusGetCode(status.get()), OnyxStatusGetMessage(status.get()));
}

// A move-only owner of a C handle released by `Release`.
template <typename H, void (*Release)(H*)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(H* h) noexcept : h_(h) {}
  Handle(Handle&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      if (h_ != nullptr) Release(h_);
      h_ = std::exchange(o.h_, nullptr);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (h_ != nullptr) Release(h_);
  }
  H* get() const noexcept { return h_; }
  H* release() noexcept { return std::exchange(h_, nullptr); }

 private:
  H* h_ = nullptr;
};

inline std::string Str(const char* s) { return s == nullptr ? std::string() : std::string(s); }

}  // namespace detail

// The declared type of a graph input or output.
struct TypeInfo {
  ValueKind kind = ValueKind::kNone;
  ElementType element_type = ElementType::kUndefined;  // tensors; the key type for maps
  int64_t rank = -1;                                   // -1: unknown (or not a tensor)
  std::vector<int64_t> dims;                           // -1 where a dim is not fixed
  std::vector<std::string> symbolic_dims;              // "" where a dim has no name
  std::string text;                                    // "tensor(float)[N,3]"
  std::shared_ptr<const TypeInfo> inner;               // element of a sequence/optional, value of a map

  static TypeInfo FromC(const OnyxTypeInfo* info) {
    TypeInfo t;
    OnyxValueKind kind = ONYX_VALUE_KIND_NONE;
    OnyxElementType elem = ONYX_ELEMENT_TYPE_UNDEFINED;
    const char* text = nullptr;
    detail::Check(OnyxTypeInfoGetKind(info, &kind));
    detail::Check(OnyxTypeInfoGetElementType(info, &elem));
    detail::Check(OnyxTypeInfoGetRank(info, &t.rank));
    detail::Check(OnyxTypeInfoToString(info, &text));
    t.kind = static_cast<ValueKind>(kind);
    t.element_type = static_cast<ElementType>(elem);
    t.text = detail::Str(text);
    if (t.rank >= 0) {
      t.dims.resize(static_cast<size_t>(t.rank));
      detail::Check(OnyxTypeInfoGetDims(info, t.dims.data(), t.dims.size()));
      for (size_t i = 0; i < t.dims.size(); ++i) {
        const char* name = nullptr;
        detail::Check(OnyxTypeInfoGetSymbolicDim(info, i, &name));
        t.symbolic_dims.push_back(detail::Str(name));
      }
    }
    if (kind == ONYX_VALUE_KIND_SEQUENCE || kind == ONYX_VALUE_KIND_OPTIONAL || kind == ONYX_VALUE_KIND_MAP) {
      const OnyxTypeInfo* inner = nullptr;
      if (OnyxStatus* st = OnyxTypeInfoGetInner(info, &inner)) {
        OnyxReleaseStatus(st);  // an element type the model leaves unsaid is not an error here
      } else {
        t.inner = std::make_shared<const TypeInfo>(FromC(inner));
      }
    }
    return t;
  }
};

struct ModelMetadata {
  std::string producer_name, producer_version, graph_name, domain, description, graph_description;
  int64_t version = 0;
  int64_t ir_version = 0;
  std::map<std::string, std::string> custom;
};

class SessionOptions {
 public:
  SessionOptions() {
    OnyxSessionOptions* h = nullptr;
    detail::Check(OnyxCreateSessionOptions(&h));
    h_ = Owned(h);
  }
  SessionOptions& SetLogLevel(LogLevel level) {
    detail::Check(OnyxSessionOptionsSetLogLevel(h_.get(), static_cast<OnyxLogLevel>(level)));
    return *this;
  }
  SessionOptions& SetIntraOpThreads(int threads) {
    detail::Check(OnyxSessionOptionsSetIntraOpThreads(h_.get(), threads));
    return *this;
  }
  SessionOptions& SetExecutionMode(ExecutionMode mode) {
    detail::Check(OnyxSessionOptionsSetExecutionMode(h_.get(), static_cast<OnyxExecutionMode>(mode)));
    return *this;
  }
  SessionOptions& SetOptimizationLevel(OptimizationLevel level) {
    detail::Check(OnyxSessionOptionsSetOptimizationLevel(h_.get(), static_cast<OnyxOptimizationLevel>(level)));
    return *this;
  }
  SessionOptions& AddConfigEntry(const std::string& key, const std::string& value) {
    detail::Check(OnyxSessionOptionsAddConfigEntry(h_.get(), key.c_str(), value.c_str()));
    return *this;
  }
  // A Chrome trace of the session, written to "<prefix>_<date>_<time>.json" (see Session::EndProfiling).
  SessionOptions& EnableProfiling(const std::string& profile_file_prefix = "onyx_profile") {
    detail::Check(OnyxSessionOptionsEnableProfiling(h_.get(), profile_file_prefix.c_str()));
    return *this;
  }
  SessionOptions& DisableProfiling() {
    detail::Check(OnyxSessionOptionsDisableProfiling(h_.get()));
    return *this;
  }
  // Buffers kept from run to run (on by default), and a planned arena for runs that repeat (on by default).
  SessionOptions& SetCpuMemArena(bool enable) {
    detail::Check(enable ? OnyxSessionOptionsEnableCpuMemArena(h_.get())
                         : OnyxSessionOptionsDisableCpuMemArena(h_.get()));
    return *this;
  }
  SessionOptions& SetMemPattern(bool enable) {
    detail::Check(enable ? OnyxSessionOptionsEnableMemPattern(h_.get())
                         : OnyxSessionOptionsDisableMemPattern(h_.get()));
    return *this;
  }
  const OnyxSessionOptions* get() const noexcept { return h_.get(); }

 private:
  using Owned = detail::Handle<OnyxSessionOptions, OnyxReleaseSessionOptions>;
  Owned h_;
};

class RunOptions {
 public:
  RunOptions() {
    OnyxRunOptions* h = nullptr;
    detail::Check(OnyxCreateRunOptions(&h));
    h_ = Owned(h);
  }
  // Thread-safe: may be called while a Run using these options is in progress, to stop it.
  void SetTerminate(bool terminate) { detail::Check(OnyxRunOptionsSetTerminate(h_.get(), terminate ? 1 : 0)); }
  const OnyxRunOptions* get() const noexcept { return h_.get(); }

 private:
  using Owned = detail::Handle<OnyxRunOptions, OnyxReleaseRunOptions>;
  Owned h_;
};

// A tensor, sequence or optional. A default-constructed Value holds no handle; any accessor on it throws.
class Value {
 public:
  Value() = default;
  // Takes ownership of a handle from the C API.
  explicit Value(OnyxValue* handle) noexcept : h_(handle) {}

  // A tensor holding a copy of `data`, whose size must match the shape.
  template <typename T>
  static Value Tensor(const std::vector<int64_t>& shape, std::span<const T> data) {
    return TensorFromBytes(ElementTypeOf<T>::value, shape, data.data(), data.size() * sizeof(T));
  }
  template <typename T>
  static Value Tensor(const std::vector<int64_t>& shape, std::initializer_list<T> data) {
    return Tensor<T>(shape, std::span<const T>(data.begin(), data.size()));
  }
  template <typename T>
  static Value Tensor(const std::vector<int64_t>& shape, const std::vector<T>& data) {
    static_assert(!std::is_same_v<T, bool>, "std::vector<bool> has no contiguous storage; pass a bool array");
    return Tensor<T>(shape, std::span<const T>(data.data(), data.size()));
  }
  // Any element type from raw bytes (float16, bfloat16, packed 4-bit types, ...).
  static Value TensorFromBytes(ElementType type, const std::vector<int64_t>& shape, const void* data, size_t bytes) {
    OnyxValue* h = nullptr;
    detail::Check(OnyxCreateTensor(static_cast<OnyxElementType>(type), shape.data(), shape.size(), data, bytes, &h));
    return Value(h);
  }
  // A zero-filled tensor to be written through mutable_data<T>().
  static Value Zeros(ElementType type, const std::vector<int64_t>& shape) {
    OnyxValue* h = nullptr;
    detail::Check(OnyxCreateTensorZeroed(static_cast<OnyxElementType>(type), shape.data(), shape.size(), &h));
    return Value(h);
  }
  // Wraps `count` elements at `data` without copying; the caller keeps them alive (and unchanged while a run
  // reads them) as long as this value and any run output computed from it.
  template <typename T>
  static Value Wrap(const std::vector<int64_t>& shape, T* data, size_t count) {
    return WrapBytes(ElementTypeOf<T>::value, shape, data, count * sizeof(T));
  }
  static Value WrapBytes(ElementType type, const std::vector<int64_t>& shape, void* data, size_t bytes) {
    OnyxValue* h = nullptr;
    detail::Check(
        OnyxCreateTensorWrapping(static_cast<OnyxElementType>(type), shape.data(), shape.size(), data, bytes, &h));
    return Value(h);
  }
  static Value Strings(const std::vector<int64_t>& shape, const std::vector<std::string>& strings) {
    std::vector<const char*> ptrs;
    std::vector<size_t> lengths;
    ptrs.reserve(strings.size());
    lengths.reserve(strings.size());
    for (const std::string& s : strings) {
      ptrs.push_back(s.data());
      lengths.push_back(s.size());
    }
    OnyxValue* h = nullptr;
    detail::Check(OnyxCreateStringTensor(shape.data(), shape.size(), ptrs.data(), lengths.data(), ptrs.size(), &h));
    return Value(h);
  }
  // A sequence of tensors (shallow copies: they share memory with `items`).
  static Value Sequence(const std::vector<Value>& items, ElementType elem_type = ElementType::kUndefined) {
    std::vector<const OnyxValue*> ptrs;
    ptrs.reserve(items.size());
    for (const Value& v : items) ptrs.push_back(v.get());
    OnyxValue* h = nullptr;
    detail::Check(OnyxCreateSequence(ptrs.data(), ptrs.size(), static_cast<OnyxElementType>(elem_type), &h));
    return Value(h);
  }
  static Value Optional(const Value& element) { return MakeOptional(element.get()); }
  static Value EmptyOptional() { return MakeOptional(nullptr); }

  OnyxValue* get() const noexcept { return h_.get(); }
  OnyxValue* release() noexcept { return h_.release(); }
  explicit operator bool() const noexcept { return h_.get() != nullptr; }

  ValueKind kind() const {
    OnyxValueKind k = ONYX_VALUE_KIND_NONE;
    detail::Check(OnyxValueGetKind(get(), &k));
    return static_cast<ValueKind>(k);
  }
  bool is_tensor() const { return kind() == ValueKind::kTensor; }

  // ---- tensors ----
  ElementType element_type() const {
    OnyxElementType t = ONYX_ELEMENT_TYPE_UNDEFINED;
    detail::Check(OnyxTensorGetElementType(get(), &t));
    return static_cast<ElementType>(t);
  }
  std::vector<int64_t> shape() const {
    size_t rank = 0;
    detail::Check(OnyxTensorGetRank(get(), &rank));
    std::vector<int64_t> dims(rank);
    detail::Check(OnyxTensorGetDims(get(), dims.data(), dims.size()));
    return dims;
  }
  int64_t element_count() const {
    int64_t n = 0;
    detail::Check(OnyxTensorGetElementCount(get(), &n));
    return n;
  }
  size_t data_bytes() const {
    size_t n = 0;
    detail::Check(OnyxTensorGetDataBytes(get(), &n));
    return n;
  }
  const void* raw_data() const {
    const void* p = nullptr;
    detail::Check(OnyxTensorGetData(get(), &p));
    return p;
  }
  // The elements, read-only; throws when T does not match the element type.
  template <typename T>
  const T* data() const {
    CheckType<T>("data");
    return static_cast<const T*>(raw_data());
  }
  // Writable elements; only for values the caller created (see OnyxTensorGetMutableData).
  template <typename T>
  T* mutable_data() {
    CheckType<T>("mutable_data");
    void* p = nullptr;
    detail::Check(OnyxTensorGetMutableData(get(), &p));
    return static_cast<T*>(p);
  }
  // A copy of the elements.
  template <typename T>
  std::vector<T> to_vector() const {
    static_assert(!std::is_same_v<T, bool>, "std::vector<bool> has no contiguous storage; use data<bool>()");
    const T* p = data<T>();
    auto n = static_cast<size_t>(element_count());
    return n == 0 ? std::vector<T>() : std::vector<T>(p, p + n);
  }
  std::string string_at(size_t index) const {
    const char* s = nullptr;
    size_t length = 0;
    detail::Check(OnyxTensorGetString(get(), index, &s, &length));
    return std::string(s, length);
  }
  std::vector<std::string> strings() const {
    if (element_type() != ElementType::kString) {
      throw Error(ONYX_INVALID_ARGUMENT,
                  std::string("Value::strings: the tensor holds ") + ElementTypeName(element_type()) + ", not string");
    }
    std::vector<std::string> out;
    auto n = static_cast<size_t>(element_count());
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) out.push_back(string_at(i));
    return out;
  }

  // ---- sequences and optionals ----
  size_t sequence_length() const {
    size_t n = 0;
    detail::Check(OnyxSequenceGetLength(get(), &n));
    return n;
  }
  Value sequence_item(size_t index) const {
    OnyxValue* h = nullptr;
    detail::Check(OnyxSequenceGetItem(get(), index, &h));
    return Value(h);
  }
  bool has_element() const {
    int has = 0;
    detail::Check(OnyxOptionalHasElement(get(), &has));
    return has != 0;
  }
  Value element() const {
    OnyxValue* h = nullptr;
    detail::Check(OnyxOptionalGetElement(get(), &h));
    return Value(h);
  }

 private:
  template <typename T>
  void CheckType(const char* what) const {
    ElementType actual = element_type();
    if (actual != ElementTypeOf<T>::value) {
      throw Error(ONYX_INVALID_ARGUMENT, std::string("Value::") + what + "<" +
                                             ElementTypeName(ElementTypeOf<T>::value) + ">: the tensor holds " +
                                             ElementTypeName(actual));
    }
  }
  static Value MakeOptional(const OnyxValue* element) {
    OnyxValue* h = nullptr;
    detail::Check(OnyxCreateOptional(element, &h));
    return Value(h);
  }

  detail::Handle<OnyxValue, OnyxReleaseValue> h_;
};

class Session {
 public:
  explicit Session(const std::string& model_path) { Create(model_path, nullptr); }
  Session(const std::string& model_path, const SessionOptions& options) { Create(model_path, options.get()); }
  // The bytes are needed only during the constructor.
  Session(const void* model_data, size_t model_size) { Create(model_data, model_size, nullptr); }
  Session(const void* model_data, size_t model_size, const SessionOptions& options) {
    Create(model_data, model_size, options.get());
  }

  size_t input_count() const {
    size_t n = 0;
    detail::Check(OnyxSessionGetInputCount(get(), &n));
    return n;
  }
  size_t output_count() const {
    size_t n = 0;
    detail::Check(OnyxSessionGetOutputCount(get(), &n));
    return n;
  }
  std::vector<std::string> input_names() const {
    std::vector<std::string> names;
    for (size_t i = 0, n = input_count(); i < n; ++i) {
      const char* name = nullptr;
      detail::Check(OnyxSessionGetInputName(get(), i, &name));
      names.push_back(detail::Str(name));
    }
    return names;
  }
  std::vector<std::string> output_names() const {
    std::vector<std::string> names;
    for (size_t i = 0, n = output_count(); i < n; ++i) {
      const char* name = nullptr;
      detail::Check(OnyxSessionGetOutputName(get(), i, &name));
      names.push_back(detail::Str(name));
    }
    return names;
  }
  TypeInfo input_type(size_t index) const {
    const OnyxTypeInfo* info = nullptr;
    detail::Check(OnyxSessionGetInputTypeInfo(get(), index, &info));
    return TypeInfo::FromC(info);
  }
  TypeInfo output_type(size_t index) const {
    const OnyxTypeInfo* info = nullptr;
    detail::Check(OnyxSessionGetOutputTypeInfo(get(), index, &info));
    return TypeInfo::FromC(info);
  }
  ModelMetadata metadata() const {
    const OnyxModelMetadata* m = nullptr;
    detail::Check(OnyxSessionGetModelMetadata(get(), &m));
    ModelMetadata md;
    const char* s = nullptr;
    detail::Check(OnyxModelMetadataGetProducerName(m, &s));
    md.producer_name = detail::Str(s);
    detail::Check(OnyxModelMetadataGetProducerVersion(m, &s));
    md.producer_version = detail::Str(s);
    detail::Check(OnyxModelMetadataGetGraphName(m, &s));
    md.graph_name = detail::Str(s);
    detail::Check(OnyxModelMetadataGetDomain(m, &s));
    md.domain = detail::Str(s);
    detail::Check(OnyxModelMetadataGetDescription(m, &s));
    md.description = detail::Str(s);
    detail::Check(OnyxModelMetadataGetGraphDescription(m, &s));
    md.graph_description = detail::Str(s);
    detail::Check(OnyxModelMetadataGetVersion(m, &md.version));
    detail::Check(OnyxModelMetadataGetIrVersion(m, &md.ir_version));
    size_t n = 0;
    detail::Check(OnyxModelMetadataGetCustomCount(m, &n));
    for (size_t i = 0; i < n; ++i) {
      const char* key = nullptr;
      const char* value = nullptr;
      detail::Check(OnyxModelMetadataGetCustomKey(m, i, &key));
      detail::Check(OnyxModelMetadataLookupCustom(m, key, &value));
      md.custom[detail::Str(key)] = detail::Str(value);
    }
    return md;
  }

  // Runs the model. An empty `output_names` asks for every output in graph order; names may also be intermediate
  // values of the main graph (as computed at the session's optimization level; a value the optimizer fused away
  // is an error saying so). Thread-safe.
  std::vector<Value> Run(const std::vector<std::string>& input_names, const std::vector<Value>& inputs,
                         const std::vector<std::string>& output_names = {},
                         const RunOptions* run_options = nullptr) const {
    std::vector<const Value*> ptrs;
    ptrs.reserve(inputs.size());
    for (const Value& v : inputs) ptrs.push_back(&v);
    return RunImpl(input_names, ptrs, output_names, run_options);
  }
  // The same with borrowed inputs: session.Run({"a", "b"}, {&a, &b}).
  std::vector<Value> Run(const std::vector<std::string>& input_names, std::initializer_list<const Value*> inputs,
                         const std::vector<std::string>& output_names = {},
                         const RunOptions* run_options = nullptr) const {
    return RunImpl(input_names, std::span<const Value* const>(inputs.begin(), inputs.size()), output_names,
                   run_options);
  }
  std::vector<Value> Run(const std::vector<std::string>& input_names, std::span<const Value* const> inputs,
                         const std::vector<std::string>& output_names = {},
                         const RunOptions* run_options = nullptr) const {
    return RunImpl(input_names, inputs, output_names, run_options);
  }

  // Writes the profiling trace and stops profiling; returns its file name, "" when not profiling or already ended.
  std::string EndProfiling() const {
    const char* path = nullptr;
    detail::Check(OnyxSessionEndProfiling(get(), &path));
    return detail::Str(path);
  }
  // When profiling started, in nanoseconds since the Unix epoch; 0 without profiling.
  uint64_t profiling_start_time_ns() const {
    uint64_t ns = 0;
    detail::Check(OnyxSessionGetProfilingStartTimeNs(get(), &ns));
    return ns;
  }

  const OnyxSession* get() const noexcept { return h_.get(); }

 private:
  std::vector<Value> RunImpl(const std::vector<std::string>& input_names, std::span<const Value* const> inputs,
                             const std::vector<std::string>& output_names, const RunOptions* run_options) const {
    if (input_names.size() != inputs.size()) {
      throw Error(ONYX_INVALID_ARGUMENT, "Session::Run: " + std::to_string(input_names.size()) + " input names but " +
                                             std::to_string(inputs.size()) + " input values");
    }
    std::vector<const char*> in_names;
    std::vector<const OnyxValue*> in_values;
    for (size_t i = 0; i < inputs.size(); ++i) {
      in_names.push_back(input_names[i].c_str());
      in_values.push_back(inputs[i] == nullptr ? nullptr : inputs[i]->get());
    }
    std::vector<const char*> out_names;
    for (const std::string& name : output_names) out_names.push_back(name.c_str());
    size_t out_count = output_names.empty() ? output_count() : output_names.size();
    std::vector<OnyxValue*> raw(out_count, nullptr);
    std::vector<Value> outputs;
    outputs.reserve(out_count);  // before the run, so that taking ownership of its results cannot throw
    detail::Check(OnyxRun(get(), run_options == nullptr ? nullptr : run_options->get(), in_names.data(),
                          in_values.data(), in_values.size(), output_names.empty() ? nullptr : out_names.data(),
                          out_count, raw.data()));
    for (OnyxValue* h : raw) outputs.emplace_back(h);
    return outputs;
  }

  void Create(const std::string& path, const OnyxSessionOptions* options) {
    OnyxSession* h = nullptr;
    detail::Check(OnyxCreateSession(path.c_str(), options, &h));
    h_ = Owned(h);
  }
  void Create(const void* data, size_t size, const OnyxSessionOptions* options) {
    OnyxSession* h = nullptr;
    detail::Check(OnyxCreateSessionFromBytes(data, size, options, &h));
    h_ = Owned(h);
  }

  using Owned = detail::Handle<OnyxSession, OnyxReleaseSession>;
  Owned h_;
};

}  // namespace api
}  // namespace onyx

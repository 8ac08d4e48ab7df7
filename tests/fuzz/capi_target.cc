// Fuzz target `capi`: the C API (include/onyx/onyx_c_api.h) called with hostile arguments: NULL pointers, counts
// and sizes that do not match, element types and enum values out of range, negative and huge dims, indexes past
// the end, values of the wrong kind (a sequence where a tensor is expected, a run output where a writable value
// is), names that are not inputs, handles of one type passed as another (a session where a value is expected,
// or bytes that are no handle: each handle carries a type tag), and every call in any order on a small table of
// live handles. The input is a program: one opcode byte per call, its arguments read from the bytes after it.
// Every call must return (an error is fine) and every handle is released at the end: a crash, a leak or a
// sanitizer report is a bug.
//
// What the API cannot check is left out: a pointer to memory that is smaller than the count passed with it (or
// than a handle's tag), and a released handle used again. The arrays handed over here are always as large as the
// counts say.
#include <array>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "fuzz_common.h"
#include "onyx/onyx_c_api.h"

namespace onyx::fuzz {
namespace {

// Cases of the ONNX node suite whose models exercise tensors, strings, sequences and optionals.
constexpr const char* kModels[] = {"test_add", "test_string_concat", "test_identity_sequence",
                                   "test_optional_get_element_sequence", "test_split_to_sequence_1"};
constexpr size_t kSlots = 8;

struct Program {
  explicit Program(ByteReader reader) : r(reader) {}
  ByteReader r;
  std::array<OnyxValue*, kSlots> values{};
  std::array<OnyxValue*, 8> fresh{};
  size_t fresh_count = 0;
  bool made_session = false;
  // 0 and 1: made once per process (test_add, test_string_concat) and shared by every program, so a program does
  // not pay for two session creations; 2 and 3: the program's own (case 14), released at the end.
  std::array<OnyxSession*, 4> sessions{};
  OnyxSessionOptions* options = nullptr;
  OnyxRunOptions* run_options = nullptr;
  std::vector<std::vector<uint8_t>> wrapped;  // memory behind OnyxCreateTensorWrapping values, kept to the end
  std::string model_path;

  void Check(OnyxStatus* st) {
    if (st != nullptr) {
      (void)OnyxStatusGetMessage(st);
      (void)OnyxStatusGetCode(st);
      OnyxReleaseStatus(st);
    }
  }
  bool Ok(OnyxStatus* st) {
    const bool ok = st == nullptr;
    Check(st);
    return ok;
  }
  OnyxValue* AnyValue() { return Mix(values[r.Byte() % kSlots]); }  // may be NULL
  // Sometimes a live handle of another type, or bytes that are no handle, in place of `p` (never one of p's own
  // type: a release would then free a handle the table still holds).
  template <typename T>
  T* Mix(T* p) {
    const uint8_t b = r.Byte();
    if (b % 16 != 0) return p;
    static unsigned char junk[64];
    std::memset(junk, b, sizeof(junk));
    void* others[] = {sessions[0], values[b % kSlots], options, run_options, junk};
    void* other = others[(b >> 4) % std::size(others)];
    if (other == nullptr || other == static_cast<const void*>(p)) return p;
    if constexpr (std::is_same_v<std::remove_const_t<T>, OnyxValue>) {
      if (other == values[b % kSlots]) return p;
    }
    if constexpr (std::is_same_v<std::remove_const_t<T>, OnyxSession>) {
      if (other == sessions[0]) return p;
    }
    if constexpr (std::is_same_v<std::remove_const_t<T>, OnyxSessionOptions>) {
      if (other == options) return p;
    }
    if constexpr (std::is_same_v<std::remove_const_t<T>, OnyxRunOptions>) {
      if (other == run_options) return p;
    }
    return reinterpret_cast<T*>(other);
  }
  // Where a call puts a new value. It joins the table only after the call (Keep), so that a value the same call
  // reads is not released under it.
  OnyxValue** Slot() {
    if (fresh_count == fresh.size()) Keep();
    fresh[fresh_count] = nullptr;
    return &fresh[fresh_count++];
  }
  void Keep() {
    for (size_t i = 0; i < fresh_count; ++i) {
      if (fresh[i] == nullptr) continue;
      OnyxValue*& slot = values[r.Byte() % kSlots];
      OnyxReleaseValue(slot);
      slot = fresh[i];
    }
    fresh_count = 0;
  }
  // A pointer the API may get: mostly valid, sometimes NULL.
  template <typename T>
  T* OrNull(T* p) {
    return (r.Byte() % 8) == 0 ? nullptr : p;
  }
  // Enum arguments stay within what the C++ enum can hold (the smallest bit-field covering its enumerators):
  // numbers past that are legal in C but undefined once C++ code reads them, so UBSan would flag the caller.
  // Within it, numbers that name no enumerator (27..31 for element types, 3..98 for levels) test the checks.
  OnyxElementType Type() { return static_cast<OnyxElementType>(r.Byte() % 32); }
  // Reads a shape: rank up to 8 (sometimes a rank that does not fit the array: then the array is NULL).
  size_t Shape(std::array<int64_t, 8>* dims, const int64_t** shape) {
    uint8_t b = r.Byte();
    size_t rank = b % 9;
    for (size_t i = 0; i < rank; ++i) {
      uint8_t d = r.Byte();
      (*dims)[i] = d < 240 ? d % 6 : (d < 248 ? -static_cast<int64_t>(d % 3) - 1 : int64_t{1} << (40 + d % 24));
    }
    *shape = dims->data();
    if (b >= 240) {
      *shape = nullptr;
      if (b >= 248) rank = size_t{1} << (b % 64);  // a count far past any array: only legal with NULL
    }
    return rank;
  }
  const char* Name(OnyxSession* s) {
    static const char* kOthers[] = {"", "X", "no such input", "x", "y", "z", "output"};
    uint8_t b = r.Byte();
    if (s != nullptr && b < 128) {
      size_t count = 0;
      const char* name = nullptr;
      if (Ok(OnyxSessionGetInputCount(s, &count)) && count > 0 && Ok(OnyxSessionGetInputName(s, b % count, &name))) {
        return name;
      }
    }
    return kOthers[b % std::size(kOthers)];
  }

  void Step();
  void Finish() {
    Keep();
    for (OnyxValue*& v : values) OnyxReleaseValue(v);
    OnyxReleaseSession(sessions[2]);
    OnyxReleaseSession(sessions[3]);
    OnyxReleaseSessionOptions(options);
    OnyxReleaseRunOptions(run_options);
  }
};

void Program::Step() {
  uint8_t op = r.Byte() % 20;
  std::array<int64_t, 8> dims{};
  const int64_t* shape = nullptr;
  switch (op) {
    case 0: {  // OnyxCreateTensor with a size that may not match
      OnyxElementType type = Type();
      size_t rank = Shape(&dims, &shape);
      static uint8_t bytes[512];
      size_t data_bytes = r.Byte() < 200 ? r.Byte() * 2 : r.U32();
      if (data_bytes > sizeof(bytes)) data_bytes = r.Byte() % 2 ? sizeof(bytes) : data_bytes;
      const void* data = data_bytes <= sizeof(bytes) ? OrNull(bytes) : nullptr;
      Check(OnyxCreateTensor(type, shape, rank, data, data_bytes, Slot()));
      break;
    }
    case 1: {
      OnyxElementType type = Type();
      size_t rank = Shape(&dims, &shape);
      Check(OnyxCreateTensorZeroed(type, shape, rank, Slot()));
      break;
    }
    case 2: {
      OnyxElementType type = Type();
      size_t rank = Shape(&dims, &shape);
      size_t data_bytes = r.Byte() * 4u;
      wrapped.emplace_back(data_bytes + 1, uint8_t{1});
      Check(OnyxCreateTensorWrapping(type, shape, rank, OrNull(wrapped.back().data()), data_bytes, Slot()));
      break;
    }
    case 3: {
      size_t rank = Shape(&dims, &shape);
      std::array<std::string, 8> text;
      std::array<const char*, 8> strings{};
      std::array<size_t, 8> lengths{};
      size_t count = r.Byte() % 9;
      for (size_t i = 0; i < count; ++i) {
        text[i] = std::string(r.Take(r.Byte() % 6));
        strings[i] = (r.Byte() % 16) == 0 ? nullptr : text[i].c_str();
        lengths[i] = text[i].size();
      }
      Check(OnyxCreateStringTensor(shape, rank, OrNull(strings.data()), r.Byte() % 2 ? lengths.data() : nullptr, count,
                                   Slot()));
      break;
    }
    case 4: {
      std::array<const OnyxValue*, 4> items{};
      size_t count = r.Byte() % 5;
      for (size_t i = 0; i < count; ++i) items[i] = AnyValue();
      Check(OnyxCreateSequence(OrNull(items.data()), count, Type(), Slot()));
      break;
    }
    case 5:
      Check(OnyxCreateOptional(AnyValue(), Slot()));
      break;
    case 6: {  // every tensor getter, with NULL outs sometimes and dims counts that may be wrong
      OnyxValue* v = AnyValue();
      OnyxValueKind kind;
      OnyxElementType et;
      size_t n = 0;
      int64_t count = 0;
      const void* data = nullptr;
      void* mdata = nullptr;
      Check(OnyxValueGetKind(v, OrNull(&kind)));
      Check(OnyxTensorGetElementType(v, OrNull(&et)));
      Check(OnyxTensorGetRank(v, OrNull(&n)));
      Check(OnyxTensorGetDims(v, OrNull(dims.data()), r.Byte() % 9));
      Check(OnyxTensorGetElementCount(v, OrNull(&count)));
      Check(OnyxTensorGetDataBytes(v, OrNull(&n)));
      Check(OnyxTensorGetData(v, OrNull(&data)));
      Check(OnyxTensorGetMutableData(v, OrNull(&mdata)));
      const char* s = nullptr;
      Check(OnyxTensorGetString(v, r.Byte() % 2 ? r.Byte() % 8 : r.U64(), OrNull(&s), r.Byte() % 2 ? &n : nullptr));
      break;
    }
    case 7: {  // sequences and optionals
      OnyxValue* v = AnyValue();
      size_t n = 0;
      int has = 0;
      Check(OnyxSequenceGetLength(v, OrNull(&n)));
      Check(OnyxSequenceGetItem(v, r.Byte() % 2 ? r.Byte() % 6 : r.U64(), Slot()));
      Check(OnyxOptionalHasElement(v, OrNull(&has)));
      Check(OnyxOptionalGetElement(v, Slot()));
      break;
    }
    case 8: {  // session getters and type info
      OnyxSession* s = Mix(OrNull(sessions[r.Byte() % 4]));
      size_t n = 0, index = r.Byte() % 2 ? r.Byte() % 4 : r.U64();
      const char* name = nullptr;
      const OnyxTypeInfo* info = nullptr;
      Check(OnyxSessionGetInputCount(s, OrNull(&n)));
      Check(OnyxSessionGetOutputCount(s, OrNull(&n)));
      Check(OnyxSessionGetInputName(s, index, OrNull(&name)));
      Check(OnyxSessionGetOutputName(s, index, OrNull(&name)));
      Check(r.Byte() % 2 ? OnyxSessionGetInputTypeInfo(s, index, OrNull(&info))
                         : OnyxSessionGetOutputTypeInfo(s, index, OrNull(&info)));
      for (int depth = 0; depth < 3; ++depth) {
        OnyxValueKind kind;
        OnyxElementType et;
        int64_t rank = 0;
        info = Mix(info);
        Check(OnyxTypeInfoGetKind(info, OrNull(&kind)));
        Check(OnyxTypeInfoGetElementType(info, OrNull(&et)));
        Check(OnyxTypeInfoGetRank(info, OrNull(&rank)));
        Check(OnyxTypeInfoGetDims(info, OrNull(dims.data()), r.Byte() % 9));
        Check(OnyxTypeInfoGetSymbolicDim(info, r.Byte() % 2 ? r.Byte() % 6 : r.U64(), OrNull(&name)));
        Check(OnyxTypeInfoToString(info, OrNull(&name)));
        const OnyxTypeInfo* inner = nullptr;
        Check(OnyxTypeInfoGetInner(info, OrNull(&inner)));
        info = inner;
      }
      break;
    }
    case 9: {  // metadata
      OnyxSession* s = Mix(OrNull(sessions[r.Byte() % 4]));
      const OnyxModelMetadata* m = nullptr;
      const char* text = nullptr;
      int64_t v = 0;
      size_t n = 0;
      Check(OnyxSessionGetModelMetadata(s, OrNull(&m)));
      m = Mix(m);
      Check(OnyxModelMetadataGetProducerName(m, OrNull(&text)));
      Check(OnyxModelMetadataGetGraphName(m, OrNull(&text)));
      Check(OnyxModelMetadataGetDescription(m, OrNull(&text)));
      Check(OnyxModelMetadataGetVersion(m, OrNull(&v)));
      Check(OnyxModelMetadataGetIrVersion(m, OrNull(&v)));
      Check(OnyxModelMetadataGetCustomCount(m, OrNull(&n)));
      Check(OnyxModelMetadataGetCustomKey(m, r.Byte() % 3, OrNull(&text)));
      Check(OnyxModelMetadataLookupCustom(m, OrNull("key"), OrNull(&text)));
      break;
    }
    case 10:
    case 11:
    case 12: {  // OnyxRun with names, values and counts that may not match
      OnyxSession* s = Mix(OrNull(sessions[r.Byte() % 4]));
      std::array<const char*, 4> in_names{}, out_names{};
      std::array<const OnyxValue*, 4> inputs{};
      std::array<OnyxValue*, 4> outputs{};
      size_t in_count = r.Byte() % 5, out_count = r.Byte() % 5;
      for (size_t i = 0; i < in_count; ++i) {
        in_names[i] = (r.Byte() % 16) == 0 ? nullptr : Name(s);
        inputs[i] = AnyValue();
      }
      const bool all_outputs = r.Byte() % 2;
      for (size_t i = 0; i < out_count; ++i) out_names[i] = (r.Byte() % 16) == 0 ? nullptr : Name(nullptr);
      Check(OnyxRun(s, r.Byte() % 2 ? Mix(run_options) : nullptr, OrNull(in_names.data()), OrNull(inputs.data()), in_count,
                    all_outputs ? nullptr : out_names.data(), out_count, OrNull(outputs.data())));
      for (size_t i = 0; i < out_count; ++i) *Slot() = outputs[i];  // later calls read and write them
      break;
    }
    case 13: {  // session options with values out of range
      if (options == nullptr) Check(OnyxCreateSessionOptions(&options));
      OnyxSessionOptions* o = Mix(OrNull(options));
      int v = r.Byte();
      Check(OnyxSessionOptionsSetLogLevel(o, static_cast<OnyxLogLevel>(v % 8)));
      Check(OnyxSessionOptionsSetIntraOpThreads(o, static_cast<int8_t>(v) % 3));
      Check(OnyxSessionOptionsSetExecutionMode(o, static_cast<OnyxExecutionMode>(v % 2)));
      Check(OnyxSessionOptionsSetOptimizationLevel(o, static_cast<OnyxOptimizationLevel>(v % 128)));
      static const char* kKeys[] = {"session.max_nodes", "session.max_tensor_bytes", "session.inter_op_num_threads",
                                    "session.max_subgraph_depth", "", "unknown.key"};
      static const char* kValues[] = {"1", "0", "-1", "99999999999999999999999", "abc", "", "2", "1000000"};
      Check(OnyxSessionOptionsAddConfigEntry(o, OrNull(kKeys[r.Byte() % std::size(kKeys)]),
                                             OrNull(kValues[r.Byte() % std::size(kValues)])));
      Check(r.Byte() % 2 ? OnyxSessionOptionsEnableCpuMemArena(o) : OnyxSessionOptionsDisableCpuMemArena(o));
      Check(r.Byte() % 2 ? OnyxSessionOptionsEnableMemPattern(o) : OnyxSessionOptionsDisableMemPattern(o));
      break;
    }
    case 14: {  // a session from a suite model, with the options as they stand (which may refuse)
      if (made_session) break;  // once per program: creation dominates the cost of a program otherwise
      made_session = true;
      OnyxSession** slot = &sessions[2 + r.Byte() % 2];
      OnyxReleaseSession(*slot);
      *slot = nullptr;
      std::string path = model_path + "/" + kModels[r.Byte() % std::size(kModels)] + "/model.onnx";
      Check(OnyxCreateSession(r.Byte() % 16 ? path.c_str() : nullptr, r.Byte() % 2 ? options : nullptr,
                              r.Byte() % 16 ? slot : nullptr));
      break;
    }
    case 15: {  // a session from bytes that are not a model
      std::string_view bytes = r.Take(r.Byte());
      OnyxSession* s = nullptr;
      // A size past the bytes only with NULL data: the API cannot know how large a buffer really is.
      const bool lie = r.Byte() % 4 == 0;
      Check(OnyxCreateSessionFromBytes(lie ? nullptr : bytes.data(), lie ? r.U32() : bytes.size(), Mix(options),
                                       OrNull(&s)));
      OnyxReleaseSession(s);
      break;
    }
    case 16: {
      if (run_options == nullptr) Check(OnyxCreateRunOptions(&run_options));
      Check(OnyxRunOptionsSetTerminate(Mix(OrNull(run_options)), r.Byte() % 4 == 0));
      break;
    }
    case 17: {  // statuses and names of codes and types out of range
      auto code = static_cast<OnyxStatusCode>(r.Byte() % 16);
      Check(OnyxCreateStatus(code, OrNull("message")));
      (void)OnyxStatusCodeName(code);
      (void)OnyxElementTypeName(Type());
      (void)OnyxStatusGetMessage(nullptr);
      (void)OnyxStatusGetMessage(Mix(static_cast<OnyxStatus*>(nullptr)));
      (void)OnyxStatusGetCode(Mix(static_cast<OnyxStatus*>(nullptr)));
      break;
    }
    case 18: {
      OnyxValue** slot = &values[r.Byte() % kSlots];
      OnyxValue* v = Mix(*slot);
      OnyxReleaseValue(v);  // a handle of another type is refused and left alone
      if (v == *slot) *slot = nullptr;
      break;
    }
    default: {  // write through whatever data pointer the API hands out for writing
      OnyxValue* v = AnyValue();
      void* p = nullptr;
      size_t bytes = 0;
      if (Ok(OnyxTensorGetMutableData(v, &p)) && Ok(OnyxTensorGetDataBytes(v, &bytes)) && p != nullptr) {
        std::memset(p, r.Byte(), bytes);
      }
      break;
    }
  }
}

}  // namespace

int FuzzCapi(const uint8_t* data, size_t size) {
  InitOnce();
  Program p(ByteReader(data, size));
  p.model_path = OnnxTestsDir() + "/node";
  static const std::array<OnyxSession*, 2> shared = [&p] {
    std::array<OnyxSession*, 2> out{};
    OnyxSessionOptions* o = nullptr;
    p.Check(OnyxCreateSessionOptions(&o));
    p.Check(OnyxSessionOptionsSetIntraOpThreads(o, 1));
    p.Check(OnyxSessionOptionsSetLogLevel(o, ONYX_LOG_FATAL));
    for (size_t i = 0; i < out.size(); ++i) {
      std::string path = p.model_path + "/" + kModels[i] + "/model.onnx";
      p.Check(OnyxCreateSession(path.c_str(), o, &out[i]));
    }
    OnyxReleaseSessionOptions(o);
    return out;
  }();
  p.sessions[0] = shared[0];
  p.sessions[1] = shared[1];
  for (int steps = 0; steps < 64 && p.r.remaining() > 0; ++steps) {
    p.Step();
    p.Keep();
  }
  p.Finish();
  return 0;
}

}  // namespace onyx::fuzz

// C API: creating values (tensors, string tensors, sequences, optionals) and reading them back.
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "capi/capi_internal.h"
#include "common/checked_math.h"

using onyx::capi::ArgError;
using onyx::capi::FromStatus;
using onyx::capi::Guard;

namespace {

// Checks the arguments shared by OnyxCreateTensor and OnyxCreateTensorWrapping and returns the parsed shape.
OnyxStatus* CheckTensorArgs(const char* function, const OnyxElementType& type, const int64_t* shape, size_t rank,
                            const void* data, size_t data_bytes, onyx::Shape* parsed) {
  if (OnyxStatus* st = onyx::capi::CheckElementType(function, "type", type)) return st;
  if (type == ONYX_ELEMENT_TYPE_STRING) {
    return ArgError(function, "type", "is STRING; string tensors are made with OnyxCreateStringTensor");
  }
  int64_t count = 0;
  if (OnyxStatus* st = onyx::capi::ReadShape(function, shape, rank, parsed, &count)) return st;
  auto dtype = static_cast<onyx::DataType>(type);
  int64_t bits = 0;
  if (!onyx::CheckedMul(count, onyx::DataTypeBits(dtype), &bits) || (bits + 7) / 8 > onyx::kMaxTensorBytes) {
    return ArgError(function, "shape",
                    "is too large: " + std::string(onyx::DataTypeName(dtype)) + onyx::ShapeToString(*parsed));
  }
  auto needed = static_cast<size_t>(onyx::StorageBytes(dtype, count));
  if (data_bytes != needed) {
    return ArgError(function, "data_bytes",
                    "is " + std::to_string(data_bytes) + " but " + onyx::DataTypeName(dtype) +
                        onyx::ShapeToString(*parsed) + " needs " + std::to_string(needed) + " bytes");
  }
  if (data == nullptr && data_bytes > 0) return onyx::capi::NullArg(function, "data");
  return nullptr;
}

// Hands a new value to the caller.
OnyxStatus* Emit(onyx::Value value, bool writable, OnyxValue** out) {
  auto* handle = new OnyxValue;
  handle->value = std::move(value);
  handle->writable = writable;
  *out = handle;
  return nullptr;
}

// The tensor inside `value`, or an error naming `function` when there is none.
OnyxStatus* GetTensor(const char* function, const OnyxValue* value, const onyx::Tensor** out) {
  ONYX_CAPI_NOT_NULL(function, value);
  if (!value->value.is_tensor()) {
    return ArgError(function, "value", "is not a tensor (it is " + value->value.Describe() + ")");
  }
  *out = &value->value.tensor();
  return nullptr;
}

OnyxStatus* CheckHostNonString(const char* function, const onyx::Tensor& t) {
  if (t.type() == onyx::DataType::kString) {
    return ArgError(function, "value", "is a string tensor; read it with OnyxTensorGetString");
  }
  if (t.device().kind != onyx::DeviceKind::kCpu) {
    return ArgError(function, "value", "lives on " + t.device().ToString() + ", not in host memory");
  }
  return nullptr;
}

}  // namespace

extern "C" {

OnyxStatus* OnyxCreateTensor(OnyxElementType type, const int64_t* shape, size_t rank, const void* data,
                             size_t data_bytes, OnyxValue** out) {
  constexpr const char* kFn = "OnyxCreateTensor";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    onyx::Shape parsed;
    if (OnyxStatus* st = CheckTensorArgs(kFn, type, shape, rank, data, data_bytes, &parsed)) return st;
    auto created = onyx::Tensor::Create(static_cast<onyx::DataType>(type), std::move(parsed));
    if (!created.ok()) return FromStatus(kFn, created.status());
    onyx::Tensor t = created.take();
    if (data_bytes > 0) std::memcpy(t.raw(), data, data_bytes);
    return Emit(onyx::Value(std::move(t)), true, out);
  });
}

OnyxStatus* OnyxCreateTensorZeroed(OnyxElementType type, const int64_t* shape, size_t rank, OnyxValue** out) {
  constexpr const char* kFn = "OnyxCreateTensorZeroed";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    if (OnyxStatus* st = onyx::capi::CheckElementType(kFn, "type", type)) return st;
    onyx::Shape parsed;
    int64_t count = 0;
    if (OnyxStatus* st = onyx::capi::ReadShape(kFn, shape, rank, &parsed, &count)) return st;
    auto created = onyx::Tensor::Create(static_cast<onyx::DataType>(type), std::move(parsed));
    if (!created.ok()) return FromStatus(kFn, created.status());
    return Emit(onyx::Value(created.take()), true, out);
  });
}

OnyxStatus* OnyxCreateTensorWrapping(OnyxElementType type, const int64_t* shape, size_t rank, void* data,
                                     size_t data_bytes, OnyxValue** out) {
  constexpr const char* kFn = "OnyxCreateTensorWrapping";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    onyx::Shape parsed;
    if (OnyxStatus* st = CheckTensorArgs(kFn, type, shape, rank, data, data_bytes, &parsed)) return st;
    return Emit(onyx::Value(onyx::Tensor::Wrap(static_cast<onyx::DataType>(type), std::move(parsed), data)), true, out);
  });
}

OnyxStatus* OnyxCreateStringTensor(const int64_t* shape, size_t rank, const char* const* strings, const size_t* lengths,
                                   size_t count, OnyxValue** out) {
  constexpr const char* kFn = "OnyxCreateStringTensor";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    onyx::Shape parsed;
    int64_t elements = 0;
    if (OnyxStatus* st = onyx::capi::ReadShape(kFn, shape, rank, &parsed, &elements)) return st;
    if (static_cast<uint64_t>(elements) != count) {
      return ArgError(kFn, "count",
                      "is " + std::to_string(count) + " but shape " + onyx::ShapeToString(parsed) + " has " +
                          std::to_string(elements) + " elements");
    }
    if (count > 0) ONYX_CAPI_NOT_NULL(kFn, strings);
    for (size_t i = 0; i < count; ++i) {
      if (strings[i] == nullptr) return ArgError(kFn, ("strings[" + std::to_string(i) + "]").c_str(), "is NULL");
    }
    auto created = onyx::Tensor::Create(onyx::DataType::kString, std::move(parsed));
    if (!created.ok()) return FromStatus(kFn, created.status());
    onyx::Tensor t = created.take();
    auto* dst = t.data<std::string>();
    for (size_t i = 0; i < count; ++i) {
      if (lengths != nullptr) {
        dst[i].assign(strings[i], lengths[i]);
      } else {
        dst[i].assign(strings[i]);
      }
    }
    return Emit(onyx::Value(std::move(t)), true, out);
  });
}

OnyxStatus* OnyxCreateSequence(const OnyxValue* const* items, size_t count, OnyxElementType elem_type,
                               OnyxValue** out) {
  constexpr const char* kFn = "OnyxCreateSequence";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    if (onyx::capi::RawEnum(elem_type) != ONYX_ELEMENT_TYPE_UNDEFINED) {
      if (OnyxStatus* st = onyx::capi::CheckElementType(kFn, "elem_type", elem_type)) return st;
    }
    if (count > 0) ONYX_CAPI_NOT_NULL(kFn, items);
    onyx::Sequence seq;
    seq.elem_type = static_cast<onyx::DataType>(elem_type);
    for (size_t i = 0; i < count; ++i) {
      std::string name = "items[" + std::to_string(i) + "]";
      if (OnyxStatus* st = onyx::capi::CheckHandle(kFn, name.c_str(), items[i])) return st;
      const onyx::Value& item = items[i]->value;
      if (!item.is_tensor()) return ArgError(kFn, name.c_str(), "is not a tensor (it is " + item.Describe() + ")");
      onyx::DataType t = item.tensor().type();
      if (seq.elem_type == onyx::DataType::kUndefined) seq.elem_type = t;
      if (t != seq.elem_type) {
        return ArgError(kFn, name.c_str(),
                        std::string("has element type ") + onyx::DataTypeName(t) + " but the sequence holds " +
                            onyx::DataTypeName(seq.elem_type));
      }
      seq.items.push_back(item);
    }
    return Emit(onyx::Value::FromSequence(std::move(seq)), false, out);
  });
}

OnyxStatus* OnyxCreateOptional(const OnyxValue* element, OnyxValue** out) {
  constexpr const char* kFn = "OnyxCreateOptional";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    std::shared_ptr<onyx::Value> inner;
    if (OnyxStatus* st = onyx::capi::CheckHandle(kFn, "element", element, /*may_be_null=*/true)) return st;
    if (element != nullptr) {
      if (element->value.empty()) return ArgError(kFn, "element", "is an empty value");
      if (element->value.is_optional()) return ArgError(kFn, "element", "is itself an optional");
      inner = std::make_shared<onyx::Value>(element->value);
    }
    return Emit(onyx::Value::FromOptional(std::move(inner)), false, out);
  });
}

void OnyxReleaseValue(OnyxValue* value) {
  if (onyx::capi::CheckRelease("OnyxReleaseValue", value)) delete value;
}

OnyxStatus* OnyxValueGetKind(const OnyxValue* value, OnyxValueKind* out) {
  ONYX_CAPI_NOT_NULL("OnyxValueGetKind", value);
  ONYX_CAPI_NOT_NULL("OnyxValueGetKind", out);
  switch (value->value.kind()) {
    case onyx::Value::Kind::kNone:
      *out = ONYX_VALUE_KIND_NONE;
      break;
    case onyx::Value::Kind::kTensor:
      *out = ONYX_VALUE_KIND_TENSOR;
      break;
    case onyx::Value::Kind::kSequence:
      *out = ONYX_VALUE_KIND_SEQUENCE;
      break;
    case onyx::Value::Kind::kOptional:
      *out = ONYX_VALUE_KIND_OPTIONAL;
      break;
    case onyx::Value::Kind::kMap:
      *out = ONYX_VALUE_KIND_MAP;
      break;
  }
  return nullptr;
}

OnyxStatus* OnyxTensorGetElementType(const OnyxValue* value, OnyxElementType* out) {
  constexpr const char* kFn = "OnyxTensorGetElementType";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, out);
    const onyx::Tensor* t = nullptr;
    if (OnyxStatus* st = GetTensor(kFn, value, &t)) return st;
    *out = static_cast<OnyxElementType>(t->type());
    return nullptr;
  });
}

OnyxStatus* OnyxTensorGetRank(const OnyxValue* value, size_t* out) {
  constexpr const char* kFn = "OnyxTensorGetRank";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, out);
    const onyx::Tensor* t = nullptr;
    if (OnyxStatus* st = GetTensor(kFn, value, &t)) return st;
    *out = t->shape().size();
    return nullptr;
  });
}

OnyxStatus* OnyxTensorGetDims(const OnyxValue* value, int64_t* dims, size_t dims_count) {
  constexpr const char* kFn = "OnyxTensorGetDims";
  return Guard(kFn, [&]() -> OnyxStatus* {
    const onyx::Tensor* t = nullptr;
    if (OnyxStatus* st = GetTensor(kFn, value, &t)) return st;
    if (dims_count != t->shape().size()) {
      return ArgError(
          kFn, "dims_count",
          "is " + std::to_string(dims_count) + " but the tensor has rank " + std::to_string(t->shape().size()));
    }
    if (dims_count > 0) ONYX_CAPI_NOT_NULL(kFn, dims);
    for (size_t i = 0; i < dims_count; ++i) dims[i] = t->shape()[i];
    return nullptr;
  });
}

OnyxStatus* OnyxTensorGetElementCount(const OnyxValue* value, int64_t* out) {
  constexpr const char* kFn = "OnyxTensorGetElementCount";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, out);
    const onyx::Tensor* t = nullptr;
    if (OnyxStatus* st = GetTensor(kFn, value, &t)) return st;
    *out = t->size();
    return nullptr;
  });
}

OnyxStatus* OnyxTensorGetDataBytes(const OnyxValue* value, size_t* out) {
  constexpr const char* kFn = "OnyxTensorGetDataBytes";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, out);
    const onyx::Tensor* t = nullptr;
    if (OnyxStatus* st = GetTensor(kFn, value, &t)) return st;
    if (t->type() == onyx::DataType::kString) {
      return ArgError(kFn, "value", "is a string tensor; read it with OnyxTensorGetString");
    }
    *out = static_cast<size_t>(t->bytes());
    return nullptr;
  });
}

OnyxStatus* OnyxTensorGetData(const OnyxValue* value, const void** out) {
  constexpr const char* kFn = "OnyxTensorGetData";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    const onyx::Tensor* t = nullptr;
    if (OnyxStatus* st = GetTensor(kFn, value, &t)) return st;
    if (OnyxStatus* st = CheckHostNonString(kFn, *t)) return st;
    *out = t->raw();
    return nullptr;
  });
}

OnyxStatus* OnyxTensorGetMutableData(OnyxValue* value, void** out) {
  constexpr const char* kFn = "OnyxTensorGetMutableData";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    const onyx::Tensor* t = nullptr;
    if (OnyxStatus* st = GetTensor(kFn, value, &t)) return st;
    if (OnyxStatus* st = CheckHostNonString(kFn, *t)) return st;
    if (!value->writable) {
      return ArgError(kFn, "value",
                      "was not created by the caller (a run output may share memory with the session); copy it "
                      "with OnyxCreateTensor to modify it");
    }
    *out = value->value.tensor().raw();
    return nullptr;
  });
}

OnyxStatus* OnyxTensorGetString(const OnyxValue* value, size_t index, const char** out, size_t* length) {
  constexpr const char* kFn = "OnyxTensorGetString";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    if (length != nullptr) *length = 0;
    const onyx::Tensor* t = nullptr;
    if (OnyxStatus* st = GetTensor(kFn, value, &t)) return st;
    if (t->type() != onyx::DataType::kString) {
      return ArgError(kFn, "value", "is a " + t->Describe() + " tensor, not a string tensor");
    }
    if (index >= static_cast<uint64_t>(t->size())) {
      return ArgError(kFn, "index",
                      "is " + std::to_string(index) + " but the tensor has " + std::to_string(t->size()) + " elements");
    }
    const std::string& s = t->data<std::string>()[index];
    *out = s.c_str();
    if (length != nullptr) *length = s.size();
    return nullptr;
  });
}

OnyxStatus* OnyxSequenceGetLength(const OnyxValue* value, size_t* out) {
  constexpr const char* kFn = "OnyxSequenceGetLength";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, value);
    ONYX_CAPI_NOT_NULL(kFn, out);
    if (!value->value.is_sequence()) {
      return ArgError(kFn, "value", "is not a sequence (it is " + value->value.Describe() + ")");
    }
    *out = value->value.sequence().items.size();
    return nullptr;
  });
}

OnyxStatus* OnyxSequenceGetItem(const OnyxValue* value, size_t index, OnyxValue** out) {
  constexpr const char* kFn = "OnyxSequenceGetItem";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    ONYX_CAPI_NOT_NULL(kFn, value);
    if (!value->value.is_sequence()) {
      return ArgError(kFn, "value", "is not a sequence (it is " + value->value.Describe() + ")");
    }
    const auto& items = value->value.sequence().items;
    if (index >= items.size()) {
      return ArgError(
          kFn, "index",
          "is " + std::to_string(index) + " but the sequence has " + std::to_string(items.size()) + " items");
    }
    return Emit(items[index], false, out);
  });
}

OnyxStatus* OnyxOptionalHasElement(const OnyxValue* value, int* out) {
  constexpr const char* kFn = "OnyxOptionalHasElement";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, value);
    ONYX_CAPI_NOT_NULL(kFn, out);
    if (!value->value.is_optional()) {
      return ArgError(kFn, "value", "is not an optional (it is " + value->value.Describe() + ")");
    }
    *out = value->value.has_element() ? 1 : 0;
    return nullptr;
  });
}

OnyxStatus* OnyxOptionalGetElement(const OnyxValue* value, OnyxValue** out) {
  constexpr const char* kFn = "OnyxOptionalGetElement";
  return Guard(kFn, [&]() -> OnyxStatus* {
    ONYX_CAPI_NOT_NULL(kFn, out);
    *out = nullptr;
    ONYX_CAPI_NOT_NULL(kFn, value);
    if (!value->value.is_optional()) {
      return ArgError(kFn, "value", "is not an optional (it is " + value->value.Describe() + ")");
    }
    if (!value->value.has_element()) return ArgError(kFn, "value", "is an empty optional");
    return Emit(value->value.optional_element(), false, out);
  });
}

}  // extern "C"

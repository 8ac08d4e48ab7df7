// Shared pieces of the Python extension: Status errors on their way to Python, and numpy <-> Value.
#pragma once

#include <nanobind/nanobind.h>

#include <string>
#include <unordered_set>
#include <utility>

#include "common/status.h"
#include "framework/value.h"
#include "ir/type.h"

namespace onyx::py {

namespace nb = nanobind;

// A failed Status crossing into Python, where it becomes the exception class named after its code
// (InvalidArgument, NoSuchFile, ...).
class StatusError : public std::exception {
 public:
  explicit StatusError(Status status) : status_(std::move(status)) {}
  const char* what() const noexcept override { return status_.message().c_str(); }
  const Status& status() const { return status_; }

 private:
  Status status_;
};

inline void ThrowIfError(const Status& status) {
  if (!status.ok()) throw StatusError(status);
}
template <typename T>
T Unwrap(Result<T> result) {
  ThrowIfError(result.status());
  return result.take();
}

// Creates the exception classes in `m` and the translator that raises them.
void RegisterErrors(nb::module_& m);
// Adds `quantize` (the C++ quantizer, for onyx.quantization) to `m`.
void BindQuantization(nb::module_& m);

// The numpy dtype of an element type (bfloat16, float8 and 4-bit types come from ml_dtypes).
nb::object NumpyDtype(DataType type);
// The element type of a numpy dtype; kUndefined when Onyx has none.
DataType DataTypeOfDtype(nb::handle dtype);

// Converts a Python object (numpy array, list, scalar, None, dict, OrtValue) to a Value. `expected` is the
// graph input's type when known: it picks the dtype for lists and scalars and the kind for None and lists.
// numpy arrays whose layout allows it are wrapped without a copy; the Value keeps the array alive.
Value ValueFromPy(nb::handle obj, const ir::Type* expected, const std::string& name);

// Converts a Value to numpy arrays (lists for sequences, None for an absent optional, dicts for maps).
// A tensor whose memory nobody else holds is handed over without a copy; one whose buffer is shared
// (an initializer, another output) or is in `foreign` (a caller's input array) is copied, so writing to the
// result never changes the model or the caller's inputs.
nb::object ValueToPy(const Value& value, const std::unordered_set<const Buffer*>* foreign);
// Adds the buffers of every tensor inside `value` to `out`.
void CollectBuffers(const Value& value, std::unordered_set<const Buffer*>* out);

// onnxruntime's spelling of a value's type: "tensor(float)", "seq(tensor(int64))", "map(string,tensor(float))".
std::string ValueTypeString(const Value& value);

}  // namespace onyx::py

// Status codes become Python exceptions with onnxruntime's class names, all derived from onyx.OnyxError
// (itself an Exception, as onnxruntime's are).
#include <array>
#include <string>

#include "py_common.h"

namespace onyx::py {

namespace {

// Indexed by StatusCode; onnxruntime's class name for each code.
constexpr std::array<const char*, 12> kClassNames = {
    "OnyxError",       "Fail",        "InvalidArgument", "NoSuchFile",   "NoModel", "EngineError", "RuntimeException",
    "InvalidProtobuf", "ModelLoaded", "NotImplemented",  "InvalidGraph", "EPFail",
};
// Names onnxruntime has that no Onyx status code maps to; defined so that `except onyx.NotFound` works.
constexpr std::array<const char*, 3> kExtraNames = {"NotFound", "ModelLoadCanceled", "ModelRequiresCompilation"};

PyObject* g_classes[kClassNames.size()] = {};

PyObject* NewClass(nb::module_& m, const char* name, PyObject* base) {
  std::string qualified = std::string("onyx.capi.onnxruntime_pybind11_state.") + name;
  PyObject* cls = PyErr_NewException(qualified.c_str(), base, nullptr);
  if (cls == nullptr) throw nb::python_error();
  m.attr(name) = nb::handle(cls);  // the module keeps a reference; g_classes borrows it for the module's life
  Py_DECREF(cls);
  return cls;
}

void Translate(const std::exception_ptr& p, void*) {
  try {
    std::rethrow_exception(p);
  } catch (const StatusError& e) {
    int code = static_cast<int>(e.status().code());
    PyObject* cls = (code > 0 && code < static_cast<int>(kClassNames.size())) ? g_classes[code] : g_classes[1];
    std::string message = std::string("[Onyx] : ") + std::to_string(code) + " : " + StatusCodeName(e.status().code()) +
                          " : " + e.status().message();
    PyErr_SetString(cls, message.c_str());
  }
}

}  // namespace

void RegisterErrors(nb::module_& m) {
  g_classes[0] = NewClass(m, kClassNames[0], PyExc_Exception);
  for (size_t i = 1; i < kClassNames.size(); ++i) g_classes[i] = NewClass(m, kClassNames[i], g_classes[0]);
  for (const char* name : kExtraNames) NewClass(m, name, g_classes[0]);
  nb::register_exception_translator(&Translate);
}

}  // namespace onyx::py

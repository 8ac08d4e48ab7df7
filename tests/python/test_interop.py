"""onnx, onnxruntime and onyx in one process: Onyx's ONNX schema has its own protobuf package name, so the
three copies of the schema do not clash, whatever the import order. And onyx's extension next to libonyx.so."""

import os
import pathlib
import subprocess
import sys

import pytest

from onyx_test_helpers import REPO

SCRIPT = """
import {first}, {second}, {third}
import numpy as np
import onnx, onnxruntime, onyx
from onnx import TensorProto, helper
graph = helper.make_graph([helper.make_node("Softmax", ["x"], ["y"], axis=-1)], "g",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 4])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
onnx.checker.check_model(model)
data = model.SerializeToString()
x = np.arange(8, dtype=np.float32).reshape(2, 4)
a = onyx.InferenceSession(data).run(None, {{"x": x}})[0]
b = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"]).run(None, {{"x": x}})[0]
np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
c = onnx.reference.ReferenceEvaluator(onnx.load_from_string(data)).run(None, {{"x": x}})[0]
np.testing.assert_allclose(a, c, rtol=1e-5, atol=1e-6)
print("ok")
"""


@pytest.mark.parametrize("order", [("onyx", "onnx", "onnxruntime"), ("onnx", "onnxruntime", "onyx"),
                                   ("onnxruntime", "onyx", "onnx")])
def test_import_together(order):
    code = SCRIPT.format(first=order[0], second=order[1], third=order[2]).replace("import onnx,", "import onnx.reference, onnx,")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-3000:]


# libonyx.so (the C API) and the extension (which links the engine statically) in one process: neither may
# register anything twice or bind to the other's copy of the engine, in either load order, even with the library
# loaded RTLD_GLOBAL.
ENGINE_SCRIPT = """
import ctypes, os, sys
import numpy as np
from onnx import TensorProto, helper

def load_library():
    lib = ctypes.CDLL({library!r}, mode=ctypes.RTLD_GLOBAL)
    lib.OnyxCreateSessionFromBytes.restype = ctypes.c_void_p
    lib.OnyxCreateSessionFromBytes.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p,
                                               ctypes.POINTER(ctypes.c_void_p)]
    lib.OnyxSessionGetInputCount.restype = ctypes.c_void_p
    lib.OnyxSessionGetInputCount.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t)]
    lib.OnyxReleaseSession.argtypes = [ctypes.c_void_p]
    return lib

graph = helper.make_graph([helper.make_node("Add", ["a", "b"], ["y"])], "g",
                          [helper.make_tensor_value_info(n, TensorProto.FLOAT, [3]) for n in "ab"],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3])])
data = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString()
if {library_first}:
    lib = load_library()
import onyx
if not {library_first}:
    lib = load_library()
session = ctypes.c_void_p()
assert lib.OnyxCreateSessionFromBytes(data, len(data), None, ctypes.byref(session)) is None
count = ctypes.c_size_t()
assert lib.OnyxSessionGetInputCount(session, ctypes.byref(count)) is None and count.value == 2
lib.OnyxReleaseSession(session)
x = np.arange(3, dtype=np.float32)
y = onyx.InferenceSession(data).run(None, {{"a": x, "b": x}})[0]
np.testing.assert_array_equal(y, 2 * x)
print("ok")
"""


def _engine_library():
    path = pathlib.Path(os.environ.get("ONYX_LIBRARY", REPO / "build" / "lib" / "libonyx.so"))
    if not path.exists():
        pytest.skip(f"no engine library at {path} (set ONYX_LIBRARY)")
    return path


@pytest.mark.parametrize("library_first", [True, False])
def test_extension_and_shared_library_together(library_first):
    code = ENGINE_SCRIPT.format(library=str(_engine_library()), library_first=library_first)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-3000:]


def test_extension_exports_only_its_init():
    import onyx._onyx

    out = subprocess.run(["nm", "-D", "--defined-only", onyx._onyx.__file__], capture_output=True, text=True,
                         check=True).stdout
    names = [line.split()[-1] for line in out.splitlines() if line.split()]
    assert names == ["PyInit__onyx"], names[:20]

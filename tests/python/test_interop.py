"""onnx, onnxruntime and onyx in one process: Onyx's ONNX schema has its own protobuf package name, so the
three copies of the schema do not clash, whatever the import order."""

import subprocess
import sys

import pytest

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

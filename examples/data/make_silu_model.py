"""Writes examples/data/silu.onnx, the model examples/custom_pass.cc rewrites: two SiLU activations as PyTorch
exports them (x * Sigmoid(x)), around a MatMul."""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

w = numpy_helper.from_array(np.linspace(-1, 1, 16, dtype=np.float32).reshape(4, 4), "W")
graph = helper.make_graph(
    [
        helper.make_node("Sigmoid", ["X"], ["s1"]),
        helper.make_node("Mul", ["X", "s1"], ["a1"]),
        helper.make_node("MatMul", ["a1", "W"], ["m"]),
        helper.make_node("Sigmoid", ["m"], ["s2"]),
        helper.make_node("Mul", ["s2", "m"], ["Y"]),
    ],
    "silu",
    [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 4])],
    [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", 4])],
    [w],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="onyx-examples")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, os.path.join(os.path.dirname(os.path.abspath(__file__)), "silu.onnx"))

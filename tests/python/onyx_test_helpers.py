"""Helpers for the Python tests: small models built with onnx.helper, and where the shared data is."""

import os
import pathlib
import re

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

REPO = pathlib.Path(__file__).resolve().parents[2]
SHARED = pathlib.Path(os.environ.get("ONYX_SHARED", REPO.parent / "shared"))


def make_model(nodes, inputs, outputs, initializers=(), opset=17, ir_version=None, **model_kwargs):
    graph = helper.make_graph(nodes, model_kwargs.pop("graph_name", "g"), inputs, outputs, list(initializers),
                              doc_string=model_kwargs.pop("graph_doc", None))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], **model_kwargs)
    if ir_version is not None:
        model.ir_version = ir_version
    return model.SerializeToString()


def unary_model(op="Relu", elem=TensorProto.FLOAT, shape=("N", 3), out_elem=None, opset=17, **attrs):
    return make_model(
        [helper.make_node(op, ["x"], ["y"], **attrs)],
        [helper.make_tensor_value_info("x", elem, list(shape) if shape is not None else None)],
        [helper.make_tensor_value_info("y", out_elem if out_elem is not None else elem, None)],
        opset=opset,
    )


def add_model(elem=TensorProto.FLOAT, shape=(2, 3)):
    return make_model(
        [helper.make_node("Add", ["a", "b"], ["c"])],
        [helper.make_tensor_value_info("a", elem, list(shape)), helper.make_tensor_value_info("b", elem, list(shape))],
        [helper.make_tensor_value_info("c", elem, list(shape))],
    )


KNOWN_MODEL_FAILURES = REPO / "tests" / "conformance" / "known_failures_models.txt"


def known_model_failures(path=KNOWN_MODEL_FAILURES):
    """[(compiled full-match pattern, reason)] from the real models' known-failures file, as `onyx test
    --exclude-file` reads it."""
    rules = []
    if path.is_file():
        for line in path.read_text().splitlines():
            text, _, reason = line.partition("#")
            if text.strip():
                rules.append((re.compile(text.strip()), reason.strip()))
    return rules


def model_cases():
    """The real-model cases under shared/models (empty when shared/ is absent), for pytest.mark.parametrize:
    a case in the known-failures file is a pytest.param marked skip with the file's reason."""
    root = SHARED / "models"
    if not root.is_dir():
        return []
    cases = []
    for name in sorted(p.name for p in root.iterdir() if (p / "model.onnx").is_file()):
        reason = next((why for pattern, why in known_model_failures() if pattern.fullmatch(name)), None)
        if reason is None:
            cases.append(name)
        else:
            cases.append(pytest.param(name, marks=pytest.mark.skip(
                reason=f"known failure (tests/conformance/known_failures_models.txt): {reason or 'no reason given'}")))
    return cases


def load_case_inputs(case_dir, data_set="test_data_set_0"):
    from onnx import numpy_helper

    model = onnx.load(str(case_dir / "model.onnx"), load_external_data=False)
    inits = {i.name for i in model.graph.initializer}
    names = [i.name for i in model.graph.input if i.name not in inits]
    feeds = {}
    for i, name in enumerate(names):
        t = onnx.TensorProto()
        t.ParseFromString((case_dir / data_set / f"input_{i}.pb").read_bytes())
        feeds[name] = numpy_helper.to_array(t)
    return feeds


def assert_close(actual, expected, rtol=1e-3, atol=1e-4):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape
    assert actual.dtype == expected.dtype
    if expected.dtype == object:
        assert actual.tolist() == expected.tolist()
    else:
        np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


def small_cnn(path, conv2_kernel=3, relu_after_add=True):
    """Conv-Relu-Conv + residual Add (+ Relu), global pooling, Gemm: the shapes of a small image classifier, with
    fixed random weights, input x [N, 3, 8, 8] and output y [N, 5]. Saved to `path`, which is returned. The
    quantization tests (tests/python/test_quantization.py, tests/cli/test_quantize.py) quantize it."""
    from onnx import numpy_helper

    rng = np.random.default_rng(0)
    arrays = {"w1": rng.normal(0, 0.3, (8, 3, 3, 3)), "b1": rng.normal(0, 0.1, 8),
              "w2": rng.normal(0, 0.2, (8, 8, conv2_kernel, conv2_kernel)), "b2": rng.normal(0, 0.1, 8),
              "wf": rng.normal(0, 0.3, (5, 8)), "bf": rng.normal(0, 0.1, 5)}
    inits = [numpy_helper.from_array(a.astype(np.float32), n) for n, a in arrays.items()]
    pad = conv2_kernel // 2
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("Conv", ["r1", "w2", "b2"], ["c2"], name="conv2", pads=[pad] * 4),
        helper.make_node("Add", ["c2", "r1"], ["s"], name="add"),
    ]
    pooled = "s"
    if relu_after_add:
        nodes.append(helper.make_node("Relu", ["s"], ["r2"], name="relu2"))
        pooled = "r2"
    nodes += [
        helper.make_node("GlobalAveragePool", [pooled], ["p"], name="pool"),
        helper.make_node("Flatten", ["p"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "wf", "bf"], ["y"], name="fc", transB=1),
    ]
    graph = helper.make_graph(nodes, "cnn", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 8, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 5])], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return path

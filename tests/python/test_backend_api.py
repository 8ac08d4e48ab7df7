"""onyx.backend as an onnx.backend.base.Backend: prepare, run_model, run_node, supports_device."""

import glob
import os

import numpy as np
import onnx
import onnx.backend.test.loader
from onnx import numpy_helper
from onnx import TensorProto, helper
from onnx.backend.base import Backend, BackendRep

import onyx.backend as backend
from onyx_test_helpers import add_model


def test_is_a_backend():
    assert issubclass(backend.OnyxBackend, Backend)
    assert backend.supports_device("CPU")
    assert not backend.supports_device("CUDA")


def test_prepare_and_run_model():
    model = onnx.load_from_string(add_model(shape=(2,)))
    rep = backend.prepare(model, "CPU")
    assert isinstance(rep, BackendRep)
    a = np.array([1, 2], np.float32)
    out = rep.run([a, a])
    np.testing.assert_array_equal(out[0], [2, 4])
    np.testing.assert_array_equal(out["c"], [2, 4])
    out = backend.run_model(model, {"a": a, "b": a * 3})
    np.testing.assert_array_equal(out.c, [4, 8])
    assert backend.is_compatible(model)


def test_run_node():
    node = helper.make_node("Mul", ["x", "y"], ["z"])
    x = np.array([[1, 2], [3, 4]], np.int64)
    (z,) = backend.run_node(node, [x, x])
    np.testing.assert_array_equal(z, x * x)
    node = helper.make_node("Cast", ["x"], ["y"], to=TensorProto.FLOAT)
    (y,) = backend.run_node(node, [x], outputs_info=[(np.float32, (2, 2))])
    assert y.dtype == np.float32


def test_loop_sequence_of_scalars():
    # The harness cannot compare this case (a sequence of 0-d tensors), so compare it here.
    (case,) = [c for c in onnx.backend.test.loader.load_model_tests(kind="node") if c.name == "test_loop16_seq_none"]
    model = onnx.load(os.path.join(case.model_dir, "model.onnx"))
    data = os.path.join(case.model_dir, "test_data_set_0")
    inputs = []
    for i, graph_input in enumerate(model.graph.input):
        raw = open(os.path.join(data, f"input_{i}.pb"), "rb").read()
        if graph_input.type.HasField("optional_type"):
            proto = onnx.OptionalProto()
            proto.ParseFromString(raw)
            inputs.append(numpy_helper.to_optional(proto))
        else:
            proto = onnx.TensorProto()
            proto.ParseFromString(raw)
            inputs.append(numpy_helper.to_array(proto))
    expected = onnx.SequenceProto()
    expected.ParseFromString(open(glob.glob(os.path.join(data, "output_0.pb"))[0], "rb").read())
    expected = numpy_helper.to_list(expected)
    (got,) = backend.prepare(model).run(inputs)
    assert isinstance(got, list) and len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.dtype == e.dtype and g.shape == e.shape
        np.testing.assert_allclose(g, e, rtol=1e-3, atol=1e-5)

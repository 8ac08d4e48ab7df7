"""InferenceSession: model description, options, providers, running, and the errors onnxruntime raises."""

import warnings

import numpy as np
import onnxruntime
import pytest
from onnx import TensorProto, helper, numpy_helper

import onyx
import onyx as ort
from onyx_test_helpers import add_model, make_model, unary_model


def both(model, **kwargs):
    """The same model in Onyx and in onnxruntime, for side-by-side checks."""
    return (ort.InferenceSession(model, providers=["CPUExecutionProvider"], **kwargs),
            onnxruntime.InferenceSession(model, providers=["CPUExecutionProvider"], **kwargs))


def test_path_bytes_and_pathlike(relu_path, relu_bytes):
    x = np.array([[-1.0, 0.5, 2.0]], dtype=np.float32)
    for model in (str(relu_path), relu_path, relu_bytes, bytearray(relu_bytes)):
        (y,) = ort.InferenceSession(model).run(None, {"x": x})
        np.testing.assert_array_equal(y, np.maximum(x, 0))


def test_model_type_error():
    with pytest.raises(TypeError, match="Unable to load from type"):
        ort.InferenceSession(12345)


def test_inputs_outputs_match_onnxruntime():
    model = make_model(
        [helper.make_node("Add", ["x", "w"], ["y"]), helper.make_node("Shape", ["y"], ["s"])],
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, None])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3, None]),
         helper.make_tensor_value_info("s", TensorProto.INT64, [3])],
        initializers=[numpy_helper.from_array(np.ones((1, 3, 1), np.float32), "w")],
    )
    mine, theirs = both(model)
    for a, b in [(mine.get_inputs(), theirs.get_inputs()), (mine.get_outputs(), theirs.get_outputs())]:
        assert [(n.name, n.type, n.shape) for n in a] == [(n.name, n.type, n.shape) for n in b]
    assert mine.get_inputs()[0].shape == ["N", 3, None]
    assert str(mine.get_inputs()[0]) == "NodeArg(name='x', type='tensor(float)', shape=['N', 3, None])"
    assert mine.get_overridable_initializers() == [] and theirs.get_overridable_initializers() == []


def test_overridable_initializers():
    w = numpy_helper.from_array(np.full((3,), 2.0, np.float32), "w")
    model = make_model(
        [helper.make_node("Mul", ["x", "w"], ["y"])],
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3]),
         helper.make_tensor_value_info("w", TensorProto.FLOAT, [3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3])],
        initializers=[w],
    )
    mine, theirs = both(model)
    assert [(n.name, n.type, n.shape) for n in mine.get_overridable_initializers()] == \
        [(n.name, n.type, n.shape) for n in theirs.get_overridable_initializers()] == [("w", "tensor(float)", [3])]
    assert [n.name for n in mine.get_inputs()] == [n.name for n in theirs.get_inputs()] == ["x"]
    x = np.arange(3, dtype=np.float32)
    np.testing.assert_array_equal(mine.run(None, {"x": x})[0], x * 2)
    np.testing.assert_array_equal(mine.run(None, {"x": x, "w": np.full(3, 5.0, np.float32)})[0], x * 5)


def test_modelmeta_matches_onnxruntime():
    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "my_graph",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])], doc_string="graph doc")
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="tester",
                          producer_version="1.2", domain="ai.test", model_version=7, doc_string="model doc")
    helper.set_model_props(m, {"author": "me", "license": "MIT"})
    mine, theirs = both(m.SerializeToString())
    a, b = mine.get_modelmeta(), theirs.get_modelmeta()
    for field in ("producer_name", "graph_name", "domain", "description", "graph_description", "version",
                  "custom_metadata_map"):
        assert getattr(a, field) == getattr(b, field), field
    assert (a.producer_name, a.graph_name, a.version, a.custom_metadata_map) == \
        ("tester", "my_graph", 7, {"author": "me", "license": "MIT"})


def test_providers():
    sess = ort.InferenceSession(unary_model())
    assert sess.get_providers() == ["CPUExecutionProvider"]
    assert sess.get_provider_options() == {"CPUExecutionProvider": {}}
    assert ort.get_available_providers() == ["CPUExecutionProvider"]
    assert ort.get_device() == "CPU"
    with pytest.warns(RuntimeWarning, match="not in available provider names"):
        sess = ort.InferenceSession(unary_model(), providers=["CUDAExecutionProvider", "CPUExecutionProvider"])
    assert sess.get_providers() == ["CPUExecutionProvider"]
    sess = ort.InferenceSession(unary_model(), providers=[("CPUExecutionProvider", {"arena": 1})])
    assert sess.get_provider_options() == {"CPUExecutionProvider": {"arena": "1"}}
    with pytest.raises(ValueError):
        ort.InferenceSession(unary_model(), providers=["NoSuchExecutionProvider"])
    with pytest.raises(ValueError):
        ort.InferenceSession(unary_model(), providers=["CPUExecutionProvider"], provider_options=[{}, {}])


def test_session_options_defaults_match_onnxruntime():
    a, b = ort.SessionOptions(), onnxruntime.SessionOptions()
    for field in ("intra_op_num_threads", "inter_op_num_threads", "log_severity_level", "enable_profiling",
                  "optimized_model_filepath", "log_verbosity_level", "enable_cpu_mem_arena", "enable_mem_pattern"):
        assert getattr(a, field) == getattr(b, field), field
    assert int(a.graph_optimization_level) == int(b.graph_optimization_level) == 99
    assert int(a.execution_mode) == int(b.execution_mode) == 0
    for name in ("ORT_DISABLE_ALL", "ORT_ENABLE_BASIC", "ORT_ENABLE_EXTENDED", "ORT_ENABLE_ALL"):
        assert int(getattr(ort.GraphOptimizationLevel, name)) == int(getattr(onnxruntime.GraphOptimizationLevel, name))
    for name in ("ORT_SEQUENTIAL", "ORT_PARALLEL"):
        assert int(getattr(ort.ExecutionMode, name)) == int(getattr(onnxruntime.ExecutionMode, name))


@pytest.mark.parametrize("level", list(ort.GraphOptimizationLevel))
@pytest.mark.parametrize("threads", [0, 1, 2])
def test_session_options_are_applied(level, threads):
    so = ort.SessionOptions()
    so.graph_optimization_level = level
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.log_severity_level = 3
    so.add_session_config_entry("session.some_key", "1")
    assert so.get_session_config_entry("session.some_key") == "1"
    sess = ort.InferenceSession(unary_model(), so)
    assert sess.get_session_options() is so
    x = np.array([[-1, 2, -3]], np.float32)
    np.testing.assert_array_equal(sess.run(None, {"x": x})[0], np.maximum(x, 0))


@pytest.mark.parametrize("inter_op", [0, 1, 3])
def test_parallel_execution_mode_runs(inter_op):
    so = ort.SessionOptions()
    so.execution_mode = ort.ExecutionMode.ORT_PARALLEL
    so.inter_op_num_threads = inter_op
    sess = ort.InferenceSession(add_model(), so)
    a = np.ones((2, 3), np.float32)
    np.testing.assert_array_equal(sess.run(None, {"a": a, "b": a})[0], a * 2)


def test_bad_session_options():
    so = ort.SessionOptions()
    so.intra_op_num_threads = -1
    with pytest.raises(ort.InvalidArgument, match="intra_op_threads"):
        ort.InferenceSession(unary_model(), so)
    so = ort.SessionOptions()
    so.log_severity_level = 9
    with pytest.raises(ort.InvalidArgument, match="log_severity_level"):
        ort.InferenceSession(unary_model(), so)
    with pytest.raises(ort.InvalidArgument):
        ort.SessionOptions().get_session_config_entry("not.set")


def test_unsupported_features_fail_clearly():
    so = ort.SessionOptions()
    with pytest.raises(ort.NotImplemented, match="custom operators"):
        so.register_custom_ops_library("/tmp/libcustom.so")
    with pytest.raises(ort.NotImplemented):
        so.add_free_dimension_override_by_name("N", 1)


def test_optimized_model_filepath(tmp_path):
    so = ort.SessionOptions()
    so.optimized_model_filepath = str(tmp_path / "optimized.onnx")
    ort.InferenceSession(add_model(), so)
    saved = (tmp_path / "optimized.onnx").read_bytes()
    a = np.ones((2, 3), np.float32)
    for lib in (ort, onnxruntime):
        (c,) = lib.InferenceSession(saved, providers=["CPUExecutionProvider"]).run(None, {"a": a, "b": a})
        np.testing.assert_array_equal(c, a * 2)


def test_disabled_optimizers_keyword():
    sess = ort.InferenceSession(unary_model(), disabled_optimizers=["NoSuchPass"])
    np.testing.assert_array_equal(sess.run(None, {"x": np.ones((1, 3), np.float32)})[0], 1)


def test_run_output_selection_and_order():
    model = make_model(
        [helper.make_node("Relu", ["x"], ["r"]), helper.make_node("Neg", ["x"], ["n"])],
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3])],
        [helper.make_tensor_value_info("r", TensorProto.FLOAT, [3]),
         helper.make_tensor_value_info("n", TensorProto.FLOAT, [3])],
    )
    sess = ort.InferenceSession(model)
    x = np.array([-1, 0, 2], np.float32)
    r, n = np.maximum(x, 0), -x
    for names in (None, []):
        out = sess.run(names, {"x": x})
        np.testing.assert_array_equal(out[0], r)
        np.testing.assert_array_equal(out[1], n)
    (only,) = sess.run(["n"], {"x": x})
    np.testing.assert_array_equal(only, n)
    out = sess.run(["n", "r"], {"x": x})
    np.testing.assert_array_equal(out[0], n)
    np.testing.assert_array_equal(out[1], r)
    out = sess.run(("r",), {"x": x}, ort.RunOptions())
    np.testing.assert_array_equal(out[0], r)


def test_run_options():
    ro = ort.RunOptions()
    assert (ro.log_severity_level, ro.log_verbosity_level, ro.logid, ro.terminate) == (-1, 0, "", False)
    ro.logid = "run1"
    ro.log_severity_level = 2
    ro.add_run_config_entry("k", "v")
    assert ro.get_run_config_entry("k") == "v"
    sess = ort.InferenceSession(unary_model())
    x = np.ones((1, 3), np.float32)
    assert sess.run(None, {"x": x}, ro)[0].shape == (1, 3)
    ro.terminate = True
    assert ro.terminate is True
    with pytest.raises(ort.OnyxError):
        sess.run(None, {"x": x}, ro)


def test_lists_and_scalars_take_the_input_type():
    sess = ort.InferenceSession(unary_model(shape=(None,)))
    (y,) = sess.run(None, {"x": [-1, 2, 3]})
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y, [0, 2, 3])


def test_non_contiguous_and_readonly_inputs():
    sess = ort.InferenceSession(add_model(shape=(2, 3)))
    base = np.arange(12, dtype=np.float32).reshape(2, 6) - 5
    a = base[:, ::2]  # strided
    b = np.asfortranarray(np.ones((2, 3), np.float32))
    c = np.ones((2, 3), np.float32)
    c.setflags(write=False)
    np.testing.assert_array_equal(sess.run(None, {"a": a, "b": b})[0], a + 1)
    np.testing.assert_array_equal(sess.run(None, {"a": a, "b": c})[0], a + 1)


def test_outputs_are_not_copies_but_independent():
    sess = ort.InferenceSession(unary_model())
    x = np.array([[1.0, -2.0, 3.0]], np.float32)
    y1 = sess.run(None, {"x": x})[0]
    y2 = sess.run(None, {"x": x})[0]
    assert not y1.flags.owndata  # numpy points at the engine's buffer: no copy was made
    assert y1.flags.writeable
    y1[...] = 42
    np.testing.assert_array_equal(y2, np.maximum(x, 0))
    np.testing.assert_array_equal(x, [[1.0, -2.0, 3.0]])


def test_outputs_never_alias_inputs_or_initializers():
    # Identity hands its input through; writing to the output must not change the caller's array.
    sess = ort.InferenceSession(unary_model("Identity"))
    x = np.array([[1.0, 2.0, 3.0]], np.float32)
    y = sess.run(None, {"x": x})[0]
    y[...] = 0
    np.testing.assert_array_equal(x, [[1.0, 2.0, 3.0]])
    # An output that is an initializer: writing to it must not change the next run.
    model = make_model(
        [helper.make_node("Identity", ["w"], ["y"])],
        [], [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])],
        initializers=[numpy_helper.from_array(np.array([1.0, 2.0], np.float32), "w")],
    )
    sess = ort.InferenceSession(model)
    y = sess.run(None, {})[0]
    y[...] = -1
    np.testing.assert_array_equal(sess.run(None, {})[0], [1.0, 2.0])


NUMERIC = [
    (np.float32, TensorProto.FLOAT), (np.float64, TensorProto.DOUBLE), (np.float16, TensorProto.FLOAT16),
    (np.int8, TensorProto.INT8), (np.int16, TensorProto.INT16), (np.int32, TensorProto.INT32),
    (np.int64, TensorProto.INT64), (np.uint8, TensorProto.UINT8), (np.uint16, TensorProto.UINT16),
    (np.uint32, TensorProto.UINT32), (np.uint64, TensorProto.UINT64), (np.bool_, TensorProto.BOOL),
]


@pytest.mark.parametrize("dtype,elem", NUMERIC, ids=[np.dtype(d).name for d, _ in NUMERIC])
def test_identity_dtypes(dtype, elem):
    sess = ort.InferenceSession(unary_model("Identity", elem=elem, shape=(2, 2)))
    x = (np.arange(4).reshape(2, 2) % 2).astype(dtype)
    (y,) = sess.run(None, {"x": x})
    assert y.dtype == x.dtype and y.shape == (2, 2)
    np.testing.assert_array_equal(y, x)


def test_bool_and_float16_compute():
    sess = ort.InferenceSession(unary_model("Not", elem=TensorProto.BOOL, shape=(3,)))
    np.testing.assert_array_equal(sess.run(None, {"x": np.array([True, False, True])})[0], [False, True, False])
    sess = ort.InferenceSession(add_model(elem=TensorProto.FLOAT16, shape=(3,)))
    a = np.array([1.5, 2.25, -3.0], np.float16)
    (c,) = sess.run(None, {"a": a, "b": a})
    assert c.dtype == np.float16
    np.testing.assert_array_equal(c, a + a)


def test_string_tensors():
    sess = ort.InferenceSession(unary_model("Identity", elem=TensorProto.STRING, shape=(2,)))
    for x in (np.array(["héllo", ""], dtype=object), np.array(["ab", "cd"]), np.array([b"x", b"yz"])):
        (y,) = sess.run(None, {"x": x})
        assert y.dtype == object
        assert y.tolist() == [v.decode() if isinstance(v, bytes) else v for v in x.tolist()]
    model = make_model(
        [helper.make_node("StringNormalizer", ["x"], ["y"], case_change_action="UPPER")],
        [helper.make_tensor_value_info("x", TensorProto.STRING, [2])],
        [helper.make_tensor_value_info("y", TensorProto.STRING, None)], opset=10)
    (y,) = ort.InferenceSession(model).run(None, {"x": np.array(["abc", "Def"], dtype=object)})
    assert y.tolist() == ["ABC", "DEF"]
    with pytest.raises(ort.InvalidArgument, match="string tensor"):
        sess.run(None, {"x": np.array(["a", 3], dtype=object)})


def test_bfloat16():
    ml_dtypes = pytest.importorskip("ml_dtypes")
    bf16 = ml_dtypes.bfloat16
    sess = ort.InferenceSession(unary_model("Cast", elem=TensorProto.FLOAT, shape=(3,), out_elem=TensorProto.BFLOAT16,
                                            to=TensorProto.BFLOAT16))
    x = np.array([1.0, -2.5, 3.140625], np.float32)
    (y,) = sess.run(None, {"x": x})
    assert y.dtype == bf16
    np.testing.assert_array_equal(y.astype(np.float32), x.astype(bf16).astype(np.float32))
    sess = ort.InferenceSession(unary_model("Identity", elem=TensorProto.BFLOAT16, shape=(3,)))
    (z,) = sess.run(None, {"x": y})
    assert z.dtype == bf16
    np.testing.assert_array_equal(z.view(np.uint16), y.view(np.uint16))


def test_sequence_and_optional_values():
    model = make_model(
        [helper.make_node("SequenceConstruct", ["x", "x"], ["s"])],
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
        [helper.make_tensor_sequence_value_info("s", TensorProto.FLOAT, None)])
    sess = ort.InferenceSession(model)
    assert sess.get_outputs()[0].type == "seq(tensor(float))"
    (s,) = sess.run(None, {"x": np.array([1, 2], np.float32)})
    assert isinstance(s, list) and len(s) == 2
    np.testing.assert_array_equal(s[1], [1, 2])
    # A sequence input fed as a list.
    model = make_model(
        [helper.make_node("SequenceLength", ["s"], ["n"])],
        [helper.make_tensor_sequence_value_info("s", TensorProto.FLOAT, None)],
        [helper.make_tensor_value_info("n", TensorProto.INT64, [])])
    (n,) = ort.InferenceSession(model).run(None, {"s": [np.zeros(2, np.float32)] * 3})
    assert n == 3
    # Optional input: None is an absent value; an absent optional output comes back as None.
    opt_type = helper.make_optional_type_proto(helper.make_tensor_type_proto(TensorProto.FLOAT, [2]))
    model = make_model(
        [helper.make_node("OptionalHasElement", ["o"], ["has"]), helper.make_node("Identity", ["o"], ["same"])],
        [helper.make_value_info("o", opt_type)],
        [helper.make_tensor_value_info("has", TensorProto.BOOL, []), helper.make_value_info("same", opt_type)],
        opset=18)
    sess = ort.InferenceSession(model)
    has, same = sess.run(None, {"o": None})
    assert bool(has) is False and same is None
    has, same = sess.run(None, {"o": np.array([1, 2], np.float32)})
    assert bool(has) is True
    np.testing.assert_array_equal(same, [1, 2])


# --- errors: onnxruntime's exception classes, Onyx's messages ---

def test_wrong_input_name():
    sess = ort.InferenceSession(unary_model())
    with pytest.raises(ort.InvalidArgument, match="unknown input name 'z'"):
        sess.run(None, {"x": np.zeros((1, 3), np.float32), "z": np.zeros(1, np.float32)})
    with pytest.raises(ValueError, match=r"Required inputs \(\['x'\]\) are missing"):
        sess.run(None, {"z": np.zeros((1, 3), np.float32)})


def test_wrong_dtype_rank_dim_and_output_name():
    sess = ort.InferenceSession(unary_model(shape=("N", 3)))
    with pytest.raises(ort.InvalidArgument, match="element type float but got double"):
        sess.run(None, {"x": np.zeros((1, 3), np.float64)})
    with pytest.raises(ort.InvalidArgument, match="rank 2"):
        sess.run(None, {"x": np.zeros((3,), np.float32)})
    with pytest.raises(ort.InvalidArgument, match="dim 1 to be 3"):
        sess.run(None, {"x": np.zeros((1, 4), np.float32)})
    with pytest.raises(ort.InvalidArgument, match="unknown output name 'nope'"):
        sess.run(["nope"], {"x": np.zeros((1, 3), np.float32)})
    with pytest.raises(ort.InvalidArgument, match="does not support"):
        sess.run(None, {"x": np.zeros((1, 3), np.longdouble)})


def test_missing_file(tmp_path):
    with pytest.raises(ort.NoSuchFile) as info:
        ort.InferenceSession(str(tmp_path / "absent.onnx"))
    assert "absent.onnx" in str(info.value)


def test_corrupt_model_bytes(relu_bytes):
    with pytest.raises(ort.OnyxError) as info:
        ort.InferenceSession(b"\x08\x07garbage\xff\xff\xff")
    assert isinstance(info.value, (ort.InvalidProtobuf, ort.InvalidGraph, ort.InvalidArgument))
    with pytest.raises(ort.OnyxError):
        ort.InferenceSession(relu_bytes[: len(relu_bytes) // 2])


def test_invalid_graph():
    model = make_model([helper.make_node("Relu", ["missing"], ["y"])],
                       [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
                       [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
    with pytest.raises(ort.OnyxError, match="missing"):
        ort.InferenceSession(model)


def test_exception_classes_and_alias_module():
    from onyx.capi import onnxruntime_pybind11_state as state
    from onyx.capi.onnxruntime_pybind11_state import InvalidArgument

    for name in ("Fail", "InvalidArgument", "NoSuchFile", "NoModel", "EngineError", "RuntimeException",
                 "InvalidProtobuf", "ModelLoaded", "NotImplemented", "InvalidGraph", "EPFail", "NotFound"):
        cls = getattr(state, name)
        assert cls is getattr(onyx, name)
        assert issubclass(cls, onyx.OnyxError) and issubclass(cls, Exception)
        assert hasattr(onnxruntime.capi.onnxruntime_pybind11_state, name)
    assert InvalidArgument is ort.InvalidArgument
    try:
        ort.InferenceSession(unary_model()).run(None, {"x": np.zeros((1, 3), np.int32)})
    except state.InvalidArgument as e:
        assert str(e).startswith("[Onyx] : 2 : INVALID_ARGUMENT : ")
    else:
        pytest.fail("no error")


def test_no_warnings_on_plain_use():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sess = ort.InferenceSession(unary_model(), providers=["CPUExecutionProvider"])
        sess.run(None, {"x": np.zeros((1, 3), np.float32)})


def test_zipmap_returns_dicts_like_onnxruntime():
    node = helper.make_node("ZipMap", ["x"], ["z"], domain="ai.onnx.ml", classlabels_strings=["a", "b"])
    map_type = helper.make_map_type_proto(TensorProto.STRING, helper.make_tensor_type_proto(TensorProto.FLOAT, None))
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 2])],
                              [helper.make_value_info("z", helper.make_sequence_type_proto(map_type))])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)])
    mine, theirs = both(model.SerializeToString())
    assert mine.get_outputs()[0].type == theirs.get_outputs()[0].type
    x = np.array([[0.25, 0.75], [0.5, 0.5]], np.float32)
    (a,), (b,) = mine.run(None, {"x": x}), theirs.run(None, {"x": x})
    assert a == b == [{"a": 0.25, "b": 0.75}, {"a": 0.5, "b": 0.5}]

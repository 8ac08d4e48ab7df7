"""Models quantized by onnxruntime.quantization run in Onyx and agree with onnxruntime.

Small float models built here (a conv net, a MatMul attention block, an LSTM) are quantized the ways the tool
offers: quantize_static in the QOperator format (onnxruntime's com.microsoft QLinear* operators) and in the QDQ
format, uint8 and int8, per tensor and per channel; and quantize_dynamic (DynamicQuantizeLSTM, MatMulInteger,
...). A statically quantized model's output comes out of a DequantizeLinear whose scale is the output's step:
Onyx and onnxruntime may round differently in a few places, so they must agree within two steps. Dynamic models
have float outputs, and Onyx follows onnxruntime's dynamic quantization exactly, so the bound there is tight."""

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
quantization = pytest.importorskip("onnxruntime.quantization")
onyx = pytest.importorskip("onyx")

from onnx import TensorProto, helper, numpy_helper  # noqa: E402
from onnxruntime.quantization import (  # noqa: E402
    CalibrationDataReader,
    QuantFormat,
    QuantType,
    quantize_dynamic,
    quantize_static,
)

RNG = np.random.default_rng(7)


def _init(name, shape, scale=0.3):
    return numpy_helper.from_array((RNG.standard_normal(shape) * scale).astype(np.float32), name)


def conv_net():
    """Conv, Concat, AveragePool, Add, Mul, Sigmoid, LeakyRelu, GlobalAveragePool, Gemm, Softmax. (No Where:
    onnxruntime 1.32's QOperator quantizer fails on it, "unknown initializers/tensors"; QLinearWhere is tested in
    tests/kernels.)"""
    inits = [
        _init("w1", [8, 3, 3, 3]), _init("b1", [8], 0.1), _init("w2", [8, 8, 1, 1]), _init("b2", [8], 0.1),
        _init("w3", [16, 16, 3, 3], 0.1), _init("b3", [16], 0.1), _init("gw", [10, 16]), _init("gb", [10], 0.1),
    ]
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Conv", ["r1", "w2", "b2"], ["c2"]),
        helper.make_node("Concat", ["r1", "c2"], ["cat"], axis=1),
        helper.make_node("AveragePool", ["cat"], ["ap"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["ap", "w3", "b3"], ["c3"], pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["c3", "ap"], ["add"]),
        helper.make_node("Sigmoid", ["add"], ["sig"]),
        helper.make_node("Mul", ["add", "sig"], ["mul"]),
        helper.make_node("LeakyRelu", ["mul"], ["lr"], alpha=0.1),
        helper.make_node("GlobalAveragePool", ["lr"], ["gap"]),
        helper.make_node("Flatten", ["gap"], ["flat"]),
        helper.make_node("Gemm", ["flat", "gw", "gb"], ["logits"], transB=1),
        helper.make_node("Softmax", ["logits"], ["y"], axis=-1),
    ]
    graph = helper.make_graph(nodes, "conv_net",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 15, 15])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 10])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), {"x": (2, 3, 15, 15)}


def attention_block():
    """MatMul projections, a score MatMul between activations, Softmax, residual Add, ReduceMean."""
    d = 16
    inits = [_init(n, [d, d]) for n in ("wq", "wk", "wv", "wo")] + [_init("bo", [d], 0.1), _init("w1", [d, 24]),
                                                                   _init("w2", [24, d])]
    nodes = [
        helper.make_node("MatMul", ["x", "wq"], ["q"]),
        helper.make_node("MatMul", ["x", "wk"], ["k"]),
        helper.make_node("MatMul", ["x", "wv"], ["v"]),
        helper.make_node("Transpose", ["k"], ["kt"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["q", "kt"], ["s"]),
        helper.make_node("Softmax", ["s"], ["p"], axis=-1),
        helper.make_node("MatMul", ["p", "v"], ["a"]),
        helper.make_node("MatMul", ["a", "wo"], ["o"]),
        helper.make_node("Add", ["o", "bo"], ["ob"]),
        helper.make_node("Add", ["ob", "x"], ["h"]),
        helper.make_node("ReduceMean", ["h"], ["mean"], axes=[-1]),
        helper.make_node("Sub", ["h", "mean"], ["hc"]),
        helper.make_node("MatMul", ["hc", "w1"], ["f1"]),
        helper.make_node("Relu", ["f1"], ["f1r"]),
        helper.make_node("MatMul", ["f1r", "w2"], ["y"]),
    ]
    graph = helper.make_graph(nodes, "attention", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 7, d])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 7, d])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), {"x": (2, 7, d)}


def lstm_net():
    """A bidirectional LSTM followed by a MatMul head."""
    seq, batch, inp, hid = 6, 2, 8, 12
    inits = [_init("W", [2, 4 * hid, inp]), _init("R", [2, 4 * hid, hid]), _init("B", [2, 8 * hid], 0.1),
             _init("head", [2 * hid, 5])]
    nodes = [
        helper.make_node("LSTM", ["x", "W", "R", "B"], ["Y", "Yh"], hidden_size=hid, direction="bidirectional"),
        helper.make_node("Transpose", ["Y"], ["Yt"], perm=[0, 2, 1, 3]),
        helper.make_node("Reshape", ["Yt", "shape"], ["Yr"]),
        helper.make_node("MatMul", ["Yr", "head"], ["y"]),
    ]
    inits.append(numpy_helper.from_array(np.array([seq, batch, 2 * hid], np.int64), "shape"))
    graph = helper.make_graph(nodes, "lstm", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [seq, batch, inp])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [seq, batch, 5])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), {"x": (seq, batch, inp)}


class _Reader(CalibrationDataReader):
    def __init__(self, shapes, count=4):
        self._feeds = iter([{k: RNG.standard_normal(s).astype(np.float32) for k, s in shapes.items()}
                            for _ in range(count)])

    def get_next(self):
        return next(self._feeds, None)


def _ort(path, feed):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"]).run(None, feed)[0]


def _output_step(model_path):
    """The scale of the DequantizeLinear that produces the graph's output (its quantization step)."""
    model = onnx.load(str(model_path))
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    out = model.graph.output[0].name
    for node in model.graph.node:
        if out in node.output and node.op_type == "DequantizeLinear":
            return float(np.max(inits[node.input[1]]))
    raise AssertionError(f"output {out} does not come from a DequantizeLinear")


def _ops(model_path):
    return {(n.domain or "ai.onnx", n.op_type) for n in onnx.load(str(model_path)).graph.node}


def _compare(path, shapes, atol):
    feed = {k: RNG.standard_normal(s).astype(np.float32) for k, s in shapes.items()}
    expected = _ort(path, feed)
    got = onyx.InferenceSession(str(path)).run(None, feed)[0]
    assert got.shape == expected.shape and got.dtype == expected.dtype
    # Plus the float rounding of values as large as the outputs (two steps apart can read as 2.0000001 steps).
    np.testing.assert_allclose(got, expected, rtol=0, atol=atol + 1e-6 * float(np.max(np.abs(expected))))


STATIC_MODELS = {"conv": conv_net, "attention": attention_block}
TYPES = {"u8u8": (QuantType.QUInt8, QuantType.QUInt8), "u8s8": (QuantType.QUInt8, QuantType.QInt8),
         "s8s8": (QuantType.QInt8, QuantType.QInt8)}


@pytest.mark.parametrize("per_channel", [False, True], ids=["per_tensor", "per_channel"])
@pytest.mark.parametrize("types", list(TYPES), ids=list(TYPES))
@pytest.mark.parametrize("fmt", ["qop", "qdq", "qdq_contrib"])
@pytest.mark.parametrize("name", list(STATIC_MODELS))
def test_static(tmp_path, name, fmt, types, per_channel):
    model, shapes = STATIC_MODELS[name]()
    src, dst = tmp_path / "f32.onnx", tmp_path / "q.onnx"
    onnx.save(model, str(src))
    act, weight = TYPES[types]
    quant_format = QuantFormat.QOperator if fmt == "qop" else QuantFormat.QDQ
    extra = {"UseQDQContribOps": fmt == "qdq_contrib"}
    quantize_static(str(src), str(dst), _Reader(shapes), quant_format=quant_format, activation_type=act,
                    weight_type=weight, per_channel=per_channel, extra_options=extra)
    if fmt == "qdq_contrib":
        assert ("com.microsoft", "QuantizeLinear") in _ops(dst)
    if fmt == "qop":
        # The point of the QOperator runs: onnxruntime's own quantized operators, not float islands.
        assert any(domain == "com.microsoft" for domain, _ in _ops(dst)) or name == "attention", _ops(dst)
    _compare(dst, shapes, atol=2 * _output_step(dst) + 1e-6)


DYNAMIC_MODELS = {"conv": conv_net, "attention": attention_block, "lstm": lstm_net}


@pytest.mark.parametrize("weight", [QuantType.QInt8, QuantType.QUInt8], ids=["s8", "u8"])
@pytest.mark.parametrize("per_channel", [False, True], ids=["per_tensor", "per_channel"])
@pytest.mark.parametrize("name", list(DYNAMIC_MODELS))
def test_dynamic(tmp_path, name, per_channel, weight):
    model, shapes = DYNAMIC_MODELS[name]()
    src, dst = tmp_path / "f32.onnx", tmp_path / "q.onnx"
    onnx.save(model, str(src))
    quantize_dynamic(str(src), str(dst), weight_type=weight, per_channel=per_channel)
    if name == "lstm":
        assert ("com.microsoft", "DynamicQuantizeLSTM") in _ops(dst)
    # Both engines quantize the same floats the same way, so only float rounding separates them.
    _compare(dst, shapes, atol=1e-4)


def test_dynamic_optimized_by_onnxruntime(tmp_path):
    """onnxruntime's extended optimizations fold DynamicQuantizeLinear + MatMulInteger + Mul into
    DynamicQuantizeMatMul; the model it saves runs in Onyx too."""
    model, shapes = lstm_net()
    src, dst, opt = tmp_path / "f32.onnx", tmp_path / "q.onnx", tmp_path / "opt.onnx"
    onnx.save(model, str(src))
    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8)
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    so.optimized_model_filepath = str(opt)
    ort.InferenceSession(str(dst), so, providers=["CPUExecutionProvider"])
    assert ("com.microsoft", "DynamicQuantizeMatMul") in _ops(opt)
    _compare(opt, shapes, atol=1e-4)

"""onyx.quantization and fetching intermediate values.

- A program written for onnxruntime.quantization (ort_quant_app.py) runs unchanged on Onyx, and what it writes
  loads and runs in the real onnxruntime close to the float model.
- What onnxruntime.quantization writes (QDQ, QOperator, dynamic) runs in Onyx, matching onnxruntime on it.
- InferenceSession.run returns intermediate values by name, and says when the optimizer fused one away.
"""

import json
import subprocess
import sys
import pathlib

import numpy as np
import onnx
import pytest
from onnx import TensorProto

import onyx
import onyx.quantization as oq
from onyx_test_helpers import small_cnn

ort = pytest.importorskip("onnxruntime")
APP = pathlib.Path(__file__).with_name("ort_quant_app.py")


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return small_cnn(tmp_path_factory.mktemp("q") / "cnn.onnx", conv2_kernel=1, relu_after_add=False)


def sample(seed):
    return np.random.default_rng(seed).uniform(-1, 1, (2, 3, 8, 8)).astype(np.float32)


def ort_run(path, x):
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]


def rel_err(a, b):
    return float(np.abs(a - b).max() / np.abs(b).max())


def test_onnxruntime_quantization_program_runs_on_onyx(model, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "onyx.as_onnxruntime", str(APP), str(model), str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report == {"engine": "onyx", "quantization": "onyx.quantization.quantize"}
    x = sample(11)
    ref = ort_run(model, x)
    for name, tol in [("static", 0.1), ("qop", 0.1), ("dynamic", 0.05)]:
        assert rel_err(ort_run(tmp_path / f"{name}.onnx", x), ref) < tol, name
    static = onnx.load(str(tmp_path / "static.onnx"))
    fc = next(n for n in static.graph.node if n.name == "fc")
    assert fc.input[1] == "wf"  # excluded: the float weight is read directly
    zp = next(i for i in static.graph.initializer if i.name == "x_zero_point")
    assert zp.data_type == TensorProto.UINT8
    ops = {n.op_type for n in onnx.load(str(tmp_path / "qop.onnx")).graph.node}
    assert "QLinearConv" in ops
    ops = {n.op_type for n in onnx.load(str(tmp_path / "dynamic.onnx")).graph.node}
    assert "MatMulInteger" in ops and "Conv" in ops


class Reader(oq.CalibrationDataReader):
    def __init__(self, count):
        self.data = iter([{"x": sample(100 + i)} for i in range(count)])

    def get_next(self):
        return next(self.data, None)


def test_report_and_keep_float_through_extra_options(model, tmp_path):
    out = tmp_path / "keep.onnx"
    result = oq.quantize_static(str(model), str(out), Reader(6), extra_options={"OnyxKeepFloat": 1})
    assert len(result["float_nodes_kept"]) == 1
    dbs = [db for _, _, db in result["report"]]
    assert len(dbs) >= 4 and dbs == sorted(dbs)
    # On a calibration sample (six samples leave the pooled features' range short of other inputs').
    assert rel_err(ort_run(out, sample(100)), ort_run(model, sample(100))) < 0.1
    with pytest.raises(ValueError, match="QInt8 or QUInt8 only"):
        oq.quantize_static(str(model), str(out), Reader(1), weight_type=oq.QuantType.QInt4)


def onnxruntime_quantized(model, tmp_path):
    """Models written by the real onnxruntime.quantization (imported in a subprocess, as the alias may be active
    in this one). The QOperator one has com.microsoft QLinearAdd, QLinearGlobalAveragePool and QGemm."""
    code = f"""
import numpy as np
from onnxruntime.quantization import *
class R(CalibrationDataReader):
    def __init__(self):
        rng = np.random.default_rng(7)
        self.d = iter([{{"x": rng.uniform(-1, 1, (2, 3, 8, 8)).astype(np.float32)}} for _ in range(8)])
    def get_next(self):
        return next(self.d, None)
quantize_static({str(model)!r}, {str(tmp_path / 'ort_qdq.onnx')!r}, R(), per_channel=True)
quantize_static({str(model)!r}, {str(tmp_path / 'ort_qop.onnx')!r}, R(), quant_format=QuantFormat.QOperator,
                activation_type=QuantType.QUInt8, weight_type=QuantType.QUInt8)
quantize_dynamic({str(model)!r}, {str(tmp_path / 'ort_dyn.onnx')!r}, op_types_to_quantize=["Gemm", "MatMul"])
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return [tmp_path / n for n in ("ort_qdq.onnx", "ort_qop.onnx", "ort_dyn.onnx")]


def test_models_onnxruntime_quantized_run_on_onyx(model, tmp_path):
    x = sample(13)
    paths = onnxruntime_quantized(model, tmp_path)
    assert {"QLinearConv", "QLinearAdd", "QGemm"} <= {n.op_type for n in onnx.load(str(paths[1])).graph.node}
    for path in paths:
        expected = ort_run(path, x)
        got = onyx.InferenceSession(str(path)).run(None, {"x": x})[0]
        # The same integer model: results agree to within about one quantization step of the output.
        np.testing.assert_allclose(got, expected, atol=0.02 * np.abs(expected).max(), err_msg=path.name)


def test_run_fetches_intermediate_values(model):
    x = sample(14)
    opts = onyx.SessionOptions()
    opts.graph_optimization_level = onyx.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess = onyx.InferenceSession(str(model), opts)
    c1, y, r1 = sess.run(["c1", "y", "r1"], {"x": x})
    np.testing.assert_array_equal(r1, np.maximum(c1, 0))
    np.testing.assert_allclose(y, ort_run(model, x), rtol=1e-4, atol=1e-5)
    assert c1.shape == (2, 8, 8, 8)
    # At the default level Conv and Relu fuse: asking for the Conv's own output says so.
    fused = onyx.InferenceSession(str(model))
    with pytest.raises(onyx.InvalidArgument, match="value 'c1' was optimized away.*lower optimization level"):
        fused.run(["c1"], {"x": x})
    # At the basic level nothing fuses them, and both are there.
    opts.graph_optimization_level = onyx.GraphOptimizationLevel.ORT_ENABLE_BASIC
    basic = onyx.InferenceSession(str(model), opts)
    got_c1, got_r1 = basic.run(["c1", "r1"], {"x": x})
    np.testing.assert_allclose(got_c1, c1, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got_r1, r1, rtol=1e-4, atol=1e-5)


def test_quant_pre_process_writes_a_loadable_model(model, tmp_path):
    out = tmp_path / "pre.onnx"
    oq.quant_pre_process(str(model), str(out))
    m = onnx.load(str(out))
    assert any(v.name == "c1" for v in m.graph.value_info)  # shapes inferred and kept
    x = sample(15)
    np.testing.assert_allclose(onyx.InferenceSession(str(out)).run(None, {"x": x})[0], ort_run(model, x),
                               rtol=1e-4, atol=1e-5)

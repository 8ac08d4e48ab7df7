"""`onyx quantize` end to end: static QDQ and QOperator, dynamic, the SQNR report and keep-float, and misuse.
What it writes must load and run in onnxruntime with outputs close to the float model's.

Run with: ONYX_BIN=build/bin/onyx python3 -m pytest tests/cli/test_quantize.py
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "python"))
from onyx_test_helpers import small_cnn  # noqa: E402
ONYX_BIN = Path(os.environ.get("ONYX_BIN", REPO / "build" / "bin" / "onyx"))
if not ONYX_BIN.is_absolute():
    ONYX_BIN = (Path.cwd() / ONYX_BIN).resolve()

pytestmark = pytest.mark.skipif(not ONYX_BIN.exists(), reason=f"onyx binary not found at {ONYX_BIN} (set ONYX_BIN)")


def onyx(*args, timeout=120):
    return subprocess.run([str(ONYX_BIN), *map(str, args)], capture_output=True, text=True, timeout=timeout)


def assert_usage_error(result, text):
    assert result.returncode == 2, result
    lines = result.stderr.strip("\n").split("\n")
    assert len(lines) == 1 and lines[0].startswith("onyx: error: "), lines
    assert text in lines[0], lines[0]


def mlp(path):
    rng = np.random.default_rng(1)
    w1 = rng.normal(0, 0.3, (16, 32)).astype(np.float32)
    w2 = rng.normal(0, 0.3, (32, 4)).astype(np.float32)
    b2 = rng.normal(0, 0.1, 4).astype(np.float32)
    nodes = [helper.make_node("MatMul", ["x", "w1"], ["h"], name="mm1"),
             helper.make_node("Relu", ["h"], ["r"], name="relu"),
             helper.make_node("Gemm", ["r", "w2", "b2"], ["y"], name="fc")]
    graph = helper.make_graph(nodes, "mlp", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 16])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4])],
                              initializer=[numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(w2, "w2"),
                                           numpy_helper.from_array(b2, "b2")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return path


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    d = tmp_path_factory.mktemp("quant")
    small_cnn(d / "cnn.onnx")
    mlp(d / "mlp.onnx")
    rng = np.random.default_rng(2)
    # One subfolder per sample, the file named after the input (the layout `--calibration` documents).
    for i in range(6):
        (d / "calib" / f"sample_{i}").mkdir(parents=True)
        np.save(d / "calib" / f"sample_{i}" / "x.npy", rng.uniform(-1, 1, (2, 3, 8, 8)).astype(np.float32))
    return d


def ort_run(path, x):
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]


def close_to_float(work, quantized, x, tol=0.1):
    ref = ort_run(work / "cnn.onnx", x)
    got = ort_run(quantized, x)
    err = np.abs(got - ref).max() / np.abs(ref).max()
    assert err < tol, f"relative error {err}"


def op_counts(path):
    m = onnx.load(str(path))
    counts = {}
    for n in m.graph.node:
        counts[n.op_type] = counts.get(n.op_type, 0) + 1
    return m, counts


def test_static_qdq_per_channel_runs_in_onnxruntime(work):
    out = work / "cnn_qdq.onnx"
    r = onyx("quantize", work / "cnn.onnx", "-o", out, "--calibration", work / "calib", "--per-channel")
    assert r.returncode == 0, r.stderr
    # Both Relus are left to the quantization of their producers' outputs (every reader quantizes them), as
    # onnxruntime does: 7 nodes chosen, 5 left to quantize.
    assert "note: 2 Relu nodes folded" in r.stdout and "quantized 5 nodes with 6 calibration samples" in r.stdout
    m, counts = op_counts(out)
    assert "Relu" not in counts
    assert counts["QuantizeLinear"] >= 5 and counts["DequantizeLinear"] > counts["QuantizeLinear"]
    inits = {i.name: i for i in m.graph.initializer}
    assert inits["w1_quantized"].data_type == TensorProto.INT8 and list(inits["w1_scale"].dims) == [8]
    assert inits["b1_quantized"].data_type == TensorProto.INT32
    # The bias scale is the input's scale times each channel's weight scale.
    x_scale = numpy_helper.to_array(inits["x_scale"])
    np.testing.assert_allclose(numpy_helper.to_array(inits["b1_quantized_scale"]),
                               x_scale * numpy_helper.to_array(inits["w1_scale"]), rtol=1e-6)
    assert "w1" not in inits  # the float weight is gone
    x = np.random.default_rng(3).uniform(-1, 1, (2, 3, 8, 8)).astype(np.float32)
    close_to_float(work, out, x)
    assert onyx("run", out).returncode == 0


def test_static_qoperator_uses_qlinearconv(work):
    out = work / "cnn_qop.onnx"
    r = onyx("quantize", work / "cnn.onnx", "-o", out, "--calibration", work / "calib", "--format", "qoperator",
             "--activation-type", "u8", "--method", "percentile")
    assert r.returncode == 0, r.stderr
    _, counts = op_counts(out)
    assert counts["QLinearConv"] == 2 and "Conv" not in counts
    # The com.microsoft integer operators onnxruntime writes for the rest.
    assert counts["QLinearAdd"] == 1 and counts["QLinearGlobalAveragePool"] == 1 and counts["QGemm"] == 1
    x = np.random.default_rng(4).uniform(-1, 1, (2, 3, 8, 8)).astype(np.float32)
    close_to_float(work, out, x)
    assert onyx("run", out).returncode == 0


def test_dynamic_matmul_integer(work):
    out = work / "mlp_dyn.onnx"
    r = onyx("quantize", work / "mlp.onnx", "-o", out, "--mode", "dynamic")
    assert r.returncode == 0, r.stderr
    _, counts = op_counts(out)
    assert counts["MatMulInteger"] == 2 and counts["DynamicQuantizeLinear"] == 2 and "MatMul" not in counts
    x = np.random.default_rng(5).normal(0, 1, (3, 16)).astype(np.float32)
    ref = ort_run(work / "mlp.onnx", x)
    got = ort_run(out, x)
    assert np.abs(got - ref).max() / np.abs(ref).max() < 0.05
    assert onyx("run", out).returncode == 0


def test_dynamic_conv_per_channel_runs_in_onnxruntime(work):
    # onnxruntime's ConvInteger takes one weight zero point: symmetric per-channel weights give it one.
    out = work / "cnn_dyn.onnx"
    r = onyx("quantize", work / "cnn.onnx", "-o", out, "--mode", "dynamic", "--op-types", "Conv,Gemm", "--per-channel")
    assert r.returncode == 0, r.stderr
    m, counts = op_counts(out)
    assert counts["ConvInteger"] == 2 and counts["MatMulInteger"] == 1 and "Conv" not in counts
    inits = {i.name: i for i in m.graph.initializer}
    assert list(inits["w1_scale"].dims) == [8] and list(inits["w1_zero_point"].dims) == []
    close_to_float(work, out, np.random.default_rng(6).uniform(-1, 1, (2, 3, 8, 8)).astype(np.float32), tol=0.05)
    assert onyx("run", out).returncode == 0


def test_report_is_worst_first_and_keep_float_leaves_nodes_in_float(work):
    out = work / "cnn_keep.onnx"
    r = onyx("quantize", work / "cnn.onnx", "-o", out, "--calibration", work / "calib", "--report",
             "--keep-float", "1", "--method", "entropy")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    start = lines.index("  SQNR dB  tensor (read by node)")
    rows = [ln for ln in lines[start + 1:] if ln.startswith(" ") and "(" in ln]
    values = [float(ln.split()[0]) for ln in rows if ln.split()[0] != "exact"]
    assert len(values) >= 4 and values == sorted(values)
    assert all(v > 10 for v in values)
    kept = [ln for ln in lines if ln.startswith("note: kept in float: node '")]
    assert len(kept) == 1 and "kept 1 in float" in r.stdout
    name = kept[0].split("'")[1]
    m, _ = op_counts(out)
    node = next(n for n in m.graph.node if n.name == name)
    assert not any(i.endswith("_DequantizeLinear_Output") for i in node.input)


def test_misuse_is_one_error_line(work):
    assert_usage_error(onyx("quantize", work / "cnn.onnx", "-o", work / "o.onnx"), "needs --calibration")
    assert_usage_error(onyx("quantize", work / "cnn.onnx", "-o", work / "o.onnx", "--calibration", work / "calib",
                            "--method", "kl"), "--method must be minmax, entropy or percentile")
    assert_usage_error(onyx("quantize", work / "cnn.onnx", "-o", work / "o.onnx", "--calibration", work / "nope"),
                       "is not a folder")
    bad = work / "bad_calib" / "s0"
    bad.mkdir(parents=True)
    np.save(bad / "other.npy", np.zeros((1, 3, 8, 8), np.float32))
    assert_usage_error(onyx("quantize", work / "cnn.onnx", "-o", work / "o.onnx", "--calibration", work / "bad_calib"),
                       "has no file for input 'x'")
    assert_usage_error(onyx("quantize", work / "cnn.onnx", "-o", work / "cnn.onnx", "--mode", "dynamic"),
                       "would overwrite")

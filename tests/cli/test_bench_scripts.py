"""Tests of the benchmark scripts in bench/: the multiply-add counts of model_flops.py on models whose counts are
known by hand, the own-time arithmetic of profile_summary.py, and a one-run smoke test of compare_peers.py.
They check what the scripts compute and report, never how fast anything runs."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "bench"
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(BENCH))
import model_flops  # noqa: E402
import profile_summary  # noqa: E402


def save(path, nodes, inputs, outputs, initializers=()):
    graph = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return str(path)


def const(name, shape):
    return numpy_helper.from_array(np.zeros(shape, np.float32), name)


def test_flops_conv_gemm_matmul(tmp_path):
    # Conv: 1x3x8x8 -> 1x4x8x8 (3x3, pad 1): 4*8*8 outputs x 3*3*3 = 6912 MACs.
    # Gemm: [2,256] x [256,10] (flattened 4*8*8=256): 2*10*256 = 5120. MatMul: [2,10] x [10,5]: 2*5*10 = 100.
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("Reshape", ["c", "shape"], ["f"]),
             helper.make_node("Gemm", ["f", "g"], ["h"]),
             helper.make_node("MatMul", ["h", "m"], ["y"])]
    inits = [const("w", [4, 3, 3, 3]), numpy_helper.from_array(np.array([2, 128], np.int64), "shape"),
             const("g", [128, 10]), const("m", [10, 5])]
    # Batch "N" is dynamic in the file: the counter fixes it from the shapes fed.
    path = save(tmp_path / "m.onnx", nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 8, 8])],
                [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    c = model_flops.count_macs(path, {"x": [1, 3, 8, 8]})
    assert not c.lower_bound
    assert c.macs == {"Conv": 6912, "Gemm": 2 * 10 * 128, "MatMul": 100}


def test_flops_lstm_and_if_takes_the_costlier_branch(tmp_path):
    # LSTM: seq 5, batch 2, input 3, hidden 4: 5*2*(4*4*3 + 4*4*4) = 1120 MACs.
    lstm = helper.make_node("LSTM", ["x", "W", "R"], ["", "yh"], hidden_size=4)
    small = helper.make_graph([helper.make_node("MatMul", ["yh2", "a"], ["o1"])], "small", [],
                              [helper.make_tensor_value_info("o1", TensorProto.FLOAT, None)],
                              [const("a", [4, 2])])
    big = helper.make_graph([helper.make_node("MatMul", ["yh2", "b"], ["o2"])], "big", [],
                            [helper.make_tensor_value_info("o2", TensorProto.FLOAT, None)],
                            [const("b", [4, 100])])
    nodes = [lstm, helper.make_node("Reshape", ["yh", "shape"], ["yh2"]),
             helper.make_node("If", ["cond"], ["y"], then_branch=small, else_branch=big)]
    inits = [const("W", [1, 16, 3]), const("R", [1, 16, 4]),
             numpy_helper.from_array(np.array([2, 4], np.int64), "shape")]
    path = save(tmp_path / "m.onnx", nodes,
                [helper.make_tensor_value_info("x", TensorProto.FLOAT, [5, 2, 3]),
                 helper.make_tensor_value_info("cond", TensorProto.BOOL, [])],
                [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    c = model_flops.count_macs(path)
    assert c.macs["LSTM"] == 1120
    assert c.macs["MatMul"] == 2 * 100 * 4  # the else branch: [2,4] x [4,100]


def test_flops_from_an_onyx_style_trace():
    events = [{"cat": "Session", "name": "model_run", "ph": "X", "ts": 0, "dur": 10},
              {"cat": "Session", "name": "model_run", "ph": "X", "ts": 20, "dur": 10}]
    for ts in (1, 21):
        events.append({"cat": "Node", "name": "c_kernel_time", "ph": "X", "ts": ts, "dur": 1, "args": {
            "op_name": "Conv", "input_type_shape": [{"float": [1, 3, 8, 8]}, {"float": [4, 3, 3, 3]}],
            "output_type_shape": [{"float": [1, 4, 8, 8]}]}})
    c = model_flops.macs_from_trace(events)
    assert c.macs == {"Conv": 6912}  # per run


def test_profile_summary_own_time(tmp_path):
    # A Loop of 100 µs holding two body nodes of 30 and 20 µs on the same thread; a Relu on another thread.
    ev = [{"cat": "Session", "name": "model_run", "ph": "X", "ts": 0, "dur": 200, "tid": 1},
          {"cat": "Node", "name": "loop_kernel_time", "ph": "X", "ts": 10, "dur": 100, "tid": 1,
           "args": {"op_name": "Loop"}},
          {"cat": "Node", "name": "a_kernel_time", "ph": "X", "ts": 20, "dur": 30, "tid": 1,
           "args": {"op_name": "Add", "depth": 1}},
          {"cat": "Node", "name": "b_kernel_time", "ph": "X", "ts": 60, "dur": 20, "tid": 1,
           "args": {"op_name": "Add", "depth": 1}},
          {"cat": "Node", "name": "r_kernel_time", "ph": "X", "ts": 30, "dur": 40, "tid": 2,
           "args": {"op_name": "Relu"}}]
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"traceEvents": ev}))
    s = profile_summary.summarize(str(path))
    assert s["runs"] == 1 and s["run_us"] == 200
    assert s["by_op"]["Loop"] == [1, 50.0]
    assert s["by_op"]["Add"] == [2, 50.0]
    assert s["by_op"]["Relu"] == [1, 40.0]
    # onnxruntime's bare-array form reads the same.
    path.write_text(json.dumps(ev))
    assert profile_summary.summarize(str(path))["by_op"]["Loop"] == [1, 50.0]


def run_script(*args, timeout=600):
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, timeout=timeout)


def test_compare_peers_smoke(tmp_path):
    case = SHARED / "models" / "openwakeword_hello_deepa"
    if not (case / "model.onnx").exists():
        pytest.skip(f"{case} is not here (real models live in ../shared/models)")
    pytest.importorskip("onnxruntime")
    engines = ["ort"]
    try:
        import onyx  # noqa: F401

        engines.insert(0, "onyx")
    except ImportError:
        pass  # the command tests run before the Python package is installed
    out_json, out_md = tmp_path / "r.json", tmp_path / "r.md"
    r = run_script(BENCH / "compare_peers.py", "--models", SHARED / "models", "--filter", "^openwakeword",
                   "--engines", ",".join(engines), "--threads", "1", "--rounds", "2", "--runs", "2", "--warmup", "0",
                   "--no-peak", "--json", out_json, "--markdown", out_md)
    assert r.returncode == 0, r.stderr
    assert "### Latency" in r.stdout and "| openwakeword_hello_deepa |" in r.stdout
    assert "family" in r.stdout and "onnxruntime" in r.stdout
    data = json.loads(out_json.read_text())
    (res,) = data["results"]
    for e in engines:
        entry = res["configs"][f"{e}@1"]
        assert entry["runs"] == 4 and len(entry["round_medians_ms"]) == 2
        assert 0 < entry["min_ms"] <= entry["median_ms"] and not entry["mismatch"]
    assert out_md.read_text() == r.stdout


@pytest.mark.parametrize("args", [["--threads", "0"], ["--engines", "onyx,tvm"], ["--rounds", "0"],
                                  ["--filter", "("], ["--models", "/nonexistent"], ["--engines", "ort,ort"]])
def test_compare_peers_option_errors(args):
    r = run_script(BENCH / "compare_peers.py", *args)
    assert r.returncode == 2 and "error:" in r.stderr


def test_int8_gemm_smoke():
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onyx", reason="the Python package is installed after the command tests")
    r = run_script(BENCH / "int8_gemm.py", "--sizes", "3x40x20,17x64x33", "--reps", "2")
    assert r.returncode == 0, r.stderr
    rows = [line.split() for line in r.stdout.splitlines()[1:]]
    assert [(row[0], row[1]) for row in rows] == [(s, k) for s in ("3x40x20", "17x64x33")
                                                  for k in ("fp32", "int8", "qlinear")]
    # MatMulInteger must equal onnxruntime's exactly, QLinearMatMul within one step.
    assert "differ" not in r.stdout


@pytest.mark.parametrize("args", [["--sizes", "3x4"], ["--sizes", "0x4x4"], ["--reps", "0"]])
def test_int8_gemm_option_errors(args):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onyx", reason="the Python package is installed after the command tests")
    r = run_script(BENCH / "int8_gemm.py", *args)
    assert r.returncode == 2 and "error:" in r.stderr

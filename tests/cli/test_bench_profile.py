"""Tests of `onyx run --profile` (the Chrome trace and the summary it prints) and of `onyx bench`.

Run with: ONYX_BIN=build/bin/onyx python3 -m pytest tests/cli/test_bench_profile.py
These check what the commands report, never how fast anything is: timings on a shared machine are not tests.
"""

import json
import math
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
ONYX_BIN = Path(os.environ.get("ONYX_BIN", REPO / "build" / "bin" / "onyx"))
if not ONYX_BIN.is_absolute():
    ONYX_BIN = (Path.cwd() / ONYX_BIN).resolve()

pytestmark = pytest.mark.skipif(not ONYX_BIN.exists(), reason=f"onyx binary not found at {ONYX_BIN} (set ONYX_BIN)")


def onyx(*args, timeout=120):
    return subprocess.run([str(ONYX_BIN), *map(str, args)], capture_output=True, text=True, timeout=timeout)


def assert_usage_error(result, *needles):
    assert result.returncode == 2, f"rc={result.returncode} stdout={result.stdout!r} stderr={result.stderr!r}"
    lines = result.stderr.strip("\n").split("\n")
    assert len(lines) == 1 and lines[0].startswith("onyx: error: "), lines
    for n in needles:
        assert n in lines[0], lines[0]


def save(path, nodes, inputs, outputs, initializers=(), opset=17):
    graph = helper.make_graph(nodes, "main", inputs, outputs, initializer=list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return path


def chain_model(path, n=6):
    """X float[2,8] through n alternating Relu/Sigmoid nodes."""
    nodes, prev = [], "X"
    for i in range(n):
        out = f"t{i}" if i < n - 1 else "Y"
        nodes.append(helper.make_node("Relu" if i % 2 == 0 else "Sigmoid", [prev], [out], name=f"n{i}"))
        prev = out
    return save(path, nodes, [helper.make_tensor_value_info("X", TensorProto.FLOAT, [2, 8])],
                [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [2, 8])])


def loop_if_model(path, trips):
    """A Loop of `trips` iterations whose body holds an If (then: 2 nodes, else: 1) and an Add.

    Node events per run: Loop 1 + per iteration (Add, Less, If 3 + branch nodes) -> the test counts them.
    """
    then_g = helper.make_graph(
        [helper.make_node("Neg", ["acc_in"], ["tn"], name="then_neg"),
         helper.make_node("Abs", ["tn"], ["then_out"], name="then_abs")],
        "then_g", [], [helper.make_tensor_value_info("then_out", TensorProto.FLOAT, [3])])
    else_g = helper.make_graph(
        [helper.make_node("Identity", ["acc_in"], ["else_out"], name="else_id")],
        "else_g", [], [helper.make_tensor_value_info("else_out", TensorProto.FLOAT, [3])])
    body = helper.make_graph(
        [helper.make_node("Add", ["acc_in", "one"], ["acc_add"], name="body_add"),
         helper.make_node("Less", ["i", "two"], ["is_small"], name="body_less"),
         helper.make_node("If", ["is_small"], ["acc_out"], name="body_if", then_branch=then_g, else_branch=else_g),
         helper.make_node("Identity", ["cond_in"], ["cond_out"], name="body_cond")],
        "body",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("acc_in", TensorProto.FLOAT, [3])],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
         helper.make_tensor_value_info("acc_out", TensorProto.FLOAT, [3])],
        initializer=[numpy_helper.from_array(np.ones(3, np.float32), "one"),
                     numpy_helper.from_array(np.array(2, np.int64), "two")])
    nodes = [helper.make_node("Loop", ["M", "", "X"], ["Y"], name="the_loop", body=body)]
    return save(path, nodes, [helper.make_tensor_value_info("X", TensorProto.FLOAT, [3])],
                [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [3])],
                initializers=[numpy_helper.from_array(np.array(trips, np.int64), "M")])


def trace(path):
    data = json.loads(Path(path).read_text())
    assert isinstance(data["traceEvents"], list)
    for e in data["traceEvents"]:
        if e["ph"] == "X":
            assert {"cat", "name", "ts", "dur", "pid", "tid", "args"} <= e.keys(), e
            assert e["dur"] >= 0 and e["ts"] >= 0
    return data


def node_events(data):
    return [e for e in data["traceEvents"] if e.get("cat") == "Node"]


def test_profile_counts_every_node_of_every_run(tmp_path):
    model = chain_model(tmp_path / "chain.onnx", n=6)
    out = tmp_path / "trace.json"
    r = onyx("run", model, "--profile", out, "--repeat", 4, "--opt-level", "disabled")
    assert r.returncode == 0, r.stderr
    data = trace(out)
    nodes = node_events(data)
    assert len(nodes) == 6 * 4
    runs = [e for e in data["traceEvents"] if e.get("name") == "model_run"]
    assert len(runs) == 4
    names = {e["name"] for e in data["traceEvents"] if e.get("cat") == "Session"}
    assert {"model_loading_uri", "graph_optimization", "session_initialization"} <= names
    for e in nodes:
        a = e["args"]
        assert a["op_name"] in ("Relu", "Sigmoid")
        assert a["input_type_shape"] == [{"float": [2, 8]}]
        assert a["output_type_shape"] == [{"float": [2, 8]}]
        assert a["provider"] == "CPUExecutionProvider"
        assert e["name"].endswith("_kernel_time")
    # The summary: a table by operator type and the slowest nodes.
    assert "op type" in r.stdout and "% of run" in r.stdout
    rows = {line.split()[0]: line.split() for line in r.stdout.splitlines() if line.strip().startswith(("Relu ", "Sigmoid "))}
    assert rows["Relu"][1] == "12" and rows["Sigmoid"][1] == "12"
    assert "slowest nodes" in r.stdout
    assert f"profile: wrote {out}" in r.stdout


def test_profile_node_suite_model(tmp_path):
    case = SHARED / "onnx-tests" / "node" / "test_add"
    if not case.exists():
        pytest.skip(f"{case} is not here (the ONNX node suite lives in ../shared)")
    model = onnx.load(str(case / "model.onnx"))
    out = tmp_path / "add.json"
    r = onyx("run", case / "model.onnx", "--profile", out, "--repeat", 3,
             "--input", f"x={case / 'test_data_set_0' / 'input_0.pb'}",
             "--input", f"y={case / 'test_data_set_0' / 'input_1.pb'}")
    assert r.returncode == 0, r.stderr
    nodes = node_events(trace(out))
    assert len(nodes) == 3 * len(model.graph.node)
    assert nodes[0]["args"]["input_type_shape"] == [{"float": [3, 4, 5]}, {"float": [3, 4, 5]}]


@pytest.mark.parametrize("trips", [1, 4])
def test_profile_loop_and_if_subgraph_nodes(tmp_path, trips):
    model = loop_if_model(tmp_path / "loop.onnx", trips)
    out = tmp_path / "loop.json"
    r = onyx("run", model, "--profile", out, "--repeat", 2, "--opt-level", "disabled")
    assert r.returncode == 0, r.stderr
    nodes = node_events(trace(out))
    then_iters = min(trips, 2)  # i < 2 takes the then branch (2 nodes), later iterations the else branch (1)
    per_run = 1 + trips * 4 + then_iters * 2 + (trips - then_iters) * 1
    assert len(nodes) == 2 * per_run
    by_depth = {}
    for e in nodes:
        by_depth.setdefault(e["args"].get("depth", 0), []).append(e)
    assert [e["args"]["op_name"] for e in by_depth[0]] == ["Loop", "Loop"]
    assert len(by_depth[1]) == 2 * trips * 4
    assert all(e["args"]["subgraph"] and e["args"]["parent_node"] == "the_loop" for e in by_depth[1])
    assert all(e["args"]["parent_node"] == "body_if" and e["args"]["parent_op"] == "If" for e in by_depth[2])
    assert {e["args"]["parent_attribute"] for e in by_depth[2]} == ({"then_branch", "else_branch"} if trips > 2
                                                                     else {"then_branch"})
    # A subgraph node's event lies inside its parent's, on the same thread.
    loops = by_depth[0]
    for e in by_depth[1]:
        assert any(p["tid"] == e["tid"] and p["ts"] <= e["ts"] and e["ts"] + e["dur"] <= p["ts"] + p["dur"] + 0.002
                   for p in loops)
    # The summary counts a node's own time: Loop and If do not also count their bodies.
    assert "Loop" in r.stdout and "If" in r.stdout


def test_profile_parallel_execution(tmp_path):
    # Three independent branches so the parallel mode has something to run at once.
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [4, 4])
    nodes = []
    for b in range(3):
        nodes += [helper.make_node("Relu", ["X"], [f"a{b}"], name=f"relu{b}"),
                  helper.make_node("Sigmoid", [f"a{b}"], [f"s{b}"], name=f"sig{b}")]
    nodes.append(helper.make_node("Sum", ["s0", "s1", "s2"], ["Y"], name="sum"))
    model = save(tmp_path / "branches.onnx", nodes, [x], [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [4, 4])])
    out = tmp_path / "par.json"
    r = onyx("run", model, "--profile", out, "--repeat", 5, "--inter-op", 2, "--opt-level", "disabled")
    assert r.returncode == 0, r.stderr
    nodes = node_events(trace(out))
    assert len(nodes) == 7 * 5


def test_profile_errors(tmp_path):
    model = chain_model(tmp_path / "m.onnx", n=2)
    assert_usage_error(onyx("run", model, "--profile", tmp_path / "no" / "such" / "dir" / "t.json"),
                       "cannot write the profile file")
    assert_usage_error(onyx("run", model, "--profile", tmp_path), "cannot write the profile file")
    assert_usage_error(onyx("run", model, "--profile"), "--profile")
    assert_usage_error(onyx("run", model, "--profile", ""), "--profile")
    assert_usage_error(onyx("run", model, "--profile", tmp_path / "t.json", "--profile-top", "-1"), "--profile-top")


# --- onyx bench ---

LATENCY_KEYS = ("min", "mean", "p50", "p90", "p99", "max")


def bench_json(*args):
    r = onyx("bench", *args, "--json")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1, r.stdout  # one object, no progress line when stdout is not a terminal
    return json.loads(lines[0])


def test_bench_json_fields(tmp_path):
    model = chain_model(tmp_path / "m.onnx")
    d = bench_json(model, "--warmup", 2, "--runs", 25, "--threads", 1)
    assert d["model"] == str(model)
    assert d["runs"] == 25 and d["warmup_runs"] == 2
    assert d["intra_op_threads"] == 1 and d["execution_mode"] == "sequential" and d["inter_op_threads"] is None
    lat = d["latency_ms"]
    assert set(LATENCY_KEYS) <= lat.keys()
    assert 0 < lat["min"] <= lat["p50"] <= lat["p90"] <= lat["p99"] <= lat["max"]
    assert lat["min"] <= lat["mean"] <= lat["max"]
    assert d["throughput_runs_per_s"] > 0 and math.isfinite(d["throughput_runs_per_s"])
    # Throughput counts the timed runs over their wall time, which is at least the sum of latencies.
    assert d["throughput_runs_per_s"] <= 1000.0 / lat["mean"] * 1.001
    assert d["session_creation_ms"] > 0
    assert d["peak_rss_mib"] > 1
    assert d["duration_s"] > 0


def test_bench_parallel_inputs_and_dims(tmp_path):
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 4])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", 4])
    model = save(tmp_path / "relu.onnx", [helper.make_node("Relu", ["X"], ["Y"])], [x], [y])
    d = bench_json(model, "--runs", 3, "--dim", "N=16", "--inter-op", 2, "--opt-level", "basic")
    assert d["execution_mode"] == "parallel" and d["inter_op_threads"] == 2 and d["opt_level"] == "basic"
    np.save(tmp_path / "x.npy", np.ones((3, 4), np.float32))
    assert bench_json(model, "--runs", 2, "--input", f"X={tmp_path / 'x.npy'}")["runs"] == 2


def test_bench_text_report(tmp_path):
    r = onyx("bench", chain_model(tmp_path / "m.onnx"), "--runs", 5, "--warmup", 0)
    assert r.returncode == 0, r.stderr
    for needle in ("latency (ms): min", "p50", "p99", "throughput:", "session creation:", "peak RSS:"):
        assert needle in r.stdout
    assert "\r" not in r.stdout  # no progress line: stdout is a pipe


def test_bench_progress_line_on_a_terminal(tmp_path):
    import pty

    model = chain_model(tmp_path / "m.onnx")
    master, slave = pty.openpty()
    proc = subprocess.Popen([str(ONYX_BIN), "bench", str(model), "--runs", "20", "--warmup", "2"], stdout=slave,
                            stderr=subprocess.PIPE)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO once the child has closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    out = b"".join(chunks).decode()
    assert "\r" in out and "run 20/20" in out  # the progress line, rewritten in place, reached the last run
    assert "latency (ms): min" in out


def test_bench_duration_ends(tmp_path):
    model = chain_model(tmp_path / "m.onnx")
    d = bench_json(model, "--duration", "0.2", "--warmup", 0)
    assert d["runs"] >= 1
    # --runs and --duration: whichever comes first.
    d = bench_json(model, "--duration", "1000", "--runs", 3)
    assert d["runs"] == 3


@pytest.mark.parametrize("args,needle", [
    (["--runs", "0"], "--runs"),
    (["--runs", "x"], "--runs"),
    (["--warmup", "-1"], "--warmup"),
    (["--duration", "0"], "--duration"),
    (["--duration", "abc"], "--duration"),
    (["--threads", "-2"], "--threads"),
    (["--opt-level", "max"], "--opt-level"),
    (["--dim", "N"], "--dim"),
    (["--dim", "Q=3"], "no input has a dim named 'Q'"),
    (["--input", "nope=x.npy"], "unknown input 'nope'"),
    (["--frobnicate"], "unknown flag"),
])
def test_bench_option_errors(tmp_path, args, needle):
    assert_usage_error(onyx("bench", chain_model(tmp_path / "m.onnx"), *args), needle)


def test_bench_bad_model_and_input(tmp_path):
    assert_usage_error(onyx("bench", tmp_path / "missing.onnx"), "does not exist")
    assert_usage_error(onyx("bench"), "needs a MODEL")
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not a model")
    assert_usage_error(onyx("bench", bad), "cannot load model")
    model = chain_model(tmp_path / "m.onnx")
    (tmp_path / "x.npy").write_bytes(b"garbage")
    assert_usage_error(onyx("bench", model, "--input", f"X={tmp_path / 'x.npy'}"), "input")
    np.save(tmp_path / "wrong.npy", np.ones((3, 3), np.float32))
    assert_usage_error(onyx("bench", model, "--input", f"X={tmp_path / 'wrong.npy'}"), "run failed")

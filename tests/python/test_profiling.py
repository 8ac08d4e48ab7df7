"""Profiling through onnxruntime's API: SessionOptions.enable_profiling / profile_file_prefix,
InferenceSession.end_profiling() and get_profiling_start_time_ns(), and a trace shaped like onnxruntime's."""

import json
import os
import threading
import time

import numpy as np
import onnxruntime
import pytest
from onnx import TensorProto, helper

import onyx as ort
from onyx_test_helpers import make_model, unary_model


def chain_bytes(n=4):
    nodes, prev = [], "x"
    for i in range(n):
        out = "y" if i == n - 1 else f"t{i}"
        nodes.append(helper.make_node("Relu" if i % 2 == 0 else "Neg", [prev], [out], name=f"node{i}"))
        prev = out
    return make_model(nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])])


def profiling_options(prefix, **kwargs):
    so = ort.SessionOptions()
    so.enable_profiling = True
    so.profile_file_prefix = str(prefix)
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    for k, v in kwargs.items():
        setattr(so, k, v)
    return so


def node_events(path):
    with open(path) as f:
        data = json.load(f)
    return data, [e for e in data["traceEvents"] if e.get("cat") == "Node"]


def test_off_by_default():
    sess = ort.InferenceSession(unary_model())
    assert sess.end_profiling() == ""
    assert sess.get_profiling_start_time_ns() == 0


def test_end_profiling_writes_the_trace(tmp_path):
    before = time.time_ns()
    sess = ort.InferenceSession(chain_bytes(4), profiling_options(tmp_path / "prof"))
    start = sess.get_profiling_start_time_ns()
    assert before <= start <= time.time_ns()
    x = np.arange(6, dtype=np.float32).reshape(2, 3) - 3
    for _ in range(3):
        sess.run(None, {"x": x})
    path = sess.end_profiling()
    assert os.path.basename(path).startswith("prof_") and path.endswith(".json")
    assert os.path.dirname(path) == str(tmp_path)
    data, nodes = node_events(path)
    assert len(nodes) == 4 * 3
    assert sum(e["name"] == "model_run" for e in data["traceEvents"]) == 3
    assert data["otherData"]["start_time_ns"] == start
    for e in nodes:
        assert e["ph"] == "X" and e["name"].endswith("_kernel_time")
        assert e["args"]["input_type_shape"] == [{"float": [2, 3]}]
    # Ended: a second call gives "", and runs go on unrecorded.
    sess.run(None, {"x": x})
    assert sess.end_profiling() == ""
    assert len(node_events(path)[1]) == 4 * 3


def test_trace_has_onnxruntimes_shape(tmp_path):
    """The same keys onnxruntime's profiler writes for a node, so its tools read Onyx's traces."""
    model = chain_bytes(2)
    mine = ort.InferenceSession(model, profiling_options(tmp_path / "onyx"))
    so = onnxruntime.SessionOptions()
    so.enable_profiling = True
    so.profile_file_prefix = str(tmp_path / "ort")
    theirs = onnxruntime.InferenceSession(model, so, providers=["CPUExecutionProvider"])
    x = np.ones((2, 3), np.float32)
    mine.run(None, {"x": x})
    theirs.run(None, {"x": x})
    _, my_nodes = node_events(mine.end_profiling())
    ort_data = json.load(open(theirs.end_profiling()))
    ort_nodes = [e for e in ort_data if e.get("cat") == "Node" and e["name"].endswith("_kernel_time")]
    assert sorted(e["name"] for e in my_nodes) == sorted(e["name"] for e in ort_nodes)
    shared = {"op_name", "provider", "node_index", "input_type_shape", "output_type_shape", "output_size"}
    for mine_e in my_nodes:
        theirs_e = next(e for e in ort_nodes if e["name"] == mine_e["name"])
        assert shared <= mine_e["args"].keys() and shared <= theirs_e["args"].keys()
        for key in ("op_name", "provider", "input_type_shape", "output_type_shape"):
            assert mine_e["args"][key] == theirs_e["args"][key], key
    ort_session_names = {e["name"] for e in ort_data if e["cat"] == "Session"}
    my_session_names = {e["name"] for e in json.load(open(next(tmp_path.glob("onyx_*.json"))))["traceEvents"]
                        if e.get("cat") == "Session"}
    assert {"model_run", "session_initialization"} <= ort_session_names & my_session_names


def test_parallel_mode_and_threads(tmp_path):
    # Two independent chains; parallel execution and concurrent runs from three Python threads.
    nodes = []
    for b in range(2):
        nodes += [helper.make_node("Relu", ["x"], [f"a{b}"]), helper.make_node("Neg", [f"a{b}"], [f"n{b}"])]
    nodes.append(helper.make_node("Add", ["n0", "n1"], ["y"]))
    model = make_model(nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])],
                       [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])])
    so = profiling_options(tmp_path / "par", execution_mode=ort.ExecutionMode.ORT_PARALLEL, inter_op_num_threads=2)
    sess = ort.InferenceSession(model, so)
    x = np.ones(4, np.float32)

    def work():
        for _ in range(10):
            sess.run(None, {"x": x})

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    data, nodes_seen = node_events(sess.end_profiling())
    assert len(nodes_seen) == 5 * 30
    assert sum(e["name"] == "model_run" for e in data["traceEvents"]) == 30


def test_unwritable_prefix_fails_creation(tmp_path):
    with pytest.raises(ort.NoSuchFile, match="cannot write the profile file"):
        ort.InferenceSession(chain_bytes(1), profiling_options(tmp_path / "missing" / "dir" / "p"))

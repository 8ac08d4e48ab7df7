#!/usr/bin/env python3
"""Multiply-adds of a model's compute-heavy operators, from shapes inferred by onnx.shape_inference with the graph
inputs fixed to the shapes actually fed. Efficiency figures divide 2 x MACs by the time a run takes.

Counted: Conv, ConvTranspose, Gemm, MatMul (and their integer/quantized forms: ConvInteger, QLinearConv,
MatMulInteger, QLinearMatMul), LSTM, GRU, RNN (and com.microsoft DynamicQuantizeLSTM). Everything else
(elementwise, pooling, normalization, Softmax) is left out: it is memory-bound, and its arithmetic small next to
these. Inside If, the costlier branch counts (only one runs); a Loop or Scan body counts once per iteration when
the trip count is a constant, else once, and the total is then marked as a lower bound.

usage: bench/model_flops.py MODEL_OR_CASE_DIR...   (a case dir's test_data_set_0 gives the input shapes)
"""
import argparse
import os
import sys
from collections import defaultdict

import numpy as np
import onnx
from case_io import input_paths, load_feeds
from onnx import numpy_helper, shape_inference

CONV_LIKE = {"Conv", "ConvInteger", "QLinearConv", "FusedConv"}
MATMUL_LIKE = {"MatMul", "MatMulInteger", "QLinearMatMul", "FusedMatMul", "DynamicQuantizeMatMul", "MatMulInteger16"}
RNN_GATES = {"LSTM": 4, "DynamicQuantizeLSTM": 4, "GRU": 3, "RNN": 1}
# Multiply-adds in 8-bit integers: an efficiency against the fp32 peak overstates these.
INT8_OPS = {"ConvInteger", "QLinearConv", "MatMulInteger", "QLinearMatMul", "DynamicQuantizeMatMul",
            "DynamicQuantizeLSTM"}
# Input index of the A and B operands (QLinearMatMul interleaves scales and zero points).
MATMUL_OPERANDS = {"QLinearMatMul": (0, 3)}
CONV_OPERANDS = {"QLinearConv": (0, 3)}


class Counter:
    def __init__(self):
        self.macs = defaultdict(int)  # op type -> MACs
        self.unknown = []  # nodes whose shapes inference could not give
        self.lower_bound = False

    @property
    def total(self):
        return sum(self.macs.values())


def _dims(shapes, name):
    d = shapes.get(name)
    if d is None or any(x is None or x < 0 for x in d):
        return None
    return d


def _shape_map(graph, outer):
    shapes = dict(outer)
    for vi in list(graph.input) + list(graph.output) + list(graph.value_info):
        t = vi.type.tensor_type
        if t.HasField("shape"):
            shapes[vi.name] = [d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim]
    for init in graph.initializer:
        shapes[init.name] = list(init.dims)
    return shapes


def _constants(graph):
    values = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    for n in graph.node:
        if n.op_type == "Constant" and n.output:
            for a in n.attribute:
                if a.name == "value":
                    values[n.output[0]] = numpy_helper.to_array(a.t)
    return values


def _node_macs(op, ins, outs):
    """MACs of one node from its input and output shapes (lists of dims, None where unknown); 0 for operators
    that are not counted, None when a shape it needs is unknown. Needs no attributes, so executed shapes from a
    profile serve as well as inferred ones."""
    def get(shapes, i):
        return shapes[i] if i < len(shapes) else None

    prod = lambda xs: int(np.prod(xs, dtype=np.int64)) if len(xs) else 1  # noqa: E731
    if op in CONV_LIKE:
        w, y = get(ins, CONV_OPERANDS.get(op, (0, 1))[1]), get(outs, 0)
        return None if w is None or y is None else prod(y) * prod(w[1:])
    if op == "ConvTranspose":
        x, w = get(ins, 0), get(ins, 1)
        return None if x is None or w is None else prod(x) * prod(w[1:])
    if op == "Gemm":
        a, y = get(ins, 0), get(outs, 0)
        if a is None or y is None or len(y) != 2 or y[0] == 0:
            return None
        return prod(y) * (prod(a) // y[0])  # A is [M,K] or, transposed, [K,M]
    if op in MATMUL_LIKE:
        a, y = get(ins, MATMUL_OPERANDS.get(op, (0, 1))[0]), get(outs, 0)
        return None if a is None or y is None or not a else prod(y) * a[-1]
    if op in RNN_GATES:
        x, w, r = get(ins, 0), get(ins, 1), get(ins, 2)  # X [seq,batch,in] (or batch first), W [dirs,g*H,in], R
        return None if x is None or w is None or r is None else prod(x[:2]) * (prod(w) + prod(r))
    return 0


def macs_from_trace(events, runs=None):
    """MACs per run from the node events of an Onyx profile: the shapes each node actually ran with, every executed
    If branch and Loop iteration included. Profile without graph optimizations, so that nodes are the model's own.
    (onnxruntime's traces leave constant inputs out of input_type_shape, so weights' shapes are missing there.)"""
    counter = Counter()
    model_runs = 0
    for e in events:
        if e.get("cat") == "Session" and e.get("name") == "model_run":
            model_runs += 1
        if e.get("cat") != "Node" or not str(e.get("name", "")).endswith("_kernel_time"):
            continue
        a = e.get("args", {})
        shapes = lambda key: [list(d.values())[0] if d else None for d in a.get(key, [])]  # noqa: E731
        macs = _node_macs(a.get("op_name", ""), shapes("input_type_shape"), shapes("output_type_shape"))
        if macs is None:
            counter.unknown.append(e["name"])
            counter.lower_bound = True
        elif macs:
            counter.macs[a["op_name"]] += macs
    n = runs or model_runs or 1
    for k in counter.macs:
        counter.macs[k] //= n
    return counter


def _count_graph(graph, outer_shapes, counter, scale=1):
    shapes = _shape_map(graph, outer_shapes)
    constants = _constants(graph)
    for node in graph.node:
        subgraphs = {a.name: a.g for a in node.attribute if a.type == onnx.AttributeProto.GRAPH}
        if node.op_type == "If":
            branch_counts = []
            for g in subgraphs.values():
                c = Counter()
                _count_graph(g, shapes, c)
                branch_counts.append(c)
            best = max(branch_counts, key=lambda c: c.total)
            for k, v in best.macs.items():
                counter.macs[k] += v * scale
            counter.unknown += [u for c in branch_counts for u in c.unknown]
            counter.lower_bound |= any(c.lower_bound for c in branch_counts)
            continue
        if subgraphs:  # Loop, Scan
            trips = None
            if node.op_type == "Loop" and node.input and node.input[0] in constants:
                trips = int(constants[node.input[0]].reshape(-1)[0])
            elif node.op_type == "Scan":
                counter.lower_bound = True
            if trips is None:
                counter.lower_bound = True
            for g in subgraphs.values():
                _count_graph(g, shapes, counter, scale * (trips or 1))
            continue
        macs = _node_macs(node.op_type, [_dims(shapes, i) if i else None for i in node.input],
                          [_dims(shapes, o) if o else None for o in node.output])
        if macs is None:
            counter.unknown.append(node.name or node.op_type)
            counter.lower_bound = True
        elif macs:
            counter.macs[node.op_type] += macs * scale


def count_macs(model_path, input_shapes=None):
    """Returns a Counter for the model at `model_path` with graph inputs fixed to `input_shapes` (name -> dims)."""
    model = onnx.load(model_path)
    # Shape inference reads initializers only from IR 4 on (before, they had to be graph inputs as well).
    model.ir_version = max(model.ir_version, 4)
    inits = {i.name: list(i.dims) for i in model.graph.initializer}
    for vi in model.graph.input:
        # Before IR 4 weights are graph inputs too, often declared without a shape, which stops inference.
        want = inits.get(vi.name) or (input_shapes or {}).get(vi.name)
        if want is None:
            continue
        dims = vi.type.tensor_type.shape.dim
        if vi.name in inits:
            vi.type.tensor_type.ClearField("shape")
            vi.type.tensor_type.shape.SetInParent()
            for v in want:
                vi.type.tensor_type.shape.dim.add().dim_value = int(v)
            continue
        if len(dims) != len(want):
            continue
        for d, v in zip(dims, want):
            d.Clear()
            d.dim_value = int(v)
    try:
        model = shape_inference.infer_shapes(model, data_prop=True)
    except Exception as e:  # noqa: BLE001 - inference is best-effort; what it could not do shows as unknown nodes
        print(f"model_flops: shape inference failed for {model_path}: {e}", file=sys.stderr)
    counter = Counter()
    _count_graph(model.graph, {}, counter)
    return counter


def read_feeds(case_dir, model_path=None):
    """Input name -> numpy array from a test case's test_data_set_0 (input_K.pb in graph-input order)."""
    return load_feeds(case_dir, model_path)


def case_input_shapes(case_dir, model_path=None):
    """Input name -> shape from a test case's test_data_set_0/input_K.pb (K in graph-input order)."""
    shapes = {}
    for name, path in input_paths(case_dir, model_path):
        if os.path.exists(path):
            t = onnx.TensorProto()
            with open(path, "rb") as f:
                t.ParseFromString(f.read())
            shapes[name] = list(t.dims)
    return shapes


def count_case(case_dir, model_path=None, feeds=None):
    """(Counter, source) for a test case: shapes inferred statically, or, when that leaves nodes unknown (shapes
    computed at run time, If branches) and the `onyx` package runs the model, the shapes of a profiled run."""
    counter, source = _count_case(case_dir, model_path, feeds)
    int8 = sorted(op for op in counter.macs if op in INT8_OPS)
    if int8:
        source += f"; int8 multiply-adds ({', '.join(int8)}) counted as fp32 ones"
    return counter, source


def _count_case(case_dir, model_path, feeds):
    model_path = model_path or os.path.join(case_dir, "model.onnx")
    static = count_macs(model_path, case_input_shapes(case_dir, model_path))
    if not static.lower_bound or feeds is None:
        return static, "inferred shapes"
    try:
        import json
        import tempfile

        import onyx

        with tempfile.TemporaryDirectory() as tmp:
            so = onyx.SessionOptions()
            so.enable_profiling = True
            so.profile_file_prefix = os.path.join(tmp, "flops")
            so.graph_optimization_level = onyx.GraphOptimizationLevel.ORT_DISABLE_ALL
            so.intra_op_num_threads = 1
            sess = onyx.InferenceSession(model_path, so)
            sess.run(None, feeds)
            with open(sess.end_profiling()) as f:
                traced = macs_from_trace(json.load(f)["traceEvents"])
        if not traced.lower_bound and traced.total >= static.total:
            return traced, "shapes of a profiled Onyx run"
    except Exception as e:  # noqa: BLE001 - the static count stands, marked as a lower bound
        print(f"model_flops: profiled run of {model_path} failed: {e}", file=sys.stderr)
    return static, "inferred shapes (some unknown: a lower bound)"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    for p in args.paths:
        case = p if os.path.isdir(p) else os.path.dirname(p)
        model = os.path.join(p, "model.onnx") if os.path.isdir(p) else p
        c, source = count_case(case, model, read_feeds(case, model) if os.path.isdir(p) else None)
        ops = ", ".join(f"{k} {v / 1e9:.4g}" for k, v in sorted(c.macs.items(), key=lambda kv: -kv[1]))
        bound = ">=" if c.lower_bound else ""
        print(f"{os.path.basename(os.path.normpath(case))}: {bound}{2 * c.total / 1e9:.4g} GFLOP "
              f"({bound}{c.total / 1e9:.4g} GMAC: {ops}; from {source})")


if __name__ == "__main__":
    main()

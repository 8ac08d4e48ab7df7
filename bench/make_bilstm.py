#!/usr/bin/env python3
"""Writes a bidirectional-LSTM benchmark model shaped like the recurrent head of a CRNN text recognizer
(captcha / OCR): input [batch, time, features] -> two stacked BiLSTM layers -> per-step class logits.
Weights are fixed-seed random; the folder gets model.onnx and test_data_set_0/input_0.pb (plus the outputs
onnxruntime computes, when it is installed), the layout `onyx run` and bench/compare_models.py read.

usage: bench/make_bilstm.py OUT_DIR [--batch 1] [--time 64] [--features 256] [--hidden 128] [--layers 2]
                                    [--classes 64]
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def build(batch, time, features, hidden, layers, classes, seed=0):
    rng = np.random.default_rng(seed)
    nodes, inits = [], []

    def init(name, arr):
        inits.append(numpy_helper.from_array(arr.astype(np.float32), name))
        return name

    # [B, T, F] -> [T, B, F]: the LSTMs run time-major (layout 0), as PyTorch exports them.
    nodes.append(helper.make_node("Transpose", ["x"], ["x_tbf"], perm=[1, 0, 2]))
    cur, width = "x_tbf", features
    for layer in range(layers):
        scale = 1.0 / np.sqrt(hidden)
        w = init(f"W{layer}", rng.uniform(-scale, scale, (2, 4 * hidden, width)))
        r = init(f"R{layer}", rng.uniform(-scale, scale, (2, 4 * hidden, hidden)))
        b = init(f"B{layer}", rng.uniform(-scale, scale, (2, 8 * hidden)))
        nodes.append(helper.make_node("LSTM", [cur, w, r, b], [f"y{layer}"], hidden_size=hidden,
                                      direction="bidirectional"))
        # Y [T, 2, B, H] -> [T, B, 2, H] -> [T, B, 2H]
        nodes.append(helper.make_node("Transpose", [f"y{layer}"], [f"yt{layer}"], perm=[0, 2, 1, 3]))
        shape = f"shape{layer}"
        inits.append(numpy_helper.from_array(np.array([0, 0, 2 * hidden], np.int64), shape))
        nodes.append(helper.make_node("Reshape", [f"yt{layer}", shape], [f"seq{layer}"]))
        cur, width = f"seq{layer}", 2 * hidden
    wc = init("Wc", rng.uniform(-0.1, 0.1, (width, classes)))
    bc = init("Bc", rng.uniform(-0.1, 0.1, (classes,)))
    nodes.append(helper.make_node("MatMul", [cur, wc], ["logits_mm"]))
    nodes.append(helper.make_node("Add", ["logits_mm", bc], ["logits"]))
    graph = helper.make_graph(
        nodes, "bilstm_head",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [batch, time, features])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [time, batch, classes])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    x = rng.standard_normal((batch, time, features)).astype(np.float32)
    return model, x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--time", type=int, default=64)
    ap.add_argument("--features", type=int, default=256)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--classes", type=int, default=64)
    a = ap.parse_args()
    model, x = build(a.batch, a.time, a.features, a.hidden, a.layers, a.classes)
    data = os.path.join(a.out, "test_data_set_0")
    os.makedirs(data, exist_ok=True)
    onnx.save(model, os.path.join(a.out, "model.onnx"))
    with open(os.path.join(data, "input_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(x, "x").SerializeToString())
    try:
        import onnxruntime as ort
    except ImportError:
        return
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess = ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    (y,) = sess.run(None, {"x": x})
    with open(os.path.join(data, "output_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(y, "logits").SerializeToString())


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Quantizes the fp32 squeezenet and resnet50 of ../shared/models with onnxruntime.quantization, the ways users do,
and checks that Onyx runs each one and agrees with onnxruntime.

For each model it writes to OUT (default /work/int8-models, outside the repository; the models are not committed):
  <name>_qdq.onnx   quantize_static after quant_pre_process, QDQ format, per-channel int8 weights, uint8 activations
  <name>_qop.onnx   the same in the QOperator format (QLinearConv, QLinearAdd, QLinearGlobalAveragePool, QGemm, ...)
  <name>_dyn.onnx   quantize_dynamic (ConvInteger/MatMulInteger with DynamicQuantizeLinear), int8 weights
Calibration uses a few inputs drawn like the models' test data (uniform, fixed seed). The check feeds the test data
set's input to both engines (onnxruntime: one thread, optimizations off, the way the reference outputs were made):
static models must agree within two steps of their output scale, dynamic ones within a tight float bound. With
--time it also times both engines side by side (alternating, one thread, median), the only kind of timing this
project quotes.

  python3 bench/make_int8_models.py [--out DIR] [--models squeezenet resnet50] [--time N]
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np
import onnx
import onnx.version_converter
import onnxruntime as ort
from onnx import numpy_helper
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_dynamic, quantize_static
from onnxruntime.quantization.shape_inference import quant_pre_process

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "shared", "models")
ort.set_default_logger_severity(3)


class Reader(CalibrationDataReader):
    def __init__(self, name, shape, count):
        rng = np.random.default_rng(1234)
        self._feeds = iter([{name: rng.uniform(0, 1, shape).astype(np.float32)} for _ in range(count)])

    def get_next(self):
        return next(self._feeds, None)


def make(model, out_dir, calib_count):
    src = os.path.join(SHARED, model, "model.onnx")
    graph = onnx.load(src).graph
    inits = {t.name for t in graph.initializer}
    inp = next(i for i in graph.input if i.name not in inits)
    shape = [d.dim_value or 1 for d in inp.type.tensor_type.shape.dim]
    # The models are IR 3 / opset 9, whose initializers ought to be graph inputs too; onnx's version converter (run by
    # quant_pre_process, which wants opset 11+) refuses them as they are, so they are upgraded here first.
    m = onnx.load(src)
    m.ir_version = 7
    names = {t.name for t in m.graph.initializer}
    keep = [i for i in m.graph.input if i.name not in names]  # weights listed as inputs block constant folding
    del m.graph.input[:]
    m.graph.input.extend(keep)
    m = onnx.version_converter.convert_version(m, 13)
    up = os.path.join(out_dir, f"{model}_fp32.onnx")
    onnx.save(m, up)
    pre = os.path.join(out_dir, f"{model}_pre.onnx")
    quant_pre_process(up, pre, skip_symbolic_shape=True)
    paths = {}
    for fmt, tag in [(QuantFormat.QDQ, "qdq"), (QuantFormat.QOperator, "qop")]:
        paths[tag] = os.path.join(out_dir, f"{model}_{tag}.onnx")
        quantize_static(pre, paths[tag], Reader(inp.name, shape, calib_count), quant_format=fmt, per_channel=True,
                        weight_type=QuantType.QInt8, activation_type=QuantType.QUInt8)
    paths["dyn"] = os.path.join(out_dir, f"{model}_dyn.onnx")
    quantize_dynamic(pre, paths["dyn"], weight_type=QuantType.QInt8)
    return paths, inp.name


def output_step(path):
    model = onnx.load(path)
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    out = model.graph.output[0].name
    for node in model.graph.node:
        if out in node.output and node.op_type == "DequantizeLinear":
            return float(np.max(inits[node.input[1]]))
    return None


def sessions(path):
    import onyx

    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    ref = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    so_fast = ort.SessionOptions()
    so_fast.intra_op_num_threads = 1
    fast = ort.InferenceSession(path, so_fast, providers=["CPUExecutionProvider"])
    oo = onyx.SessionOptions()
    oo.intra_op_num_threads = 1
    mine = onyx.InferenceSession(path, oo)
    return ref, fast, mine


def median_ms(fn, feed, n):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn(feed)
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def check(model, tag, path, input_name, time_runs):
    feed = {input_name: numpy_helper.to_array(onnx.load_tensor(
        os.path.join(SHARED, model, "test_data_set_0", "input_0.pb")))}
    ops = sorted({f"{n.domain + ':' if n.domain else ''}{n.op_type}" for n in onnx.load(path).graph.node})
    ref, fast, mine = sessions(path)
    want = ref.run(None, feed)[0]
    got = mine.run(None, feed)[0]
    diff = float(np.max(np.abs(got.astype(np.float64) - want)))
    step = output_step(path)
    if step is not None:
        # Two steps, plus the float rounding of dequantized values as large as the outputs.
        ok = diff <= 2 * step + 1e-6 * float(np.max(np.abs(want)))
        verdict = f"max diff {diff:.4g} = {diff / step:.2f} output steps (step {step:.4g}; bound 2)"
    else:
        bound = 1e-4 * float(np.max(np.abs(want))) + 1e-5
        ok = diff <= bound
        verdict = f"max diff {diff:.4g} (bound {bound:.3g}, max |out| {np.max(np.abs(want)):.4g})"
    top_ref, top_mine = np.argsort(-want.ravel())[:5], np.argsort(-got.ravel())[:5]
    same = "same" if list(top_ref) == list(top_mine) else "differs"
    print(f"{model:10s} {tag}: {'OK  ' if ok else 'FAIL'} {verdict}; top-5 {same}")
    print(f"           ops: {' '.join(ops)}")
    if time_runs:
        runs = {"onnxruntime": lambda f: fast.run(None, f), "onyx": lambda f: mine.run(None, f)}
        for fn in runs.values():
            fn(feed)
        medians = {k: [] for k in runs}
        for _ in range(3):  # alternate the engines so that both see the same machine noise
            for k, fn in runs.items():
                medians[k].append(median_ms(fn, feed, time_runs))
        ms = {k: statistics.median(v) for k, v in medians.items()}
        print(f"           1 thread: onnxruntime {ms['onnxruntime']:.2f} ms, onyx {ms['onyx']:.2f} ms, "
              f"onyx/ort {ms['onyx'] / ms['onnxruntime']:.2f}")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="/work/int8-models")
    ap.add_argument("--models", nargs="+", default=["squeezenet", "resnet50"])
    ap.add_argument("--calibration", type=int, default=4, help="calibration inputs per model")
    ap.add_argument("--time", type=int, default=0, metavar="N", help="also time N runs per engine, three rounds")
    ap.add_argument("--reuse", action="store_true", help="check models already in --out instead of making them")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    ok = True
    for model in args.models:
        if args.reuse:
            paths = {tag: os.path.join(args.out, f"{model}_{tag}.onnx") for tag in ("qdq", "qop", "dyn")}
            graph = onnx.load(os.path.join(SHARED, model, "model.onnx")).graph
            inits = {t.name for t in graph.initializer}
            input_name = next(i.name for i in graph.input if i.name not in inits)
        else:
            paths, input_name = make(model, args.out, args.calibration)
        for tag, path in paths.items():
            ok &= check(model, tag, path, input_name, args.time)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

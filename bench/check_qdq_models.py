#!/usr/bin/env python3
"""Checks Onyx on int8 cases (bench/make_int8_bench.py): node counts before and after the optimizer, the
operators of the optimized graph, and the outputs of the optimized and unoptimized runs against onnxruntime's
unoptimized run (the cases' reference outputs), in quantization steps of the DequantizeLinear that makes each
output. Issue 11's rule: within --steps steps, or no further than onnxruntime's own optimized run is from its
unoptimized one, whichever is larger. Outputs no DequantizeLinear writes (dynamic quantization) are reported
beside onnxruntime's spread, not judged.

usage: bench/check_qdq_models.py DIR [--onyx build/bin/onyx] [--steps 2]

Exit status 1 when an output differs from onnxruntime's by more than --steps steps.
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from case_io import load_feeds, load_pb
from onnx import numpy_helper


def output_steps(model):
    """The scale of the DequantizeLinear writing each graph output (None when another operator writes it)."""
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    producer = {o: n for n in model.graph.node for o in n.output}
    steps = {}
    for out in model.graph.output:
        n = producer.get(out.name)
        steps[out.name] = float(np.max(inits[n.input[1]])) if n is not None and n.op_type == "DequantizeLinear" and \
            n.input[1] in inits else None
    return steps


def run_onyx(onyx, case, level, out_dir):
    inputs = sorted(f for f in os.listdir(os.path.join(case, "test_data_set_0")) if f.startswith("input_"))
    model = onnx.load(os.path.join(case, "model.onnx"), load_external_data=False)
    inits = {t.name for t in model.graph.initializer}
    names = [i.name for i in model.graph.input if i.name not in inits]
    cmd = [onyx, "run", os.path.join(case, "model.onnx"), "--opt-level", level, "--output-dir", out_dir,
           "--threads", "1"]
    for name, f in zip(names, inputs):
        cmd += ["--input", f"{name}={os.path.join(case, 'test_data_set_0', f)}"]
    subprocess.run(cmd, check=True, capture_output=True)
    return {o.name: load_pb(os.path.join(out_dir, file_name(o.name) + ".pb")) for o in model.graph.output}


def file_name(output_name):
    """The file `onyx run --output-dir` writes an output to (tools/onyx SanitizeFileName)."""
    out = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in output_name)
    if out in ("", ".", ".."):
        out = "output"
    if out[0] in ".-":
        out = "_" + out[1:]
    return out[:200]


def ort_optimized(case, model):
    """onnxruntime's outputs with its default optimizations, one thread."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(os.path.join(case, "model.onnx"), opts, providers=["CPUExecutionProvider"])
    feeds = load_feeds(case)
    return dict(zip([o.name for o in sess.get_outputs()], sess.run(None, feeds)))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir")
    p.add_argument("--onyx", default=os.path.join(os.path.dirname(__file__), "..", "build", "bin", "onyx"))
    p.add_argument("--steps", type=float, default=2.0)
    args = p.parse_args()
    failed = False
    for name in sorted(os.listdir(args.dir)):
        case = os.path.join(args.dir, name)
        if not os.path.exists(os.path.join(case, "model.onnx")):
            continue
        model = onnx.load(os.path.join(case, "model.onnx"))
        with tempfile.TemporaryDirectory() as tmp:
            opt_path = os.path.join(tmp, "opt.onnx")
            report = subprocess.run([args.onyx, "optimize", os.path.join(case, "model.onnx"), "-o", opt_path],
                                    check=True, capture_output=True, text=True).stdout
            m = re.search(r"(\d+) nodes before, (\d+) after", report)
            ops = collections.Counter(n.op_type for n in onnx.load(opt_path).graph.node)
            print(f"{name}: {m.group(1)} nodes -> {m.group(2)} ({int(m.group(2)) / int(m.group(1)):.2f})")
            print("  optimized graph: " + ", ".join(f"{k} {v}" for k, v in ops.most_common()))
            expected = {o.name: load_pb(os.path.join(case, "test_data_set_0", f"output_{i}.pb"))
                        for i, o in enumerate(model.graph.output)}
            steps = output_steps(model)
            ort_fast = ort_optimized(case, model)
            for out, want in expected.items():
                spread = float(np.max(np.abs(ort_fast[out].astype(np.float64) - want)))
                step = steps[out]
                print(f"  onnxruntime optimized {out}: {spread:.4g}" + (f" = {spread / step:.2f} steps" if step else ""))
            for level in ("all", "disabled"):
                got = run_onyx(args.onyx, case, level, os.path.join(tmp, level))
                for out, want in expected.items():
                    diff = float(np.max(np.abs(got[out].astype(np.float64) - want)))
                    step = steps[out]
                    in_steps = diff / step if step else float("nan")
                    spread = float(np.max(np.abs(ort_fast[out].astype(np.float64) - want)))
                    # A hair of float slack: "2 steps" computed as 2 * scale rounds either way.
                    ok = step is None or diff <= max(args.steps * step, spread) * (1 + 1e-6)
                    failed = failed or not ok
                    print(f"  level {level:8s} {out}: max |onyx - ort| = {diff:.4g}"
                          + (f" = {in_steps:.2f} steps of {step:.4g}" if step else "") + ("" if ok else "  FAIL"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

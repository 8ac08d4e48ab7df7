#!/usr/bin/env python3
"""Side-by-side latency of Onyx (the `onyx run --repeat` command, one thread) and ONNX Runtime (PyPI, one
thread) on the real models, alternating the two in rounds so machine noise hits both alike. Prints medians,
the ratio, and Onyx's node counts at each optimization level.

usage: bench/compare_models.py [--models DIR] [--onyx build/bin/onyx] [--rounds 5] [--repeat 20] [--levels all]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np
import onnx
import onnx.numpy_helper
import onnxruntime as ort


def onyx_median_ms(onyx, model, inputs, level, repeat):
    args = [onyx, "run", model, "--threads", "1", "--repeat", str(repeat), "--opt-level", level]
    for name, path in inputs:
        args += ["--input", f"{name}={path}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return float(re.search(r"median ([0-9.]+) ms", out).group(1))


def ort_median_ms(session, feeds, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def node_count(onyx, model, level):
    out = subprocess.run([onyx, "inspect", model, "--opt-level", level], capture_output=True, text=True).stdout
    m = re.search(r"optimization \(\w+\): (\d+) nodes before, (\d+) after", out)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "models"))
    ap.add_argument("--onyx", default="build/bin/onyx")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--levels", default="disabled,basic,extended,all")
    args = ap.parse_args()
    levels = args.levels.split(",")
    print(f"{'model':26} {'nodes dis/all':>14} {'ORT ms':>8} " + " ".join(f"{'onyx ' + l:>14}" for l in levels)
          + "  ratio(all)")
    for case in sorted(os.listdir(args.models)):
        d = os.path.join(args.models, case)
        model = os.path.join(d, "model.onnx")
        if not os.path.isfile(model):
            continue
        m = onnx.load(model, load_external_data=False)
        init_names = {i.name for i in m.graph.initializer}
        graph_inputs = [i.name for i in m.graph.input if i.name not in init_names]
        data = os.path.join(d, "test_data_set_0")
        inputs, feeds = [], {}
        for k, name in enumerate(graph_inputs):
            path = os.path.join(data, f"input_{k}.pb")
            inputs.append((name, path))
            t = onnx.TensorProto()
            with open(path, "rb") as f:
                t.ParseFromString(f.read())
            feeds[name] = onnx.numpy_helper.to_array(t)
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        sess = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
        ort_times, onyx_times = [], {l: [] for l in levels}
        for _ in range(args.rounds):  # A, B, A, B ...
            ort_times.append(ort_median_ms(sess, feeds, args.repeat))
            for l in levels:
                onyx_times[l].append(onyx_median_ms(args.onyx, model, inputs, l, args.repeat))
        before, after = node_count(args.onyx, model, "all")
        ort_ms = statistics.median(ort_times)
        meds = {l: statistics.median(v) for l, v in onyx_times.items()}
        ratio = meds[levels[-1]] / ort_ms
        print(f"{case:26} {str(before) + '/' + str(after):>14} {ort_ms:8.3f} "
              + " ".join(f"{meds[l]:14.3f}" for l in levels) + f"  {ratio:8.2f}x")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

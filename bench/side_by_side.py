#!/usr/bin/env python3
"""Side-by-side latency of one or more `onyx` builds and onnxruntime on given model folders (model.onnx plus
test_data_set_0/input_N.pb), at each thread count, alternating the contenders round by round so machine noise
hits them alike. Onyx runs through `onyx run --repeat R` (its printed median); onnxruntime through its Python
API with intra_op_num_threads = N and the same inputs. Prints per contender the median of the round medians,
and each onyx build's ratio to onnxruntime.

usage: bench/side_by_side.py DIR [DIR ...] [--onyx build/bin/onyx] [--onyx NAME=PATH[:LIBDIR]] [--threads 1,2]
                             [--rounds 5] [--repeat 200]

An onyx given as NAME=PATH:LIBDIR runs with LD_LIBRARY_PATH=LIBDIR (a saved copy of an earlier build).
"""
import argparse
import os
import re
import statistics
import subprocess
import time

import onnxruntime as ort
from case_io import input_paths, load_pb


def load_inputs(case):
    inputs = input_paths(case)
    return inputs, {name: load_pb(path) for name, path in inputs}


def onyx_median_ms(onyx, case, inputs, threads, repeat):
    path, libdir = onyx
    args = [path, "run", os.path.join(case, "model.onnx"), "--threads", str(threads), "--repeat", str(repeat)]
    for name, p in inputs:
        args += ["--input", f"{name}={p}"]
    env = dict(os.environ)
    if libdir:
        env["LD_LIBRARY_PATH"] = libdir
    out = subprocess.run(args, capture_output=True, text=True, check=True, env=env).stdout
    return float(re.search(r"median ([0-9.]+) ms", out).group(1))


def ort_median_ms(session, feeds, repeat):
    session.run(None, feeds)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def parse_onyx(spec):
    name, _, rest = spec.rpartition("=")
    path, _, libdir = rest.partition(":")
    return (name or path), (path, libdir or None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cases", nargs="+")
    ap.add_argument("--onyx", action="append", default=[])
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=200)
    args = ap.parse_args()
    onyxes = [parse_onyx(s) for s in (args.onyx or ["build/bin/onyx"])]
    info = dict(line.split(":", 1) for line in open("/proc/cpuinfo").read().split("\n\n")[0].splitlines() if ":" in line)
    info = {k.strip(): v.strip() for k, v in info.items()}
    print(f"cpu: {info.get('model name')} (family {info.get('cpu family')}, model {info.get('model')}), "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; onnxruntime {ort.__version__}")
    header = f"{'case':28} {'thr':>3} {'ORT ms':>9}" + "".join(f" {name + ' ms':>14} {'ratio':>6}" for name, _ in onyxes)
    print(header)
    for case in args.cases:
        inputs, feeds = load_inputs(case)
        for threads in [int(t) for t in args.threads.split(",")]:
            so = ort.SessionOptions()
            so.intra_op_num_threads = threads
            so.inter_op_num_threads = 1
            sess = ort.InferenceSession(os.path.join(case, "model.onnx"), so, providers=["CPUExecutionProvider"])
            ort_times, onyx_times = [], {name: [] for name, _ in onyxes}
            for _ in range(args.rounds):  # A, B, C, A, B, C ...
                ort_times.append(ort_median_ms(sess, feeds, args.repeat))
                for name, onyx in onyxes:
                    onyx_times[name].append(onyx_median_ms(onyx, case, inputs, threads, args.repeat))
            o = statistics.median(ort_times)
            row = f"{os.path.basename(os.path.normpath(case)):28} {threads:>3} {o:9.4f}"
            for name, _ in onyxes:
                m = statistics.median(onyx_times[name])
                row += f" {m:14.4f} {m / o:5.2f}x"
            print(row, flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Onyx and onnxruntime through the same Python API in one process, alternating run by run, on model folders
(model.onnx plus test_data_set_0/input_N.pb). Reports per contender the median wall time of one run and, at one
thread, the median CPU time of the calling thread (time.thread_time), which a busy shared machine disturbs far
less than wall time: with one intra-op thread all the work happens on the calling thread in both engines.

usage: bench/inprocess.py DIR [DIR ...] [--threads 1,2] [--runs 400]
Needs the `onyx` package installed (scripts/python_install) next to onnxruntime.
"""
import argparse
import os
import statistics
import time

import onnxruntime as ort
from case_io import load_feeds

import onyx


def session(module, path, threads):
    so = module.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    return module.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cases", nargs="+")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--runs", type=int, default=400)
    args = ap.parse_args()
    info = dict(line.split(":", 1) for line in open("/proc/cpuinfo").read().split("\n\n")[0].splitlines() if ":" in line)
    info = {k.strip(): v.strip() for k, v in info.items()}
    print(f"cpu: {info.get('model name')} (family {info.get('cpu family')}, model {info.get('model')}), "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; onnxruntime {ort.__version__}, onyx {onyx.__version__}")
    print(f"{'case':28} {'thr':>3} {'ORT wall':>9} {'onyx wall':>9} {'ratio':>6}   {'ORT cpu':>8} {'onyx cpu':>8} {'ratio':>6}")
    for case in args.cases:
        feeds = load_feeds(case)
        path = os.path.join(case, "model.onnx")
        for threads in [int(t) for t in args.threads.split(",")]:
            sessions = {"ort": session(ort, path, threads), "onyx": session(onyx, path, threads)}
            wall = {k: [] for k in sessions}
            cpu = {k: [] for k in sessions}
            for s in sessions.values():
                for _ in range(3):
                    s.run(None, feeds)
            for _ in range(args.runs):  # A, B, A, B ...
                for name, s in sessions.items():
                    w0, c0 = time.perf_counter(), time.thread_time()
                    s.run(None, feeds)
                    cpu[name].append(time.thread_time() - c0)
                    wall[name].append(time.perf_counter() - w0)
            med = {k: 1000 * statistics.median(v) for k, v in wall.items()}
            cmed = {k: 1000 * statistics.median(v) for k, v in cpu.items()}
            row = (f"{os.path.basename(os.path.normpath(case)):28} {threads:>3} {med['ort']:9.4f} {med['onyx']:9.4f} "
                   f"{med['onyx'] / med['ort']:5.2f}x")
            if threads == 1:
                row += f"   {cmed['ort']:8.4f} {cmed['onyx']:8.4f} {cmed['onyx'] / cmed['ort']:5.2f}x"
            print(row, flush=True)


if __name__ == "__main__":
    main()

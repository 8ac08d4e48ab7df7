#!/usr/bin/env python3
"""How much a second thread buys: Onyx (`onyx run --threads N --repeat R`) and ONNX Runtime (PyPI,
intra_op_num_threads = N) on the real models, one and two threads, alternated in rounds (Onyx 1T, Onyx 2T,
ORT 1T, ORT 2T, then again) so machine noise hits all four alike. Prints per-round medians' medians, the
speed-up of two threads over one (1T time / 2T time) for each engine. GFLOP: bench/model_flops.py.

Onyx runs as the `onyx run` command, one process per measurement, so that two builds (--base) can be compared;
bench/compare_peers.py is the in-process comparison with the peers.

usage: bench/thread_scaling.py [--models DIR] [--onyx build/bin/onyx] [--base OTHER_ONYX] [--rounds 5]
                               [--repeat 20 (0: enough for ~0.2 s)] [--only a,b] [--no-ort]

With --base, a second Onyx build (say, the one before a change) runs in the same rounds. The speed-ups are
medians of the per-round ratios (each round runs 1T and 2T back to back, in alternating order), which noise
from other processes on the machine disturbs less than a ratio of medians.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

from case_io import input_paths, load_pb
import onnxruntime as ort

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_flops import count_case  # noqa: E402


def onyx_median_ms(onyx, model, inputs, threads, repeat):
    args = [onyx, "run", model, "--threads", str(threads), "--repeat", str(repeat)]
    for name, path in inputs:
        args += ["--input", f"{name}={path}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return float(re.search(r"median ([0-9.]+) ms", out).group(1))


def ort_median_ms(session, feeds, repeat):
    session.run(None, feeds)  # wakes the pool's threads the way `onyx run`'s untimed first run does
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def gflop(case_dir):
    counter, _ = count_case(case_dir)
    return 2 * counter.total / 1e9


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "models"))
    ap.add_argument("--onyx", default="build/bin/onyx")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--only", default="")
    ap.add_argument("--no-ort", action="store_true")
    ap.add_argument("--base", default="")
    args = ap.parse_args()
    ort.set_default_logger_severity(3)
    only = set(filter(None, args.only.split(",")))
    print(f"cpu: {open('/proc/cpuinfo').read().split('model name')[1].split(chr(10))[0].strip(': ')}")
    names = (["base"] if args.base else []) + ["onyx"] + ([] if args.no_ort else ["ORT"])
    print(f"{'model':26} {'GFLOP':>6} " + "  ".join(f"{n + ' 1T':>9} {n + ' 2T':>9} {'speedup':>7}" for n in names))
    for case in sorted(os.listdir(args.models)):
        d = os.path.join(args.models, case)
        model = os.path.join(d, "model.onnx")
        if not os.path.isfile(model) or (only and case not in only):
            continue
        inputs = input_paths(d, model)
        feeds = {name: load_pb(path) for name, path in inputs}
        sessions = {}
        if not args.no_ort:
            for threads in (1, 2):
                so = ort.SessionOptions()
                so.intra_op_num_threads = threads
                so.inter_op_num_threads = 1
                so.log_severity_level = 3
                sessions[threads] = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
        engines = {"onyx": args.onyx}
        if args.base:
            engines = {"base": args.base, "onyx": args.onyx}
        times = {(e, t): [] for e in list(engines) + ["ort"] for t in (1, 2)}
        try:
            repeat = args.repeat
            if repeat <= 0:  # about 0.2 s a measurement
                ms = onyx_median_ms(args.onyx, model, inputs, 1, 3)
                repeat = int(min(300, max(10, 200 / max(ms, 1e-3))))
            for r in range(args.rounds):
                order = (1, 2) if r % 2 == 0 else (2, 1)
                for name, binary in engines.items():
                    for threads in order:
                        times[(name, threads)].append(onyx_median_ms(binary, model, inputs, threads, repeat))
                for threads in order:
                    if threads in sessions:
                        times[("ort", threads)].append(ort_median_ms(sessions[threads], feeds, repeat))
        except subprocess.CalledProcessError as e:
            print(f"{case:26} onyx failed: {e.stderr.strip().splitlines()[-1] if e.stderr else e}")
            continue
        cells = []
        for name in list(engines) + ["ort"]:
            t1, t2 = times[(name, 1)], times[(name, 2)]
            if not t1:
                continue
            speedup = statistics.median(a / b for a, b in zip(t1, t2))
            cells.append(f"{statistics.median(t1):9.3f} {statistics.median(t2):9.3f} {speedup:7.2f}")
        print(f"{case:26} {gflop(d):6.2f} " + "  ".join(cells))
        sys.stdout.flush()


if __name__ == "__main__":
    main()

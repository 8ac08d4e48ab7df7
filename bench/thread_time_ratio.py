#!/usr/bin/env python3
"""One-thread Onyx/onnxruntime ratios that survive a busy machine: CPU time of the calling thread, run by run.

With one intra-op thread both engines compute on the thread that calls run(), so time.thread_time() counts their
work and not the time other jobs held the core. The engines alternate run by run (the order flipping each pair),
and each pair gives a ratio; the report is the median of those ratios and its quartiles. Drifting load (another
job starting, frequency changes) then touches both halves of a pair alike. Models that run in microseconds are
timed in groups of runs of about 2 ms.

This is a complement to compare_peers.py, not a replacement: it cannot time two threads (a second thread's work
is not on the caller's clock), and a loaded core still slows the caches both engines share with other jobs.
Measured at a load average of 7 on 2 cores, its ratios for magika, open_nsfw, MiniLM and squeezenet were within
0.02 of compare_peers.py's on the quiet machine; for the sub-millisecond models (openwakeword, silero_vad) they
differed by 0.08-0.1.

usage: bench/thread_time_ratio.py [--models DIR] [--filter REGEX] [--seconds S]
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import onnxruntime as ort  # noqa: E402
import onyx  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_flops import read_feeds  # noqa: E402


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--models", default=os.path.join(here, "..", "..", "shared", "models"))
    p.add_argument("--filter", default="", help="only the cases whose folder name matches this regex")
    p.add_argument("--seconds", type=float, default=6.0, help="timing per model (at least 10 pairs)")
    args = p.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for case in sorted(os.listdir(args.models)):
        path = os.path.join(args.models, case)
        if not re.search(args.filter, case) or not os.path.isfile(os.path.join(path, "model.onnx")):
            continue
        try:
            feeds = read_feeds(path)
        except FileNotFoundError as e:
            print(f"{case}: skipped, {e}")
            continue
        model = os.path.join(path, "model.onnx")
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.log_severity_level = 3
        so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        theirs = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
        oo = onyx.SessionOptions()
        oo.intra_op_num_threads = 1
        ours = onyx.InferenceSession(model, oo)
        for _ in range(3):
            theirs.run(None, feeds)
            ours.run(None, feeds)
        start = time.perf_counter()
        ours.run(None, feeds)
        group = max(1, int(0.002 / max(time.perf_counter() - start, 1e-7)))
        times = {"onyx": [], "ort": []}
        ratios = []
        end = time.perf_counter() + args.seconds
        while time.perf_counter() < end or len(ratios) < 10:
            order = [("onyx", ours), ("ort", theirs)]
            if len(ratios) % 2:
                order.reverse()
            for name, sess in order:
                t0 = time.thread_time()
                for _ in range(group):
                    sess.run(None, feeds)
                times[name].append((time.thread_time() - t0) / group)
            ratios.append(times["onyx"][-1] / times["ort"][-1])
        q = statistics.quantiles(ratios, n=4)
        a, b = (statistics.median(times[k]) * 1e3 for k in ("onyx", "ort"))
        print(f"{case:28s} onyx {a:9.3f} ms  ort {b:9.3f} ms  Onyx/ORT {statistics.median(ratios):.3f} "
              f"(quartiles {q[0]:.3f}-{q[2]:.3f}, {len(ratios)} pairs)", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

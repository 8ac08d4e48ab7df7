#!/usr/bin/env python3
"""Session creation time and peak memory of Onyx and onnxruntime, side by side, on the real-model cases.

Time: both engines in this one process, creations alternating (Onyx, ORT, ORT, Onyx, ...) so that a busy shared
machine disturbs both alike; the figure is the median wall time of InferenceSession(path, options) over --reps
creations, each session dropped before the next is made. Peak memory: each (engine, case) in a fresh process that
imports only its engine, then resets the process's peak resident set (VmHWM) and reads how far it rose above the
resident set before creating one session, after creating it and after running it once on the case's inputs: the
peak growth from creation alone and from creation plus the first run, in MiB. Both engines get intra_op_num_threads = --threads, sequential execution and
all graph optimizations (as bench/compare_peers.py).

usage: bench/session_create.py [--models DIR] [--filter REGEX] [--reps 9] [--threads 1] [--no-memory] [--json FILE]
Needs the `onyx` package (scripts/python_install) next to onnxruntime.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def options(module, name, threads):
    so = module.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = module.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = module.GraphOptimizationLevel.ORT_ENABLE_ALL
    if name == "ort":
        so.log_severity_level = 3
    return so


def engine(name):
    if name == "onyx":
        import onyx

        return onyx
    import onnxruntime

    return onnxruntime


def create(name, path, threads):
    module = engine(name)
    return module.InferenceSession(path, options(module, name, threads), providers=["CPUExecutionProvider"])


def feeds(case):
    from case_io import load_feeds  # onnx only, no engine: the peak of the engine measured stays its own

    return load_feeds(case)


def rss_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak():
    # Writing 5 to clear_refs resets the peak resident set (VmHWM) to the current one (Linux 4.0 and later).
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def peak_child(name, case, threads):
    """Runs in a fresh process: peak RSS growth (KiB) of creating one session, and of creating it and running once."""
    import gc

    inputs = feeds(case)
    module = engine(name)
    path = os.path.join(case, "model.onnx")
    so = options(module, name, threads)
    gc.collect()
    reset_peak()
    before = rss_kib("VmRSS")
    sess = module.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    created = rss_kib("VmHWM")
    sess.run(None, inputs)
    ran = rss_kib("VmHWM")
    print(json.dumps({"create_kib": created - before, "run_kib": ran - before}))


def peak(name, case, threads):
    r = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", name, case, "--threads", str(threads)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return json.loads(r.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default=os.path.join(HERE, "..", "..", "shared", "models"))
    ap.add_argument("--filter", default="")
    ap.add_argument("--reps", type=int, default=9)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--json")
    ap.add_argument("--child", nargs=2)
    args = ap.parse_args()
    if args.child:
        peak_child(args.child[0], args.child[1], args.threads)
        return

    cases = sorted(d for d in os.listdir(args.models)
                   if os.path.exists(os.path.join(args.models, d, "model.onnx")) and re.search(args.filter, d))
    info = {}
    with open("/proc/cpuinfo") as f:
        for line in f.read().split("\n\n")[0].splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                info[k.strip()] = v.strip()
    import onnxruntime
    import onyx

    print(f"cpu: {info.get('model name')} (family {info.get('cpu family')}, model {info.get('model')}), "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; onnxruntime {onnxruntime.__version__}, "
          f"onyx {onyx.__version__}; {args.threads} thread(s), median of {args.reps} creations")
    print(f"{'case':28} {'onyx ms':>9} {'ORT ms':>9} {'ratio':>6}   {'onyx MiB':>9} {'ORT MiB':>8} {'ratio':>6}"
          f"   {'+run onyx':>9} {'+run ORT':>8}")
    results = []
    for case in cases:
        path = os.path.join(args.models, case, "model.onnx")
        times = {"onyx": [], "ort": []}
        for name in ("onyx", "ort"):  # one untimed creation each: file cache, lazy initialization
            create(name, path, args.threads)
        for i in range(args.reps):
            order = ("onyx", "ort") if i % 2 == 0 else ("ort", "onyx")
            for name in order:
                start = time.perf_counter()
                sess = create(name, path, args.threads)
                times[name].append((time.perf_counter() - start) * 1e3)
                del sess
        row = {"case": case, **{f"{k}_ms": statistics.median(v) for k, v in times.items()}}
        if not args.no_memory:
            for name in ("onyx", "ort"):
                p = peak(name, os.path.join(args.models, case), args.threads)
                row[f"{name}_create_mib"] = p["create_kib"] / 1024 if p else None
                row[f"{name}_run_mib"] = p["run_kib"] / 1024 if p else None
        results.append(row)

        def fmt(v, w):
            return f"{v:{w}.1f}" if v is not None else f"{'-':>{w}}"

        mem = ""
        if not args.no_memory:
            o, r = row["onyx_create_mib"], row["ort_create_mib"]
            ratio = o / r if o is not None and r else None
            ratio_s = f"{ratio:6.2f}" if ratio is not None else f"{'-':>6}"
            mem = (f"   {fmt(o, 9)} {fmt(r, 8)} {ratio_s}"
                   f"   {fmt(row['onyx_run_mib'], 9)} {fmt(row['ort_run_mib'], 8)}")
        print(f"{case:28} {row['onyx_ms']:9.2f} {row['ort_ms']:9.2f} {row['onyx_ms'] / row['ort_ms']:6.2f}{mem}",
              flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"cpu": info.get("model name"), "threads": args.threads, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()

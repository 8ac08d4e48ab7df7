#!/usr/bin/env python3
"""Side-by-side latency of Onyx, onnxruntime and OpenVINO on the real-model cases, at 1 and 2 threads.

Every case under --models with a model.onnx and test_data_set_0 inputs is run by each engine at each thread count.
All engines run in this one process, through their Python packages, on the same numpy inputs and the same timer,
so each pays the same kind of cost per call (Python to C++, outputs back to numpy); `onyx bench` would leave out
that cost for Onyx alone, which matters for sub-millisecond models. Timing is in rotation: in each round every
(engine, threads) configuration runs one untimed run and then a batch of timed runs, the order of configurations
shifting by one each round so that no engine always follows the same one; a short pause between batches lets
threads another engine left spinning go idle. Figures are medians over all timed runs.

Engine settings: Onyx and onnxruntime with intra_op_num_threads = T, sequential execution, all graph
optimizations; OpenVINO's CPU plugin with INFERENCE_NUM_THREADS = T, PERFORMANCE_HINT = LATENCY and
INFERENCE_PRECISION_HINT = f32 (on processors with AMX or AVX512-BF16 its default is bf16, which would compare
bfloat16 arithmetic with fp32; --ov-precision default keeps OpenVINO's choice), inputs with dynamic dims reshaped
to the fed shapes (OpenVINO is fastest with static shapes, and the others need no such help).

Each engine's first outputs are compared with the case's expected outputs (rtol 1e-2, atol 1e-3: a sanity
check, not conformance); a mismatch is flagged in the table. A case an engine cannot load or run is skipped for
that engine with the reason printed.

Efficiency: GFLOP per run (bench/model_flops.py) over the run time, as a share of the single-core sgemm peak
measured in the same run (bench/gemm_peak.py; at 2 threads, of twice that).

usage: bench/compare_peers.py [--models DIR] [--threads 1,2] [--rounds 5] [--runs 20] [--filter REGEX]
                              [--engines onyx,ort,ov] [--markdown FILE] [--json FILE]
An engine may be given as onyx:LEVEL (disabled, basic, extended, all) to compare Onyx's optimization levels.
"""
import os

# numpy's BLAS must not start threads of its own next to the engines'.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import numpy_helper  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_flops import count_case, read_feeds  # noqa: E402
import peers_report  # noqa: E402
from peers_report import LABELS, engine_label  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ONYX_LEVELS = {"disabled": 0, "basic": 1, "extended": 2, "all": 99}


class Config:
    """One engine at one thread count, with its loaded model."""

    def __init__(self, engine, threads):
        self.engine, self.threads = engine, threads
        self.run = None
        self.times = []
        self.round_medians = []
        self.create_ms = None
        self.mismatch = None
        self.error = None

    @property
    def label(self):
        return f"{engine_label(self.engine)} {self.threads}T"


def load(config, model_path, feeds, args):
    name, _, level = config.engine.partition(":")
    t = config.threads
    start = time.perf_counter()
    if name == "onyx":
        import onyx

        so = onyx.SessionOptions()
        so.intra_op_num_threads = t
        so.graph_optimization_level = ONYX_LEVELS[level or "all"]
        sess = onyx.InferenceSession(model_path, so)
        config.run = lambda: sess.run(None, feeds)
    elif name == "ort":
        import onnxruntime

        so = onnxruntime.SessionOptions()
        so.intra_op_num_threads = t
        so.inter_op_num_threads = 1
        so.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        so.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.log_severity_level = 3
        sess = onnxruntime.InferenceSession(model_path, so, providers=["CPUExecutionProvider"])
        config.run = lambda: sess.run(None, feeds)
    elif name == "ov":
        import openvino as ov

        core = ov.Core()
        model = core.read_model(model_path)
        if any(p.get_partial_shape().is_dynamic for p in model.inputs):
            model.reshape({p: list(feeds[p.get_any_name()].shape) for p in model.inputs if p.get_any_name() in feeds})
        props = {"INFERENCE_NUM_THREADS": t, "PERFORMANCE_HINT": "LATENCY"}
        if args.ov_precision != "default":
            props["INFERENCE_PRECISION_HINT"] = args.ov_precision
        compiled = core.compile_model(model, "CPU", props)
        request = compiled.create_infer_request()

        def run():
            result = request.infer(feeds)
            return [result[o] for o in compiled.outputs]

        config.run = run
    config.create_ms = (time.perf_counter() - start) * 1e3


def compare(outputs, expected):
    """The worst mismatch of outputs against expected values (rtol 1e-2, atol 1e-3), or None."""
    worst = None
    for k, (got, want) in enumerate(zip(outputs, expected)):
        got = np.asarray(got)
        if got.shape != want.shape:
            return f"output {k}: shape {list(got.shape)}, expected {list(want.shape)}"
        if want.dtype.kind in "fc" and not np.allclose(got, want, rtol=1e-2, atol=1e-3, equal_nan=True):
            err = float(np.max(np.abs(got.astype(np.float64) - want.astype(np.float64))))
            worst = f"output {k}: max abs error {err:.3g}"
        elif want.dtype.kind not in "fc" and not np.array_equal(got, want):
            worst = f"output {k}: values differ"
    return worst


def expected_outputs(case_dir):
    outs, k = [], 0
    while os.path.exists(path := os.path.join(case_dir, "test_data_set_0", f"output_{k}.pb")):
        t = onnx.TensorProto()
        with open(path, "rb") as f:
            t.ParseFromString(f.read())
        outs.append(numpy_helper.to_array(t))
        k += 1
    return outs


def timed_batch(config, args):
    config.run()  # untimed: caches and threads back to this engine after the others ran
    batch, start = [], time.perf_counter()
    while len(batch) < args.runs:
        t = time.perf_counter_ns()
        config.run()
        batch.append((time.perf_counter_ns() - t) / 1e6)
        if len(batch) >= 3 and time.perf_counter() - start > args.max_batch_seconds:
            break
    config.times += batch
    config.round_medians.append(statistics.median(batch))


def bench_case(case, args):
    case_dir = os.path.join(args.models, case)
    model_path = os.path.join(case_dir, "model.onnx")
    feeds = read_feeds(case_dir, model_path)
    expected = expected_outputs(case_dir)
    configs = [Config(e, t) for t in args.threads for e in args.engines]
    for c in configs:
        try:
            load(c, model_path, feeds, args)
            c.mismatch = compare(c.run(), expected)
            for _ in range(args.warmup):
                c.run()
        except Exception as e:  # noqa: BLE001 - a peer that cannot load or run a model is skipped, with the reason
            c.error = " ".join(str(e).split())[:300]
            c.run = None
            print(f"  skip {c.label} on {case}: {c.error}", file=sys.stderr)
    live = [c for c in configs if c.run is not None]
    for r in range(args.rounds):
        shift = r % len(live) if live else 0
        for c in live[shift:] + live[:shift]:
            timed_batch(c, args)
            time.sleep(args.pause_ms / 1e3)
    try:
        macs, flops_source = count_case(case_dir, model_path, feeds)
        gflop = 2 * macs.total / 1e9
        lower_bound = macs.lower_bound
    except Exception as e:  # noqa: BLE001 - efficiency is left out for this case
        gflop, lower_bound, flops_source = None, False, f"not counted: {e}"
    result = {"case": case, "gflop": gflop, "gflop_lower_bound": lower_bound, "gflop_source": flops_source,
              "configs": {}}
    for c in configs:
        entry = {"engine": c.engine, "threads": c.threads}
        if c.error:
            entry["error"] = c.error
        else:
            times = sorted(c.times)
            entry.update(median_ms=statistics.median(times), min_ms=times[0],
                         p90_ms=times[min(len(times) - 1, math.ceil(0.9 * len(times)) - 1)], runs=len(times),
                         round_medians_ms=c.round_medians, create_ms=c.create_ms, mismatch=c.mismatch)
        result["configs"][f"{c.engine}@{c.threads}"] = entry
        c.run = None
    gc.collect()
    return result


def cases(args):
    found = []
    for case in sorted(os.listdir(args.models)):
        d = os.path.join(args.models, case)
        if not os.path.isfile(os.path.join(d, "model.onnx")):
            continue
        if not os.path.isfile(os.path.join(d, "test_data_set_0", "input_0.pb")):
            print(f"  skip {case}: no test_data_set_0/input_0.pb", file=sys.stderr)
            continue
        if args.filter and not re.search(args.filter, case):
            continue
        found.append(case)
    return found


def gemm_peak(args):
    if args.no_peak:
        return None
    cmd = [sys.executable, os.path.join(HERE, "gemm_peak.py"), "--json", "--n", str(args.peak_n)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=600).stdout
        return json.loads(out.strip().splitlines()[-1])
    except (subprocess.SubprocessError, ValueError, IndexError) as e:
        print(f"  the sgemm peak probe failed ({e}); efficiency is left out", file=sys.stderr)
        return None


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default=os.path.join(HERE, "..", "..", "shared", "models"))
    ap.add_argument("--threads", default="1,2", help="thread counts, comma-separated (default 1,2)")
    ap.add_argument("--engines", default="onyx,ort,ov", help="onyx[:LEVEL], ort, ov (default onyx,ort,ov)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--runs", type=int, default=20, help="timed runs per batch (default 20)")
    ap.add_argument("--max-batch-seconds", type=float, default=2.0, help="a batch ends after this (3 runs at least)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed runs after loading (default 3)")
    ap.add_argument("--pause-ms", type=float, default=20, help="pause between batches (default 20)")
    ap.add_argument("--filter", help="only cases whose name matches this regular expression")
    ap.add_argument("--ov-precision", default="f32", help="OpenVINO's INFERENCE_PRECISION_HINT, or 'default'")
    ap.add_argument("--peak-n", type=int, default=1024, help="matrix size of the sgemm peak probe")
    ap.add_argument("--no-peak", action="store_true", help="skip the sgemm peak probe (no efficiency figures)")
    ap.add_argument("--markdown", help="also write the report (Markdown) to this file")
    ap.add_argument("--json", help="write every figure to this JSON file")
    args = ap.parse_args(argv)
    try:
        args.threads = [int(t) for t in args.threads.split(",")]
    except ValueError:
        ap.error(f"--threads: '{args.threads}' is not a comma-separated list of numbers")
    if not args.threads or any(t < 1 for t in args.threads):
        ap.error("--threads: thread counts must be 1 or more")
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    for e in args.engines:
        name, _, level = e.partition(":")
        if name not in LABELS or (level and (name != "onyx" or level not in ONYX_LEVELS)):
            ap.error(f"--engines: unknown engine '{e}' (onyx[:disabled|basic|extended|all], ort, ov)")
    if len(set(args.engines)) != len(args.engines):
        ap.error("--engines: an engine is given twice")
    if args.rounds < 1 or args.runs < 1 or args.warmup < 0 or args.max_batch_seconds <= 0 or args.pause_ms < 0:
        ap.error("--rounds and --runs must be 1 or more, --warmup 0 or more, --max-batch-seconds above 0")
    if args.filter:
        try:
            re.compile(args.filter)
        except re.error as e:
            ap.error(f"--filter: {e}")
    if not os.path.isdir(args.models):
        ap.error(f"--models: '{args.models}' is not a folder")
    return args


def main(argv=None):
    args = parse_args(argv)
    meta = peers_report.machine_and_versions(args)
    todo = cases(args)
    if not todo:
        sys.exit(f"compare_peers: no case under {args.models} matches")
    print(f"compare_peers: {len(todo)} case(s), engines {', '.join(args.engines)}, threads {args.threads}, "
          f"{args.rounds} round(s) of up to {args.runs} runs", file=sys.stderr)
    meta["load_before"] = os.getloadavg()
    peak = gemm_peak(args)
    results = []
    for case in todo:
        print(f"  {case} ...", file=sys.stderr, flush=True)
        results.append(bench_case(case, args))
    meta["load_after"] = os.getloadavg()
    # The probe again at the end: on a busy machine the better of two is nearer what the core can do.
    again = gemm_peak(args)
    if peak and again and again["peak_gflops"] > peak["peak_gflops"]:
        peak = again
    report = peers_report.markdown(results, meta, peak, args)
    print(report, end="")
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(report)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "peak": peak, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()

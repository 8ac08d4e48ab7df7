#!/usr/bin/env python3
"""Soak and load checks of the `onyx` Python package on real models (`make soak`; not part of `make test`).

1. churn:    one session run over and over with the sequence length cycling 1..128 (paraphrase_minilm_l3);
             resident memory after the first cycle against the end (must not grow more than 5%), and every
             run's outputs against the first cycle's.
2. threads:  8 threads x 1,000 runs on one session, outputs bit-identical to the single-threaded ones, in both
             execution modes, on minilm, squeezenet and silero_vad (with its state inputs).
3. sessions: a session created, run once and destroyed 1,000 times; resident memory must not grow more than 5%.
4. cancel:   RunOptions.terminate set from another thread while a run is going on: how long the run takes to
             return, and whether a normal run afterwards matches.

Resident memory is read from /proc/self/statm. The checks print one line each and a Markdown table at the end;
the exit status is 1 when any check fails. tests/python/test_soak_short.py runs 2 and 4 shortened.
"""

import argparse
import gc
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np

import onyx

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO.parent / "shared" / "models"
PAGE = os.sysconf("SC_PAGE_SIZE")
GROWTH_LIMIT = 0.05


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def mib(n):
    return f"{n / 2**20:.1f} MiB"


# Feeds for each model: a list of distinct feed dicts, so threads run different inputs at once.
def minilm_feeds(seq_lens, seed=0, batch=1):
    rng = np.random.default_rng(seed)
    feeds = []
    for n in seq_lens:
        ids = rng.integers(1000, 30000, size=(batch, n), dtype=np.int64)
        ids[:, 0] = 101
        mask = np.ones((batch, n), np.int64)
        if n > 4:
            mask[:, n - n // 4:] = 0  # padded tail, as a tokenizer's batch would have
        feeds.append({"input_ids": ids, "attention_mask": mask})
    return feeds


def squeezenet_feeds(count, seed=0):
    rng = np.random.default_rng(seed)
    return [{"data_0": rng.standard_normal((1, 3, 224, 224)).astype(np.float32)} for _ in range(count)]


def silero_feeds(count, seed=0):
    rng = np.random.default_rng(seed)
    feeds = []
    for _ in range(count):
        feeds.append({
            "input": (rng.standard_normal((1, 512)) * 0.1).astype(np.float32),
            "sr": np.array(16000, np.int64),
            "h": (rng.standard_normal((2, 1, 64)) * 0.5).astype(np.float32),
            "c": (rng.standard_normal((2, 1, 64)) * 0.5).astype(np.float32),
        })
    return feeds


def model_path(name, models_dir=MODELS):
    return str(Path(models_dir) / name / "model.onnx")


THREAD_MODELS = {
    "paraphrase_minilm_l3": lambda: minilm_feeds([7, 16, 33, 64]),
    "squeezenet": lambda: squeezenet_feeds(4),
    "silero_vad": lambda: silero_feeds(4),
}


def make_session(path, mode="sequential", **config):
    so = onyx.SessionOptions()
    so.execution_mode = onyx.ExecutionMode.ORT_PARALLEL if mode == "parallel" else onyx.ExecutionMode.ORT_SEQUENTIAL
    for k, v in config.items():
        so.add_session_config_entry(k, str(v))
    return onyx.InferenceSession(path, so)


def same(outs, ref):
    return len(outs) == len(ref) and all(o.shape == r.shape and o.dtype == r.dtype and np.array_equal(o, r, equal_nan=True)
                                         for o, r in zip(outs, ref))


def check_churn(runs, models_dir=MODELS):
    """Check 1: shape churn on one session; memory after the first cycle against the end."""
    sess = make_session(model_path("paraphrase_minilm_l3", models_dir))
    seq_lens = list(range(1, 129))
    feeds = minilm_feeds(seq_lens)
    first = []
    mismatches = 0
    start_rss = None
    samples = []
    t0 = time.perf_counter()
    for i in range(runs):
        k = i % len(seq_lens)
        outs = sess.run(None, feeds[k])
        if i < len(seq_lens):
            first.append(outs)
        elif not same(outs, first[k]):
            mismatches += 1
        if i == len(seq_lens) - 1:
            gc.collect()
            start_rss = rss_bytes()
        if k == len(seq_lens) - 1 and i >= len(seq_lens):
            samples.append(rss_bytes())
    elapsed = time.perf_counter() - t0
    gc.collect()
    end_rss = rss_bytes()
    if start_rss is None:
        start_rss = end_rss
    growth = end_rss / start_rss - 1
    peak = max(samples + [end_rss])
    ok = growth <= GROWTH_LIMIT and mismatches == 0
    return dict(check="1 churn: minilm, seq 1..128 cycling", runs=runs, start=start_rss, end=end_rss, peak=peak,
                growth=growth, mismatches=mismatches, ok=ok, seconds=elapsed)


def run_threads(sess, feeds, threads, runs_per_thread, halfway=None):
    """Runs `feeds` round-robin from `threads` threads; returns (mismatches, runs, errors). With `halfway` (a
    dict), the resident memory when half the runs are done is stored under "rss"."""
    refs = [sess.run(None, f) for f in feeds]  # single-threaded reference
    mismatches = [0] * threads
    errors = []
    barrier = threading.Barrier(threads)
    done = [0]
    lock = threading.Lock()

    def worker(t):
        try:
            barrier.wait()
            for i in range(runs_per_thread):
                k = (t + i) % len(feeds)
                if not same(sess.run(None, feeds[k]), refs[k]):
                    mismatches[t] += 1
                if halfway is not None:
                    with lock:
                        done[0] += 1
                        if done[0] == threads * runs_per_thread // 2:
                            halfway["rss"] = rss_bytes()
        except Exception as e:  # noqa: BLE001  reported by the caller
            errors.append(repr(e))

    ts = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(mismatches), threads * runs_per_thread, errors


def check_threads(threads, runs_per_thread, models=None, models_dir=MODELS):
    """Check 2: one session shared by several threads, outputs identical to the single-threaded run."""
    results = []
    for name in models or THREAD_MODELS:
        feeds = THREAD_MODELS[name]()
        for mode in ("sequential", "parallel"):
            sess = make_session(model_path(name, models_dir), mode)
            gc.collect()
            before = rss_bytes()
            halfway = {}
            t0 = time.perf_counter()
            mismatches, runs, errors = run_threads(sess, feeds, threads, runs_per_thread, halfway)
            elapsed = time.perf_counter() - t0
            gc.collect()
            end_rss = rss_bytes()
            del sess
            # Memory rises while the threads' first runs fill their pools; from halfway on it must stay put.
            mid = halfway.get("rss", end_rss)
            growth = end_rss / mid - 1
            results.append(dict(check=f"2 threads: {name}, {mode}, {threads} threads (memory from halfway)", runs=runs,
                                before=before, start=mid, end=end_rss, growth=growth, mismatches=mismatches,
                                errors=errors, ok=mismatches == 0 and not errors and growth <= GROWTH_LIMIT,
                                seconds=elapsed))
    return results


def check_sessions(count, models_dir=MODELS):
    """Check 3: create, run once and destroy a session `count` times."""
    path = model_path("paraphrase_minilm_l3", models_dir)
    feed = minilm_feeds([16])[0]
    ref = None
    mismatches = 0
    warm = min(50, max(1, count // 10))
    start_rss = None
    t0 = time.perf_counter()
    for i in range(count):
        sess = make_session(path)
        outs = sess.run(None, feed)
        if ref is None:
            ref = outs
        elif not same(outs, ref):
            mismatches += 1
        del sess, outs
        if i == warm - 1:
            gc.collect()
            start_rss = rss_bytes()
    elapsed = time.perf_counter() - t0
    gc.collect()
    end_rss = rss_bytes()
    growth = end_rss / start_rss - 1
    return dict(check=f"3 sessions: minilm created, run, destroyed (memory from run {warm})", runs=count,
                start=start_rss, end=end_rss, growth=growth, mismatches=mismatches,
                ok=growth <= GROWTH_LIMIT and mismatches == 0, seconds=elapsed)


def check_cancel(tries, mode="sequential", models_dir=MODELS, batch=8, seq=128):
    """Check 4: a run cancelled from another thread; time from terminate to return, then a normal run."""
    sess = make_session(model_path("paraphrase_minilm_l3", models_dir), mode)
    feed = minilm_feeds([seq], batch=batch)[0]
    ref = sess.run(None, feed)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        sess.run(None, feed)
        times.append(time.perf_counter() - t0)
    run_time = statistics.median(times)
    latencies, not_cancelled, mismatches, errors = [], 0, 0, []
    for i in range(tries):
        ro = onyx.RunOptions()
        done = {}

        def target():
            try:
                sess.run(None, feed, ro)
                done["result"] = "finished"
            except Exception as e:  # noqa: BLE001  the expected way a cancelled run ends
                done["result"] = str(e)
            done["t"] = time.perf_counter()

        th = threading.Thread(target=target)
        th.start()
        time.sleep(run_time * (0.1 + 0.4 * (i % 4) / 3))  # somewhere in the first half of the run
        t_set = time.perf_counter()
        ro.terminate = True
        th.join()
        if done.get("result") == "finished":
            not_cancelled += 1  # the run ended before terminate was seen: not a latency sample
        else:
            latencies.append(done["t"] - t_set)
            if "terminat" not in done["result"].lower() and "cancel" not in done["result"].lower():
                errors.append(done["result"])
        if not same(sess.run(None, feed), ref):
            mismatches += 1
    lat = sorted(latencies) or [float("nan")]
    return dict(check=f"4 cancel: minilm batch {batch} x seq {seq}, {mode}", runs=tries, mismatches=mismatches,
                cancelled=len(latencies), not_cancelled=not_cancelled, run_ms=run_time * 1e3,
                latency_median_ms=statistics.median(lat) * 1e3, latency_max_ms=lat[-1] * 1e3, errors=errors,
                ok=mismatches == 0 and not errors and len(latencies) > 0)


def describe(r):
    parts = [r["check"], f"runs {r['runs']}"]
    if "before" in r:
        parts.append(f"memory before {mib(r['before'])}, halfway {mib(r['start'])}, end {mib(r['end'])}")
    elif "start" in r:
        parts.append(f"memory {mib(r['start'])} -> {mib(r['end'])}")
    if "growth" in r:
        parts.append(f"growth {r['growth'] * 100:+.1f}%")
    parts.append(f"mismatches {r['mismatches']}")
    if "latency_median_ms" in r:
        parts.append(f"run {r['run_ms']:.0f} ms, cancelled {r['cancelled']}/{r['runs']}, return after terminate "
                     f"median {r['latency_median_ms']:.1f} ms, max {r['latency_max_ms']:.1f} ms")
    if r.get("errors"):
        parts.append(f"errors {len(r['errors'])}: {r['errors'][0]}")
    if "seconds" in r:
        parts.append(f"{r['seconds']:.0f} s")
    parts.append("ok" if r["ok"] else "FAILED")
    return "; ".join(parts)


def markdown(results):
    lines = ["| check | runs | memory start / end | mismatches | cancel latency | result |", "|---|---|---|---|---|---|"]
    for r in results:
        mem = f"{mib(r['start'])} / {mib(r['end'])}" if "start" in r else "-"
        if "before" in r:
            mem = f"({mib(r['before'])} before) " + mem
        if "growth" in r:
            mem += f" ({r['growth'] * 100:+.1f}%)"
        lat = (f"median {r['latency_median_ms']:.1f} ms, max {r['latency_max_ms']:.1f} ms (run {r['run_ms']:.0f} ms)"
               if "latency_median_ms" in r else "-")
        lines.append(f"| {r['check']} | {r['runs']} | {mem} | {r['mismatches']} | {lat} | {'ok' if r['ok'] else 'FAILED'} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=10000, help="check 1: runs of the churn loop")
    ap.add_argument("--threads", type=int, default=8, help="check 2: threads")
    ap.add_argument("--thread-runs", type=int, default=1000, help="check 2: runs per thread")
    ap.add_argument("--sessions", type=int, default=1000, help="check 3: sessions created and destroyed")
    ap.add_argument("--cancels", type=int, default=20, help="check 4: cancelled runs per execution mode")
    ap.add_argument("--checks", default="1,2,3,4", help="which checks, comma-separated")
    ap.add_argument("--models", default=str(MODELS), help="the shared models folder")
    args = ap.parse_args()
    checks = set(args.checks.split(","))
    print(f"onyx {onyx.__version__}; {os.cpu_count()} CPUs; pid {os.getpid()}", flush=True)
    results = []

    def report(r):
        results.append(r)
        print(describe(r), flush=True)

    if "1" in checks:
        report(check_churn(args.runs, args.models))
    if "2" in checks:
        for r in check_threads(args.threads, args.thread_runs, models_dir=args.models):
            report(r)
    if "3" in checks:
        report(check_sessions(args.sessions, args.models))
    if "4" in checks:
        for mode in ("sequential", "parallel"):
            report(check_cancel(args.cancels, mode, args.models))
    print()
    print(markdown(results))
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

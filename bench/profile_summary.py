#!/usr/bin/env python3
"""Time by operator type from profiles: Onyx's Chrome traces (`onyx run --profile`, SessionOptions.enable_profiling)
and onnxruntime's (its enable_profiling traces have the same node events). Given several traces, prints them
side by side, so that an Onyx profile next to an onnxruntime one shows which operators take longer.

Times are per run (total over the trace's model_run events) and a node's own: a node that runs a subgraph (If,
Loop, Scan) does not also count the nodes of its subgraph, which have events of their own.

usage: bench/profile_summary.py TRACE.json [TRACE.json ...] [--top N] [--skip-runs K]
  --skip-runs K  leave out the first K runs of each trace (warm-up: first-run allocations, lazy packing)
"""
import argparse
import json
import os
import sys
from collections import defaultdict


def load_events(path):
    with open(path) as f:
        data = json.load(f)
    events = data["traceEvents"] if isinstance(data, dict) else data  # onnxruntime writes a bare array
    return [e for e in events if e.get("ph") == "X"]


def own_times(nodes):
    """Each node event's duration less those of the events nested directly inside it on the same thread."""
    order = sorted(range(len(nodes)), key=lambda i: (nodes[i].get("tid", 0), nodes[i]["ts"], -nodes[i]["dur"]))
    own = [float(n["dur"]) for n in nodes]
    stack = []
    for i in order:
        e = nodes[i]
        while stack:
            top = nodes[stack[-1]]
            if top.get("tid") == e.get("tid") and e["ts"] + e["dur"] <= top["ts"] + top["dur"] + 1e-3:
                break
            stack.pop()
        if stack:
            own[stack[-1]] -= e["dur"]
        stack.append(i)
    return own


def summarize(path, skip_runs=0):
    events = load_events(path)
    runs = sorted((e for e in events if e.get("cat") == "Session" and e.get("name") == "model_run"),
                  key=lambda e: e["ts"])
    kept = runs[skip_runs:]
    if not kept:
        raise ValueError(f"{path}: no model_run event{' after the skipped runs' if runs else ''}")
    windows = [(r["ts"], r["ts"] + r["dur"]) for r in kept]
    first_kept = kept[0]["ts"]
    nodes = [e for e in events if e.get("cat") == "Node" and str(e.get("name", "")).endswith("_kernel_time")
             and e["ts"] >= first_kept - 1e-3]
    own = own_times(nodes)
    by_op = defaultdict(lambda: [0, 0.0])  # count, µs
    by_node = defaultdict(lambda: ["", 0, 0.0])
    for e, t in zip(nodes, own):
        op = e.get("args", {}).get("op_name", "?")
        by_op[op][0] += 1
        by_op[op][1] += t
        n = by_node[e["name"][: -len("_kernel_time")]]
        n[0], n[1], n[2] = op, n[1] + 1, n[2] + t
    run_us = sum(b - a for a, b in windows)
    return {"path": path, "runs": len(kept), "run_us": run_us, "by_op": dict(by_op), "by_node": dict(by_node)}


def print_single(s, top):
    runs = s["runs"]
    total = sum(t for _, t in s["by_op"].values())
    print(f"{s['path']}: {runs} run(s), {s['run_us'] / runs / 1e3:.3f} ms per run, "
          f"{100 * total / s['run_us']:.1f}% of it in kernels")
    print(f"  {'op type':28} {'count/run':>9} {'ms/run':>10} {'% of run':>9} {'avg µs':>10}")
    for op, (count, us) in sorted(s["by_op"].items(), key=lambda kv: -kv[1][1]):
        print(f"  {op:28} {count / runs:9.1f} {us / runs / 1e3:10.3f} {100 * us / s['run_us']:8.1f}% {us / count:10.1f}")
    if top:
        print(f"  slowest nodes (own time per run):")
        for name, (op, count, us) in sorted(s["by_node"].items(), key=lambda kv: -kv[1][2])[:top]:
            print(f"  {name[:44]:44} {op[:20]:20} {us / runs / 1e3:10.3f} ms {100 * us / s['run_us']:6.1f}%")


def print_side_by_side(summaries):
    names = [os.path.basename(s["path"]) for s in summaries]
    ops = sorted({op for s in summaries for op in s["by_op"]},
                 key=lambda op: -max(s["by_op"].get(op, (0, 0))[1] / s["runs"] for s in summaries))
    print("ms per run by operator type (own time); columns:")
    for k, (name, s) in enumerate(zip(names, summaries)):
        print(f"  [{k}] {name}: {s['runs']} run(s), {s['run_us'] / s['runs'] / 1e3:.3f} ms per run")
    print(f"  {'op type':28}" + "".join(f" {f'[{k}] ms':>10} {'%':>6}" for k in range(len(summaries))))
    for op in ops:
        cells = ""
        for s in summaries:
            count, us = s["by_op"].get(op, (0, 0.0))
            cells += f" {us / s['runs'] / 1e3:10.3f} {100 * us / s['run_us']:5.1f}%" if count else f" {'—':>10} {'':6}"
        print(f"  {op[:28]:28}{cells}")
    print(f"  {'(whole run)':28}" + "".join(f" {s['run_us'] / s['runs'] / 1e3:10.3f} {'':6}" for s in summaries))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("traces", nargs="+")
    ap.add_argument("--top", type=int, default=10, help="slowest nodes to list for a single trace (default 10)")
    ap.add_argument("--skip-runs", type=int, default=0)
    args = ap.parse_args()
    if args.skip_runs < 0 or args.top < 0:
        ap.error("--skip-runs and --top must be 0 or more")
    try:
        summaries = [summarize(p, args.skip_runs) for p in args.traces]
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"profile_summary: {e}")
    if len(summaries) == 1:
        print_single(summaries[0], args.top)
    else:
        print_side_by_side(summaries)


if __name__ == "__main__":
    main()

"""The report of compare_peers.py: the machine and versions, the latency table with ratios, and the scaling and
efficiency table, in Markdown, with geometric means."""
import math
import os
import platform
import subprocess
import sys

# Intel family 6 models and AMD families, for the reader; the numbers are printed beside them in any case.
_MICROARCH = {("GenuineIntel", 6, 143): "Sapphire Rapids", ("GenuineIntel", 6, 207): "Emerald Rapids",
              ("GenuineIntel", 6, 173): "Granite Rapids", ("GenuineIntel", 6, 106): "Ice Lake-SP",
              ("GenuineIntel", 6, 85): "Skylake-SP/Cascade Lake"}
_AMD_FAMILIES = {23: "Zen 1/2", 25: "Zen 3/Zen 4", 26: "Zen 5"}
_FLAGS = ("avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "avx512_bf16", "avx512_fp16", "amx_tile",
          "amx_bf16", "amx_int8")


LABELS = {"onyx": "Onyx", "ort": "ORT", "ov": "OV"}


def engine_label(spec):
    """"onyx" -> "Onyx", "onyx:basic" -> "Onyx[basic]"."""
    name, _, level = spec.partition(":")
    return LABELS[name] + (f"[{level}]" if level else "")


def cpu_info():
    info = {"model_name": platform.processor() or "unknown"}
    try:
        with open("/proc/cpuinfo") as f:
            text = f.read()
    except OSError:
        return info
    first = text.split("\n\n")[0]
    fields = {}
    for line in first.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    info["model_name"] = fields.get("model name", info["model_name"])
    info["vendor"] = fields.get("vendor_id", "")
    for key in ("cpu family", "model", "stepping"):
        try:
            info[key.replace(" ", "_")] = int(fields.get(key, ""))
        except ValueError:
            pass
    flags = set(fields.get("flags", "").split())
    info["flags"] = [f for f in _FLAGS if f in flags]
    fam, model = info.get("cpu_family"), info.get("model")
    if info["vendor"] == "AuthenticAMD":
        info["microarchitecture"] = _AMD_FAMILIES.get(fam, "unknown")
    else:
        info["microarchitecture"] = _MICROARCH.get((info["vendor"], fam, model), "unknown")
    info["logical_cpus"] = os.cpu_count()
    try:
        info["usable_cpus"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    return info


def _version(module):
    try:
        mod = __import__(module)
        return getattr(mod, "__version__", "unknown")
    except ImportError:
        return None


def machine_and_versions(args):
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        rev = subprocess.run(["git", "-C", here, "describe", "--always", "--dirty"], capture_output=True, text=True,
                             timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        rev = ""
    onyx_path = None
    if any(e.startswith("onyx") for e in args.engines):
        import onyx

        onyx_path = os.path.dirname(onyx.__file__)
    return {
        "cpu": cpu_info(),
        "python": platform.python_version(),
        "versions": {m: _version(m) for m in ("numpy", "onnx", "onnxruntime", "openvino", "onyx")},
        "onyx_package": onyx_path,
        "onyx_commit": rev,
        "settings": {"threads": args.threads, "engines": args.engines, "rounds": args.rounds, "runs": args.runs,
                     "warmup": args.warmup, "max_batch_seconds": args.max_batch_seconds, "pause_ms": args.pause_ms,
                     "ov_precision": args.ov_precision},
        "command": " ".join([os.path.basename(sys.argv[0])] + sys.argv[1:]),
    }


def _geomean(values):
    values = [v for v in values if v is not None and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def _fmt_ms(v):
    if v is None:
        return "—"
    return f"{v:.3f}" if v < 1 else f"{v:.2f}" if v < 100 else f"{v:.1f}"


def _fmt_ratio(v):
    return "—" if v is None else f"{v:.2f}"


def _row(cells):
    return "| " + " | ".join(cells) + " |"


def markdown(results, meta, peak, args):
    engines, threads = args.engines, args.threads
    onyx = next((e for e in engines if e.startswith("onyx")), None)
    peers = [e for e in engines if not e.startswith("onyx")]
    ort = "ort" if "ort" in engines else None
    lines, notes = [], []
    problems = {}  # (case, engine, kind, message) -> thread counts, so one cause is one note
    cpu = meta["cpu"]
    v = meta["versions"]
    lines.append("### Machine and versions\n")
    lines.append(f"- CPU: {cpu.get('model_name')} — vendor {cpu.get('vendor', '?')}, family {cpu.get('cpu_family')}, "
                 f"model {cpu.get('model')}, stepping {cpu.get('stepping')} ({cpu.get('microarchitecture')}); "
                 f"{cpu.get('usable_cpus', cpu.get('logical_cpus'))} usable CPU(s)")
    lines.append(f"- flags: {' '.join(cpu.get('flags', [])) or 'none of interest'}")
    lines.append(f"- load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in meta['load_before'])}; "
                 f"after: {', '.join(f'{x:.2f}' for x in meta['load_after'])}")
    lines.append(f"- Python {meta['python']}; " + ", ".join(f"{k} {val}" for k, val in v.items() if val) +
                 (f"; Onyx commit {meta['onyx_commit']}" if meta.get("onyx_commit") else ""))
    s = meta["settings"]
    lines.append(f"- {s['rounds']} round(s) in rotation, batches of up to {s['runs']} runs (at most "
                 f"{s['max_batch_seconds']} s), {s['warmup']} warm-up runs; OpenVINO precision hint: {s['ov_precision']}")
    lines.append(f"- command: `{meta['command']}`")
    if peak:
        probes = ", ".join(f"{k} {p['best_gflops']:.1f}" for k, p in peak["probes"].items())
        lines.append(f"- single-core sgemm (n={peak['n']}, best of {peak['reps']}), GFLOP/s: {probes}; peak used "
                     f"below: {peak['peak_gflops']:.1f} ({peak['peak_from']})")

    def cell(res, engine, t):
        entry = res["configs"].get(f"{engine}@{t}")
        return None if not entry or "error" in entry else entry["median_ms"]

    lines.append("\n### Latency (median ms per run) and ratios (below 1: Onyx faster)\n")
    header = ["model", "GFLOP"] + [f"{engine_label(e)} {t}T" for t in threads for e in engines]
    if onyx and ort:
        header += [f"Onyx/ORT {t}T" for t in threads]
    if onyx and peers:
        header += [f"Onyx/best {t}T" for t in threads]
    lines.append(_row(header))
    lines.append(_row(["---"] + ["---:"] * (len(header) - 1)))
    columns = {h: [] for h in header[2:]}
    complete = []  # cases where every configuration ran: the latency geomeans are over these
    for res in results:
        row = [res["case"], "—" if res["gflop"] is None else
               ("≥" if res["gflop_lower_bound"] else "") + f"{res['gflop']:.3g}"]
        all_ran = True
        for t in threads:
            for e in engines:
                entry = res["configs"].get(f"{e}@{t}", {})
                ms = cell(res, e, t)
                all_ran &= ms is not None
                text = _fmt_ms(ms)
                if entry.get("error"):
                    problems.setdefault((res["case"], e, "skipped", entry["error"]), []).append(t)
                elif entry.get("mismatch"):
                    text += " †"
                    problems.setdefault((res["case"], e, "† outputs differ", entry["mismatch"]), []).append(t)
                row.append(text)
                columns[f"{engine_label(e)} {t}T"].append(ms)
        complete.append(all_ran)
        for t in (threads if onyx and ort else []):
            o, p = cell(res, onyx, t), cell(res, ort, t)
            ratio = o / p if o and p else None
            columns[f"Onyx/ORT {t}T"].append(ratio)
            row.append(_fmt_ratio(ratio))
        for t in (threads if onyx and peers else []):
            o = cell(res, onyx, t)
            best = min((x for x in (cell(res, p, t) for p in peers) if x), default=None)
            ratio = o / best if o and best else None
            columns[f"Onyx/best {t}T"].append(ratio)
            row.append(_fmt_ratio(ratio))
        lines.append(_row(row))
    for (case, e, kind, message), ts in problems.items():
        notes.append(f"{case}, {engine_label(e)} at {', '.join(f'{t}T' for t in ts)}: {kind}: {message}")
    n_complete = sum(complete)
    geo = [f"geomean ({n_complete} complete)", ""]
    for h in header[2:]:
        vals = columns[h]
        if "/" in h:
            g = _geomean(vals)
            geo.append(_fmt_ratio(g) + (f" ({sum(x is not None for x in vals)})" if g else ""))
        else:
            geo.append(_fmt_ms(_geomean([x for x, ok in zip(vals, complete) if ok])))
    lines.append(_row(geo))

    lines.append("\n### Scaling and efficiency\n")
    lines.append("Speed-up: time at the fewest threads over time at the most. Efficiency: GFLOP per run over the run "
                 "time, and in brackets its share of the single-core sgemm peak times the thread count.\n")
    lo, hi = min(threads), max(threads)
    header = ["model"]
    if hi > lo:
        header += [f"{engine_label(e)} {hi}T speed-up" for e in engines]
    header += [f"{engine_label(e)} {t}T GFLOP/s" for t in threads for e in engines]
    lines.append(_row(header))
    lines.append(_row(["---"] + ["---:"] * (len(header) - 1)))
    speedups = {e: [] for e in engines}
    shares = {(e, t): [] for t in threads for e in engines}
    for res in results:
        row = [res["case"]]
        if hi > lo:
            for e in engines:
                a, b = cell(res, e, lo), cell(res, e, hi)
                sp = a / b if a and b else None
                speedups[e].append(sp)
                row.append(_fmt_ratio(sp))
        for t in threads:
            for e in engines:
                ms = cell(res, e, t)
                if ms is None or not res["gflop"]:
                    row.append("—")
                    continue
                rate = res["gflop"] / (ms / 1e3)
                text = ("≥" if res["gflop_lower_bound"] else "") + f"{rate:.3g}"
                if peak:
                    share = rate / (peak["peak_gflops"] * t)
                    shares[(e, t)].append(share)
                    text += f" ({100 * share:.0f}%)"
                row.append(text)
        lines.append(_row(row))
    geo = ["geomean"]
    if hi > lo:
        geo += [_fmt_ratio(_geomean(speedups[e])) for e in engines]
    for t in threads:
        for e in engines:
            g = _geomean(shares[(e, t)])
            geo.append("—" if g is None else f"({100 * g:.1f}%)")
    lines.append(_row(geo))
    flops_notes = sorted({f"{r['case']}: GFLOP from {r['gflop_source']}" for r in results
                          if r["gflop_source"] != "inferred shapes"})
    if notes or flops_notes:
        lines.append("\nNotes:\n")
        lines += [f"- {n}" for n in notes + flops_notes]
    return "\n".join(lines) + "\n"

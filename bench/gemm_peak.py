#!/usr/bin/env python3
"""Single-core sgemm probe: what one core of this machine reaches on a large square fp32 matrix product, as the
denominator of the efficiency figures in compare_peers.py (achieved GFLOP/s over this peak).

Three measurements, each one thread: numpy's BLAS (OpenBLAS in numpy's wheels; threads fixed to one through the
environment before numpy loads, which is why this runs as a script of its own), and a one-node MatMul model
(the second operand a constant, so each engine packs it once) through onnxruntime and through Onyx. The peak is
the best of them: the engines' own GEMMs show how close each gets to what the core can do.

usage: bench/gemm_peak.py [--n 1024] [--reps 10] [--json]
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402


def timed(fn, reps):
    fn()  # warm-up: first-touch of outputs, packing, caches
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def summary(times, flops):
    times = sorted(times)
    return {"best_gflops": flops / times[0] / 1e9, "median_gflops": flops / times[len(times) // 2] / 1e9,
            "best_ms": times[0] * 1e3}


def matmul_model(n, b):
    from onnx import TensorProto, helper, numpy_helper

    graph = helper.make_graph([helper.make_node("MatMul", ["A", "B"], ["C"])], "sgemm",
                              [helper.make_tensor_value_info("A", TensorProto.FLOAT, [n, n])],
                              [helper.make_tensor_value_info("C", TensorProto.FLOAT, [n, n])],
                              [numpy_helper.from_array(b, "B")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model.SerializeToString()


def probe(n, reps):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    flops = 2.0 * n * n * n
    out = {"n": n, "reps": reps, "probes": {}}
    c = np.empty((n, n), np.float32)
    out["probes"]["numpy"] = summary(timed(lambda: np.matmul(a, b, out=c), reps), flops)
    try:
        np_config = np.show_config(mode="dicts")
        blas = np_config.get("Build Dependencies", {}).get("blas", {})
        out["numpy_blas"] = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # noqa: BLE001 - older numpy: the name is only informative
        out["numpy_blas"] = "unknown"
    model = matmul_model(n, b)
    engines = []
    try:
        import onnxruntime

        so = onnxruntime.SessionOptions()
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        engines.append(("onnxruntime", onnxruntime.InferenceSession(model, so, providers=["CPUExecutionProvider"])))
    except ImportError:
        pass
    try:
        import onyx

        so = onyx.SessionOptions()
        so.intra_op_num_threads = 1
        engines.append(("onyx", onyx.InferenceSession(model, so)))
    except ImportError:
        pass
    for name, sess in engines:
        out["probes"][name] = summary(timed(lambda: sess.run(None, {"A": a}), reps), flops)
    best = max(out["probes"].items(), key=lambda kv: kv[1]["best_gflops"])
    out["peak_gflops"] = best[1]["best_gflops"]
    out["peak_from"] = best[0]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1024, help="matrix size (default 1024: 2.1 GFLOP a product)")
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    if args.n < 16 or args.reps < 1:
        ap.error("--n must be at least 16 and --reps at least 1")
    result = probe(args.n, args.reps)
    if args.json:
        print(json.dumps(result))
        return
    print(f"single-thread sgemm, n={args.n}, best (median) of {args.reps}:")
    for name, r in result["probes"].items():
        print(f"  {name:12} {r['best_gflops']:7.1f} ({r['median_gflops']:.1f}) GFLOP/s")
    print(f"peak: {result['peak_gflops']:.1f} GFLOP/s ({result['peak_from']}); numpy's BLAS: {result['numpy_blas']}")


if __name__ == "__main__":
    main()

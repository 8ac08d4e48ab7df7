#!/usr/bin/env python3
"""Integer GEMM throughput next to the float one, Onyx and onnxruntime side by side, one thread.

For each size M x K x N three one-node models are timed, the second operand a constant (so each engine packs
it once): MatMul in fp32, MatMulInteger (uint8 A x int8 B -> int32) and QLinearMatMul (uint8 x int8 -> uint8,
requantized). Figures are GOPS = 2 M N K / best time (a multiply-add counts two), best and median of --reps
runs after one warm-up, both engines in this one process on the same inputs.

usage: bench/int8_gemm.py [--sizes 1x4096x4096,64x1024x1024,...] [--reps 20] [--threads 1]
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

DEFAULT_SIZES = "1x2048x2048,49x4608x512,196x1152x256,784x256x64,3136x576x64,1024x1024x1024"


def model(kind, m, k, n, rng):
    if kind == "fp32":
        b = rng.standard_normal((k, n), dtype=np.float32)
        node = helper.make_node("MatMul", ["A", "B"], ["C"])
        inits = [numpy_helper.from_array(b, "B")]
        a_type, c_type = TensorProto.FLOAT, TensorProto.FLOAT
    else:
        b = rng.integers(-128, 128, (k, n), dtype=np.int8)
        inits = [numpy_helper.from_array(b, "B")]
        a_type = TensorProto.UINT8
        if kind == "int8":
            inits += [numpy_helper.from_array(np.array(100, np.uint8), "za")]
            node = helper.make_node("MatMulInteger", ["A", "B", "za"], ["C"])
            c_type = TensorProto.INT32
        else:
            inits += [numpy_helper.from_array(np.array(0.02, np.float32), "sa"),
                      numpy_helper.from_array(np.array(100, np.uint8), "za"),
                      numpy_helper.from_array(np.array(0.01, np.float32), "sb"),
                      numpy_helper.from_array(np.array(0, np.int8), "zb"),
                      numpy_helper.from_array(np.array(0.5 * np.sqrt(k), np.float32), "sy"),
                      numpy_helper.from_array(np.array(128, np.uint8), "zy")]
            node = helper.make_node("QLinearMatMul", ["A", "sa", "za", "B", "sb", "zb", "sy", "zy"], ["C"])
            c_type = TensorProto.UINT8
    graph = helper.make_graph([node], kind, [helper.make_tensor_value_info("A", a_type, [m, k])],
                              [helper.make_tensor_value_info("C", c_type, [m, n])], inits)
    mdl = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    mdl.ir_version = 8
    return mdl.SerializeToString()


def timed(fn, reps):
    fn()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return sorted(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated MxKxN")
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    import onnxruntime

    try:
        import onyx
    except ImportError:
        ap.error("the onyx Python package is not installed (scripts/python_install)")
    for size in args.sizes.split(","):
        dims = size.split("x")
        if len(dims) != 3 or not all(d.isdigit() and int(d) > 0 for d in dims):
            ap.error(f"--sizes: {size!r} is not MxKxN with positive integers")
    if args.reps < 1 or args.threads < 1:
        ap.error("--reps and --threads must be at least 1")

    rng = np.random.default_rng(0)
    print(f"{'M x K x N':>18} {'kind':>6} {'onyx GOPS':>12} {'ort GOPS':>12} {'onyx/ort time':>14}")
    for size in args.sizes.split(","):
        m, k, n = (int(v) for v in size.split("x"))
        ops = 2.0 * m * n * k
        reps = max(3, min(args.reps, int(args.reps * 2e9 / ops) + 3))
        for kind in ("fp32", "int8", "qlinear"):
            mdl = model(kind, m, k, n, rng)
            feed = {"A": rng.standard_normal((m, k), dtype=np.float32) if kind == "fp32"
                    else rng.integers(0, 256, (m, k), dtype=np.uint8)}
            so = onnxruntime.SessionOptions()
            so.intra_op_num_threads = args.threads
            so.inter_op_num_threads = 1
            ort = onnxruntime.InferenceSession(mdl, so, providers=["CPUExecutionProvider"])
            oso = onyx.SessionOptions()
            oso.intra_op_num_threads = args.threads
            ony = onyx.InferenceSession(mdl, oso)
            r_onyx = ony.run(None, feed)[0]
            r_ort = ort.run(None, feed)[0]
            if kind == "int8" and not np.array_equal(r_onyx, r_ort):
                print(f"  {size} int8: outputs differ from onnxruntime")
            if kind == "qlinear" and np.max(np.abs(r_onyx.astype(int) - r_ort.astype(int))) > 1:
                print(f"  {size} qlinear: outputs differ from onnxruntime by more than 1")
            t_onyx = timed(lambda: ony.run(None, feed), reps)
            t_ort = timed(lambda: ort.run(None, feed), reps)
            print(f"{size:>18} {kind:>6} {ops / t_onyx[0] / 1e9:8.1f} ({ops / t_onyx[len(t_onyx) // 2] / 1e9:5.1f})"
                  f" {ops / t_ort[0] / 1e9:6.1f} ({ops / t_ort[len(t_ort) // 2] / 1e9:5.1f})"
                  f" {t_onyx[0] / t_ort[0]:10.2f}")


if __name__ == "__main__":
    main()

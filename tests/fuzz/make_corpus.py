#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target (tests/fuzz/*_target.cc) from the ONNX backend suite and the real
models in ../shared, into OUT/<target>/. The seeds are not committed: they are the test data's files (or made
from them), and libFuzzer adds what it finds to the same folders.

    tests/fuzz/make_corpus.py --shared ../shared --out build-asan/fuzz-corpus [--max-per-target N]

--max-per-target keeps every n-th seed so that a short smoke run gets through its corpus quickly.
"""
import argparse
import hashlib
import os
import random
import sys

MAX_MODEL_BYTES = 256 * 1024  # larger models slow every mutation down; the suite's models are far smaller


def suite_cases(shared, suites):
    for suite in suites:
        root = os.path.join(shared, "onnx-tests", suite)
        if not os.path.isdir(root):
            continue
        for name in sorted(os.listdir(root)):
            case = os.path.join(root, name)
            if os.path.isfile(os.path.join(case, "model.onnx")):
                yield name, case


def write(out_dir, data):
    os.makedirs(out_dir, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(out_dir, name), "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def model_seeds(shared):
    for _, case in suite_cases(shared, ["node", "simple", "pytorch-operator", "pytorch-converted", "light"]):
        data = read(os.path.join(case, "model.onnx"))
        if len(data) <= MAX_MODEL_BYTES:
            yield data
    models = os.path.join(shared, "models")
    if os.path.isdir(models):
        for name in sorted(os.listdir(models)):
            path = os.path.join(models, name, "model.onnx")
            if os.path.isfile(path) and os.path.getsize(path) <= MAX_MODEL_BYTES * 4:
                yield read(path)


def run_seeds(shared):
    # "<case>\n" + flags: the suite's inputs unchanged (the session variants taking turns), and one mutated.
    rng = random.Random(12)
    for i, (name, case) in enumerate(suite_cases(shared, ["node", "simple", "pytorch-operator"])):
        if not os.path.isdir(os.path.join(case, "test_data_set_0")):
            continue
        yield name.encode() + b"\n" + bytes([i % 4]) + bytes(8)
        yield name.encode() + b"\n" + bytes(rng.randrange(256) for _ in range(32))


def tensor_seeds(shared):
    kinds = {"tensor": 0, "sequence": 2, "optional": 3, "map": 4}
    for name, case in suite_cases(shared, ["node", "simple", "pytorch-operator"]):
        data_set = os.path.join(case, "test_data_set_0")
        if not os.path.isdir(data_set):
            continue
        kind = kinds["tensor"]
        if "sequence" in name:
            kind = kinds["sequence"]
        elif "optional" in name:
            kind = kinds["optional"]
        for f in sorted(os.listdir(data_set)):
            data = read(os.path.join(data_set, f))
            if len(data) <= 64 * 1024:
                yield bytes([kind]) + data
    yield from external_data_seeds()
    yield from npy_seeds()


def external_data_seeds():
    try:
        from onnx import TensorProto, helper  # noqa: F401
    except ImportError:
        return
    cases = [("weights.bin", 0, 64), ("weights.bin", 4000, 96), ("weights.bin", 16, -1), ("sub/more.bin", 4, 16),
             ("empty.bin", 0, 0), ("escape.bin", 0, 64), ("../weights.bin", 0, 4), ("/etc/hostname", 0, 4),
             ("weights.bin", 4096, 0), ("sub", 0, 4), ("weights.bin", 1 << 62, 16)]
    for location, offset, length in cases:
        t = TensorProto()
        t.name = "w"
        t.data_type = TensorProto.FLOAT
        n = max(length, 0) // 4 if length >= 0 else 1020
        t.dims.extend([n])
        t.data_location = TensorProto.EXTERNAL
        for k, v in (("location", location), ("offset", str(offset)), ("length", str(length))):
            if k == "length" and length < 0:
                continue
            e = t.external_data.add()
            e.key, e.value = k, v
        yield bytes([0]) + t.SerializeToString()


def npy_seeds():
    try:
        import io
        import numpy as np
    except ImportError:
        return
    arrays = [np.arange(6, dtype=np.float32).reshape(2, 3), np.zeros((0, 3), np.int64), np.array(3.5),
              np.array([True, False]), np.arange(4, dtype=np.uint16), np.ones((2, 2, 2), np.float16),
              np.array([1 + 2j], np.complex64)]
    for a in arrays:
        buf = io.BytesIO()
        np.save(buf, a)
        yield bytes([5]) + buf.getvalue()
    # Version 2 header (4-byte length).
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.arange(3, dtype=np.int32), version=(2, 0))
    yield bytes([5]) + buf.getvalue()


def capi_seeds(_shared):
    rng = random.Random(7)
    for n in range(64):
        yield bytes(rng.randrange(256) for _ in range(16 + 8 * n))
    # A tensor the test_add session accepts (float [3,4,5]), run: op 0 with rank 3, op 10.
    yield bytes([0, 0, 0, 1, 3, 3, 4, 5, 200, 120, 0, 10, 0, 2, 1, 0, 0, 1, 0, 1])


TARGETS = {"model": model_seeds, "run": run_seeds, "tensor": tensor_seeds, "capi": capi_seeds}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-per-target", type=int, default=0)
    ap.add_argument("--targets", default=",".join(TARGETS))
    args = ap.parse_args()
    for target in args.targets.split(","):
        seeds = list(TARGETS[target](args.shared))
        if args.max_per_target and len(seeds) > args.max_per_target:
            step = len(seeds) / args.max_per_target
            seeds = [seeds[int(i * step)] for i in range(args.max_per_target)]
        for s in seeds:
            write(os.path.join(args.out, target), s)
        print(f"{target}: {len(seeds)} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Runs real-model cases through an onnxruntime-compatible module and saves the outputs.

Written only against onnxruntime's Python API, so the same script runs with `onnxruntime` and with `onyx`:

    python3 dropin_run.py onnxruntime /work/shared/models out_ort.npz [case ...]
    python3 dropin_run.py onyx        /work/shared/models out_onyx.npz [case ...]

Each case is a folder with model.onnx and test_data_set_0/input_N.pb (one per graph input, in order).
"""

import importlib
import pathlib
import sys
import time

import numpy as np
import onnx
from onnx import numpy_helper


def read_tensor(path):
    t = onnx.TensorProto()
    t.ParseFromString(path.read_bytes())
    return numpy_helper.to_array(t)


def main(argv):
    module, root, out = argv[1], pathlib.Path(argv[2]), argv[3]
    ort = importlib.import_module(module)
    wanted = set(argv[4:])
    cases = sorted(p for p in root.iterdir() if (p / "model.onnx").is_file() and (not wanted or p.name in wanted))
    results = {}
    for case in cases:
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        start = time.perf_counter()
        sess = ort.InferenceSession(str(case / "model.onnx"), options, providers=["CPUExecutionProvider"])
        feeds = {arg.name: read_tensor(case / "test_data_set_0" / f"input_{i}.pb")
                 for i, arg in enumerate(sess.get_inputs())}
        outputs = sess.run(None, feeds)
        elapsed = time.perf_counter() - start
        for arg, value in zip(sess.get_outputs(), outputs):
            results[f"{case.name}/{arg.name}"] = np.asarray(value)
        print(f"{module}: {case.name}: {len(outputs)} outputs in {elapsed:.2f} s", flush=True)
    np.savez(out, **results)


if __name__ == "__main__":
    main(sys.argv)

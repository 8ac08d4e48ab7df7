"""A small program written for onnxruntime only (no mention of Onyx): test_as_onnxruntime.py runs it unchanged
on Onyx through onyx.install_as_onnxruntime / `python -m onyx.as_onnxruntime`, and on the real onnxruntime.

    python3 ort_app.py MODEL   # MODEL: x float[2,3] -> y = Relu(x), r = RandomNormal([4]) without a seed

Prints one JSON line: which engine ran (the onnxruntime module's file, build info), the outputs, and which
onnxruntime exception class a bad feed raised.
"""

import json
import sys

import numpy as np
import onnxruntime as ort
from onnxruntime.capi.onnxruntime_pybind11_state import Fail, InvalidArgument


def main(model_path):
    # What libraries do at start-up.
    ort.disable_telemetry_events()
    ort.set_default_logger_severity(3)
    ort.set_default_logger_verbosity(0)
    ort.set_seed(1234)
    wanted = ["CUDAExecutionProvider", "CPUExecutionProvider"]
    providers = [p for p in wanted if p in ort.get_available_providers()]

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(model_path, options, providers=providers)
    x = (np.arange(6, dtype=np.float32) - 2.5).reshape(2, 3)
    y, r = sess.run(None, {sess.get_inputs()[0].name: x})
    try:
        sess.run(None, {"x": np.zeros((2, 3), np.int64)})
        raised = None
    except (InvalidArgument, Fail) as e:
        raised = type(e).__name__
    print(json.dumps({
        "module_file": ort.__file__,
        "build_info": ort.get_build_info(),
        "device": ort.get_device(),
        "providers": sess.get_providers(),
        "collective": ort.has_collective_ops(),
        "x": x.tolist(),
        "y": y.tolist(),
        "r": r.tolist(),
        "raised": raised,
        "loaded_modules": sorted(name for name in sys.modules if name.split(".")[0] in ("onnxruntime", "onyx")),
        "module_files": sorted({getattr(m, "__file__", None) or "" for name, m in list(sys.modules.items())
                                if name.split(".")[0] in ("onnxruntime", "onyx")}),
    }))


if __name__ == "__main__":
    main(sys.argv[1])

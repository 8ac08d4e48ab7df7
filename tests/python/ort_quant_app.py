"""A program written for onnxruntime.quantization, untouched: test_quantization.py runs it on Onyx with
`python -m onyx.as_onnxruntime ort_quant_app.py MODEL OUT_DIR`, where `onnxruntime.quantization` is onyx.quantization.
It quantizes MODEL statically (QDQ, per channel) and dynamically and prints what it made as JSON."""

import json
import sys

import numpy as np
import onnxruntime
from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType,
                                      quantize_dynamic, quantize_static)


class Reader(CalibrationDataReader):
    def __init__(self, count):
        rng = np.random.default_rng(7)
        self.data = iter([{"x": rng.uniform(-1, 1, (2, 3, 8, 8)).astype(np.float32)} for _ in range(count)])

    def get_next(self):
        return next(self.data, None)


model, out = sys.argv[1], sys.argv[2]
quantize_static(model, f"{out}/static.onnx", Reader(8), quant_format=QuantFormat.QDQ, per_channel=True,
                activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                calibrate_method=CalibrationMethod.MinMax, nodes_to_exclude=["fc"])
quantize_static(model, f"{out}/qop.onnx", Reader(8), quant_format=QuantFormat.QOperator,
                calibrate_method=CalibrationMethod.Percentile, extra_options={"CalibPercentile": 99.99})
quantize_dynamic(model, f"{out}/dynamic.onnx", weight_type=QuantType.QInt8, op_types_to_quantize=["Gemm"])
print(json.dumps({"engine": onnxruntime.__name__, "quantization": quantize_static.__module__}))

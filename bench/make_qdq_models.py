#!/usr/bin/env python3
"""Quantizes real-model cases to int8 in QDQ format with onnxruntime.quantization, for the QDQ passes' end-to-end
checks and bench/compare_peers.py.

usage: bench/make_qdq_models.py OUT_DIR [--models ../shared/models] [--names squeezenet,resnet50] [--calib 4]

For each case: quant_pre_process (shape inference and onnxruntime's basic optimizations), then quantize_static in
QDQ format, per-channel int8 weights, uint8 activations, calibrated (MinMax) on a few random inputs around the
case's own input. OUT_DIR/<name>/ gets model.onnx and test_data_set_0 with the case's inputs and onnxruntime's
outputs of the quantized model (the reference the int8 comparison is made against), the case layout that
bench/compare_peers.py and bench/check_qdq_models.py read (bench/make_int8_models.py writes the QDQ, QOperator and
dynamic variants as single files and checks them). Write OUT_DIR outside the repository: the models are not
committed.
"""
import argparse
import os
import shutil
import sys
import tempfile

import numpy as np
import onnx
import onnx.version_converter
import onnxruntime as ort
from onnx import numpy_helper
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
from onnxruntime.quantization.shape_inference import quant_pre_process


class RandomReader(CalibrationDataReader):
    def __init__(self, name, base, count, seed=0):
        rng = np.random.default_rng(seed)
        # The case's own input plus noisy copies: ranges close to a real image's without shipping a data set.
        self.feeds = [{name: base}] + [{name: (base + rng.normal(0, 0.3, base.shape)).astype(base.dtype)}
                                       for _ in range(count - 1)]
        self.i = 0

    def get_next(self):
        if self.i >= len(self.feeds):
            return None
        self.i += 1
        return self.feeds[self.i - 1]


def quantize_case(src, dst, calib):
    model_path = os.path.join(src, "model.onnx")
    data_dir = os.path.join(src, "test_data_set_0")
    tensor = onnx.TensorProto()
    with open(os.path.join(data_dir, "input_0.pb"), "rb") as f:
        tensor.ParseFromString(f.read())
    base = numpy_helper.to_array(tensor)
    original = onnx.load(model_path, load_external_data=False)
    initializers = {t.name for t in original.graph.initializer}
    input_name = next(i.name for i in original.graph.input if i.name not in initializers)
    os.makedirs(dst, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        # Older exports list initializers as graph inputs (some of them, under IR 3) and import opsets below 13
        # (per-axis DequantizeLinear needs 13): made plain constants under IR 7, then converted.
        model = onnx.load(model_path)
        model.ir_version = max(model.ir_version, 7)
        inits = {t.name for t in model.graph.initializer}
        kept = [i for i in model.graph.input if i.name not in inits]
        del model.graph.input[:]
        model.graph.input.extend(kept)
        if model.opset_import[0].version < 13:
            model = onnx.version_converter.convert_version(model, 13)
        converted = os.path.join(tmp, "converted.onnx")
        onnx.save(model, converted)
        pre = os.path.join(tmp, "pre.onnx")
        quant_pre_process(converted, pre, skip_symbolic_shape=True)
        out_model = os.path.join(dst, "model.onnx")
        quantize_static(pre, out_model, RandomReader(input_name, base, calib), quant_format=QuantFormat.QDQ,
                        per_channel=True, weight_type=QuantType.QInt8, activation_type=QuantType.QUInt8)
    out_data = os.path.join(dst, "test_data_set_0")
    os.makedirs(out_data, exist_ok=True)
    shutil.copy(os.path.join(data_dir, "input_0.pb"), os.path.join(out_data, "input_0.pb"))
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(out_model, opts, providers=["CPUExecutionProvider"])
    outputs = sess.run(None, {input_name: base})
    for i, (info, value) in enumerate(zip(sess.get_outputs(), outputs)):
        with open(os.path.join(out_data, f"output_{i}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(value, info.name).SerializeToString())


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out_dir")
    p.add_argument("--models", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "models"))
    p.add_argument("--names", default="squeezenet,resnet50")
    p.add_argument("--calib", type=int, default=4)
    args = p.parse_args()
    out = os.path.abspath(args.out_dir)
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
    if out == repo or out.startswith(repo + os.sep):
        sys.exit("OUT_DIR must be outside the repository (the quantized models are not committed)")
    for name in args.names.split(","):
        print(f"quantizing {name} ...", flush=True)
        quantize_case(os.path.join(args.models, name), os.path.join(out, name), args.calib)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Makes the int8 benchmark cases (docs/PERFORMANCE.md, "int8") from the fp32 models of ../shared/models with
onnxruntime.quantization, the ways its users quantize, in the case layout that bench/compare_peers.py and
bench/check_qdq_models.py read: OUT_DIR/<case>/model.onnx and test_data_set_0/ (the fp32 case's inputs, and
onnxruntime's outputs of the quantized model, one thread, optimizations off: the reference the int8 rule of
issue 11 measures steps against).

usage: bench/make_int8_bench.py OUT_DIR [--models ../shared/models] [--cases squeezenet_qdq,...] [--calib 4]

Cases (all by default):
  <cnn>_qdq    quant_pre_process, then quantize_static in QDQ format: per-channel int8 weights, uint8 activations,
               MinMax calibration on the case's input and noisy copies of it (squeezenet, resnet50, inception_v1)
  <cnn>_qop    the same in the QOperator format (QLinearConv, QLinearConcat, QLinearGlobalAveragePool, QGemm, ...;
               squeezenet, resnet50)
  paraphrase_minilm_l3_dynamic   quantize_dynamic of the transformer as exported (MatMulInteger with
               DynamicQuantizeLinear, per-tensor int8 weights)
  tashkeel_rawi_v2_int8          the shipped int8 model (com.microsoft DynamicQuantizeLSTM), copied as it is
OUT_DIR must be outside the repository: the models are not committed.
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
from case_io import graph_input_names, load_pb
from onnx import numpy_helper
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_dynamic, quantize_static
from onnxruntime.quantization.shape_inference import quant_pre_process

ort.set_default_logger_severity(3)

# case name -> (fp32 case it comes from, how it is made)
CASES = {
    "inception_v1_qdq": ("inception_v1", "qdq"),
    "resnet50_qdq": ("resnet50", "qdq"),
    "squeezenet_qdq": ("squeezenet", "qdq"),
    "resnet50_qop": ("resnet50", "qop"),
    "squeezenet_qop": ("squeezenet", "qop"),
    "paraphrase_minilm_l3_dynamic": ("paraphrase_minilm_l3", "dynamic"),
    "tashkeel_rawi_v2_int8": ("tashkeel_rawi_v2_int8", "copy"),
}


class NoisyCopies(CalibrationDataReader):
    """The case's own input plus noisy copies: ranges close to a real input's without shipping a data set."""

    def __init__(self, name, base, count, seed=0):
        rng = np.random.default_rng(seed)
        self.feeds = [{name: base}] + [{name: (base + rng.normal(0, 0.3, base.shape)).astype(base.dtype)}
                                       for _ in range(count - 1)]

    def get_next(self):
        return self.feeds.pop(0) if self.feeds else None


def upgraded(model_path, tmp):
    """Older exports list initializers as graph inputs (IR 3) and import opsets below 13 (per-axis
    DequantizeLinear needs 13): made plain constants under IR 7, then converted. Returns the new file's path."""
    model = onnx.load(model_path)
    model.ir_version = max(model.ir_version, 7)
    inits = {t.name for t in model.graph.initializer}
    kept = [i for i in model.graph.input if i.name not in inits]
    del model.graph.input[:]
    model.graph.input.extend(kept)
    if model.opset_import[0].version < 13:
        model = onnx.version_converter.convert_version(model, 13)
    path = os.path.join(tmp, "converted.onnx")
    onnx.save(model, path)
    return path


def quantize(src_case, kind, out_model, calib):
    model_path = os.path.join(src_case, "model.onnx")
    if kind == "copy":
        shutil.copy(model_path, out_model)
        return
    if kind == "dynamic":
        quantize_dynamic(model_path, out_model, weight_type=QuantType.QInt8)
        return
    model = onnx.load(model_path, load_external_data=False)
    (input_name,) = graph_input_names(model)
    base = load_pb(os.path.join(src_case, "test_data_set_0", "input_0.pb"))
    with tempfile.TemporaryDirectory() as tmp:
        pre = os.path.join(tmp, "pre.onnx")
        quant_pre_process(upgraded(model_path, tmp), pre, skip_symbolic_shape=True)
        fmt = QuantFormat.QDQ if kind == "qdq" else QuantFormat.QOperator
        quantize_static(pre, out_model, NoisyCopies(input_name, base, calib), quant_format=fmt, per_channel=True,
                        weight_type=QuantType.QInt8, activation_type=QuantType.QUInt8)


def write_reference(src_case, out_case):
    """Copies the fp32 case's inputs and writes onnxruntime's outputs of the quantized model beside them."""
    src_data = os.path.join(src_case, "test_data_set_0")
    out_data = os.path.join(out_case, "test_data_set_0")
    os.makedirs(out_data, exist_ok=True)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess = ort.InferenceSession(os.path.join(out_case, "model.onnx"), opts, providers=["CPUExecutionProvider"])
    feeds = {}
    for i, info in enumerate(sess.get_inputs()):
        name = f"input_{i}.pb"
        shutil.copy(os.path.join(src_data, name), os.path.join(out_data, name))
        feeds[info.name] = load_pb(os.path.join(src_data, name))
    for i, (info, value) in enumerate(zip(sess.get_outputs(), sess.run(None, feeds))):
        with open(os.path.join(out_data, f"output_{i}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(value, info.name).SerializeToString())


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out_dir")
    p.add_argument("--models", default=os.path.join(here, "..", "..", "shared", "models"))
    p.add_argument("--cases", default=",".join(CASES), help="comma-separated case names (default: all)")
    p.add_argument("--calib", type=int, default=4, help="calibration inputs per static case")
    args = p.parse_args()
    out = os.path.abspath(args.out_dir)
    repo = os.path.abspath(os.path.join(here, ".."))
    if out == repo or out.startswith(repo + os.sep):
        sys.exit("OUT_DIR must be outside the repository (the quantized models are not committed)")
    for case in args.cases.split(","):
        if case not in CASES:
            sys.exit(f"unknown case '{case}'; the cases are: {', '.join(CASES)}")
        source, kind = CASES[case]
        src_case = os.path.join(args.models, source)
        if not os.path.isfile(os.path.join(src_case, "model.onnx")):
            sys.exit(f"{src_case}/model.onnx not found (--models names the folder of the fp32 cases)")
        out_case = os.path.join(out, case)
        os.makedirs(out_case, exist_ok=True)
        print(f"{case}: {kind} from {source} ...", flush=True)
        quantize(src_case, kind, os.path.join(out_case, "model.onnx"), args.calib)
        write_reference(src_case, out_case)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

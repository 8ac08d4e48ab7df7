"""quantize_static and quantize_dynamic with onnxruntime.quantization's signatures, run by Onyx's C++ quantizer
(include/onyx/quantization.hpp). The models they write are in the form onnxruntime writes (QDQ, or QOperator:
QLinearConv, QLinearMatMul and com.microsoft QGemm, QLinearAdd, ...; MatMulInteger for dynamic), and onnxruntime
runs them.

Accepted and ignored: use_external_data_format (large weights are written inline, up to protobuf's 2 GiB),
calibration_providers (calibration runs on Onyx's CPU provider), calibration_cache_path. extra_options honoured:
ActivationSymmetric, WeightSymmetric, CalibPercentile, CalibNumBins, CalibNumQuantizedBins, and Onyx's own
OnyxReport (return the per-tensor SQNR report) and OnyxKeepFloat (leave the K most sensitive nodes in float).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from onyx import _onyx
from onyx.quantization.calibrate import CalibrationDataReader, CalibrationMethod, _method_name
from onyx.quantization.quant_utils import QuantFormat, QuantType, _short_name


def _model_path(model_input, tmp: str) -> str:
    if isinstance(model_input, (str, Path)):
        return str(model_input)
    # An onnx.ModelProto: the C++ quantizer reads files.
    import onnx

    path = os.path.join(tmp, "model.onnx")
    onnx.save(model_input, path)
    return path


def _common(per_channel, reduce_range, weight_type, op_types_to_quantize, nodes_to_quantize, nodes_to_exclude,
            extra_options) -> dict:
    extra = dict(extra_options or {})
    options = {
        "per_channel": bool(per_channel),
        "reduce_range": bool(reduce_range),
        "weight_type": _short_name(weight_type),
        "op_types": list(op_types_to_quantize or []),
        "nodes_to_quantize": list(nodes_to_quantize or []),
        "nodes_to_exclude": list(nodes_to_exclude or []),
        "activation_symmetric": bool(extra.get("ActivationSymmetric", False)),
        "report": bool(extra.get("OnyxReport", False)),
        "keep_float": int(extra.get("OnyxKeepFloat", 0)),
    }
    if "WeightSymmetric" in extra:
        options["weight_symmetric"] = bool(extra["WeightSymmetric"])
    if "CalibPercentile" in extra:
        options["percentile"] = float(extra["CalibPercentile"])
    if "CalibNumBins" in extra:
        options["histogram_bins"] = int(extra["CalibNumBins"])
    if "CalibNumQuantizedBins" in extra:
        options["quantized_bins"] = int(extra["CalibNumQuantizedBins"])
    return options


def _run(model_input, model_output, options: dict, samples: list) -> dict:
    with tempfile.TemporaryDirectory(prefix="onyx-quant-") as tmp:
        return _onyx.quantize(_model_path(model_input, tmp), str(model_output), options, samples)


def quantize_static(
    model_input,
    model_output,
    calibration_data_reader: CalibrationDataReader | None = None,
    quant_format=QuantFormat.QDQ,
    op_types_to_quantize=None,
    per_channel=False,
    reduce_range=False,
    activation_type=QuantType.QInt8,
    weight_type=QuantType.QInt8,
    nodes_to_quantize=None,
    nodes_to_exclude=None,
    use_external_data_format=False,
    calibrate_method=CalibrationMethod.MinMax,
    calibration_providers=None,
    extra_options=None,
    calibration_cache_path=None,
):
    """Quantizes activations with ranges found on the reader's samples, weights to int8, and writes the model.
    Returns a dict (onnxruntime returns None): quantized_nodes, float_nodes_kept, notes, and report, a list of
    (tensor, reading node, SQNR dB) worst first when extra_options has OnyxReport or OnyxKeepFloat."""
    if calibration_data_reader is None:
        raise ValueError("quantize_static needs a calibration_data_reader")
    samples = []
    while True:
        feed = calibration_data_reader.get_next()
        if feed is None:
            break
        samples.append(dict(feed))
    if not samples:
        raise ValueError("the calibration_data_reader gave no samples")
    options = _common(per_channel, reduce_range, weight_type, op_types_to_quantize, nodes_to_quantize,
                      nodes_to_exclude, extra_options)
    if quant_format not in (QuantFormat.QDQ, QuantFormat.QOperator):
        raise ValueError(f"unknown quant_format {quant_format}")
    options.update(mode="static", format="qdq" if quant_format == QuantFormat.QDQ else "qoperator",
                   activation_type=_short_name(activation_type), method=_method_name(calibrate_method))
    return _run(model_input, model_output, options, samples)


def quantize_dynamic(
    model_input,
    model_output,
    op_types_to_quantize=None,
    per_channel=False,
    reduce_range=False,
    weight_type=QuantType.QInt8,
    nodes_to_quantize=None,
    nodes_to_exclude=None,
    use_external_data_format=False,
    extra_options=None,
):
    """Quantizes the weights of MatMul and Gemm (and Conv when listed in op_types_to_quantize) to int8;
    activations are quantized as the model runs (DynamicQuantizeLinear + MatMulInteger/ConvInteger)."""
    options = _common(per_channel, reduce_range, weight_type, op_types_to_quantize, nodes_to_quantize,
                      nodes_to_exclude, extra_options)
    options.update(mode="dynamic")
    return _run(model_input, model_output, options, [])


def quantize(model_input, model_output, quant_config):
    """onnxruntime's quantize(): a StaticQuantConfig-like object (with calibration_data_reader) or a
    DynamicQuantConfig-like one, read by attribute name."""
    c = quant_config
    common = dict(op_types_to_quantize=getattr(c, "op_types_to_quantize", None),
                  per_channel=getattr(c, "per_channel", False), reduce_range=getattr(c, "reduce_range", False),
                  weight_type=getattr(c, "weight_type", QuantType.QInt8),
                  nodes_to_quantize=getattr(c, "nodes_to_quantize", None),
                  nodes_to_exclude=getattr(c, "nodes_to_exclude", None),
                  extra_options=getattr(c, "extra_options", None))
    if getattr(c, "calibration_data_reader", None) is not None:
        return quantize_static(model_input, model_output, c.calibration_data_reader,
                               quant_format=getattr(c, "quant_format", QuantFormat.QDQ),
                               activation_type=getattr(c, "activation_type", QuantType.QInt8),
                               calibrate_method=getattr(c, "calibrate_method", CalibrationMethod.MinMax), **common)
    return quantize_dynamic(model_input, model_output, **common)

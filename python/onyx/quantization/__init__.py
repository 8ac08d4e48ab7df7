"""onnxruntime.quantization's API on Onyx: quantize_static, quantize_dynamic, CalibrationDataReader, QuantFormat,
QuantType, CalibrationMethod, quant_pre_process. A script written for onnxruntime.quantization runs unchanged with
`from onyx.quantization import ...`, or under `python -m onyx.as_onnxruntime`. docs/QUANTIZATION.md has the
details and the differences."""

from onyx.quantization.calibrate import CalibrationDataReader, CalibrationMethod  # noqa: F401
from onyx.quantization.quant_utils import QuantFormat, QuantizationMode, QuantType  # noqa: F401
from onyx.quantization.quantize import quantize, quantize_dynamic, quantize_static  # noqa: F401
from onyx.quantization.shape_inference import quant_pre_process  # noqa: F401

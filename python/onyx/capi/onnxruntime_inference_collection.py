"""onnxruntime.capi.onnxruntime_inference_collection: where onnxruntime defines its Python session classes."""

from onyx._session import InferenceSession  # noqa: F401
from onyx._values import IOBinding, OrtValue  # noqa: F401

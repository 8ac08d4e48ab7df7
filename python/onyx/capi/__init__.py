"""onnxruntime's `capi` package layout, so `from onyx.capi.onnxruntime_pybind11_state import Fail` works (and,
after onyx.install_as_onnxruntime(), `from onnxruntime.capi.onnxruntime_pybind11_state import Fail`)."""

from onyx.capi import _pybind_state, onnxruntime_inference_collection, onnxruntime_pybind11_state  # noqa: F401

"""onnxruntime's `capi` package layout, so `from onyx.capi.onnxruntime_pybind11_state import Fail` works."""

from onyx.capi import onnxruntime_pybind11_state  # noqa: F401

_pybind_state = onnxruntime_pybind11_state

"""OrtValue and IOBinding (host memory only), with onnxruntime's names and behaviour."""

from __future__ import annotations

import ctypes
from typing import Any, Dict, List, Optional

import numpy as np

from onyx import _onyx as _C


def _check_cpu(device_type: str) -> None:
    if str(device_type).lower() != "cpu":
        raise _C.InvalidArgument(
            f"[Onyx] : 2 : INVALID_ARGUMENT : device '{device_type}' is not available: Onyx's Python API holds "
            "values in host memory ('cpu') only")


def _elem_type(element_type: Any) -> int:
    """An ONNX element type number from a number, a numpy type or a numpy dtype."""
    if isinstance(element_type, (int, np.integer)) and not isinstance(element_type, bool):
        return int(element_type)
    code = _C.elem_type_of(np.dtype(element_type))
    if code == 0:
        raise _C.InvalidArgument(f"[Onyx] : 2 : INVALID_ARGUMENT : unsupported element type {element_type!r}")
    return code


class OrtValue:
    """A value held by Onyx: a tensor (sharing a numpy array's memory when made from one), a sequence, a map."""

    def __init__(self, ortvalue: "_C.Value", numpy_obj: Optional[np.ndarray] = None) -> None:
        self._ortvalue = ortvalue
        self._numpy_obj = numpy_obj  # keeps the memory a tensor wraps alive

    @staticmethod
    def ortvalue_from_numpy(numpy_obj, device_type: str = "cpu", device_id: int = 0, vendor_id: int = -1) -> "OrtValue":
        _check_cpu(device_type)
        return OrtValue(_C.Value.from_object(numpy_obj), numpy_obj)

    @staticmethod
    def ortvalue_from_numpy_with_onnx_type(data, onnx_element_type: int) -> "OrtValue":
        want = _C.dtype_of(int(onnx_element_type))
        arr = np.asarray(data)
        if arr.dtype.itemsize != want.itemsize:
            raise _C.InvalidArgument(
                f"[Onyx] : 2 : INVALID_ARGUMENT : dtype {arr.dtype} cannot hold element type {onnx_element_type}")
        arr = np.ascontiguousarray(arr).view(want)
        return OrtValue(_C.Value.from_object(arr), arr)

    @staticmethod
    def ortvalue_from_shape_and_type(shape, element_type=np.float32, device_type: str = "cpu", device_id: int = 0,
                                     vendor_id: int = -1) -> "OrtValue":
        _check_cpu(device_type)
        return OrtValue(_C.Value.from_shape_and_type([int(d) for d in shape], _elem_type(element_type)))

    def data_ptr(self) -> int:
        return self._ortvalue.data_ptr()

    def device_name(self) -> str:
        return "cpu"

    def shape(self) -> List[int]:
        return self._ortvalue.shape()

    def data_type(self) -> str:
        return self._ortvalue.data_type()

    def element_type(self) -> int:
        return self._ortvalue.element_type()

    def has_value(self) -> bool:
        return self._ortvalue.has_value()

    def is_tensor(self) -> bool:
        return self._ortvalue.is_tensor()

    def is_sparse_tensor(self) -> bool:
        return False

    def is_tensor_sequence(self) -> bool:
        return self._ortvalue.is_tensor_sequence()

    def tensor_size_in_bytes(self) -> int:
        return self._ortvalue.tensor_size_in_bytes()

    def numpy(self):
        """The value as numpy (a view of the tensor's memory when no one else holds it)."""
        return self._ortvalue.numpy()

    def update_inplace(self, np_arr) -> None:
        """Copies `np_arr` (same dtype and element count) into this tensor's memory."""
        src = np.ascontiguousarray(np_arr)
        if not self.is_tensor() or _C.elem_type_of(src.dtype) != self.element_type() or src.dtype == object:
            raise _C.InvalidArgument(
                f"[Onyx] : 2 : INVALID_ARGUMENT : update_inplace needs a {self.data_type()} array, got {src.dtype}")
        if src.nbytes != self.tensor_size_in_bytes():
            raise _C.InvalidArgument(
                f"[Onyx] : 2 : INVALID_ARGUMENT : update_inplace needs {self.tensor_size_in_bytes()} bytes, got "
                f"{src.nbytes}")
        ctypes.memmove(self.data_ptr(), src.ctypes.data, src.nbytes)


class IOBinding:
    """Binds inputs and outputs of a session ahead of a run (host memory only)."""

    def __init__(self, session) -> None:
        self._session = session
        self._inputs: Dict[str, Any] = {}
        self._outputs: Dict[str, Any] = {}  # name -> None, an OrtValue, or (elem_type, shape, pointer)
        self._results: List[OrtValue] = []

    def bind_cpu_input(self, name: str, arr_on_cpu) -> None:
        self._inputs[name] = OrtValue.ortvalue_from_numpy(np.asarray(arr_on_cpu))

    def bind_input(self, name: str, device_type: str, device_id: int, element_type, shape, buffer_ptr: int) -> None:
        _check_cpu(device_type)
        value = _C.Value.from_pointer([int(d) for d in shape], _elem_type(element_type), int(buffer_ptr))
        self._inputs[name] = OrtValue(value)

    def bind_ortvalue_input(self, name: str, ortvalue: OrtValue) -> None:
        self._inputs[name] = ortvalue

    def bind_output(self, name: str, device_type: str = "cpu", device_id: int = 0, element_type=None, shape=None,
                    buffer_ptr: Optional[int] = None) -> None:
        _check_cpu(device_type)
        if buffer_ptr is None:
            self._outputs[name] = None
        else:
            if element_type is None or shape is None:
                raise _C.InvalidArgument(
                    "[Onyx] : 2 : INVALID_ARGUMENT : bind_output with a buffer needs element_type and shape")
            value = _C.Value.from_pointer([int(d) for d in shape], _elem_type(element_type), int(buffer_ptr))
            self._outputs[name] = OrtValue(value)

    def bind_ortvalue_output(self, name: str, ortvalue: OrtValue) -> None:
        self._outputs[name] = ortvalue

    def clear_binding_inputs(self) -> None:
        self._inputs.clear()

    def clear_binding_outputs(self) -> None:
        self._outputs.clear()
        self._results = []

    def synchronize_inputs(self) -> None:
        pass

    def synchronize_outputs(self) -> None:
        pass

    def get_outputs(self) -> List[OrtValue]:
        return list(self._results)

    def get_outputs_as_ortvaluevector(self) -> List[OrtValue]:
        return list(self._results)

    def copy_outputs_to_cpu(self) -> list:
        return [v._ortvalue.copy_to_numpy() for v in self._results]

    def _run(self, run_options) -> None:
        names = list(self._outputs) or None
        values = self._session._sess.run_values(names, dict(self._inputs), run_options)
        results = []
        for name, value in zip(names or [o.name for o in self._session.get_outputs()], values):
            bound = self._outputs.get(name) if names else None
            if bound is None:
                results.append(OrtValue(value))
                continue
            # Onyx allocates its outputs: copy into the memory the caller bound.
            if (bound.data_type() != value.data_type() or list(bound.shape()) != list(value.shape())
                    or not value.is_tensor()):
                raise _C.InvalidArgument(
                    f"[Onyx] : 2 : INVALID_ARGUMENT : output '{name}' is {value.data_type()}{value.shape()} but the "
                    f"bound output is {bound.data_type()}{bound.shape()}")
            if value.data_type() == "tensor(string)":
                raise _C.InvalidArgument(
                    f"[Onyx] : 2 : INVALID_ARGUMENT : output '{name}': string outputs cannot be bound to memory")
            ctypes.memmove(bound.data_ptr(), value.data_ptr(), value.tensor_size_in_bytes())
            results.append(bound)
        self._results = results

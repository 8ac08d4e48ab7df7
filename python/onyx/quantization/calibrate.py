"""Calibration as onnxruntime.quantization.calibrate names it: the data reader interface and the methods."""

from __future__ import annotations

import abc
from enum import Enum


class CalibrationMethod(Enum):
    MinMax = 0
    Entropy = 1
    Percentile = 2
    Distribution = 3


class CalibrationDataReader(metaclass=abc.ABCMeta):
    """Gives calibration samples one at a time: get_next() returns {input name: array}, or None when done."""

    @classmethod
    def __subclasshook__(cls, subclass):
        return (hasattr(subclass, "get_next") and callable(subclass.get_next)) or NotImplemented

    @abc.abstractmethod
    def get_next(self) -> dict:
        """The next sample's input feed, or None."""
        raise NotImplementedError

    def __iter__(self):
        return self

    def __next__(self):
        result = self.get_next()
        if result is None:
            raise StopIteration
        return result

    def __len__(self):
        raise NotImplementedError

    def set_range(self, start_index: int, end_index: int):
        raise NotImplementedError


_METHOD_NAMES = {CalibrationMethod.MinMax: "minmax", CalibrationMethod.Entropy: "entropy",
                 CalibrationMethod.Percentile: "percentile"}


def _method_name(method) -> str:
    if method not in _METHOD_NAMES:
        raise ValueError(f"Onyx calibrates with MinMax, Entropy or Percentile, not {method}")
    return _METHOD_NAMES[method]

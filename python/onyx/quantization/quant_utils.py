"""onnxruntime.quantization's enums, with the same names and values. Onyx quantizes to 8-bit integers only: the
other QuantType members exist so scripts that name them import, and are refused when used."""

from __future__ import annotations

from enum import Enum


class QuantizationMode(Enum):
    IntegerOps = 0
    QLinearOps = 1


class QuantFormat(Enum):
    QOperator = 0
    QDQ = 1

    def __str__(self):
        return self.name

    @staticmethod
    def from_string(format):
        try:
            return QuantFormat[format]
        except KeyError:
            raise ValueError() from None


class QuantType(Enum):
    QInt8 = 0
    QUInt8 = 1
    QFLOAT8E4M3FN = 2
    QInt16 = 3
    QUInt16 = 4
    QInt4 = 5
    QUInt4 = 6

    def __str__(self):
        return self.name

    @staticmethod
    def from_string(t):
        try:
            return QuantType[t]
        except KeyError:
            raise ValueError() from None


def _short_name(qtype) -> str:
    """'s8' or 'u8' for the C++ quantizer; other types are refused with their name."""
    if isinstance(qtype, int) and not isinstance(qtype, bool):
        # onnx.TensorProto element types, which onnxruntime also accepts: INT8 = 3, UINT8 = 2.
        qtype = {3: QuantType.QInt8, 2: QuantType.QUInt8}.get(qtype, qtype)
    if qtype == QuantType.QInt8:
        return "s8"
    if qtype == QuantType.QUInt8:
        return "u8"
    raise ValueError(f"Onyx quantizes to QInt8 or QUInt8 only, not {qtype}")

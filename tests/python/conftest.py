"""Fixtures for the Python tests."""

import pytest

from onyx_test_helpers import unary_model


@pytest.fixture
def relu_bytes():
    return unary_model("Relu")


@pytest.fixture
def relu_path(tmp_path, relu_bytes):
    path = tmp_path / "relu.onnx"
    path.write_bytes(relu_bytes)
    return path

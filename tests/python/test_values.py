"""OrtValue, run_with_ort_values and IOBinding on the CPU."""

import numpy as np
import onnxruntime
import pytest
from onnx import TensorProto

import onyx as ort
from onyx_test_helpers import add_model, unary_model


def test_ortvalue_from_numpy_shares_memory():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    v = ort.OrtValue.ortvalue_from_numpy(x)
    assert v.data_ptr() == x.ctypes.data  # wrapped, not copied
    assert v.shape() == [2, 3]
    assert v.data_type() == "tensor(float)"
    assert v.element_type() == TensorProto.FLOAT
    assert v.device_name() == "cpu"
    assert v.is_tensor() and v.has_value() and not v.is_tensor_sequence() and not v.is_sparse_tensor()
    assert v.tensor_size_in_bytes() == 24
    np.testing.assert_array_equal(v.numpy(), x)
    theirs = onnxruntime.OrtValue.ortvalue_from_numpy(x)
    assert (v.shape(), v.data_type(), v.element_type(), v.device_name()) == \
        (theirs.shape(), theirs.data_type(), theirs.element_type(), theirs.device_name())


def test_ortvalue_from_shape_and_type_and_update_inplace():
    v = ort.OrtValue.ortvalue_from_shape_and_type([2, 2], np.int64)
    assert v.data_type() == "tensor(int64)" and v.shape() == [2, 2]
    v.update_inplace(np.array([[1, 2], [3, 4]], np.int64))
    np.testing.assert_array_equal(v.numpy(), [[1, 2], [3, 4]])
    v2 = ort.OrtValue.ortvalue_from_shape_and_type((3,), TensorProto.DOUBLE)
    assert v2.data_type() == "tensor(double)"
    with pytest.raises(ort.InvalidArgument):
        v.update_inplace(np.zeros(3, np.int64))
    with pytest.raises(ort.InvalidArgument):
        ort.OrtValue.ortvalue_from_numpy(np.zeros(2, np.float32), "cuda")


def test_run_with_ort_values():
    sess = ort.InferenceSession(add_model())
    a = ort.OrtValue.ortvalue_from_numpy(np.ones((2, 3), np.float32))
    b = ort.OrtValue.ortvalue_from_numpy(np.full((2, 3), 2.0, np.float32))
    out = sess.run_with_ort_values(None, {"a": a, "b": b})
    assert isinstance(out, list) and isinstance(out[0], ort.OrtValue)
    np.testing.assert_array_equal(out[0].numpy(), np.full((2, 3), 3.0))
    out = sess.run_with_ort_values(["c"], {"a": a, "b": b}, ort.RunOptions())
    assert out[0].shape() == [2, 3]
    # OrtValues mix with numpy arrays in run() too.
    np.testing.assert_array_equal(sess.run(None, {"a": a, "b": np.ones((2, 3), np.float32)})[0], 2.0)


def test_iobinding_basic():
    sess = ort.InferenceSession(add_model())
    binding = sess.io_binding()
    a = np.ones((2, 3), np.float32)
    binding.bind_cpu_input("a", a)
    binding.bind_cpu_input("b", a * 4)
    binding.bind_output("c")
    sess.run_with_iobinding(binding)
    (c,) = binding.copy_outputs_to_cpu()
    np.testing.assert_array_equal(c, np.full((2, 3), 5.0))
    outs = binding.get_outputs()
    assert isinstance(outs[0], ort.OrtValue)
    np.testing.assert_array_equal(outs[0].numpy(), c)
    binding.synchronize_inputs()
    binding.synchronize_outputs()
    binding.clear_binding_outputs()
    assert binding.get_outputs() == []
    binding.clear_binding_inputs()
    with pytest.raises(ort.InvalidArgument, match="missing input 'a'"):
        sess.run_with_iobinding(binding)


def test_iobinding_pointers_and_preallocated_outputs():
    sess = ort.InferenceSession(add_model())
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.ones((2, 3), np.float32)
    out = np.zeros((2, 3), np.float32)
    binding = sess.io_binding()
    binding.bind_input("a", "cpu", 0, np.float32, a.shape, a.ctypes.data)
    binding.bind_ortvalue_input("b", ort.OrtValue.ortvalue_from_numpy(b))
    binding.bind_output("c", "cpu", 0, np.float32, out.shape, out.ctypes.data)
    sess.run_with_iobinding(binding)
    np.testing.assert_array_equal(out, a + 1)  # written into the caller's buffer
    target = ort.OrtValue.ortvalue_from_shape_and_type([2, 3], np.float32)
    binding.bind_ortvalue_output("c", target)
    sess.run_with_iobinding(binding)
    np.testing.assert_array_equal(target.numpy(), a + 1)
    assert binding.get_outputs()[0] is target
    binding.bind_output("c", "cpu", 0, np.float32, (3, 2), out.ctypes.data)
    with pytest.raises(ort.InvalidArgument, match="bound output"):
        sess.run_with_iobinding(binding)
    with pytest.raises(ort.InvalidArgument, match="cpu"):
        binding.bind_output("c", "cuda")


def test_iobinding_matches_onnxruntime():
    model = unary_model("Relu", shape=(2, 2))
    x = np.array([[-1, 2], [3, -4]], np.float32)
    results = []
    for lib in (ort, onnxruntime):
        sess = lib.InferenceSession(model, providers=["CPUExecutionProvider"])
        binding = sess.io_binding()
        binding.bind_cpu_input("x", x)
        binding.bind_output("y")
        sess.run_with_iobinding(binding)
        results.append(binding.copy_outputs_to_cpu()[0])
    np.testing.assert_array_equal(results[0], results[1])


@pytest.mark.parametrize("dtype,elem", [
    (np.float32, TensorProto.FLOAT), (np.float64, TensorProto.DOUBLE), (np.float16, TensorProto.FLOAT16),
    (np.bool_, TensorProto.BOOL), (np.int8, TensorProto.INT8), (np.uint8, TensorProto.UINT8),
    (np.int16, TensorProto.INT16), (np.uint16, TensorProto.UINT16), (np.int32, TensorProto.INT32),
    (np.uint32, TensorProto.UINT32), (np.int64, TensorProto.INT64), (np.uint64, TensorProto.UINT64),
    (np.longlong, TensorProto.INT64), (np.ulonglong, TensorProto.UINT64),
])
def test_run_reads_every_plain_dtype_and_layout(dtype, elem):
    """Feeds take the buffer-protocol path when contiguous and native-endian, the dtype path otherwise (strided,
    byte-swapped): both give the same values."""
    sess = ort.InferenceSession(unary_model("Identity", elem, shape=None), providers=["CPUExecutionProvider"])
    base = (np.arange(24) % 7 > 2) if dtype is np.bool_ else (np.arange(24) % 100).astype(dtype)
    base = base.astype(dtype).reshape(4, 6)
    for x in (base, base[:, ::2], base.T, np.ascontiguousarray(base).astype(base.dtype.newbyteorder())):
        (y,) = sess.run(None, {"x": x})
        assert y.dtype == np.dtype(dtype).newbyteorder("=")
        np.testing.assert_array_equal(y, x)

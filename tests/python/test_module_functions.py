"""onnxruntime's module-level functions in onyx: every one onnxruntime has is there or is listed below with the
reason it is not; set_seed seeds the unseeded random operators; the others keep onnxruntime's signatures."""

import importlib.util
import inspect

import numpy as np
import pytest
from onnx import TensorProto, helper

import onyx as ort
from onyx_test_helpers import make_model

# onnxruntime module-level functions onyx does not offer, with the reason.
NOT_OFFERED = {
    "get_ep_devices": "returns onnxruntime's OrtEpDevice objects (plug-in provider API), which Onyx does not have",
    "create_and_register_allocator": "shared allocators of onnxruntime's environment; Onyx has none to register",
    "create_and_register_allocator_v2": "as create_and_register_allocator",
    "copy_tensors": "copies between onnxruntime device OrtValues; Onyx's values live on the CPU",
}

OFFERED = ["disable_telemetry_events", "enable_telemetry_events", "get_all_providers", "get_available_providers",
           "get_build_info", "get_device", "get_version_string", "has_collective_ops", "preload_dlls",
           "print_debug_info", "register_execution_provider_library", "set_default_logger_callback",
           "set_default_logger_severity", "set_default_logger_verbosity", "set_global_thread_pool_sizes",
           "set_seed", "unregister_execution_provider_library"]


def test_every_documented_function_is_there():
    for name in OFFERED:
        fn = getattr(ort, name)
        assert callable(fn), name
        assert fn.__doc__ and len(fn.__doc__) > 20, f"{name} says what it means for Onyx"


@pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None, reason="the real onnxruntime is not installed")
def test_covers_onnxruntimes_module_functions():
    import onnxruntime

    theirs = {name for name, obj in vars(onnxruntime).items()
              if not name.startswith("_") and callable(obj) and not inspect.isclass(obj) and name.islower()}
    missing = sorted(theirs - set(dir(ort)) - set(NOT_OFFERED))
    assert not missing, f"onnxruntime functions neither offered nor listed as not offered: {missing}"


def test_simple_answers():
    assert ort.disable_telemetry_events() is None
    assert ort.enable_telemetry_events() is None
    assert ort.preload_dlls() is None and ort.preload_dlls(cuda=False, cudnn=False, msvc=False, directory="") is None
    assert ort.has_collective_ops() is False
    assert ort.get_device() == "CPU"
    assert ort.get_version_string() == ort.__version__
    assert ort.get_build_info().startswith(f"Onyx {ort.__version__}")
    assert "CPUExecutionProvider" in ort.get_all_providers()


def test_print_debug_info(capsys):
    ort.print_debug_info()
    assert capsys.readouterr().out.startswith("Onyx ")


def test_logger_settings_are_checked():
    ort.set_default_logger_severity(3)
    ort.set_default_logger_verbosity(1)
    with pytest.raises(ValueError, match="log severity must be 0 to 4"):
        ort.set_default_logger_severity(5)
    with pytest.raises(ValueError, match="log verbosity must be at least 0"):
        ort.set_default_logger_verbosity(-1)
    with pytest.raises(TypeError):
        ort.set_default_logger_severity("3")
    with pytest.warns(RuntimeWarning, match="does not call Python logging callbacks"):
        ort.set_default_logger_callback(lambda *a: None, 2)
    ort.set_default_logger_severity(2)
    ort.set_default_logger_verbosity(0)


def test_plugin_providers_are_refused():
    with pytest.raises(ort.NotImplemented, match="plug-in providers"):
        ort.register_execution_provider_library("MyEP", "/nowhere/libmyep.so")
    with pytest.raises(ort.NotImplemented):
        ort.unregister_execution_provider_library("MyEP")


def test_global_thread_pool_sizes_apply_to_sessions_without_their_own():
    ort.set_global_thread_pool_sizes(intra_op_num_threads=2, inter_op_num_threads=2)
    try:
        so = ort.SessionOptions()
        assert so._to_native()["intra_threads"] == 0  # per-session threads (the default): unaffected
        so.use_per_session_threads = False
        native = so._to_native()
        assert native["intra_threads"] == 2 and native["config"]["session.inter_op_num_threads"] == "2"
        so.intra_op_num_threads = 1
        assert so._to_native()["intra_threads"] == 1  # the session's own setting wins
    finally:
        ort.set_global_thread_pool_sizes(0, 0)
    with pytest.raises(ValueError):
        ort.set_global_thread_pool_sizes(-1, 0)


def random_model(seed=None):
    attrs = {"shape": [8]}
    if seed is not None:
        attrs["seed"] = float(seed)
    return make_model(
        [helper.make_node("RandomNormal", [], ["a"], name="first", **attrs),
         helper.make_node("RandomNormal", [], ["b"], name="second", shape=[8])],
        [], [helper.make_tensor_value_info("a", TensorProto.FLOAT, [8]),
             helper.make_tensor_value_info("b", TensorProto.FLOAT, [8])])


def draw(model):
    return ort.InferenceSession(model).run(None, {})


def test_set_seed_makes_unseeded_random_operators_repeatable():
    model = random_model()
    ort.set_seed(7)
    a1, b1 = draw(model)
    a2, b2 = draw(model)  # a new session after the same seed: the same numbers
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(b1, b2)
    ort.set_seed(8)
    a3, _ = draw(model)
    assert not np.array_equal(a1, a3)
    # Two unseeded nodes do not repeat each other.
    assert not np.array_equal(a1, b1)


def test_set_seed_leaves_a_nodes_own_seed_alone():
    model = random_model(seed=3)
    ort.set_seed(1)
    a1, b1 = draw(model)
    ort.set_seed(2)
    a2, b2 = draw(model)
    np.testing.assert_array_equal(a1, a2)
    assert not np.array_equal(b1, b2)


def test_set_seed_checks_its_argument():
    with pytest.raises(TypeError):
        ort.set_seed(1.5)
    with pytest.raises(ValueError):
        ort.set_seed(2**64)


def dropout_model(seed=None):
    attrs = {} if seed is None else {"seed": seed}
    return make_model(
        [helper.make_node("Dropout", ["x", "ratio", "training"], ["y", "mask"], **attrs)],
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [256]),
         helper.make_tensor_value_info("ratio", TensorProto.FLOAT, []),
         helper.make_tensor_value_info("training", TensorProto.BOOL, [])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [256]),
         helper.make_tensor_value_info("mask", TensorProto.BOOL, [256])], opset=13)


def dropout_masks(model, runs):
    session = ort.InferenceSession(model)
    feeds = {"x": np.ones(256, np.float32), "ratio": np.array(0.5, np.float32), "training": np.array(True)}
    return [session.run(["mask"], feeds)[0] for _ in range(runs)]


@pytest.mark.parametrize("seed", [11, None])
def test_training_dropout_draws_a_new_mask_each_run_and_replays_from_its_seed(seed):
    if seed is None:
        ort.set_seed(5)  # an unseeded node follows the process-wide seed
    model = dropout_model(seed)
    first = dropout_masks(model, 2)
    assert not np.array_equal(first[0], first[1]), "each training run draws a new mask"
    again = dropout_masks(model, 1)  # a fresh session from the same seed: the same sequence
    np.testing.assert_array_equal(first[0], again[0])

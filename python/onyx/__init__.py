"""Onyx: an ONNX inference engine with onnxruntime's Python API.

    import onyx as ort
    sess = ort.InferenceSession("model.onnx")
    outputs = sess.run(None, {"x": x})

`onyx.backend` is an onnx.backend.base.Backend for the ONNX backend test harness.

A program or library written for onnxruntime can run on Onyx unchanged: `onyx.install_as_onnxruntime()`
before it imports onnxruntime, or `python -m onyx.as_onnxruntime program.py ARGS` (see onyx._alias).
"""

from onyx import _onyx
from onyx._onyx import (  # noqa: F401  exceptions with onnxruntime's class names
    EngineError,
    EPFail,
    Fail,
    InvalidArgument,
    InvalidGraph,
    InvalidProtobuf,
    ModelLoadCanceled,
    ModelLoaded,
    ModelRequiresCompilation,
    NoModel,
    NoSuchFile,
    NotFound,
    NotImplemented,
    OnyxError,
    RuntimeException,
)
from onyx._session import (  # noqa: F401
    ExecutionMode,
    ExecutionOrder,
    GraphOptimizationLevel,
    InferenceSession,
    ModelMetadata,
    NodeArg,
    RunOptions,
    SessionOptions,
)
from onyx._runtime import (  # noqa: F401  onnxruntime's module-level functions
    disable_telemetry_events,
    enable_telemetry_events,
    get_all_providers,
    get_available_providers,
    get_build_info,
    get_device,
    get_version_string,
    has_collective_ops,
    preload_dlls,
    print_debug_info,
    register_execution_provider_library,
    set_default_logger_callback,
    set_default_logger_severity,
    set_default_logger_verbosity,
    set_global_thread_pool_sizes,
    set_seed,
    unregister_execution_provider_library,
)
from onyx._values import IOBinding, OrtValue  # noqa: F401
from onyx import capi  # noqa: F401
from onyx._alias import install_as_onnxruntime, uninstall_as_onnxruntime  # noqa: F401

__version__ = _onyx.version
version = __version__

"""Onyx: an ONNX inference engine with onnxruntime's Python API.

    import onyx as ort
    sess = ort.InferenceSession("model.onnx")
    outputs = sess.run(None, {"x": x})

`onyx.backend` is an onnx.backend.base.Backend for the ONNX backend test harness.
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
    get_all_providers,
    get_available_providers,
    get_device,
    set_default_logger_severity,
)
from onyx._values import IOBinding, OrtValue  # noqa: F401
from onyx import capi  # noqa: F401

__version__ = _onyx.version
version = __version__


def get_version_string() -> str:
    return __version__


def get_build_info() -> str:
    return f"Onyx {__version__}"

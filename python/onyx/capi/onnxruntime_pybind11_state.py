"""The names onnxruntime exposes as onnxruntime.capi.onnxruntime_pybind11_state: exceptions and core classes."""

from onyx._onyx import (  # noqa: F401
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
    ModelMetadata,
    NodeArg,
    RunOptions,
    SessionOptions,
    get_all_providers,
    get_available_providers,
    get_device,
)
from onyx._session import InferenceSession  # noqa: F401
from onyx._values import OrtValue, IOBinding as SessionIOBinding  # noqa: F401

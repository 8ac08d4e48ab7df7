"""onnxruntime's module-level functions (onnxruntime.set_seed, onnxruntime.get_device, ...), with what each one
means for Onyx. Libraries call several of them at start-up, so each exists even where Onyx has nothing to do."""

from __future__ import annotations

import sys
import warnings
from typing import List, Optional, Tuple

from onyx import _onyx as _C

# Onyx's provider names and onnxruntime's spelling of them.
PROVIDER_NAMES = {"CPU": "CPUExecutionProvider", "CUDA": "CUDAExecutionProvider"}
ALL_PROVIDERS = ["CUDAExecutionProvider", "CPUExecutionProvider"]

_state = {
    "log_severity": 2,  # warning, as onnxruntime
    "log_verbosity": 0,
    "global_threads": (0, 0),  # intra, inter
}


def _check_int(name: str, value, low: int, high: Optional[int] = None) -> int:
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    value = int(value)
    if value < low or (high is not None and value > high):
        span = f"{low} to {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{name} must be {span}, got {value}")
    return value


def get_available_providers() -> List[str]:
    """The providers this build can run, in onnxruntime's spelling. Onyx's Python package runs on the CPU
    provider only, so this is ['CPUExecutionProvider']."""
    return ["CPUExecutionProvider"]


def get_all_providers() -> List[str]:
    """Every provider name Onyx knows (onnxruntime's spelling), available or not. Asking a session for one that
    is not available warns and falls back to the CPU, as onnxruntime does."""
    return list(ALL_PROVIDERS)


def get_device() -> str:
    """The device this build targets by default: 'CPU'."""
    return "CPU"


def get_version_string() -> str:
    """Onyx's version (not an onnxruntime version): the same as onyx.__version__."""
    return _C.version


def get_build_info() -> str:
    """One line about this build: Onyx's version and the providers it can run. onnxruntime's says
    'ORT Build Info: ...'; this one starts with 'Onyx', which tells which engine a program got."""
    return f"Onyx {_C.version}, providers: {', '.join(get_available_providers())}"


def has_collective_ops() -> bool:
    """False: Onyx has no collective (multi-device communication) operators."""
    return False


def set_default_logger_severity(level: int) -> None:
    """The log severity (0 verbose, 1 info, 2 warning, 3 error, 4 fatal) of sessions created afterwards whose
    SessionOptions leave log_severity_level at -1. Onyx logs to stderr."""
    _state["log_severity"] = _check_int("log severity", level, 0, 4)


def default_logger_severity() -> int:
    return _state["log_severity"]


def set_default_logger_verbosity(level: int) -> None:
    """Kept for compatibility: onnxruntime's verbosity selects which VLOG messages its debug builds print at
    severity 0. Onyx has no VLOG messages, so the value (an integer >= 0) is stored and has no effect."""
    _state["log_verbosity"] = _check_int("log verbosity", level, 0)


def set_default_logger_callback(callback, severity: int = 2) -> None:
    """Sets the default severity as set_default_logger_severity does. Onyx does not route its messages through
    Python: they still go to stderr, the callback is never called, and a RuntimeWarning says so."""
    if callback is not None and not callable(callback):
        raise TypeError("callback must be callable or None")
    set_default_logger_severity(severity)
    if callback is not None:
        warnings.warn("Onyx does not call Python logging callbacks; its messages go to stderr", RuntimeWarning,
                      stacklevel=2)


def disable_telemetry_events() -> None:
    """Does nothing: Onyx collects and sends no telemetry, so there is nothing to disable."""


def enable_telemetry_events() -> None:
    """Does nothing: Onyx has no telemetry to enable (onnxruntime sends events only on Windows builds)."""


def set_seed(seed: int) -> None:
    """Seeds the random operators (RandomNormal, RandomUniform, RandomNormalLike, RandomUniformLike, Bernoulli,
    Multinomial) of sessions created afterwards, where a node gives no `seed` attribute of its own: each such node
    then draws from a generator seeded by `seed` mixed with the node's name, so one model gives the same
    sequences in every session and process after set_seed(n), and two nodes of one model do not repeat each
    other. A node's own `seed` attribute still wins. Without set_seed such nodes are seeded from the system's
    entropy. Sessions created before the call keep their generators. (Training-mode Dropout without a seed
    is unaffected: it always starts from seed 0.)"""
    seed = _check_int("seed", seed, -(2**63), 2**63 - 1)
    _C.set_default_random_seed(seed)


def set_global_thread_pool_sizes(intra_op_num_threads: int = 0, inter_op_num_threads: int = 0) -> None:
    """onnxruntime's process-wide thread pools serve sessions whose SessionOptions.use_per_session_threads is
    False. Onyx has per-session pools only; these sizes become the thread counts of such sessions (where their
    options leave intra_op_num_threads / inter_op_num_threads at 0). 0 means the default."""
    _state["global_threads"] = (_check_int("intra_op_num_threads", intra_op_num_threads, 0),
                                _check_int("inter_op_num_threads", inter_op_num_threads, 0))


def global_thread_pool_sizes() -> Tuple[int, int]:
    return _state["global_threads"]


def preload_dlls(cuda: bool = True, cudnn: bool = True, msvc: bool = True, directory=None) -> None:
    """Does nothing: onnxruntime preloads CUDA, cuDNN and MSVC runtime libraries with it; Onyx's Python package
    runs on the CPU and loads no such libraries."""


def print_debug_info() -> None:
    """Prints what onnxruntime's version prints the equivalent of: the engine, its version and providers."""
    print(get_build_info())
    print(f"onyx package: {sys.modules['onyx'].__file__}")


def register_execution_provider_library(registration_name: str, path: str) -> None:
    """Refused: Onyx cannot load onnxruntime execution-provider plug-in libraries."""
    raise _C.NotImplemented(
        f"[Onyx] : 9 : NOT_IMPLEMENTED : cannot register execution provider library '{registration_name}' "
        f"({path}): Onyx does not load onnxruntime plug-in providers")


def unregister_execution_provider_library(registration_name: str) -> None:
    """Refused, as register_execution_provider_library: no plug-in provider can have been registered."""
    raise _C.NotImplemented(
        f"[Onyx] : 9 : NOT_IMPLEMENTED : no execution provider library '{registration_name}' is registered: "
        "Onyx does not load onnxruntime plug-in providers")

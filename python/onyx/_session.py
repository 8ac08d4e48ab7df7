"""InferenceSession, SessionOptions and their companions, with onnxruntime's names and behaviour."""

from __future__ import annotations

import enum
import os
import warnings
from typing import Any, Dict, List, Optional

from onyx import _onyx as _C
from onyx import _runtime
from onyx._runtime import ALL_PROVIDERS as _ALL_PROVIDERS
from onyx._runtime import PROVIDER_NAMES as _PROVIDER_NAMES
from onyx._runtime import (  # noqa: F401  (long importable from here)
    get_all_providers,
    get_available_providers,
    get_device,
    set_default_logger_severity,
)

RunOptions = _C.RunOptions


class GraphOptimizationLevel(enum.IntEnum):
    ORT_DISABLE_ALL = 0
    ORT_ENABLE_BASIC = 1
    ORT_ENABLE_EXTENDED = 2
    ORT_ENABLE_LAYOUT = 3
    ORT_ENABLE_ALL = 99


class ExecutionMode(enum.IntEnum):
    ORT_SEQUENTIAL = 0
    ORT_PARALLEL = 1


class ExecutionOrder(enum.IntEnum):
    DEFAULT = 0
    PRIORITY_BASED = 1
    MEMORY_EFFICIENT = 2


def _not_implemented(message: str) -> "_C.NotImplemented":
    return _C.NotImplemented(f"[Onyx] : 9 : NOT_IMPLEMENTED : {message}")


class SessionOptions:
    """Options for an InferenceSession. Attributes onnxruntime has but Onyx has no use for are kept and ignored."""

    def __init__(self) -> None:
        self.graph_optimization_level = GraphOptimizationLevel.ORT_ENABLE_ALL
        self.intra_op_num_threads = 0
        self.inter_op_num_threads = 0
        self.execution_mode = ExecutionMode.ORT_SEQUENTIAL
        self.execution_order = ExecutionOrder.DEFAULT
        self.optimized_model_filepath = ""
        self.log_severity_level = -1
        self.log_verbosity_level = 0
        self.logid = ""
        self.enable_profiling = False
        self.profile_file_prefix = "onnxruntime_profile_"
        self.enable_cpu_mem_arena = True
        self.enable_mem_pattern = True
        self.enable_mem_reuse = True
        self.use_deterministic_compute = False
        self.use_per_session_threads = True
        self._config: Dict[str, str] = {}

    def add_session_config_entry(self, key: str, value: str) -> None:
        self._config[str(key)] = str(value)

    def get_session_config_entry(self, key: str) -> str:
        if key not in self._config:
            raise _C.InvalidArgument(f"[Onyx] : 2 : INVALID_ARGUMENT : session config entry '{key}' is not set")
        return self._config[key]

    def register_custom_ops_library(self, library_path: str) -> None:
        raise _not_implemented(
            f"cannot load custom operator library '{library_path}': Onyx does not support custom operators yet")

    def add_initializer(self, name: str, value: Any) -> None:
        raise _not_implemented(f"cannot add initializer '{name}': SessionOptions.add_initializer is not supported yet")

    def add_free_dimension_override_by_name(self, dim_name: str, dim_value: int) -> None:
        raise _not_implemented(f"cannot override dim '{dim_name}': free dimension overrides are not supported yet")

    def add_free_dimension_override_by_denotation(self, dim_name: str, dim_value: int) -> None:
        raise _not_implemented(f"cannot override dim '{dim_name}': free dimension overrides are not supported yet")

    def _to_native(self) -> dict:
        level = int(self.log_severity_level)
        config = dict(self._config)
        intra, inter = int(self.intra_op_num_threads), int(self.inter_op_num_threads)
        if not self.use_per_session_threads:
            # onnxruntime runs such sessions on its global pools; Onyx gives them pools of the global sizes.
            global_intra, global_inter = _runtime.global_thread_pool_sizes()
            intra, inter = intra or global_intra, inter or global_inter
        if inter:
            config.setdefault("session.inter_op_num_threads", str(inter))
        return dict(
            log_level=_runtime.default_logger_severity() if level == -1 else level,
            intra_threads=intra,
            execution_mode=int(self.execution_mode),
            optimization_level=int(self.graph_optimization_level),
            config=config,
            optimized_model_path=os.fspath(self.optimized_model_filepath or ""),
            enable_profiling=bool(self.enable_profiling),
            profile_file_prefix=os.fspath(self.profile_file_prefix or "onnxruntime_profile_"),
            enable_cpu_mem_arena=bool(self.enable_cpu_mem_arena),
            enable_mem_pattern=bool(self.enable_mem_pattern),
        )


class NodeArg:
    """A graph input or output: name, type ('tensor(float)') and shape (ints, strings for named dims, None)."""

    def __init__(self, name: str, type: str, shape: list) -> None:  # noqa: A002 (onnxruntime's name)
        self.name = name
        self.type = type
        self.shape = shape

    def __str__(self) -> str:
        return f"NodeArg(name={self.name!r}, type={self.type!r}, shape={self.shape!r})"

    __repr__ = __str__


class ModelMetadata:
    def __init__(self, meta: dict) -> None:
        self.producer_name: str = meta["producer_name"]
        self.graph_name: str = meta["graph_name"]
        self.domain: str = meta["domain"]
        self.description: str = meta["description"]
        self.graph_description: str = meta["graph_description"]
        self.version: int = meta["version"]
        self.custom_metadata_map: Dict[str, str] = dict(meta["custom_metadata_map"])


def _normalize_providers(providers, provider_options):
    """Returns [(onnxruntime name, options dict)] for the providers Onyx can use, CPU last."""
    if providers is None:
        return [("CPUExecutionProvider", {})]
    if isinstance(providers, str):
        raise ValueError("providers must be a list of provider names or (name, options) tuples, not a string")
    if provider_options is not None and len(provider_options) != len(providers):
        raise ValueError("'providers' and 'provider_options' should be the same length if both are given.")
    chosen = []
    for i, entry in enumerate(providers):
        if isinstance(entry, tuple):
            if len(entry) != 2 or not isinstance(entry[0], str) or not isinstance(entry[1], dict):
                raise ValueError("a provider given as a tuple must be (name: str, options: dict)")
            if provider_options is not None:
                raise ValueError("give provider options either in 'providers' tuples or in 'provider_options', not both")
            name, options = entry
        elif isinstance(entry, str):
            name, options = entry, (provider_options[i] if provider_options is not None else {})
        else:
            raise ValueError(f"provider {entry!r} is neither a name nor a (name, options) tuple")
        if name not in get_available_providers():
            if name not in _ALL_PROVIDERS:
                raise ValueError(f"Unknown provider '{name}'. Onyx knows: {_ALL_PROVIDERS}")
            warnings.warn(
                f"Specified provider '{name}' is not in available provider names. "
                f"Available providers: '{', '.join(get_available_providers())}'",
                RuntimeWarning,
                stacklevel=3,
            )
            continue
        chosen.append((name, {str(k): str(v) for k, v in dict(options).items()}))
    if not any(name == "CPUExecutionProvider" for name, _ in chosen):
        chosen.append(("CPUExecutionProvider", {}))
    return chosen


class InferenceSession:
    """Runs an ONNX model: `InferenceSession(path_or_bytes, sess_options=None, providers=None, provider_options=None)`."""

    def __init__(self, path_or_bytes, sess_options: Optional[SessionOptions] = None, providers=None,
                 provider_options=None, **kwargs: Any) -> None:
        if isinstance(path_or_bytes, (str, os.PathLike)):
            self._model_path: Optional[str] = os.fspath(path_or_bytes)
            self._model_bytes: Optional[bytes] = None
        elif isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
            self._model_path = None
            self._model_bytes = bytes(path_or_bytes)
        else:
            raise TypeError(f"Unable to load from type '{type(path_or_bytes)}'")
        self._sess_options = sess_options if sess_options is not None else SessionOptions()
        self._sess_options_initial = self._sess_options
        # onnxruntime's keyword: optimizer passes to skip, by name.
        self._disabled_optimizers = list(kwargs.get("disabled_optimizers") or [])
        self._create(providers, provider_options)

    def _create(self, providers, provider_options) -> None:
        options = self._sess_options
        chosen = _normalize_providers(providers, provider_options)
        model = self._model_bytes if self._model_bytes is not None else self._model_path
        self._sess = _C.create_session(model, **options._to_native(),
                                       disabled_optimizers=[str(n) for n in self._disabled_optimizers])
        self._provider_options = {name: opts for name, opts in chosen}
        self._providers = [_PROVIDER_NAMES.get(p, p + "ExecutionProvider") for p in self._sess.providers()]
        self._inputs_meta = [NodeArg(*io) for io in self._sess.inputs()]
        # Checked on every run: a tuple made once, not a walk over NodeArgs per call.
        self._required_inputs = tuple(i.name for i in self._inputs_meta if not i.type.startswith("optional"))
        self._outputs_meta = [NodeArg(*io) for io in self._sess.outputs()]
        self._overridable_initializers = [NodeArg(*io) for io in self._sess.overridable_initializers()]
        self._model_meta = ModelMetadata(self._sess.metadata())

    # --- what the model is ---
    def get_inputs(self) -> List[NodeArg]:
        return list(self._inputs_meta)

    def get_outputs(self) -> List[NodeArg]:
        return list(self._outputs_meta)

    def get_overridable_initializers(self) -> List[NodeArg]:
        return list(self._overridable_initializers)

    def get_modelmeta(self) -> ModelMetadata:
        return self._model_meta

    def get_providers(self) -> List[str]:
        return list(self._providers)

    def get_provider_options(self) -> Dict[str, Dict[str, str]]:
        return {p: dict(self._provider_options.get(p, {})) for p in self._providers}

    def get_session_options(self) -> SessionOptions:
        return self._sess_options

    def set_providers(self, providers=None, provider_options=None) -> None:
        self._create(providers, provider_options)

    def disable_fallback(self) -> None:
        pass

    def enable_fallback(self) -> None:
        pass

    # --- running ---
    def _validate_input(self, feed_input_names) -> None:
        missing = [name for name in self._required_inputs if name not in feed_input_names]
        if missing:
            raise ValueError(f"Required inputs ({missing}) are missing from input feed ({list(feed_input_names)}).")

    def run(self, output_names, input_feed, run_options=None) -> list:
        """Runs the model: numpy arrays out (lists for sequences, None for an absent optional). output_names may
        also name intermediate values of the main graph, returned as computed at the session's optimization level
        (a value the optimizer fused away raises InvalidArgument saying so: use a lower graph_optimization_level)."""
        if not isinstance(input_feed, dict):
            input_feed = dict(input_feed)
        self._validate_input(input_feed.keys())  # a view: membership by hashing
        return self._sess.run(list(output_names) if output_names else None, input_feed, run_options)

    def run_with_ort_values(self, output_names, input_dict_ort_values, run_options=None) -> list:
        from onyx._values import OrtValue

        feed = dict(input_dict_ort_values)
        self._validate_input(list(feed.keys()))
        values = self._sess.run_values(list(output_names) if output_names else None, feed, run_options)
        return [OrtValue(v) for v in values]

    def io_binding(self):
        from onyx._values import IOBinding

        return IOBinding(self)

    def run_with_iobinding(self, iobinding, run_options=None) -> None:
        iobinding._run(run_options)

    # --- profiling ---
    def end_profiling(self) -> str:
        """Writes the Chrome trace (SessionOptions.enable_profiling) and returns its file name; "" when not profiling."""
        return self._sess.end_profiling()

    def get_profiling_start_time_ns(self) -> int:
        """When profiling started, in nanoseconds since the Unix epoch; 0 when not profiling."""
        return self._sess.profiling_start_time_ns()

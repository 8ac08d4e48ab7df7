"""`onyx.backend`: an onnx.backend.base.Backend, so the ONNX backend test harness runs on Onyx:

    import onnx.backend.test
    import onyx.backend
    backend_test = onnx.backend.test.BackendTest(onyx.backend, __name__)
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence, Tuple

import numpy as np
import onnx
from onnx import helper
from onnx.backend.base import Backend, BackendRep, namedtupledict

from onyx._session import InferenceSession, SessionOptions, get_available_providers

_DEVICES = {"CPU": "CPUExecutionProvider", "CUDA": "CUDAExecutionProvider"}


def _providers_for(device: str) -> list:
    kind = str(device).split(":")[0].upper()
    provider = _DEVICES.get(kind)
    if provider is None or provider not in get_available_providers():
        raise RuntimeError(f"Onyx cannot run on device '{device}'; available: {get_available_providers()}")
    return [provider]


class OnyxBackendRep(BackendRep):
    """A prepared model: run(inputs) takes a list (in graph-input order) or a dict, returns a namedtuple."""

    def __init__(self, session: InferenceSession) -> None:
        self._session = session
        self._input_names = [i.name for i in session.get_inputs()]
        self._output_names = [o.name for o in session.get_outputs()]

    def run(self, inputs: Any, **kwargs: Any) -> Tuple[Any, ...]:
        if isinstance(inputs, dict):
            feed = dict(inputs)
        elif isinstance(inputs, np.ndarray) and len(self._input_names) == 1:
            feed = {self._input_names[0]: inputs}
        else:
            inputs = list(inputs)
            if len(inputs) > len(self._input_names):
                raise ValueError(f"got {len(inputs)} inputs but the model takes {len(self._input_names)}")
            feed = dict(zip(self._input_names, inputs))
        outputs = self._session.run(None, feed)
        return namedtupledict("Outputs", self._output_names)(*outputs)


class OnyxBackend(Backend):
    @classmethod
    def is_compatible(cls, model: onnx.ModelProto, device: str = "CPU", **kwargs: Any) -> bool:
        return cls.supports_device(device)

    @classmethod
    def supports_device(cls, device: str) -> bool:
        kind = str(device).split(":")[0].upper()
        return _DEVICES.get(kind) in get_available_providers()

    @classmethod
    def prepare(cls, model: Any, device: str = "CPU", **kwargs: Any) -> OnyxBackendRep:
        """Builds a session from a ModelProto, serialized bytes or a path. kwargs set SessionOptions attributes."""
        options = SessionOptions()
        for key, value in kwargs.items():
            if hasattr(options, key):
                setattr(options, key, value)
        if isinstance(model, onnx.ModelProto):
            model = model.SerializeToString()
        return OnyxBackendRep(InferenceSession(model, options, providers=_providers_for(device)))

    @classmethod
    def run_model(cls, model: Any, inputs: Any, device: str = "CPU", **kwargs: Any) -> Tuple[Any, ...]:
        return cls.prepare(model, device, **kwargs).run(inputs)

    @classmethod
    def run_node(cls, node: onnx.NodeProto, inputs: Any, device: str = "CPU",
                 outputs_info: Optional[Sequence[Tuple[np.dtype, Tuple[int, ...]]]] = None,
                 **kwargs: Any) -> Tuple[Any, ...]:
        """Runs one node: a one-node model is built around it, its inputs typed from the given arrays."""
        super().run_node(node, inputs, device=device, outputs_info=outputs_info, **kwargs)
        if isinstance(inputs, dict):
            feed = dict(inputs)
        else:
            feed = {name: value for name, value in zip([n for n in node.input if n], inputs)}
        graph_inputs = [helper.make_tensor_value_info(name, helper.np_dtype_to_tensor_dtype(np.asarray(v).dtype),
                                                      np.asarray(v).shape) for name, v in feed.items()]
        graph_outputs = []
        for i, name in enumerate(n for n in node.output if n):
            if outputs_info is not None and i < len(outputs_info):
                dtype, shape = outputs_info[i]
                graph_outputs.append(
                    helper.make_tensor_value_info(name, helper.np_dtype_to_tensor_dtype(np.dtype(dtype)), shape))
            else:
                graph_outputs.append(helper.make_empty_tensor_value_info(name))
        opset = kwargs.pop("opset_version", None)
        opsets = [helper.make_opsetid(node.domain or "", opset)] if opset else None
        graph = helper.make_graph([node], "run_node", graph_inputs, graph_outputs)
        model = helper.make_model(graph, opset_imports=opsets) if opsets else helper.make_model(graph)
        session_kwargs = {k: v for k, v in kwargs.items() if hasattr(SessionOptions(), k)}
        return cls.prepare(model, device, **session_kwargs).run(feed)


prepare = OnyxBackend.prepare
run_model = OnyxBackend.run_model
run_node = OnyxBackend.run_node
supports_device = OnyxBackend.supports_device
is_compatible = OnyxBackend.is_compatible

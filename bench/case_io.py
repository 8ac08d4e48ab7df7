"""Reading a model case folder (model.onnx beside test_data_set_N/input_K.pb, as in ../shared/models and the ONNX
suites) for the bench scripts: one copy of how input files map to graph inputs. It imports onnx and numpy only,
never an engine, so a script that measures one engine alone in a process (bench/session_create.py) can use it.

Input K of a data set belongs to the K-th graph input that is not an initializer (older exports list their weights
as graph inputs too).
"""
import os

import onnx
from onnx import numpy_helper


def load_pb(path):
    """A TensorProto file as a numpy array."""
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def graph_input_names(model):
    """The model's graph inputs that are not initializers, in order (a ModelProto or a path)."""
    if isinstance(model, (str, os.PathLike)):
        model = onnx.load(model, load_external_data=False)
    inits = {i.name for i in model.graph.initializer}
    return [i.name for i in model.graph.input if i.name not in inits]


def input_paths(case, model_path=None, data_set=0):
    """[(input name, path of its input_K.pb)] of a case's data set; paths may not exist (see load_feeds)."""
    names = graph_input_names(model_path or os.path.join(case, "model.onnx"))
    data = os.path.join(case, f"test_data_set_{data_set}")
    return [(name, os.path.join(data, f"input_{k}.pb")) for k, name in enumerate(names)]


def load_feeds(case, model_path=None, data_set=0):
    """{input name: numpy array} of a case's data set; FileNotFoundError names a missing input file."""
    feeds = {}
    for name, path in input_paths(case, model_path, data_set):
        if not os.path.exists(path):
            raise FileNotFoundError(f"{path} (input '{name}') is missing")
        feeds[name] = load_pb(path)
    return feeds

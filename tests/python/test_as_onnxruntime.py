"""Running a program written for onnxruntime on Onyx unchanged: `python -m onyx.as_onnxruntime program.py` and
onyx.install_as_onnxruntime(). The program (ort_app.py) runs in a subprocess, where the real onnxruntime is
installed too: the tests check that it ran on Onyx (and loaded nothing of the real package), with the right
results, and that the same program on the real onnxruntime reports the real engine."""

import importlib.util
import json
import os
import pathlib
import subprocess
import sys

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

import onyx

APP = pathlib.Path(__file__).with_name("ort_app.py")
ONYX_DIR = os.path.dirname(onyx.__file__)


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"]),
         helper.make_node("RandomNormal", [], ["r"], shape=[4], name="noise")],
        "app", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3]),
         helper.make_tensor_value_info("r", TensorProto.FLOAT, [4])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    path = tmp_path_factory.mktemp("app") / "app.onnx"
    onnx.save(model, str(path))
    return path


def run(args, cwd=None):
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=300, cwd=cwd)
    assert proc.returncode == 0, f"{args} failed:\n{proc.stdout}\n{proc.stderr[-4000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def check_ran_on_onyx(report):
    assert report["build_info"].startswith("Onyx "), report["build_info"]
    assert os.path.dirname(report["module_file"]) == ONYX_DIR
    # Every onnxruntime.* module the program touched is one of Onyx's files: nothing of the real package loaded.
    assert all(f.startswith(ONYX_DIR) for f in report["module_files"] if f), report["module_files"]
    assert "onnxruntime.capi.onnxruntime_pybind11_state" in report["loaded_modules"]
    assert report["providers"] == ["CPUExecutionProvider"]
    assert report["device"] == "CPU" and report["collective"] is False
    x = np.array(report["x"], np.float32)
    np.testing.assert_array_equal(np.array(report["y"], np.float32), np.maximum(x, 0))
    assert report["raised"] == "InvalidArgument"
    assert len(report["r"]) == 4 and len(set(report["r"])) == 4


def test_module_runner_runs_an_onnxruntime_program_on_onyx(model_path, tmp_path):
    # From another folder, so that only the installed package can be found.
    report = run(["-m", "onyx.as_onnxruntime", str(APP), str(model_path)], cwd=tmp_path)
    check_ran_on_onyx(report)


def test_install_as_onnxruntime_then_import(model_path, tmp_path):
    code = ("import sys, runpy, onyx; onyx.install_as_onnxruntime(); "
            f"sys.argv = [{str(APP)!r}, {str(model_path)!r}]; runpy.run_path({str(APP)!r}, run_name='__main__')")
    report = run(["-c", code], cwd=tmp_path)
    check_ran_on_onyx(report)
    # set_seed(1234) in the program: the unseeded RandomNormal draws the same numbers in every process.
    again = run(["-m", "onyx.as_onnxruntime", str(APP), str(model_path)], cwd=tmp_path)
    assert again["r"] == report["r"]


@pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None, reason="the real onnxruntime is not installed")
def test_same_program_on_the_real_onnxruntime(model_path, tmp_path):
    # The program is a genuine onnxruntime program, and the checks above tell the engines apart.
    report = run([str(APP), str(model_path)], cwd=tmp_path)
    assert not report["build_info"].startswith("Onyx")
    assert not os.path.dirname(report["module_file"]).startswith(ONYX_DIR)
    onyx_report = run(["-m", "onyx.as_onnxruntime", str(APP), str(model_path)], cwd=tmp_path)
    np.testing.assert_array_equal(np.array(report["y"], np.float32), np.array(onyx_report["y"], np.float32))
    assert report["raised"] == onyx_report["raised"]


def run_code(code, tmp_path):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)


def test_alias_is_one_module_object(tmp_path):
    proc = run_code(
        "import onyx; onyx.install_as_onnxruntime()\n"
        "import onnxruntime, onnxruntime.capi._pybind_state as ps, onnxruntime.backend\n"
        "from onnxruntime.capi.onnxruntime_inference_collection import InferenceSession\n"
        "assert onnxruntime is onyx and onnxruntime.backend is onyx.backend\n"
        "assert InferenceSession is onyx.InferenceSession and ps.InvalidArgument is onyx.InvalidArgument\n"
        "onyx.install_as_onnxruntime()  # again: harmless\n"
        "print('ok')", tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_missing_onnxruntime_submodules_are_named(tmp_path):
    proc = run_code("import onyx; onyx.install_as_onnxruntime()\nimport onnxruntime.transformers", tmp_path)
    assert proc.returncode != 0
    assert "No module named 'onnxruntime.transformers': onnxruntime is Onyx here" in proc.stderr


@pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None, reason="the real onnxruntime is not installed")
def test_refuses_when_the_real_onnxruntime_is_already_imported(tmp_path):
    proc = run_code("import onnxruntime, onyx; onyx.install_as_onnxruntime()", tmp_path)
    assert proc.returncode != 0
    assert "RuntimeError: onnxruntime is already imported" in proc.stderr


def test_runner_usage(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "onyx.as_onnxruntime"], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert proc.returncode == 2 and "usage: python -m onyx.as_onnxruntime" in proc.stderr


@pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None, reason="the real onnxruntime is not installed")
def test_uninstall_gives_later_imports_the_real_package(tmp_path):
    proc = run_code(
        "import onyx; onyx.install_as_onnxruntime(); onyx.uninstall_as_onnxruntime()\n"
        "import onnxruntime\n"
        "print(onnxruntime is onyx, onnxruntime.get_build_info().startswith('Onyx'))", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False False"

"""The drop-in test: one script written against onnxruntime's API runs every shared/models case with
onnxruntime and with onyx; the outputs agree within rtol 1e-3, atol 1e-4."""

import pathlib
import subprocess
import sys

import numpy as np
import pytest

from onyx_test_helpers import SHARED, model_cases

SCRIPT = pathlib.Path(__file__).with_name("dropin_run.py")


def run_script(module, case, out):
    proc = subprocess.run([sys.executable, str(SCRIPT), module, str(SHARED / "models"), str(out), case],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"{module} failed on {case}:\n{proc.stdout}\n{proc.stderr[-4000:]}"
    return dict(np.load(out, allow_pickle=True))


@pytest.mark.skipif(not model_cases(), reason="shared/models is not present")
@pytest.mark.parametrize("case", model_cases() or ["none"])
def test_dropin_matches_onnxruntime(case, tmp_path):
    theirs = run_script("onnxruntime", case, tmp_path / "ort.npz")
    mine = run_script("onyx", case, tmp_path / "onyx.npz")
    assert sorted(mine) == sorted(theirs)
    for key in theirs:
        assert mine[key].dtype == theirs[key].dtype, key
        assert mine[key].shape == theirs[key].shape, key
        np.testing.assert_allclose(mine[key], theirs[key], rtol=1e-3, atol=1e-4, err_msg=key)

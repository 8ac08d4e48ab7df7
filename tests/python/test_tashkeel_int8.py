"""The shipped int8 BiLSTM (shared/models/tashkeel_rawi_v2_int8, com.microsoft DynamicQuantizeLSTM) against
onnxruntime on this machine, by the rule for quantized models rather than float tolerances: the strict real-model
run leaves it out (tests/conformance/known_failures_models.txt says why). A dynamically quantized recurrence
amplifies a one-step rounding difference: onnxruntime on this machine itself differs from the reference outputs
(made on another processor) by 0.07 on set 1. What must hold is the prediction (the diacritic chosen at every
position) and logits no further from onnxruntime than onnxruntime is from its own reference elsewhere."""

import numpy as np
import pytest

import onyx
from onyx_test_helpers import SHARED, load_case_inputs

ort = pytest.importorskip("onnxruntime")
CASE = SHARED / "models" / "tashkeel_rawi_v2_int8"


def data_sets():
    if not CASE.exists():
        return []
    return sorted(p for p in CASE.iterdir() if p.name.startswith("test_data_set_"))


@pytest.mark.skipif(not CASE.exists(), reason="shared/models/tashkeel_rawi_v2_int8 is not present")
@pytest.mark.parametrize("data_set", data_sets(), ids=lambda p: p.name)
def test_predictions_match_onnxruntime(data_set):
    feeds = load_case_inputs(CASE, data_set.name)
    want = ort.InferenceSession(str(CASE / "model.onnx"), providers=["CPUExecutionProvider"]).run(None, feeds)
    got = onyx.InferenceSession(str(CASE / "model.onnx")).run(None, feeds)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.shape == w.shape and g.dtype == w.dtype
        np.testing.assert_array_equal(g.argmax(axis=-1), w.argmax(axis=-1))
        assert float(np.abs(g - w).max()) <= 0.1

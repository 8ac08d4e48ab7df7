"""SessionOptions.enable_mem_pattern and enable_cpu_mem_arena (onnxruntime's names): a session that plans its
memory gives, run after run and as shapes change and come back, exactly the outputs of one that plans nothing."""

import numpy as np
import pytest

import onyx
from onyx_test_helpers import SHARED, load_case_inputs

MINILM = SHARED / "models" / "paraphrase_minilm_l3"
SILERO = SHARED / "models" / "silero_vad"


def session(path, arena, pattern, threads=1):
    so = onyx.SessionOptions()
    so.enable_cpu_mem_arena = arena
    so.enable_mem_pattern = pattern
    so.intra_op_num_threads = threads
    return onyx.InferenceSession(str(path / "model.onnx"), so)


@pytest.mark.skipif(not MINILM.exists(), reason="shared/models/paraphrase_minilm_l3 is not present")
@pytest.mark.parametrize("threads", [1, 2])
def test_changing_sequence_lengths_give_identical_outputs(threads):
    planned = session(MINILM, True, True, threads)
    plain = session(MINILM, False, False, threads)
    rng = np.random.default_rng(0)
    # Each length twice or more in a row (a plan is made), then a change (the plan is left), then a return.
    for length in [8, 8, 8, 16, 16, 16, 8, 8, 5, 16, 16]:
        feeds = {
            "input_ids": rng.integers(0, 1000, size=(2, length), dtype=np.int64),
            "attention_mask": np.ones((2, length), dtype=np.int64),
        }
        got = planned.run(None, feeds)
        want = plain.run(None, feeds)
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g, w)


@pytest.mark.skipif(not SILERO.exists(), reason="shared/models/silero_vad is not present")
def test_recurrent_model_with_subgraphs_keeps_outputs_from_earlier_runs_intact():
    inputs = load_case_inputs(SILERO)
    planned = session(SILERO, True, True)
    plain = session(SILERO, True, False)
    kept = []
    for _ in range(5):
        got = planned.run(None, inputs)
        want = plain.run(None, inputs)
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g, w)
        kept.append((got, want))
    # Outputs handed out by earlier runs were not written over by later ones.
    for got, want in kept:
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g, w)


def test_options_are_plain_attributes_with_onnxruntime_defaults():
    so = onyx.SessionOptions()
    assert so.enable_cpu_mem_arena is True
    assert so.enable_mem_pattern is True

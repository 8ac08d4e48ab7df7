"""A shortened tests/soak/soak.py for `make test`: one session shared by threads gives the single-threaded
outputs bit for bit in both execution modes (check 2), a run cancelled from another thread returns promptly and
leaves the session usable (check 4), and the limits are reached through add_session_config_entry. The full soak
(`make soak`) runs thousands of times more; docs/RELIABILITY.md has its figures."""

import sys
from pathlib import Path

import numpy as np
import pytest

import onyx
from onyx_test_helpers import SHARED

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "soak"))
import soak  # noqa: E402  the checks themselves, shared with the full soak

MODELS = SHARED / "models"
MINILM = MODELS / "paraphrase_minilm_l3" / "model.onnx"
SILERO = MODELS / "silero_vad" / "model.onnx"
needs_models = pytest.mark.skipif(not (MINILM.exists() and SILERO.exists()),
                                  reason="shared/models (paraphrase_minilm_l3, silero_vad) is not present")


@needs_models
@pytest.mark.parametrize("mode", ["sequential", "parallel"])
@pytest.mark.parametrize("name", ["paraphrase_minilm_l3", "silero_vad"])
def test_threads_match_single_threaded(name, mode):
    sess = soak.make_session(str(MODELS / name / "model.onnx"), mode)
    mismatches, runs, errors = soak.run_threads(sess, soak.THREAD_MODELS[name](), threads=4, runs_per_thread=8)
    assert not errors, errors[0]
    assert runs == 32
    assert mismatches == 0


@needs_models
@pytest.mark.parametrize("mode", ["sequential", "parallel"])
def test_cancel_returns_promptly_and_session_stays_usable(mode):
    r = soak.check_cancel(tries=2, mode=mode, models_dir=MODELS, batch=2, seq=128)
    assert not r["errors"], r["errors"]
    assert r["mismatches"] == 0
    assert r["cancelled"] >= 1, r
    # Runs stop between nodes; minilm's slowest node takes a few milliseconds here, the whole run ~50. A run
    # that ignored terminate would take its full length; the bound leaves room for a noisy machine.
    assert r["latency_max_ms"] < max(50.0, r["run_ms"]), r


def test_terminate_set_before_the_run_stops_it():
    # Mirrors onnxruntime: a RunOptions with terminate set fails the run; cleared, the same options run.
    sess = onyx.InferenceSession(str(MINILM)) if MINILM.exists() else None
    if sess is None:
        pytest.skip("shared/models/paraphrase_minilm_l3 is not present")
    feed = soak.minilm_feeds([8])[0]
    ro = onyx.RunOptions()
    ro.terminate = True
    with pytest.raises(Exception, match="terminated"):
        sess.run(None, feed, ro)
    ro.terminate = False
    np.testing.assert_array_equal(sess.run(None, feed, ro)[0], sess.run(None, feed)[0])


@needs_models
def test_limits_through_session_config():
    so = onyx.SessionOptions()
    so.add_session_config_entry("session.max_nodes", "10")
    with pytest.raises(Exception, match=r"over the limit of 10 \(session.max_nodes\)"):
        onyx.InferenceSession(str(MINILM), so)
    so.add_session_config_entry("session.max_nodes", "100000")
    onyx.InferenceSession(str(MINILM), so)
    so = onyx.SessionOptions()
    so.add_session_config_entry("session.max_tensor_bytes", "lots")
    with pytest.raises(Exception, match="config session.max_tensor_bytes must be a whole number"):
        onyx.InferenceSession(str(MINILM), so)

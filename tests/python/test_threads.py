"""One session shared by several Python threads; the GIL is released while a session runs."""

import threading
import time

import numpy as np
from onnx import TensorProto, helper, numpy_helper

import onyx as ort
from onyx_test_helpers import make_model


def test_threads_share_one_session():
    model = make_model(
        [helper.make_node("MatMul", ["x", "w"], ["m"]), helper.make_node("Relu", ["m"], ["y"])],
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 16])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 8])],
        initializers=[numpy_helper.from_array(np.linspace(-1, 1, 128, dtype=np.float32).reshape(16, 8), "w")],
    )
    sess = ort.InferenceSession(model)
    w = np.linspace(-1, 1, 128, dtype=np.float32).reshape(16, 8)
    errors = []

    def worker(seed):
        rng = np.random.default_rng(seed)
        try:
            for _ in range(25):
                x = rng.standard_normal((int(rng.integers(1, 6)), 16)).astype(np.float32)
                (y,) = sess.run(None, {"x": x})
                np.testing.assert_allclose(y, np.maximum(x @ w, 0), rtol=1e-5, atol=1e-5)
        except Exception as e:  # noqa: BLE001  reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]


def test_gil_is_released_during_run():
    # A run of a few hundred milliseconds: if it held the GIL, the main thread could not wake up from its
    # short sleeps until the run ended.
    n = 512
    nodes, prev = [], "x"
    for i in range(6):
        nodes.append(helper.make_node("MatMul", [prev, "w"], [f"m{i}"]))
        prev = f"m{i}"
    nodes.append(helper.make_node("Identity", [prev], ["y"]))
    w = (np.eye(n, dtype=np.float32) * 0.5)
    model = make_model(nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [n, n])],
                       [helper.make_tensor_value_info("y", TensorProto.FLOAT, [n, n])],
                       initializers=[numpy_helper.from_array(w, "w")])
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(model, so)
    x = np.ones((n, n), np.float32)
    start = time.perf_counter()
    sess.run(None, {"x": x})
    one_run = time.perf_counter() - start

    runs = max(1, int(0.3 / max(one_run, 1e-3)))
    done = threading.Event()
    spans, result = [], {}

    def long_run():
        for _ in range(runs):
            t0 = time.perf_counter()
            result["y"] = sess.run(None, {"x": x})[0]
            spans.append((t0, time.perf_counter()))
        done.set()

    # The main thread notes when it gets to run Python. While a run holds the GIL, at most one wake-up can slip in
    # between the worker's clock read and its call into the engine; so count wake-ups inside each run's span. This
    # is about order, not speed: a loaded machine only makes the runs longer.
    worker = threading.Thread(target=long_run)
    wakeups = []
    worker.start()
    while not done.is_set():
        time.sleep(0.001)
        wakeups.append(time.perf_counter())
    worker.join()
    np.testing.assert_allclose(result["y"], np.full((n, n), 0.5**6, np.float32), rtol=1e-5)
    inside = max(sum(1 for w in wakeups if t0 < w < t1) for t0, t1 in spans)
    assert inside >= 3, (inside, runs, spans[:3])

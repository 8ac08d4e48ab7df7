"""Checks an installed `onyx` Python package (scripts/package_check runs it in each fresh venv).

    python smoke.py REPO

Run from outside the repository, so `import onyx` finds the installed package, never python/onyx. It needs only
numpy, which the package depends on.
"""

import os
import pathlib
import sys

import numpy as np

import onyx

repo = pathlib.Path(sys.argv[1]).resolve()
package = pathlib.Path(onyx.__file__).resolve().parent
if repo in package.parents:
    sys.exit(f"smoke: imported onyx from the repository ({package}), not an installed copy")
files = sorted(p.name for p in package.iterdir() if p.suffix == ".so" or ".so." in p.name)
if len(files) != 1 or not files[0].startswith("_onyx."):
    sys.exit(f"smoke: expected the extension alone (it links the engine statically), found {files}")

# examples/data/silu.onnx: Y = silu(silu(X) @ W), silu(x) = x * sigmoid(x), W = linspace(-1, 1, 16) as 4x4.
silu = onyx.InferenceSession(str(repo / "examples/data/silu.onnx"))
x = np.linspace(-4, 4, 12, dtype=np.float32).reshape(3, 4)
(y,) = silu.run(None, {silu.get_inputs()[0].name: x})
w = np.linspace(-1, 1, 16, dtype=np.float32).reshape(4, 4)
silu_np = lambda v: v / (1 + np.exp(-v))  # noqa: E731
np.testing.assert_allclose(y, silu_np(silu_np(x) @ w), rtol=1e-5, atol=1e-6)

# The bundled voice-activity model (an LSTM with If and subgraphs): runs, and gives a probability per chunk.
vad = onyx.InferenceSession(str(repo / "models/silero_vad/model.onnx"), providers=["CPUExecutionProvider"])
feeds = {"input": np.zeros((1, 512), np.float32), "sr": np.array(16000, np.int64),
         "h": np.zeros((2, 1, 64), np.float32), "c": np.zeros((2, 1, 64), np.float32)}
prob, hn, cn = vad.run(None, feeds)
assert prob.shape == (1, 1) and 0 <= prob[0, 0] <= 1 and hn.shape == (2, 1, 64), (prob, hn.shape)

print(f"smoke: onyx {onyx.__version__} from {package}: {files[0]}, silu.onnx and silero_vad ran")

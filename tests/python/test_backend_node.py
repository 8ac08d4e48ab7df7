"""The ONNX backend test harness (onnx.backend.test.BackendTest) over the node suite, through onyx.backend.

Cases listed in tests/conformance/known_failures.txt (one case name or regex per line, full match, reason
after '#') are excluded, as the C++ runner excludes them. Run alone with
    python3 -m pytest tests/python/test_backend_node.py -q
"""

import pathlib
import re

import onnx.backend.test
from onnx.backend.test.loader import load_model_tests

import onyx.backend

KNOWN_FAILURES = pathlib.Path(__file__).resolve().parents[2] / "tests" / "conformance" / "known_failures.txt"


def known_failure_patterns(path=KNOWN_FAILURES):
    if not path.is_file():
        return []
    patterns = []
    for line in path.read_text().splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            re.compile(text)  # a bad line fails loudly here rather than silently matching nothing
            patterns.append(text)
    return patterns


# The C++ runner's tolerances (rtol 1e-3, atol 1e-5) where the harness asks for tighter ones (its default atol
# is 1e-7), so both runners judge a case the same way.
TOLERANCES = {case.name: {"rtol": max(case.rtol, 1e-3), "atol": max(case.atol, 1e-5)}
              for case in load_model_tests(kind="node")}

# Cases the harness itself cannot judge, whatever the backend (onnxruntime.backend fails them the same way);
# test_backend_api.py checks them by hand instead.
HARNESS_LIMITS = [
    "test_loop16_seq_none",  # a sequence of 0-d tensors: assert_similar_outputs calls len() on a 0-d array
]

backend_test = onnx.backend.test.BackendTest(onyx.backend, __name__, test_kwargs=TOLERANCES)
for name in HARNESS_LIMITS:
    backend_test.exclude(rf"^{name}_(?:cpu|cuda)$")
for pattern in known_failure_patterns():
    # The harness names a case test_<name>_<device>; the file names cases as the C++ runner does.
    backend_test.exclude(rf"^(?:{pattern})_(?:cpu|cuda)$")

# The node suite only: the other suites download models or need data this repository does not have.
OnnxBackendNodeModelTest = backend_test.test_cases["OnnxBackendNodeModelTest"]

"""Tests of the `onyx` command: run, test, inspect, help, and that every misuse is one error line + exit 2.

Run with: ONYX_BIN=build-xxx/bin/onyx python3 -m pytest tests/cli/test_cli.py
Tiny models are made here with the `onnx` package; numpy gives the expected values.
"""

import os
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
ONYX_BIN = Path(os.environ.get("ONYX_BIN", REPO / "build" / "bin" / "onyx"))
if not ONYX_BIN.is_absolute():
    ONYX_BIN = (Path.cwd() / ONYX_BIN).resolve()

pytestmark = pytest.mark.skipif(not ONYX_BIN.exists(), reason=f"onyx binary not found at {ONYX_BIN} (set ONYX_BIN)")

OPSET = 17
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed, (\d+) skipped$")


def onyx(*args, cwd=None, timeout=120):
    return subprocess.run([str(ONYX_BIN), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=timeout)


def assert_usage_error(result):
    """Misuse: exit status 2 and exactly one line on stderr, starting with 'onyx: error: '."""
    assert result.returncode == 2, f"rc={result.returncode} stdout={result.stdout!r} stderr={result.stderr!r}"
    lines = result.stderr.strip("\n").split("\n")
    assert len(lines) == 1, f"expected one stderr line, got {lines!r}"
    assert lines[0].startswith("onyx: error: "), lines[0]
    assert len(lines[0]) > len("onyx: error: ") + 5


def summary(stdout):
    last = stdout.strip().split("\n")[-1]
    m = SUMMARY.match(last)
    assert m, f"last line is not a summary: {last!r}"
    return tuple(int(x) for x in m.groups())


def save_model(path, nodes, inputs, outputs, initializers=(), ir_version=8, opset=OPSET, **kwargs):
    graph = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], **kwargs)
    model.ir_version = ir_version
    onnx.save(model, str(path))
    return path


def relu_model(path, shape=("N", 4)):
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, list(shape))
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, list(shape))
    return save_model(path, [helper.make_node("Relu", ["X"], ["Y"], name="relu")], [x], [y])


def add_model(path):
    a = helper.make_tensor_value_info("A", TensorProto.FLOAT, [2, 3])
    b = helper.make_tensor_value_info("B", TensorProto.FLOAT, [2, 3])
    c = helper.make_tensor_value_info("C", TensorProto.FLOAT, [2, 3])
    return save_model(path, [helper.make_node("Add", ["A", "B"], ["C"])], [a, b], [c])


def write_pb(path, array, name=""):
    path.write_bytes(numpy_helper.from_array(np.asarray(array), name).SerializeToString())


def make_case(root, name, model_fn, inputs, outputs):
    """A backend-style test case: <root>/<name>/model.onnx + test_data_set_0/{input,output}_K.pb."""
    case = root / name
    data = case / "test_data_set_0"
    data.mkdir(parents=True)
    model_fn(case / "model.onnx")
    for k, a in enumerate(inputs):
        write_pb(data / f"input_{k}.pb", a)
    for k, a in enumerate(outputs):
        write_pb(data / f"output_{k}.pb", a)
    return case


@pytest.fixture
def relu(tmp_path):
    return relu_model(tmp_path / "relu.onnx")


X = np.array([[-1.0, 0.5, 2.0, -3.0], [4.0, -0.25, 0.0, 1.0]], dtype=np.float32)


# ---------------------------------------------------------------- help and version


@pytest.mark.parametrize(
    "args", [["--help"], ["-h"], ["help"], ["help", "run"], ["run", "--help"], ["test", "--help"],
             ["inspect", "--help"], ["help", "test"], ["help", "inspect"]])
def test_help(args):
    r = onyx(*args)
    assert r.returncode == 0, r.stderr
    assert "usage: onyx" in r.stdout
    assert r.stderr == ""


def test_command_help_names_its_flags():
    assert "--input NAME=FILE" in onyx("run", "--help").stdout
    assert "--exclude-file" in onyx("help", "test").stdout


def test_version():
    r = onyx("--version")
    assert r.returncode == 0
    assert re.match(r"^onyx \d+\.\d+\.\d+", r.stdout)
    assert re.search(r"^cpu kernels: (portable|avx2|avx512)$", r.stdout, re.M)


def test_ops_config_lists_the_operators(relu, tmp_path):
    r = onyx("ops-config", relu)
    assert r.returncode == 0, r.stderr
    lines = [line for line in r.stdout.splitlines() if not line.startswith("#")]
    assert lines == ["ai.onnx:Relu", "types: float"]
    r = onyx("ops-config", tmp_path / "missing.onnx")
    assert r.returncode == 2
    assert "does not exist" in r.stderr


def test_ops_config_types_follow_values_into_subgraphs(tmp_path):
    # The If branches read X from the main graph without declaring its type; Neg's output has X's type, known only
    # when inference carries X's type into the branch. Then every type is known and listed.
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N"])
    c = helper.make_tensor_value_info("C", TensorProto.BOOL, [])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)
    then = helper.make_graph([helper.make_node("Neg", ["X"], ["t"])], "then", [],
                             [helper.make_tensor_value_info("t", TensorProto.UNDEFINED, None)])
    other = helper.make_graph([helper.make_node("Shape", ["X"], ["s"]),
                               helper.make_node("Cast", ["s"], ["e"], to=TensorProto.FLOAT)], "else", [],
                              [helper.make_tensor_value_info("e", TensorProto.UNDEFINED, None)])
    path = tmp_path / "if.onnx"
    save_model(path, [helper.make_node("If", ["C"], ["Y"], then_branch=then, else_branch=other)], [x, c], [y])
    r = onyx("ops-config", path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "types: float int64 bool" in lines, r.stdout
    assert "ai.onnx:Neg" in lines and "ai.onnx:Shape" in lines


@pytest.mark.parametrize("lines, message", [
    ("ai.onnx:Relu\ntypes: float double7\n", "'double7' is not an element type"),
    ("ai.onnx:Relu\nnot an op line\n", "'not an op line' is not an operator"),
])
def test_minimal_build_refuses_a_malformed_ops_config(tmp_path, lines, message):
    # The operator list is user input to CMake (-DONYX_OPS_CONFIG): a bad line stops the configure step with a
    # message naming it, before anything compiles.
    ops = tmp_path / "ops.txt"
    ops.write_text(lines)
    r = subprocess.run(["cmake", "-S", str(REPO), "-B", str(tmp_path / "b"), "-G", "Ninja", "-DONYX_MINIMAL=ON",
                        f"-DONYX_OPS_CONFIG={ops}"], capture_output=True, text=True, timeout=120)
    assert r.returncode != 0
    assert message in " ".join(r.stderr.split()), r.stderr


def test_isa_environment_caps_the_kernels():
    env = dict(os.environ, ONYX_ISA="portable")
    r = subprocess.run([str(ONYX_BIN), "--version"], capture_output=True, text=True, env=env)
    assert "cpu kernels: portable" in r.stdout
    env["ONYX_ISA"] = "sse9"
    r = subprocess.run([str(ONYX_BIN), "--version"], capture_output=True, text=True, env=env)
    assert r.returncode == 0
    assert "ignoring ONYX_ISA=sse9" in r.stderr


# ---------------------------------------------------------------- run


def test_run_random_input(relu):
    r = onyx("run", relu)
    assert r.returncode == 0, r.stderr
    assert "input  X: tensor(float) [1,4] (random)" in r.stdout
    assert "output Y: tensor(float) [1,4]" in r.stdout
    assert re.search(r"^run time: [\d.]+ ms$", r.stdout, re.M)


def test_run_dim_sets_symbol(relu):
    r = onyx("run", relu, "--dim", "N=3")
    assert r.returncode == 0, r.stderr
    assert "output Y: tensor(float) [3,4]" in r.stdout


def test_run_npy_input_and_output_dir(relu, tmp_path):
    np.save(tmp_path / "x.npy", X)
    out = tmp_path / "out"
    r = onyx("run", relu, "--input", f"X={tmp_path / 'x.npy'}", "--output-dir", out)
    assert r.returncode == 0, r.stderr
    assert "output Y: tensor(float) [2,4]: 0, 0.5, 2, 0, 4, 0, 0, 1" in r.stdout
    got = numpy_helper.to_array(onnx.load_tensor(str(out / "Y.pb")))
    np.testing.assert_array_equal(got, np.maximum(X, 0))


def test_run_pb_input_equals_form(relu, tmp_path):
    write_pb(tmp_path / "x.pb", X)
    out = tmp_path / "o"
    r = onyx("run", relu, f"--input=X={tmp_path / 'x.pb'}", f"--output-dir={out}", "--threads", "1")
    assert r.returncode == 0, r.stderr
    np.testing.assert_array_equal(numpy_helper.to_array(onnx.load_tensor(str(out / "Y.pb"))), np.maximum(X, 0))


def test_run_parallel_execution(relu, tmp_path):
    write_pb(tmp_path / "x.pb", X)
    out = tmp_path / "o"
    r = onyx("run", relu, f"--input=X={tmp_path / 'x.pb'}", f"--output-dir={out}", "--inter-op", "2")
    assert r.returncode == 0, r.stderr
    np.testing.assert_array_equal(numpy_helper.to_array(onnx.load_tensor(str(out / "Y.pb"))), np.maximum(X, 0))


def test_run_repeat(relu):
    r = onyx("run", relu, "--repeat", "3")
    assert r.returncode == 0, r.stderr
    assert re.search(r"^run time: median .* over 3 runs$", r.stdout, re.M)


def test_run_output_names_are_sanitized(tmp_path):
    x = helper.make_tensor_value_info("in:0", TensorProto.FLOAT, [2])
    y = helper.make_tensor_value_info("../out/put:0", TensorProto.FLOAT, [2])
    model = save_model(tmp_path / "m.onnx", [helper.make_node("Neg", ["in:0"], ["../out/put:0"])], [x], [y])
    out = tmp_path / "out"
    r = onyx("run", model, "--output-dir", out)
    assert r.returncode == 0, r.stderr
    files = sorted(p.name for p in out.iterdir())
    assert files == ["_._out_put_0.pb"], files


def test_run_integer_and_bool_inputs(tmp_path):
    a = helper.make_tensor_value_info("A", TensorProto.INT64, [3])
    b = helper.make_tensor_value_info("B", TensorProto.BOOL, [3])
    y = helper.make_tensor_value_info("Y", TensorProto.INT64, [3])
    z = helper.make_tensor_value_info("Z", TensorProto.BOOL, [3])
    model = save_model(tmp_path / "m.onnx", [helper.make_node("Identity", ["A"], ["Y"]),
                                             helper.make_node("Identity", ["B"], ["Z"])], [a, b], [y, z])
    r = onyx("run", model)
    assert r.returncode == 0, r.stderr
    values = re.search(r"output Y: tensor\(int64\) \[3\]: (.*)$", r.stdout, re.M).group(1)
    assert all(0 <= int(v) < 10 for v in values.split(", "))
    assert "output Z: tensor(bool) [3]" in r.stdout


# ---------------------------------------------------------------- inspect


def test_inspect(tmp_path):
    a = helper.make_tensor_value_info("A", TensorProto.FLOAT, ["batch", 3])
    c = helper.make_tensor_value_info("C", TensorProto.FLOAT, ["batch", 3])
    w = numpy_helper.from_array(np.ones((2, 3), dtype=np.float32)[:1], "W")
    nodes = [helper.make_node("Add", ["A", "W"], ["T"]), helper.make_node("Relu", ["T"], ["U"]),
             helper.make_node("Relu", ["U"], ["C"])]
    model = save_model(tmp_path / "m.onnx", nodes, [a], [c], initializers=[w], producer_name="cli-test",
                       producer_version="9.9", doc_string="a tiny model")
    m = onnx.load(str(model))
    helper.set_model_props(m, {"author": "onyx"})
    onnx.save(m, str(model))
    r = onyx("inspect", model)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert re.search(r"^ir_version:\s+8$", out, re.M)
    assert re.search(rf"^opsets:\s+ai\.onnx {OPSET}$", out, re.M)
    assert re.search(r"^producer:\s+cli-test 9\.9$", out, re.M)
    assert "a tiny model" in out
    assert "author = onyx" in out
    assert re.search(r"^  A\s+tensor\(float\) \[batch,3\]$", out, re.M)
    assert re.search(r"^  C\s+tensor\(float\) \[batch,3\]$", out, re.M)
    assert re.search(r"^  Relu\s+2$", out, re.M)
    assert re.search(r"^  Add\s+1$", out, re.M)
    assert re.search(r"^parameters:\s+3 elements, 12 bytes", out, re.M)


def test_inspect_counts_subgraph_nodes(tmp_path):
    cond = helper.make_tensor_value_info("cond", TensorProto.BOOL, [])
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])
    then_out = helper.make_tensor_value_info("t", TensorProto.FLOAT, [2])
    else_out = helper.make_tensor_value_info("e", TensorProto.FLOAT, [2])
    then_g = helper.make_graph([helper.make_node("Relu", ["x"], ["t"])], "then", [], [then_out])
    else_g = helper.make_graph([helper.make_node("Neg", ["x"], ["e1"]), helper.make_node("Relu", ["e1"], ["e"])],
                               "else", [], [else_out])
    node = helper.make_node("If", ["cond"], ["y"], then_branch=then_g, else_branch=else_g)
    model = save_model(tmp_path / "if.onnx", [node], [cond, x], [y])
    r = onyx("inspect", model)
    assert r.returncode == 0, r.stderr
    assert re.search(r"^  Relu\s+2$", r.stdout, re.M)
    assert re.search(r"^  If\s+1$", r.stdout, re.M)
    assert re.search(r"^  Neg\s+1$", r.stdout, re.M)


# ---------------------------------------------------------------- test


def test_test_reports_pass_fail_error(tmp_path):
    root = tmp_path / "cases"
    make_case(root, "test_a_pass", relu_model, [X], [np.maximum(X, 0)])
    make_case(root, "test_b_fail", relu_model, [X], [np.maximum(X, 0) + np.float32(1)])
    make_case(root, "test_c_error", lambda p: p.write_bytes(b"not a model"), [X], [X])
    make_case(root, "test_d_add", add_model, [X[:, :3], X[:, 1:]], [X[:, :3] + X[:, 1:]])
    r = onyx("test", root)
    assert r.returncode == 1, r.stdout + r.stderr
    lines = r.stdout.strip().split("\n")
    assert summary(r.stdout) == (2, 2, 0)
    assert len(lines) == 3, lines
    assert lines[0].startswith("test_b_fail FAIL: data set 0, output 'Y': ")
    assert "expected" in lines[0] and "got" in lines[0]
    assert lines[1].startswith("test_c_error ERROR: ")


def test_test_all_pass_exit_zero_and_verbose(tmp_path):
    case = make_case(tmp_path, "test_relu_small", relu_model, [X], [np.maximum(X, 0)])
    r = onyx("test", case, "-v")
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"^test_relu_small PASS", r.stdout, re.M)
    assert summary(r.stdout) == (1, 0, 0)


def test_test_tolerances(tmp_path):
    case = make_case(tmp_path, "test_tol", relu_model, [X], [np.maximum(X, 0) + np.float32(0.01)])
    assert summary(onyx("test", case).stdout) == (0, 1, 0)
    r = onyx("test", case, "--atol", "0.02")
    assert r.returncode == 0 and summary(r.stdout) == (1, 0, 0)
    assert summary(onyx("test", case, "--rtol=0", "--atol=0.005").stdout) == (0, 1, 0)


def test_test_filter_exclude_and_jobs(tmp_path):
    root = tmp_path / "cases"
    for name in ["test_one", "test_two", "test_three", "other"]:
        make_case(root, name, relu_model, [X], [np.maximum(X, 0)])
    make_case(root / "nested" / "deeper", "test_bad", relu_model, [X], [X])
    exclude = tmp_path / "exclude.txt"
    exclude.write_text("# known failures\n\ntest_bad   # wrong on purpose\ntest_t.*  # regex, full match\ntest_on\n")
    r = onyx("test", root, "--exclude-file", exclude)
    assert r.returncode == 0, r.stdout + r.stderr
    assert summary(r.stdout) == (2, 0, 3)  # test_on does not fully match test_one
    r = onyx("test", root, "--filter", "^test_t", "-j", "2")
    assert summary(r.stdout) == (2, 0, 0)
    r = onyx("test", root, "-j2")
    assert r.returncode == 1
    assert summary(r.stdout) == (4, 1, 0)
    assert r.stdout.startswith("test_bad FAIL: ")
    r = onyx("test", root, "--filter", "nothing-matches")
    assert r.returncode == 0 and summary(r.stdout) == (0, 0, 0)


def test_test_fewer_input_files_than_inputs(tmp_path):
    """IR 3 lists initializers as inputs too; the data set gives only the real inputs."""
    def model_fn(path):
        a = helper.make_tensor_value_info("A", TensorProto.FLOAT, [2, 3])
        b = helper.make_tensor_value_info("B", TensorProto.FLOAT, [2, 3])
        c = helper.make_tensor_value_info("C", TensorProto.FLOAT, [2, 3])
        init = numpy_helper.from_array(np.full((2, 3), 10, dtype=np.float32), "B")
        save_model(path, [helper.make_node("Add", ["A", "B"], ["C"])], [a, b], [c], initializers=[init],
                   ir_version=3, opset=8)
    case = make_case(tmp_path, "test_ir3", model_fn, [X[:, :3]], [X[:, :3] + 10])
    r = onyx("test", case)
    assert r.returncode == 0, r.stdout + r.stderr
    assert summary(r.stdout) == (1, 0, 0)


def test_test_model_file_path_is_its_case(tmp_path):
    case = make_case(tmp_path, "test_m", relu_model, [X], [np.maximum(X, 0)])
    assert summary(onyx("test", case / "model.onnx").stdout) == (1, 0, 0)
    r = onyx("test", f"{case}/", "-v")
    assert r.stdout.startswith("test_m PASS"), r.stdout
    r = onyx("test", ".", "-v", cwd=case)
    assert r.stdout.startswith("test_m PASS"), r.stdout


@pytest.mark.skipif(not (SHARED / "onnx-tests" / "node" / "test_relu").exists(), reason="shared test data absent")
def test_test_shared_relu():
    r = onyx("test", SHARED / "onnx-tests" / "node" / "test_relu")
    assert r.returncode == 0, r.stdout + r.stderr
    assert summary(r.stdout) == (1, 0, 0)
    r = onyx("test", SHARED / "onnx-tests" / "node", "--filter", "^test_relu$")
    assert summary(r.stdout) == (1, 0, 0)


# ---------------------------------------------------------------- every misuse: one line, exit 2


@pytest.fixture
def files(tmp_path, relu):
    np.save(tmp_path / "x.npy", X)
    np.save(tmp_path / "x3d.npy", X.reshape(1, 2, 4))
    np.save(tmp_path / "fortran.npy", np.asfortranarray(X))
    (tmp_path / "garbage.npy").write_bytes(b"\x93NUMPY garbage")
    (tmp_path / "garbage.pb").write_bytes(b"\xff\xff\xff\xff\xff")
    (tmp_path / "x.txt").write_text("1 2 3")
    (tmp_path / "garbage.onnx").write_bytes(b"this is not a protobuf \xff\xff")
    (tmp_path / "empty").mkdir()
    case = make_case(tmp_path / "cases", "test_ok", relu_model, [X], [np.maximum(X, 0)])
    (tmp_path / "badregex.txt").write_text("test_(\n")
    return {"dir": tmp_path, "relu": relu, "case": case}


MISUSES = [
    [],
    ["bogus"],
    ["--bogus"],
    ["help", "bogus"],
    ["run"],
    ["run", "{dir}/missing.onnx"],
    ["run", "{dir}/garbage.onnx"],
    ["run", "{dir}"],
    ["run", "{relu}", "{relu}"],
    ["run", "{relu}", "--input", "Z={dir}/x.npy"],
    ["run", "{relu}", "--input", "X={dir}/missing.npy"],
    ["run", "{relu}", "--input", "X={dir}/garbage.npy"],
    ["run", "{relu}", "--input", "X={dir}/garbage.pb"],
    ["run", "{relu}", "--input", "X={dir}/fortran.npy"],
    ["run", "{relu}", "--input", "X={dir}/x.txt"],
    ["run", "{relu}", "--input", "X={dir}/x3d.npy"],
    ["run", "{relu}", "--input", "X={dir}/x.npy", "--input", "X={dir}/x.npy"],
    ["run", "{relu}", "--input"],
    ["run", "{relu}", "--input", "X"],
    ["run", "{relu}", "--input", "=x.npy"],
    ["run", "{relu}", "--threads", "abc"],
    ["run", "{relu}", "--threads", "-3"],
    ["run", "{relu}", "--threads", "99999999999999999999999"],
    ["run", "{relu}", "--inter-op", "-1"],
    ["run", "{relu}", "--inter-op", "many"],
    ["run", "{relu}", "--inter-op"],
    ["run", "{relu}", "--dim", "N=-1"],
    ["run", "{relu}", "--dim", "N=x"],
    ["run", "{relu}", "--dim", "Q=2"],
    ["run", "{relu}", "--repeat", "0"],
    ["run", "{relu}", "--opt-level", "7"],
    ["run", "{relu}", "--frobnicate"],
    ["run", "{relu}", "--output-dir", "{dir}/x.npy"],
    ["inspect"],
    ["inspect", "{dir}/missing.onnx"],
    ["inspect", "{dir}/garbage.onnx"],
    ["inspect", "{dir}"],
    ["inspect", "{relu}", "--verbose"],
    ["test"],
    ["test", "{dir}/missing"],
    ["test", "{dir}/empty"],
    ["test", "{case}", "--filter", "("],
    ["test", "{case}", "--filter"],
    ["test", "{case}", "--rtol", "x"],
    ["test", "{case}", "--atol", "-1"],
    ["test", "{case}", "-j", "0"],
    ["test", "{case}", "-j", "two"],
    ["test", "{case}", "--inter-op", "-2"],
    ["test", "{case}", "--inter-op", "2x"],
    ["test", "{case}", "--exclude-file", "{dir}/missing.txt"],
    ["test", "{case}", "--exclude-file", "{dir}/badregex.txt"],
    ["test", "{case}", "--opt-level", "fast"],
    ["test", "{case}", "--nope"],
]


@pytest.mark.parametrize("args", MISUSES, ids=lambda a: " ".join(a) or "(none)")
def test_misuse_is_one_error_line(files, args):
    assert_usage_error(onyx(*[a.format(**files) for a in args]))


# ---------------------------------------------------------------- optimize, inspect --opt-level, operators


def conv_bn_relu_model(path):
    rng = np.random.default_rng(0)
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 2, 5, 5])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 3, 3, 3])
    inits = [
        numpy_helper.from_array(rng.uniform(-1, 1, (3, 2, 3, 3)).astype(np.float32), "W"),
        numpy_helper.from_array(rng.uniform(0.5, 1.5, 3).astype(np.float32), "s"),
        numpy_helper.from_array(rng.uniform(-1, 1, 3).astype(np.float32), "b"),
        numpy_helper.from_array(rng.uniform(-1, 1, 3).astype(np.float32), "m"),
        numpy_helper.from_array(rng.uniform(0.5, 1.5, 3).astype(np.float32), "v"),
    ]
    nodes = [
        helper.make_node("Conv", ["X", "W"], ["c"], name="conv"),
        helper.make_node("BatchNormalization", ["c", "s", "b", "m", "v"], ["bn"], name="bn"),
        helper.make_node("Relu", ["bn"], ["Y"], name="relu"),
    ]
    return save_model(path, nodes, [x], [y], initializers=inits)


@pytest.mark.parametrize("level,ops", [("extended", ["FusedConv"]), ("all", ["NchwcConv", "ReorderFromNchwc"])])
def test_optimize_writes_a_model_that_loads_back_with_same_outputs(tmp_path, level, ops):
    model = conv_bn_relu_model(tmp_path / "m.onnx")
    out = tmp_path / "opt.onnx"
    r = onyx("optimize", model, "-o", out, "--opt-level", level)
    assert r.returncode == 0, r.stderr
    assert f"3 nodes before, {len(ops)} after" in r.stdout
    assert "FuseConvBatchNorm: 1 rewrites" in r.stdout
    saved = onnx.load(str(out))
    assert [n.op_type for n in saved.graph.node] == ops
    assert any(o.domain == "com.onyx" for o in saved.opset_import)
    x = np.random.default_rng(1).uniform(-1, 1, (1, 2, 5, 5)).astype(np.float32)
    write_pb(tmp_path / "x.pb", x)
    outputs = []
    for m in (model, out):
        d = tmp_path / ("out_" + m.stem)
        r = onyx("run", m, "--input", f"X={tmp_path / 'x.pb'}", "--output-dir", d, "--opt-level", "disabled")
        assert r.returncode == 0, r.stderr
        t = onnx.TensorProto()
        t.ParseFromString((d / "Y.pb").read_bytes())
        outputs.append(numpy_helper.to_array(t))
    np.testing.assert_allclose(outputs[0], outputs[1], rtol=1e-5, atol=1e-6)


def test_inspect_opt_level_reports_passes(tmp_path):
    model = conv_bn_relu_model(tmp_path / "m.onnx")
    r = onyx("inspect", model, "--opt-level", "basic")
    assert r.returncode == 0, r.stderr
    assert "optimization (basic): 3 nodes before, 2 after" in r.stdout
    assert "operators after" in r.stdout


def test_optimize_and_pass_flags_misuse(tmp_path):
    model = conv_bn_relu_model(tmp_path / "m.onnx")
    assert_usage_error(onyx("optimize", model))
    assert_usage_error(onyx("optimize", model, "-o", model))
    assert_usage_error(onyx("optimize", tmp_path / "missing.onnx", "-o", tmp_path / "o.onnx"))
    assert_usage_error(onyx("run", model, "--disable-pass", "NoSuchPass"))
    assert_usage_error(onyx("inspect", model, "--opt-level", "max"))


def test_disable_pass_keeps_batchnorm(tmp_path):
    model = conv_bn_relu_model(tmp_path / "m.onnx")
    r = onyx("optimize", model, "-o", tmp_path / "o.onnx", "--disable-pass", "FuseConvBatchNorm")
    assert r.returncode == 0, r.stderr
    assert "BatchNormalization" in [n.op_type for n in onnx.load(str(tmp_path / "o.onnx")).graph.node]


def test_operators_lists_registry():
    r = onyx("operators")
    assert r.returncode == 0, r.stderr
    assert "| Conv |" in r.stdout and "## ai.onnx.ml" in r.stdout


def test_operators_unknown_provider_is_a_usage_error():
    r = onyx("operators", "--provider", "bogus")
    assert_usage_error(r)
    assert "'bogus'" in r.stderr and r.stdout == ""

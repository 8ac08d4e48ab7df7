"""Tests of examples/vad_demo (the program `make demo` runs): its speech segments on the bundled recording agree
with onnxruntime's committed reference and cover the sentences the recording was made from; bad WAV files and
options are one error line and exit status 2, never a crash.

Run with: ONYX_BIN=build/bin/onyx python3 -m pytest tests/cli/test_vad_demo.py (vad_demo is beside onyx).
"""

import json
import os
import struct
import subprocess
import sys
import wave
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPEECH = REPO / "models" / "silero_vad" / "speech"
MODEL = REPO / "models" / "silero_vad" / "model.onnx"
ONYX_BIN = Path(os.environ.get("ONYX_BIN", REPO / "build" / "bin" / "onyx"))
if not ONYX_BIN.is_absolute():
    ONYX_BIN = (Path.cwd() / ONYX_BIN).resolve()
VAD_DEMO = ONYX_BIN.parent / "vad_demo"

pytestmark = pytest.mark.skipif(not VAD_DEMO.exists(), reason=f"vad_demo not built at {VAD_DEMO} (set ONYX_BIN)")

CHUNK = 512  # one model step: boundaries may differ by this much when a probability near a threshold differs


def vad_demo(*args):
    return subprocess.run([str(VAD_DEMO), *map(str, args)], capture_output=True, text=True, timeout=120)


def segments_of(tmp_path, *args):
    out = tmp_path / "segments.txt"
    result = vad_demo("--segments", out, *args)
    assert result.returncode == 0, f"rc={result.returncode} stderr={result.stderr!r}"
    return [tuple(int(v) for v in line.split()) for line in out.read_text().splitlines()], result.stdout


def reference():
    return [(s["start"], s["end"]) for s in json.loads((SPEECH / "segments_ort.json").read_text())["segments"]]


def disagreement(ours, theirs, tolerance=CHUNK):
    """Why two segment lists differ (count, or a boundary further apart than `tolerance` samples); None if not."""
    if len(ours) != len(theirs):
        return f"{len(ours)} segments against {len(theirs)}: {ours} vs {theirs}"
    for n, (a, b) in enumerate(zip(ours, theirs), 1):
        if abs(a[0] - b[0]) > tolerance or abs(a[1] - b[1]) > tolerance:
            return f"segment {n}: {a} vs {b}"
    return None


def test_segments_match_onnxruntime_reference(tmp_path):
    ours, stdout = segments_of(tmp_path)
    why = disagreement(ours, reference())
    assert why is None, why
    # The printed table says the same as the file, in seconds.
    rows = [line for line in stdout.splitlines() if line.rstrip().endswith("speech") and " s - " in line]
    assert len(rows) == len(ours), stdout
    for row, (start, end) in zip(rows, ours):
        fields = row.split()
        assert abs(float(fields[1]) - start / 16000) < 0.006 and abs(float(fields[4]) - end / 16000) < 0.006, row
    assert "ms per chunk" in stdout and "real time" in stdout, stdout


def test_disagreement_is_detected():
    ref = reference()
    assert disagreement(ref, ref) is None
    shifted = [(s + CHUNK + 1, e) for s, e in ref]
    assert disagreement(shifted, ref) is not None
    assert disagreement(ref[:-1], ref) is not None


def test_threshold_changes_the_segments(tmp_path):
    # A stricter threshold splits the sentences that the default joins: the option reaches the algorithm, and
    # the reference comparison above would notice segments that differ.
    strict, stdout = segments_of(tmp_path, "--threshold", "0.8")
    assert "threshold 0.8" in stdout
    assert disagreement(strict, reference()) is not None
    assert len(strict) > len(reference())


def test_every_sentence_lies_in_a_segment(tmp_path):
    ours, _ = segments_of(tmp_path)
    sentences = json.loads((SPEECH / "sentences.json").read_text())["sentences"]
    slack = 1600  # 100 ms: a soft first sound ("Th...") reaches the threshold a few steps late
    for s in sentences:
        assert any(a <= s["start"] + slack and s["end"] - slack <= b for a, b in ours), (s, ours)
    # No segment lies in silence: each overlaps a sentence.
    for a, b in ours:
        assert any(a < s["end"] and s["start"] < b for s in sentences), ((a, b), sentences)


def test_onnxruntime_script_reproduces_the_reference(tmp_path):
    pytest.importorskip("onnxruntime", reason="onnxruntime makes the reference; without it there is nothing to check")
    out = tmp_path / "ref.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "examples" / "vad_demo_ort.py"), "--write-reference", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    fresh = [(s["start"], s["end"]) for s in json.loads(out.read_text())["segments"]]
    why = disagreement(fresh, reference())
    assert why is None, why


def write_wav(path, samples=b"\0\0" * 1600, channels=1, rate=16000, width=2):
    with wave.open(str(path), "wb") as f:
        f.setnchannels(channels)
        f.setsampwidth(width)
        f.setframerate(rate)
        f.writeframes(samples)
    return path


def riff(*chunks):
    body = b"WAVE" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def fmt(format_tag=1, channels=1, rate=16000, bits=16):
    block = channels * bits // 8
    return b"fmt " + struct.pack("<IHHIIHH", 16, format_tag, channels, rate, rate * block, block, bits)


def test_silent_short_file_has_no_segments(tmp_path):
    ours, stdout = segments_of(tmp_path, "--wav", write_wav(tmp_path / "quiet.wav"))
    assert ours == [], stdout
    assert "0 segments" in stdout


def test_streamed_wav_with_unset_length_is_read(tmp_path):
    # Writers that stream (espeak-ng --stdout, sox to a pipe) leave the data length as 0xFFFFFFFF.
    path = tmp_path / "streamed.wav"
    path.write_bytes(riff(fmt(), b"data" + struct.pack("<I", 0xFFFFFFFF) + b"\0\0" * 2000))
    ours, _ = segments_of(tmp_path, "--wav", path)
    assert ours == []


BAD_WAVS = {
    "empty": (lambda p: p.write_bytes(b""), "not a WAV file"),
    "text": (lambda p: p.write_text("hello, not audio at all\n"), "not a WAV file"),
    "header_only": (lambda p: p.write_bytes(b"RIFF\x04\0\0\0WAVE"), "no 'fmt ' chunk"),
    "stereo": (lambda p: write_wav(p, b"\0\0" * 3200, channels=2), "2 channel(s)"),
    "44k": (lambda p: write_wav(p, rate=44100), "44100 Hz"),
    "8bit": (lambda p: write_wav(p, b"\x80" * 1600, width=1), "8-bit"),
    "float": (lambda p: p.write_bytes(riff(fmt(3, bits=32), b"data" + struct.pack("<I", 8) + b"\0" * 8)), "format 3"),
    "truncated": (lambda p: p.write_bytes(riff(fmt(), b"data" + struct.pack("<I", 32000) + b"\0" * 100)), "truncated"),
    "odd_data": (lambda p: p.write_bytes(riff(fmt(), b"data" + struct.pack("<I", 3) + b"\0" * 4)), "odd number"),
    "no_samples": (lambda p: p.write_bytes(riff(fmt(), b"data" + struct.pack("<I", 0))), "no samples"),
    "no_data": (lambda p: p.write_bytes(riff(fmt())), "no 'data' chunk"),
    "data_first": (lambda p: p.write_bytes(riff(b"data" + struct.pack("<I", 2) + b"\0\0", fmt())), "before any"),
    "short_fmt": (lambda p: p.write_bytes(riff(b"fmt " + struct.pack("<I", 4) + b"\1\0\1\0")), "'fmt ' chunk of 4"),
}


def assert_error(result, *words):
    assert result.returncode == 2, f"rc={result.returncode} stdout={result.stdout!r} stderr={result.stderr!r}"
    lines = result.stderr.strip("\n").split("\n")
    assert len(lines) == 1 and lines[0].startswith("vad_demo: error: "), lines
    for w in words:
        assert w in lines[0], (w, lines[0])


@pytest.mark.parametrize("case", sorted(BAD_WAVS))
def test_bad_wav_is_a_clear_error(tmp_path, case):
    make, words = BAD_WAVS[case]
    path = tmp_path / f"{case}.wav"
    make(path)
    assert_error(vad_demo("--wav", path), str(path), words)


def test_missing_wav(tmp_path):
    assert_error(vad_demo("--wav", tmp_path / "nowhere.wav"), "cannot open")


def test_directory_as_wav(tmp_path):
    assert_error(vad_demo("--wav", tmp_path), "is a directory")


def test_missing_model(tmp_path):
    result = vad_demo("--model", tmp_path / "nowhere.onnx")
    assert result.returncode == 1 and result.stderr.startswith("vad_demo: error: "), result.stderr
    assert "nowhere.onnx" in result.stderr


def test_unwritable_segments_file(tmp_path):
    assert_error(vad_demo("--segments", tmp_path / "no" / "such" / "dir.txt"), "cannot write")


@pytest.mark.parametrize(
    "args,words",
    [
        (["--threshold", "1.5"], "between 0 and 1"),
        (["--threshold", "half"], "between 0 and 1"),
        (["--threshold", "0"], "between 0 and 1"),
        (["--wav"], "needs a value"),
        (["--volume", "11"], "unknown option"),
    ],
)
def test_bad_options(args, words):
    assert_error(vad_demo(*args), words)


def test_model_without_the_vad_interface():
    other = REPO / "examples" / "data" / "silu.onnx"
    assert_error(vad_demo("--model", other), "no input 'input'")

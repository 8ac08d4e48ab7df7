#!/usr/bin/env python3
"""The voice-activity demo (examples/vad_demo.cc) again with onnxruntime: the same WAV checks, the same
512-sample streaming with the recurrent state carried from chunk to chunk, and the same turning of per-chunk
speech probabilities into segments (Silero's get_speech_timestamps with max_speech_duration_s = inf).

    examples/vad_demo_ort.py [--model M] [--wav W] [--threshold T]      prints the segments
    examples/vad_demo_ort.py --beside ONYX_SEGMENTS                      and onyx's beside them (the file
                                                                        vad_demo --segments wrote); exits 1
                                                                        if they differ by more than a chunk
    examples/vad_demo_ort.py --write-reference FILE.json                 writes the reference the tests use

Needs numpy and onnxruntime. The segments of both programs are in samples; they are printed in seconds.
"""

import argparse
import json
import sys
import time
import wave
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
RATE = 16000
CHUNK = 512  # samples per model call at 16 kHz: 32 ms
MIN_SPEECH_MS = 250
MIN_SILENCE_MS = 100
SPEECH_PAD_MS = 30


def read_wav(path):
    """16 kHz mono 16-bit PCM as float32 in [-1, 1); anything else is a clear error."""
    try:
        with wave.open(str(path), "rb") as f:
            if f.getcomptype() != "NONE":
                raise ValueError(f"{path}: compressed WAV ({f.getcompname()}); expected PCM")
            if f.getnchannels() != 1 or f.getsampwidth() != 2 or f.getframerate() != RATE:
                raise ValueError(
                    f"{path}: {f.getnchannels()} channel(s), {8 * f.getsampwidth()} bits, {f.getframerate()} Hz; "
                    f"expected 1 channel, 16 bits, {RATE} Hz"
                )
            frames = f.readframes(f.getnframes())
    except (wave.Error, EOFError) as e:
        raise ValueError(f"{path}: not a readable WAV file ({e})") from e
    return np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0


def speech_probabilities(session, audio):
    """One probability per 512-sample chunk (the last zero-padded), state carried along; and the seconds spent."""
    h = np.zeros((2, 1, 64), np.float32)
    c = np.zeros((2, 1, 64), np.float32)
    sr = np.array(RATE, np.int64)
    probs = []
    elapsed = 0.0
    for start in range(0, len(audio), CHUNK):
        chunk = np.zeros((1, CHUNK), np.float32)
        piece = audio[start : start + CHUNK]
        chunk[0, : len(piece)] = piece
        t0 = time.perf_counter()
        out, h, c = session.run(None, {"input": chunk, "sr": sr, "h": h, "c": c})
        elapsed += time.perf_counter() - t0
        probs.append(float(np.asarray(out).reshape(-1)[0]))
    return probs, elapsed


def speech_segments(probs, n_samples, threshold):
    """Silero's hysteresis: speech starts at a chunk >= threshold and ends at the first chunk below
    threshold - 0.15 of a silence that lasts min_silence; too short segments are dropped; then each is padded,
    splitting the gap between two close segments. Returns [(start_sample, end_sample)]."""
    neg_threshold = max(threshold - 0.15, 0.01)
    min_speech = RATE * MIN_SPEECH_MS / 1000
    min_silence = RATE * MIN_SILENCE_MS / 1000
    pad = RATE * SPEECH_PAD_MS // 1000
    segments = []
    start = None  # start of the segment in progress
    silence_from = None  # where the silence that may end it began
    for i, p in enumerate(probs):
        at = i * CHUNK
        if p >= threshold:
            silence_from = None
            if start is None:
                start = at
            continue
        if p < neg_threshold and start is not None:
            if silence_from is None:
                silence_from = at
            if at - silence_from >= min_silence:
                if silence_from - start > min_speech:
                    segments.append([start, silence_from])
                start = silence_from = None
    if start is not None and n_samples - start > min_speech:
        segments.append([start, n_samples])
    for i, seg in enumerate(segments):
        if i == 0:
            seg[0] = max(0, seg[0] - pad)
        if i + 1 < len(segments):
            nxt = segments[i + 1]
            gap = nxt[0] - seg[1]
            if gap < 2 * pad:
                seg[1] += gap // 2
                nxt[0] = max(0, nxt[0] - gap // 2)
            else:
                seg[1] = min(n_samples, seg[1] + pad)
                nxt[0] = max(0, nxt[0] - pad)
        else:
            seg[1] = min(n_samples, seg[1] + pad)
    return [tuple(s) for s in segments]


def read_segments(path):
    """Segments as `vad_demo --segments` writes them: one 'START END' line (samples) per segment."""
    segments = []
    for line in Path(path).read_text().splitlines():
        if line.strip():
            start, end = line.split()
            segments.append((int(start), int(end)))
    return segments


def compare(ours, theirs, tolerance=CHUNK):
    """None when both lists have as many segments and every boundary is within `tolerance` samples; else why not."""
    if len(ours) != len(theirs):
        return f"{len(ours)} segments against {len(theirs)}"
    for n, (a, b) in enumerate(zip(ours, theirs), 1):
        worst = max(abs(a[0] - b[0]), abs(a[1] - b[1]))
        if worst > tolerance:
            return f"segment {n} differs by {worst} samples ({1000 * worst / RATE:.0f} ms)"
    return None


def span(seg):
    return f"{seg[0] / RATE:6.2f} s - {seg[1] / RATE:6.2f} s"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default=str(REPO / "models/silero_vad/model.onnx"))
    ap.add_argument("--wav", default=str(REPO / "models/silero_vad/speech/speech.wav"))
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--beside", metavar="FILE", help="onyx's segments (vad_demo --segments FILE) to compare")
    ap.add_argument("--write-reference", metavar="FILE", help="write the segments as the tests' JSON reference")
    args = ap.parse_args()
    if not 0.0 < args.threshold < 1.0:
        ap.error(f"--threshold {args.threshold}: must lie between 0 and 1")

    import onnxruntime as ort

    try:
        audio = read_wav(args.wav)
    except (OSError, ValueError) as e:
        print(f"vad_demo_ort: error: {e}", file=sys.stderr)
        return 2
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1  # as vad_demo and Silero's own wrapper: one stream, one thread
    opts.inter_op_num_threads = 1
    session = ort.InferenceSession(args.model, opts, providers=["CPUExecutionProvider"])
    probs, elapsed = speech_probabilities(session, audio)
    segments = speech_segments(probs, len(audio), args.threshold)
    seconds = len(audio) / RATE
    timing = (
        f"onnxruntime {ort.__version__} (Python API): {len(probs)} chunks in {elapsed:.2f} s, "
        f"{1000 * elapsed / len(probs):.3f} ms per chunk, {seconds / elapsed:.0f}x real time"
    )

    if args.write_reference:
        # One segment a line, so that a change to the reference reads well in a diff.
        header = {
            "wav": Path(args.wav).name,
            "model": "models/silero_vad/model.onnx",
            "made_by": f"examples/vad_demo_ort.py --write-reference (onnxruntime {ort.__version__})",
            "sample_rate": RATE,
            "chunk": CHUNK,
            "threshold": args.threshold,
            "min_speech_ms": MIN_SPEECH_MS,
            "min_silence_ms": MIN_SILENCE_MS,
            "speech_pad_ms": SPEECH_PAD_MS,
        }
        lines = [f" {json.dumps(k)}: {json.dumps(v)}," for k, v in header.items()]
        rows = ",\n".join(f'  {{"start": {s}, "end": {e}}}' for s, e in segments)
        Path(args.write_reference).write_text("{\n" + "\n".join(lines) + '\n "segments": [\n' + rows + "\n ]\n}\n")
        print(f"wrote {len(segments)} segments to {args.write_reference}")
        return 0

    if not args.beside:
        for n, seg in enumerate(segments, 1):
            print(f"  {n:2d}  {span(seg)}  speech")
        print(timing)
        return 0

    ours = read_segments(args.beside)
    print(f"   #  {'onyx':<21}  onnxruntime {ort.__version__}")
    for n in range(max(len(ours), len(segments))):
        left = span(ours[n]) if n < len(ours) else "-"
        right = span(segments[n]) if n < len(segments) else "-"
        print(f"  {n + 1:2d}  {left:<21}  {right}")
    print(timing)
    why = compare(ours, segments)
    if why:
        print(f"=> onyx and onnxruntime DISAGREE: {why}")
        return 1
    worst = max((max(abs(a[0] - b[0]), abs(a[1] - b[1])) for a, b in zip(ours, segments)), default=0)
    print(f"=> the same {len(ours)} segments; boundaries differ by at most {1000 * worst / RATE:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

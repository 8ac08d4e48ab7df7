#!/usr/bin/env python3
"""Makes speech.wav, the voice-activity demo's recording: seven synthesized English sentences in two voices,
separated by pauses of 0.5 to 3 s, over a quiet background hiss, as 16 kHz mono 16-bit PCM.

    python3 models/silero_vad/speech/make_speech.py models/silero_vad/speech/speech.wav

Needs espeak-ng (speech) and sox (resampling to 16 kHz) on the PATH and numpy; only for regenerating the file,
never for building or testing. It prints where each sentence lies in the file, the truth the detector's
segments are meant to find, and writes it beside the WAV as sentences.json. The output is identical from run
to run with the same espeak-ng and sox (the committed file came from espeak-ng 1.51 and SoX 14.4.2 on
Debian 12).
"""

import json
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

RATE = 16000
LEAD_S = 1.0  # silence before the first sentence
TAIL_S = 1.0  # silence after the last
# (voice, words per minute, sentence, pause after it in seconds); the last pause is the tail.
SCRIPT = [
    ("en-us", 165, "Good morning and welcome to this short demonstration.", 0.8),
    ("en-gb+f3", 175, "This recording was made by a speech synthesizer.", 1.5),
    ("en-us", 165, "The detector listens in steps of thirty two milliseconds.", 0.5),
    ("en-gb+f3", 175, "It carries a small memory from one step to the next.", 2.0),
    ("en-us", 165, "Short gaps inside a sentence are ignored.", 1.2),
    ("en-gb+f3", 175, "A longer pause ends the segment.", 3.0),
    ("en-us", 165, "Thank you for listening.", TAIL_S),
]
SPEECH_PEAK = 0.7  # each sentence scaled to this peak (of full scale)
NOISE_RMS = 0.006  # background hiss, about 44 dB below full scale
SILENCE_LEVEL = 0.01  # samples quieter than this at a clip's ends are trimmed as silence


def synthesize(voice, wpm, text, workdir):
    """One sentence as float32 samples at RATE, its silent ends trimmed."""
    raw = Path(workdir) / "tts.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(raw), text], check=True)
    # sox resamples espeak-ng's 22050 Hz to 16 kHz; float output, so no dither (which would be random).
    pcm = subprocess.run(
        ["sox", str(raw), "-t", "raw", "-e", "floating-point", "-b", "32", "-c", "1", "-r", str(RATE), "-"]
        + ["rate", "-v"],
        check=True,
        capture_output=True,
    ).stdout
    x = np.frombuffer(pcm, dtype="<f4").astype(np.float64)
    x *= SPEECH_PEAK / np.max(np.abs(x))
    loud = np.flatnonzero(np.abs(x) > SILENCE_LEVEL)
    return x[loud[0] : loud[-1] + 1]


def main():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} OUT.wav")
    pieces = [np.zeros(int(LEAD_S * RATE))]
    truth = []
    at = len(pieces[0])
    with tempfile.TemporaryDirectory() as workdir:
        for voice, wpm, text, pause in SCRIPT:
            clip = synthesize(voice, wpm, text, workdir)
            truth.append((at, at + len(clip), voice, text))
            pieces += [clip, np.zeros(int(pause * RATE))]
            at += len(clip) + int(pause * RATE)
    audio = np.concatenate(pieces)
    # Hiss: white noise through a gentle one-pole low-pass, from a fixed seed so the file is reproducible.
    white = np.random.default_rng(20260101).standard_normal(len(audio))
    hiss = np.empty_like(white)
    acc = 0.0
    for i, w in enumerate(white):
        acc = 0.7 * acc + w
        hiss[i] = acc
    audio += hiss * (NOISE_RMS / np.sqrt(np.mean(hiss**2)))
    pcm = np.clip(np.round(audio * 32767), -32768, 32767).astype("<i2")
    with wave.open(sys.argv[1], "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(RATE)
        f.writeframes(pcm.tobytes())
    print(f"{sys.argv[1]}: {len(pcm)} samples, {len(pcm) / RATE:.2f} s")
    print("| # | start (s) | end (s) | start (sample) | end (sample) | voice | sentence |")
    print("|---|---|---|---|---|---|---|")
    for n, (start, end, voice, text) in enumerate(truth, 1):
        print(f"| {n} | {start / RATE:.3f} | {end / RATE:.3f} | {start} | {end} | {voice} | {text} |")
    rows = [json.dumps({"start": s, "end": e, "voice": v, "text": t}) for s, e, v, t in truth]
    text = '{\n "sample_rate": %d,\n "sentences": [\n  %s\n ]\n}\n' % (RATE, ",\n  ".join(rows))
    (Path(sys.argv[1]).parent / "sentences.json").write_text(text)


if __name__ == "__main__":
    main()

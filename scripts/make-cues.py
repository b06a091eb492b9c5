#!/usr/bin/env python3
"""Regenerate the bundled cue sounds in assets/ (one mono 16-bit WAV per cue).

Only the Python standard library is used, so anyone can rebuild the sounds exactly:
    python3 scripts/make-cues.py
The binary embeds the WAVs with include_bytes!, so commit them after regenerating.

Design: every cue is built from soft sine "notes" (a few harmonics, a 4 ms fade-in so
nothing clicks, an exponential decay so nothing drones). Cues differ by pitch *and* by
rhythm, so they can be told apart without looking and without a musical ear:
    tick      one short high click                      (60 ms)
    go        two notes rising, bright                  (~0.4 s)
    rest      two notes falling, low and soft           (~0.6 s)
    switch    the same note twice, quick                (~0.3 s)
    may_stop  one soft bell                             (~0.5 s)
    done      four notes rising (an arpeggio)           (~0.7 s)
"""

import math
import os
import struct
import wave

RATE = 22050  # tones stay below 5 kHz, so 22.05 kHz keeps every partial and halves the size
PEAK = 0.5  # about -6 dBFS: loud enough to hear, headroom for overlapping cues
ASSETS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "assets"))


def note(freq, length, decay, harmonics=((1, 1.0), (2, 0.25), (3, 0.08)), attack=0.004):
    """One note as a list of floats: a sum of harmonics under a fade-in and decay."""
    n = int(RATE * length)
    out = []
    for i in range(n):
        t = i / RATE
        env = min(1.0, t / attack) * math.exp(-t / decay)
        # a short fade-out in the last 5 ms so the note ends exactly at zero
        tail = (n - i) / (RATE * 0.005)
        env *= min(1.0, tail)
        s = sum(a * math.sin(2 * math.pi * freq * h * t) for h, a in harmonics)
        out.append(env * s)
    return out


def silence(length):
    return [0.0] * int(RATE * length)


def mix_at(base, part, at):
    """Add `part` into `base` starting at `at` seconds, growing base as needed."""
    start = int(RATE * at)
    end = start + len(part)
    if len(base) < end:
        base.extend([0.0] * (end - len(base)))
    for i, s in enumerate(part):
        base[start + i] += s
    return base


def normalise(samples):
    peak = max(abs(s) for s in samples) or 1.0
    return [s * PEAK / peak for s in samples]


def cues():
    bell = ((1, 1.0), (2.76, 0.3), (5.4, 0.1))  # inharmonic partials sound like a small bell
    return {
        "tick": note(1800, 0.060, 0.015, harmonics=((1, 1.0), (2, 0.2))),
        "go": mix_at(note(660, 0.15, 0.08), note(988, 0.25, 0.10), 0.13),
        "rest": mix_at(
            note(523, 0.25, 0.12, harmonics=((1, 1.0), (2, 0.1))),
            note(392, 0.35, 0.15, harmonics=((1, 1.0), (2, 0.1))),
            0.24,
        ),
        "switch": mix_at(note(784, 0.11, 0.05), note(784, 0.11, 0.05), 0.17),
        "may_stop": note(1319, 0.5, 0.16, harmonics=bell),
        "done": mix_at(
            mix_at(mix_at(note(523, 0.14, 0.08), note(659, 0.14, 0.08), 0.12), note(784, 0.14, 0.08), 0.24),
            note(1047, 0.34, 0.14),
            0.36,
        ),
    }


def write(name, samples):
    path = os.path.join(ASSETS, f"{name}.wav")
    data = b"".join(struct.pack("<h", round(s * 32767)) for s in normalise(samples))
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(data)
    print(f"{path}: {len(samples) / RATE * 1000:.0f} ms, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    os.makedirs(ASSETS, exist_ok=True)
    for name, samples in cues().items():
        write(name, samples)

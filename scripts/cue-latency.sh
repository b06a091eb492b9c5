#!/bin/sh
# Cue latency, in two parts:
# 1. from a recording: how late the first cue after `prepare` sounds compared with a cue on a
#    stream that is already running (examples/cue_latency.rs);
# 2. play -> the device callback taking the cue's samples (examples/cue_start.rs), and the
#    buffer and sink latency PulseAudio reports for our stream; their sum is the cue latency.
# Needs the PulseAudio null sink described in scripts/record-cues.sh. A null sink only runs at
# low latency while some client asks for it (a hardware sink adapts by itself), so a
# low-latency parecord runs throughout.
# Usage: scripts/cue-latency.sh [lead-ms ...]   (default: 0 100 300 500)
set -eu
cargo build --release --example cue_latency --example cue_start >/dev/null 2>&1
out=/tmp/supple-latency.wav
parecord --latency-msec=20 -d null.monitor --file-format=wav "$out" &
rec=$!
sleep 1.5
target/release/examples/cue_latency "$@"
kill "$rec"
wait "$rec" 2>/dev/null || true
# Onsets of the ticks, then each pair's gap minus the nominal 1000 ms.
sox "$out" -c 1 -t dat - 2>/dev/null | awk '
  /^;/ { next }
  { t = $1; a = ($2 < 0 ? -$2 : $2) }
  a > 0.02 && t - last > 0.3 { n++; on[n] = t }
  a > 0.02 { last = t }
  END { for (i = 1; i + 1 <= n; i += 2)
          printf "pair %d: first tick %.1f ms later than a tick on a running stream\n",
                 (i + 1) / 2, (1.0 - (on[i + 1] - on[i])) * 1000 }'

parecord --latency-msec=20 -d null.monitor "$out" &
rec=$!
sleep 1
target/release/examples/cue_start &
run=$!
sleep 1.2
pactl list sink-inputs | grep -E "Buffer Latency|Sink Latency"
wait "$run"
kill "$rec"
wait "$rec" 2>/dev/null || true

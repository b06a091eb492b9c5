#!/bin/sh
# How well cues keep to their moments, from a recording (examples/cue_latency.rs): rounds of
# five ticks one second apart, the 1st, 2nd, 4th and 5th foreseen (placed on their moments in
# the stream's buffer ahead of time), the 3rd not (played when its moment comes, as after a
# key). Prints the gaps between onsets minus 1000 ms: 2-1 is a stream keeping its own time,
# 3-2 how late an unforeseen cue sounds, 4-1 minus 3000 whether two streams agree on the clock.
# Needs the PulseAudio null sink described in scripts/record-cues.sh, and sox.
#
# The recorder asks for 20 ms of latency, which makes the null sink run at 20 ms. At its
# default latency the sink renders up to a period of supple's stream ahead, and when a stream
# comes or goes it rewinds and renders again: its monitor then loses or shifts sounds it had
# already passed on (a raw cpal stream, without supple's engine, lost ticks rendered a second
# before it closed). Set LATENCY=ms to record at another latency.
# Usage: scripts/cue-latency.sh [rounds [period-ms]]   (default 4 rounds, the shipped period)
set -eu
cargo build --release --example cue_latency >/dev/null 2>&1
out=/tmp/supple-latency.wav
parecord --latency-msec="${LATENCY:-20}" -d null.monitor --file-format=wav "$out" &
rec=$!
# The null sink and its monitor settle for a second or two after the recorder connects:
# sound played in that time comes out shifted by up to 0.7 s (it looked like a late first
# stream until the recorder got a longer lead).
sleep 3
target/release/examples/cue_latency "$@"
kill "$rec"
wait "$rec" 2>/dev/null || true
sox "$out" -c 1 -t dat - 2>/dev/null | awk '
  /^;/ { next }
  { t = $1; a = ($2 < 0 ? -$2 : $2) }
  a > 0.02 && t - last > 0.3 { n++; on[n] = t }
  a > 0.02 { last = t }
  END { for (i = 1; i + 4 <= n; i += 5)
          printf "round %d: 2-1 %+.1f ms, 3-2 (unforeseen) %+.1f ms, 4-3 %+.1f ms, 5-4 %+.1f ms, 4-1 vs 3 s %+.1f ms\n",
                 (i + 4) / 5, (on[i+1]-on[i]-1)*1000, (on[i+2]-on[i+1]-1)*1000, (on[i+3]-on[i+2]-1)*1000,
                 (on[i+4]-on[i+3]-1)*1000, (on[i+3]-on[i]-3)*1000 }'

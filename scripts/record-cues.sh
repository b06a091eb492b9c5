#!/bin/sh
# Records what `supple sounds` plays, from a PulseAudio null sink's monitor, and prints sox's
# statistics of the recording: proof that the cues are audible on a machine with no sound card.
#
# Setup once (as in the audio report): apt-get install pulseaudio pulseaudio-utils
#   libasound2-plugins sox; pulseaudio -D --exit-idle-time=-1 --system=false;
#   pactl load-module module-null-sink sink_name=null; pactl set-default-sink null;
#   ~/.asoundrc: pcm.!default { type pulse }  ctl.!default { type pulse }
# Usage: scripts/record-cues.sh [path/to/supple] [out.wav]
set -eu
supple=${1:-target/release/supple}
out=${2:-/tmp/supple-cues.wav}
parecord --latency-msec=20 -d null.monitor --file-format=wav "$out" &
rec=$!
# parecord drops what arrives in its first second or so
sleep 3
"$supple" sounds
sleep 0.5
kill "$rec"
wait "$rec" 2>/dev/null || true
sox "$out" -n stat 2>&1
# One line per burst of sound: start time and length, to check that every cue was heard.
sox "$out" -c 1 -t dat - 2>/dev/null | awk '
  /^;/ { next }
  { t = $1; a = ($2 < 0 ? -$2 : $2) }
  a > 0.02 { if (!on) { start = t; on = 1 } last = t; next }
  on && t - last > 0.1 { printf "sound at %.3f s for %.0f ms\n", start, (last - start) * 1000; on = 0 }
  END { if (on) printf "sound at %.3f s for %.0f ms\n", start, (last - start) * 1000 }'

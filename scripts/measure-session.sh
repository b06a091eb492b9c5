#!/bin/sh
# Wakeups and CPU of supple's audio and of the sound server over the cues of a 60 s routine
# (examples/session_cues.rs: four 15 s steps, each ending with 3-2-1 ticks and a cue).
# Needs a working output (see scripts/record-cues.sh).
# Usage: scripts/measure-session.sh
set -eu
cargo build --release --example session_cues >/dev/null 2>&1
hz=$(getconf CLK_TCK)
# Voluntary context switches of every thread, alive or exited: /proc/PID/status counts the
# main thread only, so sum the live threads at each sample and keep each thread's last count.
# The sound server we talk to (another user's PulseAudio may run too): its pid file sits
# next to the socket `pactl info` names.
pa=$(cat "$(pactl info 2>/dev/null | sed -n 's/^Server String: \(.*\)\/native$/\1/p')/pid" 2>/dev/null || true)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sample() {
    for task in /proc/"$1"/task/*; do
        n=$(awk '/^voluntary_ctxt_switches/ { print $2 }' "$task/status" 2>/dev/null) && echo "$1.${task##*/} $n"
    done
}
target/release/examples/session_cues &
pid=$!
start=$(date +%s.%N)
pc0=0; [ -n "$pa" ] && pc0=$(awk '{ print $14 + $15 }' /proc/"$pa"/stat)
[ -n "$pa" ] && sample "$pa" >"$tmp/pa0"
while kill -0 "$pid" 2>/dev/null; do
    { sample "$pid"; [ -n "$pa" ] && sample "$pa"; } >>"$tmp/samples" 2>/dev/null || true
    c=$(awk '{ print $14 + $15 }' /proc/"$pid"/stat 2>/dev/null) && echo "$c" >"$tmp/cpu"
    sleep 0.2
done
end=$(date +%s.%N)
pc1=0; [ -n "$pa" ] && pc1=$(awk '{ print $14 + $15 }' /proc/"$pa"/stat)
awk -v pid="$pid" -v pa="$pa" -v secs="$(echo "$end - $start" | bc)" -v cpu="$(cat "$tmp/cpu")" \
    -v pacpu="$((pc1 - pc0))" -v hz="$hz" '
    FILENAME ~ /pa0$/ { base[$1] = $2; next }
    { last[$1] = $2 }
    END {
        for (t in last) { split(t, p, "."); w = last[t] - (t in base ? base[t] : 0)
                          if (p[1] == pid) s += w; else ps += w }
        printf "60 s routine, %.1f s: supple %.2f wakeups/s, %.3f %% CPU\n", secs, s / secs, cpu / hz / secs * 100
        if (pa != "") printf "                     pulseaudio %.2f wakeups/s, %.3f %% CPU\n", ps / secs, pacpu / hz / secs * 100
    }' "$tmp/pa0" "$tmp/samples"

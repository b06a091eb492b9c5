#!/bin/sh
# CPU time and context switches (wakeups) of supple's audio, and of the sound server, during
# 6 s without cues (from 3.5 s to 9.5 s after a cue), with the output closed when idle (as
# shipped) and kept open (for comparison). Needs a working output (see scripts/record-cues.sh).
# Usage: scripts/measure-idle.sh [period-ms]   (device period; default as shipped)
# A null sink runs at high latency unless a client asks for less, so "open" figures differ
# with and without a low-latency recorder running (parecord --latency-msec=20 -d null.monitor
# FILE); a hardware sink honours the stream's own 20 ms request.
set -eu
cargo build --release --example idle_cues >/dev/null 2>&1
bin=target/release/examples/idle_cues
hz=$(getconf CLK_TCK)

# Voluntary context switches (a thread went to sleep: one wakeup each) per live thread of $1,
# as "tid count" lines; involuntary ones only measure how busy the other processes are.
snapshot() {
    for task in /proc/"$1"/task/*; do
        n=$(awk '/^voluntary_ctxt_switches/ { print $2 }' "$task/status" 2>/dev/null) && echo "${task##*/} $n"
    done
}
# Wakeups between two snapshots: threads in both count their difference, new ones their total.
switches_between() {
    awk 'NR == FNR { before[$1] = $2; next } { s += $2 - ($1 in before ? before[$1] : 0) } END { print s + 0 }' "$1" "$2"
}
# utime + stime of $1 in clock ticks (includes threads that already exited).
cputicks() { awk '{ print $14 + $15 }' /proc/"$1"/stat; }
threads() { ls /proc/"$1"/task | wc -l; }

# The sound server we talk to (another user's PulseAudio may run too): its pid file sits
# next to the socket `pactl info` names.
pa=$(cat "$(pactl info 2>/dev/null | sed -n 's/^Server String: \(.*\)\/native$/\1/p')/pid" 2>/dev/null || true)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for mode in closed open; do
    "$bin" "$mode" ${1:-} &
    pid=$!
    sleep 3.5
    snapshot "$pid" >"$tmp/s0"; c0=$(cputicks "$pid"); t=$(threads "$pid")
    if [ -n "$pa" ]; then snapshot "$pa" >"$tmp/p0"; pc0=$(cputicks "$pa"); fi
    sleep 6
    snapshot "$pid" >"$tmp/s1"; c1=$(cputicks "$pid")
    if [ -n "$pa" ]; then snapshot "$pa" >"$tmp/p1"; pc1=$(cputicks "$pa"); fi
    wait "$pid"
    s=$(switches_between "$tmp/s0" "$tmp/s1")
    if [ -n "$pa" ]; then ps=$(switches_between "$tmp/p0" "$tmp/p1"); fi
    awk -v m="$mode" -v s="$s" -v c="$((c1 - c0))" -v t="$t" -v hz="$hz" 'BEGIN {
        printf "stream %-6s supple: %5.1f wakeups/s, %5.2f %% CPU, %d threads\n", m, s / 6, c / hz / 6 * 100, t }'
    if [ -n "$pa" ]; then
        awk -v s="$ps" -v c="$((pc1 - pc0))" -v hz="$hz" 'BEGIN {
            printf "               pulseaudio: %5.1f wakeups/s, %5.2f %% CPU\n", s / 6, c / hz / 6 * 100 }'
    fi
done

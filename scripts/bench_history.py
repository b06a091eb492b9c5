#!/usr/bin/env python3
"""Times the real `supple` binary over a large history (SPEC section 9).

Builds the release binary, writes an export file of N sessions (default 100,000: about three
a day over the years before today, six routines, five steps each, check-ins on a third),
imports it into a temporary SUPPLE_DATA_DIR, then runs `supple stats --json` and
`supple history --since <last week>` repeatedly and prints min / median / max wall time.
Target: `stats --json` over 100,000 sessions <= 150 ms.

Usage: scripts/bench_history.py [SESSIONS] [RUNS]
"""

import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

ROUTINES = ["post-ride", "morning-mobility", "bedtime", "glute-activation", "core-stability", "hip-flexors"]


def sessions(count):
    tz = datetime.timezone(datetime.timedelta(hours=1))
    base = datetime.datetime.now(tz).replace(microsecond=0)
    for n in range(count):
        start = base - datetime.timedelta(hours=n * 8 + 1)
        yield {
            "id": str(uuid.UUID(int=n + 1)),
            "routine": ROUTINES[n % 6],
            "title": "A routine",
            "routine_hash": "0" * 64,
            "started_at": start.isoformat(),
            "ended_at": (start + datetime.timedelta(minutes=5)).isoformat(),
            "status": "stopped" if n % 10 == 0 else "completed",
            "planned_secs": 300,
            "active_secs": 290,
            "steps_total": 5,
            "steps_done": 5,
            "steps_skipped": 0,
            "pain_before": 6 if n % 3 == 0 else None,
            "pain_after": 3 if n % 3 == 0 else None,
            "note": None,
            "steps": [
                {
                    "index": i, "exercise": f"Exercise {i}", "side": "left" if i % 2 == 0 else None,
                    "set": 1, "round": 1, "kind": "work" if i % 2 == 0 else "rest", "planned_secs": 30,
                    "active_secs": 30, "reps_target": None, "reps_done": None, "skipped": False,
                }
                for i in range(5)
            ],
        }


def timed(cmd, env, runs):
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - began) * 1000)
    return min(times), statistics.median(times), max(times)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=root, check=True)
    binary = os.path.join(root, "target", "release", "supple")
    with tempfile.TemporaryDirectory() as tmp:
        export = os.path.join(tmp, "history.json")
        with open(export, "w") as f:
            json.dump({"version": 1, "sessions": list(sessions(count))}, f)
        env = dict(os.environ, SUPPLE_DATA_DIR=os.path.join(tmp, "data"), SUPPLE_CONFIG_DIR=os.path.join(tmp, "config"))
        began = time.perf_counter()
        subprocess.run([binary, "import", export], env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"import of {count} sessions: {(time.perf_counter() - began) * 1000:.0f} ms")
        timed([binary, "stats", "--json"], env, 2)  # warm the file cache
        since = (datetime.date.today() - datetime.timedelta(days=7)).isoformat()
        for name, cmd in [
            ("stats --json", [binary, "stats", "--json"]),
            ("stats", [binary, "stats"]),
            ("history --since last week", [binary, "history", "--since", since]),
            ("--version (process start, no history)", [binary, "--version"]),
        ]:
            low, mid, high = timed(cmd, env, runs)
            print(f"{name:40} min {low:6.1f} ms  median {mid:6.1f} ms  max {high:6.1f} ms  ({count} sessions)")


if __name__ == "__main__":
    main()

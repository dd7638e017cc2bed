#!/usr/bin/env python3
"""What the collector did in each p2p step: cycles, heap left after them, and bytes allocated per message.

Usage: bench/profiles/gc_per_step.py <server.log> <results.json> <server> [<repetition>]

<server.log> is the server's log from bench/results/tmp/logs (the benchmark starts every JVM server with
`-Xlog:gc:stdout`; the logs are overwritten by the next run of the same server and scenario, so they hold its last
repetition); <results.json> is the run's bench/results JSON, whose p2p result gives each step's start in the server's
uptime (`from_uptime_s`) and its rate. Reads ZGC's one-line summaries, `[<uptime>s]... Collection (<cause>)
<before>M(..)-><after>M(..) <seconds>s`, so it needs `-Xlog:gc` (not gc*) and ZGC. A line starting `== ` (the
benchmark's command line at each start) begins a new process: only the cycles after the last one are read.

The generator's own reader of these logs (bench/generator GcLog.java) keeps only each cycle's times, for the
collector's seconds inside a latency window; this one also needs the heap before and after each cycle, and runs on
logs kept from earlier runs, so it reads the lines itself, with the same rule for restarts.

A step's window runs from its start to the next step's start, or for the last step for the length of a step of that
size (bench/README.md, "Scenarios"). Allocation between two cycles is the heap at the start of the later one less the
heap the earlier one left, over the time between them; a step's rate is the mean of those intervals weighted by how
much of each lies in its window. It is a floor, as whatever was allocated and freed within a cycle is not seen.
Each step prints its offered rate, the node's CPU, its p99, the cycles that ended in it, the median heap left by its
minor cycles (what the old generation and the survivors hold; "-" when none ended in it), and the allocation in MB/s
and KB per message. A step that no usable interval overlaps is left out.
"""
import json
import re
import statistics
import sys

LINE = re.compile(r"\[([\d.]+)s\].*\b(Minor|Major) Collection \((?:[^()]|\([^()]*\))*\) "
                  r"(\d+)M\(\d+%\)->(\d+)M\(\d+%\) ([\d.]+)s")
STEP_S = {"quick": 3.0, "full": 10.0, "smoke": 1.0}  # a p2p step's length (bench/generator Sizes.java)
MIN_INTERVAL_S = 0.05  # cycles that overlap (a major under minors) or follow within 50 ms give no usable interval


def cycles(path):
    """ZGC's cycles of the log's last process: (start_s, end_s, kind, heap_before_mb, heap_after_mb), in order."""
    out = []
    with open(path) as f:
        for line in f:
            if line.startswith("== "):
                out = []
                continue
            m = LINE.search(line)
            if m:
                end, took = float(m.group(1)), float(m.group(5))
                out.append((end - took, end, m.group(2), int(m.group(3)), int(m.group(4))))
    return out


def main(argv):
    if len(argv) not in (4, 5):
        sys.exit(__doc__)
    log, results, server = argv[1], argv[2], argv[3]
    repetition = int(argv[4]) if len(argv) == 5 else None
    doc = json.load(open(results))
    step_s = next((v for k, v in STEP_S.items() if f"bench/run {k}" in doc.get("command", "")), 3.0)
    runs = [r for r in doc["results"]
            if r["scenario"] == "p2p" and r["server"] == server
            and (repetition is None or r.get("repetition", 1) == repetition)]
    if not runs:
        sys.exit(f"no p2p result for {server} in {results}")
    cyc = cycles(log)
    if len(cyc) < 2:
        sys.exit(f"fewer than two ZGC cycles in {log}: not a ZGC log with -Xlog:gc?")
    gaps = [(cyc[i - 1][1], cyc[i][0], (cyc[i][3] - cyc[i - 1][4]) / (cyc[i][0] - cyc[i - 1][1]))
            for i in range(1, len(cyc)) if cyc[i][0] - cyc[i - 1][1] >= MIN_INTERVAL_S]
    steps = runs[-1]["steps"]
    print("step msg/s  cpu%   p99 ms  cycles  heap after minor MB  alloc MB/s  KB/msg")
    for k, step in enumerate(steps):
        a = step["from_uptime_s"]
        b = steps[k + 1]["from_uptime_s"] if k + 1 < len(steps) else a + step_s
        weighted = [(min(v, b) - max(u, a), r) for (u, v, r) in gaps if v > a and u < b]
        ended = [c for c in cyc if a <= c[1] < b]
        left = [c[4] for c in ended if c[2] == "Minor"]
        if not weighted:
            continue
        mbps = sum(w * r for w, r in weighted) / sum(w for w, _ in weighted)
        print("%10d  %4.0f  %7.2f  %6d  %19s  %10.0f  %6.1f" % (
            step["offered_msgs_s"], step["server_cpu_pct"], step["p99_ms"], len(ended),
            "%.0f" % statistics.median(left) if left else "-", mbps, mbps * 1024 / step["offered_msgs_s"]))


if __name__ == "__main__":
    main(sys.argv)

#!/usr/bin/env python3
"""Second by second, how much of the node's core its JIT compiler threads took, from a flight recording.

Usage: bench/profiles/jit_share.py <recording.jfr>[:<from_s>-<to_s>]...

Each recording is one server's, made by the benchmark with `MATCHBOOK_BENCH_SERVER_JAVA_OPTS` set to
`-XX:StartFlightRecording:duration=19s,filename=/tmp/jfr/rec-%p.jfr,jdk.ThreadCPULoad#period=1s,jdk.CPULoad#period=1s`
(a flight recording loads no agent, so the node keeps its AOT cache: the warm start production has; `duration` makes
the JVM write the file before the benchmark's SIGKILL). The optional window, in seconds since the JVM started, is
the p2p scenario's measured phase (`fixed_from_s` and `fixed_to_s` in the results' JSON); its seconds are marked
with `*` and summed.

Reads the recording with the JDK's `jfr print --json` (on the PATH). JFR gives each thread's CPU load and the JVM's
as fractions of all the machine's cores; the benchmark pins a server to one core, so they are scaled here to that
one core (times the machine's core count from `jdk.CPUInformation`). Prints per second after the JVM's start, for
the second that ends there: the compiler threads' share of the core (`C1 CompilerThread*`, `C2 CompilerThread*`) and
the whole JVM's. A share can pass 100 by a few points: the threads' and the JVM's samples are not taken at the same
instant.
"""
import collections
import datetime
import sys

from jfr_events import events


TYPES = ("jdk.ThreadCPULoad", "jdk.CPULoad", "jdk.JVMInformation", "jdk.CPUInformation")


def per_second(path):
    """Returns {second since JVM start: (JIT share of the core, JVM share of the core)}, both in percent."""
    all_events = events(path, TYPES)
    start = cores = None
    for e in all_events:
        if e["type"] == "jdk.JVMInformation":
            start = datetime.datetime.fromisoformat(e["values"]["jvmStartTime"])
        elif e["type"] == "jdk.CPUInformation":
            cores = e["values"]["hwThreads"]
    if start is None or not cores:
        raise SystemExit(path + ": no jdk.JVMInformation or jdk.CPUInformation event")
    jit = collections.defaultdict(float)
    jvm = {}
    for e in all_events:
        if e["type"] not in ("jdk.ThreadCPULoad", "jdk.CPULoad"):
            continue
        v = e["values"]
        second = int((datetime.datetime.fromisoformat(v["startTime"]) - start).total_seconds())
        if e["type"] == "jdk.CPULoad":
            jvm[second] = (v["jvmUser"] + v["jvmSystem"]) * cores * 100
        elif "CompilerThread" in (v["eventThread"]["javaName"] or ""):
            jit[second] += (v["user"] + v["system"]) * cores * 100
    # The JVM's first load sample has no interval before it and reads 0.
    first = min(jvm) if jvm else None
    return {s: (jit.get(s, 0.0), jvm[s]) for s in sorted(jvm) if s != first}


def main(args):
    if not args:
        raise SystemExit(__doc__)
    for arg in args:
        path, _, window = arg.partition(":")
        lo, hi = (float(x) for x in window.split("-")) if window else (None, None)
        print(path + (f" (measured phase {lo}-{hi} s)" if window else ""))
        print("  second   JIT %   JVM %")
        in_window = []
        for second, (jit, jvm) in per_second(path).items():
            inside = window and lo < second < hi + 1   # the second ending at `second` overlaps the phase
            if inside:
                in_window.append((jit, jvm))
            print(f"  {second:6d}  {jit:6.0f}  {jvm:6.0f}{'  *' if inside else ''}")
        if in_window:
            print(f"  measured phase: JIT {sum(j for j, _ in in_window) / len(in_window):.0f}% of the core, "
                  f"JVM {sum(v for _, v in in_window) / len(in_window):.0f}%, mean of {len(in_window)} seconds")


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env python3
"""What the node's JIT compiled in a window of its life, and what it threw away, from a flight recording.

Usage: bench/profiles/jit_compiles.py [--top N] <recording.jfr>[:<from_s>-<to_s>]...

The recording is one server's, made by the benchmark with `MATCHBOOK_BENCH_SERVER_JAVA_OPTS` set to
`-XX:StartFlightRecording:duration=25s,filename=/tmp/jfr/rec-%p.jfr,jdk.Compilation#enabled=true,`
`jdk.Compilation#threshold=0ms,jdk.Deoptimization#enabled=true,jdk.Deoptimization#stackTrace=false`
(every compilation, not only those over the default profile's 1 s; a recording loads no agent, so the node keeps its
AOT cache). The window is in seconds since the JVM started (default: the whole recording); p2p's measured phase is
`fixed_from_s`-`fixed_to_s` in the results' JSON.

Prints, for compilations that began in the window: the seconds and the count per tier (1-3 C1, 4 C2), the C2
compilations' time by top-level package, the N longest C2 compilations summed per method (a method compiled again
after a deoptimization is counted twice), and the deoptimizations per method and reason. A compilation's time is the
event's duration, wall time on its compiler thread: on the benchmark's one shared core it includes the time that
thread waited for the core, so compare methods within one recording, not seconds across recordings (for the JIT's
share of the core, bench/profiles/jit_share.py reads the threads' CPU load).

Reads the recording with the JDK's `jfr print --json` (on the PATH).
"""
import collections
import datetime
import re
import sys

from jfr_events import events

TIERS = {1: "C1 (tier 1)", 2: "C1 (tier 2)", 3: "C1 (tier 3, profiling)", 4: "C2"}
TYPES = ("jdk.Compilation", "jdk.Deoptimization", "jdk.JVMInformation")


def seconds(duration):
    """An ISO-8601 duration as `jfr print --json` writes it (PT0.012S, PT1M2.5S), in seconds."""
    m = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", duration)
    if not m:
        raise ValueError("not a duration: " + duration)
    h, mi, s = m.groups()
    return int(h or 0) * 3600 + int(mi or 0) * 60 + float(s or 0)


def class_name(method):
    """The class's binary name; a hidden class (a lambda's) without its address suffix (Outbox$$Lambda/0x...)."""
    return re.sub(r"/0x[0-9a-f]+$", "", method["type"]["name"]).replace("/", ".")


def method_name(method):
    return class_name(method) + "." + method["name"]


def package(method):
    """The first three parts of the class's package (com.matchbook.realtime, java.util), or fewer."""
    parts = class_name(method).split(".")[:-1]
    return ".".join(parts[:3]) or "(default)"


def report(path, lo, hi, top):
    all_events = events(path, TYPES)
    start = next((datetime.datetime.fromisoformat(e["values"]["jvmStartTime"]) for e in all_events
                  if e["type"] == "jdk.JVMInformation"), None)
    if start is None:
        raise SystemExit(path + ": no jdk.JVMInformation event")
    tiers = collections.defaultdict(lambda: [0.0, 0])
    c2_packages = collections.Counter()
    c2_methods = collections.Counter()
    c2_count = collections.Counter()
    deopts = collections.Counter()
    for e in all_events:
        v = e["values"]
        if e["type"] not in ("jdk.Compilation", "jdk.Deoptimization"):
            continue
        at = (datetime.datetime.fromisoformat(v["startTime"]) - start).total_seconds()
        if (lo is not None and at < lo) or (hi is not None and at > hi):
            continue
        if e["type"] == "jdk.Deoptimization":
            deopts[(method_name(v["method"]), v["reason"], v["action"])] += 1
            continue
        took = seconds(v["duration"])
        tier = tiers[v["compileLevel"]]
        tier[0] += took
        tier[1] += 1
        if v["compileLevel"] == 4:
            c2_packages[package(v["method"])] += took
            c2_methods[method_name(v["method"])] += took
            c2_count[method_name(v["method"])] += 1
    window = f"{lo}-{hi} s" if lo is not None else "the whole recording"
    print(f"{path}: compilations that began in {window} after the JVM's start")
    for level in sorted(tiers):
        print(f"  {TIERS.get(level, level)}: {tiers[level][0]:.2f} s in {tiers[level][1]} compilations")
    print("  C2 by package:")
    for name, took in c2_packages.most_common(top):
        print(f"    {took:7.3f} s  {name}")
    print("  C2, longest per method:")
    for name, took in c2_methods.most_common(top):
        print(f"    {took:7.3f} s  x{c2_count[name]}  {name}")
    print(f"  deoptimizations: {sum(deopts.values())}")
    for (name, reason, action), n in deopts.most_common(top):
        print(f"    x{n}  {name}  {reason} -> {action}")


def main(args):
    top = 15
    if args[:1] == ["--top"]:
        top = int(args[1])
        args = args[2:]
    if not args:
        raise SystemExit(__doc__)
    for arg in args:
        path, _, window = arg.partition(":")
        lo, hi = (float(x) for x in window.split("-")) if window else (None, None)
        report(path, lo, hi, top)


if __name__ == "__main__":
    main(sys.argv[1:])

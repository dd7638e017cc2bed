#!/usr/bin/env python3
"""Where each server's one core goes, thread group by thread group, read from the kernel's scheduler statistics.

Usage:
    bench/profiles/thread_cpu.py record <out.jsonl> <seconds> &     # beside `bench/run quick ... --scenarios p2p`
    bench/profiles/thread_cpu.py phase <out.jsonl> <quick.json>      # per server: its p2p measured phase
    bench/profiles/thread_cpu.py steps <out.jsonl> <quick.json>      # per server: each step of its p2p ramp
    bench/profiles/thread_cpu.py seconds <out.jsonl>                 # per server: JIT and the rest, second by second

Why not a flight recording or a profiler (jit_share.py, async-profiler): this reads `/proc/<pid>/task/<tid>/schedstat`
from outside, so it loads nothing into the server (an agent costs the node its AOT cache, a recording its own
threads' CPU), and it reads the Node peers too. schedstat gives, per thread, nanoseconds run on a CPU and
nanoseconds waited runnable for one (Linux, Documentation/scheduler/sched-stats.rst): "wait" is the time a
thread was ready but its core was busy with another.

`record` polls every 0.5 s, for `seconds`, the servers this checkout's benchmark starts: `java ... -jar` of this
checkout's `server/target/matchbook-server.jar` or of its hubs (`bench/netty-hub`, `bench/helidon-hub`), and `node`
of its peers (`bench/peers/*.js`); not an AOT training run, the builds' `find` and `mvn`, nor a server of another
checkout or of the integration tests (those run `target/...` by a relative path). Each line: the poll's time,
{pid/tid: [thread name, run ns, wait ns, timeslices]}, {pid: arguments} and {pid: start time, epoch seconds, from
`/proc/<pid>/stat`}. The poller costs a few percent of a core somewhere on the machine: compare servers of the same
recorded run.

`phase` prints, per p2p result in the results' JSON, the shares of its server's core in its measured phase
(`fixed_from_s`-`fixed_to_s` after launch): run and wait per thread group, each as a fraction of the window (a group
of several threads can wait more than 100%). The k-th p2p result of a server kind is paired with the k-th launch of
that kind that the recording saw, so record one `bench/run` whose only scenario is p2p (`--repeat N` is fine). Each
edge of the window is the nearest poll, at most 0.5 s away, else the window is reported missing; a thread that ended
inside the window is not counted. The Redis kinds (two nodes and a Redis per launch) are not read.

`steps` pairs results and launches the same way and prints, for each step of the ramp after the measured phase, the
run share of each group and how often a second its threads were put on a CPU (the third schedstat field: a wake-up or
a preemption each), so two servers can be compared at the same offered rate once the JIT is done.

Groups: `jit` (the C1/C2 compiler threads), `gc` (ZGC's threads and the VM thread, which also runs every other
safepoint operation), `carrier` (the virtual threads' ForkJoinPool carriers, with the JDK's per-carrier pollers,
which are virtual threads on JDK 25), `journal` (the journal's writer and applier), `poller` (the JDK's master
poller), `app` (the rest: Netty's event loop, the JVM's other threads; for Node everything, since Node names all its
threads `node`, so its compiler cannot be told from its event loop here).
"""
import collections
import glob
import json
import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JARS = {str(ROOT / "server/target/matchbook-server.jar"): "matchbook",
        str(ROOT / "bench/netty-hub/target/netty-hub.jar"): "netty",
        str(ROOT / "bench/helidon-hub/target/helidon-hub.jar"): "helidon",
        str(ROOT / "bench/nio-hub/target/nio-hub.jar"): "nio"}
SCRIPTS = {str(ROOT / "bench/peers/ws-server.js"): "ws", str(ROOT / "bench/peers/socketio-server.js"): "socketio"}
# Settings.storeName: what each value of matchbook.store names (trimmed, lower case).
STORES = {"": "tiered", "embedded": "tiered", "sqlite": "disk"}


def program(args):
    """The jar or script a command line runs (absolute path), or None when it is none of this checkout's servers."""
    if len(args) < 2 or any(a.startswith("-XX:AOTCacheOutput") for a in args):
        return None
    name = args[0].rsplit("/", 1)[-1]
    if name == "java":
        jar = next((args[i + 1] for i in range(1, len(args) - 1) if args[i] == "-jar"), None)
        return jar if jar in JARS else None
    return args[1] if name == "node" and args[1] in SCRIPTS else None


def server_of(args):
    """The benchmark's name for a server's command line (ServerKind): the Redis kinds as matchbook-redis."""
    jar = program(args)
    if jar in SCRIPTS:
        return SCRIPTS[jar]
    if JARS[jar] != "matchbook":
        return JARS[jar]
    flags = [a for a in args[:args.index("-jar")] if a.startswith("-D")]
    last = {}
    for f in flags:   # the JVM keeps the last -D of a name
        name, _, value = f[2:].partition("=")
        last[name] = value
    if last.get("matchbook.broker", "").strip().lower() == "redis":
        return "matchbook-redis"
    store = last.get("matchbook.store", "").strip().lower()
    store = STORES.get(store, store)
    return "matchbook" if store == "memory" else "matchbook-" + store


def started(pid, boot, ticks):
    """When the process started, epoch seconds (field 22 of /proc/<pid>/stat: clock ticks after boot), or None."""
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        return None
    return boot + int(stat.rsplit(")", 1)[1].split()[19]) / ticks


def record(out_path, seconds):
    end = time.time() + seconds
    boot = next(int(line.split()[1]) for line in open("/proc/stat") if line.startswith("btime "))
    ticks = os.sysconf("SC_CLK_TCK")
    commands, starts = {}, {}
    with open(out_path, "w") as out:
        while time.time() < end:
            now = time.time()
            pids = []
            for path in glob.glob("/proc/[0-9]*/cmdline"):
                try:
                    args = open(path, "rb").read().decode(errors="replace").split("\0")[:-1]
                except OSError:
                    continue
                if program(args):
                    pid = path.split("/")[2]
                    pids.append(pid)
                    commands[pid] = args
                    if pid not in starts:
                        starts[pid] = started(pid, boot, ticks)
            threads = {}
            for pid in pids:
                for task in glob.glob(f"/proc/{pid}/task/*"):
                    try:
                        name = open(task + "/comm").read().strip()
                        run, wait, slices = (int(v) for v in open(task + "/schedstat").read().split())
                    except (OSError, ValueError):
                        continue   # the thread or process ended between the listing and the read
                    threads[pid + "/" + task.rsplit("/", 1)[1]] = [name, run, wait, slices]
            out.write(json.dumps({"t": now, "threads": threads, "commands": {p: commands[p] for p in pids},
                                  "started": {p: starts[p] for p in pids}}) + "\n")
            out.flush()
            time.sleep(max(0.0, 0.5 - (time.time() - now)))


def group(name):
    if name.startswith(("C1 ", "C2 ")):
        return "jit"
    if name.startswith(("Z", "GC ", "VM Thread")):
        return "gc"
    if name.startswith("ForkJoinPool"):
        return "carrier"
    if name.startswith("matchbook-journ"):   # the kernel keeps 15 characters of a thread's name
        return "journal"
    if "Poller" in name:
        return "poller"
    return "app"


def load(path):
    """The polls, and per process that was sampled: its server's name and its launch (epoch seconds)."""
    polls = [json.loads(line) for line in open(path)]
    names, launch = {}, {}
    for p in polls:
        for pid, cmd in p["commands"].items():
            args = cmd if isinstance(cmd, list) else cmd.split()   # early recordings joined them with spaces
            if pid in names or not program(args) or not any(k.startswith(pid + "/") for k in p["threads"]):
                continue
            names[pid] = server_of(args)
            # Early recordings have no start time: 0.25 s before the first poll that saw it, +-0.25 s.
            launch[pid] = p.get("started", {}).get(pid) or p["t"] - 0.25
    return polls, names, launch


def shares(polls, pid, lo, hi):
    """Per group: (run, wait, slices) between the polls nearest to lo and hi (epoch seconds), run and wait as fractions
    of that time, slices (times a thread was put on a CPU: its wake-ups and preemptions) per second; or None when the
    process has no poll within 0.5 s of either edge."""
    seen = [p for p in polls if any(k.startswith(pid + "/") for k in p["threads"])]
    if not seen:
        return None
    a = min(seen, key=lambda p: abs(p["t"] - lo))
    b = min(seen, key=lambda p: abs(p["t"] - hi))
    span = b["t"] - a["t"]
    if abs(a["t"] - lo) > 0.5 or abs(b["t"] - hi) > 0.5 or span < 0.5:
        return None
    run, wait, slices = collections.Counter(), collections.Counter(), collections.Counter()
    for key, (name, r, w, n) in b["threads"].items():
        if key.startswith(pid + "/"):
            before = a["threads"].get(key, [name, 0, 0, 0])
            run[group(name)] += (r - before[1]) / 1e9 / span
            wait[group(name)] += (w - before[2]) / 1e9 / span
            slices[group(name)] += (n - before[3]) / span
    return run, wait, slices


def measured(path, quick_path):
    """Yields (polls, result, pid, launch) for each p2p result of the results' JSON whose launch the recording saw
    (the k-th result of a server kind with the k-th launch of that kind; launch in epoch seconds), printing a line for
    each one it cannot pair."""
    polls, names, launch = load(path)
    results = [r for r in json.load(open(quick_path))["results"] if r["scenario"] == "p2p"]
    launches = collections.defaultdict(list)
    for pid in sorted(launch, key=launch.get):
        launches[names[pid]].append(pid)
    taken = collections.Counter()
    for r in results:
        server = r["server"]
        if server.startswith("matchbook-redis"):
            print(f"{server}: not read (two nodes and a Redis per launch)")
            continue
        k = taken[server]
        taken[server] += 1
        if "fixed_from_s" not in r:
            print(f"{server}: no measured phase ({r.get('error', 'no figures')})")
            continue
        if k >= len(launches[server]):
            print(f"{server}: launch {k + 1} not recorded")
            continue
        yield polls, r, launches[server][k], launch[launches[server][k]]


def groups_line(run, wait=None):
    """`group run%/wait%` (or `group run%`) for each group that ran, by name."""
    return "  ".join(f"{g} {100 * run[g]:.1f}" + (f"/{100 * wait[g]:.1f}" if wait is not None else "")
                     for g in sorted(run) if run[g] >= 0.001)


def window(polls, pid, lo, hi, what):
    """shares() for lo-hi, or None after printing that `what` is not in the recording."""
    got = shares(polls, pid, lo, hi)
    if got is None:
        print(f"{what} is not in the recording")
    return got


def phase(path, quick_path):
    for polls, r, pid, launched in measured(path, quick_path):
        got = window(polls, pid, launched + r["fixed_from_s"], launched + r["fixed_to_s"],
                     f"{r['server']} (pid {pid}): its measured phase")
        if got is None:
            continue
        run, wait, _ = got
        print(f"{r['server']:17} phase {r['fixed_from_s']}-{r['fixed_to_s']} s, p99 {r['p99_ms']} ms: "
              f"core {100 * sum(run.values()):.1f}%  (group run%/wait%) {groups_line(run, wait)}")


def steps(path, quick_path):
    """Per p2p result: each step of the ramp after the measured phase (its `from_uptime_s` and the next step's, or 3 s
    for the last), its offered rate, p99, the groups' run% of the core and how often a second their threads were put on
    the CPU (schedstat's third field: each wake-up or preemption is one), so two servers can be compared at the same
    rate once the JIT is done."""
    for polls, r, pid, launched in measured(path, quick_path):
        print(f"{r['server']} (pid {pid}), sustained {r['throughput_msgs_s']} msg/s:")
        ramp = r.get("steps", [])
        for i, s in enumerate(ramp):
            lo = s["from_uptime_s"]
            hi = ramp[i + 1]["from_uptime_s"] if i + 1 < len(ramp) else lo + 3
            got = window(polls, pid, launched + lo, launched + hi,
                         f"  {s['offered_msgs_s']:>6} msg/s at {lo:.1f}-{hi:.1f} s")
            if got is None:
                continue
            run, _, slices = got
            print(f"  {s['offered_msgs_s']:>6} msg/s at {lo:5.1f}-{hi:5.1f} s, p99 {s['p99_ms']:7.2f} ms: "
                  f"core {100 * sum(run.values()):5.1f}%  {groups_line(run)}")
            print(f"  {'':>6}   on a CPU, times a second: {sum(slices.values()):6.0f}  "
                  + "  ".join(f"{g} {slices[g]:.0f}" for g in sorted(slices) if slices[g] >= 1))


def seconds(path):
    polls, names, launch = load(path)
    for pid in sorted(launch, key=launch.get):
        seen = [p["t"] for p in polls if any(k.startswith(pid + "/") for k in p["threads"])]
        print(f"{names[pid]} (pid {pid}): seconds since launch, jit% / rest% of the core")
        t = launch[pid] + 1
        while t + 1 <= seen[-1]:
            got = shares(polls, pid, t, t + 1)
            if got is not None:
                run = got[0]
                print(f"  {t + 1 - launch[pid]:5.1f}  {100 * run['jit']:5.1f} / "
                      f"{100 * (sum(run.values()) - run['jit']):5.1f}")
            t += 1


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)   # quietly, under `| head`
    if len(sys.argv) == 4 and sys.argv[1] == "record":
        record(sys.argv[2], float(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "phase":
        phase(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "steps":
        steps(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "seconds":
        seconds(sys.argv[2])
    else:
        sys.exit(__doc__)

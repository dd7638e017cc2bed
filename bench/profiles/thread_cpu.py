#!/usr/bin/env python3
"""Where each server's one core goes, thread group by thread group, read from the kernel's scheduler statistics.

Usage:
    bench/profiles/thread_cpu.py record <out.jsonl> <seconds> &     # beside `bench/run quick ... --scenarios p2p`
    bench/profiles/thread_cpu.py phase <out.jsonl> <quick.json>      # per server: its p2p measured phase
    bench/profiles/thread_cpu.py seconds <out.jsonl>                 # per server: JIT and the rest, second by second

Why not a flight recording or a profiler (jit_share.py, async-profiler): this reads `/proc/<pid>/task/<tid>/schedstat`
from outside, so it loads nothing into the server (an agent costs the node its AOT cache, a recording its own
threads' CPU), and it reads the Node peers too. schedstat gives, per thread, nanoseconds run on a CPU and
nanoseconds waited runnable for one (Linux, Documentation/scheduler/sched-stats.rst): "wait" is the time a
thread was ready but its core was busy with another.

`record` polls every 0.5 s, for `seconds`, every server the benchmark starts: a `java -jar` of the Matchbook jar or of
a hub (`netty-hub`, `helidon-hub`), or a `node` of a peer (`peers/ws-server.js`, `peers/socketio-server.js`); not the
builds' `find` and `mvn`, nor an AOT training run. Each line: the poll's time, {pid/tid: [thread name, run ns, wait
ns, timeslices]} and {pid: command line}. The poller costs a few percent of a core somewhere on the machine: compare
servers of the same recorded run.

`phase` prints, per p2p result in the results' JSON, the shares of its server's core in its measured phase
(`fixed_from_s`-`fixed_to_s` after launch): run and wait per thread group, each as a fraction of the window (a group
of several threads can wait more than 100%). The k-th p2p result of a server kind is paired with the k-th launch of
that kind that the recording saw, so record one `bench/run` whose only scenario is p2p (`--repeat N` is fine). Launch
is taken as 0.25 s before the first poll that saw the process, and each edge of the window is the nearest poll: the
window is right to about +-0.5 s. A thread that ended inside the window is not counted.

Groups: `jit` (the C1/C2 compiler threads), `gc` (ZGC's threads and the VM thread, which also runs every other
safepoint operation), `carrier` (the virtual threads' ForkJoinPool carriers, with the JDK's per-carrier pollers,
which are virtual threads on JDK 25), `journal` (the journal's writer and applier), `poller` (the JDK's master
poller), `app` (the rest: Netty's event loop, the JVM's other threads; for Node everything, since Node names all its
threads `node`, so its compiler cannot be told from its event loop here).
"""
import collections
import glob
import json
import sys
import time

JARS = ("/matchbook-server.jar", "/netty-hub.jar", "/helidon-hub.jar")
SCRIPTS = ("/peers/ws-server.js", "/peers/socketio-server.js")
# Settings.storeName: what each value of matchbook.store names.
STORES = {"": "tiered", "embedded": "tiered", "sqlite": "disk"}


def is_server(args):
    """Whether a command line (its arguments) is a server the benchmark started."""
    if not args or "-XX:AOTCacheOutput" in " ".join(args):
        return False
    program = args[0].rsplit("/", 1)[-1]
    if program == "java":
        return any(a.endswith(JARS) and args[i - 1] == "-jar" for i, a in enumerate(args) if i > 0)
    return program == "node" and len(args) > 1 and args[1].endswith(SCRIPTS)


def record(out_path, seconds):
    end = time.time() + seconds
    commands = {}
    with open(out_path, "w") as out:
        while time.time() < end:
            pids = []
            for path in glob.glob("/proc/[0-9]*/cmdline"):
                try:
                    cmd = open(path, "rb").read()
                except OSError:
                    continue
                args = cmd.decode(errors="replace").split("\0")[:-1]
                if is_server(args):
                    pid = path.split("/")[2]
                    pids.append(pid)
                    commands[pid] = " ".join(args)
            threads = {}
            for pid in pids:
                for task in glob.glob(f"/proc/{pid}/task/*"):
                    try:
                        name = open(task + "/comm").read().strip()
                        run, wait, slices = (int(v) for v in open(task + "/schedstat").read().split())
                    except (OSError, ValueError):
                        continue   # the thread or process ended between the listing and the read
                    threads[pid + "/" + task.rsplit("/", 1)[1]] = [name, run, wait, slices]
            out.write(json.dumps({"t": time.time(), "threads": threads,
                                  "commands": {p: commands[p] for p in pids}}) + "\n")
            out.flush()
            time.sleep(0.5)


def server_of(cmd):
    if "ws-server.js" in cmd:
        return "ws"
    if "socketio-server.js" in cmd:
        return "socketio"
    if "netty-hub" in cmd:
        return "netty"
    if "helidon-hub" in cmd:
        return "helidon"
    args = cmd.split()
    if "-Dmatchbook.broker=redis" in args:
        return "matchbook-redis"
    stores = [a.split("=", 1)[1] for a in args if a.startswith("-Dmatchbook.store=")]
    store = STORES.get(stores[-1], stores[-1]) if stores else "tiered"   # the JVM keeps the last -D of a name
    return "matchbook" if store == "memory" else "matchbook-" + store


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
    """The polls, and per process: its server's name and the time of the first poll that saw it."""
    polls = [json.loads(line) for line in open(path)]
    names, first = {}, {}
    for p in polls:
        for pid, cmd in p["commands"].items():
            if is_server(cmd.split()):   # again: recordings made before the filter was exact
                names[pid] = server_of(cmd)
                first.setdefault(pid, p["t"])
    return polls, names, first


def shares(polls, pid, lo, hi):
    """Per group: (run, wait) as fractions of the time between the polls nearest to lo and hi (epoch seconds), or
    None when the process's polls do not cover that window."""
    seen = [p for p in polls if any(k.startswith(pid + "/") for k in p["threads"])]
    if not seen or lo < seen[0]["t"] - 0.5 or hi > seen[-1]["t"] + 0.5:
        return None   # the recording does not cover the window
    a = min(seen, key=lambda p: abs(p["t"] - lo))
    b = min(seen, key=lambda p: abs(p["t"] - hi))
    span = b["t"] - a["t"]
    if span < 0.5:
        return None
    run, wait = collections.Counter(), collections.Counter()
    for key, (name, r, w, _) in b["threads"].items():
        if key.startswith(pid + "/"):
            before = a["threads"].get(key, [name, 0, 0, 0])
            run[group(name)] += (r - before[1]) / 1e9 / span
            wait[group(name)] += (w - before[2]) / 1e9 / span
    return run, wait


def phase(path, quick_path):
    polls, names, first = load(path)
    results = [r for r in json.load(open(quick_path))["results"] if r["scenario"] == "p2p"]
    launches = collections.defaultdict(list)
    for pid in sorted(first, key=first.get):
        launches[names[pid]].append(pid)
    taken = collections.Counter()
    for r in results:
        k = taken[r["server"]]
        taken[r["server"]] += 1
        if k >= len(launches[r["server"]]):
            print(f"{r['server']}: launch {k + 1} not recorded")
            continue
        pid = launches[r["server"]][k]
        launch = first[pid] - 0.25
        got = shares(polls, pid, launch + r["fixed_from_s"], launch + r["fixed_to_s"])
        if got is None:
            print(f"{r['server']} (pid {pid}): its measured phase is not in the recording")
            continue
        run, wait = got
        parts = "  ".join(f"{g} {100 * run[g]:.1f}/{100 * wait[g]:.1f}" for g in sorted(run) if run[g] >= 0.001)
        print(f"{r['server']:17} phase {r['fixed_from_s']}-{r['fixed_to_s']} s, p99 {r['p99_ms']} ms: "
              f"core {100 * sum(run.values()):.1f}%  (group run%/wait%) {parts}")


def seconds(path):
    polls, names, first = load(path)
    for pid in sorted(first, key=first.get):
        launch = first[pid] - 0.25
        print(f"{names[pid]} (pid {pid}): seconds since launch, jit% / rest% of the core")
        t = launch + 1
        while t + 1 <= max(p["t"] for p in polls if any(k.startswith(pid + "/") for k in p["threads"])):
            got = shares(polls, pid, t, t + 1)
            if got is None:
                break
            run, _ = got
            print(f"  {t + 1 - launch:5.1f}  {100 * run['jit']:5.1f} / {100 * (sum(run.values()) - run['jit']):5.1f}")
            t += 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "record":
        record(sys.argv[2], float(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "phase":
        phase(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "seconds":
        seconds(sys.argv[2])
    else:
        sys.exit(__doc__)

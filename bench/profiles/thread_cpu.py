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

`record` polls every 0.5 s, for `seconds`, every process whose command line names the Matchbook jar, a Node peer
(`ws-server.js`, `socketio-server.js`) or a hub (`netty-hub`, `helidon-hub`), leaving out an AOT training run. Each
line: the poll's time, {pid/tid: [thread name, run ns, wait ns, timeslices]} and {pid: command line}. The poller
costs a few percent of a core somewhere on the machine: compare servers of the same recorded run.

`phase` prints, per server of the results' p2p scenario, the shares of its core in its measured phase
(`fixed_from_s`-`fixed_to_s` after launch; launch taken as 0.25 s before the first poll that saw the process, so
windows are +-0.25 s): run and wait per thread group. Groups: `jit` (C1/C2 compiler threads), `gc` (ZGC's, Serial's
VM thread), `carrier` (the virtual threads' ForkJoinPool carriers), `journal` (the journal's writer and applier),
`poller` (the JDK's socket pollers), `app` (everything else, e.g. Node's main thread or Netty's event loop).
"""
import collections
import glob
import json
import sys
import time

SERVERS = (b"matchbook-server.jar", b"ws-server.js", b"socketio-server.js", b"netty-hub", b"helidon-hub")


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
                if any(s in cmd for s in SERVERS) and b"AOTCacheOutput" not in cmd and not cmd.startswith(b"taskset"):
                    pid = path.split("/")[2]
                    pids.append(pid)
                    commands[pid] = cmd.replace(b"\0", b" ").decode(errors="replace")
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
    store = next((a.split("=", 1)[1] for a in cmd.split() if a.startswith("-Dmatchbook.store=")), "tiered")
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
            names[pid] = server_of(cmd)
            first.setdefault(pid, p["t"])
    return polls, names, first


def shares(polls, pid, lo, hi):
    """Per group: (run, wait) as fractions of the time between the polls nearest to lo and hi (epoch seconds)."""
    seen = [p for p in polls if any(k.startswith(pid + "/") for k in p["threads"])]
    a = min(seen, key=lambda p: abs(p["t"] - lo))
    b = min(seen, key=lambda p: abs(p["t"] - hi))
    span = b["t"] - a["t"]
    run, wait = collections.Counter(), collections.Counter()
    for key, (name, r, w, _) in b["threads"].items():
        if key.startswith(pid + "/"):
            before = a["threads"].get(key, [name, 0, 0, 0])
            run[group(name)] += (r - before[1]) / 1e9 / span
            wait[group(name)] += (w - before[2]) / 1e9 / span
    return run, wait


def phase(path, quick_path):
    polls, names, first = load(path)
    results = json.load(open(quick_path))["results"]
    for r in (r for r in results if r["scenario"] == "p2p"):
        pids = [p for p, n in names.items() if n == r["server"]]
        if not pids:
            print(f"{r['server']}: not recorded")
            continue
        pid = max(pids, key=lambda p: first[p])   # the last launch of that server: the scenario's
        launch = first[pid] - 0.25
        run, wait = shares(polls, pid, launch + r["fixed_from_s"], launch + r["fixed_to_s"])
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
            run, _ = shares(polls, pid, t, t + 1)
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
